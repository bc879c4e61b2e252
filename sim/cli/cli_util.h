/*
 * cli_util.h - small helpers shared by the simulator's commands: the
 * option parser driven by option tables (golden/options.h: the same table
 * prints the option lines of --help), strict number parsing of option
 * values with "<command line>" diagnostics, and the usage-error lines.
 */
#ifndef MP_CLI_UTIL_H
#define MP_CLI_UTIL_H

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include "golden/diag.h"
#include "golden/options.h"
#include "sim/cosim/cosim.h"
#include "sim/report.h"

/* Whole-string integer in [lo, hi]; else -1 with d naming `field`. */
int mp_cli_i64(const char *text, const char *field, int64_t lo, int64_t hi,
               int64_t *out, mp_diag *d);
int mp_cli_int(const char *text, const char *field, int lo, int hi, int *out,
               mp_diag *d);
/* Whole-string finite double in [lo, hi]. */
int mp_cli_double(const char *text, const char *field, double lo, double hi,
                  double *out, mp_diag *d);

/* --load-bits of the generated load port: a multiple of 32 in
 * 32..MP_RTL_LOAD_BITS_MAX (rtl_gen/rtl.h), else -1 with d naming it. */
int mp_cli_load_bits(const char *text, int *out, mp_diag *d);

/* A command's option parser: its option groups (tables of
 * golden/options.h, a NULL-terminated list, the same ones its --help
 * prints) turned into getopt_long's tables.  mp_cli_parser_init starts at
 * argv[1] (optind reset; getopt prints nothing).  mp_cli_next returns the
 * next option's key with optarg its value and *opt its entry, ':' for an
 * option missing its value, '?' for an unknown one (an abbreviated long
 * name too: only the names --help lists are accepted), -1 at the end
 * (operands from optind). */
#define MP_CLI_MAX_OPTIONS 64
typedef struct mp_cli_parser {
    struct option longopts[MP_CLI_MAX_OPTIONS + 1];
    const mp_option *entry[MP_CLI_MAX_OPTIONS + 1]; /* of longopts[i] */
    const mp_option *const *groups;
    char shortopts[3 * MP_CLI_MAX_OPTIONS + 2];
} mp_cli_parser;
void mp_cli_parser_init(mp_cli_parser *p, const mp_option *const groups[]);
int mp_cli_next(mp_cli_parser *p, int argc, char **argv,
                const mp_option **opt);

/* -h, --help: in every command's groups. */
extern const mp_option mp_cli_help_options[];
/* Help column of the option groups every command shares. */
#define MP_CLI_HELP_COL 20

/* The design options of every command that generates RTL (mpsim rtl,
 * cosim, synth; what to generate, an mp_cosim_gen, built by
 * mp_cosim_gen_cfg()): put mp_cli_gen_options among the groups and hand
 * each option to mp_cli_gen_option() first, with the largest rows / cols
 * the command takes.  It returns 1 for an option that is not one of
 * these, 0 when parsed, -1 with d naming the option for a bad value. */
enum { MP_CLI_GEN_ARCH = 0x1000, MP_CLI_GEN_PE, MP_CLI_GEN_ROWS,
       MP_CLI_GEN_COLS, MP_CLI_GEN_KMAX, MP_CLI_GEN_GROUP, MP_CLI_GEN_ACT,
       MP_CLI_GEN_WEIGHT, MP_CLI_GEN_WBITS, MP_CLI_GEN_ACC,
       MP_CLI_GEN_ZEROS, MP_CLI_GEN_NO_SCALES, MP_CLI_GEN_NO_ACT_SCALE,
       MP_CLI_GEN_LOAD_BITS };
extern const mp_option mp_cli_gen_options[];
int mp_cli_gen_option(int opt, const char *arg, int dim_max, mp_cosim_gen *g,
                      mp_diag *d);
/* --load-bits only when generating: with --rtl DIR (whose params.json has
 * its own width) prints the usage error and returns 2; else 0. */
int mp_cli_gen_not_with_rtl(const char *rtl, const mp_cosim_gen *g);

/* The RTL directory a design command works on: `rtl` when given (gen
 * set to ""), else the design generated from g into CACHE/TAG-PID, whose
 * path gen gets (the caller mp_rmtree()s it).  NULL with d on failure
 * (nothing left behind). */
const char *mp_cli_design_dir(const char *rtl, const mp_cosim_gen *g,
                              const char *cache, const char *tag, char *gen,
                              size_t cap, mp_diag *d);

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
