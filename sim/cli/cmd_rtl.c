/*
 * cmd_rtl.c - `mpsim rtl`: generate the Verilog of one array.
 *
 *   mpsim rtl [design options] [--top NAME] -o DIR
 *
 * The design options are those of every command that generates RTL
 * (mp_cli_gen_options; cosim and synth take the same), and the same
 * options give the same design: mp_cosim_gen_cfg() builds it from --arch
 * (a preset or YAML file, sim/arch.h; without it int8-mac, int4 x int8,
 * 4 x 4) and the overrides.  Writes DIR/<module>.v for every module,
 * DIR/files.f and DIR/params.json (docs/rtl.md); DIR is created if
 * missing.  Nothing is left behind on failure.  Usage errors exit 2, bad
 * input 1, each with one stderr line.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "golden/diag.h"
#include "rtl_gen/rtl.h"
#include "sim/cosim/cosim.h"
#include "sim/cli/cli_util.h"
#include "sim/cli/commands.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2 };

enum { OPT_TOP = 256 };

static const mp_option rtl_own[] = {
    {"top", OPT_TOP, "NAME", "top module name (default mpsim_top)"},
    {"out", 'o', "DIR", "output directory"},
    {NULL, 0, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mpsim rtl [--arch NAME|FILE.yaml] [--pe FAMILY] "
            "[--weight FMT] [--wbits B]\n"
            "                 [--act FMT] [--acc ACC] [--group G] [--zeros] "
            "[--no-scales] "
            "[--no-act-scale]\n"
            "                 [--rows R] [--cols C] [--k-max K] [--load-bits B] "
            "[--top NAME] -o DIR\n\n"
            "Generate synthesizable Verilog-2005 for one PE array with the "
            "common top-level\nprotocol of docs/rtl.md.  mpsim cosim and "
            "mpsim synth generate the same design\nfrom the same design "
            "options.\n\n");
    mp_options_help(out, mp_cli_gen_options, MP_CLI_HELP_COL);
    mp_options_help(out, rtl_own, MP_CLI_HELP_COL);
    mp_options_help(out, mp_cli_help_options, MP_CLI_HELP_COL);
    fprintf(out, "\nfamilies with a generator:");
    for (int i = 0; mp_rtl_registry[i]; i++)
        fprintf(out, "%s %s", i ? "," : "", mp_rtl_registry[i]->family);
    fprintf(out, "\n");
}

static int make_dir(const char *dir, mp_diag *d)
{
    struct stat st;
    if (stat(dir, &st) == 0) {
        if (!S_ISDIR(st.st_mode))
            return mp_fail(d, MP_CMDLINE, 0, "-o", "%s is not a directory", dir);
        return 0;
    }
    if (mkdir(dir, 0777) != 0)
        return mp_fail(d, MP_CMDLINE, 0, "-o", "cannot create %s: %s", dir,
                       strerror(errno));
    return 0;
}

int cmd_rtl(int argc, char **argv)
{
    static const mp_option *const groups[] = {mp_cli_gen_options, rtl_own,
                                              mp_cli_help_options, NULL};
    mp_cosim_gen g = {.group = -1};
    const char *outdir = NULL;
    mp_diag d;
    int rc = 0, opt;
    mp_cli_parser p;
    const mp_option *e;
    mp_cli_parser_init(&p, groups);
    while (rc == 0 && (opt = mp_cli_next(&p, argc, argv, &e)) != -1) {
        rc = mp_cli_gen_option(opt, optarg, MP_RTL_DIM_MAX, &g, &d);
        switch (rc == 1 ? opt : 0) {
        case 0: break; /* a design option, or its error */
        case OPT_TOP: g.top = optarg; rc = 0; break;
        case 'o': outdir = optarg; rc = 0; break;
        case 'h': usage(stdout); return 0;
        default:
            mp_cli_bad_option(opt, NULL, argv);
            return EXIT_USAGE;
        }
    }
    if (rc) {
        mp_diag_print(&d, stderr);
        return EXIT_USAGE;
    }
    if (mp_cli_no_extra_args(argc, argv, optind))
        return EXIT_USAGE;
    if (!outdir) {
        fprintf(stderr, "mpsim: %s: -o: output directory required\n",
                MP_CMDLINE);
        return EXIT_USAGE;
    }
    mp_rtl_cfg cfg;
    char family[32];
    mp_rtl_info info;
    if (mp_cosim_gen_cfg(&g, &cfg, family, sizeof family, &d) ||
        mp_rtl_check(&cfg, &info, &d) || make_dir(outdir, &d) ||
        mp_rtl_generate(&cfg, outdir, &d)) {
        mp_diag_print(&d, stderr);
        return EXIT_INPUT;
    }
    printf("%s: %s %dx%d k_max %d -> %s/files.f\n", info.top, cfg.family,
           cfg.rows, cfg.cols, cfg.k_max, outdir);
    return 0;
}
