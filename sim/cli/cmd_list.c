/*
 * cmd_list.c - `mpsim list`: built-in architecture presets, PE families,
 * technology tables and models, found at run time under the data root.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pe_models/pe.h"
#include "sim/arch.h"
#include "sim/cli/cli_util.h"
#include "sim/cli/commands.h"
#include "golden/datadir.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: mpsim list [archs|pes|techs|models]\n\n"
                 "List built-in architecture presets (sim/arch/), PE families,\n"
                 "technology tables (pe_models/tech/) and models\n"
                 "(workloads/models/); all of them without an argument.\n\n");
    mp_options_help(out, mp_cli_help_options, MP_CLI_HELP_COL);
}

/* Names of <root>/subdir/NAME.yaml, sorted, one per line. */
static void list_yaml_dir(const char *subdir)
{
    char names[256][64];
    int n = mp_data_names(subdir, ".yaml", names, 256);
    if (n < 0)
        printf("  (none found in %s/%s)\n", mp_data_root(), subdir);
    for (int i = 0; i < n; i++)
        printf("  %s\n", names[i]);
}

static void list_archs(void)
{
    char names[128][64];
    int n = mp_arch_presets(names, 128);
    printf("architecture presets (mpsim run --arch NAME):\n");
    for (int i = 0; i < n; i++) {
        mp_arch a;
        mp_diag d;
        char path[4096];
        if (mp_data_path("sim/arch", names[i], ".yaml", path, sizeof path) ||
            mp_arch_load(path, &a, &d)) {
            printf("  %-16s (unreadable preset)\n", names[i]);
            continue;
        }
        printf("  %-16s %-10s %4dx%-4d %s\n", names[i], a.pe_name, a.rows,
               a.cols, a.description);
    }
    if (n <= 0)
        printf("  (none found under %s/sim/arch)\n", mp_data_root());
}

static void list_pes(void)
{
    printf("PE families (pe: family:):\n");
    for (int i = 0; mp_pe_registry[i]; i++)
        printf("  %-16s %s\n", mp_pe_registry[i]->name,
               mp_pe_registry[i]->summary);
}

int cmd_list(int argc, char **argv)
{
    int status = mp_cli_help_only(argc, argv, "list", usage);
    if (status >= 0)
        return status;
    const char *what = optind < argc ? argv[optind] : "all";
    if (mp_cli_no_extra_args(argc, argv, optind + 1))
        return 2;
    int all = !strcmp(what, "all"), shown = 0;
    if (all || !strcmp(what, "archs")) {
        list_archs();
        shown = 1;
    }
    if (all || !strcmp(what, "pes")) {
        list_pes();
        shown = 1;
    }
    if (all || !strcmp(what, "techs")) {
        printf("technology tables (tech:):\n");
        list_yaml_dir("pe_models/tech");
        shown = 1;
    }
    if (all || !strcmp(what, "models")) {
        printf("models (mpsim trace --model NAME):\n");
        list_yaml_dir("workloads/models");
        shown = 1;
    }
    if (!shown) {
        fprintf(stderr, "mpsim: %s: list: unknown category '%s' "
                "(archs|pes|techs|models)\n", MP_CMDLINE, what);
        return 2;
    }
    return 0;
}
