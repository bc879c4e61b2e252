/*
 * dequant_unit.h - the per-group dequantization edge unit (docs/rtl.md).
 *
 * One unit serves a block of `cols` adjacent PEs of one array row whose
 * group sums finish on consecutive cycles (output-stationary skew).  In the
 * cycle a PE raises gdone, the unit takes its group sum P and finishes the
 * group exactly as golden finish_group() + the cross-group accumulation:
 *
 *     r   = P - z * S          (exact integer; S = the row's activation sum
 *                               of the group, formed here from the x stream
 *                               at the block's first column)
 *     d   = round_out(s * r * 2^-frac)       (fp_units mul_int)
 *     acc = round_out(acc + d)               (fp_units add), acc starts +0
 *
 * or, for integer output (no scales), acc += r exactly.  The per-token
 * scale is applied at the read port (top_common.h).
 *
 * Pipelining (scaled units, `stages` S = 1..6, the PE's dequant_stages):
 * S = 1 does all of it in the cycle of gdone; S = 2 registers d; S = 3
 * also registers the exact product s*r before its rounding
 * (mp_fp_emit_mul_int_piped); S = 4 also registers the exact sum acc + d
 * before its rounding (mp_fp_emit_add_piped); S = 5 also registers r and
 * s before the multiplier; S = 6 also splits the multiplier's rounding
 * after its normalizing shift (mp_fp_emit_mul_int_piped3).  The column's
 * one-hot gd travels along; acc is read in stage a = (S >= 5) + (S >= 3)
 * + (S >= 6) + (S >= 2) and written at the end of stage S - 1, so with S >= 4 a column must not finish two groups
 * on consecutive cycles (mp_pe_check_dequant_stages).  Every stage adds
 * one cycle to the drain; the arithmetic is unchanged (same roundings in
 * the same order).  Scales and zero points
 * are read by the top at sz_addr (+ the block's first column); sz_addr
 * steps by n_tile per group.
 *
 * Ports: clk, clr (tile start), [x, v, f, l: with zeros], p0..p{cols-1},
 * gd0.., [s: scaled], [z: zeros], [sz_addr: when the scale/zero buffer has
 * more than one entry], acc0..
 */
#ifndef MP_RTL_DEQUANT_UNIT_H
#define MP_RTL_DEQUANT_UNIT_H

#include "rtl_gen/emit.h"
#include "rtl_gen/fp_units.h"

typedef struct mp_deq_spec {
    int cols;         /* PEs served                                        */
    int p_bits;       /* signed group sum                                 */
    int zeros;        /* zero points: form S and subtract z*S             */
    int x_bits;       /* signed activation width (zeros)                  */
    int x_fp16;       /* x is FP16: S sums x on the grid 2^-24 (exact)    */
    int s_bits;       /* activation-sum width (zeros)                     */
    int z_bits;       /* signed zero-point width (zeros)                  */
    int r_bits;       /* width of r = P - z*S                             */
    int scaled;       /* 1: float output; 0: integer accumulation         */
    int frac_bits;    /* P, S on the grid 2^-frac_bits                    */
    mp_fpf out_fmt;   /* scaled: output accumulator format                */
    int acc_bits;     /* integer output accumulator width                 */
    int groups;       /* groups per tile at k_max (1: no group counter)   */
    int n_tile;       /* sz_addr step                                     */
    int col_stride;   /* result columns between served PEs (packed lanes:
                         lanes; 0 or 1: adjacent)                          */
    int addr_bits;    /* 0: single scale/zero entry, no sz_addr           */
    int stages;       /* scaled: pipeline stages 1..6 (0: 1)              */
} mp_deq_spec;

/* Emit (once per distinct spec) and return the module name. */
int mp_deq_emit(mp_rtl_out *out, const mp_deq_spec *spec, char *name,
                mp_diag *d);

#endif
