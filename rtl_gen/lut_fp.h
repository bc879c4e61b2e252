/*
 * lut_fp.h - the float datapaths of the LUT Tensor Core, exactly as golden
 * mpgemm.c rounds them (docs/numerics.md, GEMM arithmetic):
 *   - float table entries (any activations): each entry is the exact
 *     signed sum of four activations rounded once to the table format
 *     (FP16, BF16, FP32, FP8 E4M3/E5M2; mp_lut_emit_fsum_table);
 *   - float group sums (FP16 or FP32 group accumulator, mp_lut_emit_fcore):
 *     plane sums L_b = round_g(L_b +- T) per 4-group, k ascending across
 *     the blocks of the group; P' = round_g(P' + L_b * 2^b) at each plane's
 *     last block; S = round_g(S + x) k ascending, on plane 0.
 * Integer activations with exact (INT16) tables feed float group sums
 * through an exact int -> group-format conversion of each entry.
 *
 * The exact 4-term sums convert each float activation to a fixed-point
 * integer on the grid of its format's smallest subnormal (every value lies
 * on it), add exactly, and round once with the shared rounding core
 * (fp_units.h), with IEEE specials (NaN in, Inf - Inf -> NaN, Inf) and
 * zero signs (an exact zero is -0 only when every term is a negative zero).
 */
#ifndef MP_RTL_LUT_FP_H
#define MP_RTL_LUT_FP_H

#include "golden/diag.h"
#include "rtl_gen/emit.h"
#include "rtl_gen/fp_units.h"
#include "rtl_gen/lut_tc.h"

/* Emit "<prefix>_lut_fcore": the ports of mp_lut_emit_core() with x_*
 * activation words, p_*, s_* group-format bit patterns, in_block whenever
 * a group has more than one block, and in_blast (the step is the last
 * block of its pass), which mark the plane boundaries. */
int mp_lut_emit_fcore(mp_rtl_out *out, const mp_lut_cfg *c, char *name,
                      mp_diag *d);

/* Table builder of 4 float activations (format a) x0..x3 -> t0..t7
 * (format t): T[i] = round_t(x0 + sum_c (bit c-1 of i ? -x_c : x_c)). */
int mp_lut_emit_fsum_table(mp_rtl_out *out, mp_fpf a, mp_fpf t, char *name,
                           mp_diag *d);

#endif
