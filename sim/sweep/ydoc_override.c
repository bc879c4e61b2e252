/* ydoc_override.c - see ydoc_override.h. */
#include "sim/sweep/ydoc_override.h"

#include <stdio.h>
#include <string.h>

static int node_id(mp_yaml *y, const yaml_node_t *n)
{
    return (int)(n - y->doc.nodes.start) + 1;
}

static yaml_node_t *node_at(mp_yaml *y, int id)
{
    return yaml_document_get_node(&y->doc, id);
}

void mp_yover_init(mp_yover *o, mp_yaml *y)
{
    memset(o, 0, sizeof *o);
    o->y = y;
}

static int map_pairs(const yaml_node_t *map)
{
    return (int)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

/* Append an empty scalar under `key` of mapping `map_id`; its id or 0. */
static int append_pair(mp_yaml *y, int map_id, const char *key)
{
    int kid = yaml_document_add_scalar(&y->doc, NULL, (yaml_char_t *)key,
                                       (int)strlen(key),
                                       YAML_PLAIN_SCALAR_STYLE);
    int vid = yaml_document_add_scalar(&y->doc, NULL, (yaml_char_t *)"", 0,
                                       YAML_PLAIN_SCALAR_STYLE);
    if (!kid || !vid ||
        !yaml_document_append_mapping_pair(&y->doc, map_id, kid, vid))
        return 0;
    return vid;
}

/* The mapping a dotted path's last key lives in (its id), or 0 with msg. */
static int parent_map(mp_yaml *y, const char *path, char *last, size_t lcap,
                      char *msg, size_t cap)
{
    yaml_node_t *n = yaml_document_get_root_node(&y->doc);
    const char *p = path;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len == 0 || len >= lcap) {
            snprintf(msg, cap, "malformed field path '%s'", path);
            return 0;
        }
        memcpy(last, p, len);
        last[len] = '\0';
        if (!dot)
            return node_id(y, n);
        n = mp_yaml_get(y, n, last);
        if (!n || n->type != YAML_MAPPING_NODE) {
            snprintf(msg, cap, "the base has no section '%.*s' to set '%s' "
                     "in", (int)(dot - path), path, dot + 1);
            return 0;
        }
        p = dot + 1;
    }
}

int mp_yover_add(mp_yover *o, const char *path, char *msg, size_t cap)
{
    mp_yaml *y = o->y;
    if (o->count >= MP_YOVER_MAX) {
        snprintf(msg, cap, "more than %d swept fields", MP_YOVER_MAX);
        return -1;
    }
    char key[64];
    int map_id = parent_map(y, path, key, sizeof key, msg, cap);
    if (!map_id)
        return -1;
    mp_yover_slot *s = &o->slot[o->count];
    memset(s, 0, sizeof *s);
    s->map_id = map_id;
    yaml_node_t *map = node_at(y, map_id);
    yaml_node_t *v = mp_yaml_get(y, map, key);
    if (v && v->type != YAML_SCALAR_NODE) {
        snprintf(msg, cap, "'%s' is a %s, not a single value", path,
                 v->type == YAML_MAPPING_NODE ? "mapping" : "list");
        return -1;
    }
    if (v) {
        s->value_id = node_id(y, v);
    } else {
        /* pairs as parsed: the count before this mapping's first slot */
        s->map_pairs = map_pairs(map);
        for (int j = 0; j < o->count; j++)
            if (o->slot[j].added && o->slot[j].map_id == map_id) {
                s->map_pairs = o->slot[j].map_pairs;
                break;
            }
        int before = map_pairs(map);
        if (!append_pair(y, map_id, key)) {
            snprintf(msg, cap, "out of memory");
            return -1;
        }
        map = node_at(y, map_id);
        yaml_node_pair_t *pair = map->data.mapping.pairs.start + before;
        s->added = 1;
        s->key_id = pair->key;
        s->value_id = pair->value;
    }
    yaml_node_t *sv = node_at(y, s->value_id);
    s->orig_value = sv->data.scalar.value;
    s->orig_length = sv->data.scalar.length;
    s->orig_style = sv->data.scalar.style;
    return o->count++;
}

void mp_yover_apply(mp_yover *o, const yaml_node_t *const *values)
{
    for (int i = 0; i < o->count; i++) { /* hide every added pair */
        mp_yover_slot *s = &o->slot[i];
        if (s->added) {
            yaml_node_t *map = node_at(o->y, s->map_id);
            map->data.mapping.pairs.top = map->data.mapping.pairs.start +
                                          s->map_pairs;
        }
    }
    for (int i = 0; i < o->count; i++) {
        mp_yover_slot *s = &o->slot[i];
        yaml_node_t *v = node_at(o->y, s->value_id);
        const yaml_node_t *src = values[i];
        v->data.scalar.value = src ? src->data.scalar.value : s->orig_value;
        v->data.scalar.length = src ? src->data.scalar.length
                                    : s->orig_length;
        v->data.scalar.style = src ? src->data.scalar.style : s->orig_style;
        if (s->added && src) {
            yaml_node_t *map = node_at(o->y, s->map_id);
            yaml_node_pair_t pair = {s->key_id, s->value_id};
            *map->data.mapping.pairs.top++ = pair;
        }
    }
}

void mp_yover_restore(mp_yover *o)
{
    static const yaml_node_t *const none[MP_YOVER_MAX];
    mp_yover_apply(o, none);
    /* the added pairs back in place, so the document frees as built */
    for (int i = 0; i < o->count; i++) {
        mp_yover_slot *s = &o->slot[i];
        if (!s->added)
            continue;
        yaml_node_t *map = node_at(o->y, s->map_id);
        yaml_node_pair_t pair = {s->key_id, s->value_id};
        *map->data.mapping.pairs.top++ = pair;
    }
}

const char *mp_yaml_path_text(mp_yaml *y, const char *path)
{
    char part[64];
    yaml_node_t *n = yaml_document_get_root_node(&y->doc);
    const char *p = path;
    while (n && n->type == YAML_MAPPING_NODE) {
        const char *dot = strchr(p, '.');
        size_t len = dot ? (size_t)(dot - p) : strlen(p);
        if (len == 0 || len >= sizeof part)
            return NULL;
        memcpy(part, p, len);
        part[len] = '\0';
        n = mp_yaml_get(y, n, part);
        if (!dot)
            return n ? mp_yaml_scalar(n) : NULL;
        p = dot + 1;
    }
    return NULL;
}
