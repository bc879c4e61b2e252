/* model.c - model descriptions: built-in lookup, YAML reader, checks. */
#include "workloads/model.h"
#include "golden/datadir.h"
#include "golden/strutil.h"
#include "golden/decimal.h"

#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workloads/yaml_doc.h"

const char *const mp_model_builtin[] = {
    "llama2-7b", "llama2-13b", "llama2-70b", "llama3-8b", "llama3-70b",
    "mistral-7b", "opt-6.7b", "opt-13b", "opt-30b", "qwen2.5-7b",
    "bitnet-b1.58-3b", "mixtral-8x7b", "deepseek-v2-lite", "gemma2-9b",
    "falcon-7b", NULL,
};

/* Largest shape we accept: keeps every product of three of them, times a
 * batch x sequence, inside int64 (checked again where traces are built). */
#define SHAPE_MAX (1LL << 22)

/* ---- consistency ------------------------------------------------------ */

int mp_model_validate(const mp_model *m, mp_model_line_fn line_of, void *ctx,
                      mp_diag *d)
{
#define LINE(f) (line_of ? line_of(ctx, f) : 0)
    if (m->heads % m->kv_heads != 0)
        return mp_fail(d, m->file, LINE("num_key_value_heads"),
                       "num_key_value_heads",
                       "%lld key/value heads do not divide %lld attention heads",
                       (long long)m->kv_heads, (long long)m->heads);
    if (m->head_dim <= 0 || m->head_dim > SHAPE_MAX)
        return mp_fail(d, m->file, LINE("head_dim"), "head_dim",
                       "must be in 1..%lld, got %lld", SHAPE_MAX,
                       (long long)m->head_dim);
    if (m->heads * m->head_dim > SHAPE_MAX)
        return mp_fail(d, m->file, LINE("num_attention_heads"),
                       "num_attention_heads", "heads x head_dim too large");
    if (m->position == MP_POS_LEARNED && m->position_rows < m->max_positions)
        return mp_fail(d, m->file, LINE("position_rows"), "position_rows",
                       "learned position table (%lld rows) shorter than "
                       "max_position_embeddings (%lld)",
                       (long long)m->position_rows, (long long)m->max_positions);
    if (m->sliding_window < 0)
        return mp_fail(d, m->file, LINE("sliding_window"), "sliding_window",
                       "must be >= 0");
    if (m->n_window_pattern > m->layers)
        return mp_fail(d, m->file, LINE("window_pattern"), "window_pattern",
                       "%d entries for %lld layers", m->n_window_pattern,
                       (long long)m->layers);
    if (m->kv_lora_rank && (m->qk_rope_dim <= 0 || m->qk_nope_dim <= 0 ||
                            m->v_head_dim <= 0))
        return mp_fail(d, m->file, LINE("kv_lora_rank"), "kv_lora_rank",
                       "latent attention needs qk_nope_head_dim, "
                       "qk_rope_head_dim and v_head_dim");
    if (m->n_experts) {
        if (m->top_k < 1 || m->top_k > m->n_experts)
            return mp_fail(d, m->file, LINE("num_experts_per_tok"),
                           "num_experts_per_tok", "top-k %lld not in 1..%lld "
                           "experts", (long long)m->top_k,
                           (long long)m->n_experts);
        if (m->expert_intermediate <= 0 || m->ffn != MP_FFN_GATED)
            return mp_fail(d, m->file, LINE("moe_intermediate_size"),
                           "moe_intermediate_size", "experts need a width "
                           "and a gated FFN");
        if (m->dense_layers < 0 || m->dense_layers > m->layers)
            return mp_fail(d, m->file, LINE("first_k_dense_replace"),
                           "first_k_dense_replace", "must be in 0..%lld",
                           (long long)m->layers);
    }
    if (m->norms_per_layer < 1 || m->norms_per_layer > 4)
        return mp_fail(d, m->file, LINE("norms_per_layer"), "norms_per_layer",
                       "must be in 1..4");
    return 0;
#undef LINE
}

void mp_model_defaults(mp_model *m)
{
    if (!m->norms_per_layer)
        m->norms_per_layer = m->parallel_block ? 1 : 2;
    if (m->kv_lora_rank) { /* MLA: every head has its own decompressed K/V */
        m->kv_heads = m->heads;
        m->head_dim = m->qk_nope_dim + m->qk_rope_dim;
    }
}

/* head_dim absent: hidden / heads, which must divide. */
int mp_model_derive_head_dim(mp_model *m, int line, mp_diag *d)
{
    if (m->head_dim)
        return 0;
    if (m->hidden % m->heads != 0)
        return mp_fail(d, m->file, line, "num_attention_heads",
                       "%lld heads do not divide hidden_size %lld (and no "
                       "head_dim is given)",
                       (long long)m->heads, (long long)m->hidden);
    m->head_dim = m->hidden / m->heads;
    return 0;
}

/* ---- per-layer structure ---------------------------------------------- */

int64_t mp_model_layer_window(const mp_model *m, int64_t layer)
{
    if (m->n_window_pattern <= 0)
        return m->sliding_window;
    return m->window_pattern[layer % m->n_window_pattern];
}

int mp_model_layer_is_moe(const mp_model *m, int64_t layer)
{
    return m->n_experts > 0 && layer >= m->dense_layers;
}

int64_t mp_model_kv_elements_per_token(const mp_model *m)
{
    if (m->kv_lora_rank)
        return m->kv_lora_rank + m->qk_rope_dim;
    return 2 * m->kv_heads * m->head_dim;
}

double mp_model_experts_touched(const mp_model *m, int64_t tokens,
                                double skew)
{
    double e = (double)m->n_experts, k = (double)m->top_k;
    double eff = e - skew * (e - k);
    return eff * (1.0 - pow(1.0 - k / eff, (double)tokens));
}

/* ---- counts ----------------------------------------------------------- */

/* Attention projections of one layer, in MACs per token (= weights). */
static int64_t attn_weight_macs(const mp_model *m)
{
    int64_t h = m->hidden;
    if (m->kv_lora_rank) { /* MLA: DeepSeek-V2 paper, section 2.1 */
        int64_t qk = m->heads * (m->qk_nope_dim + m->qk_rope_dim);
        int64_t q = m->q_lora_rank ? h * m->q_lora_rank + m->q_lora_rank * qk
                                   : h * qk;
        return q + h * (m->kv_lora_rank + m->qk_rope_dim) +
               m->kv_lora_rank * m->heads * (m->qk_nope_dim + m->v_head_dim) +
               m->heads * m->v_head_dim * h;
    }
    int64_t q = m->heads * m->head_dim, kv = m->kv_heads * m->head_dim;
    return h * q + 2 * h * kv + q * h;
}

/* FFN of one layer: `experts` routed experts counted (all of them for the
 * parameter count, top_k for the MACs of one token). */
static int64_t ffn_weight_macs(const mp_model *m, int64_t layer,
                               int64_t experts)
{
    int64_t h = m->hidden;
    if (!mp_model_layer_is_moe(m, layer))
        return (m->ffn == MP_FFN_GATED ? 3 : 2) * h * m->intermediate;
    return h * m->n_experts + experts * 3 * h * m->expert_intermediate +
           3 * h * m->shared_intermediate + (m->shared_gate ? h : 0);
}

int64_t mp_model_weight_macs_per_token(const mp_model *m)
{
    int64_t total = m->vocab * m->hidden;
    for (int64_t l = 0; l < m->layers; l++)
        total += attn_weight_macs(m) + ffn_weight_macs(m, l, m->top_k);
    return total;
}

int64_t mp_model_param_count(const mp_model *m)
{
    int64_t q = m->heads * m->head_dim, kv = m->kv_heads * m->head_dim;
    int64_t norm_w = m->norm == MP_NORM_LAYER ? 2 : 1; /* gamma (+ beta) */
    int64_t total = norm_w * m->hidden + m->vocab * m->hidden;
    for (int64_t l = 0; l < m->layers; l++) {
        int64_t per = attn_weight_macs(m) +
                      ffn_weight_macs(m, l, m->n_experts) +
                      m->norms_per_layer * norm_w * m->hidden;
        per += norm_w * (m->q_lora_rank + m->kv_lora_rank); /* MLA norms */
        if (m->sub_norms) /* BitNet subln: before o_proj and down_proj */
            per += norm_w * (m->heads * (m->v_head_dim ? m->v_head_dim
                                                         : m->head_dim) +
                             m->intermediate);
        if (m->qkv_bias)
            per += q + 2 * kv;
        if (m->o_bias)
            per += m->hidden;
        if (m->ffn_bias && !mp_model_layer_is_moe(m, l))
            per += m->intermediate * (m->ffn == MP_FFN_GATED ? 2 : 1) +
                   m->hidden;
        total += per;
    }
    if (!m->tied_embeddings)
        total += m->vocab * m->hidden;
    if (m->position == MP_POS_LEARNED)
        total += m->position_rows * m->hidden;
    return total;
}

/* ---- YAML model description ------------------------------------------- */

static const char *const yaml_keys[] = {
    "name", "family", "source", "hidden_size", "intermediate_size",
    "num_attention_heads", "num_key_value_heads", "head_dim",
    "num_hidden_layers", "vocab_size", "ffn", "activation", "norm",
    "position", "position_rows", "max_position_embeddings",
    "sliding_window", "tie_word_embeddings", "qkv_bias", "o_bias",
    "ffn_bias", "params", "window_pattern", "parallel_block",
    "norms_per_layer", "mla", "experts", "attn_logit_softcapping",
    "final_logit_softcapping", "sub_norms", NULL,
};

typedef struct yaml_ctx {
    mp_yaml *y;
    yaml_node_t *root;
} yaml_ctx;

static int yaml_line_of(void *ctx, const char *field)
{
    yaml_ctx *c = ctx;
    yaml_node_t *n = mp_yaml_get(c->y, c->root, field);
    return mp_yaml_line(n ? n : c->root);
}

/* A string field that must be one of `choices`; index in *out. */
static int yaml_choice(mp_yaml *y, yaml_node_t *root, const char *key,
                       const char *const *choices, int *out, mp_diag *d)
{
    char text[32];
    if (mp_yaml_string(y, root, "", key, MP_YAML_REQUIRED, text, sizeof text,
                       d) != 0)
        return -1;
    for (int i = 0; choices[i]; i++)
        if (!strcmp(text, choices[i])) {
            *out = i;
            return 0;
        }
    return mp_yaml_fail(y, d, mp_yaml_get(y, root, key), "", key,
                        "unknown value '%s' (expected %s or %s)", text,
                        choices[0], choices[1]);
}

int mp_model_check_activation(const char *act)
{
    static const char *const acts[] = {"silu", "relu", "relu2", "gelu", NULL};
    for (const char *const *a = acts; *a; a++)
        if (!strcmp(*a, act))
            return 0;
    return -1;
}

static int read_params(mp_yaml *y, yaml_node_t *root, mp_model *m, mp_diag *d)
{
    static const char *const keys[] = {"count", "precision", "source", NULL};
    yaml_node_t *p = mp_yaml_get(y, root, "params");
    if (!p)
        return mp_yaml_fail(y, d, root, "", "params", "missing required key");
    if (!mp_yaml_want_map(y, p, "params", d) ||
        mp_yaml_check_keys(y, p, "params", keys, d) != 0 ||
        mp_yaml_int(y, p, "params", "count", MP_YAML_REQUIRED, 1,
                    INT64_C(1) << 50, &m->published_params, d) != 0 ||
        mp_yaml_int(y, p, "params", "precision", MP_YAML_REQUIRED, 1,
                    INT64_C(1) << 50, &m->params_precision, d) != 0 ||
        mp_yaml_string(y, p, "params", "source", MP_YAML_REQUIRED,
                       m->params_source, sizeof m->params_source, d) != 0)
        return -1;
    return 0;
}

static int read_shapes(mp_yaml *y, yaml_node_t *r, mp_model *m, mp_diag *d)
{
    struct { const char *key; int64_t *dst; int64_t lo, hi; int req; } f[] = {
        {"hidden_size", &m->hidden, 1, SHAPE_MAX, 1},
        {"intermediate_size", &m->intermediate, 1, SHAPE_MAX, 1},
        {"num_attention_heads", &m->heads, 1, 1 << 16, 1},
        {"num_key_value_heads", &m->kv_heads, 1, 1 << 16, 1},
        {"head_dim", &m->head_dim, 1, SHAPE_MAX, 0},
        {"num_hidden_layers", &m->layers, 1, 1 << 16, 1},
        {"vocab_size", &m->vocab, 1, SHAPE_MAX, 1},
        {"max_position_embeddings", &m->max_positions, 1, 1 << 30, 1},
        {"position_rows", &m->position_rows, 1, 1 << 30, 0},
        {"sliding_window", &m->sliding_window, 0, 1 << 30, 0},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (mp_yaml_int(y, r, "", f[i].key, f[i].req, f[i].lo, f[i].hi,
                        f[i].dst, d) != 0)
            return -1;
    return 0;
}

static int read_kinds(mp_yaml *y, yaml_node_t *r, mp_model *m, mp_diag *d)
{
    static const char *const ffn[] = {"gated", "plain", NULL};
    static const char *const norm[] = {"rmsnorm", "layernorm", NULL};
    static const char *const pos[] = {"rope", "learned", NULL};
    int f, n, p;
    if (yaml_choice(y, r, "ffn", ffn, &f, d) != 0 ||
        yaml_choice(y, r, "norm", norm, &n, d) != 0 ||
        yaml_choice(y, r, "position", pos, &p, d) != 0 ||
        mp_yaml_string(y, r, "", "activation", MP_YAML_REQUIRED, m->activation,
                       sizeof m->activation, d) != 0 ||
        mp_yaml_bool(y, r, "", "tie_word_embeddings", MP_YAML_REQUIRED,
                     &m->tied_embeddings, d) != 0 ||
        mp_yaml_bool(y, r, "", "qkv_bias", MP_YAML_OPTIONAL, &m->qkv_bias, d) ||
        mp_yaml_bool(y, r, "", "o_bias", MP_YAML_OPTIONAL, &m->o_bias, d) ||
        mp_yaml_bool(y, r, "", "ffn_bias", MP_YAML_OPTIONAL, &m->ffn_bias, d))
        return -1;
    m->ffn = (mp_ffn_kind)f;
    m->norm = (mp_norm_kind)n;
    m->position = (mp_pos_kind)p;
    if (mp_model_check_activation(m->activation) != 0)
        return mp_yaml_fail(y, d, mp_yaml_get(y, r, "activation"), "",
                            "activation", "unknown activation '%s' (silu, "
                            "relu, relu2, gelu)", m->activation);
    if (m->position == MP_POS_LEARNED && !mp_yaml_get(y, r, "position_rows"))
        return mp_yaml_fail(y, d, r, "", "position_rows",
                            "required with position: learned");
    return 0;
}

/* window_pattern: [4096, 0] (alternating) or one entry per layer. */
static int read_windows(mp_yaml *y, yaml_node_t *r, mp_model *m, mp_diag *d)
{
    yaml_node_t *seq = mp_yaml_get(y, r, "window_pattern");
    if (!seq)
        return 0;
    if (!mp_yaml_want_seq(y, seq, "window_pattern", d))
        return -1;
    size_t n = mp_yaml_seq_len(seq);
    if (n < 1 || n > MP_MODEL_WINDOWS_MAX)
        return mp_yaml_fail(y, d, seq, "", "window_pattern", "needs 1..%d "
                            "entries", MP_MODEL_WINDOWS_MAX);
    for (size_t i = 0; i < n; i++) {
        yaml_node_t *e = mp_yaml_seq_at(y, seq, i);
        const char *t = mp_yaml_scalar(e);
        int64_t v = 0;
        if (!t || mp_parse_i64(t, 0, 1 << 30, &v))
            return mp_yaml_fail(y, d, e, "", "window_pattern", "entry %zu: "
                                "expected a window in 0..2^30 (0 = full)", i);
        m->window_pattern[i] = v;
    }
    m->n_window_pattern = (int)n;
    return 0;
}

/* mla: {q_lora_rank, kv_lora_rank, qk_nope_head_dim, qk_rope_head_dim,
 * v_head_dim}; experts: {count, top_k, intermediate_size,
 * shared_intermediate_size, shared_gate, dense_layers}. */
static int read_mla_moe(mp_yaml *y, yaml_node_t *r, mp_model *m, mp_diag *d)
{
    static const char *const mla_keys[] = {"q_lora_rank", "kv_lora_rank",
        "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim", NULL};
    static const char *const moe_keys[] = {"count", "top_k",
        "intermediate_size", "shared_intermediate_size", "shared_gate",
        "dense_layers", NULL};
    yaml_node_t *a = mp_yaml_get(y, r, "mla"), *e = mp_yaml_get(y, r, "experts");
    if (a && (!mp_yaml_want_map(y, a, "mla", d) ||
              mp_yaml_check_keys(y, a, "mla", mla_keys, d) ||
              mp_yaml_int(y, a, "mla", "q_lora_rank", 0, 0, SHAPE_MAX,
                          &m->q_lora_rank, d) ||
              mp_yaml_int(y, a, "mla", "kv_lora_rank", 1, 1, SHAPE_MAX,
                          &m->kv_lora_rank, d) ||
              mp_yaml_int(y, a, "mla", "qk_nope_head_dim", 1, 1, SHAPE_MAX,
                          &m->qk_nope_dim, d) ||
              mp_yaml_int(y, a, "mla", "qk_rope_head_dim", 1, 1, SHAPE_MAX,
                          &m->qk_rope_dim, d) ||
              mp_yaml_int(y, a, "mla", "v_head_dim", 1, 1, SHAPE_MAX,
                          &m->v_head_dim, d)))
        return -1;
    if (e && (!mp_yaml_want_map(y, e, "experts", d) ||
              mp_yaml_check_keys(y, e, "experts", moe_keys, d) ||
              mp_yaml_int(y, e, "experts", "count", 1, 2, 1 << 16,
                          &m->n_experts, d) ||
              mp_yaml_int(y, e, "experts", "top_k", 1, 1, 1 << 16,
                          &m->top_k, d) ||
              mp_yaml_int(y, e, "experts", "intermediate_size", 1, 1,
                          SHAPE_MAX, &m->expert_intermediate, d) ||
              mp_yaml_int(y, e, "experts", "shared_intermediate_size", 0, 0,
                          SHAPE_MAX, &m->shared_intermediate, d) ||
              mp_yaml_bool(y, e, "experts", "shared_gate", 0,
                           &m->shared_gate, d) ||
              mp_yaml_int(y, e, "experts", "dense_layers", 0, 0, 1 << 16,
                          &m->dense_layers, d)))
        return -1;
    return 0;
}

int mp_model_load_yaml(const char *path, mp_model *m, mp_diag *d)
{
    memset(m, 0, sizeof *m);
    snprintf(m->file, sizeof m->file, "%s", path);
    mp_yaml y;
    if (mp_yaml_load(path, &y, d) != 0)
        return -1;
    int rc = -1;
    yaml_node_t *r = mp_yaml_root_map(&y, d);
    char source[256];
    if (!r || mp_yaml_check_keys(&y, r, "", yaml_keys, d) != 0 ||
        mp_yaml_string(&y, r, "", "name", MP_YAML_REQUIRED, m->name,
                       sizeof m->name, d) != 0 ||
        mp_yaml_string(&y, r, "", "family", MP_YAML_REQUIRED, m->family,
                       sizeof m->family, d) != 0 ||
        read_shapes(&y, r, m, d) != 0 || read_kinds(&y, r, m, d) != 0 ||
        read_params(&y, r, m, d) != 0 ||
        mp_yaml_string(&y, r, "", "source", MP_YAML_OPTIONAL, source,
                       sizeof source, d) != 0 ||
        read_windows(&y, r, m, d) != 0 || read_mla_moe(&y, r, m, d) != 0 ||
        mp_yaml_bool(&y, r, "", "parallel_block", MP_YAML_OPTIONAL,
                     &m->parallel_block, d) != 0 ||
        mp_yaml_int(&y, r, "", "norms_per_layer", MP_YAML_OPTIONAL, 1, 4,
                    &m->norms_per_layer, d) != 0 ||
        mp_yaml_double(&y, r, "", "attn_logit_softcapping", MP_YAML_OPTIONAL,
                       0, 1e9, &m->attn_softcap, d) != 0 ||
        mp_yaml_double(&y, r, "", "final_logit_softcapping", MP_YAML_OPTIONAL,
                       0, 1e9, &m->final_softcap, d) != 0 ||
        mp_yaml_bool(&y, r, "", "sub_norms", MP_YAML_OPTIONAL, &m->sub_norms,
                     d) != 0)
        goto out;
    mp_model_defaults(m);
    yaml_node_t *hd = mp_yaml_get(&y, r, "num_attention_heads");
    if (mp_model_derive_head_dim(m, mp_yaml_line(hd), d) != 0)
        goto out;
    yaml_ctx ctx = {&y, r};
    rc = mp_model_validate(m, yaml_line_of, &ctx, d);
out:
    mp_yaml_free(&y);
    return rc;
}

/* ---- built-in lookup -------------------------------------------------- */

static int valid_name(const char *name)
{
    if (!name[0] || strlen(name) > 60)
        return 0;
    for (const char *c = name; *c; c++)
        if (!((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
              *c == '.' || *c == '-' || *c == '_'))
            return 0;
    return name[0] != '.';
}

/* Built-in models live in <data root>/workloads/models (golden/datadir.h). */
static int find_builtin(const char *name, char *out, size_t cap)
{
    return mp_data_path("workloads/models", name, ".yaml", out, cap) == 0;
}

int mp_model_load(const char *name_or_path, mp_model *out, mp_diag *d)
{
    if (mp_ends_with(name_or_path, ".json"))
        return mp_model_load_hf(name_or_path, out, d);
    if (mp_ends_with(name_or_path, ".yaml") || mp_ends_with(name_or_path, ".yml") ||
        strchr(name_or_path, '/'))
        return mp_model_load_yaml(name_or_path, out, d);
    char path[PATH_MAX];
    if (!valid_name(name_or_path) ||
        !find_builtin(name_or_path, path, sizeof path)) {
        char names[512] = "";
        for (const char *const *b = mp_model_builtin; *b; b++)
            snprintf(names + strlen(names), sizeof names - strlen(names),
                     "%s%s", b == mp_model_builtin ? "" : ", ", *b);
        return mp_fail(d, MP_CMDLINE, 0, "--model",
                       "unknown model '%s' (built-ins: %s; or a .yaml / "
                       "config.json path; set MPSIM_DATA to the mpsim "
                       "repository)", name_or_path, names);
    }
    return mp_model_load_yaml(path, out, d);
}
