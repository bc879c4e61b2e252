/* model.c - model descriptions: built-in lookup, YAML reader, checks. */
#include "workloads/model.h"
#include "golden/datadir.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workloads/yaml_doc.h"

const char *const mp_model_builtin[] = {
    "llama2-7b", "llama2-13b", "llama2-70b", "llama3-8b", "llama3-70b",
    "mistral-7b", "opt-6.7b", "opt-13b", "opt-30b", "qwen2.5-7b",
    "bitnet-b1.58-3b", NULL,
};

/* Largest shape we accept: keeps every product of three of them, times a
 * batch x sequence, inside int64 (checked again where traces are built). */
#define SHAPE_MAX (1LL << 22)

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

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
    return 0;
#undef LINE
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

/* ---- counts ----------------------------------------------------------- */

/* Weights of one layer's projections (no biases), in MACs per token. */
static int64_t layer_weight_macs(const mp_model *m)
{
    int64_t q = m->heads * m->head_dim, kv = m->kv_heads * m->head_dim;
    int64_t attn = m->hidden * q + 2 * m->hidden * kv + q * m->hidden;
    int64_t ffn = (m->ffn == MP_FFN_GATED ? 3 : 2) * m->hidden * m->intermediate;
    return attn + ffn;
}

int64_t mp_model_weight_macs_per_token(const mp_model *m)
{
    return m->layers * layer_weight_macs(m) + m->vocab * m->hidden;
}

int64_t mp_model_param_count(const mp_model *m)
{
    int64_t q = m->heads * m->head_dim, kv = m->kv_heads * m->head_dim;
    int64_t norm_w = m->norm == MP_NORM_LAYER ? 2 : 1; /* gamma (+ beta) */
    int64_t per_layer = layer_weight_macs(m) + 2 * norm_w * m->hidden;
    if (m->qkv_bias)
        per_layer += q + 2 * kv;
    if (m->o_bias)
        per_layer += m->hidden;
    if (m->ffn_bias)
        per_layer += m->intermediate * (m->ffn == MP_FFN_GATED ? 2 : 1) +
                     m->hidden;
    int64_t total = m->layers * per_layer + norm_w * m->hidden +
                    m->vocab * m->hidden;
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
    "ffn_bias", "params", NULL,
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
                       sizeof source, d) != 0)
        goto out;
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
    if (ends_with(name_or_path, ".json"))
        return mp_model_load_hf(name_or_path, out, d);
    if (ends_with(name_or_path, ".yaml") || ends_with(name_or_path, ".yml") ||
        strchr(name_or_path, '/'))
        return mp_model_load_yaml(name_or_path, out, d);
    char path[PATH_MAX];
    if (!valid_name(name_or_path) ||
        !find_builtin(name_or_path, path, sizeof path))
        return mp_fail(d, MP_CMDLINE, 0, "--model",
                       "unknown model '%s' (built-ins: llama2-7b, llama2-13b, "
                       "llama2-70b, llama3-8b, llama3-70b, mistral-7b, "
                       "opt-6.7b, opt-13b, opt-30b, qwen2.5-7b, "
                       "bitnet-b1.58-3b; or a .yaml / config.json path; "
                       "set MPSIM_DATA to the mpsim repository)",
                       name_or_path);
    return mp_model_load_yaml(path, out, d);
}
