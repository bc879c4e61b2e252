/*
 * cmd_trace.c - `mpsim trace`: write the GEMM trace of an LLM phase.
 *
 * The options are the shared trace option set of workloads/trace_build.h
 * (the same ones `mpsim run` accepts); this command only adds -o.  With -o
 * the trace goes to the file (whole or not at all) and a short summary to
 * stdout; without it the trace YAML goes to stdout.  --topology converts a
 * SCALE-Sim topology CSV instead.
 */
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli_util.h"
#include "golden/outfile.h"
#include "sim/cli/commands.h"
#include "workloads/scalesim_topo.h"
#include "workloads/trace_build.h"

enum { OPT_TOPOLOGY = 256 };

static const mp_option trace_own[] = {
    {"topology", OPT_TOPOLOGY, "FILE", "instead: convert a SCALE-Sim v2 topology"},
    {"output", 'o', "FILE", "write the trace here (default: stdout)"},
    {NULL, 0, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mpsim trace --model NAME|FILE --phase PHASE --seq N "
            "--quant SCHEME [options] [-o trace.yaml]\n\n"
            "Build the GEMM + vector-op trace of an LLM run (docs/workloads.md).\n\n");
    mp_options_help(out, mp_trace_options, 24);
    mp_options_help(out, trace_own, 24);
    mp_options_help(out, mp_cli_help_options, 24);
}

int cmd_trace(int argc, char **argv)
{
    static const mp_option *const groups[] = {
        mp_trace_options, trace_own, mp_cli_help_options, NULL};
    mp_cli_parser p;
    const mp_option *o;
    mp_trace_opts opts;
    mp_trace_opts_init(&opts);
    const char *output = NULL, *topology = NULL;
    mp_diag d = {{0}};
    int c;
    mp_cli_parser_init(&p, groups);
    while ((c = mp_cli_next(&p, argc, argv, &o)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return 0;
        case 'o':
            output = optarg;
            break;
        case OPT_TOPOLOGY:
            topology = optarg;
            break;
        case MP_TRACE_OPTION:
            if (mp_trace_opts_set(&opts, o->name, optarg, &d) < 0) {
                mp_diag_print(&d, stderr);
                return 2;
            }
            break;
        default:
            return mp_cli_bad_option(c, "trace", argv);
        }
    }
    if (mp_cli_no_extra_args(argc, argv, optind))
        return 2;
    mp_trace t;
    int rc;
    if (topology && mp_trace_opts_any(&opts)) {
        fprintf(stderr, "mpsim: %s: --topology: cannot be combined with the "
                "model options\n", MP_CMDLINE);
        return 2;
    }
    const char *const inputs[] = {topology, opts.model, opts.quant};
    if (mp_out_check_inputs(output, "-o", inputs, 3, &d)) {
        mp_diag_print(&d, stderr);
        return 2;
    }
    if (topology)
        rc = mp_scalesim_topo_read(topology, &t, &d);
    else
        rc = mp_trace_opts_build(&opts, &t, &d);
    if (rc != 0) {
        mp_diag_print(&d, stderr);
        return rc == -2 ? 2 : 1;
    }
    rc = mp_trace_save(&t, output ? output : "-", &d);
    if (rc == 0 && output)
        mp_trace_print_summary(&t, stdout);
    mp_trace_free(&t);
    if (rc != 0) {
        mp_diag_print(&d, stderr);
        return 1;
    }
    return 0;
}
