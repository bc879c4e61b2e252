/*
 * dsp_chain.h - the DSP48E2 chain generator's layout and array core,
 * shared by its rtl ops (dsp_chain.c) and its tests.
 *
 * A configuration fixes chain_len slices per chain, the packing (1, 2 or 4
 * products per slice, as pe_models/dsp_chain.c), N:M sparsity (1:1 when
 * dense), the activation width (INT8 or INT4) and the weight code range;
 * the layout derives how many K a step fetches, the in-place limit of the
 * packed lanes, the cascade segments, and the core's latency.
 */
#ifndef MP_RTL_DSP_CHAIN_H
#define MP_RTL_DSP_CHAIN_H

#include "golden/diag.h"
#include "rtl_gen/emit.h"

/* The PE model's chain_len bound (pe_models/dsp_chain.c): a chain never
 * needs more segments than it has slices. */
#define MP_DSP_MAX_SEG 4096
#define MP_DSP_MAX_LANES 4
/* Sub-steps of a fetch: lcm(chain_len, N) / chain_len <= N <= 16. */
#define MP_DSP_MAX_SUBS 16

typedef struct mp_dsp_cfg {
    /* given */
    int chain_len;           /* DSP48E2 slices per chain                    */
    int pack;                /* products per slice: 1, 2 or 4 (0 = 2)      */
    int sparse_n, sparse_m;  /* N:M weight sparsity; 0:0 = dense            */
    int act_bits;            /* activation bits (8 or 4)                    */
    int w_min, w_max;        /* range of weight codes                       */
    int span;                /* K values one group sum covers               */
    int partial;             /* span (or a tile's K) may end inside a fetch */
    /* derived by mp_dsp_layout() */
    int rows_per_chain;      /* output rows a chain covers (pack >= 2: 2)   */
    int cols_per_chain;      /* output columns a chain covers (pack 4: 2)   */
    int lanes;               /* lanes of P = pack                           */
    int w_bits;              /* code bits on the B port (signed if w_min<0) */
    int fetch_k;             /* K values a step fetches                     */
    int steps_per_fetch;     /* steps sharing one fetch: lcm(len, N)/len    */
    int lane_limit;          /* products every lane holds in place          */
    int segments;            /* cascades per chain                          */
    int seg_first[MP_DSP_MAX_SEG], seg_last[MP_DSP_MAX_SEG];
    int dsp_latency;         /* operands -> P: 3 (pack 1), 4 (pre-adder)    */
    int latency;             /* in_valid to out_valid/p_* update, cycles    */
    int acc_bits;            /* group sums p_* (pack 2: at least 30 bits)   */
} mp_dsp_cfg;

/* Fill the derived fields: a fetch holds lcm(chain_len, N) nonzero slots
 * (lcm/N whole M-blocks) taken over lcm/chain_len steps, sub-step u giving
 * slice i slot u*chain_len + i.  -1 if chain_len is out of 1..4096, the
 * packing is not 1, 2 or 4, or 4 is asked with sparsity or operands wider
 * than 4 bits. */
int mp_dsp_layout(mp_dsp_cfg *c);

/* Emit DSP48E2.v, the chain and the core "<prefix>_dsp_core" for
 * chain_rows * rows_per_chain rows and col_groups * cols_per_chain columns;
 * the core's name goes to `name`.  Core ports: clk, rst_n, in_valid,
 * in_first, in_last, [in_sub], x_<row>_<offset>, w_<col>_<offset>
 * (fetch_k offsets), p_<row>_<col> (acc_bits group sums, updated `latency`
 * cycles after their step) and out_valid (one cycle: p_* hold the sums of
 * a group whose last step was offered `latency` cycles earlier). */
int mp_dsp_emit_core(mp_rtl_out *out, const mp_dsp_cfg *c, int chain_rows,
                     int col_groups, char *name, mp_diag *d);

#endif
