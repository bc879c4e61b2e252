/*
 * model_hf.c - read a Hugging Face config.json into a mp_model.
 *
 * JSON is read with libyaml: a config.json (objects, arrays, strings,
 * numbers, true/false/null) is valid YAML flow syntax, so the same typed,
 * line-numbered getters serve both.  Keys we do not need (rope_theta,
 * torch_dtype, ...) are ignored: a config.json carries many.  Defaults for
 * absent keys follow the transformers config classes (docs/workloads.md).
 */
#include "workloads/model.h"

#include <stdio.h>
#include <string.h>

#include "workloads/yaml_doc.h"

#define SHAPE_MAX (1LL << 22)

static int is_null(const yaml_node_t *n)
{
    const char *s = mp_yaml_scalar(n);
    return s && n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
           (!strcmp(s, "null") || !strcmp(s, "~") || !s[0]);
}

/* mp_yaml_int, with JSON null treated as absent. */
static int hf_int(mp_yaml *y, yaml_node_t *r, const char *key, int required,
                  int64_t lo, int64_t hi, int64_t *out, mp_diag *d)
{
    yaml_node_t *n = mp_yaml_get(y, r, key);
    if (n && is_null(n)) {
        if (required)
            return mp_yaml_fail(y, d, n, "", key, "must not be null");
        return 0;
    }
    return mp_yaml_int(y, r, "", key, required, lo, hi, out, d);
}

static int hf_bool(mp_yaml *y, yaml_node_t *r, const char *key, int *out,
                   mp_diag *d)
{
    yaml_node_t *n = mp_yaml_get(y, r, key);
    if (n && is_null(n))
        return 0;
    return mp_yaml_bool(y, r, "", key, MP_YAML_OPTIONAL, out, d);
}

typedef struct hf_ctx {
    mp_yaml *y;
    yaml_node_t *root;
    int opt;
} hf_ctx;

static int hf_line_of(void *ctx, const char *field)
{
    hf_ctx *c = ctx;
    if (c->opt && !strcmp(field, "intermediate_size"))
        field = "ffn_dim";
    yaml_node_t *n = mp_yaml_get(c->y, c->root, field);
    return mp_yaml_line(n ? n : c->root);
}

/* transformers' activation names -> ours. */
static int map_activation(const char *hf, char *out, size_t cap)
{
    static const char *const map[][2] = {
        {"silu", "silu"}, {"swish", "silu"}, {"relu", "relu"},
        {"relu2", "relu2"}, {"gelu", "gelu"}, {"gelu_new", "gelu"},
        {"gelu_pytorch_tanh", "gelu"}, {"gelu_fast", "gelu"},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (!strcmp(hf, map[i][0])) {
            snprintf(out, cap, "%s", map[i][1]);
            return 0;
        }
    return -1;
}

/* OPT: LayerNorm, learned positions (offset 2), fc1/fc2, biases. */
static int read_opt(mp_yaml *y, yaml_node_t *r, mp_model *m, char *act,
                    mp_diag *d)
{
    int64_t proj = 0;
    int bias = 1;
    m->tied_embeddings = 1; /* PretrainedConfig default */
    m->ffn = MP_FFN_PLAIN;
    m->norm = MP_NORM_LAYER;
    m->position = MP_POS_LEARNED;
    snprintf(act, 32, "relu");
    if (hf_int(y, r, "ffn_dim", 1, 1, SHAPE_MAX, &m->intermediate, d) ||
        hf_int(y, r, "word_embed_proj_dim", 0, 1, SHAPE_MAX, &proj, d) ||
        hf_bool(y, r, "enable_bias", &bias, d) ||
        mp_yaml_string(y, r, "", "activation_function", MP_YAML_OPTIONAL, act,
                       32, d))
        return -1;
    if (proj && proj != m->hidden)
        return mp_yaml_fail(y, d, mp_yaml_get(y, r, "word_embed_proj_dim"), "",
                            "word_embed_proj_dim", "%lld differs from "
                            "hidden_size %lld: the project_in/out matrices "
                            "of OPT-350m are not modelled", (long long)proj,
                            (long long)m->hidden);
    m->kv_heads = m->heads;
    m->position_rows = m->max_positions + 2; /* OPTLearnedPositionalEmbedding */
    m->qkv_bias = m->o_bias = m->ffn_bias = bias;
    return 0;
}

/* LLaMA-style (llama, mistral, qwen2 and anything else): RMSNorm, RoPE,
 * gated FFN, optional GQA. */
static int read_llama_like(mp_yaml *y, yaml_node_t *r, mp_model *m,
                           char *act, mp_diag *d)
{
    int attn_bias = 0, mlp_bias = 0, use_window = 1;
    m->ffn = MP_FFN_GATED;
    m->norm = MP_NORM_RMS;
    m->position = MP_POS_ROPE;
    m->kv_heads = m->heads;
    snprintf(act, 32, "silu");
    if (hf_int(y, r, "intermediate_size", 1, 1, SHAPE_MAX, &m->intermediate, d) ||
        hf_int(y, r, "num_key_value_heads", 0, 1, 1 << 16, &m->kv_heads, d) ||
        hf_int(y, r, "head_dim", 0, 1, SHAPE_MAX, &m->head_dim, d) ||
        hf_int(y, r, "sliding_window", 0, 0, 1 << 30, &m->sliding_window, d) ||
        hf_bool(y, r, "use_sliding_window", &use_window, d) ||
        hf_bool(y, r, "tie_word_embeddings", &m->tied_embeddings, d) ||
        hf_bool(y, r, "attention_bias", &attn_bias, d) ||
        hf_bool(y, r, "mlp_bias", &mlp_bias, d) ||
        mp_yaml_string(y, r, "", "hidden_act", MP_YAML_OPTIONAL, act, 32, d))
        return -1;
    if (!use_window)
        m->sliding_window = 0;
    m->qkv_bias = m->o_bias = attn_bias;
    m->ffn_bias = mlp_bias;
    if (!strcmp(m->family, "qwen2"))
        m->qkv_bias = 1; /* Qwen2Attention: q/k/v with bias, o without */
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
        dir = dir ? dir + 1 : buf;
        size_t n = strlen(dir) < cap ? strlen(dir) : cap - 1;
        memcpy(out, dir, n);
        out[n] = '\0';
        return;
    }
    char *dot = strrchr(base, '.');
    if (dot)
        *dot = '\0';
    size_t n = strlen(base) < cap ? strlen(base) : cap - 1;
    memcpy(out, base, n);
    out[n] = '\0';
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
    int rc = -1;
    char act[32];
    yaml_node_t *r = mp_yaml_root_map(&y, d);
    if (!r ||
        mp_yaml_string(&y, r, "", "model_type", MP_YAML_REQUIRED, m->family,
                       sizeof m->family, d) ||
        hf_int(&y, r, "hidden_size", 1, 1, SHAPE_MAX, &m->hidden, d) ||
        hf_int(&y, r, "num_attention_heads", 1, 1, 1 << 16, &m->heads, d) ||
        hf_int(&y, r, "num_hidden_layers", 1, 1, 1 << 16, &m->layers, d) ||
        hf_int(&y, r, "vocab_size", 1, 1, SHAPE_MAX, &m->vocab, d) ||
        hf_int(&y, r, "max_position_embeddings", 1, 1, 1 << 30,
               &m->max_positions, d))
        goto out;
    int opt = !strcmp(m->family, "opt");
    if ((opt ? read_opt : read_llama_like)(&y, r, m, act, d) != 0)
        goto out;
    const char *act_key = opt ? "activation_function" : "hidden_act";
    if (map_activation(act, m->activation, sizeof m->activation) != 0) {
        mp_yaml_fail(&y, d, mp_yaml_get(&y, r, act_key), "", act_key,
                     "unsupported activation '%s' (silu, relu, relu2, gelu)",
                     act);
        goto out;
    }
    if (mp_model_derive_head_dim(m, hf_line_of(&(hf_ctx){&y, r, opt},
                                               "num_attention_heads"), d) != 0)
        goto out;
    hf_ctx ctx = {&y, r, opt};
    rc = mp_model_validate(m, hf_line_of, &ctx, d);
out:
    mp_yaml_free(&y);
    return rc;
}
