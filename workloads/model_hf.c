/*
 * model_hf.c - read a Hugging Face config.json into a mp_model.
 *
 * JSON is read with libyaml: a config.json (objects, arrays, strings,
 * numbers, true/false/null) is valid YAML flow syntax, so the same typed,
 * line-numbered getters serve both.
 *
 * Contract: each supported model_type has its own reader (the table
 * `families` below), which maps the keys that family's transformers
 * config class defines onto mp_model, with that class's defaults for
 * absent keys.  Every key a reader asks for is recorded as understood;
 * after reading, any key of the file that is neither understood nor in
 * the documented list of keys that change no shape (`ignored_keys`) is
 * refused in one line naming it, and so is any other model_type.  So a
 * construct mpsim does not model cannot be traced as something else.
 * docs/workloads.md lists the families, the keys and the defaults.
 */
#include "workloads/model.h"

#include <stdio.h>
#include <string.h>

#include "workloads/yaml_doc.h"

#define SHAPE_MAX (1LL << 22)
#define HF_MAX_KEYS 64

/* Keys that change no weight shape, cache or operation mpsim counts:
 * ids, dropouts, init, norm epsilons, RoPE frequencies and scaling,
 * dtypes, training-only router losses, storage quantization (the
 * --quant option decides formats).  docs/workloads.md explains each. */
static const char *const ignored_keys[] = {
    "_name_or_path", "architectures", "auto_map", "model_type",
    "transformers_version", "torch_dtype", "use_cache", "bos_token_id",
    "eos_token_id", "pad_token_id", "initializer_range", "init_std",
    "rms_norm_eps", "layer_norm_eps", "layer_norm_epsilon", "rope_theta",
    "rope_scaling", "partial_rotary_factor", "original_max_position_embeddings",
    "use_mrope",
    "attention_dropout", "hidden_dropout", "dropout", "activation_dropout",
    "resid_pdrop", "embd_pdrop", "attn_pdrop", "layerdrop", "pretraining_tp",
    "output_router_logits", "router_aux_loss_coef", "router_jitter_noise",
    "aux_loss_alpha", "seq_aux", "quantization_config", "prefix",
    "tokenizer_class", NULL,
};

typedef struct hf {
    mp_yaml *y;
    yaml_node_t *r;
    mp_model *m;
    mp_diag *d;
    char act[32];           /* activation as written                  */
    const char *act_key;    /* the key it came from                    */
    int n_used;
    const char *used[HF_MAX_KEYS]; /* keys a reader asked for          */
} hf;

static void use(hf *h, const char *key)
{
    for (int i = 0; i < h->n_used; i++)
        if (!strcmp(h->used[i], key))
            return;
    if (h->n_used < HF_MAX_KEYS)
        h->used[h->n_used++] = key;
}

static yaml_node_t *get(hf *h, const char *key)
{
    use(h, key);
    return mp_yaml_get(h->y, h->r, key);
}

static int is_null(const yaml_node_t *n)
{
    const char *s = mp_yaml_scalar(n);
    return s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           (!strcmp(s, "null") || !strcmp(s, "~") || !s[0]);
}

/* An integer key; JSON null counts as absent. */
static int hf_int(hf *h, const char *key, int required, int64_t lo,
                  int64_t hi, int64_t *out)
{
    yaml_node_t *n = get(h, key);
    if (n && is_null(n)) {
        if (required)
            return mp_yaml_fail(h->y, h->d, n, "", key, "must not be null");
        return 0;
    }
    return mp_yaml_int(h->y, h->r, "", key, required, lo, hi, out, h->d);
}

static int hf_bool(hf *h, const char *key, int *out)
{
    yaml_node_t *n = get(h, key);
    if (n && is_null(n))
        return 0;
    return mp_yaml_bool(h->y, h->r, "", key, MP_YAML_OPTIONAL, out, h->d);
}

/* A non-negative number; JSON null stores 0 (the feature is off). */
static int hf_cap(hf *h, const char *key, double *out)
{
    yaml_node_t *n = get(h, key);
    if (n && is_null(n)) {
        *out = 0;
        return 0;
    }
    return mp_yaml_double(h->y, h->r, "", key, MP_YAML_OPTIONAL, 0, 1e9, out,
                          h->d);
}

static int hf_act(hf *h, const char *key)
{
    yaml_node_t *n = get(h, key);
    if (!n || is_null(n))
        return 0;
    h->act_key = key;
    return mp_yaml_string(h->y, h->r, "", key, MP_YAML_OPTIONAL, h->act,
                          sizeof h->act, h->d);
}

/* A key whose only value mpsim models is `want` (e.g. moe_layer_freq 1). */
static int hf_only(hf *h, const char *key, int64_t want, const char *what)
{
    int64_t v = want;
    if (hf_int(h, key, 0, INT64_MIN, INT64_MAX, &v) != 0)
        return -1;
    if (v != want)
        return mp_yaml_fail(h->y, h->d, get(h, key), "", key, "%lld is not "
                            "modelled (%s)", (long long)v, what);
    return 0;
}

static int fail_key(hf *h, const char *key, const char *msg)
{
    return mp_yaml_fail(h->y, h->d, get(h, key), "", key, "%s", msg);
}

/* ---- the shapes every family shares ----------------------------------- */

static int read_core(hf *h, int64_t default_positions)
{
    mp_model *m = h->m;
    m->max_positions = default_positions;
    return hf_int(h, "hidden_size", 1, 1, SHAPE_MAX, &m->hidden) ||
           hf_int(h, "num_attention_heads", 1, 1, 1 << 16, &m->heads) ||
           hf_int(h, "num_hidden_layers", 1, 1, 1 << 16, &m->layers) ||
           hf_int(h, "vocab_size", 1, 1, SHAPE_MAX, &m->vocab) ||
           hf_int(h, "max_position_embeddings", !default_positions, 1,
                  1 << 30, &m->max_positions);
}

/* The block layout a family fixes, and its default activation. */
static void layout(hf *h, mp_ffn_kind ffn, mp_norm_kind norm, mp_pos_kind pos,
                   const char *act, const char *act_key)
{
    h->m->ffn = ffn;
    h->m->norm = norm;
    h->m->position = pos;
    snprintf(h->act, sizeof h->act, "%s", act);
    h->act_key = act_key;
}

/* LLaMA-style: RMSNorm, RoPE, gated FFN, optional GQA, head_dim. */
static int read_llama(hf *h)
{
    mp_model *m = h->m;
    int attn_bias = 0, mlp_bias = 0;
    layout(h, MP_FFN_GATED, MP_NORM_RMS, MP_POS_ROPE, "silu", "hidden_act");
    if (read_core(h, 0) ||
        hf_int(h, "intermediate_size", 1, 1, SHAPE_MAX, &m->intermediate) ||
        hf_int(h, "num_key_value_heads", 0, 1, 1 << 16, &m->kv_heads) ||
        hf_int(h, "head_dim", 0, 1, SHAPE_MAX, &m->head_dim) ||
        hf_bool(h, "tie_word_embeddings", &m->tied_embeddings) ||
        hf_bool(h, "attention_bias", &attn_bias) ||
        hf_bool(h, "mlp_bias", &mlp_bias) || hf_act(h, "hidden_act"))
        return -1;
    if (!m->kv_heads)
        m->kv_heads = m->heads;
    m->qkv_bias = m->o_bias = attn_bias;
    m->ffn_bias = mlp_bias;
    return 0;
}

/* BitNet b1.58 2B4T (BitNetConfig): LLaMA shapes plus the subln RMSNorms
 * its attention (before o_proj) and MLP (before down_proj) always have. */
static int read_bitnet(hf *h)
{
    h->m->sub_norms = 1;
    return read_llama(h);
}

/* Mistral, Phi-3: one sliding window on every layer. */
static int read_mistral(hf *h)
{
    return read_llama(h) ||
           hf_int(h, "sliding_window", 0, 0, 1 << 30, &h->m->sliding_window);
}

static int read_mixtral(hf *h)
{
    mp_model *m = h->m;
    if (read_mistral(h) ||
        hf_int(h, "num_local_experts", 0, 2, 1 << 16, &m->n_experts) ||
        hf_int(h, "num_experts_per_tok", 0, 1, 1 << 16, &m->top_k))
        return -1;
    if (!m->n_experts) /* MixtralConfig defaults */
        m->n_experts = 8;
    if (!m->top_k)
        m->top_k = 2;
    m->expert_intermediate = m->intermediate;
    return 0;
}

/* Qwen2: q/k/v with bias; a sliding window from layer max_window_layers
 * on when use_sliding_window (Qwen2Config). */
static int read_qwen2(hf *h)
{
    mp_model *m = h->m;
    int use_window = 0;
    int64_t window = 0, from = 0;
    if (read_llama(h) || hf_bool(h, "use_sliding_window", &use_window) ||
        hf_int(h, "sliding_window", 0, 0, 1 << 30, &window) ||
        hf_int(h, "max_window_layers", 0, 0, 1 << 16, &from))
        return -1;
    m->qkv_bias = 1; /* Qwen2Attention: q/k/v with bias, o without */
    m->o_bias = 0;
    if (!use_window || !window || from >= m->layers)
        return 0;
    if (m->layers > MP_MODEL_WINDOWS_MAX)
        return fail_key(h, "max_window_layers", "more layers than a window "
                        "list holds");
    for (int64_t l = 0; l < m->layers; l++)
        m->window_pattern[l] = l >= from ? window : 0;
    m->n_window_pattern = (int)m->layers;
    return 0;
}

static int read_qwen2_moe(hf *h)
{
    mp_model *m = h->m;
    int64_t shared = 0;
    int norm_topk = 0;
    yaml_node_t *mlp_only;
    if (read_qwen2(h) ||
        hf_int(h, "num_experts", 1, 2, 1 << 16, &m->n_experts) ||
        hf_int(h, "num_experts_per_tok", 1, 1, 1 << 16, &m->top_k) ||
        hf_int(h, "moe_intermediate_size", 1, 1, SHAPE_MAX,
               &m->expert_intermediate) ||
        hf_int(h, "shared_expert_intermediate_size", 0, 0, SHAPE_MAX,
               &shared) ||
        hf_bool(h, "norm_topk_prob", &norm_topk) ||
        hf_only(h, "decoder_sparse_step", 1, "MoE only every n-th layer"))
        return -1;
    if ((mlp_only = get(h, "mlp_only_layers")) && !is_null(mlp_only) &&
        (mlp_only->type != YAML_SEQUENCE_NODE ||
         mp_yaml_seq_len(mlp_only) != 0))
        return fail_key(h, "mlp_only_layers", "dense layers between MoE "
                        "layers are not modelled");
    m->shared_intermediate = shared;
    m->shared_gate = shared > 0; /* Qwen2MoeSparseMoeBlock.shared_expert_gate */
    return 0;
}

/* Gemma: GeGLU, head_dim 256, tied embeddings. */
static int read_gemma(hf *h)
{
    h->m->tied_embeddings = 1; /* GemmaConfig default */
    if (read_llama(h) || hf_act(h, "hidden_activation"))
        return -1;
    return 0;
}

/* Gemma-2: a window on even layers (Gemma2Attention: layer_idx % 2 == 0),
 * norms before and after attention and FFN, soft-capped attention scores
 * and logits (vector ops; null turns one off).  The query scale folds
 * into the softmax's scaling. */
static int read_gemma2(hf *h)
{
    mp_model *m = h->m;
    int64_t window = 4096; /* Gemma2Config default */
    static const char *const no_shape[] = {"query_pre_attn_scalar",
        "cache_implementation", NULL};
    m->attn_softcap = 50.0; /* Gemma2Config defaults */
    m->final_softcap = 30.0;
    int64_t alias = 0; /* early Gemma-2 configs repeat the window */
    if (read_gemma(h) ||
        hf_cap(h, "attn_logit_softcapping", &m->attn_softcap) ||
        hf_cap(h, "final_logit_softcapping", &m->final_softcap) ||
        hf_int(h, "sliding_window", 0, 0, 1 << 30, &window) ||
        hf_int(h, "sliding_window_size", 0, 0, 1 << 30, &alias))
        return -1;
    if (alias && alias != window)
        return fail_key(h, "sliding_window_size", "differs from "
                        "sliding_window");
    for (const char *const *k = no_shape; *k; k++)
        use(h, *k);
    m->norms_per_layer = 4;
    m->window_pattern[0] = window;
    m->window_pattern[1] = 0;
    m->n_window_pattern = 2;
    return 0;
}

/* DeepSeek-V2/V3: multi-head latent attention and fine-grained experts
 * with shared experts; the first first_k_dense_replace layers dense. */
static int read_deepseek(hf *h)
{
    mp_model *m = h->m;
    int64_t shared = 0;
    /* router arithmetic (group-limited top-k, scaling): no shapes */
    static const char *const router[] = {"topk_method", "n_group",
        "topk_group", "routed_scaling_factor", "scoring_func",
        "norm_topk_prob", "ep_size", NULL};
    if (read_llama(h) ||
        hf_int(h, "q_lora_rank", 0, 0, SHAPE_MAX, &m->q_lora_rank) ||
        hf_int(h, "kv_lora_rank", 1, 1, SHAPE_MAX, &m->kv_lora_rank) ||
        hf_int(h, "qk_nope_head_dim", 1, 1, SHAPE_MAX, &m->qk_nope_dim) ||
        hf_int(h, "qk_rope_head_dim", 1, 1, SHAPE_MAX, &m->qk_rope_dim) ||
        hf_int(h, "v_head_dim", 1, 1, SHAPE_MAX, &m->v_head_dim) ||
        hf_int(h, "n_routed_experts", 0, 2, 1 << 16, &m->n_experts) ||
        hf_int(h, "num_experts_per_tok", 0, 1, 1 << 16, &m->top_k) ||
        hf_int(h, "moe_intermediate_size", 0, 1, SHAPE_MAX,
               &m->expert_intermediate) ||
        hf_int(h, "n_shared_experts", 0, 0, 1 << 16, &shared) ||
        hf_int(h, "first_k_dense_replace", 0, 0, 1 << 16, &m->dense_layers) ||
        hf_only(h, "moe_layer_freq", 1, "MoE only every n-th layer"))
        return -1;
    for (const char *const *k = router; *k; k++)
        use(h, *k);
    m->shared_intermediate = shared * m->expert_intermediate;
    m->head_dim = 0; /* mp_model_defaults: qk_nope + qk_rope */
    return 0;
}

/* DeepSeek-V3 adds multi-token-prediction modules (report section 2.2):
 * a training and speculative-decoding aid, traced only on request. */
static int read_deepseek_v3(hf *h)
{
    return read_deepseek(h) ||
           hf_int(h, "num_nextn_predict_layers", 0, 0, 16, &h->m->mtp_layers);
}

/* Falcon: LayerNorm, RoPE, multi-query (or num_kv_heads with the new
 * decoder architecture), attention and MLP in parallel, ungated GELU
 * FFN of 4 x hidden (FalconConfig). */
static int read_falcon(hf *h)
{
    mp_model *m = h->m;
    int mq = 1, new_arch = 0, parallel = 1, bias = 0, alibi = 0;
    int post_ln = 0;
    layout(h, MP_FFN_PLAIN, MP_NORM_LAYER, MP_POS_ROPE, "gelu", "activation");
    m->tied_embeddings = 1;
    if (read_core(h, 2048) || hf_bool(h, "multi_query", &mq) ||
        hf_bool(h, "new_decoder_architecture", &new_arch) ||
        hf_int(h, "num_kv_heads", 0, 1, 1 << 16, &m->kv_heads) ||
        hf_bool(h, "parallel_attn", &parallel) || hf_bool(h, "bias", &bias) ||
        hf_bool(h, "alibi", &alibi) ||
        hf_bool(h, "apply_residual_connection_post_layernorm", &post_ln) ||
        hf_int(h, "ffn_hidden_size", 0, 1, SHAPE_MAX, &m->intermediate) ||
        hf_int(h, "head_dim", 0, 1, SHAPE_MAX, &m->head_dim) ||
        hf_bool(h, "tie_word_embeddings", &m->tied_embeddings) ||
        hf_act(h, "activation"))
        return -1;
    if (alibi)
        return fail_key(h, "alibi", "ALiBi positions are not modelled");
    if (!new_arch)
        m->kv_heads = mq ? 1 : m->heads;
    else if (!m->kv_heads)
        m->kv_heads = m->heads;
    if (!m->intermediate)
        m->intermediate = 4 * m->hidden;
    m->parallel_block = parallel || new_arch;
    m->norms_per_layer = new_arch ? 2 : parallel ? 1 : 2;
    m->qkv_bias = m->o_bias = m->ffn_bias = bias;
    return 0;
}

/* GPT-2: LayerNorm, learned positions, GELU FFN, biases, tied head. */
static int read_gpt2(hf *h)
{
    mp_model *m = h->m;
    static const char *const no_shape[] = {"n_ctx", "summary_type",
        "summary_use_proj", "summary_activation", "summary_proj_to_labels",
        "summary_first_dropout", "task_specific_params",
        "scale_attn_weights", "scale_attn_by_inverse_layer_idx",
        "reorder_and_upcast_attn", NULL};
    layout(h, MP_FFN_PLAIN, MP_NORM_LAYER, MP_POS_LEARNED, "gelu_new",
           "activation_function");
    m->tied_embeddings = 1;
    m->max_positions = 1024;
    if (hf_int(h, "n_embd", 1, 1, SHAPE_MAX, &m->hidden) ||
        hf_int(h, "n_head", 1, 1, 1 << 16, &m->heads) ||
        hf_int(h, "n_layer", 1, 1, 1 << 16, &m->layers) ||
        hf_int(h, "vocab_size", 1, 1, SHAPE_MAX, &m->vocab) ||
        hf_int(h, "n_positions", 0, 1, 1 << 30, &m->max_positions) ||
        hf_int(h, "n_inner", 0, 1, SHAPE_MAX, &m->intermediate) ||
        hf_bool(h, "tie_word_embeddings", &m->tied_embeddings) ||
        hf_act(h, "activation_function"))
        return -1;
    for (const char *const *k = no_shape; *k; k++)
        use(h, *k);
    if (!m->intermediate)
        m->intermediate = 4 * m->hidden;
    m->kv_heads = m->heads;
    m->position_rows = m->max_positions;
    m->qkv_bias = m->o_bias = m->ffn_bias = 1;
    return 0;
}

/* OPT: LayerNorm, learned positions (offset 2), fc1/fc2, biases.
 * output_projection (in facebook/opt-13b's file) is a metaseq flag
 * OPTConfig does not read: OPTForCausalLM always has its (tied) head. */
static int read_opt(hf *h)
{
    mp_model *m = h->m;
    int64_t proj = 0;
    int bias = 1, pre_ln = 1, no_final = 0;
    use(h, "output_projection");
    m->tied_embeddings = 1; /* PretrainedConfig default */
    layout(h, MP_FFN_PLAIN, MP_NORM_LAYER, MP_POS_LEARNED, "relu",
           "activation_function");
    if (read_core(h, 0) ||
        hf_int(h, "ffn_dim", 1, 1, SHAPE_MAX, &m->intermediate) ||
        hf_int(h, "word_embed_proj_dim", 0, 1, SHAPE_MAX, &proj) ||
        hf_bool(h, "enable_bias", &bias) ||
        hf_bool(h, "do_layer_norm_before", &pre_ln) ||
        hf_bool(h, "_remove_final_layer_norm", &no_final) ||
        hf_bool(h, "tie_word_embeddings", &m->tied_embeddings) ||
        hf_act(h, "activation_function"))
        return -1;
    if (proj && proj != m->hidden)
        return mp_yaml_fail(h->y, h->d, get(h, "word_embed_proj_dim"), "",
                            "word_embed_proj_dim", "%lld differs from "
                            "hidden_size %lld: the project_in/out matrices "
                            "of OPT-350m are not modelled", (long long)proj,
                            (long long)m->hidden);
    m->kv_heads = m->heads;
    m->position_rows = m->max_positions + 2; /* OPTLearnedPositionalEmbedding */
    m->qkv_bias = m->o_bias = m->ffn_bias = bias;
    return 0;
}

/* model_type -> reader: every supported family, nothing else. */
static const struct family {
    const char *type;
    int (*read)(hf *h);
} families[] = {
    {"llama", read_llama}, {"bitnet", read_bitnet},
    {"mistral", read_mistral}, {"phi3", read_mistral},
    {"mixtral", read_mixtral}, {"qwen2", read_qwen2},
    {"qwen2_moe", read_qwen2_moe}, {"gemma", read_gemma},
    {"gemma2", read_gemma2}, {"deepseek_v2", read_deepseek},
    {"deepseek_v3", read_deepseek_v3}, {"falcon", read_falcon},
    {"gpt2", read_gpt2}, {"opt", read_opt},
};
#define N_FAMILIES (sizeof families / sizeof families[0])

/* transformers' activation names -> ours. */
static int map_activation(const char *name, char *out, size_t cap)
{
    static const char *const map[][2] = {
        {"silu", "silu"}, {"swish", "silu"}, {"relu", "relu"},
        {"relu2", "relu2"}, {"gelu", "gelu"}, {"gelu_new", "gelu"},
        {"gelu_pytorch_tanh", "gelu"}, {"gelu_fast", "gelu"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(name, map[i][0])) {
            snprintf(out, cap, "%s", map[i][1]);
            return 0;
        }
    return -1;
}

/* Every key must have been read by the family or be documented as one
 * that changes no shape. */
static int check_keys(hf *h)
{
    for (size_t i = 0; i < mp_yaml_map_len(h->r); i++) {
        const char *key = mp_yaml_map_key(h->y, h->r, i);
        int known = 0;
        for (int u = 0; u < h->n_used && !known; u++)
            known = !strcmp(h->used[u], key);
        for (const char *const *k = ignored_keys; *k && !known; k++)
            known = !strcmp(*k, key);
        if (!known)
            return mp_yaml_fail(h->y, h->d, mp_yaml_map_value(h->y, h->r, i),
                                "", key, "not understood for model_type %s "
                                "(it may change shapes; docs/workloads.md "
                                "lists the keys mpsim reads)", h->m->family);
    }
    return 0;
}

/* Name: the file's base name, or its directory's for ".../config.json". */
static void model_name(const char *path, char *out, size_t cap)
{
    char buf[MP_DIAG_FILE_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    char *base = strrchr(buf, '/');
    base = base ? base + 1 : buf;
    if (!strcmp(base, "config.json") && base != buf) {
        base[-1] = '\0';
        char *dir = strrchr(buf, '/');
        base = dir ? dir + 1 : buf;
    } else {
        char *dot = strrchr(base, '.');
        if (dot)
            *dot = '\0';
    }
    size_t n = strlen(base) < cap ? strlen(base) : cap - 1;
    memcpy(out, base, n);
    out[n] = '\0';
}

static int hf_line_of(void *ctx, const char *field)
{
    hf *h = ctx;
    yaml_node_t *n = mp_yaml_get(h->y, h->r, field);
    return mp_yaml_line(n ? n : h->r);
}

static int read_family(hf *h)
{
    mp_model *m = h->m;
    if (mp_yaml_string(h->y, h->r, "", "model_type", MP_YAML_REQUIRED,
                       m->family, sizeof m->family, h->d) != 0)
        return -1;
    const struct family *f = NULL;
    for (size_t i = 0; i < N_FAMILIES && !f; i++)
        if (!strcmp(families[i].type, m->family))
            f = &families[i];
    if (!f)
        return fail_key(h, "model_type", "unsupported model_type (llama, "
                        "bitnet, mistral, phi3, mixtral, qwen2, qwen2_moe, "
                        "gemma, gemma2, deepseek_v2, deepseek_v3, falcon, "
                        "gpt2, opt)");
    if (f->read(h) != 0 || check_keys(h) != 0)
        return -1;
    if (map_activation(h->act, m->activation, sizeof m->activation) != 0)
        return fail_key(h, h->act_key, "unsupported activation (silu, relu, "
                        "relu2, gelu and their transformers aliases)");
    mp_model_defaults(m);
    if (mp_model_derive_head_dim(m, hf_line_of(h, "num_attention_heads"),
                                 h->d) != 0)
        return -1;
    return mp_model_validate(m, hf_line_of, h, h->d);
}

int mp_model_load_hf(const char *path, mp_model *m, mp_diag *d)
{
    memset(m, 0, sizeof *m);
    snprintf(m->file, sizeof m->file, "%s", path);
    model_name(path, m->name, sizeof m->name);
    snprintf(m->params_source, sizeof m->params_source, "unknown (config.json)");
    mp_yaml y;
    if (mp_yaml_load(path, &y, d) != 0)
        return -1;
    hf h = {.y = &y, .m = m, .d = d};
    h.r = mp_yaml_root_map(&y, d);
    int rc = h.r ? read_family(&h) : -1;
    mp_yaml_free(&y);
    return rc;
}
