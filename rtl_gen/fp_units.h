/*
 * fp_units.h - emitters of floating-point units as Verilog modules.
 *
 * Contract.  Every unit rounds the *exact* result of its operation once,
 * to nearest, ties to even, with IEEE 754 behaviour: subnormals kept (no
 * flush to zero), overflow to +-Inf, NaN in or an invalid operation
 * (Inf - Inf, 0 * Inf) gives the quiet NaN 0 11..1 10..0 (the golden does
 * not define NaN payloads; docs/rtl.md).  The sign of an exact zero follows
 * IEEE: x + (-x) = +0, (-0) + (-0) = -0, a product's zero has the xor of
 * the signs.  This is exactly golden/mpgemm_round.c (mp_round_sum,
 * mp_round_scaled, mp_round_to) and golden/formats.c (decode, encode).
 *
 * Formats are binary floats given by exponent and stored mantissa bits
 * (FP16 5/10, BF16 8/7, FP32 8/23, FP8 E5M2 5/2), IEEE-style, or with
 * `fn` set the finite-only OCP FP8 E4M3 (4/3): no Inf, S.1111.111 is
 * NaN, overflow and Inf round to NaN (golden MP_OVF_IEEE), max 448.
 * Each emitter writes its module once per run (emit.h) and returns its
 * name in `name` (MP_RTL_NAME_MAX bytes).  All modules are purely
 * combinational except the piped ones (add, mul, mul_int _piped): those
 * take clk and register the exact sign/magnitude/exponent before the
 * rounding core, so y is the rounded result of the inputs one clock edge
 * earlier (two pipeline stages, the same bits; module name + "_p2").
 *
 *   round:   value = mag * 2^exp  (sign/magnitude, exp two's complement)
 *            ports: sign, nan, inf, mag[W], exp[X] -> y      (the core)
 *   add:     y = round(a + b), a, b, y in one format
 *   add_mixed: y = round_o(a + b), a, b of other formats (fused MAC)
 *   add_shift: y = round_o(a + b * 2^sh), sh an unsigned port
 *   add_zmul: y = round_o(a - z * b), z a signed integer port, z*b exact
 *   mul:     y = round(a * b), any three formats
 *   mul_int: y = round(s * r * 2^-frac), s a float, r a W-bit signed
 *            integer taken exactly (dequant: d = round(s * (P - z*S)))
 *   conv:    y = round(a) into another format (widening is exact)
 *   from_int: y = round(r * 2^-frac), r a signed integer
 *   to_grid: y = RNE(a * 2^frac) as a signed integer (golden mp_to_grid)
 */
#ifndef MP_RTL_FP_UNITS_H
#define MP_RTL_FP_UNITS_H

#include "golden/formats.h"
#include "rtl_gen/emit.h"

typedef struct mp_fpf {
    int e, m; /* exponent bits, stored mantissa bits; bias 2^(e-1) - 1 */
    int fn;   /* 1: finite-only (E4M3): no Inf, NaN = all ones          */
} mp_fpf;

/* The layout of a float format; -1 for integers. */
int mp_fpf_of(mp_act_fmt fmt, mp_fpf *out);
static inline int mp_fpf_bits(mp_fpf f) { return 1 + f.e + f.m; }

int mp_fp_emit_round(mp_rtl_out *out, int mag_bits, int exp_bits, mp_fpf o,
                     char *name, mp_diag *d);
int mp_fp_emit_add(mp_rtl_out *out, mp_fpf f, char *name, mp_diag *d);
int mp_fp_emit_add_piped(mp_rtl_out *out, mp_fpf f, char *name, mp_diag *d);
int mp_fp_emit_mul(mp_rtl_out *out, mp_fpf a, mp_fpf b, mp_fpf o, char *name,
                   mp_diag *d);
int mp_fp_emit_mul_piped(mp_rtl_out *out, mp_fpf a, mp_fpf b, mp_fpf o,
                         char *name, mp_diag *d);
/* y = round_o(a * b * 2^-shift), the product exact (shift >= 0). */
int mp_fp_emit_mul_shift(mp_rtl_out *out, mp_fpf a, mp_fpf b, mp_fpf o,
                         int shift, char *name, mp_diag *d);
/* y = round_o(a + b) for operands of any two formats (a fused
 * multiply-add whose exact product is carried in a wide format b); the
 * same-format case is mp_fp_emit_add. */
int mp_fp_emit_add_mixed(mp_rtl_out *out, mp_fpf a, mp_fpf b, mp_fpf o,
                         char *name, mp_diag *d);
/* y = round_o(a + b * 2^sh), sh an unsigned shift_bits-bit port (ports a,
 * b, sh -> y): the bit-serial plane step P' += L << b of a float group
 * register.  shift_bits 0: no sh port (exactly add_mixed, one module). */
int mp_fp_emit_add_shift(mp_rtl_out *out, mp_fpf a, mp_fpf b, mp_fpf o,
                         int shift_bits, char *name, mp_diag *d);
/* y = round_o(a - z * b), z a z_bits signed integer (ports a, b, z -> y),
 * the product exact: the group finish r = P' - z' S in one rounding. */
int mp_fp_emit_add_zmul(mp_rtl_out *out, mp_fpf a, mp_fpf b, int z_bits,
                        mp_fpf o, char *name, mp_diag *d);
int mp_fp_emit_mul_int(mp_rtl_out *out, mp_fpf s, int int_bits, int frac_bits,
                       mp_fpf o, char *name, mp_diag *d);
int mp_fp_emit_mul_int_piped(mp_rtl_out *out, mp_fpf s, int int_bits,
                             int frac_bits, mp_fpf o, char *name, mp_diag *d);
/* Three stages: the product, then the rounding core's normalizing shift,
 * then its rounding (module name + "_p3"; its core + "_p2"). */
int mp_fp_emit_mul_int_piped3(mp_rtl_out *out, mp_fpf s, int int_bits,
                              int frac_bits, mp_fpf o, char *name,
                              mp_diag *d);
int mp_fp_emit_conv(mp_rtl_out *out, mp_fpf a, mp_fpf o, char *name,
                    mp_diag *d);
/* y = round(r * 2^-frac), r a W-bit signed integer (ports r -> y). */
int mp_fp_emit_from_int(mp_rtl_out *out, int int_bits, int frac_bits,
                        mp_fpf o, char *name, mp_diag *d);

/* y = round_to_nearest_even(a * 2^frac) as an int_bits signed integer
 * (ports a -> y), as golden mp_to_grid: the caller guarantees that finite
 * values fit; NaN and Inf give 0 (the golden rejects them up front). */
int mp_fp_emit_to_grid(mp_rtl_out *out, mp_fpf a, int frac_bits, int int_bits,
                       char *name, mp_diag *d);

/* A format's tag for module names: "e5m10", "e4m3fn" (buf >= 24 bytes). */
const char *mp_fpf_tag(mp_fpf f, char *buf);

/* Inside a module: decode float wire `in` (format f, finite) onto the
 * fixed grid of its smallest subnormal, 2^-(bias - 1 + m): declares
 * <pfx>_sv (m + 2 bits, the signed significand) and <pfx>_sh (e bits, the
 * left shift), value = <pfx>_sv << <pfx>_sh exactly (golden MP_ACC_FIXED
 * with frac_bits = bias - 1 + m; FP16: 2^-24). */
void mp_fp_emit_grid_decode(mp_vmod *m, const char *in, mp_fpf f,
                            const char *pfx);

#endif
