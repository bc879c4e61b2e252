/*
 * formats.h - the number formats of mpGEMM operands.
 *
 * Activations: INT4, INT8, INT16 and the float formats FP16, BF16, FP8 E4M3,
 * FP8 E5M2 and FP32.  Every value of every format is exactly representable
 * in a C double, so the golden carries activation *values* as doubles and
 * checks that each one is representable in its declared format.
 *
 * Float conversions round to nearest, ties to even (RNE).  Overflow either
 * saturates to the largest finite value or follows IEEE 754 (to +-Inf, or to
 * NaN for E4M3 which has no Inf); the caller chooses.  Subnormals are kept
 * (no flush to zero).  docs/numerics.md states every special case.
 *
 * Weights: signed (two's complement) or unsigned INT1..INT8, ternary
 * {-1, 0, +1}, and FP16 (an IEEE half-precision weight used as it is, with
 * no scale and no zero point: the FP16 GEMM of a GPU tensor core).  Codes
 * are carried as mp_wcode (int16_t) values in range.
 */
#ifndef MP_FORMATS_H
#define MP_FORMATS_H

#include <stdint.h>
#include "golden/diag.h"

/* ---- activations ------------------------------------------------------ */

typedef enum mp_act_fmt {
    MP_ACT_INT8,
    MP_ACT_INT16,
    MP_ACT_FP16,
    MP_ACT_BF16,
    MP_ACT_FP8_E4M3,
    MP_ACT_FP8_E5M2,
    MP_ACT_FP32,
    MP_ACT_INT4, /* signed -8..7 (appended: existing values keep their codes) */
    MP_ACT_COUNT
} mp_act_fmt;

typedef enum mp_overflow {
    MP_OVF_SATURATE, /* clamp to +-max finite (NaN stays NaN) */
    MP_OVF_IEEE      /* +-Inf, or NaN for formats without Inf  */
} mp_overflow;

/* Names as used on the command line and in YAML: "int8", "int16", "fp16",
 * "bf16", "fp8e4m3", "fp8e5m2", "fp32", "int4". */
const char *mp_act_name(mp_act_fmt fmt);
int mp_act_parse(const char *name, mp_act_fmt *out); /* 0 or -1 */
int mp_act_bits(mp_act_fmt fmt);
int mp_act_is_float(mp_act_fmt fmt);

/* Layout of a float format (exponent bits, stored mantissa bits, bias,
 * whether all-ones exponent encodes Inf/NaN IEEE-style). */
typedef struct mp_float_layout {
    int exp_bits;
    int man_bits;
    int bias;
    int ieee_specials; /* 0 for E4M3: only S.1111.111 is NaN, no Inf */
} mp_float_layout;
const mp_float_layout *mp_float_layout_of(mp_act_fmt fmt); /* NULL for ints */

/* Largest finite value of a float format, or the integer max. */
double mp_act_max(mp_act_fmt fmt);

/* Exact value of a float bit pattern (low mp_act_bits bits used). */
double mp_fp_decode(mp_act_fmt fmt, uint32_t bits);
/* Nearest bit pattern to v, ties to even, with the given overflow rule.
 * Integer formats: the two's complement pattern of mp_act_round(v). */
uint32_t mp_fp_encode(mp_act_fmt fmt, double v, mp_overflow ovf);
/* The one rounding rule of the golden: v to the nearest integer, ties to
 * even, independent of the FPU rounding mode (exact for |v| < 2^52; beyond
 * that every double is an integer and is returned as is).  The quantizer
 * and every integer format use it. */
double mp_round_half_even(double v);

/* decode(encode(v)): v rounded to the format.  For integer formats: round
 * to nearest even integer and saturate (MP_OVF_SATURATE) to the range. */
double mp_act_round(mp_act_fmt fmt, double v, mp_overflow ovf);
/* 1 if v is exactly a value of the format (NaN counts for float formats). */
int mp_act_representable(mp_act_fmt fmt, double v);

/* ---- weights ---------------------------------------------------------- */

typedef enum mp_wkind {
    MP_W_SIGNED,   /* two's complement: [-2^(b-1), 2^(b-1)-1]; INT1 = {-1,0} */
    MP_W_UNSIGNED, /* [0, 2^b - 1] */
    MP_W_TERNARY,  /* {-1, 0, +1}, stored in 2 bits */
    MP_W_FP16      /* an FP16 value, the code its 16-bit pattern; finite
                      only (no Inf/NaN pattern is a weight) */
} mp_wkind;

typedef struct mp_wfmt {
    mp_wkind kind;
    int bits; /* 1..8; 2 for ternary; 16 for fp16 */
} mp_wfmt;

/* Integer kinds: the code range.  FP16: the value range +-65504 (its codes
 * are bit patterns; mp_wcode_ok() says which are weights). */
int mp_wfmt_min(mp_wfmt w);
int mp_wfmt_max(mp_wfmt w);
/* 1 for FP16 weights: a code is a value, never dequantized. */
int mp_wfmt_is_float(mp_wfmt w);
/* 1 if code (as mp_wcode_value returns it) is a weight of the format. */
int mp_wcode_ok(mp_wfmt w, int code);
/* The weight a code stands for before any scale and zero point: the
 * integer itself, or the FP16 value of the pattern. */
double mp_wcode_weight(mp_wfmt w, int code);
/* "int4" (signed), "uint4", "ternary", "fp16"; also "int1.58" = ternary. */
int mp_wfmt_parse(const char *name, mp_wfmt *out);
/* Writes e.g. "int4" into buf (at least 16 bytes). */
const char *mp_wfmt_name(mp_wfmt w, char *buf, int cap);
/* Check bits in 1..8 (ternary: 2, fp16: 16); on failure fills d with
 * file/field. */
int mp_wfmt_check(mp_wfmt w, const char *file, const char *field, mp_diag *d);

/* Codes live in mp_wcode arrays.  Signed and ternary codes are the value
 * itself; unsigned codes are the low 8 bits read unsigned and FP16 codes
 * the 16-bit pattern read unsigned, so uint8 code 255 and the FP16
 * pattern 0xC000 both fit.  Always read a stored code with
 * mp_wcode_value() and store one with mp_wcode_store(). */
typedef int16_t mp_wcode;
int mp_wcode_value(mp_wfmt w, mp_wcode stored);
mp_wcode mp_wcode_store(int code);

#endif
