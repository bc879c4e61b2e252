/*
 * trace_build.h - turn a model + serving scenario + quantization into the
 * trace the simulator runs.
 *
 * Contract: the trace lists, for each group of identical decoder layers
 * (same quantization), every GEMM with M, N, K, operand formats and group
 * size, and the vector work between them, each op once with a repeat count
 * (layers x heads x batch x decode steps).  Op count grows with the number
 * of distinct shapes, not with layers, tokens or steps.  Every formula and
 * choice is in docs/workloads.md:
 *   - prefill attention is causal: query row i sees min(i+1, window) keys;
 *     MACs are counted exactly (no full seq x seq square);
 *   - attention rows (prefill) / decode steps are grouped in buckets of
 *     attn_bucket; each bucket becomes at most two ops whose KV length is
 *     the bucket's mean, chosen so the MAC total is exact;
 *   - GQA: the heads/kv_heads query heads that share a KV head are stacked
 *     along M (M = rows x heads/kv_heads, repeat = batch x kv_heads x ...);
 *   - the prefill LM head computes the last token only unless lm_head_all;
 *   - mtp > 0 (DeepSeek-V3): after the LM head, each multi-token-prediction
 *     module: two norms, eh_proj (2 hidden -> hidden), one decoder layer
 *     numbered after the main layers, and the shared head.
 */
#ifndef MP_TRACE_BUILD_H
#define MP_TRACE_BUILD_H

#include <stdint.h>
#include "golden/diag.h"
#include "golden/options.h"
#include "workloads/model.h"
#include "workloads/quant_scheme.h"
#include "workloads/trace.h"

typedef enum mp_phase {
    MP_PHASE_PREFILL, /* seq prompt tokens per sequence, one forward pass    */
    MP_PHASE_DECODE,  /* one step: one new token per sequence, seq cached     */
    MP_PHASE_REQUEST  /* prefill of seq, then decode_steps steps             */
} mp_phase;

typedef struct mp_scenario {
    mp_phase phase;
    int64_t seq;          /* prompt length; decode: tokens already cached   */
    int64_t batch;        /* sequences processed together                   */
    int64_t decode_steps; /* request only (>= 1)                            */
    int lm_head_all;      /* prefill: logits for every prompt token         */
    int64_t attn_bucket;  /* rows/steps per attention op bucket (>= 1)      */
    double moe_skew;      /* MoE routing skew 0..1 (0 = uniform)            */
    int64_t mtp;          /* multi-token-prediction modules to run after
                             the LM head (0..model's mtp_layers)         */
} mp_scenario;

#define MP_ATTN_BUCKET_DEFAULT 128

void mp_scenario_init(mp_scenario *s); /* prefill, batch 1, bucket 128 */
const char *mp_phase_name(mp_phase p);

/* Build into out (mp_trace_init()ed; emptied on error).  Scenario errors
 * name the command-line option ("--seq", ...); quantization errors name
 * the option or YAML line the scheme came from. */
int mp_trace_build(const mp_model *m, const mp_scenario *s,
                   const mp_quant_config *q, mp_trace *out, mp_diag *d);

/* ---- the shared option set (mpsim trace, mpsim run) ------------------- */

typedef struct mp_trace_opts {
    char model[MP_DIAG_FILE_MAX]; /* built-in name, .yaml or config.json   */
    char phase[16];
    int64_t seq, batch, decode_steps, attn_bucket, mtp;
    double moe_skew;
    int lm_head_all;
    char quant[MP_DIAG_FILE_MAX]; /* scheme string or scheme YAML file      */
    int n_overrides;
    char overrides[MP_QUANT_MAX_OVERRIDES][96];
    int given;                    /* bit per option seen (MP_TOPT_*)        */
} mp_trace_opts;

enum {
    MP_TOPT_MODEL = 1, MP_TOPT_PHASE = 2, MP_TOPT_SEQ = 4, MP_TOPT_BATCH = 8,
    MP_TOPT_STEPS = 16, MP_TOPT_QUANT = 32, MP_TOPT_OVERRIDE = 64,
    MP_TOPT_LM_HEAD = 128, MP_TOPT_BUCKET = 256, MP_TOPT_SKEW = 512,
    MP_TOPT_MTP = 1024
};

void mp_trace_opts_init(mp_trace_opts *o);
/* key: model, phase, seq, batch, decode-steps, quant, override, lm-head,
 * attn-bucket, moe-skew, mtp ('_' works for '-', a leading "--" is
 * ignored).  Returns 1 when applied, 0 when key is not a trace option, -1
 * on a bad value (d names "--KEY" on the command line). */
int mp_trace_opts_set(mp_trace_opts *o, const char *key, const char *value,
                      mp_diag *d);
/* 1 if any trace option was given (so `mpsim run` can tell a trace file
 * from options). */
int mp_trace_opts_any(const mp_trace_opts *o);
/* Load the model and the quantization and build the trace.  Returns 0,
 * -1 on bad input (exit 1), -2 when a required option is missing (a usage
 * error: exit 2). */
int mp_trace_opts_build(const mp_trace_opts *o, mp_trace *out, mp_diag *d);
/* The options above, each taking a value, as one option group
 * (golden/options.h): every command that takes trace options parses and
 * advertises this table, and hands the option's name to
 * mp_trace_opts_set.  Every entry's key is MP_TRACE_OPTION. */
enum { MP_TRACE_OPTION = 0x7000 };
extern const mp_option mp_trace_options[];

/* A short human summary: ops, MACs by kind, vector ops, tokens. */
void mp_trace_print_summary(const mp_trace *t, FILE *out);

#endif
