/* tech_load.c - YAML technology tables into mp_tech; see tech_load.h. */
#include "sim/tech_load.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "golden/datadir.h"
#include "workloads/yaml_doc.h"

static const char *const root_keys[] = {"name",        "node_nm", "vdd",
                                        "fpga",        "description",
                                        "constants",   NULL};
static const char *const const_keys[] = {"value", "unit", "source", "node_nm",
                                         "vdd",   "note", NULL};

/* Scale c (measured at c->from_nm, from_vdd) to the table's node, refusing
 * what the node scaling equations do not cover (see pe_models/tech.h). */
static int scale_const(mp_yaml *y, yaml_node_t *node, const char *path,
                       const mp_tech *t, double from_vdd, mp_tech_const *c,
                       mp_diag *d)
{
    mp_scale_kind kind = mp_tech_unit_kind(c->unit);
    if (kind == MP_SCALE_NONE)
        return 0;
    yaml_node_t *at = mp_yaml_get(y, node, "node_nm");
    if (!mp_node_scale_supported(c->from_nm))
        return mp_yaml_fail(y, d, at, path, "node_nm",
                            "%g nm is outside the 7..180 nm of the node "
                            "scaling equations (Stillmaker & Baas 2017)",
                            c->from_nm);
    if (!mp_node_scale_supported(t->node_nm))
        return mp_yaml_fail(y, d, at, path, "node_nm",
                            "cannot scale to the table's %g nm: outside the "
                            "7..180 nm of the node scaling equations",
                            t->node_nm);
    double factor = mp_tech_scale_factor(kind, c->from_nm, from_vdd,
                                         t->node_nm, t->vdd);
    if (!isfinite(factor) || !(factor > 0)) {
        yaml_node_t *vdd = mp_yaml_get(y, node, "vdd");
        return mp_yaml_fail(y, d, vdd ? vdd : at, path, vdd ? "vdd" : "node_nm",
                            "the energy fit of Stillmaker & Baas 2017 is not "
                            "positive at %g nm / %g V -> %g nm / %g V "
                            "(outside its voltage range)",
                            c->from_nm, from_vdd, t->node_nm, t->vdd);
    }
    c->value *= factor;
    return 0;
}

/* One constant: `node` is the {value, unit, source...} mapping. */
static int read_const(mp_yaml *y, yaml_node_t *node, const char *key,
                      const mp_tech *t, mp_tech_const *c, mp_diag *d)
{
    char path[MP_DIAG_FIELD_MAX];
    snprintf(path, sizeof path, "constants.%s", key);
    if (strlen(key) >= sizeof c->name)
        return mp_yaml_fail(y, d, node, "constants", key,
                            "name longer than %zu characters",
                            sizeof c->name - 1);
    if (!mp_yaml_want_map(y, node, path, d))
        return -1;
    if (mp_yaml_check_keys(y, node, path, const_keys, d))
        return -1;
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", key);
    c->line = mp_yaml_line(node);
    double from_nm = 0, from_vdd = 0;
    if (mp_yaml_double(y, node, path, "value", MP_YAML_REQUIRED, -1e300,
                       1e300, &c->value, d) ||
        mp_yaml_string(y, node, path, "unit", MP_YAML_REQUIRED, c->unit,
                       sizeof c->unit, d) ||
        mp_yaml_string(y, node, path, "source", MP_YAML_REQUIRED, c->source,
                       sizeof c->source, d) ||
        mp_yaml_double(y, node, path, "node_nm", MP_YAML_OPTIONAL, 1, 1000,
                       &from_nm, d) ||
        mp_yaml_double(y, node, path, "vdd", MP_YAML_OPTIONAL, 0.1, 10,
                       &from_vdd, d))
        return -1;
    if (!isfinite(c->value))
        return mp_yaml_fail(y, d, mp_yaml_get(y, node, "value"), path,
                            "value", "must be a finite number");
    if (!c->source[0])
        return mp_yaml_fail(y, d, mp_yaml_get(y, node, "source"), path,
                            "source", "must name where the value comes from");
    if (!c->unit[0])
        return mp_yaml_fail(y, d, mp_yaml_get(y, node, "unit"), path, "unit",
                            "must not be empty");
    c->raw_value = c->value;
    if (from_nm > 0 && (from_nm != t->node_nm ||
                        (from_vdd > 0 && from_vdd != t->vdd))) {
        c->from_nm = from_nm;
        return scale_const(y, node, path, t, from_vdd, c, d);
    }
    return 0;
}

static int read_table(mp_yaml *y, mp_tech *t, mp_diag *d)
{
    yaml_node_t *root = mp_yaml_root_map(y, d);
    if (!root || mp_yaml_check_keys(y, root, "", root_keys, d))
        return -1;
    int is_fpga = 0;
    if (mp_yaml_string(y, root, "", "name", MP_YAML_REQUIRED, t->name,
                       sizeof t->name, d) ||
        mp_yaml_double(y, root, "", "node_nm", MP_YAML_REQUIRED, 1, 1000,
                       &t->node_nm, d) ||
        mp_yaml_double(y, root, "", "vdd", MP_YAML_REQUIRED, 0.1, 10,
                       &t->vdd, d) ||
        mp_yaml_bool(y, root, "", "fpga", MP_YAML_OPTIONAL, &is_fpga, d))
        return -1;
    t->is_fpga = is_fpga;
    yaml_node_t *consts = mp_yaml_get(y, root, "constants");
    if (!consts)
        return mp_yaml_fail(y, d, root, "", "constants", "missing");
    if (!mp_yaml_want_map(y, consts, "constants", d))
        return -1;
    size_t n = mp_yaml_map_len(consts);
    t->consts = calloc(n ? n : 1, sizeof *t->consts);
    if (!t->consts)
        return mp_fail(d, y->file, 0, "constants", "out of memory");
    for (size_t i = 0; i < n; i++) {
        const char *key = mp_yaml_map_key(y, consts, i);
        yaml_node_t *val = mp_yaml_map_value(y, consts, i);
        if (!key)
            return mp_yaml_fail(y, d, val, "constants", "",
                                "constant names must be scalars");
        if (mp_tech_find(t, key))
            return mp_yaml_fail(y, d, val, "constants", key,
                                "defined twice");
        if (read_const(y, val, key, t, &t->consts[i], d))
            return -1;
        t->count = i + 1;
    }
    return 0;
}

static int load_doc(mp_yaml *y, const char *file, mp_tech *out, mp_diag *d)
{
    memset(out, 0, sizeof *out);
    snprintf(out->file, sizeof out->file, "%s", file);
    int rc = read_table(y, out, d);
    mp_yaml_free(y);
    if (rc)
        mp_tech_free(out);
    return rc;
}

int mp_tech_load(const char *path, mp_tech *out, mp_diag *d)
{
    mp_yaml y;
    memset(out, 0, sizeof *out);
    if (mp_yaml_load(path, &y, d))
        return -1;
    return load_doc(&y, path, out, d);
}

int mp_tech_load_string(const char *text, const char *name, mp_tech *out,
                        mp_diag *d)
{
    mp_yaml y;
    memset(out, 0, sizeof *out);
    if (mp_yaml_load_string(text, strlen(text), name, &y, d))
        return -1;
    return load_doc(&y, name, out, d);
}

int mp_tech_load_builtin(const char *name, mp_tech *out, mp_diag *d)
{
    memset(out, 0, sizeof *out);
    if (!name || !name[0] || strchr(name, '/') || strlen(name) > 64)
        return mp_fail(d, MP_CMDLINE, 0, "tech",
                       "technology names are plain words like asic-45nm");
    char path[4096];
    if (mp_data_path("pe_models/tech", name, ".yaml", path, sizeof path))
        return mp_fail(d, MP_CMDLINE, 0, "tech",
                       "unknown technology '%s' (no %s/pe_models/tech/%s.yaml)",
                       name, mp_data_root(), name);
    if (mp_tech_load(path, out, d))
        return -1;
    if (strcmp(out->name, name) != 0) {
        int rc = mp_fail(d, path, 1, "name",
                         "table is named '%s', expected '%s'", out->name,
                         name);
        mp_tech_free(out);
        return rc;
    }
    return 0;
}

void mp_tech_free(mp_tech *t)
{
    if (!t)
        return;
    free(t->consts);
    t->consts = NULL;
    t->count = 0;
}
