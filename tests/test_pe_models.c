/*
 * test_pe_models.c - the PE families against the golden and by hand.
 *
 *  - functional models == mp_gemm_hw(in, arith) bit for bit, on random
 *    tiles of every family and supported precision, and on extreme tiles
 *    (activations at -128 / the float max, codes at both ends, zero points
 *    at both ends of the code range), with and without scales;
 *  - the DSP48E2 packing: exhaustive over all INT8 a, d for a few w and all
 *    w for a few (a, d), the in-place accumulation limit and its tightness;
 *    the INT4 quad packing exhaustive over every (a_hi, a_lo, w_hi, w_lo)
 *    for every accumulation count up to its limit, and its tightness;
 *  - N:M sparsity: a valid pattern matches the golden, a violation fails
 *    naming "wq";
 *  - check() rejections naming the field; timing, cost and edge units on
 *    small hand-worked cases.
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

#include "golden/rng.h"
#include "pe_models/pe_common.h"
#include "sim/tech_load.h"

/* ---- a GEMM tile ------------------------------------------------------- */

typedef struct tile {
    mp_gemm_in in;
    double *x, *y, *ref;
    mp_wcode *wq;
    float *scales, *act_scale;
    int32_t *zeros;
} tile;

enum fill { FILL_RANDOM, FILL_EXTREME_LOW, FILL_EXTREME_HIGH };

static double random_act(mp_rng *r, mp_act_fmt act, enum fill f)
{
    if (!mp_act_is_float(act)) {
        double lo = act == MP_ACT_INT4   ? -8
                    : act == MP_ACT_INT8 ? -128
                                         : -32768;
        double hi = -lo - 1;
        if (f == FILL_EXTREME_LOW)
            return lo;
        if (f == FILL_EXTREME_HIGH)
            return mp_rng_range(r, 0, 1) ? lo : hi;
        return (double)mp_rng_range(r, (int64_t)lo, (int64_t)hi);
    }
    /* floats: moderate magnitudes, subnormals and exact zeros included */
    double max = mp_act_max(act);
    if (f != FILL_RANDOM) {
        double v = max / 64; /* large, yet 4-entry sums stay finite */
        return mp_rng_range(r, 0, 1) ? v : -v;
    }
    int pick = (int)mp_rng_range(r, 0, 9);
    if (pick == 0)
        return 0.0;
    double mag = ldexp(mp_rng_unit(r) + 0.5, (int)mp_rng_range(r, -20, 6));
    if (pick == 1)
        mag = ldexp(1.0, -24) * (double)mp_rng_range(r, 1, 3);
    double v = mp_act_round(act, mag, MP_OVF_SATURATE);
    return mp_rng_range(r, 0, 1) ? v : -v;
}

static void tile_make(tile *t, mp_rng *r, const mp_pe_params *p, int m, int n,
                      int k, int scaled, enum fill f)
{
    memset(t, 0, sizeof *t);
    int group = p->group_size > 0 ? p->group_size : k;
    int groups = k / group;
    t->x = calloc((size_t)m * k, sizeof *t->x);
    t->y = calloc((size_t)m * n, sizeof *t->y);
    t->ref = calloc((size_t)m * n, sizeof *t->ref);
    t->wq = calloc((size_t)k * n, sizeof *t->wq);
    t->scales = calloc((size_t)groups * n, sizeof *t->scales);
    t->zeros = calloc((size_t)groups * n, sizeof *t->zeros);
    t->act_scale = calloc((size_t)m, sizeof *t->act_scale);
    int qlo = mp_wfmt_min(p->wfmt), qhi = mp_wfmt_max(p->wfmt);
    for (size_t i = 0; i < (size_t)m * k; i++)
        t->x[i] = random_act(r, p->act, f);
    for (size_t i = 0; i < (size_t)k * n; i++) {
        int q = (int)mp_rng_range(r, qlo, qhi);
        if (f != FILL_RANDOM)
            q = mp_rng_range(r, 0, 1) ? qlo : qhi;
        if (mp_wfmt_is_float(p->wfmt)) /* FP16: a finite pattern, or +-max */
            do
                q = f != FILL_RANDOM
                        ? (int)mp_fp_encode(MP_ACT_FP16, q, MP_OVF_IEEE)
                        : (int)mp_rng_range(r, 0, 0xffff);
            while (!mp_wcode_ok(p->wfmt, q));
        t->wq[i] = mp_wcode_store(q);
    }
    for (size_t i = 0; i < (size_t)groups * n; i++) {
        t->scales[i] = (float)ldexp(mp_rng_unit(r) + 0.5,
                                    (int)mp_rng_range(r, -12, -2));
        int z = (int)mp_rng_range(r, qlo, qhi);
        if (f == FILL_EXTREME_LOW)
            z = qlo;
        if (f == FILL_EXTREME_HIGH)
            z = qhi;
        t->zeros[i] = z;
    }
    for (int i = 0; i < m; i++)
        t->act_scale[i] = (float)(mp_rng_unit(r) + 0.25);
    t->in = (mp_gemm_in){
        .m = m, .n = n, .k = k, .act = p->act, .x = t->x,
        .act_scale = scaled ? t->act_scale : NULL, .wfmt = p->wfmt,
        .wq = t->wq, .group_size = group,
        .scales = scaled && !mp_wfmt_is_float(p->wfmt) ? t->scales : NULL,
        .zeros = p->has_zeros ? t->zeros : NULL,
    };
}

static void tile_free(tile *t)
{
    free(t->x);
    free(t->y);
    free(t->ref);
    free(t->wq);
    free(t->scales);
    free(t->zeros);
    free(t->act_scale);
}

static int same_value(double a, double b)
{
    return (isnan(a) && isnan(b)) || (a == b && signbit(a) == signbit(b));
}

/* Model and golden on one tile: both succeed and agree bit for bit. */
static void expect_matches_golden(const mp_pe_ops *ops, const mp_pe_params *p,
                                  tile *t)
{
    mp_diag d = {0};
    mp_arith ar;
    mp_pe_arith_for(ops, p, &t->in, &ar);
    int golden = mp_gemm_hw(&t->in, &ar, t->ref, &d);
    if (golden)
        fail_msg("%s: golden refused: %s: %s", ops->name, d.field, d.msg);
    int model = ops->compute(p, &t->in, t->y, &d);
    if (model)
        fail_msg("%s: model refused: %s: %s", ops->name, d.field, d.msg);
    for (int i = 0; i < t->in.m * t->in.n; i++)
        if (!same_value(t->y[i], t->ref[i]))
            fail_msg("%s: y[%d] = %.17g, golden %.17g", ops->name, i,
                     t->y[i], t->ref[i]);
}

/* Random and extreme tiles for one family and params. */
static void sweep(const char *family, mp_pe_params p, int m, int n, int k,
                  uint64_t seed)
{
    const mp_pe_ops *ops = mp_pe_find(family);
    assert_non_null(ops);
    mp_diag d = {0};
    if (ops->check(&p, &d))
        fail_msg("%s check: %s: %s", family, d.field, d.msg);
    mp_rng r;
    mp_rng_seed(&r, seed);
    static const enum fill fills[] = {FILL_RANDOM, FILL_EXTREME_LOW,
                                      FILL_EXTREME_HIGH};
    for (int f = 0; f < 3; f++)
        for (int scaled = 0; scaled < 2; scaled++) {
            if (!scaled && mp_act_is_float(p.act))
                continue; /* integer output needs integer activations */
            for (int rep = 0; rep < (f == FILL_RANDOM ? 3 : 1); rep++) {
                tile t;
                tile_make(&t, &r, &p, m, n, k, scaled, fills[f]);
                expect_matches_golden(ops, &p, &t);
                tile_free(&t);
            }
        }
}

static mp_pe_params params(mp_wkind kind, int bits, mp_act_fmt act, int group,
                           int zeros)
{
    mp_pe_params p;
    mp_pe_params_init(&p);
    p.wfmt = (mp_wfmt){kind, bits};
    p.act = act;
    p.group_size = group;
    p.has_zeros = zeros;
    return p;
}

/* ---- functional models == golden --------------------------------------- */

static void test_mixpe_matches_golden(void **state)
{
    (void)state;
    for (int bits = 1; bits <= 8; bits++) {
        sweep("mixpe", params(MP_W_SIGNED, bits, MP_ACT_INT8, 16, 0), 3, 5,
              32, 100 + bits);
        sweep("mixpe", params(MP_W_UNSIGNED, bits, MP_ACT_INT8, 8, 1), 2, 3,
              32, 200 + bits);
        sweep("mixpe", params(MP_W_UNSIGNED, bits, MP_ACT_FP16, 16, 1), 2, 3,
              32, 300 + bits);
    }
    sweep("mixpe", params(MP_W_TERNARY, 2, MP_ACT_INT8, 8, 0), 3, 4, 16, 7);
    sweep("mixpe", params(MP_W_SIGNED, 4, MP_ACT_FP16, 0, 0), 3, 4, 24, 8);
    sweep("mixpe", params(MP_W_UNSIGNED, 4, MP_ACT_INT8, 128, 1), 2, 2, 256,
          9);
}

static void test_lut_tc_matches_golden(void **state)
{
    (void)state;
    static const mp_act_fmt acts[] = {MP_ACT_INT8, MP_ACT_FP16,
                                      MP_ACT_FP8_E4M3, MP_ACT_FP8_E5M2};
    for (int a = 0; a < 4; a++)
        for (int bits = 1; bits <= 4; bits++) {
            sweep("lut-tc", params(MP_W_UNSIGNED, bits, acts[a], 16, 1), 2, 3,
                  32, 400 + 10 * a + bits);
            sweep("lut-tc", params(MP_W_SIGNED, bits, acts[a], 8, 0), 3, 2,
                  16, 500 + 10 * a + bits);
        }
    sweep("lut-tc", params(MP_W_TERNARY, 2, MP_ACT_INT8, 8, 0), 2, 3, 16, 11);
    /* accumulator and table choices */
    mp_pe_params p = params(MP_W_UNSIGNED, 2, MP_ACT_FP16, 16, 1);
    p.acc = MP_ACC_FP32;
    sweep("lut-tc", p, 2, 3, 32, 12);
    p.acc = MP_ACC_FIXED;
    p.table_fmt = MP_ACT_FP32;
    sweep("lut-tc", p, 2, 3, 32, 13);
    p = params(MP_W_SIGNED, 4, MP_ACT_INT8, 16, 1);
    p.acc = MP_ACC_FP16;
    p.table_fmt = MP_ACT_FP16;
    sweep("lut-tc", p, 2, 2, 32, 14);
}

static void test_dsp_chain_matches_golden(void **state)
{
    (void)state;
    for (int bits = 1; bits <= 8; bits++) {
        sweep("dsp-chain", params(MP_W_SIGNED, bits, MP_ACT_INT8, 32, 0), 3,
              3, 64, 600 + bits); /* odd M: the last row packs with d = 0 */
        sweep("dsp-chain", params(MP_W_UNSIGNED, bits, MP_ACT_INT8, 16, 1), 4,
              2, 32, 700 + bits);
    }
    mp_pe_params p = params(MP_W_SIGNED, 8, MP_ACT_INT8, 32, 1);
    int chains[] = {1, 3, 7, 8, 20};
    for (int i = 0; i < 5; i++) {
        p.chain_len = chains[i];
        sweep("dsp-chain", p, 2, 2, 64, 800 + i);
    }
    p.chain_len = 0;
    p.pack_products = 1;
    sweep("dsp-chain", p, 3, 2, 64, 810);
}

/* INT4 activations: four products per slice (the default for weights of
 * at most 4 bits); odd M and N leave a lane of the 2x2 product empty. */
static void test_dsp_chain_int4_matches_golden(void **state)
{
    (void)state;
    mp_diag d = {0};
    for (int bits = 1; bits <= 4; bits++) {
        mp_pe_params p = params(MP_W_SIGNED, bits, MP_ACT_INT4, 32, 0);
        sweep("dsp-chain", p, 3, 5, 64, 900 + bits);
        assert_int_equal(mp_pe_find("dsp-chain")->check(&p, &d), 0);
        assert_int_equal(p.pack_products, 4);
        sweep("dsp-chain", params(MP_W_UNSIGNED, bits, MP_ACT_INT4, 16, 1), 4,
              2, 32, 910 + bits);
    }
    sweep("dsp-chain", params(MP_W_TERNARY, 2, MP_ACT_INT4, 16, 0), 2, 3, 48,
          920);
    /* chains longer than the lane limit (15) flush at the limit */
    mp_pe_params p = params(MP_W_SIGNED, 4, MP_ACT_INT4, 64, 1);
    int chains[] = {1, 8, 15, 16, 64};
    for (int i = 0; i < 5; i++) {
        p.chain_len = chains[i];
        sweep("dsp-chain", p, 2, 2, 128, 930 + i);
    }
    /* int4 activations also run through the pair and the plain slice,
     * and with int8 weights the pair is the default */
    p.chain_len = 0;
    p.pack_products = 2;
    sweep("dsp-chain", p, 3, 3, 64, 940);
    p.pack_products = 1;
    sweep("dsp-chain", p, 3, 3, 64, 941);
    p = params(MP_W_SIGNED, 8, MP_ACT_INT4, 32, 0);
    sweep("dsp-chain", p, 3, 3, 64, 942);
    assert_int_equal(mp_pe_find("dsp-chain")->check(&p, &d), 0);
    assert_int_equal(p.pack_products, 2);
}

static void test_baselines_match_golden(void **state)
{
    (void)state;
    for (int bits = 1; bits <= 8; bits++) {
        sweep("int8-mac", params(MP_W_SIGNED, bits, MP_ACT_INT8, 0, 0), 3, 3,
              24, 900 + bits);
        sweep("bitfusion", params(MP_W_SIGNED, bits, MP_ACT_INT8, 8, 0), 3,
              3, 24, 910 + bits);
        sweep("bitfusion", params(MP_W_UNSIGNED, bits, MP_ACT_INT16, 8, 1), 2,
              2, 16, 920 + bits);
        sweep("fp16-mac", params(MP_W_UNSIGNED, bits, MP_ACT_FP16, 8, 1), 2,
              3, 24, 930 + bits);
    }
    sweep("int8-mac", params(MP_W_UNSIGNED, 8, MP_ACT_INT8, 8, 1), 2, 2, 16,
          940);
    sweep("bitfusion", params(MP_W_TERNARY, 2, MP_ACT_INT8, 8, 0), 2, 2, 16,
          941);
    sweep("fp16-mac", params(MP_W_SIGNED, 4, MP_ACT_BF16, 8, 0), 2, 2, 16,
          942);
}

/* Every registered family, named by no test: at each activation format it
 * lists (ops->acts) and each of these weight formats its check() takes,
 * with and without zero points, random and extreme tiles against the
 * golden.  An activation format no weight format runs with fails. */
static void test_every_family_matches_golden(void **state)
{
    (void)state;
    static const mp_wfmt wfmts[] = {
        {MP_W_SIGNED, 1},   {MP_W_SIGNED, 2},   {MP_W_SIGNED, 4},
        {MP_W_UNSIGNED, 4}, {MP_W_SIGNED, 8},   {MP_W_UNSIGNED, 8},
        {MP_W_TERNARY, 2},  {MP_W_FP16, 16},
    };
    uint64_t seed = 5000;
    for (int i = 0; mp_pe_registry[i]; i++) {
        const mp_pe_ops *ops = mp_pe_registry[i];
        for (const mp_act_fmt *a = ops->acts; *a != MP_ACT_COUNT; a++) {
            int ran = 0;
            for (size_t w = 0; w < sizeof wfmts / sizeof wfmts[0]; w++)
                for (int zeros = 0; zeros < 2; zeros++) {
                    mp_pe_params p = params(wfmts[w].kind, wfmts[w].bits, *a,
                                            16, zeros);
                    mp_diag d;
                    if (ops->check(&p, &d))
                        continue; /* not this family's weight format */
                    sweep(ops->name, p, 3, 4, 32, seed++);
                    ran++;
                }
            if (!ran)
                fail_msg("%s runs no weight format with %s activations",
                         ops->name, mp_act_name(*a));
        }
    }
}

/* A model that ignored a bit would still match on all-zero data; this
 * checks the comparison itself sees a one-ulp difference. */
static void test_mismatch_is_detected(void **state)
{
    (void)state;
    mp_pe_params p = params(MP_W_SIGNED, 4, MP_ACT_INT8, 8, 0);
    const mp_pe_ops *ops = mp_pe_find("mixpe");
    mp_diag d;
    assert_int_equal(ops->check(&p, &d), 0);
    mp_rng r;
    mp_rng_seed(&r, 1);
    tile t;
    tile_make(&t, &r, &p, 2, 2, 16, 0, FILL_RANDOM);
    mp_arith ar;
    mp_pe_arith_for(ops, &p, &t.in, &ar);
    assert_int_equal(mp_gemm_hw(&t.in, &ar, t.ref, &d), 0);
    assert_int_equal(ops->compute(&p, &t.in, t.y, &d), 0);
    assert_true(same_value(t.y[0], t.ref[0]));
    t.y[0] += 1.0;
    assert_false(same_value(t.y[0], t.ref[0]));
    tile_free(&t);
}

/* The fixed-point aligner rounds to nearest even like mp_to_grid. */
static void test_align_rounds_like_the_golden(void **state)
{
    (void)state;
    assert_int_equal(mp_pe_align(5, 3), 40);
    assert_int_equal(mp_pe_align(-5, 3), -40);
    assert_int_equal(mp_pe_align(6, -2), 2);   /* 1.5 -> 2 */
    assert_int_equal(mp_pe_align(10, -2), 2);  /* 2.5 -> 2 */
    assert_int_equal(mp_pe_align(-10, -2), -2);
    assert_int_equal(mp_pe_align(-14, -2), -4); /* -3.5 -> -4 */
    assert_int_equal(mp_pe_align(INT64_MAX, -63), 1);
    assert_int_equal(mp_pe_align((int64_t)1 << 61, -63), 0);
    assert_int_equal(mp_pe_align(INT64_MAX, -64), 0);
    mp_rng r;
    mp_rng_seed(&r, 5);
    for (int i = 0; i < 10000; i++) {
        int64_t v = mp_rng_range(&r, -(1 << 30), 1 << 30);
        int shift = (int)mp_rng_range(&r, -20, 20);
        assert_int_equal(mp_pe_align(v, shift),
                         mp_to_grid(ldexp((double)v, shift), 0));
    }
}

/* ---- DSP48E2 packing ---------------------------------------------------- */

static void expect_lanes(int64_t p, int64_t high, int64_t low)
{
    int64_t h, l;
    mp_dsp_unpack(p, &h, &l);
    if (h != high || l != low)
        fail_msg("unpack: high %lld (want %lld), low %lld (want %lld)",
                 (long long)h, (long long)high, (long long)l, (long long)low);
}

static void test_dsp_packing_exhaustive(void **state)
{
    (void)state;
    /* every a, d for a few w, accumulated in place up to the limit (7) */
    static const int ws[] = {-128, -127, -1, 0, 1, 3, 127};
    for (int i = 0; i < 7; i++)
        for (int a = -128; a <= 127; a++)
            for (int dd = -128; dd <= 127; dd++) {
                int64_t p = 0;
                for (int n = 1; n <= 7; n++) {
                    p = mp_dsp_packed_mac(p, a, dd, ws[i]);
                    expect_lanes(p, (int64_t)n * a * ws[i],
                                 (int64_t)n * dd * ws[i]);
                }
            }
    /* and vice versa: every w for a few operand pairs */
    static const int pairs[][2] = {{-128, -128}, {-128, 127}, {127, -128},
                                   {-1, 1},      {0, -128},   {5, -7}};
    for (int i = 0; i < 6; i++)
        for (int w = -128; w <= 127; w++)
            expect_lanes(mp_dsp_packed_mac(0, pairs[i][0], pairs[i][1], w),
                         (int64_t)pairs[i][0] * w, (int64_t)pairs[i][1] * w);
}

static void test_dsp_accumulation_limit(void **state)
{
    (void)state;
    mp_wfmt int8 = {MP_W_SIGNED, 8}, int4 = {MP_W_SIGNED, 4};
    assert_int_equal(mp_dsp_pack_limit(int8, 1), 7);
    assert_int_equal(mp_dsp_pack_limit(int8, 0), 8);
    assert_int_equal(mp_dsp_pack_limit(int4, 1), 127);
    /* 7 worst-case products accumulate exactly, in every sign pattern of
     * the extremes; the 8th (-128 * -128) breaks the low lane. */
    static const int ext[] = {-128, 127};
    for (int ia = 0; ia < 2; ia++)
        for (int id = 0; id < 2; id++)
            for (int iw = 0; iw < 2; iw++) {
                int a = ext[ia], dd = ext[id], w = iw ? 127 : -128;
                int64_t p = 0;
                for (int n = 1; n <= 7; n++) {
                    p = mp_dsp_packed_mac(p, a, dd, w);
                    expect_lanes(p, (int64_t)n * a * w, (int64_t)n * dd * w);
                }
            }
    int64_t p = 0, h, l;
    for (int n = 0; n < 8; n++)
        p = mp_dsp_packed_mac(p, -128, -128, -128);
    mp_dsp_unpack(p, &h, &l);
    assert_int_not_equal(l, 8 * 16384);
    /* random accumulations right at the limit */
    mp_rng r;
    mp_rng_seed(&r, 42);
    for (int rep = 0; rep < 20000; rep++) {
        int64_t acc = 0, hs = 0, ls = 0;
        for (int n = 0; n < 7; n++) {
            int a = (int)mp_rng_range(&r, -128, 127);
            int dd = (int)mp_rng_range(&r, -128, 127);
            int w = (int)mp_rng_range(&r, -128, 127);
            acc = mp_dsp_packed_mac(acc, a, dd, w);
            hs += (int64_t)a * w;
            ls += (int64_t)dd * w;
        }
        expect_lanes(acc, hs, ls);
    }
}

/* ---- DSP48E2 INT4 quad packing ------------------------------------------ */

static void expect_quad(int64_t p, int64_t want_hh, int64_t want_hl,
                        int64_t want_lh, int64_t want_ll)
{
    int64_t lane[MP_DSP4_LANES];
    mp_dsp_quad_unpack(p, lane);
    if (lane[3] != want_hh || lane[2] != want_hl || lane[1] != want_lh ||
        lane[0] != want_ll)
        fail_msg("quad unpack: %lld %lld %lld %lld, want %lld %lld %lld %lld",
                 (long long)lane[3], (long long)lane[2], (long long)lane[1],
                 (long long)lane[0], (long long)want_hh, (long long)want_hl,
                 (long long)want_lh, (long long)want_ll);
}

/* Every int4 (a_hi, a_lo) with every code pair of w, the same product
 * accumulated n = 1 .. limit times in place (the lanes' worst cases are
 * these repeats of one extreme product). */
static void quad_exhaustive(mp_wfmt w)
{
    int limit = mp_dsp_quad_limit(w, 1);
    int qlo = mp_wfmt_min(w), qhi = mp_wfmt_max(w);
    for (int ah = -8; ah <= 7; ah++)
        for (int al = -8; al <= 7; al++)
            for (int wh = qlo; wh <= qhi; wh++)
                for (int wl = qlo; wl <= qhi; wl++) {
                    int64_t p = 0;
                    for (int n = 1; n <= limit; n++) {
                        p = mp_dsp_quad_mac(p, ah, al, wh, wl);
                        expect_quad(p, (int64_t)n * ah * wh,
                                    (int64_t)n * ah * wl,
                                    (int64_t)n * al * wh,
                                    (int64_t)n * al * wl);
                    }
                }
}

static void test_dsp_quad_exhaustive(void **state)
{
    (void)state;
    quad_exhaustive((mp_wfmt){MP_W_SIGNED, 4});
    quad_exhaustive((mp_wfmt){MP_W_UNSIGNED, 4});
    quad_exhaustive((mp_wfmt){MP_W_TERNARY, 2});
}

static void test_dsp_quad_limit(void **state)
{
    (void)state;
    mp_wfmt int4 = {MP_W_SIGNED, 4}, uint4 = {MP_W_UNSIGNED, 4};
    mp_wfmt int2 = {MP_W_SIGNED, 2}, tern = {MP_W_TERNARY, 2};
    /* lanes 0..2 hold [-1024, 1024): 1023 / 64 = 15 (-8 x -8), and
     * without activation -8: min(1023 / 56, 1024 / 56) = 18 */
    assert_int_equal(mp_dsp_quad_limit(int4, 1), 15);
    assert_int_equal(mp_dsp_quad_limit(int4, 0), 18);
    assert_int_equal(mp_dsp_quad_limit(uint4, 1), 8);  /* 1024 / 120 */
    assert_int_equal(mp_dsp_quad_limit(int2, 1), 63);  /* 1023 / 16  */
    assert_int_equal(mp_dsp_quad_limit(tern, 1), 127); /* 1023 / 8   */
    /* tight: one product past the limit corrupts the lane it lands in,
     * for each of the three lanes that have a lane above them */
    for (int lane = 0; lane < 3; lane++) {
        int ah = lane == 2 ? -8 : 0, al = lane == 2 ? 0 : -8;
        int wh = lane == 1 ? -8 : 0, wl = lane == 1 ? 0 : -8;
        int64_t p = 0, got[MP_DSP4_LANES];
        for (int n = 0; n < 16; n++)
            p = mp_dsp_quad_mac(p, ah, al, wh, wl);
        mp_dsp_quad_unpack(p, got);
        assert_int_equal(got[lane], -1024); /* 16 * 64 wrapped */
        assert_int_equal(got[lane + 1], 1); /* and carried upward */
    }
    /* uint4: 8 products of -8 x 15 fit, the 9th does not */
    int64_t p = 0, got[MP_DSP4_LANES];
    for (int n = 1; n <= 9; n++) {
        p = mp_dsp_quad_mac(p, -8, -8, 15, 15);
        mp_dsp_quad_unpack(p, got);
        if (n <= 8)
            expect_quad(p, -120 * n, -120 * n, -120 * n, -120 * n);
        else
            assert_int_not_equal(got[0], -120 * n);
    }
    /* random operands, accumulated right at the limit */
    mp_rng r;
    mp_rng_seed(&r, 43);
    for (int rep = 0; rep < 20000; rep++) {
        int64_t acc = 0, want[MP_DSP4_LANES] = {0, 0, 0, 0};
        for (int n = 0; n < 15; n++) {
            int ah = (int)mp_rng_range(&r, -8, 7);
            int al = (int)mp_rng_range(&r, -8, 7);
            int wh = (int)mp_rng_range(&r, -8, 7);
            int wl = (int)mp_rng_range(&r, -8, 7);
            acc = mp_dsp_quad_mac(acc, ah, al, wh, wl);
            want[3] += ah * wh;
            want[2] += ah * wl;
            want[1] += al * wh;
            want[0] += al * wl;
        }
        expect_quad(acc, want[3], want[2], want[1], want[0]);
    }
}

/* ---- N:M sparsity ------------------------------------------------------- */

static void sparse_tile(tile *t, mp_rng *r, const mp_pe_params *p, int nz)
{
    tile_make(t, r, p, 4, 3, 32, 1, FILL_RANDOM);
    for (int n = 0; n < 3; n++)
        for (int k0 = 0; k0 < 32; k0 += p->sparse_m)
            for (int k = k0; k < k0 + p->sparse_m; k++) {
                int q = (int)mp_rng_range(r, 1, 7);
                t->wq[(size_t)k * 3 + n] =
                    mp_wcode_store(k - k0 < nz ? (k % 2 ? -q : q) : 0);
            }
}

static void test_dsp_sparsity(void **state)
{
    (void)state;
    const mp_pe_ops *ops = mp_pe_find("dsp-chain");
    mp_pe_params p = params(MP_W_SIGNED, 4, MP_ACT_INT8, 16, 1);
    p.sparse_n = 4;
    p.sparse_m = 8;
    p.chain_len = 3;
    mp_diag d;
    assert_int_equal(ops->check(&p, &d), 0);
    mp_rng r;
    mp_rng_seed(&r, 77);
    tile t;
    sparse_tile(&t, &r, &p, 4);
    expect_matches_golden(ops, &p, &t);
    tile_free(&t);
    sparse_tile(&t, &r, &p, 5); /* 5 nonzero in a block of 8: violates 4:8 */
    memset(&d, 0, sizeof d);
    assert_int_equal(ops->compute(&p, &t.in, t.y, &d), -1);
    assert_string_equal(d.field, "wq");
    assert_non_null(strstr(d.msg, "4:8"));
    tile_free(&t);
    mp_pe_timing tm;
    ops->timing(&p, &tm);
    assert_true(tm.density == 0.5);
}

/* ---- check() ----------------------------------------------------------- */

static void expect_rejected(const char *family, mp_pe_params p,
                            const char *field, const char *needle)
{
    mp_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(mp_pe_find(family)->check(&p, &d), -1);
    assert_string_equal(d.field, field);
    if (needle && !strstr(d.msg, needle))
        fail_msg("%s: '%s' lacks '%s'", family, d.msg, needle);
}

static void test_check_rejects(void **state)
{
    (void)state;
    expect_rejected("lut-tc", params(MP_W_SIGNED, 8, MP_ACT_INT8, 128, 0),
                    "wbits", "int1..int4");
    expect_rejected("mixpe", params(MP_W_SIGNED, 4, MP_ACT_BF16, 128, 0),
                    "act", "int8, fp16");
    expect_rejected("dsp-chain", params(MP_W_SIGNED, 4, MP_ACT_FP16, 128, 0),
                    "act", "int8");
    expect_rejected("fp16-mac", params(MP_W_SIGNED, 4, MP_ACT_INT8, 128, 0),
                    "act", "fp16");
    expect_rejected("int8-mac", params(MP_W_SIGNED, 9, MP_ACT_INT8, 128, 0),
                    "wbits", NULL);
    expect_rejected("lut-tc", params(MP_W_SIGNED, 2, MP_ACT_INT8, 6, 0),
                    "group_size", "multiple of 4");
    /* packings that do not fit: the DSP's lanes, and mixpe's codes in a
     * weight operand as wide as the activation */
    static const struct {
        const char *family;
        mp_wkind kind;
        int bits;
        mp_act_fmt act;
        int pack;
        const char *needle;
    } packs[] = {
        {"dsp-chain", MP_W_SIGNED, 4, MP_ACT_INT8, 4, "4-bit activations"},
        {"dsp-chain", MP_W_SIGNED, 5, MP_ACT_INT4, 4, "at most 4 bits"},
        {"dsp-chain", MP_W_SIGNED, 4, MP_ACT_INT4, 3, "1, 2 or 4"},
        {"mixpe", MP_W_SIGNED, 4, MP_ACT_INT8, 3, "1..2 4-bit codes"},
        {"mixpe", MP_W_SIGNED, 8, MP_ACT_INT8, 2, "8-bit weight operand"},
        {"mixpe", MP_W_TERNARY, 2, MP_ACT_INT8, 5, "1..4 2-bit codes"},
    };
    for (size_t i = 0; i < sizeof packs / sizeof packs[0]; i++) {
        mp_pe_params q = params(packs[i].kind, packs[i].bits, packs[i].act,
                                128, 0);
        q.pack_products = packs[i].pack;
        expect_rejected(packs[i].family, q, "pack_products", packs[i].needle);
    }
    mp_pe_params p = params(MP_W_SIGNED, 4, MP_ACT_INT4, 128, 0);
    p.pack_products = 4;
    p.sparse_n = 8;
    p.sparse_m = 16;
    expect_rejected("dsp-chain", p, "pack_products", "sparsity");
    p = params(MP_W_SIGNED, 4, MP_ACT_INT8, 128, 0);
    p.pack_products = 0;
    p.sparse_n = 3;
    p.sparse_m = 12;
    expect_rejected("dsp-chain", p, "sparse_m", "16");
    p.sparse_m = 16;
    p.sparse_n = 0;
    expect_rejected("dsp-chain", p, "sparse_n", NULL);
    p.sparse_n = 8;
    expect_rejected("mixpe", p, "sparsity", "dsp-chain");
    p = params(MP_W_SIGNED, 4, MP_ACT_INT8, 128, 0);
    p.clock_hz = 1.2e9;
    expect_rejected("dsp-chain", p, "clock_hz", "891");
    p.clock_hz = 0;
    p.chain_len = 4;
    expect_rejected("mixpe", p, "chain_len", NULL);
    p = params(MP_W_SIGNED, 4, MP_ACT_INT8, 128, 0);
    p.tile_k = 8;
    expect_rejected("lut-tc", p, "tile_k", "K4");
    p = params(MP_W_SIGNED, 4, MP_ACT_INT8, 128, 0);
    p.table_fmt = MP_ACT_FP8_E4M3;
    expect_rejected("lut-tc", p, "table_fmt", "int16");
    p = params(MP_W_SIGNED, 4, MP_ACT_FP16, 128, 0);
    p.acc = MP_ACC_FP32;
    expect_rejected("mixpe", p, "acc", "fixed");
    p = params(MP_W_SIGNED, 2, MP_ACT_FP16, 128, 0);
    p.acc = (mp_acc_fmt)9;
    expect_rejected("lut-tc", p, "acc", "unknown");
    assert_null(mp_pe_find("no-such-pe"));
}

static int lists_act(const mp_pe_ops *ops, mp_act_fmt act)
{
    for (int i = 0; ops->acts[i] != MP_ACT_COUNT; i++)
        if (ops->acts[i] == act)
            return 1;
    return 0;
}

/* Every family's ops->acts is what its check() accepts: each listed format
 * passes (2-bit codes, G = 128, zero points: every family takes them), every
 * other one is refused naming "act" and the format. */
static void test_acts_are_what_check_accepts(void **state)
{
    (void)state;
    for (int i = 0; mp_pe_registry[i]; i++) {
        const mp_pe_ops *ops = mp_pe_registry[i];
        assert_non_null(ops->acts);
        assert_int_not_equal(ops->acts[0], MP_ACT_COUNT);
        for (int a = 0; a < MP_ACT_COUNT; a++) {
            mp_pe_params p = params(MP_W_UNSIGNED, 2, (mp_act_fmt)a, 128, 1);
            mp_diag d;
            memset(&d, 0, sizeof d);
            int rc = ops->check(&p, &d);
            if (lists_act(ops, (mp_act_fmt)a)) {
                if (rc)
                    fail_msg("%s %s: %s: %s", ops->name,
                             mp_act_name((mp_act_fmt)a), d.field, d.msg);
                continue;
            }
            assert_int_equal(rc, -1);
            assert_string_equal(d.field, "act");
            if (!strstr(d.msg, mp_act_name((mp_act_fmt)a)))
                fail_msg("%s: '%s' lacks the format", ops->name, d.msg);
        }
    }
}

/* check() fills defaults once: a second check changes nothing, so the
 * params the engine caches are the ones compute() re-checks. */
static void test_check_idempotent(void **state)
{
    (void)state;
    for (int i = 0; mp_pe_registry[i]; i++)
        for (const mp_act_fmt *a = mp_pe_registry[i]->acts;
             *a != MP_ACT_COUNT; a++) {
            mp_pe_params p = params(MP_W_UNSIGNED, 2, *a, 64, 1), q;
            mp_diag d;
            assert_int_equal(mp_pe_registry[i]->check(&p, &d), 0);
            q = p;
            assert_int_equal(mp_pe_registry[i]->check(&q, &d), 0);
            assert_memory_equal(&p, &q, sizeof p);
            assert_true(p.clock_hz > 0);
        }
}

/* Every registered family is found by its name and has a summary line;
 * the shipped presets (sim/arch/) bind in tests/test_arch.c. */
static void test_registry(void **state)
{
    (void)state;
    int count = 0;
    for (int i = 0; mp_pe_registry[i]; i++, count++) {
        assert_ptr_equal(mp_pe_find(mp_pe_registry[i]->name),
                         mp_pe_registry[i]);
        assert_non_null(mp_pe_registry[i]->summary);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(mp_pe_registry[i]->name,
                                    mp_pe_registry[j]->name);
    }
    assert_true(count > 0);
    assert_null(mp_pe_find(NULL));
}

/* ---- timing ------------------------------------------------------------ */

static void timing_of(const char *family, mp_pe_params p, mp_pe_timing *tm)
{
    mp_diag d;
    const mp_pe_ops *ops = mp_pe_find(family);
    assert_int_equal(ops->check(&p, &d), 0);
    ops->timing(&p, tm);
}

static void test_timing_hand_worked(void **state)
{
    (void)state;
    mp_pe_timing tm;
    /* LUT TC: one weight plane per cycle on the M2N64K4 tile */
    timing_of("lut-tc", params(MP_W_SIGNED, 2, MP_ACT_INT8, 128, 0), &tm);
    assert_int_equal(tm.cycles_per_tile, 2);
    assert_int_equal(tm.tile_m * tm.tile_n * tm.tile_k, 2 * 64 * 4);
    assert_true(mp_pe_macs_per_cycle(&tm) == 256.0);
    timing_of("lut-tc", params(MP_W_UNSIGNED, 4, MP_ACT_INT8, 128, 0), &tm);
    assert_int_equal(tm.cycles_per_tile, 4);
    timing_of("lut-tc", params(MP_W_TERNARY, 2, MP_ACT_FP16, 128, 0), &tm);
    assert_int_equal(tm.cycles_per_tile, 2);
    mp_pe_params p = params(MP_W_SIGNED, 1, MP_ACT_INT8, 128, 0);
    p.tile_m = 4;
    p.tile_n = 32;
    timing_of("lut-tc", p, &tm);
    assert_int_equal(tm.tile_m, 4);
    assert_int_equal(tm.tile_n, 32);
    assert_int_equal(tm.cycles_per_tile, 1);
    /* BitFusion: 16 / (ceil(wb/2) * ceil(ab/2)) */
    timing_of("bitfusion", params(MP_W_SIGNED, 4, MP_ACT_INT8, 128, 0), &tm);
    assert_true(mp_pe_macs_per_cycle(&tm) == 2.0);
    timing_of("bitfusion", params(MP_W_SIGNED, 8, MP_ACT_INT8, 128, 0), &tm);
    assert_true(mp_pe_macs_per_cycle(&tm) == 1.0);
    timing_of("bitfusion", params(MP_W_SIGNED, 2, MP_ACT_INT8, 128, 0), &tm);
    assert_true(mp_pe_macs_per_cycle(&tm) == 4.0);
    timing_of("bitfusion", params(MP_W_SIGNED, 8, MP_ACT_INT16, 128, 0), &tm);
    assert_true(mp_pe_macs_per_cycle(&tm) == 0.5);
    timing_of("bitfusion", params(MP_W_SIGNED, 3, MP_ACT_INT8, 128, 0), &tm);
    assert_true(mp_pe_macs_per_cycle(&tm) == 2.0); /* 3 bits run as 4 */
    /* DSP chain: 2 products per slice; the generated RTL's latency
     * chain_len + 5 = cascade fill 7 + 4-cycle slice + correction +
     * accumulator (docs/rtl.md); a chain of 8 spans 8 rows along K and
     * takes its operands broadcast (no systolic skew) */
    p = params(MP_W_SIGNED, 4, MP_ACT_INT8, 128, 0);
    p.chain_len = 8;
    timing_of("dsp-chain", p, &tm);
    assert_true(mp_pe_macs_per_cycle(&tm) == 2.0);
    assert_int_equal(tm.pipeline_depth, 7 + 4 + 1 + 1);
    assert_int_equal(tm.k_span, 8);
    assert_int_equal(tm.operand_broadcast, 1);
    assert_true(tm.density == 1.0);
    /* INT4: a 2x2 outer product per slice -> 4 MACs per cycle */
    p = params(MP_W_SIGNED, 4, MP_ACT_INT4, 128, 0);
    timing_of("dsp-chain", p, &tm);
    assert_int_equal(tm.tile_m, 2);
    assert_int_equal(tm.tile_n, 2);
    assert_true(mp_pe_macs_per_cycle(&tm) == 4.0);
    assert_int_equal(tm.pipeline_depth, 7 + 4 + 1 + 1);
    timing_of("mixpe", params(MP_W_SIGNED, 4, MP_ACT_INT8, 128, 0), &tm);
    assert_true(mp_pe_macs_per_cycle(&tm) == 1.0);
}

/* ---- cost and edge units ---------------------------------------------- */

static void load(const char *name, mp_tech *t)
{
    mp_diag d;
    if (mp_tech_load_builtin(name, t, &d))
        fail_msg("%s: %s:%d: %s: %s", name, d.file, d.line, d.field, d.msg);
}

static double tech(const mp_tech *t, const char *name)
{
    const mp_tech_const *c = mp_tech_find(t, name);
    if (!c)
        fail_msg("missing %s", name);
    return c->value;
}

/* fp16-mac with FP16 weights (the FP16 GEMM of a GPU): the same PE (FP16
 * multiplier, FP32 adder, 16 + 16 + 32 register bits) as with INT8 codes,
 * no weight dequant unit, FP16 activations only, no zero points; one
 * hand-worked product: x = [3, -0.5], w = [0x4000 = 2, 0x3E00 = 1.5]:
 * 3*2 - 0.5*1.5 = 5.25. */
static void test_fp16_mac_fp16_weights(void **state)
{
    (void)state;
    mp_tech t28;
    load("asic-28nm", &t28);
    mp_diag d;
    const mp_pe_ops *fp = mp_pe_find("fp16-mac");
    mp_pe_params p = params(MP_W_FP16, 16, MP_ACT_FP16, 0, 0);
    assert_int_equal(fp->check(&p, &d), 0);
    mp_pe_params q = params(MP_W_SIGNED, 8, MP_ACT_FP16, 128, 0);
    assert_int_equal(fp->check(&q, &d), 0);
    mp_pe_cost cf, ci;
    assert_int_equal(fp->cost(&p, &t28, &cf, &d), 0);
    assert_int_equal(fp->cost(&q, &t28, &ci, &d), 0);
    assert_true(cf.area_um2 == ci.area_um2 && cf.area_um2 > 0);
    assert_true(cf.energy_pj_tile == ci.energy_pj_tile);
    mp_edge_cost e[MP_MAX_EDGE];
    mp_gemm_shape s = {64, 256, 256};
    assert_int_equal(fp->edge(&p, &t28, &s, 4, 4, e, &d), 0);
    assert_int_equal(fp->edge(&q, &t28, &s, 4, 4, e, &d), 1);
    double x[2] = {3, -0.5}, y = 0;
    mp_wcode w[2] = {mp_wcode_store(0x4000), mp_wcode_store(0x3E00)};
    mp_gemm_in in = {1, 1, 2, MP_ACT_FP16, x, NULL, p.wfmt, w, 2, NULL, NULL};
    assert_int_equal(fp->compute(&p, &in, &y, &d), 0);
    assert_true(y == 5.25);
    mp_pe_params bad = params(MP_W_FP16, 16, MP_ACT_BF16, 0, 0);
    assert_int_equal(fp->check(&bad, &d), -1);
    assert_string_equal(d.field, "act");
    bad = params(MP_W_FP16, 16, MP_ACT_FP16, 0, 1);
    assert_int_equal(fp->check(&bad, &d), -1);
    assert_string_equal(d.field, "zeros");
    /* every other family refuses FP16 weights */
    for (int i = 0; mp_pe_registry[i]; i++) {
        if (mp_pe_registry[i] == fp)
            continue;
        mp_pe_params o = params(MP_W_FP16, 16, MP_ACT_FP16, 0, 0);
        assert_int_equal(mp_pe_registry[i]->check(&o, &d), -1);
    }
    mp_tech_free(&t28);
}

/* On the FPGA table every family has a resource model (LUT + FF + DSP
 * > 0 per PE, priced from the parts of its cost(), docs/model.md section
 * 5); on an ASIC table an FPGA-only family says it needs an FPGA table. */
static void test_fpga_resources_or_refusal(void **state)
{
    (void)state;
    mp_tech x, a;
    load("xcup", &x);
    load("asic-28nm", &a);
    for (int i = 0; mp_pe_registry[i]; i++) {
        const mp_pe_ops *ops = mp_pe_registry[i];
        for (const mp_act_fmt *act = ops->acts; *act != MP_ACT_COUNT;
             act++) {
            mp_pe_params p;
            mp_pe_params_init(&p);
            p.act = *act;
            p.wfmt = (mp_wfmt){MP_W_SIGNED, 4};
            mp_diag d;
            memset(&d, 0, sizeof d);
            if (ops->check(&p, &d))
                fail_msg("%s: %s", ops->name, d.msg);
            mp_pe_cost c;
            memset(&c, 0, sizeof c);
            if (ops->cost(&p, &x, &c, &d))
                fail_msg("%s with %s on xcup: '%s'", ops->name,
                         mp_act_name(*act), d.msg);
            if (!(c.lut + c.ff + c.dsp > 0) || c.area_um2 != 0)
                fail_msg("%s: FPGA cost without resources", ops->name);
            memset(&d, 0, sizeof d);
            if (ops->cost(&p, &a, &c, &d) != 0 &&
                !strstr(d.msg, "needs an FPGA technology table"))
                fail_msg("%s on asic-28nm: '%s'", ops->name, d.msg);
        }
    }
    mp_tech_free(&x);
    mp_tech_free(&a);
}

/* The FPGA pricing of each part, worked by hand from the xcup rules
 * (UG574: LUT6 = 4:1 mux, F7/F8/F9 up to 32:1, LUT6_2 holds two 2-input
 * bits, one LUT per CARRY8 adder bit; UG579 27 x 18 DSP48E2 with a 48-bit
 * accumulator; Yosys: products under 9 bits stay in LUTs). */
static void test_fpga_parts_hand_worked(void **state)
{
    (void)state;
    mp_tech x;
    load("xcup", &x);
    mp_diag d;
    mp_prims pr;
    assert_int_equal(mp_prims_load(&x, &pr, &d), 0);
    assert_true(pr.fpga);
    struct {
        mp_parts p;
        double lut, ff, dsp;
    } want[12];
    int n = 0;
    memset(want, 0, sizeof want);
    mp_parts_adder(&want[n].p, &pr, 3, 12);      /* 3 x 12 carry bits   */
    want[n++].lut = 36;
    mp_parts_mult(&want[n].p, &pr, 1, 8, 8);     /* 8x8: a DSP48E2      */
    want[n++].dsp = 1;
    mp_parts_mult(&want[n].p, &pr, 16, 3, 3);    /* 6-bit product: LUTs */
    want[n++].lut = 16 * 9;
    mp_parts_mult(&want[n].p, &pr, 1, 24, 24);   /* 27x18 slices: 1 x 2 */
    want[n++].dsp = 2;
    mp_parts_mux(&want[n].p, &pr, 1, 8, 10);     /* 2 LUTs + F7 per bit */
    want[n++].lut = 20;
    mp_parts_mux(&want[n].p, &pr, 1, 2, 10);     /* LUT6_2: 2 bits/LUT  */
    want[n++].lut = 5;
    mp_parts_mux(&want[n].p, &pr, 1, 64, 1);     /* 2 CLBs + a 2:1      */
    want[n++].lut = 8 + 8 + 0.5;
    mp_parts_shifter(&want[n].p, &pr, 1, 24, 23); /* 5 stages: 4:1,4:1,2:1 */
    want[n++].lut = 24 + 24 + 12;
    mp_parts_and(&want[n].p, &pr, 4, 8);         /* 32 AND2 bits        */
    want[n++].lut = 16;
    mp_parts_reg(&want[n].p, &pr, 2, 16);
    want[n++].ff = 32;
    mp_parts_mac(&want[n].p, &pr, 1, 8, 4, 32, 12); /* P += A*B: a slice */
    want[n].ff = 12;                                /* + operand FFs    */
    want[n++].dsp = 1;
    /* FP16 multiply: 11x11 significands on a DSP; exponent add 6, 2:1
     * normalize 11 bits (5.5), round 11, exponent adjust 5 */
    mp_parts_fp_mult(&want[n].p, &pr, 1, 16);
    want[n].dsp = 1;
    want[n++].lut = 6 + 5.5 + 11 + 5;
    for (int i = 0; i < n; i++) {
        const mp_parts *p = &want[i].p;
        if (p->lut != want[i].lut || p->ff != want[i].ff ||
            p->dsp != want[i].dsp || p->um2 != 0)
            fail_msg("part %d: LUT %g FF %g DSP %g, want %g %g %g", i, p->lut,
                     p->ff, p->dsp, want[i].lut, want[i].ff, want[i].dsp);
        double pj = p->dsp * tech(&x, "dsp_uw_per_mhz") +
                    p->lut * tech(&x, "lut_uw_per_mhz") +
                    p->ff * tech(&x, "ff_uw_per_mhz");
        assert_true(fabs(p->pj - pj) < 1e-12);
    }
    /* MixPE W4A8 PE, G 128 with zero points: 4 gated copies of the
     * activation (32 AND2 bits: 16 LUTs), a 3-adder tree of 12-bit adders
     * (36), the group accumulator (A bits), registers 8 + 4 + A */
    mp_pe_params p = params(MP_W_SIGNED, 4, MP_ACT_INT8, 128, 1);
    const mp_pe_ops *mix = mp_pe_find("mixpe");
    assert_int_equal(mix->check(&p, &d), 0);
    mp_arith ar;
    mix->arith(&p, &ar);
    mp_pe_cost c;
    assert_int_equal(mix->cost(&p, &x, &c, &d), 0);
    assert_true(c.lut == 16 + 36 + ar.acc_bits);
    assert_true(c.ff == 8 + 4 + ar.acc_bits && c.dsp == 0);
    assert_true(fabs(c.fpga_dynamic_w - c.energy_pj_tile * 1e-12 * 500e6) <
                1e-15);
    mp_tech_free(&x);
}

/* LUT TC unit, W2 x FP8 E4M3 activations, E4M3 tables, FP16 accumulator,
 * M2N64K4: per output an 8:1 mux of 8-bit entries (7 x 8 mux bits), the
 * 8-bit exponent adder of the plane shift, the FP16 += E4M3 adder and a
 * 16-bit register; plus 4 x 64 weight-plane bits and 2 x 8 x 8 table bits.
 * asic-28nm has the synthesized FP16 += E4M3 adder (29,340 um2 at 180 nm x
 * 0.019799 = 580.9 um2); asic-45nm has none: the FP16 adder stands in. */
static void test_lut_narrow_table_adder(void **state)
{
    (void)state;
    static const char *const techs[] = {"asic-28nm", "asic-45nm"};
    static const char *const adders[] = {"fp16_add_fp8e4m3_um2",
                                         "fp16_add_um2"};
    const mp_pe_ops *lut = mp_pe_find("lut-tc");
    for (int i = 0; i < 2; i++) {
        mp_tech t;
        load(techs[i], &t);
        mp_diag d;
        mp_pe_params p = params(MP_W_UNSIGNED, 2, MP_ACT_FP8_E4M3, 128, 1);
        p.table_fmt = MP_ACT_FP8_E4M3;
        p.acc = MP_ACC_FP16;
        assert_int_equal(lut->check(&p, &d), 0);
        mp_pe_cost c;
        assert_int_equal(lut->cost(&p, &t, &c, &d), 0);
        double per_out = 7 * 8 * tech(&t, "mux2_um2_per_bit") +
                         tech(&t, "int_add8_um2") + tech(&t, adders[i]) +
                         16 * tech(&t, "reg_um2_per_bit");
        double area = 128 * per_out +
                      (4 * 64 + 2 * 8 * 8) * tech(&t, "reg_um2_per_bit");
        assert_true(fabs(c.area_um2 - area) < 1e-9 * area);
        if (i == 0)
            assert_true(fabs(tech(&t, adders[0]) - 580.90) < 0.01);
        else
            assert_null(mp_tech_find(&t, "fp16_add_fp8e4m3_um2"));
        mp_tech_free(&t);
    }
}

/* A family costs on the ASIC table, the FPGA table or both; a kind it
 * refuses is refused naming "tech". */
static void expect_costs(const mp_pe_ops *o, mp_act_fmt act,
                         const mp_tech *asic, const mp_tech *fpga)
{
    mp_diag d;
    mp_pe_params q = params(MP_W_UNSIGNED, 2, act, 128, 1);
    assert_int_equal(o->check(&q, &d), 0);
    const mp_tech *tables[2] = {asic, fpga};
    int kinds = 0;
    for (int on_fpga = 0; on_fpga < 2; on_fpga++) {
        mp_pe_cost c;
        memset(&c, 0, sizeof c);
        memset(&d, 0, sizeof d);
        if (o->cost(&q, tables[on_fpga], &c, &d)) {
            assert_string_equal(d.field, "tech");
            continue;
        }
        kinds++;
        assert_true(c.energy_pj_tile > 0);
        assert_true(on_fpga ? c.lut + c.ff + c.dsp > 0 && c.fpga_dynamic_w > 0
                            : c.area_um2 > 0 && c.leakage_uw > 0);
    }
    if (!kinds)
        fail_msg("%s with %s activations costs on no table", o->name,
                 mp_act_name(act));
}

static void test_cost_hand_worked(void **state)
{
    (void)state;
    mp_tech t45;
    load("asic-45nm", &t45);
    mp_diag d;
    /* INT8 MAC at 45 nm: 8x8 multiplier + 32-bit adder + 8+8+32 register
     * bits (per-channel: 32-bit accumulator). */
    mp_pe_params p = params(MP_W_SIGNED, 8, MP_ACT_INT8, 0, 0);
    const mp_pe_ops *ops = mp_pe_find("int8-mac");
    assert_int_equal(ops->check(&p, &d), 0);
    mp_pe_cost c;
    assert_int_equal(ops->cost(&p, &t45, &c, &d), 0);
    double area = tech(&t45, "int_mult8_um2") +
                  tech(&t45, "int_add8_um2") * 32 / 8 +
                  tech(&t45, "reg_um2_per_bit") * 48;
    double pj = tech(&t45, "int_mult8_pj") + tech(&t45, "int_add32_pj") +
                tech(&t45, "reg_pj_per_bit") * 48;
    assert_true(fabs(c.area_um2 - area) < 1e-9);
    assert_true(fabs(c.energy_pj_tile - pj) < 1e-12);
    assert_true(fabs(c.leakage_uw - area * tech(&t45, "leakage_uw_per_um2")) <
                1e-9);
    /* every family costs on its kinds of table (ASIC, FPGA) at each
     * activation format it accepts, and refuses any other kind */
    mp_tech t28, xcup;
    load("asic-28nm", &t28);
    load("xcup", &xcup);
    for (int i = 0; mp_pe_registry[i]; i++)
        for (const mp_act_fmt *a = mp_pe_registry[i]->acts;
             *a != MP_ACT_COUNT; a++)
            expect_costs(mp_pe_registry[i], *a, &t28, &xcup);
    /* int8-mac also maps onto the FPGA table: one DSP48E2 per PE
     * (UG579), registers for the 8-bit operand and the uint2 code + sign */
    mp_pe_params q = params(MP_W_UNSIGNED, 2, MP_ACT_INT8, 128, 1);
    assert_int_equal(mp_pe_find("int8-mac")->check(&q, &d), 0);
    assert_int_equal(mp_pe_find("int8-mac")->cost(&q, &xcup, &c, &d), 0);
    assert_true(c.dsp == 1 && c.ff == 8 + 3 && c.fpga_dynamic_w > 0);
    /* MixPE W4A8 smaller and cheaper than an FP16 MAC at the same node */
    mp_pe_cost mix, fp;
    p = params(MP_W_UNSIGNED, 4, MP_ACT_INT8, 128, 1);
    assert_int_equal(mp_pe_find("mixpe")->check(&p, &d), 0);
    assert_int_equal(mp_pe_find("mixpe")->cost(&p, &t28, &mix, &d), 0);
    p.act = MP_ACT_FP16;
    assert_int_equal(mp_pe_find("fp16-mac")->check(&p, &d), 0);
    assert_int_equal(mp_pe_find("fp16-mac")->cost(&p, &t28, &fp, &d), 0);
    assert_true(mix.area_um2 < fp.area_um2);
    assert_true(mix.energy_pj_tile < fp.energy_pj_tile);
    mp_tech_free(&t45);
    mp_tech_free(&t28);
    mp_tech_free(&xcup);
}

static const mp_edge_cost *edge_named(const mp_edge_cost *e, int n,
                                      const char *name)
{
    for (int i = 0; i < n; i++)
        if (!strcmp(e[i].name, name))
            return &e[i];
    fail_msg("no edge unit %s", name);
    return NULL;
}

/* MixPE operand packing (pack_products L): L shift&add lanes share the
 * activation, so a PE covers 1 x L x 1 MACs per cycle; the PE is L lanes'
 * datapath with one activation register (docs/model.md, mixpe). */
static void test_mixpe_packing_hand_worked(void **state)
{
    (void)state;
    mp_tech t28;
    load("asic-28nm", &t28);
    mp_diag d;
    const mp_pe_ops *mix = mp_pe_find("mixpe");
    /* W4A8 G = 128 symmetric: group register 20 bits (4-bit x 8-bit
     * products, 128 of them: |sum| <= 128 * 8 * 128 = 2^17, signed 19,
     * one more bit for the -8 * -128 corner): check from the arithmetic */
    mp_pe_params p = params(MP_W_SIGNED, 4, MP_ACT_INT8, 128, 0);
    mp_pe_cost one, two;
    assert_int_equal(mix->check(&p, &d), 0);
    assert_int_equal(mix->cost(&p, &t28, &one, &d), 0);
    p.pack_products = 2;
    assert_int_equal(mix->check(&p, &d), 0);
    assert_int_equal(p.pack_products, 2);
    mp_pe_timing tm;
    mix->timing(&p, &tm);
    assert_int_equal(tm.tile_m, 1);
    assert_int_equal(tm.tile_n, 2);
    assert_int_equal(tm.tile_k, 1);
    assert_true(mp_pe_macs_per_cycle(&tm) == 2.0);
    assert_int_equal(tm.operand_broadcast, 0);
    assert_int_equal(tm.pipeline_depth, 0);
    assert_int_equal(mix->cost(&p, &t28, &two, &d), 0);
    /* by hand: lanes x (4 AND rows of 8 bits + 3 adders of 12 bits + one
     * group adder of A bits) + registers 8 + 2 x (4 + A) bits */
    mp_arith ar;
    mix->arith(&p, &ar);
    int A = ar.acc_bits;
    double add12 = tech(&t28, "int_add8_um2") * 12 / 8;
    double addA = tech(&t28, "int_add8_um2") * A / 8;
    double lane = tech(&t28, "and2_um2_per_bit") * 4 * 8 + 3 * add12 + addA;
    double area2 = 2 * lane + tech(&t28, "reg_um2_per_bit") * (8 + 2 * (4 + A));
    double area1 = lane + tech(&t28, "reg_um2_per_bit") * (8 + 4 + A);
    if (fabs(two.area_um2 - area2) > 1e-9 || fabs(one.area_um2 - area1) > 1e-9)
        fail_msg("area %g / %g, by hand %g / %g", two.area_um2, one.area_um2,
                 area2, area1);
    /* per MAC a packed PE saves the shared activation register's share */
    assert_true(two.energy_pj_tile < 2 * one.energy_pj_tile);
    assert_true(two.energy_pj_tile > one.energy_pj_tile);
    /* the edge keeps up with twice the MACs: 64 x 64 x 2 / 128 units */
    mp_edge_cost e[MP_MAX_EDGE];
    mp_gemm_shape s = {64, 4096, 4096};
    int n = mix->edge(&p, &t28, &s, 64, 64, e, &d);
    assert_true(edge_named(e, n, "dequant")->ops_per_cycle == 64);
    /* the functional model is the unpacked arithmetic, lane by lane */
    sweep("mixpe", p, 3, 6, 256, 77);
    /* FP16: 16-bit operand -> four int4 codes; two int8 codes */
    p = params(MP_W_UNSIGNED, 4, MP_ACT_FP16, 16, 1);
    p.pack_products = 4;
    mix->timing(&p, &tm);
    assert_int_equal(mix->check(&p, &d), 0);
    assert_int_equal(tm.tile_n, 4);
    sweep("mixpe", p, 2, 8, 32, 78);
    /* default (0) and 1: one lane */
    p.pack_products = 0;
    assert_int_equal(mix->check(&p, &d), 0);
    assert_int_equal(p.pack_products, 0);
    mix->timing(&p, &tm);
    assert_int_equal(tm.tile_n, 1);
    mp_tech_free(&t28);
}

static void test_edge_hand_worked(void **state)
{
    (void)state;
    mp_tech t28, xcup;
    load("asic-28nm", &t28);
    load("xcup", &xcup);
    mp_diag d;
    mp_edge_cost e[MP_MAX_EDGE];
    mp_gemm_shape s = {64, 4096, 4096};
    /* MixPE: dequant ops = M*N*K/G; by default enough units to keep up:
     * 64*64 PEs x 1 MAC / G=128 -> 32 units; one act_sum lane per row */
    mp_pe_params p = params(MP_W_UNSIGNED, 4, MP_ACT_INT8, 128, 1);
    const mp_pe_ops *mix = mp_pe_find("mixpe");
    assert_int_equal(mix->check(&p, &d), 0);
    int n = mix->edge(&p, &t28, &s, 64, 64, e, &d);
    assert_int_equal(n, 2);
    assert_true(edge_named(e, n, "dequant")->ops == 64.0 * 4096 * 4096 / 128);
    assert_true(edge_named(e, n, "dequant")->ops_per_cycle == 32);
    assert_true(edge_named(e, n, "act_sum")->ops == 64.0 * 4096);
    assert_true(edge_named(e, n, "act_sum")->ops_per_cycle == 64);
    p.edge_units = 8;
    n = mix->edge(&p, &t28, &s, 64, 64, e, &d);
    assert_true(edge_named(e, n, "dequant")->ops_per_cycle == 8);
    assert_true(edge_named(e, n, "dequant")->area_um2 > 0);
    /* LUT TC: one table per row and 4 activations; fused overlaps */
    const mp_pe_ops *lut = mp_pe_find("lut-tc");
    p = params(MP_W_UNSIGNED, 2, MP_ACT_INT8, 128, 1);
    assert_int_equal(lut->check(&p, &d), 0);
    n = lut->edge(&p, &t28, &s, 16, 16, e, &d);
    assert_int_equal(n, 3);
    const mp_edge_cost *tp = edge_named(e, n, "table_precompute");
    assert_true(tp->ops == 64.0 * 4096 / 4);
    assert_int_equal(tp->overlaps_compute, 0);
    assert_true(tp->ops_per_cycle == 16 * 2); /* a builder per tile row */
    /* 16*16 units x (2*64*4 MACs / 2 cycles) / G=128 */
    assert_true(edge_named(e, n, "dequant")->ops_per_cycle == 512);
    p.table_fused = 1;
    n = lut->edge(&p, &t28, &s, 16, 16, e, &d);
    assert_int_equal(edge_named(e, n, "table_precompute")->overlaps_compute,
                     1);
    /* FP16 MAC: every weight dequantized once per pass over M */
    const mp_pe_ops *fp = mp_pe_find("fp16-mac");
    p = params(MP_W_UNSIGNED, 4, MP_ACT_FP16, 128, 1);
    assert_int_equal(fp->check(&p, &d), 0);
    n = fp->edge(&p, &t28, &s, 32, 32, e, &d);
    assert_int_equal(n, 1);
    assert_true(e[0].ops == 4096.0 * 4096 * 2);
    /* DSP chain: int8 x int8 flushes every 7 products, int4 every chain */
    const mp_pe_ops *dsp = mp_pe_find("dsp-chain");
    p = params(MP_W_SIGNED, 8, MP_ACT_INT8, 128, 0);
    p.chain_len = 8;
    assert_int_equal(dsp->check(&p, &d), 0);
    mp_gemm_shape small = {4, 2, 28};
    small.k = 28;
    p.group_size = 28;
    n = dsp->edge(&p, &xcup, &small, 8, 2, e, &d);
    assert_true(edge_named(e, n, "pack_correction")->ops == 2.0 * 2 * 4);
    p.wfmt.bits = 4;
    n = dsp->edge(&p, &xcup, &small, 8, 2, e, &d);
    assert_true(edge_named(e, n, "pack_correction")->ops == 2.0 * 2 * 4);
    p.chain_len = 16;
    n = dsp->edge(&p, &xcup, &small, 16, 2, e, &d);
    assert_true(edge_named(e, n, "pack_correction")->ops == 2.0 * 2 * 2);
    /* 8 rows cascade chains of 8 slices, not 16 (the engine's span) */
    n = dsp->edge(&p, &xcup, &small, 8, 2, e, &d);
    assert_true(edge_named(e, n, "pack_correction")->ops == 2.0 * 2 * 4);
    /* the FPGA power equation on a dequant unit, by hand from xcup.yaml:
     * per unit 4 DSP, 2,316 LUT, 128 FF (mpsim synth of the generated
     * unit); pJ per operation = 4 x 2.73 + 2316 x 0.0230 + 128 x 0.0394 =
     * 10.92 + 53.268 + 5.0432 = 69.2312 (uW/MHz = pJ per cycle) */
    const mp_edge_cost *dq = edge_named(e, n, "dequant");
    assert_true(dq->ops_per_cycle >= 1);
    assert_true(dq->dsp == 4 * dq->ops_per_cycle);
    assert_true(dq->lut == 2316 * dq->ops_per_cycle);
    assert_true(dq->ff == 128 * dq->ops_per_cycle);
    assert_true(fabs(dq->energy_pj_op - 69.2312) < 1e-9);
    /* INT4 quad: a flush per 2x2 output tile, every chain of 8 (< 15);
     * 2 chains, each with 11 + 11 + 15 borrow LUTs and 4 accumulators */
    p = params(MP_W_SIGNED, 4, MP_ACT_INT4, 28, 0);
    assert_int_equal(dsp->check(&p, &d), 0);
    n = dsp->edge(&p, &xcup, &small, 8, 2, e, &d);
    assert_true(edge_named(e, n, "pack_correction")->ops == 2.0 * 1 * 4);
    mp_arith ar;
    dsp->arith(&p, &ar);
    assert_true(edge_named(e, n, "pack_correction")->lut ==
                2.0 * (37 + 4 * ar.acc_bits));
    assert_true(edge_named(e, n, "pack_correction")->ff ==
                2.0 * 4 * ar.acc_bits);
    /* bad shapes */
    mp_gemm_shape bad = {0, 4, 4};
    memset(&d, 0, sizeof d);
    assert_int_equal(mix->edge(&p, &t28, &bad, 4, 4, e, &d), -1);
    assert_string_equal(d.field, "shape");
    mp_pe_params q = params(MP_W_UNSIGNED, 4, MP_ACT_INT8, 128, 1);
    mp_gemm_shape odd = {4, 4, 200};
    assert_int_equal(mix->edge(&q, &t28, &odd, 4, 4, e, &d), -1);
    assert_string_equal(d.field, "group_size");
    mp_tech_free(&t28);
    mp_tech_free(&xcup);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mixpe_matches_golden),
        cmocka_unit_test(test_mixpe_packing_hand_worked),
        cmocka_unit_test(test_lut_tc_matches_golden),
        cmocka_unit_test(test_dsp_chain_matches_golden),
        cmocka_unit_test(test_baselines_match_golden),
        cmocka_unit_test(test_every_family_matches_golden),
        cmocka_unit_test(test_mismatch_is_detected),
        cmocka_unit_test(test_align_rounds_like_the_golden),
        cmocka_unit_test(test_dsp_packing_exhaustive),
        cmocka_unit_test(test_dsp_accumulation_limit),
        cmocka_unit_test(test_dsp_chain_int4_matches_golden),
        cmocka_unit_test(test_dsp_quad_exhaustive),
        cmocka_unit_test(test_dsp_quad_limit),
        cmocka_unit_test(test_dsp_sparsity),
        cmocka_unit_test(test_check_rejects),
        cmocka_unit_test(test_acts_are_what_check_accepts),
        cmocka_unit_test(test_check_idempotent),
        cmocka_unit_test(test_registry),
        cmocka_unit_test(test_fpga_resources_or_refusal),
        cmocka_unit_test(test_fpga_parts_hand_worked),
        cmocka_unit_test(test_timing_hand_worked),
        cmocka_unit_test(test_cost_hand_worked),
        cmocka_unit_test(test_lut_narrow_table_adder),
        cmocka_unit_test(test_edge_hand_worked),
        cmocka_unit_test(test_fp16_mac_fp16_weights),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
