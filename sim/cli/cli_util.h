/*
 * cli_util.h - small helpers shared by the simulator's commands: strict
 * number parsing of option values with "<command line>" diagnostics, and
 * the usage-error lines every getopt_long loop prints.
 */
#ifndef MP_CLI_UTIL_H
#define MP_CLI_UTIL_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include "golden/diag.h"
#include "sim/cosim/cosim.h"
#include "sim/report.h"

/* Whole-string integer in [lo, hi]; else -1 with d naming `field`. */
int mp_cli_i64(const char *text, const char *field, int64_t lo, int64_t hi,
               int64_t *out, mp_diag *d);
/* Whole-string finite double in [lo, hi]. */
int mp_cli_double(const char *text, const char *field, double lo, double hi,
                  double *out, mp_diag *d);

/* --load-bits of the generated load port: a multiple of 32 in
 * 32..MP_RTL_LOAD_BITS_MAX (rtl_gen/rtl.h), else -1 with d naming it. */
int mp_cli_load_bits(const char *text, int *out, mp_diag *d);

/* The design options `mpsim cosim` and `mpsim synth` share (what to
 * generate, an mp_cosim_gen): put MP_CLI_GEN_OPTIONS in the getopt_long
 * table and hand each result to mp_cli_gen_option() first.  It returns 1
 * for an option that is not one of these, 0 when parsed, -1 with d naming
 * the option for a bad value. */
enum { MP_CLI_GEN_ARCH = 0x1000, MP_CLI_GEN_ROWS, MP_CLI_GEN_COLS,
       MP_CLI_GEN_KMAX, MP_CLI_GEN_GROUP, MP_CLI_GEN_ACT, MP_CLI_GEN_WEIGHT,
       MP_CLI_GEN_LOAD_BITS };
#define MP_CLI_GEN_OPTIONS                                      \
    {"arch", required_argument, 0, MP_CLI_GEN_ARCH},            \
    {"rows", required_argument, 0, MP_CLI_GEN_ROWS},            \
    {"cols", required_argument, 0, MP_CLI_GEN_COLS},            \
    {"k-max", required_argument, 0, MP_CLI_GEN_KMAX},           \
    {"group", required_argument, 0, MP_CLI_GEN_GROUP},          \
    {"act", required_argument, 0, MP_CLI_GEN_ACT},              \
    {"weight", required_argument, 0, MP_CLI_GEN_WEIGHT},        \
    {"load-bits", required_argument, 0, MP_CLI_GEN_LOAD_BITS}
int mp_cli_gen_option(int opt, const char *arg, mp_cosim_gen *g, mp_diag *d);
/* --load-bits only when generating: with --rtl DIR (whose params.json has
 * its own width) prints the usage error and returns 2; else 0. */
int mp_cli_gen_not_with_rtl(const char *rtl, const mp_cosim_gen *g);

/* A command's getopt_long table: its own options (`own`, ended by a zero
 * entry) followed by every trace option of mp_trace_opt_names (the one list
 * of them, workloads/trace_build.h), each returning `trace_id`, and the
 * ending zero entry, written to out[0..cap).  A command that takes trace
 * options hands longopts[index].name to mp_trace_opts_set, so an option in
 * the list is accepted by every command that prints mp_trace_opts_help. */
#define MP_CLI_MAX_OPTIONS 48
void mp_cli_with_trace_options(struct option *out, size_t cap,
                               const struct option *own, int trace_id);

/* The usage error for getopt_long's ':' (an option missing its value) or
 * any other unrecognised result ("unknown option"), naming argv[optind - 1].
 * `command` adds "(see mpsim COMMAND --help)"; NULL leaves the hint out.
 * Prints one line on stderr and returns 2, the usage-error exit status. */
int mp_cli_bad_option(int opt, const char *command, char *const argv[]);
/* Option parsing of a command whose only option is -h/--help: prints
 * usage(stdout) and returns 0 for it, returns 2 after mp_cli_bad_option for
 * anything else, and -1 when the command goes on (operands from optind). */
int mp_cli_help_only(int argc, char **argv, const char *command,
                     void (*usage)(FILE *out));
/* 0 when argv[first..argc) is empty; else prints "ARG: unexpected argument"
 * for argv[first] and returns 2. */
int mp_cli_no_extra_args(int argc, char *const argv[], int first);
/* "FIELD: required (see mpsim COMMAND --help)" on stderr, or with an
 * `alternative` ("or --model") "(ALTERNATIVE; see ...)"; returns 2. */
int mp_cli_missing(const char *field, const char *alternative,
                   const char *command);
/* --format for the simulation report: NULL keeps *fmt, else the named format
 * or -1 with d naming --format. */
int mp_cli_report_fmt(const char *spec, mp_report_fmt *fmt, mp_diag *d);
/* --format for commands with only a table and a JSON report: 0 when spec is
 * NULL, "table" or "json", else prints the usage error and returns 2. */
int mp_cli_table_or_json(const char *spec);

#endif
