/*
 * cmd_gemm.c - `mpsim gemm`: simulate one GEMM Y[M][N] = X[M][K] x W[K][N]
 * on an architecture and report it like a one-layer workload.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "golden/outfile.h"
#include "sim/arch.h"
#include "sim/cli/cli_util.h"
#include "sim/cli/commands.h"
#include "sim/report.h"
#include "sim/simulate.h"

enum { OPT_ARCH = 256, OPT_WBITS, OPT_WEIGHTS, OPT_ACT, OPT_GROUP, OPT_ZEROS,
       OPT_NO_ZEROS, OPT_FORMAT };

static const mp_option gemm_own[] = {
    {"arch", OPT_ARCH, "A", "preset (mpsim list), architecture YAML or "
     "SCALE-Sim .cfg"},
    {NULL, 'M', "M", "GEMM rows (M = tokens x batch)"},
    {NULL, 'N', "N", "GEMM columns (output features)"},
    {NULL, 'K', "K", "GEMM depth (input features)"},
    {"wbits", OPT_WBITS, "B", "signed integer weights of B bits (1..8)"},
    {"weights", OPT_WEIGHTS, "FMT", "weight format: int4, uint4, ternary, ..."},
    {"act", OPT_ACT, "FMT", "activations: int4, int8, int16, fp16, bf16, ..."},
    {"group", OPT_GROUP, "G", "quantization group along K (0 = per channel)"},
    {"zeros", OPT_ZEROS, NULL, "asymmetric weights: per-group zero points"},
    {"no-zeros", OPT_NO_ZEROS, NULL, "symmetric weights: no zero points"},
    {"format", OPT_FORMAT, "F", "table (default), csv or json"},
    {"output", 'o', "FILE", "write the report to FILE (whole or not at all)"},
    {NULL, 0, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out,
        "usage: mpsim gemm --arch NAME|FILE.yaml|FILE.cfg -M M -N N -K K\n"
        "                  [--wbits B | --weights FMT] [--act FMT] [--group G]\n"
        "                  [--zeros | --no-zeros] [--format table|csv|json]\n"
        "                  [-o FILE]\n\n"
        "Simulate one GEMM (X[M][K] activations x W[K][N] quantized weights)\n"
        "on an array: cycles, bound, DRAM/SRAM traffic, energy, area.\n"
        "Precision defaults to the architecture's own (its preset's pe:).\n\n");
    mp_options_help(out, gemm_own, MP_CLI_HELP_COL);
    mp_options_help(out, mp_cli_help_options, MP_CLI_HELP_COL);
}

int cmd_gemm(int argc, char **argv)
{
    static const mp_option *const groups[] = {gemm_own, mp_cli_help_options,
                                              NULL};
    const char *arch_spec = NULL, *out_path = "-", *wspec = NULL;
    const char *act_spec = NULL, *group_spec = NULL, *fmt_spec = NULL;
    const char *dims[3] = {NULL, NULL, NULL};
    int zeros = -1;
    mp_diag d;
    memset(&d, 0, sizeof d);
    mp_cli_parser p;
    const mp_option *o;
    int c;
    mp_cli_parser_init(&p, groups);
    while ((c = mp_cli_next(&p, argc, argv, &o)) != -1) {
        switch (c) {
        case OPT_ARCH: arch_spec = optarg; break;
        case 'M': dims[0] = optarg; break;
        case 'N': dims[1] = optarg; break;
        case 'K': dims[2] = optarg; break;
        case OPT_WBITS: case OPT_WEIGHTS: wspec = optarg; break;
        case OPT_ACT: act_spec = optarg; break;
        case OPT_GROUP: group_spec = optarg; break;
        case OPT_ZEROS: zeros = 1; break;
        case OPT_NO_ZEROS: zeros = 0; break;
        case OPT_FORMAT: fmt_spec = optarg; break;
        case 'o': out_path = optarg; break;
        case 'h': usage(stdout); return 0;
        default: return mp_cli_bad_option(c, "gemm", argv);
        }
    }
    if (mp_cli_no_extra_args(argc, argv, optind))
        return 2;
    if (!arch_spec || !dims[0] || !dims[1] || !dims[2])
        return mp_cli_missing(!arch_spec ? "--arch" : !dims[0] ? "-M"
                              : !dims[1] ? "-N" : "-K", NULL, "gemm");
    mp_report_fmt fmt = MP_FMT_TABLE;
    if (mp_cli_report_fmt(fmt_spec, &fmt, &d)) {
        mp_diag_print(&d, stderr);
        return 2;
    }
    mp_trace_op op;
    memset(&op, 0, sizeof op);
    snprintf(op.name, sizeof op.name, "gemm");
    op.kind = MP_OP_GEMM_WEIGHT;
    op.repeat = 1;
    int64_t shape[3];
    static const char *const dn[3] = {"-M", "-N", "-K"};
    for (int i = 0; i < 3; i++)
        if (mp_cli_i64(dims[i], dn[i], 1, (int64_t)1 << 40, &shape[i], &d))
            goto fail_noarch;
    op.m = shape[0], op.n = shape[1], op.k = shape[2];

    mp_arch a;
    if (mp_arch_open(arch_spec, "--arch", &a, &d))
        goto fail_noarch;
    op.wfmt = a.pe_params.wfmt;
    op.act = a.pe_params.act;
    op.group_size = a.pe_params.group_size;
    op.has_zeros = a.pe_params.has_zeros;
    if (wspec) {
        int64_t bits;
        mp_diag ignore;
        if (mp_cli_i64(wspec, "--wbits", 1, 8, &bits, &ignore) == 0) {
            op.wfmt.kind = MP_W_SIGNED;
            op.wfmt.bits = (int)bits;
        } else if (mp_wfmt_parse(wspec, &op.wfmt)) {
            mp_fail(&d, MP_CMDLINE, 0, "--wbits", "weights must be 1..8 bits "
                    "or a format (int4, uint4, ternary), got '%s'", wspec);
            goto fail;
        }
    }
    if (act_spec && mp_act_parse(act_spec, &op.act)) {
        mp_fail(&d, MP_CMDLINE, 0, "--act", "unknown activation format '%s'",
                act_spec);
        goto fail;
    }
    if (group_spec) {
        int64_t g;
        if (mp_cli_i64(group_spec, "--group", 0, 1 << 30, &g, &d))
            goto fail;
        /* per channel: the group is all of K; a K no int holds stays 0
         * (per-channel) so the simulator names the accumulator overflow */
        op.group_size = g != 0 ? (int)g : op.k <= INT_MAX ? (int)op.k : 0;
    }
    if (zeros >= 0)
        op.has_zeros = zeros;

    if (mp_out_check_inputs(out_path, "-o", &arch_spec, 1, &d))
        goto fail;
    /* --wbits/--weights/--act build the arch at that precision, as its
     * file written so would (family defaults re-resolved, docs/model.md) */
    if (mp_arch_set_precision(&a, op.wfmt, op.act, op.name, &d))
        goto fail;
    mp_trace t;
    mp_trace_init(&t);
    snprintf(t.model, sizeof t.model, "gemm");
    snprintf(t.phase, sizeof t.phase, "gemm");
    if (mp_trace_add(&t, &op, &d)) {
        mp_trace_free(&t);
        goto fail;
    }
    mp_run r;
    int rc = mp_simulate_trace(&a, &t, &r, &d);
    mp_trace_free(&t);
    if (rc)
        goto fail;
    char wname[96];
    snprintf(wname, sizeof wname, "gemm M=%lld N=%lld K=%lld",
             (long long)op.m, (long long)op.n, (long long)op.k);
    rc = mp_report_save(out_path, fmt, &a, wname, &r, &d);
    mp_run_free(&r);
    mp_arch_free(&a);
    if (rc) {
        mp_diag_print(&d, stderr);
        return 1;
    }
    return 0;
fail:
    mp_arch_free(&a);
fail_noarch:
    mp_diag_print(&d, stderr);
    return 1;
}
