/*
 * mpgemm.h - the golden mixed-precision GEMM.
 *
 *     Y[M][N] = diag(act_scale) * X[M][K] x dequant(Wq[K][N])
 *     dequant(q)[k][n] = s[g][n] * (q[k][n] - z[g][n]),  g = k / group_size
 *
 * FP16 weights (formats.h MP_W_FP16) are values, not codes: dequant(q) is
 * the FP16 value of the pattern q, with no scale and no zero point, and the
 * output is float (the FP16 GEMM of a GPU tensor core).
 *
 * Two flavours:
 *   mp_gemm_ref_f64()  the mathematical reference, in float64;
 *   mp_gemm_hw()       the bit-exact hardware reference every PE model and
 *                      every generated RTL must equal.  Its arithmetic is
 *                      described by mp_arith: where dequantization happens,
 *                      the format of the in-group partial sum and of the
 *                      cross-group accumulator, the accumulation order and
 *                      whether a multiply-add rounds once (fused) or twice.
 *
 * Integer paths are exact.  mp_gemm_check() reports up front an accumulator
 * that could overflow for the given K, group size and bit widths (bounded
 * by the formats' extreme values, not by the data), so nothing ever wraps.
 * docs/numerics.md (GEMM arithmetic) gives the exact evaluation order of every variant
 * and the error bounds of the float paths against the float64 reference.
 *
 * Weight codes: wq holds one mp_wcode (16 bits) per code.  Signed and
 * ternary codes are the value; unsigned codes are the low byte read as
 * uint8_t (so uint8 codes 128..255 fit), FP16 codes the pattern read as
 * uint16_t: mp_wcode_value() in formats.h.
 */
#ifndef MP_MPGEMM_H
#define MP_MPGEMM_H

#include <stddef.h>
#include <stdint.h>
#include "golden/diag.h"
#include "golden/formats.h"

typedef enum mp_dequant_point {
    MP_DEQ_PER_WEIGHT, /* w = round(s*(q-z)) into weight_fmt, then MAC      */
    MP_DEQ_PER_GROUP   /* integer/fixed group sum first, scale once per group */
} mp_dequant_point;

typedef enum mp_acc_fmt {
    MP_ACC_INT,   /* two's complement integer of acc_bits (exact)          */
    MP_ACC_FIXED, /* fixed point: acc_bits wide, frac_bits fractional;
                     each product rounded RNE onto the grid, sums exact   */
    MP_ACC_FP16,
    MP_ACC_FP32
} mp_acc_fmt;

typedef enum mp_acc_order {
    MP_ORDER_K_ASCENDING, /* k = 0, 1, ... inside each group                */
    MP_ORDER_BIT_SERIAL   /* LUT Tensor Core: weight planes b = 0..B-1, each
                             a sum of symmetrized 4-activation table entries */
} mp_acc_order;

typedef struct mp_arith {
    mp_dequant_point dequant;
    mp_acc_fmt group_acc;  /* in-group partial sum P and activation sum S   */
    int acc_bits;          /* width of INT/FIXED accumulators (<= 64)        */
    int frac_bits;         /* MP_ACC_FIXED only                              */
    mp_acc_fmt out_acc;    /* cross-group accumulator: FP16/FP32, or INT when
                              the GEMM has no scales (integer output)        */
    mp_act_fmt weight_fmt; /* MP_DEQ_PER_WEIGHT: format of dequantized w     */
    mp_acc_order order;
    mp_act_fmt table_fmt;  /* MP_ORDER_BIT_SERIAL: format table entries are
                              rounded to (e.g. FP16, or INT16 = exact ints)  */
    int fused;             /* 1: acc = round(acc + a*b); 0: round(a*b) first */
} mp_arith;

typedef struct mp_gemm_in {
    int m, n, k;
    mp_act_fmt act;
    const double *x;         /* [M][K] activation values, representable   */
    const float *act_scale;  /* [M] per-token scale, or NULL               */
    mp_wfmt wfmt;
    const mp_wcode *wq;      /* [K][N] weight codes                        */
    int group_size;          /* divides K                                  */
    const float *scales;     /* [K/G][N], or NULL: integer output (FP16
                                weights: NULL always, float output)      */
    const int32_t *zeros;    /* [K/G][N], or NULL: symmetric               */
} mp_gemm_in;

typedef struct mp_err_stats {
    double max_abs;
    double max_rel; /* over elements with |ref| > 0 */
    double rms;
    size_t worst_index;
} mp_err_stats;

/* 1 when the output is integer: no scales and integer weight codes. */
int mp_gemm_int_output(const mp_gemm_in *in);

/* The arithmetic a generic accelerator uses for this input: per-group
 * dequantization, exact integer group sums for integer activations, exact
 * fixed point for FP16/FP8 activations, FP32 cross-group accumulation. */
mp_arith mp_arith_default(const mp_gemm_in *in);

/* Shapes, ranges (every code within wfmt, every x representable, group size
 * divides K), arithmetic consistency, and accumulator overflow bounds.
 * `file` names the input for the diagnostic. */
int mp_gemm_check(const mp_gemm_in *in, const mp_arith *ar, const char *file,
                  mp_diag *d);

/* float64 mathematical reference: y[M][N]. */
void mp_gemm_ref_f64(const mp_gemm_in *in, double *y);

/* Bit-exact hardware reference: y[M][N], each value exactly representable in
 * the output format (float32, FP16, or int32 for integer output).  Calls
 * mp_gemm_check() first. */
int mp_gemm_hw(const mp_gemm_in *in, const mp_arith *ar, double *y,
               mp_diag *d);

void mp_gemm_error(const double *ref, const double *y, size_t count,
                   mp_err_stats *out);

/* ---- additions: helpers shared with the PE models and the CLI --------- */

/* mp_gemm_check() with one name per operand, so that a diagnostic names the
 * file the bad value came from.  NULL members fall back to `x`. */
typedef struct mp_gemm_files {
    const char *x, *wq, *scales, *zeros, *act_scale;
    const char *arith;  /* where the arithmetic came from (config file)  */
    const char *params; /* where group size and formats came from         */
} mp_gemm_files;
int mp_gemm_check_files(const mp_gemm_in *in, const mp_arith *ar,
                        const mp_gemm_files *files, mp_diag *d);

/* Bits a two's complement INT/FIXED group accumulator needs so that no
 * value it can hold (P, S, z*S, P - z*S, table sums) overflows, for the
 * worst case the formats, K, group size and zero points allow (not the
 * data).  0 for float group accumulators.  mp_gemm_check() rejects
 * ar->acc_bits below this. */
int mp_gemm_acc_bits_needed(const mp_gemm_in *in, const mp_arith *ar);

/* The float format of a float accumulator (FP16 or FP32). */
mp_act_fmt mp_acc_float_fmt(mp_acc_fmt acc);

/* Exact rounding primitives of the hardware reference (RNE, IEEE overflow to
 * +-Inf).  Each returns the exactly-rounded result, however far apart the
 * operands' exponents are (no double rounding through float64). */
double mp_round_to(mp_act_fmt fmt, double v);             /* round(v)      */
double mp_round_sum(mp_act_fmt fmt, double a, double b);  /* round(a + b)  */
/* round(s * r * 2^-frac_bits), the product taken exactly. */
double mp_round_scaled(mp_act_fmt fmt, double s, int64_t r, int frac_bits);
/* v (a product q*x or an activation) on the fixed grid 2^-frac_bits, RNE.
 * |v| * 2^frac_bits must be < 2^63 (mp_gemm_check guarantees it). */
int64_t mp_to_grid(double v, int frac_bits);

/* Names used by --config files and arch YAML: set one mp_arith field from
 * its text value ("dequant: per-group", "group_acc: fixed", "acc_bits: 48",
 * "fused: true" ...).  Unknown keys or values fail naming file/line/key. */
int mp_arith_set(mp_arith *ar, const char *key, const char *value,
                 const char *file, int line, mp_diag *d);
/* One-line description, e.g. "per-group int32 k-ascending out=fp32". */
const char *mp_arith_describe(const mp_arith *ar, char *buf, int cap);
const char *mp_acc_fmt_name(mp_acc_fmt acc);

#endif
