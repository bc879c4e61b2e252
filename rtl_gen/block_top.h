/*
 * block_top.h - the top for array cores that take a whole K-block per step
 * and finish every output of a group in the same cycle (LUT Tensor Core,
 * DSP chain), as opposed to the skewed output-stationary top of
 * top_common.h whose PEs take one k per cycle.
 *
 * Contract.  The family emits its core first; this top adds the protocol
 * ports, load buffers and read port (top_common.h), a step sequencer, the
 * operand fetch and the group edge.
 *
 * Steps.  For every group g (group_size K values, or the whole tile K when
 * per-channel), for every pass b = 0..passes-1 (LUT TC weight planes), for
 * every block j of fetch_k K values of the group, for every sub-step
 * u = 0..subs-1 (a sparse block shared by several chain steps): one step
 * per cycle, the first in the cycle after the start edge.  The fetch gives
 * the core x_<row>_<o> = X[row][k0 + o] and w_<col>_<o> = Wq[k0 + o][col],
 * k0 = g*G + j*fetch_k, read combinationally from the load buffers.
 * With `partial` (a group, or the per-channel tile K, need not be a
 * multiple of fetch_k: DSP chain) the last block of a group is partial:
 * x_<row>_<o> reads 0 where k0 + o is at or past the group's end, and
 * its sub-steps stop at the first u with (u + 1) * fetch_k >= (K left in
 * the group) * subs (the last one holding a valid slot).
 *
 * Core ports: clk, rst_n, in_valid, in_first, in_last, [in_blast] (j is
 * the pass's last block), [in_plane] (b), [in_block] (j), [in_sub] (u), x_*, w_*, p_<row>_<col> (p_bits, signed),
 * [s_<row>: the group's activation sum, s_bits], out_valid: p (and s) hold
 * a finished group `core_latency` cycles after its last step was offered.
 *
 * Edge.  The integer group result is r = (P - (zero_mul * z + zero_add) * S)
 * >> r_shift (exact), with z the zero point (0 without zeros) and S the
 * row's activation sum (from the core, or formed here from the fetch).
 * Integer output without zeros adds r into int32 results in parallel.
 * Otherwise the finished group is held and handed column by column (one
 * column per cycle per unit) to the shared dequant units of
 * dequant_unit.h, which scale, round and accumulate.  With FP16 group
 * values (p_float) the top's own float units do the same: r = round_fp16(
 * P - z' S), d = round_fp32(s * r * 2^-r_shift), acc = round_fp32(acc + d)
 * (rtl_gen/lut_fp.h), Inf and NaN included.
 *
 * A unit serves E = min(N_TILE, steps per group) columns, fewer when the
 * PE's edge_units asks for more units: E <= ceil(M_TILE*N_TILE/edge_units).
 *
 * rtl_cycles = steps(K) + core_latency + E, steps(K) = groups * passes *
 * (floor(G / fetch_k) * subs + ceil((G mod fetch_k) * subs / fetch_k)),
 * E = 0 for the parallel integer edge (mp_block_cycles()).
 */
#ifndef MP_RTL_BLOCK_TOP_H
#define MP_RTL_BLOCK_TOP_H

#include <stdint.h>
#include "golden/diag.h"
#include "rtl_gen/emit.h"
#include "rtl_gen/fp_units.h"
#include "rtl_gen/rtl.h"

typedef struct mp_block_spec {
    char core[MP_RTL_NAME_MAX]; /* core module name                       */
    int fetch_k;                /* K values per fetch                      */
    int passes;                 /* passes over a group (weight planes)     */
    int subs;                   /* steps per fetch                         */
    int core_latency;           /* last step offered -> out_valid          */
    int block_port;             /* core has in_block                       */
    int blast_port;             /* core has in_blast (last block of pass)  */
    int p_bits;                 /* core group sums                         */
    int64_t p_max;              /* |P| of a group at most                  */
    int s_from_core, s_bits;    /* core outputs s_<row>, its width         */
    int x_bits, w_bits;         /* fetch widths the core takes             */
    int zero_mul;               /* z' = zero_mul * z + zero_add            */
    int64_t zero_add;
    int r_shift;                /* r = (P - z' S) >> r_shift               */
    int p_float;                /* P and S are g_fmt floats (LUT TC float
                                   path): r = round_g(P - z' S), then
                                   d = round_out(s * r * 2^-r_shift)       */
    mp_fpf g_fmt;
    int frac_bits;              /* integer P, S on the grid 2^-frac_bits
                                   (the dequant's s * r * 2^-frac)         */
    int64_t x_max;              /* |x| on that grid (0: from x_bits)       */
    int partial;                /* a group may end inside a fetch: mask
                                   the fetch past its end, stop the
                                   sub-steps early (see above)             */
} mp_block_spec;

/* Emit the top module (the core must already be written). */
int mp_block_emit_top(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                      const mp_block_spec *spec, mp_rtl_out *out, mp_diag *d);
/* rtl_cycles for a tile of depth k (a multiple of the group; per
 * channel, of fetch_k unless spec->partial). */
int64_t mp_block_cycles(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                        const mp_block_spec *spec, int k);

#endif
