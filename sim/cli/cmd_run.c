/*
 * cmd_run.c - `mpsim run`: simulate an architecture on a workload (trace
 * file, SCALE-Sim topology, or a model + scenario built on the fly).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "golden/outfile.h"
#include "golden/strutil.h"
#include "sim/arch.h"
#include "sim/cli/cli_util.h"
#include "sim/cli/commands.h"
#include "sim/report.h"
#include "sim/synth/timing.h"
#include "sim/simulate.h"
#include "sim/workload_src.h"

enum { OPT_ARCH = 256, OPT_WORKLOAD, OPT_FORMAT, OPT_SWEEP };

static const mp_option run_own[] = {
    {"arch", OPT_ARCH, "A", "preset (mpsim list), architecture YAML or .cfg"},
    {"workload", OPT_WORKLOAD, "W", "trace YAML (mpsim trace), topology CSV, "
     "or model"},
    {"format", OPT_FORMAT, "F", "table (default), csv, json, scalesim"},
    {"output", 'o', "FILE", "write the report to FILE (whole or not at all)"},
    {"sweep", OPT_SWEEP, "FILE", "the same as mpsim sweep FILE (its options "
     "follow)"},
    {NULL, 0, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out,
        "usage: mpsim run --arch NAME|FILE.yaml|scale.cfg\n"
        "                 (--workload NAME|FILE.yaml|topo.csv | --model NAME|config.json)\n"
        "                 [trace options] [--format table|csv|json|scalesim] [-o FILE]\n"
        "       mpsim run --sweep SWEEP.yaml ...   (= mpsim sweep SWEEP.yaml ...)\n\n"
        "Simulate the workload on the array: per layer cycles, bound\n"
        "(compute/memory), DRAM/SRAM traffic and energy breakdown; totals:\n"
        "latency, energy, area or FPGA resources, TOPS, TOPS/W, tokens/s,\n"
        "tokens/J.  A SCALE-Sim .cfg with a topology CSV reports SCALE-Sim's\n"
        "COMPUTE_REPORT columns by default (--format scalesim).\n\n");
    mp_options_help(out, run_own, MP_CLI_HELP_COL);
    mp_options_help(out, mp_cli_help_options, MP_CLI_HELP_COL);
    fprintf(out, "trace options (as for mpsim trace; a model name as "
            "--workload works too):\n");
    mp_options_help(out, mp_trace_options, 24);
}

/* Gate-level timing of the arch's PE family at its node (sim/synth/timing.h):
 * into the JSON report, and a warning when the clock is out of reach. */
static int check_clock(const mp_arch *a, mp_run *r, mp_diag *d)
{
    mp_timing_verdict v;
    if (mp_timing_arch(a, &v, d))
        return -1;
    r->timing_checked = 1;
    r->timing_known = v.known;
    r->timing_ok = v.ok;
    r->fmax_hz = v.fmax_hz;
    if (v.known && !v.ok)
        fprintf(stderr, "mpsim: warning: %s: clock %.4g MHz exceeds the "
                "%.4g MHz the %s design reaches at %g nm (%s entry %s at "
                "180 nm: PE %.3g ns, slowest other module %.3g ns; "
                "docs/validation.md)\n",
                a->name, a->clock_hz / 1e6, v.fmax_hz / 1e6, a->pe->name,
                a->tech.node_nm, MP_TIMING_TECH, v.entry, v.pe_ns, v.edge_ns);
    return 0;
}

static int run_once(const char *arch_spec, const mp_workload_opts *wo,
                    const char *fmt_spec, const char *out_path, mp_diag *d)
{
    mp_report_fmt fmt = mp_ends_with_nocase(arch_spec, ".cfg") ? MP_FMT_SCALESIM
                                                     : MP_FMT_TABLE;
    if (mp_cli_report_fmt(fmt_spec, &fmt, d))
        return -2; /* bad usage, as in every command */
    const char *const inputs[] = {arch_spec, wo->workload, wo->trace.model,
                                  wo->trace.quant};
    if (mp_out_check_inputs(out_path, "-o", inputs, 4, d))
        return -2;
    mp_arch a;
    if (mp_arch_open(arch_spec, "--arch", &a, d))
        return -1;
    mp_trace t;
    char label[256];
    int wrc = mp_workload_open(wo, &t, label, sizeof label, d);
    if (wrc) {
        mp_trace_free(&t);
        mp_arch_free(&a);
        return wrc;
    }
    mp_run r;
    int rc = mp_simulate_trace(&a, &t, &r, d);
    mp_trace_free(&t);
    if (rc == 0 && (rc = check_clock(&a, &r, d)))
        mp_run_free(&r);
    if (rc == 0) {
        rc = mp_report_save(out_path, fmt, &a, label, &r, d);
        mp_run_free(&r);
    }
    mp_arch_free(&a);
    return rc;
}

int cmd_run(int argc, char **argv)
{
    static const mp_option *const groups[] = {
        run_own, mp_cli_help_options, mp_trace_options, NULL};
    for (int i = 1; i < argc; i++) /* the old spelling of mpsim sweep */
        if (!strcmp(argv[i], "--sweep") || !strncmp(argv[i], "--sweep=", 8))
            return mp_sweep_main(argc, argv, "run");
    const char *arch_spec = NULL, *out_path = "-", *fmt_spec = NULL;
    mp_workload_opts wo;
    mp_workload_opts_init(&wo);
    mp_diag d;
    memset(&d, 0, sizeof d);
    mp_cli_parser p;
    const mp_option *o;
    int c;
    mp_cli_parser_init(&p, groups);
    while ((c = mp_cli_next(&p, argc, argv, &o)) != -1) {
        switch (c) {
        case OPT_ARCH: arch_spec = optarg; break;
        case OPT_WORKLOAD: wo.workload = optarg; break;
        case MP_TRACE_OPTION:
            if (mp_trace_opts_set(&wo.trace, o->name, optarg, &d) < 0) {
                mp_diag_print(&d, stderr);
                return 1;
            }
            break;
        case OPT_FORMAT: fmt_spec = optarg; break;
        case 'o': out_path = optarg; break;
        case 'h': usage(stdout); return 0;
        default: return mp_cli_bad_option(c, "run", argv);
        }
    }
    if (mp_cli_no_extra_args(argc, argv, optind))
        return 2;
    if (!arch_spec)
        return mp_cli_missing("--arch", NULL, "run");
    if (!wo.workload && !(wo.trace.given & MP_TOPT_MODEL))
        return mp_cli_missing("--workload", "or --model", "run");
    int rc = run_once(arch_spec, &wo, fmt_spec, out_path, &d);
    if (rc) {
        mp_diag_print(&d, stderr);
        return rc == -2 ? 2 : 1;
    }
    return 0;
}
