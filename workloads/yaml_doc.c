/* yaml_doc.c - see yaml_doc.h. */
#include "workloads/yaml_doc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void field_path(char *buf, size_t cap, const char *prefix,
                       const char *key)
{
    if (prefix && prefix[0] && key && key[0])
        snprintf(buf, cap, "%s.%s", prefix, key);
    else
        snprintf(buf, cap, "%s", (key && key[0]) ? key : (prefix ? prefix : ""));
}

int mp_yaml_fail(mp_yaml *y, mp_diag *d, const yaml_node_t *node,
                 const char *prefix, const char *key, const char *fmt, ...)
{
    char field[MP_DIAG_FIELD_MAX];
    char msg[MP_DIAG_MSG_MAX];
    field_path(field, sizeof field, prefix, key);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return mp_fail(d, y->file, node ? mp_yaml_line(node) : 0, field,
                   "%s", msg);
}

static int parse(yaml_parser_t *parser, const char *name, mp_yaml *y,
                 mp_diag *d)
{
    snprintf(y->file, sizeof y->file, "%s", name);
    if (!yaml_parser_load(parser, &y->doc)) {
        int line = (int)parser->problem_mark.line + 1;
        int rc = mp_fail(d, name, line, "yaml", "malformed YAML: %s",
                         parser->problem ? parser->problem : "parse error");
        yaml_parser_delete(parser);
        return rc;
    }
    yaml_parser_delete(parser);
    y->loaded = 1;
    if (!yaml_document_get_root_node(&y->doc)) {
        mp_yaml_free(y);
        return mp_fail(d, name, 1, "yaml", "empty document");
    }
    return 0;
}

int mp_yaml_load(const char *path, mp_yaml *y, mp_diag *d)
{
    memset(y, 0, sizeof *y);
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return mp_fail(d, path, 0, "file", "cannot read: %s", strerror(errno));
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser)) {
        fclose(fp);
        return mp_fail(d, path, 0, "yaml", "out of memory");
    }
    yaml_parser_set_input_file(&parser, fp);
    int rc = parse(&parser, path, y, d);
    fclose(fp);
    return rc;
}

int mp_yaml_load_string(const char *text, size_t len, const char *name,
                        mp_yaml *y, mp_diag *d)
{
    memset(y, 0, sizeof *y);
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return mp_fail(d, name, 0, "yaml", "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    return parse(&parser, name, y, d);
}

void mp_yaml_free(mp_yaml *y)
{
    if (y->loaded)
        yaml_document_delete(&y->doc);
    y->loaded = 0;
}

int mp_yaml_line(const yaml_node_t *node)
{
    return (int)node->start_mark.line + 1;
}

yaml_node_t *mp_yaml_root_map(mp_yaml *y, mp_diag *d)
{
    yaml_node_t *root = yaml_document_get_root_node(&y->doc);
    return mp_yaml_want_map(y, root, "", d);
}

const char *mp_yaml_scalar(const yaml_node_t *node)
{
    if (!node || node->type != YAML_SCALAR_NODE)
        return NULL;
    return (const char *)node->data.scalar.value;
}

size_t mp_yaml_map_len(const yaml_node_t *map)
{
    if (!map || map->type != YAML_MAPPING_NODE)
        return 0;
    return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

const char *mp_yaml_map_key(mp_yaml *y, yaml_node_t *map, size_t i)
{
    yaml_node_pair_t *pair = map->data.mapping.pairs.start + i;
    return mp_yaml_scalar(yaml_document_get_node(&y->doc, pair->key));
}

yaml_node_t *mp_yaml_map_value(mp_yaml *y, yaml_node_t *map, size_t i)
{
    yaml_node_pair_t *pair = map->data.mapping.pairs.start + i;
    return yaml_document_get_node(&y->doc, pair->value);
}

size_t mp_yaml_seq_len(const yaml_node_t *seq)
{
    if (!seq || seq->type != YAML_SEQUENCE_NODE)
        return 0;
    return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

yaml_node_t *mp_yaml_seq_at(mp_yaml *y, yaml_node_t *seq, size_t i)
{
    return yaml_document_get_node(&y->doc, seq->data.sequence.items.start[i]);
}

yaml_node_t *mp_yaml_get(mp_yaml *y, yaml_node_t *map, const char *key)
{
    size_t n = mp_yaml_map_len(map);
    for (size_t i = 0; i < n; i++) {
        const char *k = mp_yaml_map_key(y, map, i);
        if (k && strcmp(k, key) == 0)
            return mp_yaml_map_value(y, map, i);
    }
    return NULL;
}

yaml_node_t *mp_yaml_want_map(mp_yaml *y, yaml_node_t *node,
                              const char *path, mp_diag *d)
{
    if (node && node->type == YAML_MAPPING_NODE)
        return node;
    mp_yaml_fail(y, d, node, path, "", "expected a mapping");
    return NULL;
}

yaml_node_t *mp_yaml_want_seq(mp_yaml *y, yaml_node_t *node,
                              const char *path, mp_diag *d)
{
    if (node && node->type == YAML_SEQUENCE_NODE)
        return node;
    mp_yaml_fail(y, d, node, path, "", "expected a sequence");
    return NULL;
}

/* Find the scalar for key: 1 found, 0 absent (ok unless required), -1 bad. */
static int lookup_scalar(mp_yaml *y, yaml_node_t *map, const char *prefix,
                         const char *key, int required, const char **text,
                         yaml_node_t **node, mp_diag *d)
{
    *node = mp_yaml_get(y, map, key);
    if (!*node) {
        if (required)
            return mp_yaml_fail(y, d, map, prefix, key, "missing required key");
        return 0;
    }
    *text = mp_yaml_scalar(*node);
    if (!*text || !(*text)[0])
        return mp_yaml_fail(y, d, *node, prefix, key, "expected a scalar value");
    return 1;
}

int mp_yaml_int(mp_yaml *y, yaml_node_t *map, const char *prefix,
                const char *key, int required, int64_t lo, int64_t hi,
                int64_t *out, mp_diag *d)
{
    const char *text;
    yaml_node_t *node;
    int found = lookup_scalar(y, map, prefix, key, required, &text, &node, d);
    if (found <= 0)
        return found;
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 0);
    if (errno || *end)
        return mp_yaml_fail(y, d, node, prefix, key, "expected an integer, got '%s'", text);
    if (v < lo || v > hi)
        return mp_yaml_fail(y, d, node, prefix, key,
                            "must be in %lld..%lld, got %lld", (long long)lo,
                            (long long)hi, v);
    *out = v;
    return 0;
}

int mp_yaml_double(mp_yaml *y, yaml_node_t *map, const char *prefix,
                   const char *key, int required, double lo, double hi,
                   double *out, mp_diag *d)
{
    const char *text;
    yaml_node_t *node;
    int found = lookup_scalar(y, map, prefix, key, required, &text, &node, d);
    if (found <= 0)
        return found;
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (errno || *end || !isfinite(v))
        return mp_yaml_fail(y, d, node, prefix, key, "expected a number, got '%s'", text);
    if (v < lo || v > hi)
        return mp_yaml_fail(y, d, node, prefix, key, "must be in %g..%g, got %g",
                            lo, hi, v);
    *out = v;
    return 0;
}

int mp_yaml_bool(mp_yaml *y, yaml_node_t *map, const char *prefix,
                 const char *key, int required, int *out, mp_diag *d)
{
    const char *text;
    yaml_node_t *node;
    int found = lookup_scalar(y, map, prefix, key, required, &text, &node, d);
    if (found <= 0)
        return found;
    if (!strcmp(text, "true") || !strcmp(text, "yes") || !strcmp(text, "on")) {
        *out = 1;
        return 0;
    }
    if (!strcmp(text, "false") || !strcmp(text, "no") || !strcmp(text, "off")) {
        *out = 0;
        return 0;
    }
    return mp_yaml_fail(y, d, node, prefix, key, "expected true or false, got '%s'", text);
}

int mp_yaml_string(mp_yaml *y, yaml_node_t *map, const char *prefix,
                   const char *key, int required, char *out, size_t cap,
                   mp_diag *d)
{
    const char *text;
    yaml_node_t *node;
    int found = lookup_scalar(y, map, prefix, key, required, &text, &node, d);
    if (found <= 0)
        return found;
    if (strlen(text) >= cap)
        return mp_yaml_fail(y, d, node, prefix, key, "longer than %zu characters",
                            cap - 1);
    memcpy(out, text, strlen(text) + 1);
    return 0;
}

int mp_yaml_check_keys(mp_yaml *y, yaml_node_t *map, const char *prefix,
                       const char *const *allowed, mp_diag *d)
{
    size_t n = mp_yaml_map_len(map);
    for (size_t i = 0; i < n; i++) {
        const char *k = mp_yaml_map_key(y, map, i);
        yaml_node_pair_t *pair = map->data.mapping.pairs.start + i;
        yaml_node_t *key_node = yaml_document_get_node(&y->doc, pair->key);
        if (!k)
            return mp_yaml_fail(y, d, key_node, prefix, "", "keys must be scalars");
        int known = 0;
        for (const char *const *a = allowed; *a; a++)
            if (!strcmp(*a, k))
                known = 1;
        if (!known)
            return mp_yaml_fail(y, d, key_node, prefix, k, "unknown key");
    }
    return 0;
}
