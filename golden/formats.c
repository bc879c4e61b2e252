/*
 * formats.c - see formats.h; docs/numerics.md states every rule.
 *
 * Encoding a double into a float format is done on the exact double value
 * with integer arithmetic: the double is split into a 53-bit integer
 * significand and a power of two, the significand is shifted right to the
 * target format's quantum with round-to-nearest-even on the bits shifted
 * out, and only then is the result checked against the format's range.
 * There is no intermediate float, so there is no double rounding.
 */
#include "golden/formats.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* ---- activation formats ----------------------------------------------- */

static const char *const act_names[MP_ACT_COUNT] = {
    "int8", "int16", "fp16", "bf16", "fp8e4m3", "fp8e5m2", "fp32", "int4",
};
static const int act_bits[MP_ACT_COUNT] = {8, 16, 16, 16, 8, 8, 32, 4};

/* exp_bits, man_bits, bias, ieee_specials; NULL entries are integers. */
static const mp_float_layout layout_fp16 = {5, 10, 15, 1};
static const mp_float_layout layout_bf16 = {8, 7, 127, 1};
static const mp_float_layout layout_e4m3 = {4, 3, 7, 0};
static const mp_float_layout layout_e5m2 = {5, 2, 15, 1};
static const mp_float_layout layout_fp32 = {8, 23, 127, 1};

static int act_valid(mp_act_fmt fmt)
{
    return (int)fmt >= 0 && fmt < MP_ACT_COUNT;
}

const char *mp_act_name(mp_act_fmt fmt)
{
    return act_valid(fmt) ? act_names[fmt] : "?";
}

int mp_act_parse(const char *name, mp_act_fmt *out)
{
    for (int i = 0; i < MP_ACT_COUNT; i++)
        if (name && strcmp(name, act_names[i]) == 0) {
            *out = (mp_act_fmt)i;
            return 0;
        }
    return -1;
}

int mp_act_bits(mp_act_fmt fmt)
{
    return act_valid(fmt) ? act_bits[fmt] : 0;
}

const mp_float_layout *mp_float_layout_of(mp_act_fmt fmt)
{
    switch (fmt) {
    case MP_ACT_FP16: return &layout_fp16;
    case MP_ACT_BF16: return &layout_bf16;
    case MP_ACT_FP8_E4M3: return &layout_e4m3;
    case MP_ACT_FP8_E5M2: return &layout_e5m2;
    case MP_ACT_FP32: return &layout_fp32;
    default: return NULL;
    }
}

int mp_act_is_float(mp_act_fmt fmt)
{
    return mp_float_layout_of(fmt) != NULL;
}

/* Integer formats: two's complement of act_bits bits. */
static int64_t int_max(mp_act_fmt fmt)
{
    return ((int64_t)1 << (mp_act_bits(fmt) - 1)) - 1;
}

static int64_t int_min(mp_act_fmt fmt)
{
    return -((int64_t)1 << (mp_act_bits(fmt) - 1));
}

/* Largest exponent field that holds finite values, and the largest
 * mantissa field allowed with it: IEEE-like formats reserve the all-ones
 * exponent; E4M3 uses it too, except mantissa all-ones (NaN). */
static uint32_t max_exp_field(const mp_float_layout *l)
{
    uint32_t all_ones = (1u << l->exp_bits) - 1;
    return l->ieee_specials ? all_ones - 1 : all_ones;
}

static uint32_t max_man_field(const mp_float_layout *l)
{
    uint32_t all_ones = (1u << l->man_bits) - 1;
    return l->ieee_specials ? all_ones : all_ones - 1;
}

static uint32_t nan_bits(const mp_float_layout *l)
{
    uint32_t exp_all = (1u << l->exp_bits) - 1;
    uint32_t man = l->ieee_specials ? 1u << (l->man_bits - 1) /* quiet */
                                    : (1u << l->man_bits) - 1;
    return (exp_all << l->man_bits) | man;
}

static uint32_t max_finite_bits(const mp_float_layout *l)
{
    return (max_exp_field(l) << l->man_bits) | max_man_field(l);
}

static uint32_t inf_bits(const mp_float_layout *l)
{
    return ((1u << l->exp_bits) - 1) << l->man_bits;
}

double mp_act_max(mp_act_fmt fmt)
{
    const mp_float_layout *l = mp_float_layout_of(fmt);
    if (!l)
        return act_valid(fmt) ? (double)int_max(fmt) : 0.0;
    return mp_fp_decode(fmt, max_finite_bits(l));
}

double mp_fp_decode(mp_act_fmt fmt, uint32_t bits)
{
    const mp_float_layout *l = mp_float_layout_of(fmt);
    if (!l) {
        if (!act_valid(fmt))
            return NAN;
        /* Integer formats: sign-extend the low act_bits bits. */
        int nbits = mp_act_bits(fmt);
        int64_t v = (int64_t)(bits & ((1u << nbits) - 1));
        if (v > int_max(fmt))
            v -= (int64_t)1 << nbits;
        return (double)v;
    }
    int width = 1 + l->exp_bits + l->man_bits;
    int negative = (bits >> (width - 1)) & 1;
    uint32_t exp_field = (bits >> l->man_bits) & ((1u << l->exp_bits) - 1);
    uint32_t man_field = bits & ((1u << l->man_bits) - 1);
    uint32_t exp_all = (1u << l->exp_bits) - 1;
    double v;
    if (l->ieee_specials && exp_field == exp_all)
        v = man_field ? NAN : INFINITY;
    else if (!l->ieee_specials && exp_field == exp_all &&
             man_field == (1u << l->man_bits) - 1)
        v = NAN;
    else if (exp_field == 0) /* zero or subnormal: man * 2^(1-bias-man) */
        v = ldexp((double)man_field, 1 - l->bias - l->man_bits);
    else
        v = ldexp((double)((1u << l->man_bits) | man_field),
                  (int)exp_field - l->bias - l->man_bits);
    return negative ? -v : v;
}

double mp_round_half_even(double v)
{
    double lower = floor(v);
    double frac = v - lower; /* exact for |v| < 2^52; 0 beyond */
    if (frac > 0.5)
        return lower + 1.0;
    if (frac < 0.5)
        return lower;
    return fmod(lower, 2.0) == 0.0 ? lower : lower + 1.0;
}

static uint32_t int_encode(mp_act_fmt fmt, double v)
{
    double r = mp_act_round(fmt, v, MP_OVF_SATURATE);
    int64_t i = (int64_t)r;
    return (uint32_t)i & ((1u << mp_act_bits(fmt)) - 1);
}

/* Number of significant bits of x > 0 (the encoder is on the golden GEMM's
 * hot path, hence the builtin). */
static int bit_length(uint64_t x)
{
    return 64 - __builtin_clzll(x);
}

/* Overflow result for a value beyond the finite range (sign in place). */
static uint32_t overflow_bits(const mp_float_layout *l, mp_overflow ovf)
{
    if (ovf == MP_OVF_SATURATE)
        return max_finite_bits(l);
    return l->ieee_specials ? inf_bits(l) : nan_bits(l);
}

uint32_t mp_fp_encode(mp_act_fmt fmt, double v, mp_overflow ovf)
{
    const mp_float_layout *l = mp_float_layout_of(fmt);
    if (!l)
        return act_valid(fmt) ? int_encode(fmt, v) : 0;

    int width = 1 + l->exp_bits + l->man_bits;
    uint64_t dbits;
    memcpy(&dbits, &v, sizeof dbits);
    uint32_t sign = (uint32_t)(dbits >> 63) << (width - 1);

    if (isnan(v))
        return sign | nan_bits(l);
    if (isinf(v))
        return sign | overflow_bits(l, ovf);

    /* |v| = significand * 2^exponent, exactly. */
    int dexp = (int)((dbits >> 52) & 0x7ff);
    uint64_t significand = dbits & ((1ULL << 52) - 1);
    int exponent;
    if (dexp == 0) {
        if (significand == 0)
            return sign; /* signed zero */
        exponent = -1074;
    } else {
        significand |= 1ULL << 52;
        exponent = dexp - 1075;
    }

    /* floor(log2 |v|), then the format's exponent for it: below the
     * smallest normal exponent the quantum stays at the subnormal one. */
    int log2v = exponent + bit_length(significand) - 1;
    int emin = 1 - l->bias;
    int emax = (int)max_exp_field(l) - l->bias;
    if (log2v > emax)
        return sign | overflow_bits(l, ovf); /* rounding only grows |v| */
    int target_exp = log2v < emin ? emin : log2v;
    int quantum_exp = target_exp - l->man_bits;

    /* Units of the quantum, rounded to nearest even.  shift is >= 29 for
     * every supported format (53-bit significand vs <= 24-bit target). */
    int shift = quantum_exp - exponent;
    uint64_t units;
    if (shift >= 54) {
        units = 0; /* significand < 2^53 <= half a quantum */
    } else {
        uint64_t rest = significand & ((1ULL << shift) - 1);
        uint64_t half = 1ULL << (shift - 1);
        units = significand >> shift;
        if (rest > half || (rest == half && (units & 1)))
            units++;
    }

    /* A carry out of the mantissa (units == 2^(man+1)) moves up one
     * binade; the new mantissa is zero, so no second rounding happens. */
    if (units >> (l->man_bits + 1)) {
        units >>= 1;
        quantum_exp++;
    }
    uint32_t exp_field, man_field;
    if (units < (1ULL << l->man_bits)) { /* subnormal or zero */
        exp_field = 0;
        man_field = (uint32_t)units;
    } else {
        exp_field = (uint32_t)(quantum_exp + l->man_bits + l->bias);
        man_field = (uint32_t)(units - (1ULL << l->man_bits));
    }
    if (exp_field > max_exp_field(l) ||
        (exp_field == max_exp_field(l) && man_field > max_man_field(l)))
        return sign | overflow_bits(l, ovf);
    return sign | (exp_field << l->man_bits) | man_field;
}

double mp_act_round(mp_act_fmt fmt, double v, mp_overflow ovf)
{
    if (mp_act_is_float(fmt))
        return mp_fp_decode(fmt, mp_fp_encode(fmt, v, ovf));
    if (!act_valid(fmt))
        return NAN;
    /* Integers: NaN converts to 0; everything saturates. */
    if (isnan(v))
        return 0.0;
    if (v >= (double)int_max(fmt))
        return (double)int_max(fmt);
    if (v <= (double)int_min(fmt))
        return (double)int_min(fmt);
    double r = mp_round_half_even(v);
    return r == 0.0 ? 0.0 : r; /* no -0 in integer formats */
}

int mp_act_representable(mp_act_fmt fmt, double v)
{
    if (!act_valid(fmt))
        return 0;
    if (mp_act_is_float(fmt)) {
        if (isnan(v))
            return 1;
        if (isinf(v))
            return mp_float_layout_of(fmt)->ieee_specials;
        double r = mp_act_round(fmt, v, MP_OVF_IEEE);
        return r == v;
    }
    if (!isfinite(v) || v != floor(v))
        return 0;
    return v >= (double)int_min(fmt) && v <= (double)int_max(fmt);
}

/* ---- weight formats --------------------------------------------------- */

int mp_wfmt_min(mp_wfmt w)
{
    switch (w.kind) {
    case MP_W_SIGNED: return -(1 << (w.bits - 1));
    case MP_W_UNSIGNED: return 0;
    case MP_W_TERNARY: return -1;
    case MP_W_FP16: return -65504;
    }
    return 0;
}

int mp_wfmt_max(mp_wfmt w)
{
    switch (w.kind) {
    case MP_W_SIGNED: return (1 << (w.bits - 1)) - 1;
    case MP_W_UNSIGNED: return (1 << w.bits) - 1;
    case MP_W_TERNARY: return 1;
    case MP_W_FP16: return 65504;
    }
    return 0;
}

int mp_wfmt_is_float(mp_wfmt w)
{
    return w.kind == MP_W_FP16;
}

int mp_wcode_value(mp_wfmt w, mp_wcode stored)
{
    switch (w.kind) {
    case MP_W_UNSIGNED: return (int)(uint8_t)stored;
    case MP_W_FP16: return (int)(uint16_t)stored;
    default: return (int)stored;
    }
}

mp_wcode mp_wcode_store(int code)
{
    /* two's complement of the low 16 bits: signed codes keep their value,
     * unsigned codes and FP16 patterns their bits */
    uint16_t low = (uint16_t)(code & 0xffff);
    return low < 0x8000u ? (mp_wcode)low : (mp_wcode)((int)low - 0x10000);
}

int mp_wcode_ok(mp_wfmt w, int code)
{
    if (w.kind == MP_W_FP16)
        return code >= 0 && code <= 0xffff &&
               isfinite(mp_fp_decode(MP_ACT_FP16, (uint32_t)code));
    return code >= mp_wfmt_min(w) && code <= mp_wfmt_max(w);
}

double mp_wcode_weight(mp_wfmt w, int code)
{
    return w.kind == MP_W_FP16 ? mp_fp_decode(MP_ACT_FP16, (uint32_t)code)
                               : (double)code;
}

/* "int<bits>" or "uint<bits>" with bits one digit 1..8. */
static int parse_int_name(const char *name, const char *prefix,
                          mp_wkind kind, mp_wfmt *out)
{
    size_t n = strlen(prefix);
    if (strncmp(name, prefix, n) != 0)
        return -1;
    const char *digits = name + n;
    if (digits[0] < '1' || digits[0] > '8' || digits[1] != '\0')
        return -1;
    out->kind = kind;
    out->bits = digits[0] - '0';
    return 0;
}

int mp_wfmt_parse(const char *name, mp_wfmt *out)
{
    if (!name)
        return -1;
    if (strcmp(name, "fp16") == 0) {
        out->kind = MP_W_FP16;
        out->bits = 16;
        return 0;
    }
    if (strcmp(name, "ternary") == 0 || strcmp(name, "int1.58") == 0) {
        out->kind = MP_W_TERNARY;
        out->bits = 2;
        return 0;
    }
    if (parse_int_name(name, "uint", MP_W_UNSIGNED, out) == 0)
        return 0;
    return parse_int_name(name, "int", MP_W_SIGNED, out);
}

const char *mp_wfmt_name(mp_wfmt w, char *buf, int cap)
{
    if (cap <= 0)
        return buf;
    switch (w.kind) {
    case MP_W_SIGNED: snprintf(buf, (size_t)cap, "int%d", w.bits); break;
    case MP_W_UNSIGNED: snprintf(buf, (size_t)cap, "uint%d", w.bits); break;
    case MP_W_TERNARY: snprintf(buf, (size_t)cap, "ternary"); break;
    case MP_W_FP16: snprintf(buf, (size_t)cap, "fp16"); break;
    default: snprintf(buf, (size_t)cap, "?"); break;
    }
    return buf;
}

int mp_wfmt_check(mp_wfmt w, const char *file, const char *field, mp_diag *d)
{
    switch (w.kind) {
    case MP_W_SIGNED:
    case MP_W_UNSIGNED:
        if (w.bits < 1 || w.bits > 8)
            return mp_fail(d, file, 0, field, "bits must be 1..8, got %d",
                           w.bits);
        return 0;
    case MP_W_TERNARY:
        if (w.bits != 2)
            return mp_fail(d, file, 0, field,
                           "ternary weights are stored in 2 bits, got %d",
                           w.bits);
        return 0;
    case MP_W_FP16:
        if (w.bits != 16)
            return mp_fail(d, file, 0, field,
                           "fp16 weights are 16 bits, got %d", w.bits);
        return 0;
    }
    return mp_fail(d, file, 0, field, "unknown weight kind %d", (int)w.kind);
}
