/*
 * quantize.c - see quantize.h; docs/numerics.md gives the equations.
 *
 * Per (group, column): gather the group's statistics in double, choose the
 * scale, round it to float32 (the stored value), then quantize every weight
 * of the group with that stored scale, so that dequantizing with the stored
 * scale is within half a step of the weight wherever no clipping happened.
 */
#include "golden/quantize.h"
#include "golden/formats.h"

#include <float.h>
#include <math.h>
#include <string.h>

/* The statistics a scale is chosen from, over one (group, column). */
typedef struct group_stats {
    double min, max, abs_max, abs_mean;
} group_stats;

/* Scale, zero point and code range of one (group, column). */
typedef struct group_quant {
    float scale;
    int zero;
    int code_lo, code_hi;
} group_quant;

static double clamp(double v, double lo, double hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int check_cfg(const mp_quant_cfg *cfg, int k, int n, int has_zeros,
                     mp_diag *d)
{
    char name[16];
    if (k <= 0 || n <= 0)
        return mp_fail(d, "", 0, "shape", "K and N must be > 0, got %d x %d",
                       k, n);
    if (mp_wfmt_check(cfg->wfmt, "", "wfmt", d) != 0)
        return -1;
    mp_wfmt_name(cfg->wfmt, name, sizeof name);
    if (mp_wfmt_is_float(cfg->wfmt))
        return mp_fail(d, "", 0, "wfmt",
                       "%s weights are stored as values, not quantized", name);
    if (cfg->group_size <= 0 || k % cfg->group_size != 0)
        return mp_fail(d, "", 0, "group_size",
                       "must be a positive divisor of K = %d, got %d", k,
                       cfg->group_size);
    if (!(cfg->clip > 0.0 && cfg->clip <= 1.0))
        return mp_fail(d, "", 0, "clip", "must be in (0, 1], got %g",
                       cfg->clip);
    if (!cfg->symmetric && cfg->wfmt.kind != MP_W_UNSIGNED)
        return mp_fail(d, "", 0, "symmetric",
                       "asymmetric quantization needs an unsigned format, "
                       "got %s",
                       name);
    if (cfg->symmetric && cfg->wfmt.kind == MP_W_UNSIGNED)
        return mp_fail(d, "", 0, "symmetric",
                       "symmetric quantization needs a signed or ternary "
                       "format, got %s (use asymmetric)",
                       name);
    if (cfg->symmetric && cfg->wfmt.kind == MP_W_SIGNED && cfg->wfmt.bits < 2)
        return mp_fail(d, "", 0, "wfmt",
                       "int1 {-1, 0} has no positive code for symmetric "
                       "quantization; use ternary or asymmetric uint1");
    if (!cfg->symmetric && !has_zeros)
        return mp_fail(d, "", 0, "zeros",
                       "asymmetric quantization needs a zero-point array");
    return 0;
}

static int check_finite(const float *w, int k, int n, mp_diag *d)
{
    size_t count = (size_t)k * (size_t)n;
    for (size_t i = 0; i < count; i++)
        if (!isfinite(w[i])) {
            char field[48];
            snprintf(field, sizeof field, "w[%zu][%zu]", i / (size_t)n,
                     i % (size_t)n);
            return mp_fail(d, "", 0, field, "weight is %s (flat index %zu)",
                           isnan(w[i]) ? "NaN" : "Inf", i);
        }
    return 0;
}

static group_stats gather(const float *w, int n, int row0, int rows, int col)
{
    group_stats s = {INFINITY, -INFINITY, 0.0, 0.0};
    double abs_sum = 0.0;
    for (int r = row0; r < row0 + rows; r++) {
        double v = w[(size_t)r * (size_t)n + (size_t)col];
        s.min = fmin(s.min, v);
        s.max = fmax(s.max, v);
        s.abs_max = fmax(s.abs_max, fabs(v));
        abs_sum += fabs(v);
    }
    s.abs_mean = abs_sum / rows;
    return s;
}

/* Round a positive scale to float32; raise it to FLT_MIN so that a group
 * of tiny weights keeps a usable (nonzero, normal) step. */
static int store_scale(double s, float *out, int group, int col, mp_diag *d)
{
    double rounded = mp_act_round(MP_ACT_FP32, s, MP_OVF_IEEE);
    if (isinf(rounded))
        return mp_fail(d, "", 0, "w",
                       "group %d column %d: scale %g exceeds float32", group,
                       col, s);
    *out = rounded < FLT_MIN ? FLT_MIN : (float)rounded;
    return 0;
}

static int choose(const mp_quant_cfg *cfg, const group_stats *st, int group,
                  int col, group_quant *gq, mp_diag *d)
{
    mp_wfmt w = cfg->wfmt;
    gq->zero = 0;
    if (w.kind == MP_W_TERNARY) { /* BitNet b1.58 absmean */
        gq->code_lo = -1;
        gq->code_hi = 1;
        if (st->abs_mean == 0.0) {
            gq->scale = 1.0f;
            return 0;
        }
        return store_scale(cfg->clip * st->abs_mean, &gq->scale, group, col, d);
    }
    if (cfg->symmetric) { /* codes -qmax..qmax, z = 0 */
        gq->code_hi = mp_wfmt_max(w);
        gq->code_lo = -gq->code_hi;
        if (st->abs_max == 0.0) {
            gq->scale = 1.0f;
            return 0;
        }
        return store_scale(cfg->clip * st->abs_max / gq->code_hi, &gq->scale,
                           group, col, d);
    }
    /* Asymmetric: the range always includes 0, so 0 is exactly a code. */
    gq->code_lo = 0;
    gq->code_hi = mp_wfmt_max(w);
    double lo = fmin(st->min, 0.0), hi = fmax(st->max, 0.0);
    if (hi == lo) {
        gq->scale = 1.0f;
        return 0;
    }
    if (store_scale(cfg->clip * (hi - lo) / gq->code_hi, &gq->scale, group, col,
                    d) != 0)
        return -1;
    gq->zero = (int)clamp(mp_round_half_even(-lo / gq->scale), 0, gq->code_hi);
    return 0;
}

int mp_quantize(const mp_quant_cfg *cfg, const float *w, int k, int n,
                mp_wcode *q, float *scales, int32_t *zeros, mp_diag *d)
{
    if (check_cfg(cfg, k, n, zeros != NULL, d) != 0)
        return -1;
    if (check_finite(w, k, n, d) != 0)
        return -1;
    int group_size = cfg->group_size;
    for (int g = 0; g < k / group_size; g++)
        for (int col = 0; col < n; col++) {
            group_stats st = gather(w, n, g * group_size, group_size, col);
            group_quant gq = {1.0f, 0, 0, 0};
            if (choose(cfg, &st, g, col, &gq, d) != 0)
                return -1;
            size_t at = (size_t)g * (size_t)n + (size_t)col;
            scales[at] = gq.scale;
            if (zeros)
                zeros[at] = gq.zero;
            for (int r = g * group_size; r < (g + 1) * group_size; r++) {
                size_t i = (size_t)r * (size_t)n + (size_t)col;
                double code = mp_round_half_even((double)w[i] / gq.scale) + gq.zero;
                q[i] = mp_wcode_store((int)clamp(code, gq.code_lo, gq.code_hi));
            }
        }
    return 0;
}
