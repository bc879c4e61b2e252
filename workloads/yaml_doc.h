/*
 * yaml_doc.h - typed, diagnosed access to a YAML document (libyaml).
 *
 * Contract: mp_yaml_load() parses a whole file with libyaml's document API.
 * Getters look a key up in a mapping node and convert it, checking type and
 * range; on failure they fill the diag with the file, the 1-based line of the
 * offending node (or of the mapping, for a missing key) and the field path
 * (`prefix.key`), and return -1.  Absent optional keys leave *out untouched
 * and return 0.  mp_yaml_check_keys() rejects unknown keys (suggesting the
 * nearest known one), so typos in a config are errors rather than silently
 * ignored settings.
 *
 * Loading is strict for every reader alike (arch, tech, trace, model,
 * quant scheme, sweep, HF config.json, RTL params.json): a regular file of
 * at most MP_TEXT_MAX_BYTES, nesting at most MP_YAML_DEPTH_MAX deep, one
 * document and nothing after it, no aliases, no duplicate key in any
 * mapping.  Numbers are decimal (integers without leading zeros, so "010"
 * is an error rather than octal 8) and finite, inside the range the caller
 * documents for the field.
 */
#ifndef MP_YAML_DOC_H
#define MP_YAML_DOC_H

#include <stddef.h>
#include <stdint.h>
#include <yaml.h>
#include "golden/diag.h"

typedef struct mp_yaml {
    yaml_document_t doc;
    char file[MP_DIAG_FILE_MAX];
    int loaded;
} mp_yaml;

enum { MP_YAML_OPTIONAL = 0, MP_YAML_REQUIRED = 1 };

/* Deepest nesting of mappings/sequences accepted (mpsim's files use 4). */
#define MP_YAML_DEPTH_MAX 64


int mp_yaml_load(const char *path, mp_yaml *y, mp_diag *d);
/* Parse YAML text held in memory; `name` is used as the file in diags. */
int mp_yaml_load_string(const char *text, size_t len, const char *name,
                        mp_yaml *y, mp_diag *d);
void mp_yaml_free(mp_yaml *y);

/* Root node, which must be a mapping (else -1 with d filled). */
yaml_node_t *mp_yaml_root_map(mp_yaml *y, mp_diag *d);
int mp_yaml_line(const yaml_node_t *node); /* 1-based */

/* Value node for `key` in mapping `map`, or NULL. */
yaml_node_t *mp_yaml_get(mp_yaml *y, yaml_node_t *map, const char *key);
/* Scalar text of a node, or NULL when it is not a scalar. */
const char *mp_yaml_scalar(const yaml_node_t *node);

/* Mapping/sequence iteration. */
size_t mp_yaml_map_len(const yaml_node_t *map);
const char *mp_yaml_map_key(mp_yaml *y, yaml_node_t *map, size_t i);
yaml_node_t *mp_yaml_map_value(mp_yaml *y, yaml_node_t *map, size_t i);
size_t mp_yaml_seq_len(const yaml_node_t *seq);
yaml_node_t *mp_yaml_seq_at(mp_yaml *y, yaml_node_t *seq, size_t i);

/* Typed getters. `prefix` is the path of `map` ("" at the root). */
int mp_yaml_int(mp_yaml *y, yaml_node_t *map, const char *prefix,
                const char *key, int required, int64_t lo, int64_t hi,
                int64_t *out, mp_diag *d);
int mp_yaml_double(mp_yaml *y, yaml_node_t *map, const char *prefix,
                   const char *key, int required, double lo, double hi,
                   double *out, mp_diag *d);
int mp_yaml_bool(mp_yaml *y, yaml_node_t *map, const char *prefix,
                 const char *key, int required, int *out, mp_diag *d);
int mp_yaml_string(mp_yaml *y, yaml_node_t *map, const char *prefix,
                   const char *key, int required, char *out, size_t cap,
                   mp_diag *d);
/* Node must be a mapping / sequence; returns NULL with d filled if not. */
yaml_node_t *mp_yaml_want_map(mp_yaml *y, yaml_node_t *node,
                              const char *path, mp_diag *d);
yaml_node_t *mp_yaml_want_seq(mp_yaml *y, yaml_node_t *node,
                              const char *path, mp_diag *d);

/* Every key of `map` must be in the NULL-terminated `allowed` list. */
int mp_yaml_check_keys(mp_yaml *y, yaml_node_t *map, const char *prefix,
                       const char *const *allowed, mp_diag *d);

/* Error at a node: file from y, line from node, field prefix.key. */
int mp_yaml_fail(mp_yaml *y, mp_diag *d, const yaml_node_t *node,
                 const char *prefix, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

#endif
