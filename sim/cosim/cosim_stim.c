/*
 * cosim_stim.c - random, extreme and trace-shaped co-simulation tiles; see
 * cosim_stim.h for the sequence and the value ranges.
 */
#include "sim/cosim/cosim_stim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "golden/quantize.h"
#include "golden/rng.h"

typedef enum tile_kind {
    KIND_MAX, KIND_MIN, KIND_MIX, KIND_RANDOM, KIND_TRACE
} tile_kind;

static const char *const kind_names[] = {"extreme-max", "extreme-min",
                                         "extreme-mix", "random", "trace"};

static tile_kind kind_of(int index, int with_trace)
{
    if (index < 3)
        return (tile_kind)index;
    if (with_trace && (index - 3) % 2 == 1)
        return KIND_TRACE;
    return KIND_RANDOM;
}

/* ---- single values ---------------------------------------------------- */

static double gaussian(mp_rng *r)
{
    double u = mp_rng_unit(r), v = mp_rng_unit(r);
    return sqrt(-2.0 * log(1.0 - u)) * cos(6.283185307179586 * v);
}

static double act_min(mp_act_fmt act)
{
    return mp_act_is_float(act) ? -mp_act_max(act) : -mp_act_max(act) - 1;
}

/* Smallest positive subnormal of a float format. */
static double act_tiny(mp_act_fmt act)
{
    return mp_fp_decode(act, 1u);
}

/* Largest subnormal: exponent field 0, mantissa all ones. */
static double act_big_subnormal(mp_act_fmt act)
{
    const mp_float_layout *l = mp_float_layout_of(act);
    return mp_fp_decode(act, (1u << l->man_bits) - 1);
}

static double random_act(mp_rng *r, mp_act_fmt act)
{
    if (!mp_act_is_float(act))
        return (double)mp_rng_range(r, (int64_t)act_min(act),
                                    (int64_t)mp_act_max(act));
    int bits = mp_act_bits(act);
    for (;;) {
        uint32_t pattern = (uint32_t)mp_rng_next(r);
        if (bits < 32)
            pattern &= (1u << bits) - 1;
        double v = mp_fp_decode(act, pattern);
        if (isfinite(v))
            return v;
    }
}

static double mix_act(mp_rng *r, mp_act_fmt act)
{
    double choices[8] = {mp_act_max(act), act_min(act), 0, 1, -1, 0, 0, 0};
    int n = 5;
    if (mp_act_is_float(act)) {
        choices[n++] = -0.0;
        choices[n++] = act_tiny(act) * (mp_rng_next(r) & 1 ? 1 : -1);
        choices[n++] = act_big_subnormal(act) * (mp_rng_next(r) & 1 ? 1 : -1);
    }
    return choices[mp_rng_range(r, 0, n - 1)];
}

/* An FP16 weight's pattern: the activation generators at FP16 (extremes
 * +-65504, the mixed set with signed zeros and subnormals, random finite
 * patterns), since an FP16 weight is a value like an FP16 activation. */
static int fp16_weight_code(mp_rng *r, tile_kind kind)
{
    double v = kind == KIND_MAX   ? mp_act_max(MP_ACT_FP16)
               : kind == KIND_MIN ? act_min(MP_ACT_FP16)
               : kind == KIND_MIX ? mix_act(r, MP_ACT_FP16)
                                  : random_act(r, MP_ACT_FP16);
    return (int)mp_fp_encode(MP_ACT_FP16, v, MP_OVF_IEEE);
}

/* A positive FP16-representable value (1 + m/1024) * 2^e, e in [-14, 3]. */
static float random_scale(mp_rng *r)
{
    int e = (int)mp_rng_range(r, -14, 3);
    int m = (int)mp_rng_range(r, 0, 1023);
    return (float)ldexp(1.0 + m / 1024.0, e);
}

static const float scale_max = 15.9921875f; /* (2 - 2^-10) * 2^3 */
static const float scale_min = 6.103515625e-05f; /* 2^-14 */

/* ---- tiles ------------------------------------------------------------ */

static int tile_k(const mp_cosim_tiles *h, const mp_stim_opts *o,
                  tile_kind kind, mp_rng *r)
{
    int steps = h->k_max / o->k_step;
    if (kind == KIND_TRACE) {
        int64_t k = o->trace_k < h->k_max ? o->trace_k : h->k_max;
        k = k / o->k_step * o->k_step;
        return k < o->k_step ? o->k_step : (int)k;
    }
    if (kind == KIND_RANDOM)
        return o->k_step * (int)mp_rng_range(r, 1, steps);
    return o->k_step * steps;
}

/* Uniform, extreme and mixed operands. */
static void fill_synthetic(const mp_cosim_tiles *h, mp_cosim_tile *t,
                           tile_kind kind, mp_rng *r)
{
    int wmin = mp_wfmt_min(h->wfmt), wmax = mp_wfmt_max(h->wfmt);
    size_t len;
    len = mp_cosim_buf_len(h, MP_LD_X, t->k);
    for (size_t i = 0; i < len; i++) {
        double v = kind == KIND_MAX   ? mp_act_max(h->act)
                   : kind == KIND_MIN ? act_min(h->act)
                   : kind == KIND_MIX ? mix_act(r, h->act)
                                      : random_act(r, h->act);
        t->buf[MP_LD_X][i] = mp_cosim_act_word(h->act, v);
    }
    len = mp_cosim_buf_len(h, MP_LD_W, t->k);
    for (size_t i = 0; i < len; i++) {
        int code = mp_wfmt_is_float(h->wfmt) ? fp16_weight_code(r, kind)
                   : kind == KIND_MAX   ? wmax
                   : kind == KIND_MIN ? wmin
                   : kind == KIND_MIX ? (int)(mp_rng_next(r) & 1 ? wmax : wmin)
                                      : (int)mp_rng_range(r, wmin, wmax);
        t->buf[MP_LD_W][i] = (uint32_t)code;
    }
    len = mp_cosim_buf_len(h, MP_LD_ZERO, t->k);
    for (size_t i = 0; i < len; i++) {
        int zero = kind == KIND_MAX   ? wmin
                   : kind == KIND_MIN ? wmax
                   : kind == KIND_MIX ? (int)(mp_rng_next(r) & 1 ? wmax : wmin)
                                      : (int)mp_rng_range(r, wmin, wmax);
        t->buf[MP_LD_ZERO][i] = (uint32_t)zero;
    }
    for (int b = MP_LD_SCALE; b <= MP_LD_ACT_SCALE; b += 2) {
        len = mp_cosim_buf_len(h, b, t->k);
        for (size_t i = 0; i < len; i++) {
            float s = kind == KIND_MAX   ? scale_max
                      : kind == KIND_MIN ? scale_min
                      : kind == KIND_MIX ? (mp_rng_next(r) & 1 ? scale_max
                                                               : scale_min)
                                         : random_scale(r);
            t->buf[b][i] = mp_cosim_float_word(s);
        }
    }
}

/* Activations like an LLM layer's input: Gaussian, with one channel in 32
 * an outlier 16x larger (mpsim assumption after LLM.int8()'s observation
 * of outlier features); integer formats get a per-token absmax scale. */
static void fill_trace_acts(const mp_cosim_tiles *h, mp_cosim_tile *t,
                            mp_rng *r)
{
    int k = t->k;
    double *row = malloc(sizeof(double) * (size_t)k);
    if (!row)
        return;
    for (int m = 0; m < h->m_tile; m++) {
        double absmax = 0;
        for (int i = 0; i < k; i++) {
            row[i] = gaussian(r) * (i % 32 == 5 ? 16.0 : 1.0);
            absmax = fmax(absmax, fabs(row[i]));
        }
        /* integers: absmax maps to the format's max; floats: keep the
         * values, or divide by a per-token scale when the design has one */
        double scale = !mp_act_is_float(h->act) ? absmax / mp_act_max(h->act)
                       : h->has_act_scale       ? absmax / 8.0
                                                : 1.0;
        if (scale <= 0)
            scale = 1.0;
        if (h->has_act_scale) { /* the stored float32 scale is the truth */
            scale = (double)(float)scale;
            t->buf[MP_LD_ACT_SCALE][m] = mp_cosim_float_word((float)scale);
        }
        for (int i = 0; i < k; i++) {
            double v = mp_act_round(h->act, row[i] / scale, MP_OVF_SATURATE);
            t->buf[MP_LD_X][(size_t)m * (size_t)k + (size_t)i] =
                mp_cosim_act_word(h->act, v);
        }
    }
    free(row);
}

/* Weights N(0, 0.02) quantized group-wise like a real checkpoint.  Signed
 * codes cannot carry zero points in mp_quantize(), so they are quantized
 * symmetrically and get zero points of 0 when the design has them. */
static int fill_trace_weights(const mp_cosim_tiles *h, mp_cosim_tile *t,
                              mp_rng *r, mp_diag *d)
{
    int k = t->k, n = h->n_tile;
    int group = h->group > 0 ? h->group : k, groups = k / group;
    size_t wlen = (size_t)k * (size_t)n, slen = (size_t)groups * (size_t)n;
    float *w = malloc(sizeof(float) * wlen);
    mp_wcode *q = malloc(wlen * sizeof *q);
    float *scales = malloc(sizeof(float) * slen);
    int32_t *zeros = calloc(slen, sizeof(int32_t));
    int rc = -1;
    if (!w || !q || !scales || !zeros) {
        mp_fail(d, "<memory>", 0, "tiles", "out of memory");
        goto out;
    }
    for (size_t i = 0; i < wlen; i++)
        w[i] = (float)(0.02 * gaussian(r));
    if (mp_wfmt_is_float(h->wfmt)) { /* FP16 weights: the values, rounded */
        for (size_t i = 0; i < wlen; i++)
            t->buf[MP_LD_W][i] =
                mp_fp_encode(MP_ACT_FP16, (double)w[i], MP_OVF_IEEE);
        rc = 0;
        goto out;
    }
    mp_quant_cfg cfg = {h->wfmt, group,
                        !h->has_zeros || h->wfmt.kind != MP_W_UNSIGNED, 1.0};
    if (mp_quantize(&cfg, w, k, n, q, scales, cfg.symmetric ? NULL : zeros,
                    d))
        goto out;
    for (size_t i = 0; i < wlen; i++)
        t->buf[MP_LD_W][i] = (uint32_t)mp_wcode_value(h->wfmt, q[i]);
    for (size_t i = 0; i < slen; i++) {
        if (h->has_scales)
            t->buf[MP_LD_SCALE][i] = mp_cosim_float_word(scales[i]);
        if (h->has_zeros)
            t->buf[MP_LD_ZERO][i] = (uint32_t)zeros[i];
    }
    rc = 0;
out:
    free(w);
    free(q);
    free(scales);
    free(zeros);
    return rc;
}

/* An N:M sparse PE (dsp-chain's muxes) takes at most N nonzero codes in
 * every block of M along K of a column: zero random ones beyond that, so
 * the tile is one the hardware accepts (the golden itself is dense). */
static void prune_to_pattern(const mp_cosim_tiles *h, mp_cosim_tile *t,
                             mp_rng *r)
{
    int n_tile = h->n_tile, block = h->sparse_m;
    if (!block || h->sparse_n >= block)
        return;
    for (int n = 0; n < n_tile; n++)
        for (int k0 = 0; k0 < t->k; k0 += block) {
            int end = k0 + block < t->k ? k0 + block : t->k, nonzero = 0;
            for (int k = k0; k < end; k++)
                nonzero += t->buf[MP_LD_W][(size_t)k * n_tile + n] != 0;
            while (nonzero > h->sparse_n) {
                int k = k0 + (int)mp_rng_range(r, 0, end - k0 - 1);
                uint32_t *code = &t->buf[MP_LD_W][(size_t)k * n_tile + n];
                if (*code) {
                    *code = 0;
                    nonzero--;
                }
            }
        }
}

int mp_cosim_stim(mp_cosim_tiles *h, const mp_stim_opts *o, mp_diag *d)
{
    if (o->k_step < 1 || h->k_max < o->k_step)
        return mp_fail(d, MP_CMDLINE, 0, "k_max",
                       "K_MAX %d is smaller than the K step %d", h->k_max,
                       o->k_step);
    h->tiles = calloc(o->count > 0 ? (size_t)o->count : 1, sizeof *h->tiles);
    if (!h->tiles)
        return mp_fail(d, "<memory>", 0, "tiles", "out of memory");
    mp_rng rng;
    mp_rng_seed(&rng, o->seed);
    uint32_t *scratch = malloc(sizeof(uint32_t) * (size_t)h->m_tile *
                               (size_t)h->n_tile);
    if (!scratch)
        return mp_fail(d, "<memory>", 0, "tiles", "out of memory");
    int rc = 0;
    for (int i = 0; i < o->count && !rc; i++) {
        tile_kind kind = kind_of(i, o->trace_k > 0);
        mp_cosim_tile *t = &h->tiles[i];
        h->count = i + 1;
        rc = mp_cosim_tile_alloc(h, t, tile_k(h, o, kind, &rng), d);
        if (rc)
            break;
        snprintf(t->kind, sizeof t->kind, "%s", kind_names[kind]);
        if (kind == KIND_TRACE) {
            fill_synthetic(h, t, KIND_RANDOM, &rng); /* then overwrite */
            fill_trace_acts(h, t, &rng);
            rc = fill_trace_weights(h, t, &rng, d);
        } else {
            fill_synthetic(h, t, kind, &rng);
        }
        prune_to_pattern(h, t, &rng);
        /* The golden must accept what we send, or the test is void. */
        if (!rc)
            rc = mp_cosim_expected(h, t, scratch, d);
    }
    free(scratch);
    return rc;
}
