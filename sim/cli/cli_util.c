/* cli_util.c - see cli_util.h. */
#include "sim/cli/cli_util.h"

#include <assert.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden/decimal.h"
#include "rtl_gen/rtl.h"
#include "workloads/trace_build.h"

int mp_cli_i64(const char *text, const char *field, int64_t lo, int64_t hi,
               int64_t *out, mp_diag *d)
{
    int64_t v = 0;
    int rc = mp_parse_i64(text, lo, hi, &v);
    if (rc == MP_NUM_SYNTAX)
        return mp_fail(d, MP_CMDLINE, 0, field, "not an integer: '%s'", text);
    if (rc == MP_NUM_RANGE)
        return mp_fail(d, MP_CMDLINE, 0, field, "must be in %lld..%lld, got "
                       "%lld", (long long)lo, (long long)hi, (long long)v);
    *out = v;
    return 0;
}

int mp_cli_double(const char *text, const char *field, double lo, double hi,
                  double *out, mp_diag *d)
{
    double v = 0;
    int rc = mp_parse_real(text, lo, hi, &v);
    if (rc == MP_NUM_SYNTAX)
        return mp_fail(d, MP_CMDLINE, 0, field, "not a number: '%s'", text);
    if (rc == MP_NUM_RANGE)
        return mp_fail(d, MP_CMDLINE, 0, field, "must be in [%g, %g], got %g",
                       lo, hi, v);
    *out = v;
    return 0;
}

int mp_cli_load_bits(const char *text, int *out, mp_diag *d)
{
    int64_t v = 0;
    if (mp_cli_i64(text, "--load-bits", MP_RTL_LOAD_BITS,
                   MP_RTL_LOAD_BITS_MAX, &v, d))
        return -1;
    if (v % 32)
        return mp_fail(d, MP_CMDLINE, 0, "--load-bits", "must be a multiple "
                       "of 32, got %lld", (long long)v);
    *out = (int)v;
    return 0;
}

/* Co-simulation and synthesis build the RTL with Verilator and Yosys:
 * arrays up to 4096 x 4096 (mpsim rtl alone takes the arch's 65536). */
int mp_cli_gen_option(int opt, const char *arg, mp_cosim_gen *g, mp_diag *d)
{
    switch (opt) {
    case MP_CLI_GEN_ARCH: g->arch = arg; return 0;
    case MP_CLI_GEN_ACT: g->act = arg; return 0;
    case MP_CLI_GEN_WEIGHT: g->weight = arg; return 0;
    case MP_CLI_GEN_ROWS:
        return mp_cli_i64(arg, "--rows", 1, 4096, &g->rows, d);
    case MP_CLI_GEN_COLS:
        return mp_cli_i64(arg, "--cols", 1, 4096, &g->cols, d);
    case MP_CLI_GEN_KMAX:
        return mp_cli_i64(arg, "--k-max", 1, 65535, &g->k_max, d);
    case MP_CLI_GEN_GROUP:
        return mp_cli_i64(arg, "--group", 0, 65535, &g->group, d);
    case MP_CLI_GEN_LOAD_BITS: return mp_cli_load_bits(arg, &g->load_bits, d);
    default: return 1;
    }
}

int mp_cli_gen_not_with_rtl(const char *rtl, const mp_cosim_gen *g)
{
    if (!rtl || !g->load_bits)
        return 0;
    fprintf(stderr, "mpsim: %s: --load-bits: only when generating (--rtl "
            "DIR's params.json has its own)\n", MP_CMDLINE);
    return 2;
}

int mp_cli_bad_option(int opt, const char *command, char *const argv[])
{
    const char *what = opt == ':' ? "option needs a value" : "unknown option";
    if (command)
        fprintf(stderr, "mpsim: %s: %s: %s (see mpsim %s --help)\n",
                MP_CMDLINE, argv[optind - 1], what, command);
    else
        fprintf(stderr, "mpsim: %s: %s: %s\n", MP_CMDLINE, argv[optind - 1],
                what);
    return 2;
}

int mp_cli_no_extra_args(int argc, char *const argv[], int first)
{
    if (first >= argc)
        return 0;
    fprintf(stderr, "mpsim: %s: %s: unexpected argument\n", MP_CMDLINE,
            argv[first]);
    return 2;
}

int mp_cli_missing(const char *field, const char *alternative,
                   const char *command)
{
    fprintf(stderr, "mpsim: %s: %s: required (%s%ssee mpsim %s --help)\n",
            MP_CMDLINE, field, alternative ? alternative : "",
            alternative ? "; " : "", command);
    return 2;
}

int mp_cli_report_fmt(const char *spec, mp_report_fmt *fmt, mp_diag *d)
{
    if (spec && mp_report_fmt_parse(spec, fmt))
        return mp_fail(d, MP_CMDLINE, 0, "--format", "unknown format '%s' "
                       "(table|csv|json|scalesim)", spec);
    return 0;
}

int mp_cli_table_or_json(const char *spec)
{
    if (!spec || !strcmp(spec, "table") || !strcmp(spec, "json"))
        return 0;
    fprintf(stderr, "mpsim: %s: --format: unknown format '%s' (table|json)\n",
            MP_CMDLINE, spec);
    return 2;
}

int mp_cli_help_only(int argc, char **argv, const char *command,
                     void (*usage)(FILE *out))
{
    static const struct option longopts[] = {{"help", no_argument, 0, 'h'},
                                             {0, 0, 0, 0}};
    optind = 0;
    opterr = 0;
    int c = getopt_long(argc, argv, "h", longopts, NULL);
    if (c == -1)
        return -1;
    if (c == 'h') {
        usage(stdout);
        return 0;
    }
    return mp_cli_bad_option(c, command, argv);
}

void mp_cli_with_trace_options(struct option *out, size_t cap,
                               const struct option *own, int trace_id)
{
    size_t n = 0;
    for (; own[n].name; n++) {
        assert(n + 1 < cap);
        out[n] = own[n];
    }
    for (size_t i = 0; mp_trace_opt_names[i]; i++, n++) {
        assert(n + 1 < cap);
        out[n] = (struct option){mp_trace_opt_names[i], required_argument,
                                 NULL, trace_id};
    }
    out[n] = (struct option){NULL, 0, NULL, 0};
}
