/*
 * test_formats.c - activation and weight number formats.
 *
 * The float encoder is checked against references that share none of its
 * code: a nearest-value search over the decoded codes of the format (ties to
 * the code with an even last bit, IEEE overflow modelled by one virtual code
 * past the largest finite value), the C (float) cast for FP32, and the
 * float bit layout for BF16 decoding.  Where the space is small (every
 * FP16, BF16 and FP8 pattern) the checks are exhaustive.
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

#include "golden/formats.h"
#include "golden/rng.h"

static const mp_act_fmt float_fmts[] = {
    MP_ACT_FP16, MP_ACT_BF16, MP_ACT_FP8_E4M3, MP_ACT_FP8_E5M2,
};
#define N_FLOAT_FMTS (sizeof float_fmts / sizeof float_fmts[0])

static uint32_t sign_bit(mp_act_fmt fmt)
{
    return 1u << (mp_act_bits(fmt) - 1);
}

/* ---- a slow, independent reference rounding --------------------------- */

/* The positive finite codes of a format sorted by value (codes of a
 * sign-magnitude format are already in value order), plus one virtual code
 * past the largest finite value: the value the format would have there with
 * an unbounded exponent.  Rounding to it means overflow. */
typedef struct ref_table {
    mp_act_fmt fmt;
    int count;         /* finite positive codes, +1 virtual */
    uint32_t *codes;
    double *values;
} ref_table;

static void ref_build(ref_table *t, mp_act_fmt fmt)
{
    uint32_t n_codes = sign_bit(fmt);
    t->fmt = fmt;
    t->codes = malloc((n_codes + 1) * sizeof *t->codes);
    t->values = malloc((n_codes + 1) * sizeof *t->values);
    assert_non_null(t->codes);
    assert_non_null(t->values);
    t->count = 0;
    for (uint32_t c = 0; c < n_codes; c++) {
        double v = mp_fp_decode(fmt, c);
        if (!isfinite(v))
            break;
        if (t->count > 0)
            assert_true(v > t->values[t->count - 1]); /* monotonic */
        t->codes[t->count] = c;
        t->values[t->count] = v;
        t->count++;
    }
    /* Virtual next value: the last step again (same binade, or a power of
     * two when max has an all-ones mantissa and the step doubles - the
     * step size does not change the nearest choice at the boundary midpoint
     * except through the midpoint, which is max + step/2 in both cases). */
    double max = t->values[t->count - 1];
    double step = max - t->values[t->count - 2];
    t->codes[t->count] = t->codes[t->count - 1] + 1;
    t->values[t->count] = max + step;
    t->count++;
}

static void ref_free(ref_table *t)
{
    free(t->codes);
    free(t->values);
}

/* Expected encoding of v by nearest search over the table. */
static uint32_t ref_encode(const ref_table *t, double v, mp_overflow ovf)
{
    mp_act_fmt fmt = t->fmt;
    const mp_float_layout *l = mp_float_layout_of(fmt);
    uint32_t sign = signbit(v) ? sign_bit(fmt) : 0;
    uint32_t max_code = t->codes[t->count - 2];
    if (isnan(v))
        return sign | (l->ieee_specials
                           ? (((1u << l->exp_bits) - 1) << l->man_bits) |
                                 (1u << (l->man_bits - 1))
                           : sign_bit(fmt) - 1);
    double a = fabs(v);
    uint32_t code;
    if (isinf(v)) {
        code = t->codes[t->count - 1];
    } else {
        /* binary search: first index with value >= a */
        int lo = 0, hi = t->count - 1;
        if (a >= t->values[hi]) {
            lo = hi;
        } else {
            while (lo < hi) {
                int mid = (lo + hi) / 2;
                if (t->values[mid] >= a)
                    hi = mid;
                else
                    lo = mid + 1;
            }
        }
        if (t->values[lo] == a || lo == 0) {
            code = t->codes[lo];
        } else {
            double below = a - t->values[lo - 1];
            double above = t->values[lo] - a;
            if (below < above)
                code = t->codes[lo - 1];
            else if (above < below)
                code = t->codes[lo];
            else /* tie: the code with an even last bit */
                code = (t->codes[lo] & 1) ? t->codes[lo - 1] : t->codes[lo];
        }
    }
    if (code > max_code) { /* overflow */
        if (ovf == MP_OVF_SATURATE)
            code = max_code;
        else if (l->ieee_specials)
            code = ((1u << l->exp_bits) - 1) << l->man_bits;
        else
            code = sign_bit(fmt) - 1; /* E4M3 NaN */
    }
    return sign | code;
}

static void assert_encodes(mp_act_fmt fmt, double v, mp_overflow ovf,
                           uint32_t got, uint32_t want)
{
    if (got != want) {
        print_error("%s: encode(%.17g, %s) = 0x%x, reference 0x%x\n",
                    mp_act_name(fmt), v, ovf == MP_OVF_IEEE ? "ieee" : "sat",
                    got, want);
        fail();
    }
}

/* ---- exhaustive round trips ------------------------------------------- */

static void check_round_trip(mp_act_fmt fmt)
{
    uint32_t n = 1u << mp_act_bits(fmt);
    for (uint32_t bits = 0; bits < n; bits++) {
        double v = mp_fp_decode(fmt, bits);
        for (int ovf = 0; ovf < 2; ovf++) {
            uint32_t back = mp_fp_encode(fmt, v, (mp_overflow)ovf);
            if (isnan(v)) {
                assert_true(isnan(mp_fp_decode(fmt, back)));
                assert_int_equal(back & sign_bit(fmt), bits & sign_bit(fmt));
            } else if (isinf(v) && ovf == MP_OVF_SATURATE) {
                assert_true(fabs(mp_fp_decode(fmt, back)) == mp_act_max(fmt));
            } else if (back != bits) {
                print_error("%s: 0x%x -> %.17g -> 0x%x\n", mp_act_name(fmt),
                            bits, v, back);
                fail();
            }
        }
        assert_int_equal(mp_act_representable(fmt, v),
                         !isinf(v) || mp_float_layout_of(fmt)->ieee_specials);
    }
}

static void test_round_trip_fp16(void **state)
{
    (void)state;
    check_round_trip(MP_ACT_FP16);
}

static void test_round_trip_bf16(void **state)
{
    (void)state;
    check_round_trip(MP_ACT_BF16);
}

static void test_round_trip_fp8(void **state)
{
    (void)state;
    check_round_trip(MP_ACT_FP8_E4M3);
    check_round_trip(MP_ACT_FP8_E5M2);
}

/* BF16 is the top half of an FP32: decode must agree with the C float. */
static void test_bf16_decode_matches_float(void **state)
{
    (void)state;
    for (uint32_t bits = 0; bits < 65536; bits++) {
        uint32_t f32 = bits << 16;
        float f;
        memcpy(&f, &f32, sizeof f);
        double v = mp_fp_decode(MP_ACT_BF16, bits);
        if (isnan(f))
            assert_true(isnan(v));
        else
            assert_true(v == (double)f && !signbit(v) == !signbit(f));
    }
}

/* Every FP16 value (finite, Inf, NaN) into each FP8 format. */
static void check_fp16_to(mp_act_fmt fmt)
{
    ref_table t;
    ref_build(&t, fmt);
    for (uint32_t bits = 0; bits < 65536; bits++) {
        double v = mp_fp_decode(MP_ACT_FP16, bits);
        for (int ovf = 0; ovf < 2; ovf++) {
            uint32_t got = mp_fp_encode(fmt, v, (mp_overflow)ovf);
            assert_encodes(fmt, v, (mp_overflow)ovf, got,
                           ref_encode(&t, v, (mp_overflow)ovf));
        }
    }
    ref_free(&t);
}

static void test_fp16_to_e4m3(void **state)
{
    (void)state;
    check_fp16_to(MP_ACT_FP8_E4M3);
}

static void test_fp16_to_e5m2(void **state)
{
    (void)state;
    check_fp16_to(MP_ACT_FP8_E5M2);
}

/* ---- random doubles against the reference ----------------------------- */

/* A random double: random 53-bit significand, exponent spread over
 * [lo_exp, hi_exp], random sign. */
static double random_double(mp_rng *r, int lo_exp, int hi_exp)
{
    double sig = 1.0 + mp_rng_unit(r);
    double v = ldexp(sig, (int)mp_rng_range(r, lo_exp, hi_exp));
    return (mp_rng_next(r) & 1) ? -v : v;
}

static void check_random(mp_act_fmt fmt, int lo_exp, int hi_exp, int n)
{
    ref_table t;
    ref_build(&t, fmt);
    mp_rng rng;
    mp_rng_seed(&rng, 0x5eed0000u + (unsigned)fmt);
    for (int i = 0; i < n; i++) {
        double v;
        switch (i % 4) {
        case 0: /* a tie: midpoint of two adjacent finite codes (exact) */
        case 1: /* or one double ulp either side of it */
        {
            int j = (int)mp_rng_range(&rng, 1, t.count - 1);
            double mid = (t.values[j - 1] + t.values[j]) / 2;
            if (i % 4 == 1)
                mid = nextafter(mid, (mp_rng_next(&rng) & 1) ? INFINITY : 0);
            v = (mp_rng_next(&rng) & 1) ? -mid : mid;
            break;
        }
        default:
            v = random_double(&rng, lo_exp, hi_exp);
        }
        for (int ovf = 0; ovf < 2; ovf++)
            assert_encodes(fmt, v, (mp_overflow)ovf,
                           mp_fp_encode(fmt, v, (mp_overflow)ovf),
                           ref_encode(&t, v, (mp_overflow)ovf));
    }
    ref_free(&t);
}

static void test_random_doubles_fp16(void **state)
{
    (void)state;
    check_random(MP_ACT_FP16, -30, 18, 40000);
}

static void test_random_doubles_bf16(void **state)
{
    (void)state;
    check_random(MP_ACT_BF16, -140, 130, 40000);
}

static void test_random_doubles_fp8(void **state)
{
    (void)state;
    check_random(MP_ACT_FP8_E4M3, -13, 10, 20000);
    check_random(MP_ACT_FP8_E5M2, -20, 18, 20000);
}

/* FP32 against the C cast (round to nearest even, overflow to Inf). */
static void test_fp32_matches_c_cast(void **state)
{
    (void)state;
    mp_rng rng;
    mp_rng_seed(&rng, 32);
    for (int i = 0; i < 200000; i++) {
        double v;
        if (i % 2) {
            uint64_t b = mp_rng_next(&rng);
            memcpy(&v, &b, sizeof v); /* any double, all exponents */
        } else {
            v = random_double(&rng, -155, 130); /* float range and edges */
        }
        float f = (float)v;
        uint32_t want;
        memcpy(&want, &f, sizeof want);
        uint32_t got = mp_fp_encode(MP_ACT_FP32, v, MP_OVF_IEEE);
        if (isnan(v)) {
            assert_true(isnan(mp_fp_decode(MP_ACT_FP32, got)));
            continue;
        }
        if (got != want) {
            print_error("fp32: encode(%a) = 0x%08x, (float) gives 0x%08x\n",
                        v, got, want);
            fail();
        }
        assert_true(mp_fp_decode(MP_ACT_FP32, got) == (double)f);
    }
}

/* The reference of check_random, itself checked: a plain linear scan for
 * the nearest of all finite codes (ties: even code) on fewer samples. */
static void test_reference_binary_search_vs_linear(void **state)
{
    (void)state;
    ref_table t;
    ref_build(&t, MP_ACT_FP16);
    mp_rng rng;
    mp_rng_seed(&rng, 99);
    for (int i = 0; i < 300; i++) {
        double v = fabs(random_double(&rng, -26, 17));
        int best = 0;
        for (int j = 1; j < t.count; j++) {
            double dj = fabs(t.values[j] - v), db = fabs(t.values[best] - v);
            if (dj < db || (dj == db && !(t.codes[j] & 1)))
                best = j;
        }
        uint32_t want = t.codes[best];
        if (want > t.codes[t.count - 2])
            want = 0x7c00; /* the virtual code: overflow to Inf */
        assert_int_equal(ref_encode(&t, v, MP_OVF_IEEE), want);
        assert_int_equal(mp_fp_encode(MP_ACT_FP16, v, MP_OVF_IEEE), want);
    }
    ref_free(&t);
}

#ifdef __FLT16_MANT_DIG__
/* Where the compiler has _Float16 (GCC 12 on x86-64 and arm64), its
 * conversions are one more independent reference for FP16. */
static void test_fp16_matches_compiler_float16(void **state)
{
    (void)state;
    for (uint32_t bits = 0; bits < 65536; bits++) {
        uint16_t b16 = (uint16_t)bits;
        _Float16 h;
        memcpy(&h, &b16, sizeof h);
        double v = mp_fp_decode(MP_ACT_FP16, bits);
        if (isnan((double)h))
            assert_true(isnan(v));
        else
            assert_true(v == (double)h);
    }
    mp_rng rng;
    mp_rng_seed(&rng, 16);
    for (int i = 0; i < 100000; i++) {
        double v = random_double(&rng, -27, 17);
        _Float16 h = (_Float16)v;
        uint16_t want;
        memcpy(&want, &h, sizeof want);
        assert_int_equal(mp_fp_encode(MP_ACT_FP16, v, MP_OVF_IEEE), want);
    }
}
#endif

/* ---- named special cases ---------------------------------------------- */

static void test_e4m3_specials(void **state)
{
    (void)state;
    mp_act_fmt f = MP_ACT_FP8_E4M3;
    assert_true(mp_act_max(f) == 448.0);
    assert_int_equal(mp_fp_encode(f, 448.0, MP_OVF_IEEE), 0x7e);
    /* 464 is halfway between 448 (even) and 480 (the NaN slot): to 448 */
    assert_int_equal(mp_fp_encode(f, 464.0, MP_OVF_IEEE), 0x7e);
    assert_int_equal(mp_fp_encode(f, 464.5, MP_OVF_IEEE), 0x7f);
    assert_int_equal(mp_fp_encode(f, 464.5, MP_OVF_SATURATE), 0x7e);
    assert_int_equal(mp_fp_encode(f, -1e9, MP_OVF_SATURATE), 0xfe);
    /* no Inf: Inf is NaN (IEEE rule) or max (saturate) */
    assert_int_equal(mp_fp_encode(f, INFINITY, MP_OVF_IEEE), 0x7f);
    assert_int_equal(mp_fp_encode(f, -INFINITY, MP_OVF_IEEE), 0xff);
    assert_int_equal(mp_fp_encode(f, INFINITY, MP_OVF_SATURATE), 0x7e);
    assert_int_equal(mp_fp_encode(f, NAN, MP_OVF_SATURATE), 0x7f);
    assert_true(isnan(mp_fp_decode(f, 0x7f)));
    assert_true(isnan(mp_fp_decode(f, 0xff)));
    /* S.1111.000-110 are ordinary numbers: 256..448 */
    assert_true(mp_fp_decode(f, 0x78) == 256.0);
    assert_true(mp_fp_decode(f, 0x7d) == 416.0);
    /* subnormals: min 2^-9, max 7*2^-9; min normal 2^-6 */
    assert_true(mp_fp_decode(f, 0x01) == ldexp(1, -9));
    assert_true(mp_fp_decode(f, 0x07) == 7 * ldexp(1, -9));
    assert_true(mp_fp_decode(f, 0x08) == ldexp(1, -6));
    assert_int_equal(mp_fp_encode(f, ldexp(1, -10), MP_OVF_IEEE), 0x00);
    assert_int_equal(mp_fp_encode(f, ldexp(3, -11), MP_OVF_IEEE), 0x01);
    assert_int_equal(mp_fp_encode(f, ldexp(3, -10), MP_OVF_IEEE), 0x02);
    assert_int_equal(mp_fp_encode(f, -ldexp(1, -12), MP_OVF_IEEE), 0x80);
    assert_false(mp_act_representable(f, INFINITY));
    assert_false(mp_act_representable(f, 480.0));
    assert_false(mp_act_representable(f, ldexp(1, -10)));
    assert_true(mp_act_representable(f, NAN));
}

static void test_e5m2_specials(void **state)
{
    (void)state;
    mp_act_fmt f = MP_ACT_FP8_E5M2;
    assert_true(mp_act_max(f) == 57344.0);
    assert_int_equal(mp_fp_encode(f, 57344.0, MP_OVF_IEEE), 0x7b);
    /* 61440 is halfway between 57344 (odd mantissa) and 65536: overflows */
    assert_int_equal(mp_fp_encode(f, 61439.0, MP_OVF_IEEE), 0x7b);
    assert_int_equal(mp_fp_encode(f, 61440.0, MP_OVF_IEEE), 0x7c);
    assert_int_equal(mp_fp_encode(f, 61440.0, MP_OVF_SATURATE), 0x7b);
    assert_int_equal(mp_fp_encode(f, -INFINITY, MP_OVF_IEEE), 0xfc);
    assert_int_equal(mp_fp_encode(f, -INFINITY, MP_OVF_SATURATE), 0xfb);
    assert_true(isinf(mp_fp_decode(f, 0x7c)));
    assert_true(isnan(mp_fp_decode(f, 0x7d)));
    assert_int_equal(mp_fp_encode(f, NAN, MP_OVF_IEEE), 0x7e);
    assert_true(mp_fp_decode(f, 0x01) == ldexp(1, -16));
    assert_true(mp_fp_decode(f, 0x04) == ldexp(1, -14));
    assert_true(mp_act_representable(f, -INFINITY));
}

static void test_fp16_bf16_specials(void **state)
{
    (void)state;
    assert_true(mp_act_max(MP_ACT_FP16) == 65504.0);
    assert_int_equal(mp_fp_encode(MP_ACT_FP16, 65519.0, MP_OVF_IEEE), 0x7bff);
    assert_int_equal(mp_fp_encode(MP_ACT_FP16, 65520.0, MP_OVF_IEEE), 0x7c00);
    assert_int_equal(mp_fp_encode(MP_ACT_FP16, 65520.0, MP_OVF_SATURATE),
                     0x7bff);
    assert_int_equal(mp_fp_encode(MP_ACT_FP16, -0.0, MP_OVF_IEEE), 0x8000);
    assert_int_equal(mp_fp_encode(MP_ACT_FP16, NAN, MP_OVF_IEEE), 0x7e00);
    assert_true(mp_fp_decode(MP_ACT_FP16, 0x0001) == ldexp(1, -24));
    assert_true(mp_fp_decode(MP_ACT_FP16, 0x0400) == ldexp(1, -14));
    assert_true(mp_fp_decode(MP_ACT_FP16, 0x3c00) == 1.0);
    assert_true(mp_fp_decode(MP_ACT_FP16, 0xc000) == -2.0);
    /* 1 + 2^-11 is a tie between 1 and 1 + 2^-10: to even (1) */
    assert_int_equal(mp_fp_encode(MP_ACT_FP16, 1 + ldexp(1, -11), MP_OVF_IEEE),
                     0x3c00);
    assert_int_equal(mp_fp_encode(MP_ACT_FP16, 1 + ldexp(3, -11), MP_OVF_IEEE),
                     0x3c02);
    /* the largest double below the tie rounds down: no double rounding */
    assert_int_equal(mp_fp_encode(MP_ACT_FP16,
                                  nextafter(1 + ldexp(3, -11), 0), MP_OVF_IEEE),
                     0x3c01);
    /* a value whose float32 rounding lands on an fp16 tie: via float this
     * would round to even (0x3c00); exactly it is above the tie (0x3c01) */
    assert_int_equal(mp_fp_encode(MP_ACT_FP16, 1 + ldexp(1, -11) + ldexp(1, -40),
                                  MP_OVF_IEEE),
                     0x3c01);
    assert_true(mp_act_max(MP_ACT_BF16) == 0x1.fep127);
    assert_int_equal(mp_fp_encode(MP_ACT_BF16, 1e39, MP_OVF_IEEE), 0x7f80);
    assert_int_equal(mp_fp_encode(MP_ACT_BF16, 1e39, MP_OVF_SATURATE), 0x7f7f);
    assert_true(mp_fp_decode(MP_ACT_BF16, 0x0001) == ldexp(1, -133));
    assert_true(mp_act_max(MP_ACT_FP32) == 0x1.fffffep127);
    assert_true(mp_act_representable(MP_ACT_FP16, 65504.0));
    assert_false(mp_act_representable(MP_ACT_FP16, 65505.0));
    assert_false(mp_act_representable(MP_ACT_FP16, ldexp(1, -25)));
    assert_true(mp_act_representable(MP_ACT_FP32, 0.1f));
    assert_false(mp_act_representable(MP_ACT_FP32, 0.1));
}

static void test_int_formats(void **state)
{
    (void)state;
    mp_act_fmt f = MP_ACT_INT8;
    assert_true(mp_act_round(f, 2.5, MP_OVF_SATURATE) == 2.0);
    assert_true(mp_act_round(f, 3.5, MP_OVF_SATURATE) == 4.0);
    assert_true(mp_act_round(f, -2.5, MP_OVF_SATURATE) == -2.0);
    assert_true(mp_act_round(f, -2.51, MP_OVF_SATURATE) == -3.0);
    assert_true(mp_act_round(f, 126.5, MP_OVF_SATURATE) == 126.0);
    assert_true(mp_act_round(f, 127.6, MP_OVF_SATURATE) == 127.0);
    assert_true(mp_act_round(f, -200.0, MP_OVF_IEEE) == -128.0);
    assert_true(mp_act_round(f, INFINITY, MP_OVF_IEEE) == 127.0);
    assert_true(mp_act_round(f, NAN, MP_OVF_IEEE) == 0.0);
    assert_false(signbit(mp_act_round(f, -0.25, MP_OVF_IEEE)));
    assert_true(mp_act_round(MP_ACT_INT16, 40000.0, MP_OVF_IEEE) == 32767.0);
    assert_true(mp_act_round(MP_ACT_INT16, -32768.4, MP_OVF_IEEE) == -32768.0);
    assert_int_equal(mp_fp_encode(f, -1.0, MP_OVF_IEEE), 0xff);
    assert_true(mp_fp_decode(f, 0x80) == -128.0);
    assert_true(mp_fp_decode(MP_ACT_INT16, 0x8001) == -32767.0);
    for (int v = -128; v <= 127; v++)
        assert_true(mp_fp_decode(f, mp_fp_encode(f, v, MP_OVF_IEEE)) == v);
    assert_true(mp_act_representable(f, -128.0));
    assert_false(mp_act_representable(f, 128.0));
    assert_false(mp_act_representable(f, 0.5));
    assert_false(mp_act_representable(f, NAN));
    assert_true(mp_act_max(MP_ACT_INT16) == 32767.0);
}

/* INT4: every value round-trips through its 4-bit pattern, everything
 * else rounds to nearest even and saturates to -8..7. */
static void test_int4_format(void **state)
{
    (void)state;
    mp_act_fmt f = MP_ACT_INT4;
    mp_act_fmt back;
    assert_int_equal(mp_act_parse("int4", &back), 0);
    assert_int_equal(back, MP_ACT_INT4);
    assert_string_equal(mp_act_name(f), "int4");
    assert_int_equal(mp_act_bits(f), 4);
    assert_false(mp_act_is_float(f));
    assert_null(mp_float_layout_of(f));
    assert_true(mp_act_max(f) == 7.0);
    for (int v = -8; v <= 7; v++) {
        uint32_t bits = mp_fp_encode(f, v, MP_OVF_IEEE);
        assert_int_equal(bits, (uint32_t)v & 0xf);
        assert_true(mp_fp_decode(f, bits) == v);
        assert_true(mp_act_representable(f, v));
        assert_true(mp_act_round(f, v, MP_OVF_SATURATE) == v);
    }
    for (uint32_t bits = 0; bits < 16; bits++) /* the pattern's sign bit */
        assert_true(mp_fp_decode(f, bits) ==
                    (bits & 8 ? (double)bits - 16 : (double)bits));
    assert_true(mp_fp_decode(f, 0xf8) == -8.0); /* only low 4 bits count */
    assert_true(mp_act_round(f, 2.5, MP_OVF_SATURATE) == 2.0);
    assert_true(mp_act_round(f, 3.5, MP_OVF_SATURATE) == 4.0);
    assert_true(mp_act_round(f, -6.5, MP_OVF_SATURATE) == -6.0);
    assert_true(mp_act_round(f, -7.5, MP_OVF_SATURATE) == -8.0);
    assert_true(mp_act_round(f, 6.5, MP_OVF_SATURATE) == 6.0);
    assert_true(mp_act_round(f, 6.51, MP_OVF_SATURATE) == 7.0);
    assert_true(mp_act_round(f, 7.6, MP_OVF_SATURATE) == 7.0);
    assert_true(mp_act_round(f, 8.0, MP_OVF_IEEE) == 7.0);
    assert_true(mp_act_round(f, -9.0, MP_OVF_IEEE) == -8.0);
    assert_true(mp_act_round(f, -INFINITY, MP_OVF_IEEE) == -8.0);
    assert_true(mp_act_round(f, NAN, MP_OVF_IEEE) == 0.0);
    assert_false(signbit(mp_act_round(f, -0.4, MP_OVF_IEEE)));
    assert_int_equal(mp_fp_encode(f, 100.0, MP_OVF_IEEE), 0x7);
    assert_int_equal(mp_fp_encode(f, -100.0, MP_OVF_IEEE), 0x8);
    assert_false(mp_act_representable(f, 8.0));
    assert_false(mp_act_representable(f, -9.0));
    assert_false(mp_act_representable(f, 0.5));
    assert_false(mp_act_representable(f, NAN));
    assert_false(mp_act_representable(f, INFINITY));
}

static void test_act_names_and_layouts(void **state)
{
    (void)state;
    for (int i = 0; i < MP_ACT_COUNT; i++) {
        mp_act_fmt back;
        assert_int_equal(mp_act_parse(mp_act_name((mp_act_fmt)i), &back), 0);
        assert_int_equal(back, i);
    }
    mp_act_fmt dummy;
    assert_int_equal(mp_act_parse("fp8", &dummy), -1);
    assert_int_equal(mp_act_parse("FP16", &dummy), -1);
    assert_null(mp_float_layout_of(MP_ACT_INT8));
    const mp_float_layout *e4 = mp_float_layout_of(MP_ACT_FP8_E4M3);
    assert_int_equal(e4->exp_bits, 4);
    assert_int_equal(e4->man_bits, 3);
    assert_int_equal(e4->bias, 7);
    assert_int_equal(e4->ieee_specials, 0);
    assert_int_equal(mp_float_layout_of(MP_ACT_BF16)->bias, 127);
    assert_int_equal(mp_act_bits(MP_ACT_FP32), 32);
    for (size_t i = 0; i < N_FLOAT_FMTS; i++)
        assert_true(mp_act_is_float(float_fmts[i]));
    assert_false(mp_act_is_float(MP_ACT_INT16));
}

/* ---- weights ---------------------------------------------------------- */

static void test_wfmt_parse(void **state)
{
    (void)state;
    mp_wfmt w;
    char buf[16];
    assert_int_equal(mp_wfmt_parse("int4", &w), 0);
    assert_int_equal(w.kind, MP_W_SIGNED);
    assert_int_equal(w.bits, 4);
    assert_int_equal(mp_wfmt_parse("uint8", &w), 0);
    assert_int_equal(w.kind, MP_W_UNSIGNED);
    assert_int_equal(w.bits, 8);
    assert_int_equal(mp_wfmt_parse("int1.58", &w), 0);
    assert_int_equal(w.kind, MP_W_TERNARY);
    assert_int_equal(w.bits, 2);
    assert_string_equal(mp_wfmt_name(w, buf, sizeof buf), "ternary");
    assert_int_equal(mp_wfmt_parse("ternary", &w), 0);
    const char *bad[] = {"int0", "int9", "uint", "int", "int4x", "int10",
                         "float4", "", "Int4", "uint-1"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(mp_wfmt_parse(bad[i], &w), -1);
    for (int bits = 1; bits <= 8; bits++)
        for (int kind = 0; kind < 2; kind++) {
            mp_wfmt x = {(mp_wkind)kind, bits}, y;
            assert_int_equal(mp_wfmt_parse(mp_wfmt_name(x, buf, sizeof buf), &y),
                             0);
            assert_int_equal(y.kind, x.kind);
            assert_int_equal(y.bits, x.bits);
        }
}

static void test_wfmt_ranges(void **state)
{
    (void)state;
    mp_wfmt int1 = {MP_W_SIGNED, 1}, int4 = {MP_W_SIGNED, 4};
    mp_wfmt int8 = {MP_W_SIGNED, 8}, uint4 = {MP_W_UNSIGNED, 4};
    mp_wfmt uint8 = {MP_W_UNSIGNED, 8}, tern = {MP_W_TERNARY, 2};
    assert_int_equal(mp_wfmt_min(int1), -1);
    assert_int_equal(mp_wfmt_max(int1), 0);
    assert_int_equal(mp_wfmt_min(int4), -8);
    assert_int_equal(mp_wfmt_max(int4), 7);
    assert_int_equal(mp_wfmt_min(int8), -128);
    assert_int_equal(mp_wfmt_max(uint4), 15);
    assert_int_equal(mp_wfmt_max(uint8), 255);
    assert_int_equal(mp_wfmt_min(tern), -1);
    assert_int_equal(mp_wfmt_max(tern), 1);
    for (int c = 0; c <= 255; c++)
        assert_int_equal(mp_wcode_value(uint8, mp_wcode_store(c)), c);
    for (int c = -128; c <= 127; c++)
        assert_int_equal(mp_wcode_value(int8, mp_wcode_store(c)), c);
}

/* FP16 weights: a code is the 16-bit pattern, its weight the FP16 value. */
static void test_wfmt_fp16(void **state)
{
    (void)state;
    mp_wfmt w;
    char name[16];
    mp_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(mp_wfmt_parse("fp16", &w), 0);
    assert_int_equal(w.kind, MP_W_FP16);
    assert_int_equal(w.bits, 16);
    assert_string_equal(mp_wfmt_name(w, name, sizeof name), "fp16");
    assert_true(mp_wfmt_is_float(w));
    assert_int_equal(mp_wfmt_check(w, "a.yaml", "weights", &d), 0);
    mp_wfmt bad = {MP_W_FP16, 8};
    assert_int_equal(mp_wfmt_check(bad, "a.yaml", "weights", &d), -1);
    /* 0xC000 = -2.0 (sign 1, exponent 16 - 15 = 1); 0x3555 = 1 + 341/1024
     * times 2^-2 = 0.333251953125; 0x0001 the smallest subnormal 2^-24 */
    assert_int_equal(mp_wcode_value(w, mp_wcode_store(0xC000)), 0xC000);
    assert_true(mp_wcode_weight(w, 0xC000) == -2.0);
    assert_true(mp_wcode_weight(w, 0x3555) == 0.333251953125);
    assert_true(mp_wcode_weight(w, 0x0001) == ldexp(1.0, -24));
    assert_true(mp_wcode_weight(w, 0x7BFF) == 65504.0);
    /* finite patterns only: 0x7C00 = +Inf, 0xFE00 a NaN */
    assert_true(mp_wcode_ok(w, 0x7BFF));
    assert_true(mp_wcode_ok(w, 0x8000)); /* -0 */
    assert_false(mp_wcode_ok(w, 0x7C00));
    assert_false(mp_wcode_ok(w, 0xFE00));
    assert_false(mp_wcode_ok(w, 0x10000));
    assert_false(mp_wcode_ok(w, -1));
    for (int c = 0; c <= 0xffff; c++)
        assert_int_equal(mp_wcode_value(w, mp_wcode_store(c)), c);
}

static void test_wfmt_check(void **state)
{
    (void)state;
    mp_diag d;
    memset(&d, 0, sizeof d);
    mp_wfmt w9 = {MP_W_SIGNED, 9};
    assert_int_equal(mp_wfmt_check(w9, "arch.yaml", "pe.wbits", &d), -1);
    assert_string_equal(d.file, "arch.yaml");
    assert_string_equal(d.field, "pe.wbits");
    assert_string_equal(d.msg, "bits must be 1..8, got 9");
    mp_wfmt w0 = {MP_W_UNSIGNED, 0};
    assert_int_equal(mp_wfmt_check(w0, "f", "x", &d), -1);
    assert_string_equal(d.msg, "bits must be 1..8, got 0");
    mp_wfmt t3 = {MP_W_TERNARY, 3};
    assert_int_equal(mp_wfmt_check(t3, "f", "x", &d), -1);
    for (int bits = 1; bits <= 8; bits++) {
        mp_wfmt ok = {MP_W_UNSIGNED, bits};
        assert_int_equal(mp_wfmt_check(ok, "f", "x", &d), 0);
    }
    mp_wfmt t2 = {MP_W_TERNARY, 2};
    assert_int_equal(mp_wfmt_check(t2, "f", "x", &d), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_fp16),
        cmocka_unit_test(test_round_trip_bf16),
        cmocka_unit_test(test_round_trip_fp8),
        cmocka_unit_test(test_bf16_decode_matches_float),
        cmocka_unit_test(test_fp16_to_e4m3),
        cmocka_unit_test(test_fp16_to_e5m2),
        cmocka_unit_test(test_random_doubles_fp16),
        cmocka_unit_test(test_random_doubles_bf16),
        cmocka_unit_test(test_random_doubles_fp8),
        cmocka_unit_test(test_fp32_matches_c_cast),
        cmocka_unit_test(test_reference_binary_search_vs_linear),
#ifdef __FLT16_MANT_DIG__
        cmocka_unit_test(test_fp16_matches_compiler_float16),
#endif
        cmocka_unit_test(test_e4m3_specials),
        cmocka_unit_test(test_e5m2_specials),
        cmocka_unit_test(test_fp16_bf16_specials),
        cmocka_unit_test(test_int_formats),
        cmocka_unit_test(test_int4_format),
        cmocka_unit_test(test_act_names_and_layouts),
        cmocka_unit_test(test_wfmt_parse),
        cmocka_unit_test(test_wfmt_ranges),
        cmocka_unit_test(test_wfmt_check),
        cmocka_unit_test(test_wfmt_fp16),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
