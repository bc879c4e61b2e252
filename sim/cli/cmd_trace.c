/*
 * cmd_trace.c - `mpsim trace`: write the GEMM trace of an LLM phase.
 *
 * The options are the shared trace option set of workloads/trace_build.h
 * (the same ones `mpsim run` accepts); this command only adds -o.  With -o
 * the trace goes to the file (whole or not at all) and a short summary to
 * stdout; without it the trace YAML goes to stdout.  --topology converts a
 * SCALE-Sim topology CSV instead.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "sim/cli/cli_util.h"
#include "golden/outfile.h"
#include "sim/cli/commands.h"
#include "workloads/scalesim_topo.h"
#include "workloads/trace_build.h"

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mpsim trace --model NAME|FILE --phase PHASE --seq N "
            "--quant SCHEME [options] [-o trace.yaml]\n\n"
            "Build the GEMM + vector-op trace of an LLM run (docs/workloads.md).\n\n"
            "%s"
            "  --topology FILE.csv   instead: convert a SCALE-Sim v2 topology\n"
            "  -o, --output FILE     write the trace here (default: stdout)\n"
            "  -h, --help            this text\n",
            mp_trace_opts_help);
}

int cmd_trace(int argc, char **argv)
{
    enum { OPT_TRACE = 1000 };
    static const struct option own[] = {
        {"output", required_argument, NULL, 'o'},
        {"topology", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    struct option longopts[MP_CLI_MAX_OPTIONS];
    mp_cli_with_trace_options(longopts, MP_CLI_MAX_OPTIONS, own, OPT_TRACE);
    mp_trace_opts opts;
    mp_trace_opts_init(&opts);
    const char *output = NULL, *topology = NULL;
    mp_diag d = {{0}};
    int c, li = 0;
    optind = 0;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "o:h", longopts, &li)) != -1) {
        switch (c) {
        case 'h':
            usage(stdout);
            return 0;
        case 'o':
            output = optarg;
            break;
        case 't':
            topology = optarg;
            break;
        case '?':
            fprintf(stderr, "mpsim: %s: %s: unknown option or missing value "
                    "(see mpsim trace --help)\n", MP_CMDLINE,
                    argv[optind - 1]);
            return 2;
        default: /* OPT_TRACE */
            if (mp_trace_opts_set(&opts, longopts[li].name, optarg, &d) < 0) {
                mp_diag_print(&d, stderr);
                return 2;
            }
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
