/* yaml_doc.c - see yaml_doc.h. */
#include "workloads/yaml_doc.h"

#include "golden/decimal.h"
#include "golden/infile.h"
#include "golden/suggest.h"

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

/* ---- loading: syntax checks before the document is built --------------- */

/* One pass over the event stream, before libyaml builds the document:
 * nesting deeper than MP_YAML_DEPTH_MAX stops it at once (libyaml's scanner
 * is quadratic in the nesting depth), a second document or anything after
 * the first (garbage after a JSON object) is an error, and so is malformed
 * text anywhere in the file (yaml_parser_load alone stops after the first
 * document and never looks at the rest). */
static int check_stream(const char *text, size_t len, const char *name,
                        mp_diag *d)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return mp_fail(d, name, 0, "yaml", "out of memory");
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    int depth = 0, docs = 0, ended = 0, rc = 0, done = 0;
    while (!done && rc == 0) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev)) {
            rc = mp_fail(d, name, (int)p.problem_mark.line + 1, "yaml",
                         ended ? "data after the end of the document"
                               : "malformed YAML: %s",
                         p.problem ? p.problem : "parse error");
            break;
        }
        int line = (int)ev.start_mark.line + 1;
        switch (ev.type) {
        case YAML_DOCUMENT_START_EVENT:
            if (++docs > 1)
                rc = mp_fail(d, name, line, "yaml", "a second document "
                             "(or data after the first); one is expected");
            break;
        case YAML_DOCUMENT_END_EVENT:
            ended = 1;
            break;
        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
            if (++depth > MP_YAML_DEPTH_MAX)
                rc = mp_fail(d, name, line, "yaml", "nested deeper than %d "
                             "levels", MP_YAML_DEPTH_MAX);
            break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
            depth--;
            break;
        case YAML_ALIAS_EVENT:
            /* an alias repeats a subtree: a few bytes could stand for
             * gigabytes, and no mpsim file needs one */
            rc = mp_fail(d, name, line, "yaml", "aliases (*name) are not "
                         "accepted");
            break;
        case YAML_STREAM_END_EVENT:
            done = 1;
            break;
        default:
            break;
        }
        yaml_event_delete(&ev);
    }
    yaml_parser_delete(&p);
    return rc;
}

static int key_order(const void *a, const void *b)
{
    const yaml_node_t *const *x = a, *const *y = b;
    int c = strcmp((const char *)(*x)->data.scalar.value,
                   (const char *)(*y)->data.scalar.value);
    if (c)
        return c;
    return (*x > *y) - (*x < *y); /* nodes are stored in document order */
}

/* The keys of one mapping must be scalars and distinct: libyaml keeps
 * both of a duplicate, and a getter would silently take the first. */
static int unique_keys(mp_yaml *y, yaml_node_t *map, const char *path,
                       mp_diag *d)
{
    size_t n = mp_yaml_map_len(map), k = 0;
    if (n == 0)
        return 0;
    yaml_node_t **keys = malloc(n * sizeof *keys);
    if (!keys)
        return mp_fail(d, y->file, mp_yaml_line(map), path, "out of memory");
    int rc = 0;
    for (size_t i = 0; i < n && !rc; i++) {
        yaml_node_pair_t *pair = map->data.mapping.pairs.start + i;
        yaml_node_t *key = yaml_document_get_node(&y->doc, pair->key);
        if (key && key->type == YAML_SCALAR_NODE)
            keys[k++] = key;
        else /* readers compare keys as strings; JSON's are */
            rc = mp_yaml_fail(y, d, key ? key : map, path,
                              path[0] ? "" : "yaml",
                              "a key must be a scalar, not a %s",
                              key && key->type == YAML_MAPPING_NODE
                                  ? "mapping" : "sequence");
    }
    qsort(keys, k, sizeof *keys, key_order);
    for (size_t i = 1; i < k && !rc; i++)
        if (!strcmp((const char *)keys[i - 1]->data.scalar.value,
                    (const char *)keys[i]->data.scalar.value))
            rc = mp_yaml_fail(y, d, keys[i], path,
                              (const char *)keys[i]->data.scalar.value,
                              "duplicate key (first on line %d)",
                              mp_yaml_line(keys[i - 1]));
    free(keys);
    return rc;
}

/* Walk the tree (at most MP_YAML_DEPTH_MAX deep, no aliases: check_stream)
 * checking every mapping; `path` names the node as the getters do. */
static int check_duplicates(mp_yaml *y, yaml_node_t *node, const char *path,
                            mp_diag *d)
{
    char sub[MP_DIAG_FIELD_MAX];
    if (node->type == YAML_SEQUENCE_NODE) {
        for (size_t i = 0; i < mp_yaml_seq_len(node); i++) {
            snprintf(sub, sizeof sub, "%s[%zu]", path, i);
            if (check_duplicates(y, mp_yaml_seq_at(y, node, i), sub, d))
                return -1;
        }
        return 0;
    }
    if (node->type != YAML_MAPPING_NODE)
        return 0;
    if (unique_keys(y, node, path, d))
        return -1;
    for (size_t i = 0; i < mp_yaml_map_len(node); i++) {
        const char *k = mp_yaml_map_key(y, node, i);
        field_path(sub, sizeof sub, path, k ? k : "?");
        if (check_duplicates(y, mp_yaml_map_value(y, node, i), sub, d))
            return -1;
    }
    return 0;
}

static int parse(const char *text, size_t len, const char *name, mp_yaml *y,
                 mp_diag *d)
{
    memset(y, 0, sizeof *y);
    snprintf(y->file, sizeof y->file, "%s", name);
    if (len > (size_t)MP_TEXT_MAX_BYTES)
        return mp_fail(d, name, 0, "yaml", "text of %zu bytes is larger "
                       "than the limit of %ld bytes", len, MP_TEXT_MAX_BYTES);
    if (check_stream(text, len, name, d))
        return -1;
    yaml_parser_t parser;
    if (!yaml_parser_initialize(&parser))
        return mp_fail(d, name, 0, "yaml", "out of memory");
    yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
    if (!yaml_parser_load(&parser, &y->doc)) {
        int line = (int)parser.problem_mark.line + 1;
        int rc = mp_fail(d, name, line, "yaml", "malformed YAML: %s",
                         parser.problem ? parser.problem : "parse error");
        yaml_parser_delete(&parser);
        return rc;
    }
    yaml_parser_delete(&parser);
    y->loaded = 1;
    if (!yaml_document_get_root_node(&y->doc)) {
        mp_yaml_free(y);
        return mp_fail(d, name, 1, "yaml", "empty document");
    }
    if (check_duplicates(y, yaml_document_get_root_node(&y->doc), "", d)) {
        mp_yaml_free(y);
        return -1;
    }
    return 0;
}

int mp_yaml_load(const char *path, mp_yaml *y, mp_diag *d)
{
    memset(y, 0, sizeof *y);
    char *text;
    size_t len;
    if (mp_in_slurp(path, MP_TEXT_MAX_BYTES, "file", &text, &len, d))
        return -1;
    int rc = parse(text, len, path, y, d);
    free(text);
    return rc;
}

int mp_yaml_load_string(const char *text, size_t len, const char *name,
                        mp_yaml *y, mp_diag *d)
{
    return parse(text, len, name, y, d);
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
    const char *text = NULL;
    yaml_node_t *node;
    int found = lookup_scalar(y, map, prefix, key, required, &text, &node, d);
    if (found <= 0)
        return found;
    int64_t v = 0;
    int rc = mp_parse_i64(text, lo, hi, &v);
    if (rc == MP_NUM_SYNTAX)
        return mp_yaml_fail(y, d, node, prefix, key, "expected a decimal "
                            "integer, got '%s'", text);
    if (rc == MP_NUM_RANGE)
        return mp_yaml_fail(y, d, node, prefix, key,
                            "must be in %lld..%lld, got %lld", (long long)lo,
                            (long long)hi, (long long)v);
    *out = v;
    return 0;
}

int mp_yaml_double(mp_yaml *y, yaml_node_t *map, const char *prefix,
                   const char *key, int required, double lo, double hi,
                   double *out, mp_diag *d)
{
    const char *text = NULL;
    yaml_node_t *node;
    int found = lookup_scalar(y, map, prefix, key, required, &text, &node, d);
    if (found <= 0)
        return found;
    double v = 0;
    int rc = mp_parse_real(text, lo, hi, &v);
    if (rc == MP_NUM_SYNTAX)
        return mp_yaml_fail(y, d, node, prefix, key, "expected a number, got '%s'", text);
    if (rc == MP_NUM_RANGE)
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
        if (!known) {
            char field[MP_DIAG_FIELD_MAX];
            field_path(field, sizeof field, prefix, k);
            return mp_fail_unknown(d, y->file, mp_yaml_line(key_node), field,
                                   k, allowed);
        }
    }
    return 0;
}
