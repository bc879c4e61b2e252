/*
 * cmd_golden.c - `mpsim golden`: the bit-exact mixed-precision GEMM of
 * .npy inputs, written as a .npy output.
 *
 *   mpsim golden --x X.npy --w Wq.npy [--scales S.npy] [--zeros Z.npy]
 *                [--act-scale A.npy] --group G --wbits B --act FMT
 *                [--signed|--unsigned|--ternary] [--pe FAMILY]
 *                [--config arith.yaml] [--error] -o Y.npy
 *
 * Contract: every input is validated before any arithmetic (shapes between
 * files, dtypes, every code within the declared weight format, every
 * activation representable, accumulator widths), each problem reported as
 * one "mpsim: FILE: FIELD: message" line naming the element; the output
 * appears whole or not at all.  The arithmetic is mp_arith_default(), or a
 * PE family's (--pe), with the fields of --config applied on top.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden/diag.h"
#include "golden/formats.h"
#include "golden/mpgemm.h"
#include "golden/npy.h"
#include "golden/outfile.h"
#include "golden/decimal.h"
#include "pe_models/pe.h"
#include "sim/cli/cli_util.h"
#include "sim/cli/commands.h"
#include "workloads/yaml_doc.h"

typedef struct golden_opts {
    const char *x_path, *w_path, *scales_path, *zeros_path, *act_scale_path;
    const char *config_path, *pe_name, *out_path;
    int group_size;      /* 0: not given */
    int wbits;           /* 0: not given */
    const char *act_name;
    int kind_forced;     /* 1 when --signed/--unsigned/--ternary given */
    mp_wkind kind;
    int print_error;
} golden_opts;

/* Everything the command allocates, freed in one place. */
typedef struct golden_data {
    mp_gemm_in in;
    double *x, *y, *ref;
    mp_wcode *wq;
    float *scales, *act_scale;
    int32_t *zeros;
} golden_data;

enum { OPT_X = 256, OPT_W, OPT_SCALES, OPT_ZEROS, OPT_ACT_SCALE, OPT_GROUP,
       OPT_WBITS, OPT_ACT, OPT_SIGNED, OPT_UNSIGNED, OPT_TERNARY, OPT_PE,
       OPT_CONFIG, OPT_ERROR };

static const mp_option golden_own[] = {
    {"x", OPT_X, "FILE", "activations [M][K]: integer values for "
     "int4/int8/int16\n(any integer dtype, e.g. int8 holding -8..7 for "
     "int4);\nraw bits (uint16 for fp16/bf16, uint8 for fp8) or\nexactly "
     "representable float values for float formats"},
    {"w", OPT_W, "FILE", "weight codes [K][N] (int8 -> signed, uint8 -> "
     "unsigned)"},
    {"scales", OPT_SCALES, "FILE", "float32 group scales [K/G][N]; without: "
     "int32 output"},
    {"zeros", OPT_ZEROS, "FILE", "integer zero points [K/G][N]"},
    {"act-scale", OPT_ACT_SCALE, "FILE", "float32 per-token scales [M] or "
     "[M][1]"},
    {"group", OPT_GROUP, "G", "group size along K (divides K; K = "
     "per-channel)"},
    {"wbits", OPT_WBITS, "B", "weight bits 1..8 (ternary: 2, may be omitted); "
     "16: FP16 weights as they are (Wq float16, no scales or zeros)"},
    {"act", OPT_ACT, "FMT", "int4, int8, int16, fp16, bf16, fp8e4m3, fp8e5m2, "
     "fp32"},
    {"signed", OPT_SIGNED, NULL, "codes are two's complement (overrides the "
     "dtype)"},
    {"unsigned", OPT_UNSIGNED, NULL, "codes are unsigned (overrides the "
     "dtype)"},
    {"ternary", OPT_TERNARY, NULL, "codes are -1, 0, +1 (overrides the "
     "dtype)"},
    {"pe", OPT_PE, "FAMILY", "arithmetic of a PE family (mpsim list)"},
    {"config", OPT_CONFIG, "FILE", "YAML mapping of arithmetic fields "
     "(dequant, group_acc,\nacc_bits, frac_bits, out_acc, weight_fmt, "
     "order,\ntable_fmt, fused), applied on top"},
    {"error", OPT_ERROR, NULL, "print max abs / max rel / RMS error vs "
     "float64"},
    {"output", 'o', "FILE", "output .npy: float32 [M][N], int32 without "
     "scales"},
    {NULL, 0, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out,
        "usage: mpsim golden --x X.npy --w Wq.npy --group G --wbits B --act FMT\n"
        "                    [--scales S.npy] [--zeros Z.npy] [--act-scale A.npy]\n"
        "                    [--signed|--unsigned|--ternary] [--pe FAMILY]\n"
        "                    [--config arith.yaml] [--error] -o Y.npy\n"
        "\n"
        "Bit-exact mixed-precision GEMM  Y = diag(A) * X * dequant(Wq), with\n"
        "dequant(q)[k][n] = S[k/G][n] * (q[k][n] - Z[k/G][n]).\n"
        "\n");
    mp_options_help(out, golden_own, MP_CLI_HELP_COL);
    mp_options_help(out, mp_cli_help_options, MP_CLI_HELP_COL);
    fprintf(out, "\nNumerics: docs/numerics.md, section GEMM arithmetic\n");
}

static int usage_error(const char *field, const char *msg)
{
    mp_diag d;
    mp_fail(&d, MP_CMDLINE, 0, field, "%s", msg);
    mp_diag_print(&d, stderr);
    return 2;
}

/* Returns 0 to go on, or the exit status (2 usage, 0 for --help). */
static int parse_args(int argc, char **argv, golden_opts *o, int *status)
{
    static const mp_option *const groups[] = {golden_own,
                                              mp_cli_help_options, NULL};
    memset(o, 0, sizeof *o);
    mp_cli_parser p;
    const mp_option *e;
    int c;
    mp_cli_parser_init(&p, groups);
    while ((c = mp_cli_next(&p, argc, argv, &e)) != -1) {
        switch (c) {
        case OPT_X: o->x_path = optarg; break;
        case OPT_W: o->w_path = optarg; break;
        case OPT_SCALES: o->scales_path = optarg; break;
        case OPT_ZEROS: o->zeros_path = optarg; break;
        case OPT_ACT_SCALE: o->act_scale_path = optarg; break;
        case OPT_PE: o->pe_name = optarg; break;
        case OPT_CONFIG: o->config_path = optarg; break;
        case OPT_ACT: o->act_name = optarg; break;
        case OPT_ERROR: o->print_error = 1; break;
        case 'o': o->out_path = optarg; break;
        case OPT_GROUP:
            if (mp_parse_int(optarg, 1, 1 << 30, &o->group_size))
                return *status = usage_error("--group",
                                             "must be a positive integer"), 1;
            break;
        case OPT_WBITS:
            if (mp_parse_int(optarg, 1, 16, &o->wbits) ||
                (o->wbits > 8 && o->wbits < 16))
                return *status = usage_error("--wbits",
                                             "must be an integer in 1..8, "
                                             "or 16 (fp16)"), 1;
            break;
        case OPT_SIGNED: case OPT_UNSIGNED: case OPT_TERNARY:
            if (o->kind_forced)
                return *status = usage_error("--signed",
                    "give at most one of --signed, --unsigned, --ternary"), 1;
            o->kind_forced = 1;
            o->kind = c == OPT_SIGNED ? MP_W_SIGNED
                    : c == OPT_UNSIGNED ? MP_W_UNSIGNED : MP_W_TERNARY;
            break;
        case 'h':
            usage(stdout);
            return *status = 0, 1;
        case ':':
            return *status = usage_error(argv[optind - 1],
                                         "option needs an argument"), 1;
        default:
            return *status = usage_error(argv[optind - 1], "unknown option"),
                   1;
        }
    }
    if (optind < argc)
        return *status = usage_error(argv[optind], "unexpected argument"), 1;
    static const char *const required[] = {"--x", "--w", "--group", "--act",
                                           "-o"};
    const void *given[] = {o->x_path, o->w_path,
                           o->group_size ? o : NULL, o->act_name,
                           o->out_path};
    for (int i = 0; i < 5; i++)
        if (!given[i])
            return *status = usage_error(required[i], "required option "
                                         "missing (see mpsim golden --help)"),
                   1;
    int ternary = o->kind_forced && o->kind == MP_W_TERNARY;
    if (!o->wbits && !ternary)
        return *status = usage_error("--wbits", "required option missing "
                                     "(see mpsim golden --help)"), 1;
    if (ternary && o->wbits && o->wbits != 2)
        return *status = usage_error("--wbits",
                                     "ternary weights are 2 bits"), 1;
    if (o->wbits == 16 && o->kind_forced)
        return *status = usage_error("--wbits", "16 means fp16 weights: no "
                                     "--signed, --unsigned or --ternary"), 1;
    return 0;
}

/* ---- loading the arrays ------------------------------------------------ */

static int want_2d(const mp_npy *a, const char *path, const char *what,
                   mp_diag *d)
{
    if (a->ndim != 2)
        return mp_fail(d, path, 0, "shape", "%s must be 2-D, got %d-D", what,
                       a->ndim);
    if (a->shape[0] <= 0 || a->shape[1] <= 0)
        return mp_fail(d, path, 0, "shape", "%s is empty ([%lld][%lld])",
                       what, (long long)a->shape[0], (long long)a->shape[1]);
    return 0;
}

static int is_int_dtype(mp_npy_dtype t)
{
    return t != MP_NPY_F16 && t != MP_NPY_F32 && t != MP_NPY_F64;
}

/* Activation values from values or raw bit patterns (see --help). */
static int load_x(const golden_opts *o, golden_data *g, mp_diag *d)
{
    mp_npy a;
    if (mp_npy_read(o->x_path, &a, d))
        return -1;
    int rc = want_2d(&a, o->x_path, "X [M][K]", d);
    mp_act_fmt act = g->in.act;
    int raw = (a.dtype == MP_NPY_U16 && (act == MP_ACT_FP16 ||
                                         act == MP_ACT_BF16)) ||
              (a.dtype == MP_NPY_U8 && (act == MP_ACT_FP8_E4M3 ||
                                        act == MP_ACT_FP8_E5M2));
    if (!rc && mp_act_is_float(act) && !raw && is_int_dtype(a.dtype))
        rc = mp_fail(d, o->x_path, 0, "dtype",
                     "%s activations are raw bits (%s) or float values, "
                     "got %s", mp_act_name(act),
                     mp_act_bits(act) == 8 ? "uint8" : "uint16",
                     mp_npy_dtype_name(a.dtype));
    if (!rc && !mp_act_is_float(act) && !is_int_dtype(a.dtype))
        rc = mp_fail(d, o->x_path, 0, "dtype",
                     "%s activations must be an integer array, got %s",
                     mp_act_name(act), mp_npy_dtype_name(a.dtype));
    if (!rc && (a.shape[0] > 1 << 30 || a.shape[1] > 1 << 30))
        rc = mp_fail(d, o->x_path, 0, "shape", "too large");
    if (rc) {
        mp_npy_free(&a);
        return -1;
    }
    g->in.m = (int)a.shape[0];
    g->in.k = (int)a.shape[1];
    if (raw)
        for (size_t i = 0; i < a.count; i++)
            a.data[i] = mp_fp_decode(act, (uint32_t)a.data[i]);
    g->x = a.data; /* ownership moves to g */
    g->in.x = g->x;
    return 0;
}

/* Weight codes [K][N]; each value is checked against the declared format
 * before it is narrowed to a byte, so nothing is ever truncated. */
static int load_w(const golden_opts *o, golden_data *g, mp_diag *d)
{
    mp_npy a;
    if (mp_npy_read(o->w_path, &a, d))
        return -1;
    int rc = want_2d(&a, o->w_path, "Wq [K][N]", d);
    int fp16 = o->wbits == 16;
    if (!rc && fp16 && a.dtype != MP_NPY_F16)
        rc = mp_fail(d, o->w_path, 0, "dtype",
                     "fp16 weights (--wbits 16) must be a float16 array, "
                     "got %s", mp_npy_dtype_name(a.dtype));
    if (!rc && !fp16 && !is_int_dtype(a.dtype))
        rc = mp_fail(d, o->w_path, 0, "dtype",
                     "weight codes must be an integer array, got %s",
                     mp_npy_dtype_name(a.dtype));
    if (!rc && a.shape[0] != g->in.k)
        rc = mp_fail(d, o->w_path, 0, "shape",
                     "Wq is [%lld][%lld] but X (%s) has K = %d",
                     (long long)a.shape[0], (long long)a.shape[1], o->x_path,
                     g->in.k);
    if (!rc && a.shape[1] > 1 << 30)
        rc = mp_fail(d, o->w_path, 0, "shape", "too large");
    mp_wfmt *w = &g->in.wfmt;
    if (!rc) {
        w->kind = fp16 ? MP_W_FP16
                : o->kind_forced ? o->kind
                : (a.dtype == MP_NPY_U8 || a.dtype == MP_NPY_U16)
                    ? MP_W_UNSIGNED : MP_W_SIGNED;
        w->bits = w->kind == MP_W_TERNARY ? 2 : o->wbits;
        g->in.n = (int)a.shape[1];
        g->wq = malloc((a.count ? a.count : 1) * sizeof *g->wq);
        if (!g->wq)
            rc = mp_fail(d, o->w_path, 0, "wq", "out of memory");
    }
    char name[16];
    mp_wfmt_name(*w, name, sizeof name);
    for (size_t i = 0; !rc && i < a.count; i++) {
        double v = a.data[i];
        if (fp16 && !isfinite(v))
            rc = mp_fail(d, o->w_path, 0, "wq",
                         "wq[%zu][%zu] = %g is not a finite fp16 value",
                         i / (size_t)g->in.n, i % (size_t)g->in.n, v);
        else if (fp16) /* a float16 array holds FP16 values: exact */
            g->wq[i] = mp_wcode_store(
                (int)mp_fp_encode(MP_ACT_FP16, v, MP_OVF_IEEE));
        else if (v < mp_wfmt_min(*w) || v > mp_wfmt_max(*w))
            rc = mp_fail(d, o->w_path, 0, "wq",
                         "wq[%zu][%zu] = %.0f is outside %s [%d, %d]",
                         i / (size_t)g->in.n, i % (size_t)g->in.n, v, name,
                         mp_wfmt_min(*w), mp_wfmt_max(*w));
        else
            g->wq[i] = mp_wcode_store((int)v);
    }
    mp_npy_free(&a);
    g->in.wq = g->wq;
    return rc;
}

/* A per-group [K/G][N] or per-token [M] (or [M][1]) array. */
static int load_side(const char *path, const char *what, int rows, int cols,
                     int token_vector, int integer, mp_npy *a, mp_diag *d)
{
    if (mp_npy_read(path, a, d))
        return -1;
    int ok = token_vector
        ? (a->ndim == 1 && a->shape[0] == rows) ||
              (a->ndim == 2 && a->shape[0] == rows && a->shape[1] == 1)
        : a->ndim == 2 && a->shape[0] == rows && a->shape[1] == cols;
    int rc = 0;
    if (!ok)
        rc = token_vector
            ? mp_fail(d, path, 0, "shape", "%s must be [%d] (M of X)", what,
                      rows)
            : mp_fail(d, path, 0, "shape",
                      "%s must be [%d][%d] (K/G x N), got %d-D [%lld%s]",
                      what, rows, cols, a->ndim, (long long)a->shape[0],
                      a->ndim > 1 ? "][...]" : "");
    if (!rc && integer && !is_int_dtype(a->dtype))
        rc = mp_fail(d, path, 0, "dtype", "%s must be an integer array, "
                     "got %s", what, mp_npy_dtype_name(a->dtype));
    if (rc)
        mp_npy_free(a);
    return rc;
}

/* float32 copies; a value that float32 cannot hold exactly is an error
 * (silently rounding a scale would change the result). */
static int to_float32(const mp_npy *a, const char *path, const char *what,
                      int cols, float **out, mp_diag *d)
{
    *out = malloc(a->count * sizeof **out);
    if (!*out)
        return mp_fail(d, path, 0, what, "out of memory");
    for (size_t i = 0; i < a->count; i++) {
        double v = a->data[i];
        if (!mp_act_representable(MP_ACT_FP32, v) || isnan(v)) {
            if (cols == 1) /* a per-token vector */
                return mp_fail(d, path, 0, what,
                               "%s[%zu] = %.17g is not a float32 value", what,
                               i, v);
            return mp_fail(d, path, 0, what,
                           "%s[%zu][%zu] = %.17g is not a float32 value",
                           what, i / (size_t)cols, i % (size_t)cols, v);
        }
        (*out)[i] = (float)v;
    }
    return 0;
}

static int load_sides(const golden_opts *o, golden_data *g, mp_diag *d)
{
    int groups = g->in.k / g->in.group_size, n = g->in.n;
    mp_npy a;
    int rc = 0;
    if (o->scales_path && !rc) {
        rc = load_side(o->scales_path, "scales", groups, n, 0, 0, &a, d);
        if (!rc) {
            rc = to_float32(&a, o->scales_path, "scales", n, &g->scales, d);
            mp_npy_free(&a);
        }
        g->in.scales = g->scales;
    }
    if (o->zeros_path && !rc) {
        rc = load_side(o->zeros_path, "zeros", groups, n, 0, 1, &a, d);
        if (!rc) {
            g->zeros = malloc(a.count * sizeof *g->zeros);
            if (!g->zeros)
                rc = mp_fail(d, o->zeros_path, 0, "zeros", "out of memory");
            for (size_t i = 0; !rc && i < a.count; i++) {
                if (fabs(a.data[i]) > 1e9) /* far outside any code range */
                    rc = mp_fail(d, o->zeros_path, 0, "zeros",
                                 "zeros[%zu][%zu] = %.0f is outside the code "
                                 "range", i / (size_t)n, i % (size_t)n,
                                 a.data[i]);
                else
                    g->zeros[i] = (int32_t)a.data[i];
            }
            mp_npy_free(&a);
        }
        g->in.zeros = g->zeros;
    }
    if (o->act_scale_path && !rc) {
        rc = load_side(o->act_scale_path, "act_scale", g->in.m, 1, 1, 0, &a, d);
        if (!rc) {
            rc = to_float32(&a, o->act_scale_path, "act_scale", 1,
                            &g->act_scale, d);
            mp_npy_free(&a);
        }
        g->in.act_scale = g->act_scale;
    }
    return rc;
}

/* ---- the arithmetic ---------------------------------------------------- */

static int pe_arith(const golden_opts *o, const mp_gemm_in *in, mp_arith *ar,
                    mp_diag *d)
{
    const mp_pe_ops *ops = mp_pe_find(o->pe_name);
    if (!ops)
        return mp_fail(d, MP_CMDLINE, 0, "--pe",
                       "unknown PE family '%s' (see mpsim list)", o->pe_name);
    mp_pe_params p;
    mp_pe_params_init(&p); /* every micro-architecture knob at its default */
    p.wfmt = in->wfmt;
    p.act = in->act;
    p.group_size = in->group_size;
    p.has_zeros = in->zeros != NULL;
    if (ops->check(&p, d))
        return -1;
    mp_pe_arith_for(ops, &p, in, ar); /* int out_acc without scales */
    return 0;
}

/* Fields of a YAML mapping (or of its `arith:` mapping) applied to *ar. */
static int config_arith(const char *path, mp_arith *ar, mp_diag *d)
{
    mp_yaml y;
    if (mp_yaml_load(path, &y, d))
        return -1;
    int rc = 0;
    yaml_node_t *map = mp_yaml_root_map(&y, d);
    if (!map)
        rc = -1;
    yaml_node_t *inner = map ? mp_yaml_get(&y, map, "arith") : NULL;
    if (inner && mp_yaml_map_len(map) == 1) {
        map = mp_yaml_want_map(&y, inner, "arith", d);
        if (!map)
            rc = -1;
    }
    for (size_t i = 0; !rc && i < mp_yaml_map_len(map); i++) {
        const char *key = mp_yaml_map_key(&y, map, i);
        yaml_node_t *value = mp_yaml_map_value(&y, map, i);
        const char *text = mp_yaml_scalar(value);
        if (!key || !text)
            rc = mp_yaml_fail(&y, d, value, "", key ? key : "?",
                              "expected a scalar value");
        else
            rc = mp_arith_set(ar, key, text, path, mp_yaml_line(value), d);
    }
    mp_yaml_free(&y);
    return rc;
}

/* ---- the command --------------------------------------------------------- */

static int write_output(const golden_opts *o, const golden_data *g,
                        mp_diag *d)
{
    int64_t shape[2] = {g->in.m, g->in.n};
    return mp_npy_write(o->out_path,
                        mp_gemm_int_output(&g->in) ? MP_NPY_I32 : MP_NPY_F32,
                        2, shape, g->y, d);
}

static void print_error(const golden_data *g)
{
    size_t count = (size_t)g->in.m * g->in.n;
    mp_gemm_ref_f64(&g->in, g->ref);
    mp_err_stats st;
    mp_gemm_error(g->ref, g->y, count, &st);
    printf("max_abs %.9g max_rel %.9g rms %.9g worst [%zu][%zu]\n",
           st.max_abs, st.max_rel, st.rms, st.worst_index / (size_t)g->in.n,
           st.worst_index % (size_t)g->in.n);
}

static int run(const golden_opts *o, golden_data *g, mp_diag *d)
{
    const char *const inputs[] = {o->x_path, o->w_path, o->scales_path,
                                  o->zeros_path, o->act_scale_path,
                                  o->config_path};
    if (mp_out_check_inputs(o->out_path, "-o", inputs,
                            sizeof inputs / sizeof *inputs, d))
        return -1;
    if (mp_act_parse(o->act_name, &g->in.act))
        return mp_fail(d, MP_CMDLINE, 0, "--act",
                       "unknown activation format '%s' (int4, int8, int16, "
                       "fp16, bf16, fp8e4m3, fp8e5m2, fp32)", o->act_name);
    g->in.group_size = o->group_size;
    if (load_x(o, g, d) || load_w(o, g, d))
        return -1;
    if (g->in.k % g->in.group_size)
        return mp_fail(d, MP_CMDLINE, 0, "--group",
                       "group size %d does not divide K = %d (from %s)",
                       g->in.group_size, g->in.k, o->x_path);
    if (load_sides(o, g, d))
        return -1;
    mp_arith ar = mp_arith_default(&g->in);
    if (o->pe_name && pe_arith(o, &g->in, &ar, d))
        return -1;
    if (o->config_path && config_arith(o->config_path, &ar, d))
        return -1;
    mp_gemm_files files = {o->x_path, o->w_path, o->scales_path,
                           o->zeros_path, o->act_scale_path,
                           o->config_path ? o->config_path : MP_CMDLINE,
                           MP_CMDLINE};
    if (mp_gemm_check_files(&g->in, &ar, &files, d))
        return -1;
    size_t count = (size_t)g->in.m * g->in.n;
    g->y = malloc(count * sizeof *g->y);
    g->ref = malloc(count * sizeof *g->ref);
    if (!g->y || !g->ref)
        return mp_fail(d, o->out_path, 0, "-o", "out of memory");
    if (mp_gemm_hw(&g->in, &ar, g->y, d) || write_output(o, g, d))
        return -1;
    if (o->print_error)
        print_error(g);
    return 0;
}

int cmd_golden(int argc, char **argv)
{
    golden_opts o;
    int status;
    if (parse_args(argc, argv, &o, &status))
        return status;
    golden_data g;
    memset(&g, 0, sizeof g);
    mp_diag d;
    memset(&d, 0, sizeof d);
    int rc = run(&o, &g, &d);
    if (rc)
        mp_diag_print(&d, stderr);
    free(g.x);
    free(g.y);
    free(g.ref);
    free(g.wq);
    free(g.scales);
    free(g.act_scale);
    free(g.zeros);
    return rc ? 1 : 0;
}
