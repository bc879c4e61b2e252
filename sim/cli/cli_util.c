/* cli_util.c - see cli_util.h. */
#include "sim/cli/cli_util.h"

#include <assert.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golden/decimal.h"
#include "rtl_gen/rtl.h"

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

int mp_cli_int(const char *text, const char *field, int lo, int hi, int *out,
               mp_diag *d)
{
    int64_t v = 0;
    if (mp_cli_i64(text, field, lo, hi, &v, d))
        return -1;
    *out = (int)v;
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

int mp_cli_gen_option(int opt, const char *arg, int dim_max, mp_cosim_gen *g,
                      mp_diag *d)
{
    switch (opt) {
    case MP_CLI_GEN_ARCH: g->arch = arg; return 0;
    case MP_CLI_GEN_PE: g->pe = arg; return 0;
    case MP_CLI_GEN_ACT: g->act = arg; return 0;
    case MP_CLI_GEN_WEIGHT: g->weight = arg; return 0;
    case MP_CLI_GEN_ACC: g->acc = arg; return 0;
    case MP_CLI_GEN_ZEROS: g->zeros = 1; return 0;
    case MP_CLI_GEN_NO_SCALES: g->no_scales = 1; return 0;
    case MP_CLI_GEN_NO_ACT_SCALE: g->no_act_scale = 1; return 0;
    case MP_CLI_GEN_WBITS: return mp_cli_int(arg, "--wbits", 1, 8, &g->wbits, d);
    case MP_CLI_GEN_ROWS:
        return mp_cli_i64(arg, "--rows", 1, dim_max, &g->rows, d);
    case MP_CLI_GEN_COLS:
        return mp_cli_i64(arg, "--cols", 1, dim_max, &g->cols, d);
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

const char *mp_cli_design_dir(const char *rtl, const mp_cosim_gen *g,
                              const char *cache, const char *tag, char *gen,
                              size_t cap, mp_diag *d)
{
    gen[0] = 0;
    if (rtl)
        return rtl;
    snprintf(gen, cap, "%s/%s-%d", cache, tag, (int)getpid());
    mp_rmtree(gen);
    if (mp_cosim_generate(g, gen, d)) {
        mp_rmtree(gen);
        gen[0] = 0;
        return NULL;
    }
    return gen;
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
    static const mp_option *const groups[] = {mp_cli_help_options, NULL};
    mp_cli_parser p;
    const mp_option *o;
    mp_cli_parser_init(&p, groups);
    int c = mp_cli_next(&p, argc, argv, &o);
    if (c == -1)
        return -1;
    if (c == 'h') {
        usage(stdout);
        return 0;
    }
    return mp_cli_bad_option(c, command, argv);
}

void mp_cli_parser_init(mp_cli_parser *p, const mp_option *const groups[])
{
    size_t n = 0, k = 0;
    p->groups = groups;
    p->shortopts[k++] = ':'; /* a missing value returns ':' */
    for (size_t g = 0; groups[g]; g++)
        for (const mp_option *o = groups[g]; o->name || o->key; o++) {
            if (mp_option_is_short(o->key)) {
                assert(k + 3 < sizeof p->shortopts);
                p->shortopts[k++] = (char)o->key;
                if (o->arg)
                    p->shortopts[k++] = ':';
            }
            if (!o->name)
                continue;
            assert(n < MP_CLI_MAX_OPTIONS);
            p->longopts[n] = (struct option){
                o->name, o->arg ? required_argument : no_argument, NULL,
                o->key};
            p->entry[n++] = o;
        }
    p->longopts[n] = (struct option){NULL, 0, NULL, 0};
    p->shortopts[k] = '\0';
    optind = 0;
    opterr = 0;
}

int mp_cli_next(mp_cli_parser *p, int argc, char **argv,
                const mp_option **opt)
{
    int li = -1;
    int key = getopt_long(argc, argv, p->shortopts, p->longopts, &li);
    *opt = NULL;
    if (key == -1 || key == ':' || key == '?')
        return key;
    if (li >= 0) {
        /* the whole name, not an abbreviation getopt_long would take:
         * what --help lists is exactly what is accepted */
        const char *name = p->entry[li]->name;
        size_t len = strlen(name);
        int apart = p->entry[li]->arg && optarg == argv[optind - 1];
        const char *word = argv[optind - 1 - apart];
        if (strncmp(word + 2, name, len) ||
            (word[2 + len] && word[2 + len] != '=')) {
            optind -= apart; /* argv[optind - 1] names the option */
            return '?';
        }
        *opt = p->entry[li];
        return key;
    }
    for (size_t g = 0; p->groups[g]; g++) /* a short option */
        for (const mp_option *o = p->groups[g]; o->name || o->key; o++)
            if (o->key == key) {
                *opt = o;
                return key;
            }
    return '?';
}

const mp_option mp_cli_help_options[] = {
    {"help", 'h', NULL, "this help"},
    {NULL, 0, NULL, NULL},
};

const mp_option mp_cli_gen_options[] = {
    {"arch", MP_CLI_GEN_ARCH, "A", "preset or YAML: PE family, precision, "
     "rows, cols (mpsim rtl\nwithout it: int8-mac, int4 x int8, 4 x 4)"},
    {"pe", MP_CLI_GEN_PE, "FAMILY", "a family with a generator (default: "
     "the arch's)"},
    {"weight", MP_CLI_GEN_WEIGHT, "W", "weight codes: int1..int8, "
     "uint1..uint8, ternary"},
    {"wbits", MP_CLI_GEN_WBITS, "B", "code width, keeping the signedness"},
    {"act", MP_CLI_GEN_ACT, "F", "activations: int8, fp16, ...  A new "
     "precision (--act,\n--weight, --wbits) puts the accumulator and "
     "table\nformat to their family defaults unless the arch's file\n"
     "sets them (docs/model.md)"},
    {"acc", MP_CLI_GEN_ACC, "ACC", "accumulator where the PE has a choice: "
     "int, fixed,\nfp16, fp32"},
    {"group", MP_CLI_GEN_GROUP, "G", "quantization group (default: the "
     "arch's, per channel\nwhen larger than k-max; 0 = per channel)"},
    {"zeros", MP_CLI_GEN_ZEROS, NULL, "asymmetric weights: per-group zero "
     "points"},
    {"no-scales", MP_CLI_GEN_NO_SCALES, NULL, "integer output: no weight "
     "scales"},
    {"no-act-scale", MP_CLI_GEN_NO_ACT_SCALE, NULL, "no per-token "
     "activation scale"},
    {"rows", MP_CLI_GEN_ROWS, "R", "array rows (= M of a tile), 1..65536 "
     "(cosim, synth:\n1..4096; default: the arch's); at most 1048576 PEs"},
    {"cols", MP_CLI_GEN_COLS, "C", "array columns (= N of a tile), as "
     "--rows"},
    {"k-max", MP_CLI_GEN_KMAX, "K", "deepest tile the buffers hold "
     "(default 256)"},
    {"load-bits", MP_CLI_GEN_LOAD_BITS, "B", "ld_data width, a multiple of "
     "32 up to 2048 (default 32;\ncosim --systemc: the smallest power of "
     "two that covers\nthe memory's bytes per cycle; docs/rtl.md)"},
    {NULL, 0, NULL, NULL},
};
