/*
 * test_quantize.c - the weight quantizer.
 *
 * Property tests over random shapes, formats, group sizes and clipping
 * ratios check the contract of quantize.h from the outside: codes in
 * range, every weight inside the representable range of its group
 * dequantizes within half a step, weights outside it land on the extreme
 * code, 0 is exact, symmetric zero points are 0, scales follow the stated
 * formula; plus hand-computed cases (ties, clipping) and every error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden/quantize.h"
#include "golden/rng.h"

typedef struct quant_out {
    mp_wcode *q;
    float *scales;
    int32_t *zeros;
} quant_out;

static void out_alloc(quant_out *o, int k, int n, int group_size)
{
    size_t groups = (size_t)(k / group_size) * (size_t)n;
    o->q = calloc((size_t)k * (size_t)n, sizeof *o->q);
    o->scales = calloc(groups, sizeof *o->scales);
    o->zeros = calloc(groups, sizeof *o->zeros);
    assert_non_null(o->q);
    assert_non_null(o->scales);
    assert_non_null(o->zeros);
}

static void out_free(quant_out *o)
{
    free(o->q);
    free(o->scales);
    free(o->zeros);
}

/* Weights: roughly Gaussian (sum of uniforms) with a per-column magnitude
 * over six decades, some exact zeros and a few outliers. */
static void random_weights(mp_rng *r, float *w, int k, int n)
{
    for (int col = 0; col < n; col++) {
        double mag = pow(10.0, (double)mp_rng_range(r, -3, 3));
        for (int row = 0; row < k; row++) {
            double v = 0;
            for (int j = 0; j < 4; j++)
                v += mp_rng_unit(r) - 0.5;
            uint64_t pick = mp_rng_next(r) % 50;
            if (pick == 0)
                v = 0;
            else if (pick == 1)
                v *= 20; /* outlier */
            w[(size_t)row * (size_t)n + (size_t)col] = (float)(v * mag);
        }
    }
}

/* Code range of a configuration, from the contract. */
static void code_range(const mp_quant_cfg *cfg, int *lo, int *hi)
{
    if (cfg->wfmt.kind == MP_W_TERNARY) {
        *lo = -1;
        *hi = 1;
    } else if (cfg->symmetric) {
        *hi = (1 << (cfg->wfmt.bits - 1)) - 1;
        *lo = -*hi;
    } else {
        *lo = 0;
        *hi = (1 << cfg->wfmt.bits) - 1;
    }
}

/* The scale the contract asks for (before the FLT_MIN floor). */
static float expected_scale(const mp_quant_cfg *cfg, const float *w, int n,
                            int row0, int col)
{
    double amax = 0, asum = 0, lo = 0, hi = 0;
    for (int r = row0; r < row0 + cfg->group_size; r++) {
        double v = w[(size_t)r * (size_t)n + (size_t)col];
        amax = fmax(amax, fabs(v));
        asum += fabs(v);
        lo = fmin(lo, v);
        hi = fmax(hi, v);
    }
    double s;
    if (cfg->wfmt.kind == MP_W_TERNARY)
        s = cfg->clip * (asum / cfg->group_size);
    else if (cfg->symmetric)
        s = cfg->clip * amax / ((1 << (cfg->wfmt.bits - 1)) - 1);
    else
        s = cfg->clip * (hi - lo) / ((1 << cfg->wfmt.bits) - 1);
    if (s == 0)
        return 1.0f;
    return (float)s < FLT_MIN ? FLT_MIN : (float)s;
}

static void check_properties(const mp_quant_cfg *cfg, const float *w, int k,
                             int n, const quant_out *o)
{
    int lo, hi;
    code_range(cfg, &lo, &hi);
    for (int row = 0; row < k; row++)
        for (int col = 0; col < n; col++) {
            size_t i = (size_t)row * (size_t)n + (size_t)col;
            size_t at = (size_t)(row / cfg->group_size) * (size_t)n + (size_t)col;
            double s = o->scales[at];
            int z = o->zeros[at];
            int q = mp_wcode_value(cfg->wfmt, o->q[i]);
            assert_true(s > 0 && isfinite(s));
            assert_true(q >= lo && q <= hi);
            assert_true(z >= lo && z <= hi);
            if (cfg->symmetric)
                assert_int_equal(z, 0);
            if (row % cfg->group_size == 0)
                assert_true((float)s == expected_scale(cfg, w, n, row, col));
            double v = w[i];
            double deq = s * (q - z);
            if (v >= s * (lo - z) && v <= s * (hi - z)) {
                if (fabs(v - deq) > s / 2) {
                    print_error("w[%d][%d] = %.9g: q %d z %d s %.9g -> %.9g\n",
                                row, col, v, q, z, s, deq);
                    fail();
                }
            } else { /* clipped: the extreme code on its side */
                assert_int_equal(q, v > 0 ? hi : lo);
            }
            if (v == 0)
                assert_int_equal(q, z); /* zero is exact */
        }
}

static void test_random_properties(void **state)
{
    (void)state;
    static const int group_sizes[] = {1, 4, 8, 32, 64, 128};
    mp_rng rng;
    mp_rng_seed(&rng, 1234);
    for (int trial = 0; trial < 400; trial++) {
        mp_quant_cfg cfg;
        int kind = (int)mp_rng_range(&rng, 0, 2);
        cfg.wfmt.kind = (mp_wkind)kind;
        cfg.wfmt.bits = kind == MP_W_TERNARY ? 2
                        : kind == MP_W_SIGNED ? (int)mp_rng_range(&rng, 2, 8)
                                              : (int)mp_rng_range(&rng, 1, 8);
        cfg.symmetric = kind != MP_W_UNSIGNED;
        cfg.group_size = group_sizes[mp_rng_range(&rng, 0, 5)];
        int groups = (int)mp_rng_range(&rng, 1, 4);
        int per_channel = mp_rng_range(&rng, 0, 3) == 0;
        int k = cfg.group_size * groups;
        if (per_channel)
            cfg.group_size = k;
        int n = (int)mp_rng_range(&rng, 1, 9);
        cfg.clip = (trial % 3 == 0) ? 0.5 + 0.5 * mp_rng_unit(&rng) : 1.0;

        float *w = malloc((size_t)k * (size_t)n * sizeof *w);
        assert_non_null(w);
        random_weights(&rng, w, k, n);
        quant_out a, b;
        out_alloc(&a, k, n, cfg.group_size);
        out_alloc(&b, k, n, cfg.group_size);
        mp_diag d;
        if (mp_quantize(&cfg, w, k, n, a.q, a.scales, a.zeros, &d) != 0) {
            print_error("trial %d: %s: %s\n", trial, d.field, d.msg);
            fail();
        }
        check_properties(&cfg, w, k, n, &a);
        /* deterministic: same input, same bytes */
        assert_int_equal(mp_quantize(&cfg, w, k, n, b.q, b.scales, b.zeros, &d),
                         0);
        assert_memory_equal(a.q, b.q, (size_t)k * (size_t)n);
        assert_memory_equal(a.scales, b.scales,
                            (size_t)(k / cfg.group_size * n) * sizeof(float));
        assert_memory_equal(a.zeros, b.zeros,
                            (size_t)(k / cfg.group_size * n) * sizeof(int32_t));
        out_free(&a);
        out_free(&b);
        free(w);
    }
}

/* Runs one column through the quantizer and compares codes. */
static void expect_codes(mp_wfmt wfmt, int symmetric, double clip,
                         const float *w, int k, const int *want_q,
                         float want_scale, int want_zero)
{
    mp_quant_cfg cfg = {wfmt, k, symmetric, clip};
    quant_out o;
    out_alloc(&o, k, 1, k);
    mp_diag d;
    assert_int_equal(mp_quantize(&cfg, w, k, 1, o.q, o.scales, o.zeros, &d), 0);
    assert_true(o.scales[0] == want_scale);
    assert_int_equal(o.zeros[0], want_zero);
    for (int i = 0; i < k; i++)
        if (mp_wcode_value(wfmt, o.q[i]) != want_q[i]) {
            print_error("w[%d] = %g: code %d, want %d\n", i, w[i],
                        mp_wcode_value(wfmt, o.q[i]), want_q[i]);
            fail();
        }
    out_free(&o);
}

static void test_hand_cases(void **state)
{
    (void)state;
    mp_wfmt int4 = {MP_W_SIGNED, 4}, uint4 = {MP_W_UNSIGNED, 4};
    mp_wfmt int8 = {MP_W_SIGNED, 8}, uint8 = {MP_W_UNSIGNED, 8};
    mp_wfmt tern = {MP_W_TERNARY, 2};
    /* s = 7/7 = 1: ties go to even */
    const float w1[] = {7, 2.5f, -2.5f, 3.5f, -0.5f, 0.5f, 1.5f, -7};
    const int q1[] = {7, 2, -2, 4, 0, 0, 2, -7};
    expect_codes(int4, 1, 1.0, w1, 8, q1, 1.0f, 0);
    /* asymmetric, range includes 0: [0, 15], s = 1, z = 0 */
    const float w2[] = {1, 1.5f, 3, 15};
    const int q2[] = {1, 2, 3, 15};
    expect_codes(uint4, 0, 1.0, w2, 4, q2, 1.0f, 0);
    /* asymmetric [-5, 10]: s = 1, z = 5 */
    const float w3[] = {-5, 10, 0, 2.5f};
    const int q3[] = {0, 15, 5, 7};
    expect_codes(uint4, 0, 1.0, w3, 4, q3, 1.0f, 5);
    /* uint8: codes above 127 survive the mp_wcode storage */
    const float w4[] = {0, 255, 200, 128};
    const int q4[] = {0, 255, 200, 128};
    expect_codes(uint8, 0, 1.0, w4, 4, q4, 1.0f, 0);
    /* clip 0.5: s = 50/127; +-100 clip to +-127 */
    const float w5[] = {-100, 50, 100, 10};
    const int q5[] = {-127, 127, 127, 25};
    expect_codes(int8, 1, 0.5, w5, 4, q5, (float)(50.0 / 127), 0);
    /* ternary absmean: mean|w| = 1 */
    const float w6[] = {2, -1, 0.5f, -0.375f, 0.125f, -1.5f, 0.625f, -1.875f};
    const int q6[] = {1, -1, 0, 0, 0, -1, 1, -1};
    expect_codes(tern, 1, 1.0, w6, 8, q6, 1.0f, 0);
    /* clip 0.5 halves the ternary threshold: s = 0.5, 0.5 -> 1 */
    const int q6c[] = {1, -1, 1, -1, 0, -1, 1, -1};
    expect_codes(tern, 1, 0.5, w6, 8, q6c, 0.5f, 0);
    /* all-zero group: s = 1, codes 0 (and z = 0 when asymmetric) */
    const float w7[] = {0, 0, -0.0f, 0};
    const int q7[] = {0, 0, 0, 0};
    expect_codes(int4, 1, 1.0, w7, 4, q7, 1.0f, 0);
    expect_codes(uint4, 0, 1.0, w7, 4, q7, 1.0f, 0);
    expect_codes(tern, 1, 1.0, w7, 4, q7, 1.0f, 0);
    /* tiny weights: the scale is raised to FLT_MIN, codes stay exact */
    const float w8[] = {0x1p-140f, -0x1p-140f, 0x1p-141f, 0};
    const int q8[] = {0, 0, 0, 0};
    expect_codes(int4, 1, 1.0, w8, 4, q8, FLT_MIN, 0);
}

static void test_symmetric_zeros_null_ok(void **state)
{
    (void)state;
    mp_quant_cfg cfg = {{MP_W_SIGNED, 4}, 2, 1, 1.0};
    const float w[] = {1, -2, 3, 4};
    mp_wcode q[4];
    float s[2];
    mp_diag d;
    assert_int_equal(mp_quantize(&cfg, w, 2, 2, q, s, NULL, &d), 0);
}

static void expect_error(mp_quant_cfg cfg, const float *w, int k, int n,
                         int with_zeros, const char *field, const char *msg)
{
    quant_out o;
    out_alloc(&o, k > 0 ? k : 1, n > 0 ? n : 1, 1);
    mp_diag d;
    memset(&d, 0, sizeof d);
    int rc = mp_quantize(&cfg, w, k, n, o.q, o.scales,
                         with_zeros ? o.zeros : NULL, &d);
    out_free(&o);
    if (rc == 0) {
        print_error("accepted; expected %s: %s\n", field, msg);
        fail();
    }
    if (strcmp(d.field, field) != 0 || !strstr(d.msg, msg)) {
        print_error("got '%s: %s', want '%s' ~ '%s'\n", d.field, d.msg, field,
                    msg);
        fail();
    }
}

static void test_errors(void **state)
{
    (void)state;
    float w[12] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12};
    mp_wfmt int4 = {MP_W_SIGNED, 4}, uint4 = {MP_W_UNSIGNED, 4};
    mp_quant_cfg good = {int4, 2, 1, 1.0};
    mp_quant_cfg c;
    c = good; c.group_size = 4;  /* K = 6 */
    expect_error(c, w, 6, 2, 1, "group_size", "divisor of K = 6, got 4");
    c = good; c.group_size = 0;
    expect_error(c, w, 6, 2, 1, "group_size", "got 0");
    c = good; c.clip = 0;
    expect_error(c, w, 6, 2, 1, "clip", "(0, 1]");
    c = good; c.clip = 1.5;
    expect_error(c, w, 6, 2, 1, "clip", "got 1.5");
    c = good; c.clip = NAN;
    expect_error(c, w, 6, 2, 1, "clip", "(0, 1]");
    c = good; c.symmetric = 0;
    expect_error(c, w, 6, 2, 1, "symmetric", "needs an unsigned format, got int4");
    c = good; c.symmetric = 0; c.wfmt.kind = MP_W_TERNARY; c.wfmt.bits = 2;
    expect_error(c, w, 6, 2, 1, "symmetric", "got ternary");
    c = good; c.wfmt = uint4;
    expect_error(c, w, 6, 2, 1, "symmetric", "got uint4");
    c = good; c.wfmt.bits = 1;
    expect_error(c, w, 6, 2, 1, "wfmt", "int1");
    c = good; c.wfmt.bits = 9;
    expect_error(c, w, 6, 2, 1, "wfmt", "bits must be 1..8, got 9");
    c = good; c.wfmt = uint4; c.symmetric = 0;
    expect_error(c, w, 6, 2, 0, "zeros", "zero-point");
    expect_error(good, w, 0, 2, 1, "shape", "> 0");
    w[5] = NAN; /* row 2, column 1 of [6][2] */
    expect_error(good, w, 6, 2, 1, "w[2][1]", "NaN (flat index 5)");
    w[5] = -INFINITY;
    expect_error(good, w, 6, 2, 1, "w[2][1]", "Inf");
    w[5] = 6;
    /* uint1 over [-FLT_MAX, FLT_MAX]: the step 2*FLT_MAX is not a float */
    float huge[2] = {-FLT_MAX, FLT_MAX};
    c.wfmt.kind = MP_W_UNSIGNED; c.wfmt.bits = 1; c.symmetric = 0;
    c.group_size = 2; c.clip = 1.0;
    expect_error(c, huge, 2, 1, 1, "w", "exceeds float32");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_properties),
        cmocka_unit_test(test_hand_cases),
        cmocka_unit_test(test_symmetric_zeros_null_ok),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
