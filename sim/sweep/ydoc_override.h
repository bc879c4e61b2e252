/*
 * ydoc_override.h - set scalar fields of a parsed YAML document in place,
 * point after point, so one reader (e.g. the arch reader) reads every
 * design point of a sweep: one source of truth, no second parser.
 *
 * Contract.  mp_yover_add() resolves a dotted path ("pe.family",
 * "buffers.weight.kib") to a slot: the existing scalar node, or a new
 * key/value pair appended to its mapping (which the base must have);
 * all slots are added before the first mp_yover_apply() (adding may move
 * the document's nodes).  mp_yover_apply() gives every slot a value (a
 * scalar node of another document, kept alive by the caller) or NULL: an
 * existing field then shows its original text, an added one is hidden, so
 * the reader sees its default.  mp_yover_restore() puts the document back
 * as parsed before mp_yaml_free().
 */
#ifndef MP_YDOC_OVERRIDE_H
#define MP_YDOC_OVERRIDE_H

#include "workloads/yaml_doc.h"

#define MP_YOVER_MAX 32

typedef struct mp_yover_slot {
    int map_id, key_id, value_id; /* document node ids (1-based)        */
    int added;                    /* pair appended by mp_yover_add      */
    int map_pairs;                /* pairs the mapping had as parsed    */
    yaml_char_t *orig_value;
    size_t orig_length;
    yaml_scalar_style_t orig_style;
} mp_yover_slot;

typedef struct mp_yover {
    mp_yaml *y;
    int count;
    mp_yover_slot slot[MP_YOVER_MAX];
} mp_yover;

void mp_yover_init(mp_yover *o, mp_yaml *y);
/* Slot index, or -1 with msg filled (path names a mapping or a list, is
 * malformed, or there are too many slots). */
int mp_yover_add(mp_yover *o, const char *path, char *msg, size_t cap);
/* values[i] for slot i: a scalar node or NULL (base value). */
void mp_yover_apply(mp_yover *o, const yaml_node_t *const *values);
void mp_yover_restore(mp_yover *o);
/* Scalar text at a dotted path of a document, or NULL. */
const char *mp_yaml_path_text(mp_yaml *y, const char *path);

#endif
