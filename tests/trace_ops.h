/*
 * trace_ops.h - trace ops the simulation tests build by hand: a weight
 * GEMM "proj" of M x N x K with INT4 signed weights in groups of 128, one
 * instance, at the activation format and zero-point choice given; an
 * attention GEMM "score" (Q x K^T) of M x N x K with FP16 activations and
 * an FP16 (16-bit) KV operand.
 */
#ifndef MP_TESTS_TRACE_OPS_H
#define MP_TESTS_TRACE_OPS_H

#include <stdio.h>
#include <string.h>

#include "workloads/trace.h"

static inline mp_trace_op test_weight_gemm(int64_t m, int64_t n, int64_t k,
                                           mp_act_fmt act, int has_zeros)
{
    mp_trace_op op;
    memset(&op, 0, sizeof op);
    snprintf(op.name, sizeof op.name, "proj");
    op.kind = MP_OP_GEMM_WEIGHT;
    op.m = m, op.n = n, op.k = k, op.repeat = 1;
    op.act = act;
    op.wfmt = (mp_wfmt){MP_W_SIGNED, 4};
    op.group_size = 128;
    op.has_zeros = has_zeros;
    return op;
}

static inline mp_trace_op test_act_gemm(int64_t m, int64_t n, int64_t k)
{
    mp_trace_op op;
    memset(&op, 0, sizeof op);
    snprintf(op.name, sizeof op.name, "score");
    op.kind = MP_OP_GEMM_ACT;
    op.m = m, op.n = n, op.k = k, op.repeat = 1;
    op.act = MP_ACT_FP16;
    op.b_bits = 16;
    return op;
}

#endif
