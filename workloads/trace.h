/*
 * trace.h - a workload: the GEMMs and vector operations of an LLM run.
 *
 * A trace is a flat list of operations, each with a repeat count, so an
 * 80-layer model whose layers are identical is described once with
 * repeat = 80.  Data flows one way: workloads/ builds a trace from a model
 * and a scenario (or reads one), sim/ costs it.  Nothing here knows about
 * hardware.
 */
#ifndef MP_TRACE_H
#define MP_TRACE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "golden/diag.h"
#include "golden/formats.h"

typedef enum mp_op_kind {
    MP_OP_GEMM_WEIGHT, /* activation x quantized weight (projections, FFN) */
    MP_OP_GEMM_ACT,    /* activation x activation (QK^T, PV, KV cache)     */
    MP_OP_VECTOR       /* softmax, norms, activation functions, ...       */
} mp_op_kind;

typedef struct mp_trace_op {
    char name[64];    /* "attn.q_proj", "ffn.down", "attn.score", ... */
    mp_op_kind kind;
    int64_t m, n, k;  /* Y[m][n] = X[m][k] x W[k][n]; vector: elements in m */
    int64_t repeat;   /* identical instances (layers x heads x steps)     */
    /* operand formats */
    mp_act_fmt act;   /* X */
    mp_wfmt wfmt;     /* W for GEMM_WEIGHT                                */
    int group_size;   /* along k; k = per-channel                          */
    int has_zeros;
    int b_bits;       /* GEMM_ACT: bits of the second operand (KV cache):
                         16 = the float format of act, 8/4 = integer with
                         per-token scales; wfmt/group_size are unused     */
    double experts;   /* GEMM_WEIGHT: the M rows are routed over this many
                         distinct K x N weight matrices (MoE experts one
                         step touches, an expected count, docs/
                         workloads.md); 0 = one ordinary weight matrix.
                         MACs stay m*n*k; weights are read per expert. */
    int64_t stored;   /* GEMM_WEIGHT: K x N weight matrices of the model
                         this op's weights stand for in memory (layers x
                         experts), counted once per trace for the
                         capacity check; 0 = none (a later stage that
                         reuses them, or unknown)                       */
    char vec_op[24];  /* MP_OP_VECTOR: "softmax", "rmsnorm", "silu" ...   */
    double ops_per_element; /* MP_OP_VECTOR: arithmetic ops per element   */
    char layers[48];  /* decoder layers the op stands for, "0-31", "2-5,7",
                         "" for ops outside the layers (LM head); text only,
                         the count is already in repeat                    */
} mp_trace_op;

typedef struct mp_trace {
    char model[64];
    char phase[16];       /* "prefill", "decode", "request"             */
    int64_t seq;          /* prompt length (prefill/request); decode: tokens
                             already in the KV cache (the step sees seq+1) */
    int64_t batch;
    int64_t decode_steps; /* request only */
    int64_t tokens_out;   /* tokens the run produces (for tokens/s)     */
    int64_t tokens_in;    /* tokens it consumes                         */
    double kv_cache_bytes;   /* KV cache at the run's longest context (0 =
                                not known: trace files without it)     */
    double activation_bytes; /* peak activations of one layer           */
    double table_bytes;      /* looked-up tables no GEMM reads: an untied
                                input embedding, learned positions (FP16) */
    char quant[160];      /* scheme and overrides, "w4a16g128,kv8
                             layers.0-1=w8a8 lm_head=w8a16"              */
    size_t count;
    size_t cap;
    mp_trace_op *ops;
} mp_trace;

void mp_trace_init(mp_trace *t);
void mp_trace_free(mp_trace *t);
/* Append a copy of op; returns 0 or -1 (out of memory, in d). */
int mp_trace_add(mp_trace *t, const mp_trace_op *op, mp_diag *d);

/* Work of one op over all its repeats: m*n*k*repeat MACs for GEMMs (0 for
 * vector ops); m*repeat*ops_per_element arithmetic ops for vector ops. */
int64_t mp_trace_op_macs(const mp_trace_op *op);
double mp_trace_op_vector_ops(const mp_trace_op *op);
/* Field-by-field equality (names, shapes, formats, repeat). */
int mp_trace_op_equal(const mp_trace_op *a, const mp_trace_op *b);

/* Trace YAML (docs/workloads.md): written with libyaml's emitter, read
 * back with every field checked; write-then-read gives identical ops. */
int mp_trace_write(const mp_trace *t, FILE *fp, mp_diag *d);
/* Write to PATH whole or not at all ("-" = stdout). */
int mp_trace_save(const mp_trace *t, const char *path, mp_diag *d);
/* out must be mp_trace_init()ed; on error it is left empty. */
int mp_trace_read(const char *path, mp_trace *out, mp_diag *d);
/* A workload file: *.csv = SCALE-Sim topology (workloads/scalesim_topo.h),
 * anything else = trace YAML. */
int mp_trace_load(const char *path, mp_trace *out, mp_diag *d);

#endif
