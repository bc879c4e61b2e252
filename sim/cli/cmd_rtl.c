/*
 * cmd_rtl.c - `mpsim rtl`: generate the Verilog of one array.
 *
 *   mpsim rtl [--arch NAME|FILE.yaml] [--pe FAMILY] [--weight FMT]
 *             [--wbits B] [--act FMT] [--acc ACC] [--group G] [--zeros]
 *             [--no-scales] [--no-act-scale] [--rows R] [--cols C]
 *             [--k-max K] [--load-bits B] [--top NAME] -o DIR
 *
 * The PE family, its precision and the array size come from --arch (a
 * preset or YAML file, sim/arch.h); every other option overrides it, and
 * without --arch they describe the array directly (defaults: int8-mac,
 * int4 x int8, G = 128 but at most k-max, 4 x 4, k-max 256).  Writes
 * DIR/<module>.v for every module, DIR/files.f and DIR/params.json
 * (docs/rtl.md); DIR is created if missing.  Nothing is left behind on
 * failure.  Usage errors exit 2, bad input 1, each with one stderr line.
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
#include "sim/arch.h"
#include "sim/cli/cli_util.h"
#include "sim/cli/commands.h"

enum { EXIT_INPUT = 1, EXIT_USAGE = 2 };

enum { OPT_ARCH = 256, OPT_PE, OPT_WEIGHT, OPT_WBITS, OPT_ACT, OPT_ACC,
       OPT_GROUP, OPT_ZEROS, OPT_NO_SCALES, OPT_NO_ACT_SCALE, OPT_ROWS,
       OPT_COLS, OPT_KMAX, OPT_LOAD_BITS, OPT_TOP };

static const mp_option rtl_own[] = {
    {"arch", OPT_ARCH, "SPEC", "preset name or architecture YAML: PE family, "
     "precision, rows, cols"},
    {"pe", OPT_PE, "FAMILY", "a family with a generator (listed below)"},
    {"weight", OPT_WEIGHT, "FMT", "weight codes: int1..int8, uint1..uint8, "
     "ternary"},
    {"wbits", OPT_WBITS, "B", "code width, keeping the signedness"},
    {"act", OPT_ACT, "FMT", "activations: int8, fp16, ..."},
    {"acc", OPT_ACC, "ACC", "accumulator where the PE has a choice: int, "
     "fixed, fp16, fp32"},
    {"group", OPT_GROUP, "G", "quantization group along K (0 = per channel)"},
    {"zeros", OPT_ZEROS, NULL, "asymmetric weights: per-group zero points"},
    {"no-scales", OPT_NO_SCALES, NULL, "integer output: no weight scales"},
    {"no-act-scale", OPT_NO_ACT_SCALE, NULL, "no per-token activation scale"},
    {"rows", OPT_ROWS, "R", "array rows (= M of a tile), 1..65536"},
    {"cols", OPT_COLS, "C", "array columns (= N of a tile), 1..65536; at "
     "most\n1048576 PEs and results (one instance each)"},
    {"k-max", OPT_KMAX, "K", "deepest tile the buffers hold (default 256)"},
    {"load-bits", OPT_LOAD_BITS, "B", "ld_data width: 32 (default, one "
     "element per word) or a\nmultiple of 32 up to 2048 (packed beats, "
     "docs/rtl.md)"},
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
            "common top-level\nprotocol of docs/rtl.md.\n\n");
    mp_options_help(out, rtl_own, 18);
    mp_options_help(out, mp_cli_help_options, 18);
    fprintf(out, "\nfamilies with a generator:");
    for (int i = 0; mp_rtl_registry[i]; i++)
        fprintf(out, "%s %s", i ? "," : "", mp_rtl_registry[i]->family);
    fprintf(out, "\n");
}

typedef struct rtl_opts {
    const char *arch, *pe, *weight, *act, *acc, *top, *outdir;
    int wbits, group, rows, cols, k_max; /* -1: not given */
    int load_bits;                       /* 0: not given (32) */
    int zeros, no_scales, no_act_scale;
} rtl_opts;

/* Build the configuration: the arch first, then each override. */
static int build_cfg(const rtl_opts *o, mp_rtl_cfg *cfg, char *family,
                     size_t family_cap, mp_diag *d)
{
    mp_rtl_cfg_init(cfg);
    if (o->arch) {
        mp_arch a;
        if (mp_arch_open(o->arch, "--arch", &a, d))
            return -1;
        snprintf(family, family_cap, "%s", a.pe_name);
        cfg->pe = a.pe_params;
        cfg->rows = a.rows;
        cfg->cols = a.cols;
        mp_arch_free(&a);
    } else {
        snprintf(family, family_cap, "%s", "int8-mac");
    }
    if (o->pe)
        snprintf(family, family_cap, "%s", o->pe);
    cfg->family = family;
    if (o->weight && mp_wfmt_parse(o->weight, &cfg->pe.wfmt))
        return mp_fail(d, MP_CMDLINE, 0, "--weight",
                       "unknown weight format '%s'", o->weight);
    if (o->wbits >= 0) {
        if (cfg->pe.wfmt.kind == MP_W_TERNARY)
            cfg->pe.wfmt.kind = MP_W_SIGNED;
        cfg->pe.wfmt.bits = o->wbits;
    }
    if (mp_wfmt_check(cfg->pe.wfmt, MP_CMDLINE, "--wbits", d))
        return -1;
    if (o->act && mp_act_parse(o->act, &cfg->pe.act))
        return mp_fail(d, MP_CMDLINE, 0, "--act",
                       "unknown activation format '%s'", o->act);
    if (o->acc) {
        int i = 0;
        while (i < 4 && strcmp(o->acc, mp_acc_fmt_name((mp_acc_fmt)i)))
            i++;
        if (i == 4)
            return mp_fail(d, MP_CMDLINE, 0, "--acc",
                           "unknown accumulator '%s' (int, fixed, fp16, "
                           "fp32)", o->acc);
        cfg->pe.acc = (mp_acc_fmt)i;
    }
    if (o->rows >= 0)
        cfg->rows = o->rows;
    if (o->cols >= 0)
        cfg->cols = o->cols;
    if (o->k_max >= 0)
        cfg->k_max = o->k_max;
    if (o->group >= 0)
        cfg->pe.group_size = o->group;
    else if (cfg->pe.group_size > cfg->k_max)
        cfg->pe.group_size = 0; /* per channel within one tile */
    if (o->zeros)
        cfg->pe.has_zeros = 1;
    mp_rtl_cfg_follow_weights(cfg);
    if (o->no_scales) {
        cfg->has_scales = 0;
        cfg->has_act_scale = 0;
    }
    if (o->no_act_scale)
        cfg->has_act_scale = 0;
    cfg->top = o->top;
    if (o->load_bits)
        cfg->load_bits = o->load_bits;
    return 0;
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
    static const mp_option *const groups[] = {rtl_own, mp_cli_help_options,
                                              NULL};
    rtl_opts o = {.wbits = -1, .group = -1, .rows = -1, .cols = -1,
                  .k_max = -1};
    mp_diag d;
    int rc = 0, opt;
    mp_cli_parser p;
    const mp_option *e;
    mp_cli_parser_init(&p, groups);
    while (rc == 0 && (opt = mp_cli_next(&p, argc, argv, &e)) != -1) {
        switch (opt) {
        case OPT_ARCH: o.arch = optarg; break;
        case OPT_PE: o.pe = optarg; break;
        case OPT_WEIGHT: o.weight = optarg; break;
        case OPT_ACT: o.act = optarg; break;
        case OPT_ACC: o.acc = optarg; break;
        case OPT_TOP: o.top = optarg; break;
        case 'o': o.outdir = optarg; break;
        case OPT_ZEROS: o.zeros = 1; break;
        case OPT_NO_SCALES: o.no_scales = 1; break;
        case OPT_NO_ACT_SCALE: o.no_act_scale = 1; break;
        case OPT_WBITS: rc = mp_cli_int(optarg, "--wbits", 1, 8, &o.wbits, &d); break;
        case OPT_GROUP: rc = mp_cli_int(optarg, "--group", 0, 65535, &o.group, &d); break;
        case OPT_ROWS: rc = mp_cli_int(optarg, "--rows", 1, MP_RTL_DIM_MAX, &o.rows, &d); break;
        case OPT_COLS: rc = mp_cli_int(optarg, "--cols", 1, MP_RTL_DIM_MAX, &o.cols, &d); break;
        case OPT_KMAX: rc = mp_cli_int(optarg, "--k-max", 1, 65535, &o.k_max, &d); break;
        case OPT_LOAD_BITS: rc = mp_cli_load_bits(optarg, &o.load_bits, &d); break;
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
    if (!o.outdir) {
        fprintf(stderr, "mpsim: %s: -o: output directory required\n",
                MP_CMDLINE);
        return EXIT_USAGE;
    }
    mp_rtl_cfg cfg;
    char family[32];
    mp_rtl_info info;
    if (build_cfg(&o, &cfg, family, sizeof family, &d) ||
        mp_rtl_check(&cfg, &info, &d) || make_dir(o.outdir, &d) ||
        mp_rtl_generate(&cfg, o.outdir, &d)) {
        mp_diag_print(&d, stderr);
        return EXIT_INPUT;
    }
    printf("%s: %s %dx%d k_max %d -> %s/files.f\n", info.top, cfg.family,
           cfg.rows, cfg.cols, cfg.k_max, o.outdir);
    return 0;
}
