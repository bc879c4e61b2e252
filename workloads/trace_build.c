/*
 * trace_build.c - model + scenario + quantization -> trace.
 *
 * One pass per stage (prefill, decode): for each group of layers with the
 * same quantization, the ops of one decoder layer with repeat = layers in
 * the group (x decode steps); then the final norm and the LM head.  The
 * formulas are in docs/workloads.md; vector op costs are the OPS_* below.
 */
#include "workloads/trace_build.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Arithmetic ops per element of the vector ops (mpsim assumption, counted
 * as the operations of the textbook formula; exp, reciprocal, tanh and
 * rsqrt count one each, per-row reductions' final steps are ignored). */
#define OPS_RMSNORM 4   /* x^2, accumulate, x * rsqrt, * gamma             */
#define OPS_LAYERNORM 7 /* acc, -mean, ^2, acc, * rstd, * gamma, + beta    */
#define OPS_ROPE 3      /* x_i * cos -/+ x_j * sin                          */
#define OPS_SOFTMAX 6   /* * 1/sqrt(d), max, -max, exp, sum, * 1/sum       */
#define OPS_QUANT 4     /* |x|, max, * 1/scale, round+clamp (per token)    */
#define OPS_ADD 1       /* residual add, bias add, position add            */
#define OPS_SILU 4      /* exp(-x), +1, reciprocal, * x                     */
#define OPS_RELU 1
#define OPS_RELU2 2
#define OPS_GELU 9      /* tanh approximation                               */
#define OPS_SOFTCAP 3   /* * 1/c, tanh, * c (Gemma-2 soft-capping)          */

void mp_scenario_init(mp_scenario *s)
{
    memset(s, 0, sizeof *s);
    s->phase = MP_PHASE_PREFILL;
    s->batch = 1;
    s->attn_bucket = MP_ATTN_BUCKET_DEFAULT;
}

const char *mp_phase_name(mp_phase p)
{
    static const char *const names[] = {"prefill", "decode", "request"};
    return (unsigned)p < 3 ? names[p] : "?";
}

/* Every weight tensor class a layer may have (quantization signature). */
static const char *const layer_tensors[] = {"q_proj", "k_proj", "v_proj",
    "o_proj", "q_a_proj", "q_b_proj", "kv_a_proj", "kv_b_proj", "gate_proj",
    "up_proj", "down_proj", "fc1", "fc2", "router", NULL};
#define MAX_TENSORS 16

typedef struct build {
    const mp_model *m;
    const mp_scenario *s;
    const mp_quant_config *q;
    mp_trace *t;
    mp_diag *d;
    const char *stage;   /* "prefill" or "decode"                      */
    const char *prefix;  /* op name prefix: "" or "mtp."               */
    int64_t rows;        /* token rows per step: M of weight GEMMs     */
    int64_t steps;       /* identical steps merged into repeat         */
    int64_t first_layer; /* representative layer of the current group  */
    int64_t n_layers;    /* layers in the current group                */
    int64_t window;      /* the group's attention window (0 = full)    */
    int moe;             /* the group's FFN is a mixture of experts    */
    double experts;      /* weight(): experts the next GEMM spans      */
    int store;           /* this stage records the stored weights      */
    char layers[48];
    int overflow;        /* a shape product left int64 (see mul)     */
} build;

/* ---- ops -------------------------------------------------------------- */

/* x * y, or 1 with b->overflow set (push then fails the build). */
static int64_t mul(build *b, int64_t x, int64_t y)
{
    int64_t p;
    if (__builtin_mul_overflow(x, y, &p)) {
        b->overflow = 1;
        return 1;
    }
    return p;
}

static int push(build *b, mp_trace_op *op)
{
    int64_t p;
    if (b->overflow || __builtin_mul_overflow(op->m, op->n, &p) ||
        __builtin_mul_overflow(p, op->k, &p) ||
        __builtin_mul_overflow(p, op->repeat, &p))
        return mp_fail(b->d, MP_CMDLINE, 0, "--seq",
                       "%s: %s x %s operations overflow 64-bit counts "
                       "(reduce --seq or --batch)", op->name, b->m->name,
                       mp_phase_name(b->s->phase));
    return mp_trace_add(b->t, op, b->d);
}

/* "decode.attn.score", "prefill.mtp.eh_proj": stage, prefix, name. */
static void op_name(const build *b, char *dst, size_t cap, const char *name)
{
    snprintf(dst, cap, "%s.%s%s", b->stage, b->prefix, name);
}

static void op_init(build *b, mp_trace_op *op, mp_op_kind kind,
                    const char *name, int in_layer)
{
    memset(op, 0, sizeof *op);
    op->kind = kind;
    op_name(b, op->name, sizeof op->name, name);
    if (in_layer)
        snprintf(op->layers, sizeof op->layers, "%s", b->layers);
    op->n = op->k = 1;
    op->repeat = b->steps * (in_layer ? b->n_layers : 1);
}

static int vec(build *b, const char *name, const char *vec_op,
               int64_t elements, double ops, int in_layer)
{
    mp_trace_op op;
    op_init(b, &op, MP_OP_VECTOR, name, in_layer);
    op.m = elements;
    snprintf(op.vec_op, sizeof op.vec_op, "%s", vec_op);
    op.ops_per_element = ops;
    return push(b, &op);
}

static int needs_quant(mp_act_fmt f)
{
    return f != MP_ACT_FP16 && f != MP_ACT_BF16 && f != MP_ACT_FP32;
}

static const mp_quant *tensor_quant(build *b, const char *tensor,
                                    const mp_quant_origin **origin)
{
    int64_t layer = strcmp(tensor, "lm_head") ? b->first_layer : -1;
    return &mp_quant_resolve(b->q, layer, tensor, origin)->q;
}

/* One weight GEMM: Y[rows][n] = X[rows][k] x W[k][n]. */
static int weight(build *b, const char *module, const char *tensor,
                  int64_t n, int64_t k)
{
    const mp_quant_origin *o;
    const mp_quant *q = tensor_quant(b, tensor, &o);
    int in_layer = strcmp(tensor, "lm_head") != 0;
    if (q->group_size && k % q->group_size != 0)
        return mp_fail(b->d, o->file, o->line, o->field,
                       "group size %d does not divide K = %" PRId64 " of %s%s "
                       "(%s%s%s)", q->group_size, k, module, tensor,
                       b->m->name, in_layer ? ", layers " : "",
                       in_layer ? b->layers : "");
    mp_trace_op op;
    char name[48];
    snprintf(name, sizeof name, "%s%s", module, tensor);
    op_init(b, &op, MP_OP_GEMM_WEIGHT, name, in_layer);
    op.m = b->rows;
    op.n = n;
    op.k = k;
    op.act = q->act;
    op.wfmt = q->w;
    op.group_size = q->group_size ? q->group_size : (int)k;
    op.has_zeros = q->has_zeros;
    op.experts = b->experts;
    if (b->store) /* layers x experts matrices (capacity check) */
        op.stored = (in_layer ? b->n_layers : 1) *
                    (b->experts > 0 ? b->m->n_experts : 1);
    return push(b, &op);
}

/* Quantize an input shared by `tensors` once per integer/FP8 format they
 * read it in (FP16/BF16/FP32 inputs need no quantization). */
static int input_quant(build *b, const char *name, const char *const *tensors,
                       int64_t width)
{
    int done[MP_ACT_COUNT] = {0};
    for (const char *const *t = tensors; *t; t++) {
        mp_act_fmt f = tensor_quant(b, *t, NULL)->act;
        if (!needs_quant(f) || done[f])
            continue;
        done[f] = 1;
        char full[48];
        snprintf(full, sizeof full, "%s.%s", name, mp_act_name(f));
        if (vec(b, full, "act_quant", b->rows * width, OPS_QUANT,
                strcmp(*tensors, "lm_head") != 0) != 0)
            return -1;
    }
    return 0;
}

/* ---- attention -------------------------------------------------------- */

typedef struct attn_ctx {
    mp_act_fmt act; /* Q and P operands */
    int kv_bits;
    int64_t kv_heads; /* K/V heads the cache holds                */
    int64_t group;    /* query heads per KV head                  */
    int64_t qk_dim;   /* width of a score dot product             */
    int64_t v_dim;    /* width of a context row                   */
    int64_t window;   /* keys a row sees at most (0 = all)        */
    int merge_rows;   /* prefill: a bucket's rows form one GEMM's M */
} attn_ctx;

/* A vector op over the scores of one attention op (repeat as the op). */
static int attn_vec(build *b, const char *name, const char *vec_op,
                    int64_t elements, int64_t repeat, double ops)
{
    mp_trace_op v;
    op_init(b, &v, MP_OP_VECTOR, name, 1);
    v.m = elements;
    v.repeat = repeat;
    snprintf(v.vec_op, sizeof v.vec_op, "%s", vec_op);
    v.ops_per_element = ops;
    return push(b, &v);
}

/* `count` rows/steps that all see `kv` keys, `mult` times over. */
static int attn_ops_n(build *b, const attn_ctx *a, int64_t count, int64_t kv,
                      int64_t mult)
{
    int64_t rows = a->merge_rows ? count : 1;
    int64_t times = a->merge_rows ? mult : mul(b, count, mult);
    int64_t base = mul(b, mul(b, b->s->batch, a->kv_heads),
                       mul(b, b->n_layers, times));
    mp_trace_op op;
    op_init(b, &op, MP_OP_GEMM_ACT, "attn.score", 1);
    op.m = mul(b, rows, a->group);
    op.n = kv;
    op.k = a->qk_dim;
    op.repeat = base;
    op.act = a->act;
    op.b_bits = a->kv_bits;
    if (push(b, &op) != 0)
        return -1;
    /* Gemma-2 caps the scores (c tanh(s / c)) before the softmax */
    if (b->m->attn_softcap > 0 &&
        attn_vec(b, "attn.softcap", "softcap", mul(b, op.m, kv), base,
                 OPS_SOFTCAP))
        return -1;
    if (attn_vec(b, "attn.softmax", "softmax", mul(b, op.m, kv), base,
                 OPS_SOFTMAX + (needs_quant(a->act) ? 1 : 0)))
        return -1;
    op_name(b, op.name, sizeof op.name, "attn.context");
    op.n = a->v_dim;
    op.k = kv;
    return push(b, &op);
}

static int attn_ops(build *b, const attn_ctx *a, int64_t count, int64_t kv)
{
    return attn_ops_n(b, a, count, kv, 1);
}

/* `count` rows/steps whose KV lengths are first, first+1, ...  An odd run
 * has an integer mean: one op, exact.  An even run of decode steps (merged
 * into repeat) splits into an odd run plus one step: exact.  An even run
 * of prefill rows stays one GEMM of M = count rows, so M keeps the
 * bucket's array-friendly size; its x.5 mean is rounded down and up
 * alternately so the errors cancel in pairs, and an unpaired last one is
 * split exactly like a decode run. */
static int attn_linear(build *b, const attn_ctx *a, int64_t first,
                       int64_t count, int *round_up, int unpaired)
{
    if (count % 2 == 1)
        return attn_ops(b, a, count, first + (count - 1) / 2);
    if (a->merge_rows && !unpaired) {
        int64_t kv = first + count / 2 - 1 + *round_up;
        *round_up = !*round_up;
        return attn_ops(b, a, count, kv);
    }
    if (attn_ops(b, a, count - 1, first + (count - 2) / 2) != 0)
        return -1;
    return attn_ops(b, a, 1, first + count - 1);
}

/* Units u = 0..n-1 see min(first + u, window) keys.  The growing part is
 * cut into buckets; the part that sees the whole window has one shape, so
 * it becomes one op (prefill: whole buckets of rows, merged in repeat). */
static int attention(build *b, const attn_ctx *a, int64_t first, int64_t n)
{
    int64_t w = a->window ? a->window : INT64_MAX;
    int64_t bucket = b->s->attn_bucket;
    int64_t n_lin = first >= w ? 0 : (w - first < n ? w - first : n);
    int64_t even_runs = 0, seen = 0;
    for (int64_t u0 = 0; u0 < n_lin; u0 += bucket) {
        int64_t c = n_lin - u0 < bucket ? n_lin - u0 : bucket;
        even_runs += c % 2 == 0;
    }
    int round_up = 0;
    for (int64_t u0 = 0; u0 < n_lin; u0 += bucket) {
        int64_t c = n_lin - u0 < bucket ? n_lin - u0 : bucket;
        int even = c % 2 == 0;
        int unpaired = even && even_runs % 2 == 1 && seen == even_runs - 1;
        seen += even;
        if (attn_linear(b, a, first + u0, c, &round_up, unpaired) != 0)
            return -1;
    }
    int64_t sat = n - n_lin;
    if (sat == 0)
        return 0;
    if (!a->merge_rows)
        return attn_ops(b, a, sat, w);
    /* the rest of the bucket where the window fills, whole buckets, tail */
    int64_t head = n_lin % bucket ? bucket - n_lin % bucket : 0;
    head = head < sat ? head : sat;
    sat -= head;
    if ((head && attn_ops(b, a, head, w) != 0) ||
        (sat >= bucket && attn_ops_n(b, a, bucket, w, sat / bucket) != 0) ||
        (sat % bucket && attn_ops(b, a, sat % bucket, w) != 0))
        return -1;
    return 0;
}

/* ---- one decoder layer ------------------------------------------------ */

static int norm(build *b, const char *name, int64_t rows, int in_layer)
{
    int rms = b->m->norm == MP_NORM_RMS;
    return vec(b, name, rms ? "rmsnorm" : "layernorm", rows * b->m->hidden,
               rms ? OPS_RMSNORM : OPS_LAYERNORM, in_layer);
}

/* A norm over `width` elements of each token row (MLA's latent norms). */
static int norm_width(build *b, const char *name, int64_t width)
{
    int rms = b->m->norm == MP_NORM_RMS;
    return vec(b, name, rms ? "rmsnorm" : "layernorm", b->rows * width,
               rms ? OPS_RMSNORM : OPS_LAYERNORM, 1);
}

/* A per-layer vector op over `width` elements of each token row. */
static int row_vec(build *b, const char *name, const char *vec_op,
                   int64_t width, double ops)
{
    return vec(b, name, vec_op, b->rows * width, ops, 1);
}

/* Q and P operands: the layer's projection activation format, except that
 * a 16-bit cache keeps attention in a float format (FP16 if the
 * projections use integer/FP8 activations). */
static mp_act_fmt attention_act(build *b, int kv_bits)
{
    mp_act_fmt act = tensor_quant(b, "q_proj", NULL)->act;
    return kv_bits == 16 && needs_quant(act) ? MP_ACT_FP16 : act;
}

/* The attention operands: ordinary (MHA/GQA/MQA), or MLA (DeepSeek-V2
 * paper, section 2.1): prefill decompresses K and V per head (MHA of
 * qk_nope + qk_rope, v_head_dim); decode runs the absorbed form, one
 * latent "head" of kv_lora + qk_rope shared by all query heads, context
 * kv_lora wide (docs/workloads.md). */
static attn_ctx attention_shape(build *b)
{
    const mp_model *m = b->m;
    attn_ctx a = {.kv_bits = mp_quant_kv_bits(b->q, b->first_layer),
                  .kv_heads = m->kv_heads, .group = m->heads / m->kv_heads,
                  .qk_dim = m->head_dim, .v_dim = m->head_dim,
                  .window = b->window,
                  .merge_rows = !strcmp(b->stage, "prefill")};
    a.act = attention_act(b, a.kv_bits);
    if (m->kv_lora_rank) {
        a.kv_heads = a.merge_rows ? m->heads : 1;
        a.group = a.merge_rows ? 1 : m->heads;
        a.qk_dim = a.merge_rows ? m->head_dim
                                : m->kv_lora_rank + m->qk_rope_dim;
        a.v_dim = a.merge_rows ? m->v_head_dim : m->kv_lora_rank;
    }
    return a;
}

/* MLA projections: q (direct or through the q_lora_rank bottleneck), the
 * joint KV down-projection with the shared RoPE key, its norm, and the
 * up-projection of K (nope part) and V. */
static int mla_projections(build *b)
{
    const mp_model *m = b->m;
    int64_t h = m->hidden, qd = m->heads * m->head_dim;
    static const char *const qb[] = {"q_b_proj", NULL};
    static const char *const kvb[] = {"kv_b_proj", NULL};
    if (m->q_lora_rank
            ? weight(b, "attn.", "q_a_proj", m->q_lora_rank, h) ||
                  norm_width(b, "attn.q_a_norm", m->q_lora_rank) ||
                  input_quant(b, "attn.q_b_in_quant", qb, m->q_lora_rank) ||
                  weight(b, "attn.", "q_b_proj", qd, m->q_lora_rank)
            : weight(b, "attn.", "q_proj", qd, h))
        return -1;
    return weight(b, "attn.", "kv_a_proj", m->kv_lora_rank + m->qk_rope_dim,
                  h) ||
                   norm_width(b, "attn.kv_a_norm", m->kv_lora_rank) ||
                   input_quant(b, "attn.kv_b_in_quant", kvb,
                               m->kv_lora_rank) ||
                   weight(b, "attn.", "kv_b_proj",
                          m->heads * (m->qk_nope_dim + m->v_head_dim),
                          m->kv_lora_rank)
               ? -1
               : 0;
}

static int attention_block(build *b)
{
    const mp_model *m = b->m;
    int mla = m->kv_lora_rank > 0;
    int64_t qd = m->heads * m->head_dim, kvd = m->kv_heads * m->head_dim;
    int64_t h = m->hidden, od = mla ? m->heads * m->v_head_dim : qd;
    static const char *const qkv[] = {"q_proj", "k_proj", "v_proj", NULL};
    static const char *const mla_in[] = {"q_proj", "q_a_proj", "kv_a_proj",
                                         NULL};
    static const char *const o[] = {"o_proj", NULL};
    attn_ctx a = attention_shape(b);
    if (norm(b, "attn.norm", b->rows, 1) ||
        input_quant(b, "attn.in_quant", mla ? mla_in : qkv, h))
        return -1;
    if (mla ? mla_projections(b)
            : weight(b, "attn.", "q_proj", qd, h) ||
                  weight(b, "attn.", "k_proj", kvd, h) ||
                  weight(b, "attn.", "v_proj", kvd, h))
        return -1;
    if (m->qkv_bias &&
        row_vec(b, "attn.qkv_bias", "bias_add", qd + 2 * kvd, OPS_ADD))
        return -1;
    /* MLA: RoPE on the rope part of each query head and the shared key */
    int64_t rope = mla ? (m->heads + 1) * m->qk_rope_dim : qd + kvd;
    if (m->position == MP_POS_ROPE &&
        row_vec(b, "attn.rope", "rope", rope, OPS_ROPE))
        return -1;
    if (a.kv_bits < 16 &&
        row_vec(b, "attn.kv_quant", "kv_quant",
                mp_model_kv_elements_per_token(m), OPS_QUANT))
        return -1;
    if (needs_quant(a.act) &&
        row_vec(b, "attn.q_quant", "act_quant", a.kv_heads * a.group * a.qk_dim,
                OPS_QUANT))
        return -1;
    /* prefill: rows see 1.. keys; decode: steps see seq+1.. keys, and the
     * steps are the attention units rather than a repeat */
    int64_t first = a.merge_rows ? 1 : b->s->seq + 1;
    int64_t units = a.merge_rows ? b->s->seq : b->steps;
    int64_t steps = b->steps;
    b->steps = 1;
    int rc = attention(b, &a, first, units);
    b->steps = steps;
    if (rc || (m->sub_norms && norm_width(b, "attn.sub_norm", od)) ||
        input_quant(b, "attn.o_in_quant", o, od) ||
        weight(b, "attn.", "o_proj", h, od))
        return -1;
    if (m->o_bias && row_vec(b, "attn.o_bias", "bias_add", h, OPS_ADD))
        return -1;
    if (m->norms_per_layer == 4 && norm(b, "attn.post_norm", b->rows, 1))
        return -1;
    return row_vec(b, "attn.residual", "residual_add", h, OPS_ADD);
}

static double act_ops(const mp_model *m)
{
    if (!strcmp(m->activation, "relu"))
        return OPS_RELU;
    if (!strcmp(m->activation, "relu2"))
        return OPS_RELU2;
    if (!strcmp(m->activation, "gelu"))
        return OPS_GELU;
    return OPS_SILU;
}

/* A gated FFN of width `inter` on the current rows: gate and up, act,
 * down; `module` names the ops ("ffn.", "ffn.experts.", "ffn.shared."). */
static int gated_ffn(build *b, const char *module, int64_t inter)
{
    const mp_model *m = b->m;
    int64_t h = b->m->hidden;
    static const char *const down[] = {"down_proj", NULL};
    char act_name[24], name[48], quant[48], sub[48];
    snprintf(act_name, sizeof act_name, "%s_mul", m->activation);
    snprintf(name, sizeof name, "%sact", module);
    snprintf(quant, sizeof quant, "%sdown_in_quant", module);
    snprintf(sub, sizeof sub, "%ssub_norm", module);
    /* act(gate) * up, one more op per element */
    return weight(b, module, "gate_proj", inter, h) ||
                   weight(b, module, "up_proj", inter, h) ||
                   row_vec(b, name, act_name, inter, act_ops(m) + 1) ||
                   (m->sub_norms && norm_width(b, sub, inter)) ||
                   input_quant(b, quant, down, inter) ||
                   weight(b, module, "down_proj", h, inter)
               ? -1
               : 0;
}

static int dense_ffn(build *b)
{
    const mp_model *m = b->m;
    int64_t h = m->hidden, inter = m->intermediate;
    static const char *const fc2[] = {"fc2", NULL};
    if (m->ffn == MP_FFN_GATED) {
        if (gated_ffn(b, "ffn.", inter) != 0)
            return -1;
    } else if (weight(b, "ffn.", "fc1", inter, h) ||
               (m->ffn_bias && row_vec(b, "ffn.in_bias", "bias_add", inter,
                                       OPS_ADD)) ||
               row_vec(b, "ffn.act", m->activation, inter, act_ops(m)) ||
               input_quant(b, "ffn.down_in_quant", fc2, inter) ||
               weight(b, "ffn.", "fc2", h, inter))
        return -1;
    if (m->ffn == MP_FFN_GATED && m->ffn_bias &&
        row_vec(b, "ffn.in_bias", "bias_add", 2 * inter, OPS_ADD))
        return -1;
    if (m->ffn_bias && row_vec(b, "ffn.out_bias", "bias_add", h, OPS_ADD))
        return -1;
    return 0;
}

/* Mixture of experts: router GEMM and top-k softmax; the rows x top_k
 * routed rows go through the experts the step touches (expected count,
 * mp_model_experts_touched: the weights of each are read, MACs are those
 * of the routed rows); weighted sum; always-on shared experts. */
static int moe_ffn(build *b)
{
    const mp_model *m = b->m;
    int64_t h = m->hidden, rows = b->rows;
    int64_t routed = mul(b, rows, m->top_k);
    double touched = mp_model_experts_touched(m, rows, b->s->moe_skew);
    if (weight(b, "ffn.", "router", m->n_experts, h) ||
        row_vec(b, "ffn.route", "topk_softmax", m->n_experts, OPS_SOFTMAX))
        return -1;
    b->rows = routed;
    b->experts = touched;
    int rc = gated_ffn(b, "ffn.experts.", m->expert_intermediate);
    b->experts = 0;
    rc = rc || row_vec(b, "ffn.experts.combine", "scale_add", h, 2);
    b->rows = rows;
    if (rc)
        return -1;
    if (!m->shared_intermediate)
        return 0;
    static const char *const shared_in[] = {"gate_proj", NULL};
    return input_quant(b, "ffn.shared.in_quant", shared_in, h) ||
                   gated_ffn(b, "ffn.shared.", m->shared_intermediate) ||
                   (m->shared_gate &&
                    (weight(b, "ffn.shared.", "router", 1, h) ||
                     row_vec(b, "ffn.shared.gate", "sigmoid_mul", h,
                             OPS_SILU))) ||
                   row_vec(b, "ffn.shared.add", "residual_add", h, OPS_ADD)
               ? -1
               : 0;
}

static int ffn_block(build *b)
{
    const mp_model *m = b->m;
    int gated = m->ffn == MP_FFN_GATED;
    static const char *const gate_up[] = {"gate_proj", "up_proj", "router",
                                          NULL};
    static const char *const fc1[] = {"fc1", NULL};
    /* a parallel block with one norm reuses the attention's */
    if ((m->norms_per_layer > 1 && norm(b, "ffn.norm", b->rows, 1)) ||
        input_quant(b, "ffn.in_quant", gated ? gate_up : fc1, m->hidden) ||
        (b->moe ? moe_ffn(b) : dense_ffn(b)) ||
        (m->norms_per_layer == 4 && norm(b, "ffn.post_norm", b->rows, 1)))
        return -1;
    return row_vec(b, "ffn.residual", "residual_add", m->hidden, OPS_ADD);
}

/* ---- layer groups ----------------------------------------------------- */

/* Layers are grouped by their effective quantization. */
typedef struct layer_sig {
    mp_quant q[MAX_TENSORS];
    int kv_bits;
    int64_t window;
    int moe;
} layer_sig;

static void signature(const mp_model *m, const mp_quant_config *q,
                      int64_t layer, layer_sig *sig)
{
    memset(sig, 0, sizeof *sig);
    for (int i = 0; layer_tensors[i]; i++)
        sig->q[i] = mp_quant_resolve(q, layer, layer_tensors[i], NULL)->q;
    sig->kv_bits = mp_quant_kv_bits(q, layer);
    sig->window = mp_model_layer_window(m, layer);
    sig->moe = mp_model_layer_is_moe(m, layer);
}

static int sig_equal(const layer_sig *a, const layer_sig *b)
{
    for (int i = 0; i < MAX_TENSORS; i++) {
        const mp_quant *x = &a->q[i], *y = &b->q[i];
        if (x->w.kind != y->w.kind || x->w.bits != y->w.bits ||
            x->group_size != y->group_size || x->has_zeros != y->has_zeros ||
            x->act != y->act)
            return 0;
    }
    return a->kv_bits == b->kv_bits && a->window == b->window &&
           a->moe == b->moe;
}

/* "0-31", "2-4,6-31"; cut with "..." when it does not fit. */
static void append_range(char *buf, size_t cap, int64_t lo, int64_t hi)
{
    char part[48];
    size_t len = strlen(buf);
    if (lo == hi)
        snprintf(part, sizeof part, "%s%" PRId64, len ? "," : "", lo);
    else
        snprintf(part, sizeof part, "%s%" PRId64 "-%" PRId64, len ? "," : "",
                 lo, hi);
    if (len + strlen(part) + 4 > cap) {
        if (len + 4 <= cap && !strstr(buf, "..."))
            strcat(buf, "...");
        return;
    }
    strcat(buf, part);
}

static int stage_layers(build *b)
{
    const mp_model *m = b->m;
    size_t n = (size_t)m->layers;
    layer_sig *sig = malloc(n * sizeof *sig);  /* one per group        */
    int64_t *first_of = malloc(n * sizeof *first_of); /* group's first layer */
    int64_t *group = malloc(n * sizeof *group);  /* layer -> first layer */
    int64_t leaders = 0;
    int rc = 0;
    if (!sig || !first_of || !group) {
        rc = mp_fail(b->d, "<memory>", 0, "trace", "out of memory");
        goto out;
    }
    /* layers x groups comparisons */
    for (int64_t l = 0; l < m->layers; l++) {
        layer_sig cur;
        signature(m, b->q, l, &cur);
        int64_t g = 0;
        while (g < leaders && !sig_equal(&sig[g], &cur))
            g++;
        if (g == leaders) {
            sig[leaders] = cur;
            first_of[leaders++] = l;
        }
        group[l] = first_of[g];
    }
    for (int64_t first = 0; first < m->layers && !rc; first++) {
        if (group[first] != first)
            continue;
        b->first_layer = first;
        b->window = mp_model_layer_window(m, first);
        b->moe = mp_model_layer_is_moe(m, first);
        b->n_layers = 0;
        b->layers[0] = '\0';
        int64_t run = -1;
        for (int64_t l = first; l <= m->layers; l++) {
            int member = l < m->layers && group[l] == first;
            b->n_layers += member;
            if (member && run < 0)
                run = l;
            if (!member && run >= 0) {
                append_range(b->layers, sizeof b->layers, run, l - 1);
                run = -1;
            }
        }
        rc = attention_block(b) != 0 || ffn_block(b) != 0 ? -1 : 0;
    }
out:
    free(sig);
    free(first_of);
    free(group);
    return rc;
}

/* The LM head over lm_rows rows; `store` 0 for a head that shares the
 * main head's matrix (the MTP modules'). */
static int lm_head(build *b, int64_t lm_rows, const char *norm_name,
                   int store)
{
    static const char *const lm[] = {"lm_head", NULL};
    int saved = b->store;
    b->rows = lm_rows;
    b->store = b->store && store;
    int rc = norm(b, norm_name, lm_rows, 0) ||
             input_quant(b, "lm_head.in_quant", lm, b->m->hidden) ||
             weight(b, "", "lm_head", b->m->vocab, b->m->hidden) ||
             (b->m->final_softcap > 0 &&
              vec(b, "lm_head.softcap", "softcap", lm_rows * b->m->vocab,
                  OPS_SOFTCAP, 0));
    b->store = saved;
    return rc ? -1 : 0;
}

/* DeepSeek-V3's multi-token-prediction modules (report section 2.2),
 * one after another: module k RMS-normalises the previous module's (the
 * main model's) hidden state and the embedding of token i+k (enorm,
 * hnorm; the embedding is a table lookup), projects their concatenation
 * 2 hidden -> hidden (eh_proj), runs one decoder layer numbered after the
 * main layers, as in DeepSeek's weight files (layer 61 for V3), and the
 * output head it shares with the main model.  The layer sees every row
 * the main layers see (it keeps its own KV cache); the head the LM
 * head's rows.  Drafted-token verification is not modelled
 * (docs/workloads.md). */
static int mtp_modules(build *b, int64_t rows, int64_t lm_rows)
{
    const mp_model *m = b->m;
    static const char *const eh[] = {"eh_proj", NULL};
    int rc = 0;
    b->prefix = "mtp.";
    for (int64_t k = 0; k < b->s->mtp && !rc; k++) {
        int64_t layer = m->layers + k;
        b->rows = rows;
        b->first_layer = layer;
        b->n_layers = 1;
        b->layers[0] = '\0';
        append_range(b->layers, sizeof b->layers, layer, layer);
        b->window = mp_model_layer_window(m, layer);
        b->moe = mp_model_layer_is_moe(m, layer);
        rc = norm(b, "enorm", rows, 1) || norm(b, "hnorm", rows, 1) ||
             input_quant(b, "eh_in_quant", eh, 2 * m->hidden) ||
             weight(b, "", "eh_proj", m->hidden, 2 * m->hidden) ||
             attention_block(b) || ffn_block(b) ||
             lm_head(b, lm_rows, "head_norm", 0);
    }
    b->prefix = "";
    return rc ? -1 : 0;
}

/* One stage: positions, layers, final norm, LM head, MTP modules. */
static int stage(build *b, const char *name, int64_t rows, int64_t steps,
                 int64_t lm_rows)
{
    const mp_model *m = b->m;
    b->stage = name;
    b->rows = rows;
    b->steps = steps;
    if (m->position == MP_POS_LEARNED &&
        vec(b, "embed.pos_add", "residual_add", rows * m->hidden, OPS_ADD, 0))
        return -1;
    if (stage_layers(b) != 0 || lm_head(b, lm_rows, "final_norm", 1) != 0)
        return -1;
    return mtp_modules(b, rows, lm_rows);
}

/* ---- scenario checks -------------------------------------------------- */

static int check_scenario(const mp_model *m, const mp_scenario *s, mp_diag *d)
{
    const int64_t limit = INT64_C(1) << 30;
    if (s->seq < 1 || s->seq > limit)
        return mp_fail(d, MP_CMDLINE, 0, "--seq", "must be in 1..%" PRId64
                       ", got %" PRId64, limit, s->seq);
    if (s->batch < 1 || s->batch > limit)
        return mp_fail(d, MP_CMDLINE, 0, "--batch", "must be in 1..%" PRId64
                       ", got %" PRId64, limit, s->batch);
    if (s->attn_bucket < 1 || s->attn_bucket > limit)
        return mp_fail(d, MP_CMDLINE, 0, "--attn-bucket", "must be in 1..%"
                       PRId64 ", got %" PRId64, limit, s->attn_bucket);
    if (s->phase == MP_PHASE_REQUEST &&
        (s->decode_steps < 1 || s->decode_steps > limit))
        return mp_fail(d, MP_CMDLINE, 0, "--decode-steps", "a request needs "
                       "1..%" PRId64 " decode steps, got %" PRId64, limit,
                       s->decode_steps);
    if (s->phase != MP_PHASE_REQUEST && s->decode_steps)
        return mp_fail(d, MP_CMDLINE, 0, "--decode-steps", "only applies to "
                       "--phase request");
    if (s->mtp < 0 || s->mtp > m->mtp_layers)
        return mp_fail(d, MP_CMDLINE, 0, "--mtp", "%s has %" PRId64 " multi-"
                       "token-prediction modules (num_nextn_predict_layers), "
                       "got %" PRId64, m->name, m->mtp_layers, s->mtp);
    int64_t rows;
    if (__builtin_mul_overflow(s->batch, s->seq, &rows) ||
        rows > (INT64_C(1) << 36))
        return mp_fail(d, MP_CMDLINE, 0, "--batch", "batch x seq must be at "
                       "most 2^36 tokens");
    int64_t extra = s->phase == MP_PHASE_PREFILL  ? 0
                    : s->phase == MP_PHASE_DECODE ? 1
                                                  : s->decode_steps;
    int64_t last = s->seq + extra; /* positions the run occupies */
    if (last > m->max_positions)
        return mp_fail(d, MP_CMDLINE, 0, "--seq", "%s needs %" PRId64
                       " positions but %s supports %" PRId64
                       " (max_position_embeddings)", mp_phase_name(s->phase),
                       last, m->name, m->max_positions);
    return 0;
}

/* KV cache at the longest context of the run (a windowed layer keeps
 * its window), and one layer's peak activations at 16 bits: the residual
 * stream, its normed copy and the widest inner activation
 * (docs/workloads.md, "Memory footprint"). */
static void memory_footprint(const mp_model *m, const mp_scenario *s,
                             const mp_quant_config *q, mp_trace *t)
{
    int64_t ctx = s->seq + (s->phase == MP_PHASE_PREFILL ? 0
                            : s->phase == MP_PHASE_DECODE ? 1
                                                          : s->decode_steps);
    double kv = 0;
    for (int64_t l = 0; l < m->layers + s->mtp; l++) {
        int64_t w = mp_model_layer_window(m, l);
        int64_t keys = w && w < ctx ? w : ctx;
        kv += (double)keys * (double)mp_model_kv_elements_per_token(m) *
              mp_quant_kv_bits(q, l) / 8.0;
    }
    t->kv_cache_bytes = kv * (double)s->batch;
    int64_t rows = s->phase == MP_PHASE_DECODE ? s->batch : s->batch * s->seq;
    int64_t inner = (m->ffn == MP_FFN_GATED ? 2 : 1) * m->intermediate;
    if (m->n_experts) {
        int64_t moe = 2 * (m->top_k * m->expert_intermediate +
                           m->shared_intermediate);
        inner = moe > inner ? moe : inner;
    }
    int64_t qkv = m->heads * m->head_dim + 2 * m->kv_heads * m->head_dim;
    inner = qkv > inner ? qkv : inner;
    t->activation_bytes = (double)rows * (double)(2 * m->hidden + inner) * 2.0;
    /* tables only looked up (kept at 16 bits): the input embedding when
     * the LM head does not share it, learned positions */
    double rows_tab = (m->tied_embeddings ? 0.0 : (double)m->vocab) +
                      (m->position == MP_POS_LEARNED ? (double)m->position_rows
                                                     : 0.0);
    t->table_bytes = rows_tab * (double)m->hidden * 2.0;
}

static void describe_quant(const mp_quant_config *q, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", q->base.text);
    for (int i = 0; i < q->n_overrides; i++) {
        const mp_quant_override *o = &q->overrides[i];
        char sel[64] = "";
        if (o->layer_lo >= 0 && o->layer_lo == o->layer_hi)
            snprintf(sel, sizeof sel, "layers.%" PRId64 "%s", o->layer_lo,
                     o->tensor[0] ? "." : "");
        else if (o->layer_lo >= 0)
            snprintf(sel, sizeof sel, "layers.%" PRId64 "-%" PRId64 "%s",
                     o->layer_lo, o->layer_hi, o->tensor[0] ? "." : "");
        size_t len = strlen(buf);
        size_t need = strlen(sel) + strlen(o->tensor) + strlen(o->scheme.text);
        if (len + need + 8 > cap) {
            snprintf(buf + len, cap - len, " ...");
            return;
        }
        snprintf(buf + len, cap - len, " %s%s=%s", sel, o->tensor,
                 o->scheme.text);
    }
}

int mp_trace_build(const mp_model *m, const mp_scenario *s,
                   const mp_quant_config *q, mp_trace *t, mp_diag *d)
{
    mp_trace_init(t);
    if (check_scenario(m, s, d) != 0 ||
        mp_quant_config_check_layers(q, m->layers + s->mtp, d) != 0)
        return -1;
    snprintf(t->model, sizeof t->model, "%s", m->name);
    snprintf(t->phase, sizeof t->phase, "%s", mp_phase_name(s->phase));
    t->seq = s->seq;
    t->batch = s->batch;
    t->decode_steps = s->phase == MP_PHASE_REQUEST ? s->decode_steps : 0;
    describe_quant(q, t->quant, sizeof t->quant);
    build b = {.m = m, .s = s, .q = q, .t = t, .d = d, .prefix = "",
               .store = 1};
    int64_t prompt = s->batch * s->seq;
    int rc = 0;
    if (s->phase != MP_PHASE_DECODE)
        rc = stage(&b, "prefill", prompt, 1,
                   s->lm_head_all ? prompt : s->batch);
    b.store = s->phase == MP_PHASE_DECODE;
    if (!rc && s->phase == MP_PHASE_DECODE)
        rc = stage(&b, "decode", s->batch, 1, s->batch);
    if (!rc && s->phase == MP_PHASE_REQUEST)
        rc = stage(&b, "decode", s->batch, s->decode_steps, s->batch);
    if (rc) {
        mp_trace_free(t);
        return -1;
    }
    memory_footprint(m, s, q, t);
    t->tokens_in = s->phase == MP_PHASE_DECODE ? s->batch : prompt;
    t->tokens_out = s->batch * (1 + t->decode_steps);
    return 0;
}
