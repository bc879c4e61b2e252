/*
 * main.c - the mpsim command-line entry point: dispatch to a subcommand.
 */
#include <stdio.h>
#include <string.h>

#include "sim/cli/commands.h"

static const mp_command commands[] = {
    {"list", "list built-in architectures, PE families, models, techs", cmd_list},
    {"golden", "compute a mixed-precision GEMM bit-exactly from .npy files", cmd_golden},
    {"quantize", "quantize float weights (.npy) into low-bit codes and scales", cmd_quantize},
    {"trace", "build the GEMM trace of an LLM phase (prefill/decode/request)", cmd_trace},
    {"run", "simulate an architecture on a workload; report cycles/energy/area", cmd_run},
    {"sweep", "run a design-space sweep (any arch/workload field) into a CSV", cmd_sweep},
    {"report", "Pareto fronts, budgets, tables and figures from a sweep CSV", cmd_report},
    {"gemm", "simulate one GEMM on an architecture", cmd_gemm},
    {"demo", "LLaMA-2-7B prefill and decode on the MixPE, LUT TC, DSP presets", cmd_demo},
    {"rtl", "generate synthesizable Verilog for an architecture", cmd_rtl},
    {"cosim", "co-simulate generated RTL in Verilator against the golden", cmd_cosim},
    {"synth", "synthesize generated RTL with Yosys; report area vs model", cmd_synth},
};
#define N_COMMANDS (sizeof commands / sizeof commands[0])

static void usage(FILE *out)
{
    fprintf(out, "usage: mpsim COMMAND [OPTIONS]   (mpsim COMMAND --help)\n\n"
                 "commands:\n");
    for (size_t i = 0; i < N_COMMANDS; i++)
        fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *name = argv[1];
    if (!strcmp(name, "help") || !strcmp(name, "--help") || !strcmp(name, "-h")) {
        if (argc >= 3) {
            for (size_t i = 0; i < N_COMMANDS; i++)
                if (!strcmp(argv[2], commands[i].name)) {
                    char help[] = "--help";
                    char *sub_argv[] = {argv[2], help, NULL};
                    return commands[i].run(2, sub_argv);
                }
        }
        usage(stdout);
        return 0;
    }
    for (size_t i = 0; i < N_COMMANDS; i++)
        if (!strcmp(name, commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    fprintf(stderr, "mpsim: %s: command: unknown command '%s' (see mpsim help)\n",
            "<command line>", name);
    return 2;
}
