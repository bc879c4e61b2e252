/*
 * dsp_chain.h - the DSP48E2 chain generator's layout and array core,
 * shared by its rtl ops (dsp_chain.c) and its tests.
 *
 * A configuration fixes chain_len slices per chain, N:M sparsity (1:1 when
 * dense), the activation width (INT8) and the weight code range; the layout
 * derives how many K a step fetches, the in-place limit of the packed low
 * lane, the cascade segments, and the core's latency.
 */
#ifndef MP_RTL_DSP_CHAIN_H
#define MP_RTL_DSP_CHAIN_H

#include "golden/diag.h"
#include "rtl_gen/emit.h"

#define MP_DSP_MAX_SEG 16

typedef struct mp_dsp_cfg {
    /* given */
    int chain_len;           /* DSP48E2 slices per chain                    */
    int sparse_n, sparse_m;  /* N:M weight sparsity; 0:0 = dense            */
    int act_bits;            /* activation bits (8)                         */
    int w_min, w_max;        /* range of weight codes                       */
    int span;                /* K values one group sum covers               */
    /* derived by mp_dsp_layout() */
    int w_bits;              /* code bits on the B port (signed if w_min<0) */
    int fetch_k;             /* K values a step fetches                     */
    int steps_per_fetch;     /* steps that share one fetch (N > chain_len)  */
    int lane_limit;          /* products the low lane holds in place        */
    int segments;            /* cascades per chain                          */
    int seg_first[MP_DSP_MAX_SEG], seg_last[MP_DSP_MAX_SEG];
    int latency;             /* in_valid to out_valid/p_* update, cycles    */
    int acc_bits;            /* group sums p_* (at least the 30-bit lane)   */
} mp_dsp_cfg;

/* Fill the derived fields; -1 if chain_len and N fit neither way (one must
 * divide the other) or the chain needs too many segments. */
int mp_dsp_layout(mp_dsp_cfg *c);

/* Emit DSP48E2.v, the chain and the core "<prefix>_dsp_core" for
 * 2*chain_rows rows and n_tile columns; the core's name goes to `name`.
 * Core ports: clk, rst_n, in_valid, in_first, in_last, [in_sub],
 * x_<row>_<offset>, w_<col>_<offset> (fetch_k offsets), p_<row>_<col>
 * (acc_bits group sums, updated `latency` cycles after their step) and
 * out_valid (one cycle: p_* hold the sums of a group whose last step was
 * offered `latency` cycles earlier). */
int mp_dsp_emit_core(mp_rtl_out *out, const mp_dsp_cfg *c, int chain_rows,
                     int n_tile, char *name, mp_diag *d);

#endif
