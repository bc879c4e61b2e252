/*
 * test_mpgemm.c - the golden mixed-precision GEMM.
 *
 * Properties over random shapes, weight formats (1..8 bits, signed,
 * unsigned, ternary) and group sizes (every divisor kind, per-channel
 * included), checked against independent int64 sums written here; the
 * exactness of the rounding primitives on double-rounding traps; hand
 * computed FP16 accumulation orders; the overflow boundary (largest
 * accepted, smallest rejected); and every rejection of mp_gemm_check.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden/mpgemm.h"
#include "golden/rng.h"

/* ---- a random GEMM ----------------------------------------------------- */

typedef struct gemm {
    mp_gemm_in in;
    double *x;
    mp_wcode *wq;
    float *scales, *act_scale;
    int32_t *zeros;
    double *y, *y2, *ref;
} gemm;

static void gemm_alloc(gemm *t, int m, int n, int k, int group)
{
    memset(t, 0, sizeof *t);
    t->in.m = m;
    t->in.n = n;
    t->in.k = k;
    t->in.group_size = group;
    t->x = calloc((size_t)m * k, sizeof *t->x);
    t->wq = calloc((size_t)k * n, sizeof *t->wq);
    t->scales = calloc((size_t)(k / group) * n, sizeof *t->scales);
    t->zeros = calloc((size_t)(k / group) * n, sizeof *t->zeros);
    t->act_scale = calloc((size_t)m, sizeof *t->act_scale);
    t->y = calloc((size_t)m * n, sizeof *t->y);
    t->y2 = calloc((size_t)m * n, sizeof *t->y2);
    t->ref = calloc((size_t)m * n, sizeof *t->ref);
    t->in.x = t->x;
    t->in.wq = t->wq;
}

static void gemm_free(gemm *t)
{
    free(t->x);
    free(t->wq);
    free(t->scales);
    free(t->zeros);
    free(t->act_scale);
    free(t->y);
    free(t->y2);
    free(t->ref);
}

static const int divisor_pool[] = {4, 8, 12, 16, 32};

/* Random weights of format w and activations of format act (values drawn
 * from a modest range so float sums stay far from overflow). */
static void gemm_random(gemm *t, mp_rng *r, mp_wfmt w, mp_act_fmt act,
                        int m, int n, int k, int group)
{
    gemm_alloc(t, m, n, k, group);
    t->in.wfmt = w;
    t->in.act = act;
    int qlo = mp_wfmt_min(w), qhi = mp_wfmt_max(w);
    for (size_t i = 0; i < (size_t)k * n; i++)
        t->wq[i] = mp_wcode_store((int)mp_rng_range(r, qlo, qhi));
    for (size_t i = 0; i < (size_t)m * k; i++) {
        if (act == MP_ACT_INT4)
            t->x[i] = (double)mp_rng_range(r, -8, 7);
        else if (act == MP_ACT_INT8)
            t->x[i] = (double)mp_rng_range(r, -128, 127);
        else if (act == MP_ACT_INT16)
            t->x[i] = (double)mp_rng_range(r, -32768, 32767);
        else
            t->x[i] = mp_round_to(act, (mp_rng_unit(r) - 0.5) * 8.0);
    }
    for (size_t i = 0; i < (size_t)(k / group) * n; i++) {
        t->scales[i] = (float)(0.001 + 0.01 * mp_rng_unit(r));
        t->zeros[i] = (int32_t)mp_rng_range(r, qlo, qhi);
    }
    for (int i = 0; i < m; i++)
        t->act_scale[i] = (float)(0.5 + mp_rng_unit(r));
}

static mp_wfmt random_wfmt(mp_rng *r)
{
    mp_wfmt w;
    int pick = (int)mp_rng_range(r, 0, 16);
    if (pick == 16) {
        w.kind = MP_W_TERNARY;
        w.bits = 2;
    } else {
        w.kind = pick < 8 ? MP_W_SIGNED : MP_W_UNSIGNED;
        w.bits = pick % 8 + 1;
    }
    return w;
}

/* Exact int64 sum of (q - z) x over group g (integer activations). */
static int64_t int_group_sum(const gemm *t, int m, int n, int g)
{
    const mp_gemm_in *in = &t->in;
    int64_t sum = 0, zero = in->zeros ? in->zeros[(size_t)g * in->n + n] : 0;
    for (int k = g * in->group_size; k < (g + 1) * in->group_size; k++)
        sum += (mp_wcode_value(in->wfmt, in->wq[(size_t)k * in->n + n]) -
                zero) * (int64_t)in->x[(size_t)m * in->k + k];
    return sum;
}

/* Every output y[m][n] equals the exact integer sum over the groups. */
static void assert_exact_sums(const gemm *t, int groups, const double *y)
{
    for (int m = 0; m < t->in.m; m++)
        for (int n = 0; n < t->in.n; n++) {
            int64_t sum = 0;
            for (int g = 0; g < groups; g++)
                sum += int_group_sum(t, m, n, g);
            assert_true(y[m * t->in.n + n] == (double)sum);
        }
}

static void expect_ok(const mp_gemm_in *in, const mp_arith *ar, double *y)
{
    mp_diag d;
    memset(&d, 0, sizeof d);
    int rc = mp_gemm_hw(in, ar, y, &d);
    if (rc)
        fprintf(stderr, "unexpected failure: %s: %s\n", d.field, d.msg);
    assert_int_equal(rc, 0);
}

/* ---- properties -------------------------------------------------------- */

static void zero_weights_give_zero(void **state)
{
    (void)state;
    mp_rng r;
    mp_rng_seed(&r, 1);
    for (int trial = 0; trial < 40; trial++) {
        gemm t;
        mp_wfmt w = random_wfmt(&r);
        mp_act_fmt act = trial % 2 ? MP_ACT_FP16 : MP_ACT_INT8;
        int group = divisor_pool[mp_rng_range(&r, 0, 4)];
        gemm_random(&t, &r, w, act, 1 + (int)mp_rng_range(&r, 0, 4),
                    1 + (int)mp_rng_range(&r, 0, 5), group * 3, group);
        memset(t.wq, 0, (size_t)t.in.k * t.in.n * sizeof *t.wq); /* code 0, no zeros */
        t.in.scales = t.scales;
        t.in.act_scale = t.act_scale;
        mp_arith ar = mp_arith_default(&t.in);
        expect_ok(&t.in, &ar, t.y);
        mp_arith per_weight = ar;
        per_weight.dequant = MP_DEQ_PER_WEIGHT;
        per_weight.fused = trial % 3 != 0;
        expect_ok(&t.in, &per_weight, t.ref);
        /* Bit-serial: signed codes are offset, so a zero weight is a sum
         * of planes that cancels against z'*S; exactly zero only when the
         * group sums are exact (integer activations).  A float group
         * accumulator leaves a rounding residue (docs/numerics.md, GEMM arithmetic). */
        if (act == MP_ACT_INT8) {
            ar.order = MP_ORDER_BIT_SERIAL;
            ar.acc_bits = 64;
        }
        expect_ok(&t.in, &ar, t.y2);
        for (int i = 0; i < t.in.m * t.in.n; i++) {
            assert_true(t.y[i] == 0.0);
            assert_true(t.y2[i] == 0.0);
            assert_true(t.ref[i] == 0.0);
        }
        gemm_free(&t);
    }
}

/* Unit scales, no zero points: the exact integer sum (small enough to be
 * exact in FP32), and the integer output path equals it too. */
static void unit_scales_give_integer_sum(void **state)
{
    (void)state;
    mp_rng r;
    mp_rng_seed(&r, 2);
    for (int trial = 0; trial < 60; trial++) {
        gemm t;
        mp_wfmt w = random_wfmt(&r);
        int group = (int)mp_rng_range(&r, 1, 9);
        int groups = (int)mp_rng_range(&r, 1, 4);
        gemm_random(&t, &r, w, MP_ACT_INT8, 1 + (int)mp_rng_range(&r, 0, 3),
                    1 + (int)mp_rng_range(&r, 0, 4), group * groups, group);
        for (int i = 0; i < groups * t.in.n; i++)
            t.scales[i] = 1.0f;
        mp_arith ar = mp_arith_default(&t.in); /* integer output */
        expect_ok(&t.in, &ar, t.y);
        t.in.scales = t.scales;
        ar = mp_arith_default(&t.in);
        expect_ok(&t.in, &ar, t.y2);
        assert_exact_sums(&t, groups, t.y);
        assert_exact_sums(&t, groups, t.y2);
        gemm_free(&t);
    }
}

/* Integer output is the exact sum whatever registers and order the
 * arithmetic names (even FP16 tables that could not hold INT16 sums). */
static void integer_output_ignores_rounding_knobs(void **state)
{
    (void)state;
    mp_rng r;
    mp_rng_seed(&r, 10);
    for (int trial = 0; trial < 20; trial++) {
        gemm t;
        mp_wfmt w = random_wfmt(&r);
        gemm_random(&t, &r, w, MP_ACT_INT16, 2, 3, 32, 16);
        if (w.kind != MP_W_TERNARY)
            t.in.zeros = t.zeros;
        mp_arith ar = {MP_DEQ_PER_GROUP, MP_ACC_FP16, 0, 0, MP_ACC_INT,
                       MP_ACT_FP16, MP_ORDER_BIT_SERIAL, MP_ACT_FP16, 0};
        if (trial % 2)
            ar.dequant = MP_DEQ_PER_WEIGHT, ar.order = MP_ORDER_K_ASCENDING;
        expect_ok(&t.in, &ar, t.y);
        for (int m = 0; m < 2; m++)
            for (int n = 0; n < 3; n++)
                assert_true(t.y[m * 3 + n] ==
                            (double)(int_group_sum(&t, m, n, 0) +
                                     int_group_sum(&t, m, n, 1)));
        gemm_free(&t);
    }
}

/* INT4 activations: the integer output is the exact sum of (q - z) x in
 * both orders and with the default accumulator width, on random tiles and
 * on tiles at the extremes (-8 x the most negative code ...). */
static void int4_activations_exact(void **state)
{
    (void)state;
    mp_rng r;
    mp_rng_seed(&r, 44);
    for (int trial = 0; trial < 60; trial++) {
        gemm t;
        mp_wfmt w = random_wfmt(&r);
        int group = divisor_pool[mp_rng_range(&r, 0, 4)];
        int groups = (int)mp_rng_range(&r, 1, 3);
        gemm_random(&t, &r, w, MP_ACT_INT4, 1 + (int)mp_rng_range(&r, 0, 3),
                    1 + (int)mp_rng_range(&r, 0, 4), group * groups, group);
        int extreme = trial % 3 == 0;
        int qlo = mp_wfmt_min(w), qhi = mp_wfmt_max(w);
        if (extreme) {
            for (int i = 0; i < t.in.m * t.in.k; i++)
                t.x[i] = trial % 2 ? -8.0 : (i % 2 ? -8.0 : 7.0);
            for (int i = 0; i < t.in.k * t.in.n; i++)
                t.wq[i] = mp_wcode_store(trial % 2 ? qlo : qhi);
        }
        if (trial % 2 && w.kind != MP_W_TERNARY)
            t.in.zeros = t.zeros;
        mp_arith ar = mp_arith_default(&t.in);
        assert_int_equal(ar.table_fmt, MP_ACT_INT16);
        expect_ok(&t.in, &ar, t.y);
        ar.order = MP_ORDER_BIT_SERIAL;
        expect_ok(&t.in, &ar, t.y2);
        assert_exact_sums(&t, groups, t.y);
        assert_exact_sums(&t, groups, t.y2);
        gemm_free(&t);
    }
}

/* Ternary weights of +-1: signed sums of x, in every order. */
static void ternary_is_signed_sum(void **state)
{
    (void)state;
    mp_rng r;
    mp_rng_seed(&r, 3);
    mp_wfmt tern = {MP_W_TERNARY, 2};
    for (int trial = 0; trial < 30; trial++) {
        gemm t;
        int group = divisor_pool[mp_rng_range(&r, 0, 4)];
        gemm_random(&t, &r, tern, MP_ACT_INT16, 2, 3, group * 2, group);
        for (int i = 0; i < t.in.k * t.in.n; i++)
            t.wq[i] = mp_rng_range(&r, 0, 1) ? 1 : -1;
        mp_arith ar = mp_arith_default(&t.in);
        expect_ok(&t.in, &ar, t.y);
        ar.order = MP_ORDER_BIT_SERIAL;
        expect_ok(&t.in, &ar, t.y2);
        for (int m = 0; m < t.in.m; m++)
            for (int n = 0; n < t.in.n; n++) {
                double sum = 0;
                for (int k = 0; k < t.in.k; k++)
                    sum += t.wq[k * t.in.n + n] * t.x[m * t.in.k + k];
                assert_true(t.y[m * t.in.n + n] == sum);
                assert_true(t.y2[m * t.in.n + n] == sum);
            }
        gemm_free(&t);
    }
}

/* With integer activations and exact group sums, the LUT Tensor Core's
 * bit-serial order gives bit for bit the K-ascending result. */
static void bit_serial_equals_k_ascending(void **state)
{
    (void)state;
    mp_rng r;
    mp_rng_seed(&r, 4);
    for (int trial = 0; trial < 80; trial++) {
        gemm t;
        mp_wfmt w = random_wfmt(&r);
        mp_act_fmt act = trial % 3 ? MP_ACT_INT8 : MP_ACT_INT16;
        int group = divisor_pool[mp_rng_range(&r, 0, 4)];
        int groups = (int)mp_rng_range(&r, 1, 3);
        gemm_random(&t, &r, w, act, 1 + (int)mp_rng_range(&r, 0, 3),
                    1 + (int)mp_rng_range(&r, 0, 6), group * groups, group);
        if (trial % 2)
            t.in.zeros = t.zeros;
        if (trial % 4 < 3)
            t.in.scales = t.scales;
        if (trial % 5 == 0 && t.in.scales)
            t.in.act_scale = t.act_scale;
        mp_arith ar = mp_arith_default(&t.in);
        if (trial % 7 == 0 && t.in.scales)
            ar.out_acc = MP_ACC_FP16;
        ar.table_fmt = act == MP_ACT_INT8 ? MP_ACT_INT16 : MP_ACT_FP32;
        ar.acc_bits = 64;
        expect_ok(&t.in, &ar, t.y);
        ar.order = MP_ORDER_BIT_SERIAL;
        expect_ok(&t.in, &ar, t.y2);
        assert_memory_equal(t.y, t.y2, (size_t)t.in.m * t.in.n * sizeof *t.y);
        gemm_free(&t);
    }
}

/* Power-of-two scales and small values: every arithmetic is exact, so all
 * of them (per-weight FP16, FP16/FP32 group sums, bit-serial FP16 tables)
 * equal the float64 reference exactly. */
static void exact_when_representable(void **state)
{
    (void)state;
    mp_rng r;
    mp_rng_seed(&r, 5);
    for (int trial = 0; trial < 40; trial++) {
        gemm t;
        mp_wfmt w = {MP_W_UNSIGNED, (int)mp_rng_range(&r, 1, 4)};
        gemm_random(&t, &r, w, MP_ACT_FP16, 2, 3, 8, 4);
        for (int i = 0; i < 2 * 8; i++)
            t.x[i] = (double)mp_rng_range(&r, -4, 4) / 2.0;
        for (int i = 0; i < 2 * 3; i++)
            t.scales[i] = ldexpf(1.0f, -(int)mp_rng_range(&r, 0, 1));
        t.in.scales = t.scales;
        t.in.zeros = t.zeros;
        mp_gemm_ref_f64(&t.in, t.ref);
        static const mp_arith variants[] = {
            {MP_DEQ_PER_GROUP, MP_ACC_FIXED, 64, 24, MP_ACC_FP32, MP_ACT_FP16,
             MP_ORDER_K_ASCENDING, MP_ACT_FP16, 1},
            {MP_DEQ_PER_GROUP, MP_ACC_FP16, 0, 0, MP_ACC_FP16, MP_ACT_FP16,
             MP_ORDER_K_ASCENDING, MP_ACT_FP16, 0},
            {MP_DEQ_PER_GROUP, MP_ACC_FP32, 0, 0, MP_ACC_FP32, MP_ACT_FP16,
             MP_ORDER_BIT_SERIAL, MP_ACT_FP16, 1},
            {MP_DEQ_PER_GROUP, MP_ACC_FP16, 0, 0, MP_ACC_FP16, MP_ACT_FP16,
             MP_ORDER_BIT_SERIAL, MP_ACT_FP16, 1},
            {MP_DEQ_PER_WEIGHT, MP_ACC_FP32, 0, 0, MP_ACC_FP16, MP_ACT_FP16,
             MP_ORDER_K_ASCENDING, MP_ACT_FP16, 0},
        };
        for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
            expect_ok(&t.in, &variants[v], t.y);
            assert_memory_equal(t.y, t.ref, 6 * sizeof *t.y);
        }
        gemm_free(&t);
    }
}

/* The rounding error bound of docs/numerics.md (GEMM arithmetic): with exact group sums,
 * |y - y_ref| <= |a| * (u + (G_n - 1 + 2u) u ... ) <= |a| (G_n + 2) u A,
 * A = sum_g |s_g r_g|, u = 2^-24 (FP32), G_n groups; plus the float64
 * reference's own error (negligible, covered by the same slack). */
static void per_group_within_bound(void **state)
{
    (void)state;
    mp_rng r;
    mp_rng_seed(&r, 6);
    const double u = ldexp(1.0, -24);
    for (int trial = 0; trial < 60; trial++) {
        gemm t;
        mp_wfmt w = random_wfmt(&r);
        mp_act_fmt act = trial % 2 ? MP_ACT_FP16 : MP_ACT_INT8;
        int group = trial % 3 ? divisor_pool[mp_rng_range(&r, 0, 4)] : 64;
        int groups = trial % 3 ? (int)mp_rng_range(&r, 2, 8) : 1;
        gemm_random(&t, &r, w, act, 3, 4, group * groups, group);
        t.in.scales = t.scales;
        t.in.zeros = w.kind == MP_W_UNSIGNED ? t.zeros : NULL;
        t.in.act_scale = trial % 4 ? t.act_scale : NULL;
        mp_arith ar = mp_arith_default(&t.in);
        expect_ok(&t.in, &ar, t.y);
        for (int m = 0; m < t.in.m; m++)
            for (int n = 0; n < t.in.n; n++) {
                double exact = 0, mass = 0;
                for (int g = 0; g < groups; g++) {
                    double part = 0; /* exact: values on the 2^-24 grid */
                    int32_t z = t.in.zeros ? t.zeros[g * t.in.n + n] : 0;
                    for (int k = g * group; k < (g + 1) * group; k++)
                        part += (mp_wcode_value(w, t.wq[k * t.in.n + n]) - z) *
                                t.x[m * t.in.k + k];
                    double term = (double)t.scales[g * t.in.n + n] * part;
                    exact += term;
                    mass += fabs(term);
                }
                double a = t.in.act_scale ? t.act_scale[m] : 1.0;
                double bound = fabs(a) * (groups + 2) * u * mass * 1.000001 +
                               1e-300;
                double err = fabs(t.y[m * t.in.n + n] - a * exact);
                if (err > bound)
                    fprintf(stderr, "err %g > bound %g\n", err, bound);
                assert_true(err <= bound);
            }
        gemm_free(&t);
    }
}

/* A coarse fixed grid (2^-4) with FP16 activations off the grid: each
 * product and each activation is rounded onto the grid (RNE) before the
 * exact sum; independent computation with nearbyint. */
static void fixed_grid_rounds_each_addend(void **state)
{
    (void)state;
    mp_rng r;
    mp_rng_seed(&r, 8);
    for (int trial = 0; trial < 20; trial++) {
        gemm t;
        mp_wfmt w = {MP_W_UNSIGNED, 4};
        gemm_random(&t, &r, w, MP_ACT_FP16, 2, 3, 16, 8);
        t.in.scales = t.scales;
        t.in.zeros = t.zeros;
        mp_arith ar = mp_arith_default(&t.in);
        ar.frac_bits = 4;
        expect_ok(&t.in, &ar, t.y);
        for (int m = 0; m < 2; m++)
            for (int n = 0; n < 3; n++) {
                double acc = 0;
                for (int g = 0; g < 2; g++) {
                    int64_t p = 0, sum = 0, z = t.zeros[g * 3 + n];
                    for (int k = 8 * g; k < 8 * g + 8; k++) {
                        double x = t.x[m * 16 + k];
                        p += (int64_t)nearbyint(
                            mp_wcode_value(w, t.wq[k * 3 + n]) * x * 16);
                        sum += (int64_t)nearbyint(x * 16);
                    }
                    /* |s * r| < 2^24 * ulp: the float64 product is exact
                     * here (r < 2^20, s has 24 bits), so one rounding */
                    double d = mp_round_to(MP_ACT_FP32,
                                           (double)t.scales[g * 3 + n] *
                                               (double)(p - z * sum) / 16);
                    acc = mp_round_to(MP_ACT_FP32, acc + d);
                }
                assert_true(t.y[m * 3 + n] == acc);
            }
        gemm_free(&t);
    }
}

/* The LUT Tensor Core FP16 path written straight from the definition in
 * docs/numerics.md (GEMM arithmetic) 4.3 (each +-1 plane sum of four activations
 * rounded once to FP16, FP16 plane and group registers, lowest plane
 * first), without tables or index/sign tricks. */
static double serial_fp16_spec(const gemm *t, int m, int n)
{
    const mp_gemm_in *in = &t->in;
    int bits = in->wfmt.kind == MP_W_TERNARY ? 2 : in->wfmt.bits;
    int offset = in->wfmt.kind == MP_W_UNSIGNED ? 0 : 1 << (bits - 1);
    double acc = 0;
    for (int g = 0; g < in->k / in->group_size; g++) {
        double p = 0, sum = 0;
        for (int b = 0; b < bits; b++) {
            double plane = 0;
            for (int k0 = g * in->group_size; k0 < (g + 1) * in->group_size;
                 k0 += 4) {
                double exact = 0;
                for (int c = 0; c < 4; c++) {
                    int u = mp_wcode_value(in->wfmt,
                                           in->wq[(k0 + c) * in->n + n]) +
                            offset;
                    exact += ((u >> b & 1) ? 1 : -1) * in->x[m * in->k + k0 + c];
                }
                plane = mp_round_sum(MP_ACT_FP16, plane,
                                     mp_round_to(MP_ACT_FP16, exact));
            }
            p = mp_round_sum(MP_ACT_FP16, p, ldexp(plane, b));
        }
        for (int k = g * in->group_size; k < (g + 1) * in->group_size; k++)
            sum = mp_round_sum(MP_ACT_FP16, sum, in->x[m * in->k + k]);
        int zu = (in->zeros ? in->zeros[g * in->n + n] : 0) + offset;
        int zp = 2 * zu + 1 - (1 << bits);
        double r = mp_round_sum(MP_ACT_FP16, p, -(double)zp * sum);
        double d = mp_round_to(MP_ACT_FP32,
                               (double)in->scales[g * in->n + n] / 2 * r);
        acc = mp_round_sum(MP_ACT_FP32, acc, d);
    }
    return acc;
}

static void bit_serial_fp16_matches_spec(void **state)
{
    (void)state;
    mp_rng r;
    mp_rng_seed(&r, 9);
    for (int trial = 0; trial < 40; trial++) {
        gemm t;
        mp_wfmt w = random_wfmt(&r);
        int group = divisor_pool[mp_rng_range(&r, 0, 4)];
        gemm_random(&t, &r, w, MP_ACT_FP16, 2, 3, group * 2, group);
        t.in.scales = t.scales;
        if (w.kind != MP_W_TERNARY && trial % 2)
            t.in.zeros = t.zeros;
        mp_arith ar = {MP_DEQ_PER_GROUP, MP_ACC_FP16, 0, 0, MP_ACC_FP32,
                       MP_ACT_FP16, MP_ORDER_BIT_SERIAL, MP_ACT_FP16, 1};
        expect_ok(&t.in, &ar, t.y);
        for (int m = 0; m < 2; m++)
            for (int n = 0; n < 3; n++)
                assert_true(t.y[m * 3 + n] == serial_fp16_spec(&t, m, n));
        gemm_free(&t);
    }
}

/* Every INT8 x INT4 product, as 1x1x1 GEMMs, in every arithmetic. */
static void int8_int4_products_exhaustive(void **state)
{
    (void)state;
    mp_wfmt w = {MP_W_SIGNED, 4};
    float one = 1.0f;
    for (int x = -128; x <= 127; x++)
        for (int q = -8; q <= 7; q++) {
            double xv = x, y = -1;
            mp_wcode code = (mp_wcode)q;
            mp_gemm_in in = {1, 1, 1, MP_ACT_INT8, &xv, NULL, w, &code, 1,
                             NULL, NULL};
            mp_arith ar = mp_arith_default(&in);
            expect_ok(&in, &ar, &y);
            assert_true(y == (double)(q * x));
            in.scales = &one;
            ar = mp_arith_default(&in);
            expect_ok(&in, &ar, &y);
            assert_true(y == (double)(q * x));
            ar.dequant = MP_DEQ_PER_WEIGHT;
            expect_ok(&in, &ar, &y);
            assert_true(y == (double)(q * x));
        }
}

/* ---- hand-computed evaluation orders ------------------------------------ */

static double run_small(const double *x, const mp_wcode *q, int k,
                        const mp_arith *ar)
{
    float one = 1.0f;
    double y = NAN;
    mp_gemm_in in = {1, 1, k, MP_ACT_FP16, x, NULL, {MP_W_SIGNED, 4},
                     q, k, &one, NULL};
    expect_ok(&in, ar, &y);
    return y;
}

/* FP16 group sums round in K order: 2048 + 1 = 2049 ties to 2048, twice;
 * the fixed-point group accumulator keeps 2050. */
static void fp16_order_matters(void **state)
{
    (void)state;
    const double x[3] = {2048, 1, 1};
    const mp_wcode q[3] = {1, 1, 1};
    mp_arith ar = {MP_DEQ_PER_GROUP, MP_ACC_FP16, 0, 0, MP_ACC_FP32,
                   MP_ACT_FP16, MP_ORDER_K_ASCENDING, MP_ACT_FP16, 1};
    assert_true(run_small(x, q, 3, &ar) == 2048.0);
    ar.group_acc = MP_ACC_FIXED;
    ar.acc_bits = 64;
    ar.frac_bits = 24;
    assert_true(run_small(x, q, 3, &ar) == 2050.0);
}

/* Fused: round(-6140 + 3*2047) = 1; unfused: 3*2047 = 6141 rounds to 6140
 * in FP16 first, and the sum is 0. */
static void fused_differs_from_unfused(void **state)
{
    (void)state;
    const double x[2] = {-2047, 2047};
    const mp_wcode q[2] = {3, 3};
    mp_arith ar = {MP_DEQ_PER_GROUP, MP_ACC_FP16, 0, 0, MP_ACC_FP32,
                   MP_ACT_FP16, MP_ORDER_K_ASCENDING, MP_ACT_FP16, 1};
    assert_true(run_small(x, q, 2, &ar) == 1.0);
    ar.fused = 0;
    assert_true(run_small(x, q, 2, &ar) == 0.0);
    /* per-weight FP16 MAC: same two behaviours in the output accumulator */
    ar.dequant = MP_DEQ_PER_WEIGHT;
    ar.out_acc = MP_ACC_FP16;
    ar.fused = 1;
    assert_true(run_small(x, q, 2, &ar) == 1.0);
    ar.fused = 0;
    assert_true(run_small(x, q, 2, &ar) == 0.0);
}

/* ---- exact rounding primitives ----------------------------------------- */

static void round_sum_has_no_double_rounding(void **state)
{
    (void)state;
    /* 1 + 2^-24 + 2^-60: float64 drops 2^-60 and lands on the FP32 tie,
     * which would round to 1; the exact sum is above the tie. */
    double a = 1.0, b = ldexp(1.0, -24) + ldexp(1.0, -60);
    assert_true(mp_round_to(MP_ACT_FP32, a + b) == 1.0);
    assert_true(mp_round_sum(MP_ACT_FP32, a, b) == 1.0 + ldexp(1.0, -23));
    assert_true(mp_round_sum(MP_ACT_FP32, -a, -b) == -1.0 - ldexp(1.0, -23));
    /* exactly the tie: to even */
    assert_true(mp_round_sum(MP_ACT_FP32, 1.0, ldexp(1.0, -24)) == 1.0);
    /* below the tie */
    assert_true(mp_round_sum(MP_ACT_FP16, 2049.0, -ldexp(1.0, -70)) ==
                2048.0);
    assert_true(mp_round_sum(MP_ACT_FP16, 2049.0, ldexp(1.0, -70)) == 2050.0);
    assert_true(isinf(mp_round_sum(MP_ACT_FP16, 65504.0, 16.0)));
    assert_true(mp_round_sum(MP_ACT_FP16, 65504.0, 15.99) == 65504.0);
}

static void round_scaled_is_exact(void **state)
{
    (void)state;
    /* (2049 * 2^50 + 1) * 2^-50 = 2049 + 2^-50: FP16 rounds up to 2050,
     * while (double)r would drop the +1 and tie down to 2048. */
    int64_t r = ((int64_t)2049 << 50) + 1;
    assert_true(mp_round_scaled(MP_ACT_FP16, 1.0, r, 50) == 2050.0);
    assert_true(mp_round_scaled(MP_ACT_FP16, 1.0, -r, 50) == -2050.0);
    assert_true(mp_round_scaled(MP_ACT_FP16, 1.0, (int64_t)2049 << 50, 50) ==
                2048.0);
    /* FP32: (2^24 + 5) * 2^35 + 1 at 2^-35 is 2^24 + 5 + 2^-35, above the
     * tie between 2^24 + 4 and 2^24 + 6 (float64 of r would tie to +4). */
    int64_t r32 = (((int64_t)1 << 24) + 5) * ((int64_t)1 << 35) + 1;
    assert_true(mp_round_scaled(MP_ACT_FP32, 1.0, r32, 35) ==
                ldexp(1.0, 24) + 6);
    /* s = 1 + 2^-23 times r = 2^24 + 1 is 2^24 + 3 + 2^-23: above the tie
     * between 2^24 + 2 and 2^24 + 4. */
    double s = 1.0 + ldexp(1.0, -23);
    assert_true(mp_round_scaled(MP_ACT_FP32, s, ((int64_t)1 << 24) + 1, 0) ==
                ldexp(1.0, 24) + 4);
    assert_true(mp_round_scaled(MP_ACT_FP32, -s, ((int64_t)1 << 24) + 1, 0) ==
                -ldexp(1.0, 24) - 4);
    assert_true(mp_round_scaled(MP_ACT_FP32, -0.0, 5, 0) == 0.0);
    assert_true(mp_to_grid(1.5 * ldexp(1.0, -24), 24) == 2);
    assert_true(mp_to_grid(2.5 * ldexp(1.0, -24), 24) == 2);
    assert_true(mp_to_grid(-2.5 * ldexp(1.0, -24), 24) == -2);
}

/* ---- overflow boundary ------------------------------------------------- */

static int check_acc(int k, int group, mp_act_fmt act, mp_wfmt w,
                     int with_scales, int acc_bits, mp_diag *d)
{
    double *x = calloc((size_t)k, sizeof *x);
    mp_wcode *q = calloc((size_t)k, sizeof *q);
    float scale = 1.0f;
    mp_gemm_in in = {1, 1, k, act, x, NULL, w, q, group,
                     with_scales ? &scale : NULL, NULL};
    mp_arith ar = mp_arith_default(&in);
    if (acc_bits)
        ar.acc_bits = acc_bits;
    memset(d, 0, sizeof *d);
    int rc = mp_gemm_check(&in, &ar, "t.npy", d);
    free(x);
    free(q);
    return rc;
}

static void overflow_boundary(void **state)
{
    (void)state;
    mp_diag d;
    mp_wfmt int8w = {MP_W_SIGNED, 8};
    /* INT8 x INT8: |P| <= 16384 G; INT32 holds it up to G = 131071. */
    assert_int_equal(check_acc(131071, 131071, MP_ACT_INT8, int8w, 1, 32, &d),
                     0);
    assert_int_equal(check_acc(131072, 131072, MP_ACT_INT8, int8w, 1, 32, &d),
                     -1);
    assert_string_equal(d.field, "acc_bits");
    assert_non_null(strstr(d.msg, "INT32 accumulator overflows: group of "
                                  "131072 int8 x int8 needs 33 bits"));
    /* the largest accepted one computes the extreme product exactly */
    {
        int k = 131071;
        double *x = malloc((size_t)k * sizeof *x);
        mp_wcode *q = malloc((size_t)k * sizeof *q);
        for (int i = 0; i < k; i++) {
            x[i] = -128;
            q[i] = -128;
        }
        float scale = 1.0f;
        double y = 0;
        mp_gemm_in in = {1, 1, k, MP_ACT_INT8, x, NULL, int8w, q, k, &scale,
                         NULL};
        mp_arith ar = mp_arith_default(&in);
        ar.acc_bits = 32;
        expect_ok(&in, &ar, &y);
        assert_true(y == 16384.0 * k);
        free(x);
        free(q);
    }
    /* INT16 x INT4, group 128: |P| <= 32768*8*128 = 2^25 -> 27 bits with
     * the sign of -2^25 ... accepted by 27, rejected by 26. */
    mp_wfmt int4w = {MP_W_SIGNED, 4};
    assert_int_equal(check_acc(128, 128, MP_ACT_INT16, int4w, 1, 27, &d), 0);
    assert_int_equal(check_acc(128, 128, MP_ACT_INT16, int4w, 1, 26, &d), -1);
    /* Fixed point for FP16: 65504 * 8 * 128 * 2^24 < 2^50: 51 bits */
    assert_int_equal(check_acc(128, 128, MP_ACT_FP16, int4w, 1, 64, &d), 0);
    assert_int_equal(check_acc(128, 128, MP_ACT_FP16, int4w, 1, 50, &d), -1);
    assert_non_null(strstr(d.msg, "fixed 50.24 accumulator overflows"));
    /* int32 output: K = 131071 accepted, 131072 not (no scales) */
    assert_int_equal(check_acc(131071, 1, MP_ACT_INT8, int8w, 0, 0, &d), 0);
    assert_int_equal(check_acc(131072, 1, MP_ACT_INT8, int8w, 0, 0, &d), -1);
    assert_string_equal(d.field, "out_acc");
    assert_non_null(strstr(d.msg, "int32 output overflows"));
    /* the default picks a width that fits: 48 bits for this one */
    {
        double x = 0;
        mp_wcode q = 0;
        float s = 1;
        mp_gemm_in in = {1, 1, 1, MP_ACT_INT8, &x, NULL, int8w, &q, 1, &s,
                         NULL};
        in.k = in.group_size = 131072;
        assert_int_equal(mp_arith_default(&in).acc_bits, 48);
    }
}

/* ---- every rejection of mp_gemm_check ----------------------------------- */

typedef struct bad_case {
    const char *field, *needle;
} bad_case;

static void expect_rejected(const mp_gemm_in *in, const mp_arith *ar,
                            const char *field, const char *needle)
{
    mp_diag d;
    memset(&d, 0, sizeof d);
    double y[64];
    assert_int_equal(mp_gemm_check(in, ar, "in.npy", &d), -1);
    if (strcmp(d.field, field) || !strstr(d.msg, needle))
        fprintf(stderr, "got %s: %s\n", d.field, d.msg);
    assert_string_equal(d.field, field);
    assert_non_null(strstr(d.msg, needle));
    assert_string_equal(d.file, "in.npy");
    assert_int_equal(mp_gemm_hw(in, ar, y, &d), -1); /* hw refuses too */
}

static void check_rejects_bad_input(void **state)
{
    (void)state;
    double x[8] = {1, 2, 3, 4, 5, 6, 7, 8};
    mp_wcode q[8] = {1, -1, 0, 1, 2, 0, 1, 1}; /* [4][2] */
    float scales[8] = {1, 1, 1, 1, 1, 1, 1, 1}, act_scale[2] = {1, 1};
    int32_t zeros[8] = {0};
    const mp_gemm_in good = {2, 2, 4, MP_ACT_INT8, x, NULL,
                             {MP_W_SIGNED, 4}, q, 4, scales, NULL};
    const mp_arith base = mp_arith_default(&good);
    mp_gemm_in in;
    mp_arith ar;
    double y[4];
    expect_ok(&good, &base, y);

#define RESET() (in = good, ar = base)
    RESET(); in.m = 0;
    expect_rejected(&in, &ar, "shape", "must be > 0");
    RESET(); in.k = -3;
    expect_rejected(&in, &ar, "shape", "must be > 0");
    RESET(); in.m = in.n = in.k = 2147483647;
    expect_rejected(&in, &ar, "shape", "too large");
    RESET(); in.group_size = 3;
    expect_rejected(&in, &ar, "group_size", "does not divide K = 4");
    RESET(); in.group_size = 0;
    expect_rejected(&in, &ar, "group_size", "does not divide");
    RESET(); in.wfmt.bits = 9;
    expect_rejected(&in, &ar, "wbits", "");
    RESET(); in.act = MP_ACT_COUNT;
    expect_rejected(&in, &ar, "act", "unknown activation");
    RESET(); x[6] = 200;
    expect_rejected(&in, &ar, "x", "x[1][2] = 200 is not a finite int8");
    x[6] = 7;
    RESET(); in.act = MP_ACT_INT4; /* x holds 1..8: only the 8 is out */
    expect_rejected(&in, &ar, "x", "x[1][3] = 8 is not a finite int4");
    x[7] = -8;
    in.act = MP_ACT_INT4;
    expect_ok(&in, &ar, y);
    x[7] = 8;
    RESET(); x[3] = 0.5;
    expect_rejected(&in, &ar, "x", "x[0][3]");
    x[3] = 4;
    RESET(); in.act = MP_ACT_FP16; x[5] = 1.0 / 3.0;
    expect_rejected(&in, &ar, "x", "x[1][1]");
    x[5] = INFINITY;
    expect_rejected(&in, &ar, "x", "not a finite fp16");
    x[5] = 6;
    RESET(); q[5] = 8;
    expect_rejected(&in, &ar, "wq", "wq[2][1] = 8 is outside int4 [-8, 7]");
    RESET(); in.wfmt.kind = MP_W_UNSIGNED; /* -1 reads as 255 */
    expect_rejected(&in, &ar, "wq", "wq[0][1] = 255 is outside uint4");
    RESET(); q[5] = 0; in.wfmt.kind = MP_W_TERNARY; in.wfmt.bits = 2;
    q[4] = 2;
    expect_rejected(&in, &ar, "wq", "wq[2][0] = 2 is outside ternary");
    q[4] = 2;
    RESET(); scales[1] = NAN;
    expect_rejected(&in, &ar, "scales", "scales[0][1]");
    scales[1] = 1;
    RESET(); in.zeros = zeros; zeros[1] = 8;
    expect_rejected(&in, &ar, "zeros", "zeros[0][1] = 8 is outside");
    zeros[1] = 0;
    RESET(); in.act_scale = act_scale; act_scale[1] = INFINITY;
    expect_rejected(&in, &ar, "act_scale", "act_scale[1]");
    act_scale[1] = 1;
    /* arithmetic consistency */
    RESET(); in.scales = NULL;
    expect_rejected(&in, &ar, "out_acc", "needs out_acc int");
    RESET(); in.scales = NULL; ar.out_acc = MP_ACC_INT; in.act = MP_ACT_FP16;
    expect_rejected(&in, &ar, "out_acc", "needs integer activations");
    RESET(); in.scales = NULL; ar.out_acc = MP_ACC_INT;
    in.act_scale = act_scale;
    expect_rejected(&in, &ar, "act_scale", "needs weight scales");
    RESET(); ar.out_acc = MP_ACC_INT;
    expect_rejected(&in, &ar, "out_acc", "must be fp16 or fp32");
    RESET(); ar.dequant = MP_DEQ_PER_WEIGHT; ar.order = MP_ORDER_BIT_SERIAL;
    expect_rejected(&in, &ar, "order", "k-ascending only");
    RESET(); ar.dequant = MP_DEQ_PER_WEIGHT; ar.weight_fmt = MP_ACT_INT8;
    expect_rejected(&in, &ar, "weight_fmt", "need a float format");
    RESET(); ar.dequant = (mp_dequant_point)7;
    expect_rejected(&in, &ar, "dequant", "unknown");
    RESET(); in.act = MP_ACT_FP16;
    expect_rejected(&in, &ar, "group_acc", "needs integer activations");
    RESET(); ar.group_acc = (mp_acc_fmt)9;
    expect_rejected(&in, &ar, "group_acc", "unknown");
    RESET(); ar.group_acc = MP_ACC_FIXED; ar.frac_bits = 63;
    expect_rejected(&in, &ar, "frac_bits", "0..62");
    RESET(); ar.acc_bits = 65;
    expect_rejected(&in, &ar, "acc_bits", "2..64");
    RESET(); ar.order = (mp_acc_order)5;
    expect_rejected(&in, &ar, "order", "unknown order");
    RESET(); ar.order = MP_ORDER_BIT_SERIAL; in.group_size = 2;
    expect_rejected(&in, &ar, "order", "multiples of 4");
    RESET(); ar.order = MP_ORDER_BIT_SERIAL; in.act = MP_ACT_BF16;
    ar.group_acc = MP_ACC_FP32;
    expect_rejected(&in, &ar, "order", "not supported");
    RESET(); ar.order = MP_ORDER_BIT_SERIAL; in.act = MP_ACT_FP16;
    ar.group_acc = MP_ACC_FP32; ar.table_fmt = MP_ACT_INT16;
    expect_rejected(&in, &ar, "table_fmt", "needs integer activations");
    RESET(); ar.order = MP_ORDER_BIT_SERIAL; ar.table_fmt = MP_ACT_INT8;
    expect_rejected(&in, &ar, "table_fmt", "reach 512, beyond int8");
    RESET(); ar.order = MP_ORDER_BIT_SERIAL; in.act = MP_ACT_FP16;
    ar.group_acc = MP_ACC_FIXED; ar.frac_bits = 24; ar.acc_bits = 64;
    ar.table_fmt = MP_ACT_FP16;
    expect_rejected(&in, &ar, "table_fmt", "cannot hold Inf");
    /* E4M3 saturates to NaN, not Inf: as unholdable in a fixed sum */
    RESET(); ar.order = MP_ORDER_BIT_SERIAL; in.act = MP_ACT_FP8_E4M3;
    ar.group_acc = MP_ACC_FIXED; ar.frac_bits = 9; ar.acc_bits = 64;
    ar.table_fmt = MP_ACT_FP8_E4M3;
    expect_rejected(&in, &ar, "table_fmt", "cannot hold Inf/NaN");
    RESET(); in.act = MP_ACT_FP32; ar.group_acc = MP_ACC_FIXED;
    ar.frac_bits = 0; ar.acc_bits = 64;
    expect_rejected(&in, &ar, "acc_bits", "accumulator overflows");
    RESET(); ar.acc_bits = 13;
    expect_rejected(&in, &ar, "acc_bits",
                    "INT13 accumulator overflows: group of 4 int8 x int4 "
                    "needs 14 bits");
    RESET(); ar.acc_bits = 14;
    expect_ok(&in, &ar, y);
#undef RESET
}

/* ---- presets, names, statistics ---------------------------------------- */

/* FP16 weights are values (no scale, no zero point), products exact,
 * accumulated K ascending with one rounding per add. */
static void fp16_weights_hand_worked(void **state)
{
    (void)state;
    mp_wfmt w = {MP_W_FP16, 16};
    /* X = [[1.5, -2], [2048, 1]], W = [[1.0, 0.5], [1.0, 0.5]] (0x3C00 = 1,
     * 0x3800 = 0.5; K x N = 2 x 2) */
    double x[4] = {1.5, -2, 2048, 1}, y[4];
    mp_wcode q[4] = {mp_wcode_store(0x3C00), mp_wcode_store(0x3800),
                     mp_wcode_store(0x3C00), mp_wcode_store(0x3800)};
    mp_gemm_in in = {2, 2, 2, MP_ACT_FP16, x, NULL, w, q, 2, NULL, NULL};
    mp_arith ar = mp_arith_default(&in);
    assert_int_equal(ar.dequant, MP_DEQ_PER_WEIGHT);
    assert_int_equal(ar.out_acc, MP_ACC_FP32);
    assert_false(mp_gemm_int_output(&in));
    expect_ok(&in, &ar, y);
    /* y00 = 1.5*1 + -2*1 = -0.5; y01 = 0.75 - 1 = -0.25;
     * y10 = 2048 + 1 = 2049 (exact in FP32); y11 = 1024 + 0.5 */
    assert_true(y[0] == -0.5 && y[1] == -0.25);
    assert_true(y[2] == 2049.0 && y[3] == 1024.5);
    /* FP16 accumulator: 2048 + 1 is a tie between 2048 and 2050 (spacing
     * 2 above 2048), to even: 2048; 1024 + 0.5 is a tie between 1024 and
     * 1025 (spacing 1), to even: 1024 */
    ar.out_acc = MP_ACC_FP16;
    expect_ok(&in, &ar, y);
    assert_true(y[2] == 2048.0 && y[3] == 1024.0);
    double ref[4];
    mp_gemm_ref_f64(&in, ref);
    assert_true(ref[2] == 2049.0 && ref[3] == 1024.5);
    /* a per-token scale multiplies the row once: 2049 * 0.5 */
    float half[2] = {1.0f, 0.5f};
    in.act_scale = half;
    ar.out_acc = MP_ACC_FP32;
    expect_ok(&in, &ar, y);
    assert_true(y[2] == 1024.5);
    in.act_scale = NULL;
    /* strict: finite patterns only, no scales or zero points, float
     * activations, per-weight FP16 arithmetic */
    q[1] = mp_wcode_store(0x7C00);
    expect_rejected(&in, &ar, "wq", "wq[0][1] = 0x7c00 is not a finite fp16");
    q[1] = mp_wcode_store(0x3800);
    float s[2] = {1, 1};
    int32_t z[2] = {0, 0};
    in.scales = s;
    expect_rejected(&in, &ar, "scales", "take no scales");
    in.scales = NULL;
    in.zeros = z;
    expect_rejected(&in, &ar, "zeros", "take no zero points");
    in.zeros = NULL;
    ar.dequant = MP_DEQ_PER_GROUP;
    expect_rejected(&in, &ar, "dequant", "per-weight");
    ar.dequant = MP_DEQ_PER_WEIGHT;
    ar.weight_fmt = MP_ACT_BF16;
    expect_rejected(&in, &ar, "dequant", "weight_fmt fp16");
    ar.weight_fmt = MP_ACT_FP16;
    x[0] = 1, x[2] = 2;
    in.act = MP_ACT_INT8;
    expect_rejected(&in, &ar, "act", "float activations");
}

static void defaults_and_names(void **state)
{
    (void)state;
    double x = 0;
    mp_wcode q = 0;
    float s = 1;
    mp_gemm_in in = {1, 1, 128, MP_ACT_INT8, &x, NULL, {MP_W_SIGNED, 4}, &q,
                     128, &s, NULL};
    mp_arith ar = mp_arith_default(&in);
    assert_int_equal(ar.dequant, MP_DEQ_PER_GROUP);
    assert_int_equal(ar.group_acc, MP_ACC_INT);
    assert_int_equal(ar.acc_bits, 32);
    assert_int_equal(ar.out_acc, MP_ACC_FP32);
    in.act = MP_ACT_FP16;
    ar = mp_arith_default(&in);
    assert_int_equal(ar.group_acc, MP_ACC_FIXED);
    assert_int_equal(ar.frac_bits, 24);
    assert_int_equal(ar.acc_bits, 64);
    in.act = MP_ACT_FP8_E4M3;
    assert_int_equal(mp_arith_default(&in).frac_bits, 9);
    in.act = MP_ACT_FP8_E5M2;
    assert_int_equal(mp_arith_default(&in).frac_bits, 16);
    in.act = MP_ACT_BF16;
    assert_int_equal(mp_arith_default(&in).group_acc, MP_ACC_FP32);
    in.scales = NULL;
    in.act = MP_ACT_INT8;
    assert_int_equal(mp_arith_default(&in).out_acc, MP_ACC_INT);

    mp_diag d;
    assert_int_equal(mp_arith_set(&ar, "order", "bit-serial", "c.yaml", 3, &d),
                     0);
    assert_int_equal(ar.order, MP_ORDER_BIT_SERIAL);
    assert_int_equal(mp_arith_set(&ar, "fused", "false", "c.yaml", 3, &d), 0);
    assert_int_equal(ar.fused, 0);
    assert_int_equal(mp_arith_set(&ar, "table_fmt", "fp16", "c.yaml", 3, &d),
                     0);
    assert_int_equal(ar.table_fmt, MP_ACT_FP16);
    assert_int_equal(mp_arith_set(&ar, "acc_bits", "99", "c.yaml", 4, &d), -1);
    assert_int_equal(d.line, 4);
    assert_string_equal(d.field, "acc_bits");
    assert_int_equal(mp_arith_set(&ar, "group_acc", "int7", "c.yaml", 5, &d),
                     -1);
    assert_int_equal(mp_arith_set(&ar, "colour", "red", "c.yaml", 6, &d), -1);
    assert_string_equal(d.field, "colour");
    char buf[96];
    ar = mp_arith_default(&in);
    in.scales = &s;
    ar = mp_arith_default(&in);
    assert_string_equal(mp_arith_describe(&ar, buf, sizeof buf),
                        "per-group int32 k-ascending out=fp32");
}

static void error_stats(void **state)
{
    (void)state;
    const double ref[4] = {1, -2, 0, 4};
    const double y[4] = {1.5, -2, 0.25, 3};
    mp_err_stats st;
    mp_gemm_error(ref, y, 4, &st);
    assert_true(st.max_abs == 1.0);
    assert_int_equal(st.worst_index, 3);
    assert_true(st.max_rel == 0.5);
    assert_true(fabs(st.rms - sqrt((0.25 + 0.0625 + 1) / 4)) < 1e-15);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(zero_weights_give_zero),
        cmocka_unit_test(unit_scales_give_integer_sum),
        cmocka_unit_test(integer_output_ignores_rounding_knobs),
        cmocka_unit_test(ternary_is_signed_sum),
        cmocka_unit_test(bit_serial_equals_k_ascending),
        cmocka_unit_test(exact_when_representable),
        cmocka_unit_test(int4_activations_exact),
        cmocka_unit_test(per_group_within_bound),
        cmocka_unit_test(fixed_grid_rounds_each_addend),
        cmocka_unit_test(bit_serial_fp16_matches_spec),
        cmocka_unit_test(int8_int4_products_exhaustive),
        cmocka_unit_test(fp16_order_matters),
        cmocka_unit_test(fused_differs_from_unfused),
        cmocka_unit_test(round_sum_has_no_double_rounding),
        cmocka_unit_test(round_scaled_is_exact),
        cmocka_unit_test(overflow_boundary),
        cmocka_unit_test(check_rejects_bad_input),
        cmocka_unit_test(fp16_weights_hand_worked),
        cmocka_unit_test(defaults_and_names),
        cmocka_unit_test(error_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
