/* spec.c - see spec.h.  Reading and checking a sweep file. */
#include "sim/sweep/spec.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden/datadir.h"
#include "sim/arch.h"
#include "sim/workload_src.h"

const char *const mp_sweep_total_names[MP_SWEEP_N_TOTALS] = {
#define MP_SWEEP_NAME_ONE(name, expr) #name,
    MP_SWEEP_TOTALS(MP_SWEEP_NAME_ONE)
#undef MP_SWEEP_NAME_ONE
};

/* The configuration every row carries, whether swept or not. */
static const char *const config_paths[] = {
    "pe.family", "pe.weights", "pe.act", "pe.group_size", "array.rows",
    "array.cols", "array.cores", "array.dataflow", "array.clock_hz",
    "buffers.weight.kib", "buffers.act.kib", "buffers.out.kib",
    "dram.gbytes_per_s", "workload.model", "workload.phase", "workload.seq",
    "workload.batch", "workload.decode_steps", "workload.quant", NULL};

/* The keys of the retired `run --sweep` format and their paths now. */
static const char *const legacy[][2] = {
    {"rows", "array.rows"}, {"cols", "array.cols"},
    {"dataflow", "array.dataflow"}, {"clock_hz", "array.clock_hz"},
    {"dram_gbytes_per_s", "dram.gbytes_per_s"},
    {"weight_kib", "buffers.weight.kib"}, {"act_kib", "buffers.act.kib"},
    {"out_kib", "buffers.out.kib"}};

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ULL;
    return h;
}

/* The base hash takes "key=value\n" of every base workload setting. */
static void hash_text(mp_sweep *s, const char *key, const char *value)
{
    s->base_hash = fnv(s->base_hash, key, strlen(key));
    s->base_hash = fnv(s->base_hash, "=", 1);
    s->base_hash = fnv(s->base_hash, value, strlen(value));
    s->base_hash = fnv(s->base_hash, "\n", 1);
}

static int fail_at(mp_sweep *s, mp_diag *d, const yaml_node_t *n,
                   const char *field, const char *msg)
{
    return mp_fail(d, s->file, n ? mp_yaml_line(n) : 0, field, "%s", msg);
}

/* A diag from a reader run on a sweep value becomes the sweep file's; the
 * reader's own field ("pe.act", "--quant" as workload.quant) leads the
 * message when it is not the one named. */
static int rehome(mp_sweep *s, mp_diag *d, const yaml_node_t *n,
                  const char *field)
{
    char inner[MP_DIAG_FIELD_MAX + 16], msg[MP_DIAG_MSG_MAX];
    if (!strncmp(d->field, "--", 2)) {
        snprintf(inner, sizeof inner, "workload.%s", d->field + 2);
        for (char *c = inner; *c; c++)
            *c = *c == '-' ? '_' : *c;
    } else {
        snprintf(inner, sizeof inner, "%s", d->field);
    }
    if (inner[0] && strcmp(inner, field))
        snprintf(msg, sizeof msg, "%.80s: %.200s", inner, d->msg);
    else
        snprintf(msg, sizeof msg, "%.300s", d->msg);
    return fail_at(s, d, n, field, msg);
}

/* ---- base --------------------------------------------------------------- */

static int hash_file(const char *path, uint64_t *h)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        *h = fnv(*h, buf, n);
    fclose(fp);
    return 0;
}

static int read_arch(mp_sweep *s, yaml_node_t *root, mp_diag *d)
{
    yaml_node_t *n = mp_yaml_get(&s->doc, root, "arch");
    if (mp_yaml_string(&s->doc, root, "", "arch", 1, s->arch_spec,
                       sizeof s->arch_spec, d))
        return -1;
    char path[4096];
    size_t len = strlen(s->arch_spec);
    int is_file = strchr(s->arch_spec, '/') ||
                  (len > 5 && !strcmp(s->arch_spec + len - 5, ".yaml")) ||
                  (len > 4 && !strcmp(s->arch_spec + len - 4, ".yml"));
    if (len > 4 && !strcmp(s->arch_spec + len - 4, ".cfg"))
        return fail_at(s, d, n, "arch", "a sweep takes a preset or an "
                       "architecture YAML, not a SCALE-Sim .cfg");
    if (is_file)
        snprintf(path, sizeof path, "%s", s->arch_spec);
    else if (mp_data_path("sim/arch", s->arch_spec, ".yaml", path,
                          sizeof path))
        return fail_at(s, d, n, "arch", "unknown architecture (not a preset "
                       "or .yaml; see mpsim list)");
    mp_arch a;
    if (mp_arch_open(path, "arch", &a, d))
        return rehome(s, d, n, "arch");
    mp_arch_free(&a);
    if (mp_yaml_load(path, &s->arch, d) || hash_file(path, &s->base_hash))
        return rehome(s, d, n, "arch");
    mp_yover_init(&s->over, &s->arch);
    return 0;
}

/* Base workload text of a config column (NULL if not given). */
static const char **wbase_slot(mp_sweep *s, const char *key)
{
    char path[64];
    snprintf(path, sizeof path, "workload.%s", key);
    for (int i = 0; i < s->n_config; i++)
        if (!strcmp(s->config[i], path))
            return &s->config_base[i];
    return NULL;
}

static int read_workload(mp_sweep *s, yaml_node_t *root, mp_diag *d)
{
    mp_yaml *y = &s->doc;
    yaml_node_t *n = mp_yaml_get(y, root, "workload");
    if (!n)
        return fail_at(s, d, root, "workload", "missing (a trace file, or "
                       "a mapping of trace options: model, phase, seq ...)");
    mp_trace_opts_init(&s->wopts);
    const char *text = mp_yaml_scalar(n);
    if (text) {
        size_t len = strlen(text);
        if (!len || len >= sizeof s->workload_file)
            return fail_at(s, d, n, "workload", "empty or too long");
        int is_file = strchr(text, '/') || strstr(text, ".yaml") ||
                      strstr(text, ".yml") || strstr(text, ".csv");
        if (is_file)
            snprintf(s->workload_file, sizeof s->workload_file, "%s", text);
        else if (mp_trace_opts_set(&s->wopts, "model", text, d) < 0)
            return rehome(s, d, n, "workload");
        *wbase_slot(s, "model") = text;
        hash_text(s, "workload", text);
        return 0;
    }
    if (!(n = mp_yaml_want_map(y, n, "workload", d)))
        return -1;
    for (size_t i = 0; i < mp_yaml_map_len(n); i++) {
        const char *key = mp_yaml_map_key(y, n, i);
        yaml_node_t *v = mp_yaml_map_value(y, n, i);
        char field[80];
        snprintf(field, sizeof field, "workload.%s", key ? key : "?");
        const char *val = mp_yaml_scalar(v);
        if (!key || !val || !val[0])
            return fail_at(s, d, v, field, "expected a single value");
        int rc = mp_trace_opts_set(&s->wopts, key, val, d);
        if (rc < 0)
            return rehome(s, d, v, field);
        if (rc == 0)
            return fail_at(s, d, v, field, "unknown trace option (model, "
                           "phase, seq, batch, decode_steps, quant, override, "
                           "lm_head, attn_bucket)");
        const char **slot = wbase_slot(s, key);
        if (slot)
            *slot = val;
        hash_text(s, key, val);
    }
    return 0;
}

/* Build the workload with opts; a failure is a diag at node n. */
static int check_workload(mp_sweep *s, const mp_trace_opts *o,
                          const yaml_node_t *n, const char *field, mp_diag *d)
{
    mp_workload_opts wo;
    mp_workload_opts_init(&wo);
    wo.workload = s->workload_file[0] ? s->workload_file : NULL;
    wo.trace = *o;
    mp_trace t;
    char label[256];
    int rc = mp_workload_open(&wo, &t, label, sizeof label, d);
    mp_trace_free(&t);
    return rc ? rehome(s, d, n, field) : 0;
}

/* ---- dimensions --------------------------------------------------------- */

static int axis_for(mp_sweep *s, const char *path, const yaml_node_t *n,
                    mp_diag *d)
{
    for (int i = 0; i < s->n_axes; i++)
        if (!strcmp(s->axis[i].path, path)) {
            if (s->axis[i].dim != s->n_dims)
                return fail_at(s, d, n, path, "swept by two dimensions");
            return i;
        }
    for (size_t i = 0; i < sizeof legacy / sizeof legacy[0]; i++)
        if (!strcmp(path, legacy[i][0])) {
            char msg[160];
            snprintf(msg, sizeof msg, "sweeps name fields by their YAML "
                     "path now: use %s (docs/model.md, section 8)", legacy[i][1]);
            return fail_at(s, d, n, path, msg);
        }
    if (s->n_axes >= MP_SWEEP_MAX_AXES || strlen(path) >= 64)
        return fail_at(s, d, n, path, "too many swept fields or too long a "
                       "path");
    mp_sweep_axis *a = &s->axis[s->n_axes];
    memset(a, 0, sizeof *a);
    snprintf(a->path, sizeof a->path, "%s", path);
    a->dim = s->n_dims;
    a->slot = -1;
    if (!strncmp(path, "workload.", 9)) {
        a->workload = 1;
        if (s->workload_file[0])
            return fail_at(s, d, n, path, "the base workload is a trace "
                           "file, which takes no trace options");
    } else {
        char msg[160];
        a->slot = mp_yover_add(&s->over, path, msg, sizeof msg);
        if (a->slot < 0)
            return fail_at(s, d, n, path, msg);
    }
    return s->n_axes++;
}

/* One value of axis ai, checked against the base alone. */
static int check_value(mp_sweep *s, int ai, const yaml_node_t *v, mp_diag *d)
{
    mp_sweep_axis *a = &s->axis[ai];
    const char *text = v ? mp_yaml_scalar(v) : NULL;
    if (!text || !text[0])
        return fail_at(s, d, v, a->path, "expected a single value");
    if (a->workload) {
        mp_trace_opts o = s->wopts;
        int rc = mp_trace_opts_set(&o, a->path + 9, text, d);
        if (rc < 0)
            return rehome(s, d, v, a->path);
        if (rc == 0)
            return fail_at(s, d, v, a->path, "unknown trace option");
        return check_workload(s, &o, v, a->path, d);
    }
    const yaml_node_t *vals[MP_YOVER_MAX] = {0};
    vals[a->slot] = v;
    mp_yover_apply(&s->over, vals);
    mp_arch arch;
    int rc = mp_arch_read(&s->arch, &arch, d);
    if (rc == 0 && !strcmp(a->path, "pe.family") && !mp_pe_find(text))
        rc = mp_fail(d, s->file, 0, a->path, "unknown PE family '%s' (see "
                     "mpsim list)", text);
    mp_yover_apply(&s->over, (const yaml_node_t *[MP_YOVER_MAX]){0});
    return rc ? rehome(s, d, v, a->path) : 0;
}

static int new_dim(mp_sweep *s, int64_t count, const yaml_node_t *n,
                   mp_diag *d)
{
    if (s->n_dims >= MP_SWEEP_MAX_DIMS)
        return fail_at(s, d, n, "sweep", "more than 16 dimensions");
    if (count < 1 || count > MP_SWEEP_MAX_POINTS)
        return fail_at(s, d, n, "sweep", "a dimension needs 1 or more "
                       "values");
    mp_sweep_dim *dim = &s->dim[s->n_dims];
    dim->count = count;
    dim->cells = calloc((size_t)count * MP_SWEEP_MAX_AXES,
                        sizeof *dim->cells);
    if (!dim->cells)
        return fail_at(s, d, n, "sweep", "out of memory");
    return 0;
}

static int set_cell(mp_sweep *s, int64_t i, const char *path,
                    const yaml_node_t *v, mp_diag *d)
{
    int ai = axis_for(s, path, v, d);
    if (ai < 0 || check_value(s, ai, v, d))
        return -1;
    s->dim[s->n_dims].cells[i * MP_SWEEP_MAX_AXES + ai] = v;
    return 0;
}

static int read_axis(mp_sweep *s, const char *path, yaml_node_t *list,
                     mp_diag *d)
{
    if (list->type != YAML_SEQUENCE_NODE)
        return fail_at(s, d, list, path, "expected a list of values");
    int64_t len = (int64_t)mp_yaml_seq_len(list);
    if (new_dim(s, len, list, d))
        return -1;
    for (int64_t i = 0; i < len; i++)
        if (set_cell(s, i, path, mp_yaml_seq_at(&s->doc, list, (size_t)i), d))
            return -1;
    return 0;
}

static int read_zip(mp_sweep *s, yaml_node_t *map, mp_diag *d)
{
    mp_yaml *y = &s->doc;
    if (!mp_yaml_want_map(y, map, "sweep.zip", d))
        return -1;
    int64_t len = -1;
    for (size_t k = 0; k < mp_yaml_map_len(map); k++) {
        yaml_node_t *l = mp_yaml_map_value(y, map, k);
        const char *path = mp_yaml_map_key(y, map, k);
        if (l->type != YAML_SEQUENCE_NODE || !path)
            return fail_at(s, d, l, "sweep.zip", "expected FIELD: [values]");
        if (len >= 0 && (int64_t)mp_yaml_seq_len(l) != len)
            return fail_at(s, d, l, path, "zipped lists differ in length");
        len = (int64_t)mp_yaml_seq_len(l);
    }
    if (len < 0 || new_dim(s, len, map, d))
        return len < 0 ? fail_at(s, d, map, "sweep.zip", "empty") : -1;
    for (size_t k = 0; k < mp_yaml_map_len(map); k++) {
        yaml_node_t *l = mp_yaml_map_value(y, map, k);
        for (int64_t i = 0; i < len; i++)
            if (set_cell(s, i, mp_yaml_map_key(y, map, k),
                         mp_yaml_seq_at(y, l, (size_t)i), d))
                return -1;
    }
    return 0;
}

static int read_points(mp_sweep *s, yaml_node_t *list, mp_diag *d)
{
    mp_yaml *y = &s->doc;
    if (!mp_yaml_want_seq(y, list, "sweep.points", d))
        return -1;
    int64_t len = (int64_t)mp_yaml_seq_len(list);
    if (new_dim(s, len, list, d))
        return -1;
    for (int64_t i = 0; i < len; i++) {
        yaml_node_t *p = mp_yaml_seq_at(y, list, (size_t)i);
        if (!mp_yaml_want_map(y, p, "sweep.points", d))
            return -1;
        for (size_t k = 0; k < mp_yaml_map_len(p); k++)
            if (set_cell(s, i, mp_yaml_map_key(y, p, k) ?
                                   mp_yaml_map_key(y, p, k) : "?",
                         mp_yaml_map_value(y, p, k), d))
                return -1;
    }
    return 0;
}

static int read_entry(mp_sweep *s, const char *key, yaml_node_t *v,
                      mp_diag *d)
{
    int rc = !key ? fail_at(s, d, v, "sweep", "expected FIELD: [values]")
             : !strcmp(key, "zip")    ? read_zip(s, v, d)
             : !strcmp(key, "points") ? read_points(s, v, d)
                                      : read_axis(s, key, v, d);
    if (rc == 0)
        s->n_dims++;
    return rc;
}

static int read_dims(mp_sweep *s, yaml_node_t *root, mp_diag *d)
{
    mp_yaml *y = &s->doc;
    yaml_node_t *sw = mp_yaml_get(y, root, "sweep");
    if (!sw)
        return fail_at(s, d, root, "sweep", "missing (the swept fields)");
    if (sw->type == YAML_MAPPING_NODE) {
        for (size_t i = 0; i < mp_yaml_map_len(sw); i++)
            if (read_entry(s, mp_yaml_map_key(y, sw, i),
                           mp_yaml_map_value(y, sw, i), d))
                return -1;
    } else if (sw->type == YAML_SEQUENCE_NODE) {
        for (size_t i = 0; i < mp_yaml_seq_len(sw); i++) {
            yaml_node_t *e = mp_yaml_seq_at(y, sw, i);
            if (e->type != YAML_MAPPING_NODE || mp_yaml_map_len(e) != 1)
                return fail_at(s, d, e, "sweep", "each entry is one "
                               "FIELD: [values], zip: or points:");
            if (read_entry(s, mp_yaml_map_key(y, e, 0),
                           mp_yaml_map_value(y, e, 0), d))
                return -1;
        }
    } else {
        return fail_at(s, d, sw, "sweep", "expected a mapping or a list");
    }
    s->points = 1;
    for (int i = 0; i < s->n_dims; i++) {
        if (s->points > MP_SWEEP_MAX_POINTS / s->dim[i].count) {
            char msg[200];
            snprintf(msg, sizeof msg, "more than %lld points, the limit "
                     "(docs/model.md, section 8): split it into several sweeps "
                     "or shards of separate files", MP_SWEEP_MAX_POINTS);
            return fail_at(s, d, sw, "sweep", msg);
        }
        s->points *= s->dim[i].count;
    }
    return 0;
}

/* ---- columns and expressions ------------------------------------------- */

static void add_config_columns(mp_sweep *s)
{
    for (int i = 0; config_paths[i]; i++) {
        s->config[s->n_config] = config_paths[i];
        s->config_base[s->n_config] = NULL; /* filled once read */
        s->config_axis[s->n_config++] = -1;
    }
}

static void bind_axis_columns(mp_sweep *s)
{
    for (int a = 0; a < s->n_axes; a++) {
        int c = 0;
        while (c < s->n_config && strcmp(s->config[c], s->axis[a].path))
            c++;
        if (c == s->n_config) {
            s->config[c] = s->axis[a].path;
            s->config_base[c] = s->axis[a].workload ? NULL :
                mp_yaml_path_text(&s->arch, s->axis[a].path);
            s->n_config++;
        }
        s->config_axis[c] = a;
    }
}

int mp_sweep_column(const mp_sweep *s, const char *name)
{
    for (int i = 0; i < s->n_config; i++)
        if (!strcmp(s->config[i], name))
            return i;
    for (int i = 0; i < MP_SWEEP_N_TOTALS; i++)
        if (!strcmp(mp_sweep_total_names[i], name))
            return s->n_config + i;
    for (int i = 0; i < s->n_derived; i++)
        if (!strcmp(s->derived[i].name, name))
            return s->n_config + MP_SWEEP_N_TOTALS + i;
    return -1;
}

int mp_sweep_n_columns(const mp_sweep *s)
{
    return s->n_config + MP_SWEEP_N_TOTALS + s->n_derived;
}

static int lookup(void *ctx, const char *name)
{
    return mp_sweep_column(ctx, name);
}

static int compile(mp_sweep *s, mp_sweep_expr *x, const char *name,
                   const yaml_node_t *v, const char *field, int want_cmp,
                   mp_diag *d)
{
    const char *text = mp_yaml_scalar(v);
    if (!text || !text[0] || strlen(text) >= sizeof x->text)
        return fail_at(s, d, v, field, "expected an expression");
    snprintf(x->text, sizeof x->text, "%s", text);
    snprintf(x->name, sizeof x->name, "%s", name);
    char msg[200];
    if (mp_expr_compile(text, lookup, s, &x->e, msg, sizeof msg))
        return fail_at(s, d, v, field, msg);
    if (x->e.is_cmp != want_cmp)
        return fail_at(s, d, v, field, want_cmp ? "not a comparison "
                       "(e.g. area_mm2 <= 4)" : "a comparison is a "
                       "constraint, not a column");
    return 0;
}

static int read_exprs(mp_sweep *s, yaml_node_t *root, mp_diag *d)
{
    mp_yaml *y = &s->doc;
    yaml_node_t *n = mp_yaml_get(y, root, "derived");
    if (n && !mp_yaml_want_map(y, n, "derived", d))
        return -1;
    for (size_t i = 0; n && i < mp_yaml_map_len(n); i++) {
        const char *name = mp_yaml_map_key(y, n, i);
        yaml_node_t *v = mp_yaml_map_value(y, n, i);
        int ok = name && strlen(name) < 48 &&
                 (isalpha((unsigned char)name[0]) || name[0] == '_');
        for (const char *c = name; ok && *c; c++)
            ok = isalnum((unsigned char)*c) || *c == '_';
        char field[80];
        snprintf(field, sizeof field, "derived.%.40s", name ? name : "?");
        if (!ok || mp_sweep_column(s, name) >= 0)
            return fail_at(s, d, v, field, "needs a new column name "
                           "(letters, digits, _)");
        if (s->n_derived >= MP_SWEEP_MAX_EXPRS)
            return fail_at(s, d, v, field, "more than 16 derived columns");
        if (compile(s, &s->derived[s->n_derived], name, v, field, 0, d))
            return -1;
        s->n_derived++;
    }
    n = mp_yaml_get(y, root, "constraints");
    if (n && !mp_yaml_want_seq(y, n, "constraints", d))
        return -1;
    for (size_t i = 0; n && i < mp_yaml_seq_len(n); i++) {
        if (s->n_cons >= MP_SWEEP_MAX_EXPRS)
            return fail_at(s, d, n, "constraints", "more than 16");
        if (compile(s, &s->cons[s->n_cons], "", mp_yaml_seq_at(y, n, i),
                    "constraints", 1, d))
            return -1;
        s->n_cons++;
    }
    return 0;
}

/* ---- the whole file ------------------------------------------------------ */

static int read_root(mp_sweep *s, mp_diag *d)
{
    static const char *const keys[] = {"arch", "workload", "sweep",
                                       "constraints", "derived", NULL};
    static const char *const moved[] = {"model", "phase", "seq", "batch",
                                        "decode_steps", "quant", NULL};
    yaml_node_t *root = mp_yaml_root_map(&s->doc, d);
    if (!root)
        return -1;
    for (int i = 0; moved[i]; i++) {
        yaml_node_t *n = mp_yaml_get(&s->doc, root, moved[i]);
        if (n) {
            char msg[120];
            snprintf(msg, sizeof msg, "goes under workload: now "
                     "(workload: {%s: ...}; docs/model.md, section 8)", moved[i]);
            return fail_at(s, d, n, moved[i], msg);
        }
    }
    if (mp_yaml_check_keys(&s->doc, root, "", keys, d))
        return -1;
    add_config_columns(s);
    if (read_arch(s, root, d) || read_workload(s, root, d))
        return -1;
    for (int i = 0; i < s->n_config; i++) /* now that the arch is loaded */
        if (strncmp(s->config[i], "workload.", 9))
            s->config_base[i] = mp_yaml_path_text(&s->arch, s->config[i]);
    yaml_node_t *w = mp_yaml_get(&s->doc, root, "workload");
    if (check_workload(s, &s->wopts, w, "workload", d) ||
        read_dims(s, root, d))
        return -1;
    bind_axis_columns(s);
    if (read_exprs(s, root, d))
        return -1;
    return 0;
}

int mp_sweep_read(const char *path, mp_sweep *s, mp_diag *d)
{
    memset(s, 0, sizeof *s);
    snprintf(s->file, sizeof s->file, "%s", path);
    s->base_hash = 0xcbf29ce484222325ULL;
    if (mp_yaml_load(path, &s->doc, d))
        return -1;
    if (read_root(s, d)) {
        mp_sweep_free(s);
        return -1;
    }
    return 0;
}

mp_sweep *mp_sweep_new(const char *path, mp_diag *d)
{
    mp_sweep *s = malloc(sizeof *s);
    if (!s) {
        mp_fail(d, path, 0, "sweep", "out of memory");
        return NULL;
    }
    if (mp_sweep_read(path, s, d)) {
        free(s);
        return NULL;
    }
    return s;
}

void mp_sweep_delete(mp_sweep *s)
{
    if (s)
        mp_sweep_free(s);
    free(s);
}

void mp_sweep_free(mp_sweep *s)
{
    for (int i = 0; i < MP_SWEEP_MAX_DIMS; i++)
        free(s->dim[i].cells);
    if (s->arch.loaded) {
        mp_yover_restore(&s->over);
        mp_yaml_free(&s->arch);
    }
    mp_yaml_free(&s->doc);
    memset(s, 0, sizeof *s);
}

void mp_sweep_values(const mp_sweep *s, int64_t idx,
                     const yaml_node_t **vals)
{
    for (int a = 0; a < s->n_axes; a++)
        vals[a] = NULL;
    for (int k = s->n_dims - 1; k >= 0; k--) {
        const mp_sweep_dim *dim = &s->dim[k];
        int64_t i = idx % dim->count;
        idx /= dim->count;
        const yaml_node_t *const *row = dim->cells + i * MP_SWEEP_MAX_AXES;
        for (int a = 0; a < s->n_axes; a++)
            if (s->axis[a].dim == k)
                vals[a] = row[a];
    }
}

void mp_sweep_header(const mp_sweep *s, char *buf, size_t cap)
{
    size_t n = (size_t)snprintf(buf, cap, "point,hash,status,reason,arch");
    for (int i = 0; i < s->n_config && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, ",%s", s->config[i]);
    for (int i = 0; i < MP_SWEEP_N_TOTALS && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, ",%s",
                              mp_sweep_total_names[i]);
    for (int i = 0; i < s->n_derived && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, ",%s", s->derived[i].name);
    if (n < cap)
        snprintf(buf + n, cap - n, "\n");
}
