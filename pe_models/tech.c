/* tech.c - constant lookup and node scaling; see tech.h. */
#include "pe_models/tech.h"

#include <math.h>
#include <string.h>

const mp_tech_const *mp_tech_find(const mp_tech *t, const char *name)
{
    if (!t || !name)
        return NULL;
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->consts[i].name, name) == 0)
            return &t->consts[i];
    return NULL;
}

int mp_tech_get(const mp_tech *t, const char *name, double *out, mp_diag *d)
{
    const mp_tech_const *c = mp_tech_find(t, name);
    if (!c)
        return mp_fail(d, t && t->file[0] ? t->file : "<built-in>", 0,
                       name ? name : "-",
                       "constant missing from technology table '%s'",
                       t ? t->name : "(none)");
    *out = c->value;
    return 0;
}

/* KEY_SUFFIX with '-' in KEY read as '_'; KEY kept in key (may be NULL) */
static const mp_tech_const *find_entry(const mp_tech *t, const char *k,
                                       const char *suffix, char *key,
                                       size_t cap)
{
    char name[sizeof t->consts->name + 32];
    int n = snprintf(name, sizeof name, "%s%s", k, suffix);
    if (n < 0 || (size_t)n >= sizeof name)
        return NULL;
    for (char *c = name; c < name + strlen(k); c++)
        if (*c == '-')
            *c = '_';
    const mp_tech_const *c = mp_tech_find(t, name);
    if (c && key && cap)
        snprintf(key, cap, "%.*s", (int)strlen(k), name);
    return c;
}

const mp_tech_const *mp_tech_find_entry(const mp_tech *t, const char *family,
                                        const char *act, const char *suffix,
                                        char *key, size_t cap)
{
    char fa[80];
    snprintf(fa, sizeof fa, "%.32s_%.32s", family, act ? act : "");
    const mp_tech_const *c = act ? find_entry(t, fa, suffix, key, cap) : NULL;
    return c ? c : find_entry(t, family, suffix, key, cap);
}

mp_scale_kind mp_tech_unit_kind(const char *unit)
{
    if (!unit)
        return MP_SCALE_NONE;
    if (strncmp(unit, "pJ", 2) == 0 || strncmp(unit, "nJ", 2) == 0 ||
        strncmp(unit, "fJ", 2) == 0)
        return MP_SCALE_ENERGY;
    if (strcmp(unit, "uW") == 0 || strcmp(unit, "mW") == 0 ||
        strcmp(unit, "W") == 0)
        return MP_SCALE_POWER;
    if (strcmp(unit, "um2") == 0 || strcmp(unit, "mm2") == 0)
        return MP_SCALE_AREA;
    if (strcmp(unit, "ns") == 0 || strcmp(unit, "ps") == 0)
        return MP_SCALE_DELAY;
    return MP_SCALE_NONE;
}

/*
 * Stillmaker & Baas 2017 (node_scale.c): area by the paper's matrix,
 * energy by the ratio of the paper's energy fits.  Power figures in mpsim
 * are at a fixed clock (e.g. uW at 500 MHz), so they scale like energy per
 * operation; the paper's power fit is power at each node's own maximum
 * clock (energy / delay) and would mix in the clock speed-up.  Delays (a
 * critical path in ns) scale by the ratio of the paper's delay fits.
 * Leakage density (uW/um2) is left unscaled.
 */
double mp_tech_scale_factor(mp_scale_kind kind, double from_nm,
                            double from_vdd, double to_nm, double to_vdd)
{
    if (kind == MP_SCALE_NONE)
        return 1.0;
    if (kind == MP_SCALE_AREA)
        return mp_node_area_factor(from_nm, to_nm);
    if (!(from_vdd > 0))
        from_vdd = mp_node_nominal_vdd(from_nm);
    if (!(to_vdd > 0))
        to_vdd = mp_node_nominal_vdd(to_nm);
    mp_node_metric fit = kind == MP_SCALE_DELAY ? MP_NODE_DELAY
                                                : MP_NODE_ENERGY;
    return mp_node_fit(fit, to_nm, to_vdd) / mp_node_fit(fit, from_nm,
                                                         from_vdd);
}

/* Piecewise log-log through three (size, value) points of the table,
 * the nearest segment's slope outside them. */
static int sram_loglog(const mp_tech *t, const char *const names[3],
                       const double sizes[3], double bytes, double *out,
                       mp_diag *d)
{
    double v[3];
    if (!(bytes > 0) || !isfinite(bytes))
        return mp_fail(d, t && t->file[0] ? t->file : "<built-in>", 0,
                       "sram_bytes", "buffer size must be > 0, got %g",
                       bytes);
    for (int i = 0; i < 3; i++) {
        if (mp_tech_get(t, names[i], &v[i], d))
            return -1;
        if (!(v[i] > 0))
            return mp_fail(d, t->file, mp_tech_find(t, names[i])->line,
                           names[i], "must be > 0 for interpolation");
    }
    int seg = bytes <= sizes[1] ? 0 : 1;
    double slope = log(v[seg + 1] / v[seg]) / log(sizes[seg + 1] / sizes[seg]);
    *out = v[seg] * pow(bytes / sizes[seg], slope);
    return 0;
}

int mp_tech_sram_pj_per_bit(const mp_tech *t, double bytes, double *out,
                            mp_diag *d)
{
    static const char *const names[] = {"sram_8kb_pj_per_bit",
                                        "sram_32kb_pj_per_bit",
                                        "sram_1mb_pj_per_bit"};
    static const double sizes[] = {8192.0, 32768.0, 1048576.0};
    return sram_loglog(t, names, sizes, bytes, out, d);
}

int mp_tech_sram_bank_mm2(const mp_tech *t, double bytes, double *out,
                          mp_diag *d)
{
    static const char *const names[] = {"sram_bank_128b_mm2",
                                        "sram_bank_4096b_mm2",
                                        "sram_bank_8192b_mm2"};
    static const double sizes[] = {128.0, 4096.0, 8192.0};
    for (int i = 0; i < 3; i++)
        if (!mp_tech_find(t, names[i]))
            return 1;
    return sram_loglog(t, names, sizes, bytes, out, d);
}
