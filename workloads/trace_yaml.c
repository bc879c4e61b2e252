/*
 * trace_yaml.c - trace files: written with libyaml's emitter (one flow
 * mapping per op, so a file reads as a table), read back with the typed
 * getters of yaml_doc.h.  Doubles are written with 17 significant digits,
 * so write-then-read gives bit-identical ops.
 */
#include "workloads/trace.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <yaml.h>

#include "golden/outfile.h"
#include "workloads/scalesim_topo.h"
#include "workloads/yaml_doc.h"

#define TRACE_FORMAT "mpsim-trace-1"

static const char *const kind_names[] = {"gemm_weight", "gemm_act", "vector"};

/* ---- writing ---------------------------------------------------------- */

typedef struct writer {
    yaml_emitter_t em;
    int ok;
} writer;

static void emit(writer *w, yaml_event_t *ev)
{
    if (w->ok && !yaml_emitter_emit(&w->em, ev))
        w->ok = 0;
}

static void scalar(writer *w, const char *text)
{
    yaml_event_t ev;
    yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)text,
                                 (int)strlen(text), 1, 1,
                                 YAML_ANY_SCALAR_STYLE);
    emit(w, &ev);
}

static void kv_str(writer *w, const char *key, const char *value)
{
    scalar(w, key);
    scalar(w, value);
}

static void kv_int(writer *w, const char *key, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%" PRId64, v);
    kv_str(w, key, buf);
}

static void kv_double(writer *w, const char *key, double v)
{
    char buf[40];
    snprintf(buf, sizeof buf, "%.17g", v);
    kv_str(w, key, buf);
}

static void map_start(writer *w, yaml_mapping_style_t style)
{
    yaml_event_t ev;
    yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1, style);
    emit(w, &ev);
}

static void map_end(writer *w)
{
    yaml_event_t ev;
    yaml_mapping_end_event_initialize(&ev);
    emit(w, &ev);
}

static void write_op(writer *w, const mp_trace_op *op)
{
    char wname[16];
    map_start(w, YAML_FLOW_MAPPING_STYLE);
    kv_str(w, "name", op->name);
    kv_str(w, "kind", kind_names[op->kind]);
    if (op->layers[0]) /* empty scalars are not values to yaml_doc */
        kv_str(w, "layers", op->layers);
    kv_int(w, "m", op->m);
    if (op->kind != MP_OP_VECTOR) {
        kv_int(w, "n", op->n);
        kv_int(w, "k", op->k);
    }
    kv_int(w, "repeat", op->repeat);
    switch (op->kind) {
    case MP_OP_GEMM_WEIGHT:
        kv_str(w, "act", mp_act_name(op->act));
        kv_str(w, "weight", mp_wfmt_name(op->wfmt, wname, sizeof wname));
        kv_int(w, "group_size", op->group_size);
        kv_str(w, "zeros", op->has_zeros ? "true" : "false");
        if (op->experts > 0)
            kv_double(w, "experts", op->experts);
        if (op->stored > 0)
            kv_int(w, "stored", op->stored);
        break;
    case MP_OP_GEMM_ACT:
        kv_str(w, "act", mp_act_name(op->act));
        kv_int(w, "b_bits", op->b_bits);
        break;
    case MP_OP_VECTOR:
        kv_str(w, "vec_op", op->vec_op);
        kv_double(w, "ops_per_element", op->ops_per_element);
        break;
    }
    map_end(w);
}

static int write_handler(void *data, unsigned char *buf, size_t size)
{
    return fwrite(buf, 1, size, (FILE *)data) == size;
}

int mp_trace_write(const mp_trace *t, FILE *fp, mp_diag *d)
{
    writer w = {.ok = 1};
    if (!yaml_emitter_initialize(&w.em))
        return mp_fail(d, "<memory>", 0, "trace", "out of memory");
    yaml_emitter_set_output(&w.em, write_handler, fp);
    yaml_emitter_set_width(&w.em, -1);
    yaml_emitter_set_unicode(&w.em, 1);
    yaml_event_t ev;
    yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING);
    emit(&w, &ev);
    yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1);
    emit(&w, &ev);
    map_start(&w, YAML_BLOCK_MAPPING_STYLE);
    kv_str(&w, "format", TRACE_FORMAT);
    kv_str(&w, "model", t->model);
    kv_str(&w, "phase", t->phase);
    kv_int(&w, "seq", t->seq);
    kv_int(&w, "batch", t->batch);
    kv_int(&w, "decode_steps", t->decode_steps);
    kv_int(&w, "tokens_in", t->tokens_in);
    kv_int(&w, "tokens_out", t->tokens_out);
    if (t->kv_cache_bytes > 0)
        kv_double(&w, "kv_cache_bytes", t->kv_cache_bytes);
    if (t->activation_bytes > 0)
        kv_double(&w, "activation_bytes", t->activation_bytes);
    if (t->table_bytes > 0)
        kv_double(&w, "table_bytes", t->table_bytes);
    kv_str(&w, "quant", t->quant);
    scalar(&w, "ops");
    yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
                                         YAML_BLOCK_SEQUENCE_STYLE);
    emit(&w, &ev);
    for (size_t i = 0; i < t->count; i++)
        write_op(&w, &t->ops[i]);
    yaml_sequence_end_event_initialize(&ev);
    emit(&w, &ev);
    map_end(&w);
    yaml_document_end_event_initialize(&ev, 1);
    emit(&w, &ev);
    yaml_stream_end_event_initialize(&ev);
    emit(&w, &ev);
    if (w.ok && !yaml_emitter_flush(&w.em))
        w.ok = 0;
    yaml_emitter_delete(&w.em);
    if (!w.ok)
        return mp_fail(d, "<output>", 0, "trace", "cannot write the trace");
    return 0;
}

int mp_trace_save(const mp_trace *t, const char *path, mp_diag *d)
{
    mp_outfile of;
    if (mp_out_open(&of, path, d) != 0)
        return -1;
    if (mp_trace_write(t, of.fp, d) != 0) {
        mp_out_abort(&of);
        return -1;
    }
    return mp_out_commit(&of, d);
}

/* ---- reading ---------------------------------------------------------- */

static int read_kind(mp_yaml *y, yaml_node_t *map, const char *prefix,
                     mp_op_kind *out, mp_diag *d)
{
    char text[16];
    if (mp_yaml_string(y, map, prefix, "kind", MP_YAML_REQUIRED, text,
                       sizeof text, d) != 0)
        return -1;
    for (int i = 0; i < 3; i++)
        if (!strcmp(text, kind_names[i])) {
            *out = (mp_op_kind)i;
            return 0;
        }
    return mp_yaml_fail(y, d, mp_yaml_get(y, map, "kind"), prefix, "kind",
                        "unknown op kind '%s' (gemm_weight, gemm_act, vector)",
                        text);
}

static int read_act(mp_yaml *y, yaml_node_t *map, const char *prefix,
                    mp_trace_op *op, mp_diag *d)
{
    char text[16];
    if (mp_yaml_string(y, map, prefix, "act", MP_YAML_REQUIRED, text,
                       sizeof text, d) != 0)
        return -1;
    if (mp_act_parse(text, &op->act) != 0)
        return mp_yaml_fail(y, d, mp_yaml_get(y, map, "act"), prefix, "act",
                            "unknown activation format '%s'", text);
    return 0;
}

static int read_weight_fields(mp_yaml *y, yaml_node_t *map, const char *prefix,
                              mp_trace_op *op, mp_diag *d)
{
    static const char *const keys[] = {"name", "kind", "layers", "m", "n",
        "k", "repeat", "act", "weight", "group_size", "zeros", "experts",
        "stored", NULL};
    char text[16];
    int64_t g = 0;
    if (mp_yaml_check_keys(y, map, prefix, keys, d) != 0 ||
        read_act(y, map, prefix, op, d) != 0 ||
        mp_yaml_string(y, map, prefix, "weight", MP_YAML_REQUIRED, text,
                       sizeof text, d) != 0)
        return -1;
    if (mp_wfmt_parse(text, &op->wfmt) != 0)
        return mp_yaml_fail(y, d, mp_yaml_get(y, map, "weight"), prefix,
                            "weight", "unknown weight format '%s' (int1..int8, "
                            "uint1..uint8, ternary)", text);
    /* group_size is an int in mp_trace_op: a larger group is refused here
     * rather than truncated (it would overflow any group accumulator). */
    int64_t group_max = op->k < INT_MAX ? op->k : INT_MAX;
    if (mp_yaml_int(y, map, prefix, "group_size", MP_YAML_REQUIRED, 1,
                    group_max, &g, d) != 0 ||
        mp_yaml_bool(y, map, prefix, "zeros", MP_YAML_REQUIRED, &op->has_zeros,
                     d) != 0 ||
        mp_yaml_double(y, map, prefix, "experts", MP_YAML_OPTIONAL, 1.0,
                       (double)op->m, &op->experts, d) != 0 ||
        mp_yaml_int(y, map, prefix, "stored", MP_YAML_OPTIONAL, 1,
                    INT64_C(1) << 40, &op->stored, d) != 0)
        return -1;
    if (op->k % g != 0)
        return mp_yaml_fail(y, d, mp_yaml_get(y, map, "group_size"), prefix,
                            "group_size", "%" PRId64 " does not divide k = %"
                            PRId64, g, op->k);
    op->group_size = (int)g;
    return 0;
}

static int read_act_fields(mp_yaml *y, yaml_node_t *map, const char *prefix,
                           mp_trace_op *op, mp_diag *d)
{
    static const char *const keys[] = {"name", "kind", "layers", "m", "n",
        "k", "repeat", "act", "b_bits", NULL};
    int64_t b = 0;
    if (mp_yaml_check_keys(y, map, prefix, keys, d) != 0 ||
        read_act(y, map, prefix, op, d) != 0 ||
        mp_yaml_int(y, map, prefix, "b_bits", MP_YAML_REQUIRED, 1, 32, &b,
                    d) != 0)
        return -1;
    op->b_bits = (int)b;
    return 0;
}

static int read_vector_fields(mp_yaml *y, yaml_node_t *map,
                              const char *prefix, mp_trace_op *op, mp_diag *d)
{
    static const char *const keys[] = {"name", "kind", "layers", "m",
        "repeat", "vec_op", "ops_per_element", NULL};
    op->n = op->k = 1;
    return mp_yaml_check_keys(y, map, prefix, keys, d) != 0 ||
                   mp_yaml_string(y, map, prefix, "vec_op", MP_YAML_REQUIRED,
                                  op->vec_op, sizeof op->vec_op, d) != 0 ||
                   mp_yaml_double(y, map, prefix, "ops_per_element",
                                  MP_YAML_REQUIRED, 0.0, 1e6,
                                  &op->ops_per_element, d) != 0
               ? -1
               : 0;
}

/* Shapes: positive, and m*n*k*repeat must fit in int64. */
static int read_shape(mp_yaml *y, yaml_node_t *map, const char *prefix,
                      mp_trace_op *op, mp_diag *d)
{
    const int64_t big = INT64_C(1) << 40;
    int gemm = op->kind != MP_OP_VECTOR;
    if (mp_yaml_int(y, map, prefix, "m", 1, 1, big, &op->m, d) ||
        (gemm && mp_yaml_int(y, map, prefix, "n", 1, 1, big, &op->n, d)) ||
        (gemm && mp_yaml_int(y, map, prefix, "k", 1, 1, big, &op->k, d)) ||
        mp_yaml_int(y, map, prefix, "repeat", 1, 1, big, &op->repeat, d))
        return -1;
    int64_t p;
    if (__builtin_mul_overflow(op->m, gemm ? op->n : 1, &p) ||
        __builtin_mul_overflow(p, gemm ? op->k : 1, &p) ||
        __builtin_mul_overflow(p, op->repeat, &p))
        return mp_yaml_fail(y, d, map, prefix, "repeat",
                            "m x n x k x repeat overflows 64 bits");
    return 0;
}

static int read_op(mp_yaml *y, yaml_node_t *node, size_t i, mp_trace_op *op,
                   mp_diag *d)
{
    char prefix[32];
    snprintf(prefix, sizeof prefix, "ops[%zu]", i);
    memset(op, 0, sizeof *op);
    yaml_node_t *map = mp_yaml_want_map(y, node, prefix, d);
    if (!map || read_kind(y, map, prefix, &op->kind, d) != 0 ||
        mp_yaml_string(y, map, prefix, "name", MP_YAML_REQUIRED, op->name,
                       sizeof op->name, d) != 0 ||
        mp_yaml_string(y, map, prefix, "layers", MP_YAML_OPTIONAL, op->layers,
                       sizeof op->layers, d) != 0 ||
        read_shape(y, map, prefix, op, d) != 0)
        return -1;
    switch (op->kind) {
    case MP_OP_GEMM_WEIGHT: return read_weight_fields(y, map, prefix, op, d);
    case MP_OP_GEMM_ACT: return read_act_fields(y, map, prefix, op, d);
    case MP_OP_VECTOR: return read_vector_fields(y, map, prefix, op, d);
    }
    return -1;
}

static int read_header(mp_yaml *y, yaml_node_t *r, mp_trace *t, mp_diag *d)
{
    static const char *const keys[] = {"format", "model", "phase", "seq",
        "batch", "decode_steps", "tokens_in", "tokens_out", "quant", "ops",
        "kv_cache_bytes", "activation_bytes", "table_bytes",
        NULL};
    static const char *const phases[] = {"prefill", "decode", "request",
                                         "topology", NULL};
    const int64_t big = INT64_C(1) << 40;
    char format[32];
    if (mp_yaml_check_keys(y, r, "", keys, d) != 0 ||
        mp_yaml_string(y, r, "", "format", MP_YAML_REQUIRED, format,
                       sizeof format, d) != 0)
        return -1;
    if (strcmp(format, TRACE_FORMAT) != 0)
        return mp_yaml_fail(y, d, mp_yaml_get(y, r, "format"), "", "format",
                            "expected '%s', got '%s'", TRACE_FORMAT, format);
    if (mp_yaml_string(y, r, "", "model", MP_YAML_REQUIRED, t->model,
                       sizeof t->model, d) ||
        mp_yaml_string(y, r, "", "phase", MP_YAML_REQUIRED, t->phase,
                       sizeof t->phase, d) ||
        mp_yaml_int(y, r, "", "seq", 1, 0, big, &t->seq, d) ||
        mp_yaml_int(y, r, "", "batch", 1, 0, big, &t->batch, d) ||
        mp_yaml_int(y, r, "", "decode_steps", 1, 0, big, &t->decode_steps, d) ||
        mp_yaml_int(y, r, "", "tokens_in", 1, 0, big, &t->tokens_in, d) ||
        mp_yaml_int(y, r, "", "tokens_out", 1, 0, big, &t->tokens_out, d) ||
        mp_yaml_string(y, r, "", "quant", MP_YAML_OPTIONAL, t->quant,
                       sizeof t->quant, d) ||
        mp_yaml_double(y, r, "", "kv_cache_bytes", 0, 0, 1e18,
                       &t->kv_cache_bytes, d) ||
        mp_yaml_double(y, r, "", "activation_bytes", 0, 0, 1e18,
                       &t->activation_bytes, d) ||
        mp_yaml_double(y, r, "", "table_bytes", 0, 0, 1e18, &t->table_bytes,
                       d))
        return -1;
    for (const char *const *p = phases; *p; p++)
        if (!strcmp(*p, t->phase))
            return 0;
    return mp_yaml_fail(y, d, mp_yaml_get(y, r, "phase"), "", "phase",
                        "unknown phase '%s' (prefill, decode, request, "
                        "topology)", t->phase);
}

int mp_trace_read(const char *path, mp_trace *t, mp_diag *d)
{
    mp_trace_init(t);
    mp_yaml y;
    if (mp_yaml_load(path, &y, d) != 0)
        return -1;
    int rc = -1;
    yaml_node_t *r = mp_yaml_root_map(&y, d);
    if (!r || read_header(&y, r, t, d) != 0)
        goto out;
    yaml_node_t *ops = mp_yaml_get(&y, r, "ops");
    if (!ops) {
        mp_yaml_fail(&y, d, r, "", "ops", "missing required key");
        goto out;
    }
    if (!mp_yaml_want_seq(&y, ops, "ops", d))
        goto out;
    if (mp_yaml_seq_len(ops) == 0) {
        mp_yaml_fail(&y, d, ops, "", "ops", "a trace needs at least one op");
        goto out;
    }
    for (size_t i = 0; i < mp_yaml_seq_len(ops); i++) {
        mp_trace_op op;
        if (read_op(&y, mp_yaml_seq_at(&y, ops, i), i, &op, d) != 0 ||
            mp_trace_add(t, &op, d) != 0)
            goto out;
    }
    rc = 0;
out:
    mp_yaml_free(&y);
    if (rc != 0)
        mp_trace_free(t);
    return rc;
}

int mp_trace_load(const char *path, mp_trace *out, mp_diag *d)
{
    size_t n = strlen(path);
    if (n > 4 && !strcmp(path + n - 4, ".csv"))
        return mp_scalesim_topo_read(path, out, d);
    return mp_trace_read(path, out, d);
}
