/*
 * cmd_demo.c - `mpsim demo`: LLaMA-2-7B prefill and decode on the MixPE,
 * LUT Tensor Core and FPGA DSP-chain presets, side by side.
 *
 * Every number comes from the same path as `mpsim run` (trace builder ->
 * simulate -> totals); nothing here is a stored result.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "sim/arch.h"
#include "sim/cli/cli_util.h"
#include "sim/cli/commands.h"
#include "sim/simulate.h"
#include "sim/workload_src.h"

static const char *const demo_archs[] = {"mixpe-w4a8", "lut-tc",
                                         "flightllm-u280"};
#define N_ARCHS (sizeof demo_archs / sizeof demo_archs[0])

typedef struct demo_phase {
    const char *phase;
    const char *seq;
} demo_phase;

static const demo_phase phases[] = {{"prefill", "512"}, {"decode", "512"}};
#define N_PHASES (sizeof phases / sizeof phases[0])

static const char *const quant = "w4a8g128,kv8";
static const char *const model = "llama2-7b";

static void usage(FILE *out)
{
    fprintf(out, "usage: mpsim demo\n\n"
                 "Simulate LLaMA-2-7B (%s, batch 1) prefill of 512 tokens and\n"
                 "one decode step at KV length 512 on the presets mixpe-w4a8,\n"
                 "lut-tc and flightllm-u280; print latency, tokens/s, energy,\n"
                 "tokens/J, area or FPGA resources and the dominant bound.\n\n",
            quant);
    mp_options_help(out, mp_cli_help_options, MP_CLI_HELP_COL);
}

/* "memory" when memory-bound GEMM layers take most of the GEMM time. */
static const char *dominant_bound(const mp_run *r)
{
    double mem = 0, all = 0;
    for (size_t i = 0; i < r->count; i++) {
        const mp_layer *L = &r->layers[i];
        if (L->kind == MP_OP_VECTOR)
            continue;
        double s = L->seconds * (double)L->repeat;
        all += s;
        if (L->memory_bound)
            mem += s;
    }
    return mem > 0.5 * all ? "memory" : "compute";
}

static int build(const demo_phase *ph, mp_trace *t, mp_diag *d)
{
    mp_workload_opts wo;
    mp_workload_opts_init(&wo);
    char label[256];
    if (mp_trace_opts_set(&wo.trace, "model", model, d) < 0 ||
        mp_trace_opts_set(&wo.trace, "phase", ph->phase, d) < 0 ||
        mp_trace_opts_set(&wo.trace, "seq", ph->seq, d) < 0 ||
        mp_trace_opts_set(&wo.trace, "batch", "1", d) < 0 ||
        mp_trace_opts_set(&wo.trace, "quant", quant, d) < 0)
        return -1;
    return mp_workload_open(&wo, t, label, sizeof label, d) ? -1 : 0;
}

static void print_row(const char *phase, const mp_arch *a, const mp_run *r)
{
    char hw[64];
    if (r->is_fpga)
        snprintf(hw, sizeof hw, "%.0f DSP %.0fk LUT", r->dsp, r->lut / 1e3);
    else
        snprintf(hw, sizeof hw, "%.3f mm^2", r->area_mm2);
    /* Utilization shows why a "compute"-bound row can still be slow: an
     * output-stationary array with M on its rows runs batch-1 decode on one
     * row (docs/model.md, "Array timing").  One definition: against the
     * peak of the precision each layer runs (mp_run.util); the nominal
     * peak, at the arch's default precision, is printed beside it. */
    double util = 100.0 * r->util;
    printf("%-8s %-15s %12.4f %12.2f %12.4f %12.2f %-20s %-8s %6.1f %10.0f\n",
           phase, a->name, r->latency_s * 1e3, r->tokens_per_s,
           r->e.total * 1e-9, r->tokens_per_j, hw, dominant_bound(r), util,
           r->peak_macs_per_cycle);
}

int cmd_demo(int argc, char **argv)
{
    int status = mp_cli_help_only(argc, argv, "demo", usage);
    if (status >= 0)
        return status;
    if (mp_cli_no_extra_args(argc, argv, optind))
        return 2;
    mp_diag d;
    memset(&d, 0, sizeof d);
    mp_arch archs[N_ARCHS];
    size_t opened = 0;
    mp_trace traces[N_PHASES];
    size_t built = 0;
    int rc = 1;
    for (; opened < N_ARCHS; opened++)
        if (mp_arch_open(demo_archs[opened], "--arch", &archs[opened], &d))
            goto out;
    for (; built < N_PHASES; built++)
        if (build(&phases[built], &traces[built], &d)) {
            mp_trace_free(&traces[built]);
            goto out;
        }
    printf("LLaMA-2-7B, %s, batch 1: prefill of %s tokens (tokens/s counts\n"
           "prompt tokens) and one decode step at KV length %s.\n\n",
           quant, phases[0].seq, phases[1].seq);
    printf("%-8s %-15s %12s %12s %12s %12s %-20s %-8s %6s %10s\n", "phase",
           "arch", "latency ms", "tokens/s", "energy mJ", "tokens/J",
           "area/resources", "bound", "util%", "nom. peak");
    for (size_t p = 0; p < N_PHASES; p++)
        for (size_t i = 0; i < N_ARCHS; i++) {
            mp_run r;
            if (mp_simulate_trace(&archs[i], &traces[p], &r, &d))
                goto out;
            print_row(phases[p].phase, &archs[i], &r);
            mp_run_free(&r);
        }
    printf("\nPresets: mpsim list; equations and constants: docs/model.md.\n");
    rc = 0;
out:
    if (rc)
        mp_diag_print(&d, stderr);
    for (size_t i = 0; i < built; i++)
        mp_trace_free(&traces[i]);
    for (size_t i = 0; i < opened; i++)
        mp_arch_free(&archs[i]);
    return rc;
}
