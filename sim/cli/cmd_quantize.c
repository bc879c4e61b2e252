/*
 * cmd_quantize.c - `mpsim quantize`: float weights (.npy) to low-bit codes.
 *
 *   mpsim quantize --w W.npy --wbits B [--signed|--unsigned|--ternary]
 *                  --group G [--asym] [--clip R]
 *                  --out-q Q.npy --out-scales S.npy [--out-zeros Z.npy]
 *
 * W is float32 or float64 [K][N] (float64 values are rounded to float32
 * first, as the quantizer works on float32 weights).  Writes codes as int8
 * (signed, ternary) or uint8 (unsigned) [K][N], scales as float32
 * [K/G][N], zero points as int32 [K/G][N].  All outputs appear or none:
 * each file is written atomically and a later failure removes the earlier
 * ones.  Usage errors exit 2, bad input 1, each with one stderr line.
 */
#include <errno.h>
#include <float.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden/diag.h"
#include "golden/formats.h"
#include "golden/npy.h"
#include "golden/outfile.h"
#include "golden/quantize.h"
#include "golden/decimal.h"
#include "sim/cli/cli_util.h"
#include "sim/cli/commands.h"

typedef struct quantize_opts {
    const char *w_path, *q_path, *scales_path, *zeros_path;
    int wbits;     /* 0: not given */
    int kind_set;  /* how many of --signed/--unsigned/--ternary */
    mp_wkind kind;
    int group_size; /* 0: not given */
    int asym;
    double clip;
} quantize_opts;

/* Exit codes of a failure: usage (2) or input (1). */
enum { EXIT_INPUT = 1, EXIT_USAGE = 2 };

enum {
    OPT_W = 256, OPT_WBITS, OPT_SIGNED, OPT_UNSIGNED, OPT_TERNARY, OPT_GROUP,
    OPT_ASYM, OPT_CLIP, OPT_OUT_Q, OPT_OUT_SCALES, OPT_OUT_ZEROS
};

static const mp_option quantize_own[] = {
    {"w", OPT_W, "PATH", "input weights, float32 or float64, 2-D [K][N]"},
    {"wbits", OPT_WBITS, "B", "code width 1..8 (ternary: 2, may be omitted)"},
    {"signed", OPT_SIGNED, NULL, "two's complement codes (default), "
     "symmetric"},
    {"unsigned", OPT_UNSIGNED, NULL, "codes 0..2^B-1 with zero points; needs "
     "--asym"},
    {"ternary", OPT_TERNARY, NULL, "codes {-1,0,+1}, BitNet b1.58 absmean "
     "scale"},
    {"group", OPT_GROUP, "G", "group size along K; must divide K (K = per "
     "channel)"},
    {"asym", OPT_ASYM, NULL, "asymmetric: per-group zero points"},
    {"clip", OPT_CLIP, "R", "shrink the range by R in (0, 1] (default 1)"},
    {"out-q", OPT_OUT_Q, "PATH", "codes: int8 (signed, ternary) or uint8 "
     "(unsigned), [K][N]"},
    {"out-scales", OPT_OUT_SCALES, "PATH", "float32 scales [K/G][N]"},
    {"out-zeros", OPT_OUT_ZEROS, "PATH", "int32 zero points [K/G][N] (needed "
     "with --asym)"},
    {NULL, 0, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out,
            "usage: mpsim quantize --w W.npy --wbits B "
            "[--signed|--unsigned|--ternary]\n"
            "                      --group G [--asym] [--clip R]\n"
            "                      --out-q Q.npy --out-scales S.npy "
            "[--out-zeros Z.npy]\n\n"
            "Quantize float weights W[K][N] (float32/float64 .npy) group-wise "
            "along K.\n\n");
    mp_options_help(out, quantize_own, MP_CLI_HELP_COL);
    mp_options_help(out, mp_cli_help_options, MP_CLI_HELP_COL);
    fprintf(out, "\nW[k][n] ~= scale[k/G][n] * (q[k][n] - zero[k/G][n]); see "
            "docs/numerics.md.\n");
}

static int usage_error(const char *field, const char *msg, const char *arg)
{
    mp_diag d;
    mp_fail(&d, MP_CMDLINE, 0, field, "%s%s%s%s", msg, arg ? " '" : "",
            arg ? arg : "", arg ? "'" : "");
    mp_diag_print(&d, stderr);
    return EXIT_USAGE;
}

/* Returns -1 to go on, else the exit status (0 for --help). */
static int parse_option(quantize_opts *o, int opt, const char *arg,
                        const char *word)
{
    switch (opt) {
    case OPT_W: o->w_path = arg; return -1;
    case OPT_OUT_Q: o->q_path = arg; return -1;
    case OPT_OUT_SCALES: o->scales_path = arg; return -1;
    case OPT_OUT_ZEROS: o->zeros_path = arg; return -1;
    case OPT_SIGNED: o->kind = MP_W_SIGNED; o->kind_set++; return -1;
    case OPT_UNSIGNED: o->kind = MP_W_UNSIGNED; o->kind_set++; return -1;
    case OPT_TERNARY: o->kind = MP_W_TERNARY; o->kind_set++; return -1;
    case OPT_ASYM: o->asym = 1; return -1;
    case OPT_WBITS:
        if (mp_parse_int(arg, INT_MIN, INT_MAX, &o->wbits) != 0)
            return usage_error("--wbits", "expected an integer, got", arg);
        if (o->wbits < 1 || o->wbits > 8) {
            mp_diag d;
            mp_fail(&d, MP_CMDLINE, 0, "--wbits", "bits must be 1..8, got %d",
                    o->wbits);
            mp_diag_print(&d, stderr);
            return EXIT_USAGE;
        }
        return -1;
    case OPT_GROUP:
        if (mp_parse_int(arg, INT_MIN, INT_MAX, &o->group_size) != 0 || o->group_size <= 0)
            return usage_error("--group", "expected a positive integer, got",
                               arg);
        return -1;
    case OPT_CLIP:
        if (mp_parse_real(arg, 0, 1, &o->clip) || o->clip == 0)
            return usage_error("--clip", "expected a ratio in (0, 1], got", arg);
        return -1;
    case 'h':
        usage(stdout);
        return 0;
    case ':':
        return usage_error(word, "missing argument", NULL);
    default:
        return usage_error(word, "unknown option", NULL);
    }
}

static int check_required(quantize_opts *o)
{
    if (!o->w_path)
        return usage_error("--w", "is required (see mpsim quantize --help)",
                           NULL);
    if (!o->q_path)
        return usage_error("--out-q", "is required", NULL);
    if (!o->scales_path)
        return usage_error("--out-scales", "is required", NULL);
    if (!o->group_size)
        return usage_error("--group", "is required", NULL);
    if (o->kind_set > 1)
        return usage_error("--signed/--unsigned/--ternary",
                           "give at most one", NULL);
    if (o->kind == MP_W_TERNARY) {
        if (o->wbits && o->wbits != 2)
            return usage_error("--wbits", "ternary weights take 2 bits", NULL);
        o->wbits = 2;
    } else if (!o->wbits) {
        return usage_error("--wbits", "is required", NULL);
    }
    if (o->asym && !o->zeros_path)
        return usage_error("--out-zeros", "is required with --asym", NULL);
    const char *outs[3] = {o->q_path, o->scales_path, o->zeros_path};
    for (int i = 0; i < 3; i++)
        for (int j = i + 1; j < 3; j++)
            if (outs[i] && outs[j] && strcmp(outs[i], outs[j]) == 0)
                return usage_error("--out-*", "two outputs share the path",
                                   outs[i]);
    return -1;
}

static int parse_args(int argc, char **argv, quantize_opts *o)
{
    memset(o, 0, sizeof *o);
    o->kind = MP_W_SIGNED;
    o->clip = 1.0;
    static const mp_option *const groups[] = {
        quantize_own, mp_cli_help_options, NULL};
    mp_cli_parser p;
    const mp_option *e;
    mp_cli_parser_init(&p, groups);
    for (;;) {
        int opt = mp_cli_next(&p, argc, argv, &e);
        if (opt == -1)
            break;
        const char *word = argv[optind - 1] ? argv[optind - 1] : "?";
        int rc = parse_option(o, opt, optarg, word);
        if (rc >= 0)
            return rc;
    }
    if (optind < argc)
        return usage_error("argument", "unexpected", argv[optind]);
    return check_required(o);
}

/* ---- input ------------------------------------------------------------ */

/* Reads W and rounds it to float32; fills k, n. */
static float *load_weights(const char *path, int *k, int *n, mp_diag *d)
{
    mp_npy a;
    if (mp_npy_read(path, &a, d) != 0)
        return NULL;
    float *w = NULL;
    if (a.dtype != MP_NPY_F32 && a.dtype != MP_NPY_F64) {
        mp_fail(d, path, 0, "descr", "weights must be float32 or float64, got %s",
                mp_npy_dtype_name(a.dtype));
    } else if (a.ndim != 2 || a.shape[0] <= 0 || a.shape[1] <= 0 ||
               a.shape[0] > INT_MAX || a.shape[1] > INT_MAX) {
        mp_fail(d, path, 0, "shape", "weights must be a non-empty 2-D [K][N] "
                "array, got %d dimensions", a.ndim);
    } else if (!(w = malloc(a.count * sizeof *w))) {
        mp_fail(d, path, 0, "data", "out of memory");
    } else {
        *k = (int)a.shape[0];
        *n = (int)a.shape[1];
        for (size_t i = 0; i < a.count; i++) {
            double v = mp_act_round(MP_ACT_FP32, a.data[i], MP_OVF_IEEE);
            if (isinf(v) && isfinite(a.data[i])) {
                mp_fail(d, path, 0, "data",
                        "w[%zu][%zu] = %g is beyond the float32 range",
                        i / (size_t)*n, i % (size_t)*n, a.data[i]);
                free(w);
                w = NULL;
                break;
            }
            w[i] = (float)v;
        }
    }
    mp_npy_free(&a);
    return w;
}

/* mp_quantize names fields of mp_quant_cfg; say which option they are. */
static int quantize_failed(mp_diag *d, const char *w_path)
{
    static const struct { const char *field, *option; int code; } map[] = {
        {"group_size", "--group", EXIT_INPUT},
        {"clip", "--clip", EXIT_USAGE},
        {"symmetric", "--asym", EXIT_USAGE},
        {"wfmt", "--wbits", EXIT_USAGE},
        {"zeros", "--out-zeros", EXIT_USAGE},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(d->field, map[i].field) == 0) {
            mp_diag opt = *d;
            mp_fail(d, MP_CMDLINE, 0, map[i].option, "%s", opt.msg);
            mp_diag_print(d, stderr);
            return map[i].code;
        }
    /* Anything else is about the weights themselves. */
    snprintf(d->file, sizeof d->file, "%s", w_path);
    mp_diag_print(d, stderr);
    return EXIT_INPUT;
}

/* ---- output ----------------------------------------------------------- */

typedef struct quant_result {
    int k, n, groups;
    mp_wfmt wfmt;
    mp_wcode *q;
    float *scales;
    int32_t *zeros;
} quant_result;

/* The output layer names its own field; say which option it was. */
static int write_one(const char *path, const char *option, mp_npy_dtype dtype,
                     const int64_t *shape, const double *values, mp_diag *d)
{
    if (mp_npy_write(path, dtype, 2, shape, values, d) == 0)
        return 0;
    if (strcmp(d->field, "-o") == 0)
        snprintf(d->field, sizeof d->field, "%s", option);
    return -1;
}

/* Writes the outputs in order; on a failure removes the ones written. */
static int write_outputs(const quantize_opts *o, const quant_result *r,
                         mp_diag *d)
{
    size_t codes = (size_t)r->k * (size_t)r->n;
    size_t params = (size_t)r->groups * (size_t)r->n;
    double *values = malloc((codes > params ? codes : params) * sizeof *values);
    if (!values)
        return mp_fail(d, o->q_path, 0, "--out-q", "out of memory");
    const int64_t q_shape[2] = {r->k, r->n}, p_shape[2] = {r->groups, r->n};
    int rc;

    for (size_t i = 0; i < codes; i++)
        values[i] = mp_wcode_value(r->wfmt, r->q[i]);
    mp_npy_dtype q_type = r->wfmt.kind == MP_W_UNSIGNED ? MP_NPY_U8 : MP_NPY_I8;
    rc = write_one(o->q_path, "--out-q", q_type, q_shape, values, d);

    if (rc == 0) {
        for (size_t i = 0; i < params; i++)
            values[i] = r->scales[i];
        rc = write_one(o->scales_path, "--out-scales", MP_NPY_F32, p_shape,
                       values, d);
        if (rc != 0)
            remove(o->q_path);
    }
    if (rc == 0 && o->zeros_path) {
        for (size_t i = 0; i < params; i++)
            values[i] = r->zeros[i];
        rc = write_one(o->zeros_path, "--out-zeros", MP_NPY_I32, p_shape,
                       values, d);
        if (rc != 0) {
            remove(o->q_path);
            remove(o->scales_path);
        }
    }
    free(values);
    return rc;
}

/* Largest |W - dequant(q)| and the RMS of W, for the summary line. */
static void error_summary(const float *w, const quant_result *r,
                          int group_size, double *max_err, double *rel_rms)
{
    double err2 = 0, w2 = 0;
    *max_err = 0;
    for (int row = 0; row < r->k; row++)
        for (int col = 0; col < r->n; col++) {
            size_t i = (size_t)row * (size_t)r->n + (size_t)col;
            size_t at = (size_t)(row / group_size) * (size_t)r->n + (size_t)col;
            double deq = (double)r->scales[at] *
                         (mp_wcode_value(r->wfmt, r->q[i]) - r->zeros[at]);
            double e = w[i] - deq;
            *max_err = fmax(*max_err, fabs(e));
            err2 += e * e;
            w2 += (double)w[i] * w[i];
        }
    *rel_rms = w2 > 0 ? sqrt(err2 / w2) : 0;
}

int cmd_quantize(int argc, char **argv)
{
    quantize_opts o;
    int rc = parse_args(argc, argv, &o);
    if (rc >= 0)
        return rc;

    mp_diag d;
    const char *const outs[] = {o.q_path, o.scales_path, o.zeros_path};
    const char *const out_opts[] = {"--out-q", "--out-scales", "--out-zeros"};
    for (int i = 0; i < 3; i++)
        if (mp_out_check_inputs(outs[i], out_opts[i], &o.w_path, 1, &d)) {
            mp_diag_print(&d, stderr);
            return EXIT_INPUT;
        }
    quant_result r = {0};
    float *w = load_weights(o.w_path, &r.k, &r.n, &d);
    if (!w) {
        mp_diag_print(&d, stderr);
        return EXIT_INPUT;
    }
    mp_quant_cfg cfg = {{o.kind, o.wbits}, o.group_size, !o.asym, o.clip};
    r.wfmt = cfg.wfmt;
    r.groups = r.k % o.group_size == 0 ? r.k / o.group_size : 1;
    r.q = malloc((size_t)r.k * (size_t)r.n * sizeof *r.q);
    r.scales = malloc((size_t)r.groups * (size_t)r.n * sizeof *r.scales);
    r.zeros = calloc((size_t)r.groups * (size_t)r.n, sizeof *r.zeros);
    int status = 0;
    if (!r.q || !r.scales || !r.zeros) {
        mp_fail(&d, o.w_path, 0, "data", "out of memory");
        mp_diag_print(&d, stderr);
        status = EXIT_INPUT;
    } else if (mp_quantize(&cfg, w, r.k, r.n, r.q, r.scales,
                           o.asym ? r.zeros : NULL, &d) != 0) {
        status = quantize_failed(&d, o.w_path);
    } else if (write_outputs(&o, &r, &d) != 0) {
        mp_diag_print(&d, stderr);
        status = EXIT_INPUT;
    } else {
        double max_err, rel_rms;
        char name[16];
        error_summary(w, &r, o.group_size, &max_err, &rel_rms);
        printf("quantized %s [%d x %d] to %s, group %d, %s, clip %g: "
               "max |error| %.6g, relative RMS error %.6g\n",
               o.w_path, r.k, r.n, mp_wfmt_name(r.wfmt, name, sizeof name),
               o.group_size, o.asym ? "asymmetric" : "symmetric", o.clip,
               max_err, rel_rms);
    }
    free(w);
    free(r.q);
    free(r.scales);
    free(r.zeros);
    return status;
}
