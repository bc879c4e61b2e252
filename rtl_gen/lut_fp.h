/*
 * lut_fp.h - the float datapath of the LUT Tensor Core (FP16 activations,
 * FP16 tables, FP16 group accumulation), exactly as golden mpgemm.c rounds
 * it (docs/numerics.md, GEMM arithmetic): every table entry is the exact
 * signed sum of four activations rounded once; plane sums L_b and the group
 * value P' are FP16 registers rounded after every add; S is the FP16
 * k-ascending sum.
 *
 * The exact multi-term units here convert each FP16 operand to a fixed-
 * point integer on the 2^-24 grid (every FP16 value lies on it), add
 * exactly, and round once with the shared rounding core (fp_units.h), with
 * IEEE specials (NaN in, Inf - Inf -> NaN, Inf) and zero signs (an exact
 * zero is -0 only when every term is a negative zero).
 */
#ifndef MP_RTL_LUT_FP_H
#define MP_RTL_LUT_FP_H

#include "golden/diag.h"
#include "rtl_gen/emit.h"
#include "rtl_gen/lut_tc.h"

/* Emit "<prefix>_lut_fcore": the ports of mp_lut_emit_core() with x_*,
 * p_*, s_* FP16 bit patterns, in_block whenever a group has more than one
 * block, and in_blast (the step is the last block of its pass), which
 * mark the plane boundaries. */
int mp_lut_emit_fcore(mp_rtl_out *out, const mp_lut_cfg *c, char *name,
                      mp_diag *d);

/* r = round_fp16(p - zz * s): p, s FP16, zz a zz_bits signed integer
 * (never 0).  Module ports: p, s, zz, r. */
int mp_lut_emit_ffinish(mp_rtl_out *out, int zz_bits, char *name,
                        mp_diag *d);

/* y = round_fp32(s * r * 2^-shift): s FP32, r FP16, the product exact.
 * Module ports: s, r, y. */
int mp_lut_emit_fscale(mp_rtl_out *out, int shift, char *name, mp_diag *d);

#endif
