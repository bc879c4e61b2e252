/*
 * cmd_list.c - `mpsim list`: built-in architecture presets, PE families,
 * technology tables and models, found at run time under the data root.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden/decimal.h"
#include "pe_models/pe.h"
#include "pe_models/tech.h"
#include "sim/arch.h"
#include "sim/cli/cli_util.h"
#include "sim/cli/commands.h"
#include "sim/synth/liberty.h"
#include "golden/datadir.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: mpsim list [archs|pes|techs|models]\n"
                 "       mpsim list scale FROM_NM[:VDD] TO_NM[:VDD]\n"
                 "       mpsim list liberty FILE.lib [NM]\n\n"
                 "List built-in architecture presets (sim/arch/), PE families,\n"
                 "technology tables (pe_models/tech/) and models\n"
                 "(workloads/models/); all of them without an argument.\n"
                 "`scale` prints the multipliers that take an area, a path\n"
                 "delay and an energy from one node to another (Stillmaker &\n"
                 "Baas 2017, docs/model.md section 9.7; VDD defaults to the\n"
                 "node's nominal supply), the factors every report applies.\n"
                 "`liberty` prints what mpsim synth reads of a Liberty file\n"
                 "(its name, supply, node: NM, required but for OSU 0.18 um,\n"
                 "and the buffer cell it writes for the netlist's port\n"
                 "aliases), one `KEY VALUE...` line each,\n"
                 "or the reason mpsim synth would refuse the file.\n\n");
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

/* "NM" or "NM:VDD" (VDD 0 = the node's nominal supply); 0 or 2 after a
 * one-line error naming the operand. */
static int parse_node(const char *text, double *nm, double *vdd)
{
    char buf[64];
    const char *colon = strchr(text, ':');
    size_t len = colon ? (size_t)(colon - text) : strlen(text);
    *vdd = 0;
    if (len >= sizeof buf)
        len = sizeof buf - 1;
    memcpy(buf, text, len);
    buf[len] = '\0';
    if (mp_parse_real(buf, 7, 180, nm) ||
        (colon && mp_parse_real(colon + 1, 0.3, 5, vdd))) {
        fprintf(stderr, "mpsim: %s: list scale: node '%s': expected NM (7..180)"
                " or NM:VDD (0.3..5 V)\n", MP_CMDLINE, text);
        return 2;
    }
    return 0;
}

static int list_scale(int argc, char **argv, int first)
{
    double from_nm, from_vdd, to_nm, to_vdd;
    if (argc - first < 2) {
        fprintf(stderr, "mpsim: %s: list scale: FROM and TO nodes required "
                "(e.g. 180:1.8 28:0.9)\n", MP_CMDLINE);
        return 2;
    }
    if (mp_cli_no_extra_args(argc, argv, first + 2) ||
        parse_node(argv[first], &from_nm, &from_vdd) ||
        parse_node(argv[first + 1], &to_nm, &to_vdd))
        return 2;
    static const struct { const char *name; mp_scale_kind kind; } kinds[] = {
        {"area", MP_SCALE_AREA},
        {"delay", MP_SCALE_DELAY},
        {"energy", MP_SCALE_ENERGY},
    };
    double factor[3];
    for (int i = 0; i < 3; i++) {
        factor[i] = mp_tech_scale_factor(kinds[i].kind, from_nm, from_vdd,
                                         to_nm, to_vdd);
        if (!isfinite(factor[i])) {
            fprintf(stderr, "mpsim: %s: list scale: %s: no fit at %s -> %s "
                    "(a voltage outside the node's fit)\n", MP_CMDLINE,
                    kinds[i].name, argv[first], argv[first + 1]);
            return 2;
        }
    }
    for (int i = 0; i < 3; i++)
        printf("%s %.9g\n", kinds[i].name, factor[i]);
    return 0;
}

static int list_liberty(int argc, char **argv, int first)
{
    double node_nm = 0;
    if (argc - first < 1) {
        fprintf(stderr, "mpsim: %s: list liberty: FILE required\n",
                MP_CMDLINE);
        return 2;
    }
    if (mp_cli_no_extra_args(argc, argv, first + 2))
        return 2;
    if (argc - first == 2 &&
        mp_parse_real(argv[first + 1], MP_LIBERTY_NODE_MIN,
                      MP_LIBERTY_NODE_MAX, &node_nm)) {
        fprintf(stderr, "mpsim: %s: list liberty: node '%s': expected NM "
                "(%g..%g)\n", MP_CMDLINE, argv[first + 1],
                MP_LIBERTY_NODE_MIN, MP_LIBERTY_NODE_MAX);
        return 2;
    }
    mp_liberty lib;
    mp_diag d;
    memset(&d, 0, sizeof d);
    if (mp_liberty_find(&lib, argv[first], node_nm, "list liberty FILE", 0,
                        &d)) {
        mp_diag_print(&d, stderr);
        return 1;
    }
    printf("library %s\ncells %s\nvdd %g\nnode_nm %g\nbuffer %s %s %s\n",
           lib.name, lib.cells, lib.vdd, lib.node_nm, lib.buffer,
           lib.buffer_in, lib.buffer_out);
    return 0;
}

int cmd_list(int argc, char **argv)
{
    int status = mp_cli_help_only(argc, argv, "list", usage);
    if (status >= 0)
        return status;
    const char *what = optind < argc ? argv[optind] : "all";
    if (!strcmp(what, "scale"))
        return list_scale(argc, argv, optind + 1);
    if (!strcmp(what, "liberty"))
        return list_liberty(argc, argv, optind + 1);
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
