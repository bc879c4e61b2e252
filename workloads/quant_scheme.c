/* quant_scheme.c - see quant_scheme.h; grammar in docs/workloads.md. */
#include "workloads/quant_scheme.h"

#include "golden/decimal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "workloads/yaml_doc.h"

static int fail_at(const mp_quant_origin *o, mp_diag *d, const char *fmt,
                   const char *a, const char *b)
{
    char msg[MP_DIAG_MSG_MAX];
    snprintf(msg, sizeof msg, fmt, a, b);
    return mp_fail(d, o->file, o->line, o->field, "%s", msg);
}

/* Parse a decimal integer at *p (advancing it); -1 if none or too big. */
static int64_t read_uint(const char **p)
{
    int64_t v = 0;
    if (!isdigit((unsigned char)**p) || mp_scan_i64(p, 0, 1 << 30, &v))
        return -1;
    return v;
}

/* "a4" -> INT4, "a8" -> INT8, "a16" -> FP16, "aNAME" -> the named
 * activation format. */
static int parse_act(const char *name, mp_act_fmt *out)
{
    if (!strcmp(name, "4")) {
        *out = MP_ACT_INT4;
        return 0;
    }
    if (!strcmp(name, "8")) {
        *out = MP_ACT_INT8;
        return 0;
    }
    if (!strcmp(name, "16")) {
        *out = MP_ACT_FP16;
        return 0;
    }
    return mp_act_parse(name, out);
}

static int parse_weight(const char **p, mp_wfmt *w)
{
    if (!strncmp(*p, "1.58", 4)) {
        *p += 4;
        w->kind = MP_W_TERNARY;
        w->bits = 2;
        return 0;
    }
    int64_t bits = read_uint(p);
    if (bits == 16) { /* FP16 weights, as they are (formats.h MP_W_FP16) */
        w->kind = MP_W_FP16;
        w->bits = 16;
        return 0;
    }
    if (bits < 1 || bits > 8)
        return -1;
    w->kind = MP_W_SIGNED;
    w->bits = (int)bits;
    return 0;
}

/* Optional tail: "-asym", and the KV part "kvNN" after ',' or '-'. */
static int parse_tail(const char *p, mp_quant_scheme *s,
                      const mp_quant_origin *o, const char *text, mp_diag *d)
{
    while (*p) {
        int asym = !strncmp(p, "-asym", 5) && /* p[5] exists only then */
                   (p[5] == '\0' || p[5] == ',' || p[5] == '-');
        if (asym) {
            if (s->q.w.kind == MP_W_TERNARY || s->q.w.kind == MP_W_FP16)
                return fail_at(o, d, "'%s': %s weights have no zero point",
                               text, s->q.w.kind == MP_W_FP16 ? "fp16"
                                                              : "ternary");
            s->q.has_zeros = 1;
            s->q.w.kind = MP_W_UNSIGNED;
            p += 5;
            continue;
        }
        if ((*p == ',' || *p == '-') && !strncmp(p + 1, "kv", 2)) {
            p += 3;
            int64_t kv = read_uint(&p);
            if (kv != 4 && kv != 8 && kv != 16)
                return fail_at(o, d, "'%s': KV cache bits must be kv4, kv8 or kv16%s",
                               text, "");
            if (s->kv_bits)
                return fail_at(o, d, "'%s': KV cache bits given twice%s", text, "");
            s->kv_bits = (int)kv;
            continue;
        }
        return fail_at(o, d, "'%s': unexpected '%s' (grammar: wBITS aFMT [gN] "
                       "[-asym] [,kvBITS], see docs/workloads.md)", text, p);
    }
    return 0;
}

int mp_quant_parse(const char *text, mp_quant_scheme *out,
                   const mp_quant_origin *o, mp_diag *d)
{
    memset(out, 0, sizeof *out);
    if (!text || !text[0])
        return fail_at(o, d, "empty quantization scheme%s%s", "", "");
    if (strlen(text) >= sizeof out->text)
        return fail_at(o, d, "scheme '%.40s...' too long%s", text, "");
    snprintf(out->text, sizeof out->text, "%s", text);
    const char *p = text;
    if (*p++ != 'w' || parse_weight(&p, &out->q.w) != 0)
        return fail_at(o, d, "'%s': expected wBITS first (w1..w8, w1.58 or "
                       "w16 for fp16)%s", text, "");
    if (*p++ != 'a')
        return fail_at(o, d, "'%s': expected aFMT after the weight bits "
                       "(a8, a16, afp16, abf16, afp8e4m3, ...)%s", text, "");
    char act[16];
    size_t n = 0;
    while (*p && *p != 'g' && *p != '-' && *p != ',' && n + 1 < sizeof act)
        act[n++] = *p++;
    act[n] = '\0';
    if (parse_act(act, &out->q.act) != 0)
        return fail_at(o, d, "'%s': unknown activation format 'a%s' (a4, a8, a16, "
                       "aint4, aint8, aint16, afp16, abf16, afp8e4m3, "
                       "afp8e5m2, afp32)",
                       text, act);
    if (out->q.w.kind == MP_W_FP16 && !mp_act_is_float(out->q.act))
        return fail_at(o, d, "'%s': fp16 weights (w16) need float "
                       "activations (a16, abf16, ...)%s", text, "");
    if (*p == 'g') {
        p++;
        int64_t g = read_uint(&p);
        if (g < 2)
            return fail_at(o, d, "'%s': group size after 'g' must be an integer "
                           ">= 2%s", text, "");
        out->q.group_size = (int)g;
        if (out->q.w.kind == MP_W_FP16)
            return fail_at(o, d, "'%s': fp16 weights (w16) have no group "
                           "scales, so no group size%s", text, "");
    }
    return parse_tail(p, out, o, text, d);
}

const char *mp_quant_name(const mp_quant *q, char *buf, int cap)
{
    char w[8], g[16] = "";
    if (q->w.kind == MP_W_TERNARY)
        snprintf(w, sizeof w, "1.58");
    else if (q->w.kind == MP_W_FP16)
        snprintf(w, sizeof w, "16");
    else
        snprintf(w, sizeof w, "%d", q->w.bits);
    if (q->group_size)
        snprintf(g, sizeof g, "g%d", q->group_size);
    snprintf(buf, (size_t)cap, "w%sa%s%s%s", w, mp_act_name(q->act), g,
             q->has_zeros ? "-asym" : "");
    return buf;
}

/* ---- overrides -------------------------------------------------------- */

static const char *const tensor_names[] = {
    "attn", "ffn", "q_proj", "k_proj", "v_proj", "o_proj", "gate_proj",
    "up_proj", "down_proj", "fc1", "fc2", "lm_head", "q_a_proj", "q_b_proj",
    "kv_a_proj", "kv_b_proj", "router", NULL,
};

static int known_tensor(const char *t)
{
    for (const char *const *n = tensor_names; *n; n++)
        if (!strcmp(*n, t))
            return 1;
    return 0;
}

static int is_attn(const char *t)
{
    static const char *const attn[] = {"q_proj", "k_proj", "v_proj",
        "o_proj", "q_a_proj", "q_b_proj", "kv_a_proj", "kv_b_proj", NULL};
    for (const char *const *n = attn; *n; n++)
        if (!strcmp(*n, t))
            return 1;
    return 0;
}

/* "layers.A-B[.TENSOR]", "layers.N[.TENSOR]" or "TENSOR". */
static int parse_selector(const char *sel, mp_quant_override *ov,
                          const mp_quant_origin *o, mp_diag *d)
{
    ov->layer_lo = ov->layer_hi = -1;
    const char *p = sel;
    if (!strncmp(p, "layers.", 7)) {
        p += 7;
        ov->layer_lo = read_uint(&p);
        ov->layer_hi = ov->layer_lo;
        if (*p == '-') {
            p++;
            ov->layer_hi = read_uint(&p);
        }
        if (ov->layer_lo < 0 || ov->layer_hi < ov->layer_lo)
            return fail_at(o, d, "selector '%s': expected layers.N or layers.A-B "
                           "with A <= B%s", sel, "");
        if (*p == '.')
            p++;
        else if (*p)
            return fail_at(o, d, "selector '%s': unexpected '%s'", sel, p);
    }
    if (strlen(p) >= sizeof ov->tensor || (*p && !known_tensor(p)))
        return fail_at(o, d, "selector '%s': unknown tensor '%s' (attn, ffn, "
                       "q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, "
                       "down_proj, fc1, fc2, lm_head, q_a_proj, q_b_proj, "
                       "kv_a_proj, kv_b_proj, router)", sel, p);
    if (!strcmp(p, "lm_head") && ov->layer_lo >= 0)
        return fail_at(o, d, "selector '%s': lm_head is not part of a layer%s",
                       sel, "");
    if (!*p && ov->layer_lo < 0)
        return fail_at(o, d, "empty selector in '%s'%s", sel, "");
    snprintf(ov->tensor, sizeof ov->tensor, "%s", p);
    return 0;
}

static int add_override(mp_quant_config *c, const char *selector,
                        const char *scheme, const mp_quant_origin *o,
                        mp_diag *d)
{
    if (c->n_overrides >= MP_QUANT_MAX_OVERRIDES)
        return fail_at(o, d, "more than %s overrides%s", "64", "");
    mp_quant_override *ov = &c->overrides[c->n_overrides];
    memset(ov, 0, sizeof *ov);
    ov->origin = *o;
    if (parse_selector(selector, ov, o, d) != 0)
        return -1;
    if (mp_quant_parse(scheme, &ov->scheme, o, d) != 0)
        return -1;
    int covers_attn = !ov->tensor[0] || !strcmp(ov->tensor, "attn");
    if (ov->scheme.kv_bits && !covers_attn)
        return fail_at(o, d, "'%s': KV cache bits need a selector covering "
                       "attention (layers.N or layers.N.attn or attn), not "
                       "'%s'", scheme, ov->tensor);
    c->n_overrides++;
    return 0;
}

int mp_quant_config_init(mp_quant_config *c, const char *scheme,
                         const mp_quant_origin *o, mp_diag *d)
{
    memset(c, 0, sizeof *c);
    c->base_origin = *o;
    return mp_quant_parse(scheme, &c->base, o, d);
}

int mp_quant_config_add_override(mp_quant_config *c, const char *text,
                                 const mp_quant_origin *o, mp_diag *d)
{
    const char *eq = text ? strchr(text, '=') : NULL;
    if (!eq || eq == text || !eq[1])
        return fail_at(o, d, "'%s': expected SELECTOR=SCHEME, e.g. "
                       "layers.0-1=w8a8 or lm_head=w8a16%s", text ? text : "", "");
    char selector[64];
    size_t n = (size_t)(eq - text);
    if (n >= sizeof selector)
        return fail_at(o, d, "selector '%.40s...' too long%s", text, "");
    memcpy(selector, text, n);
    selector[n] = '\0';
    return add_override(c, selector, eq + 1, o, d);
}

int mp_quant_config_load(const char *path, mp_quant_config *c, mp_diag *d)
{
    static const char *const keys[] = {"scheme", "overrides", NULL};
    mp_yaml y;
    if (mp_yaml_load(path, &y, d) != 0)
        return -1;
    int rc = -1;
    yaml_node_t *root = mp_yaml_root_map(&y, d);
    if (!root || mp_yaml_check_keys(&y, root, "", keys, d) != 0)
        goto out;
    char scheme[64];
    if (mp_yaml_string(&y, root, "", "scheme", MP_YAML_REQUIRED, scheme,
                       sizeof scheme, d) != 0)
        goto out;
    mp_quant_origin o = {.line = mp_yaml_line(mp_yaml_get(&y, root, "scheme"))};
    snprintf(o.file, sizeof o.file, "%s", path);
    snprintf(o.field, sizeof o.field, "scheme");
    if (mp_quant_config_init(c, scheme, &o, d) != 0)
        goto out;
    yaml_node_t *ovs = mp_yaml_get(&y, root, "overrides");
    if (ovs && !mp_yaml_want_map(&y, ovs, "overrides", d))
        goto out;
    for (size_t i = 0; i < mp_yaml_map_len(ovs); i++) {
        const char *sel = mp_yaml_map_key(&y, ovs, i);
        yaml_node_t *val = mp_yaml_map_value(&y, ovs, i);
        snprintf(o.field, sizeof o.field, "overrides.%s", sel ? sel : "?");
        o.line = mp_yaml_line(val);
        const char *text = mp_yaml_scalar(val);
        if (!sel || !text) {
            mp_fail(d, o.file, o.line, o.field, "expected SELECTOR: SCHEME");
            goto out;
        }
        if (add_override(c, sel, text, &o, d) != 0)
            goto out;
    }
    rc = 0;
out:
    mp_yaml_free(&y);
    return rc;
}

/* ---- resolution ------------------------------------------------------- */

int mp_quant_override_matches(const mp_quant_override *o, int64_t layer,
                              const char *tensor)
{
    if (!strcmp(tensor, "lm_head"))
        return !strcmp(o->tensor, "lm_head");
    if (o->layer_lo >= 0 && (layer < o->layer_lo || layer > o->layer_hi))
        return 0;
    if (!o->tensor[0] || !strcmp(o->tensor, tensor))
        return 1;
    if (!strcmp(o->tensor, "attn"))
        return is_attn(tensor);
    if (!strcmp(o->tensor, "ffn"))
        return !is_attn(tensor) && strcmp(tensor, "lm_head") != 0;
    return 0;
}

const mp_quant_scheme *mp_quant_resolve(const mp_quant_config *c,
                                        int64_t layer, const char *tensor,
                                        const mp_quant_origin **origin)
{
    for (int i = c->n_overrides - 1; i >= 0; i--)
        if (mp_quant_override_matches(&c->overrides[i], layer, tensor)) {
            if (origin)
                *origin = &c->overrides[i].origin;
            return &c->overrides[i].scheme;
        }
    if (origin)
        *origin = &c->base_origin;
    return &c->base;
}

int mp_quant_kv_bits(const mp_quant_config *c, int64_t layer)
{
    for (int i = c->n_overrides - 1; i >= 0; i--) {
        const mp_quant_override *o = &c->overrides[i];
        if (o->scheme.kv_bits && mp_quant_override_matches(o, layer, "q_proj"))
            return o->scheme.kv_bits;
    }
    if (c->base.kv_bits)
        return c->base.kv_bits;
    /* No kvNN given: an integer-activation layer keeps an 8-bit integer
     * cache, so W8A8/W4A8 attention runs on integer arrays as it does on
     * INT8 accelerators; float activations keep an FP16 cache. */
    mp_act_fmt act = mp_quant_resolve(c, layer, "q_proj", NULL)->q.act;
    return mp_act_is_float(act) ? 16 : 8;
}

int mp_quant_config_check_layers(const mp_quant_config *c, int64_t n_layers,
                                 mp_diag *d)
{
    for (int i = 0; i < c->n_overrides; i++) {
        const mp_quant_override *o = &c->overrides[i];
        if (o->layer_hi >= n_layers) {
            char hi[24], n[24];
            snprintf(hi, sizeof hi, "%lld", (long long)o->layer_hi);
            snprintf(n, sizeof n, "%lld", (long long)n_layers);
            return fail_at(&o->origin, d, "layer %s does not exist (the model "
                           "has %s layers, numbered from 0)", hi, n);
        }
    }
    return 0;
}
