/* scalesim_cfg.c - see scalesim_cfg.h. */
#include "sim/scalesim_cfg.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The INT8 baseline a .cfg describes.  SCALE-Sim counts cycles only; the
 * clock and the energy figures below exist so that mpsim can still print
 * seconds and joules, and each names its source. */
static void scalesim_defaults(mp_arch *a, const char *name)
{
    mp_arch_defaults(a);
    snprintf(a->file, sizeof a->file, "%s", name);
    const char *base = strrchr(name, '/');
    snprintf(a->name, sizeof a->name, "%s", base ? base + 1 : name);
    snprintf(a->description, sizeof a->description,
             "SCALE-Sim v2 config: INT8 MAC array, SCALE-Sim conventions");
    snprintf(a->pe_name, sizeof a->pe_name, "int8-mac");
    snprintf(a->tech_name, sizeof a->tech_name, "asic-45nm");
    a->pe_params.wfmt.kind = MP_W_SIGNED;
    a->pe_params.wfmt.bits = 8;
    a->pe_params.act = MP_ACT_INT8;
    a->clock_hz = 1e9;          /* mpsim assumption: SCALE-Sim has no clock */
    a->scalesim = 1;
    a->fold_overlap = 0;        /* SCALE-Sim drains every fold */
    /* SCALE-Sim's word is one byte for every operand (single_layer_sim.py,
     * word_size = 1); scales are not modelled. */
    a->scale_bits = 0;
    a->zero_bits = 0;
    a->out_bits = 8;
    a->acc_bits = 8;
    /* Energies: Horowitz ISSCC 2014 45 nm, 32 KB SRAM 20 pJ / 64 bit and
     * DRAM 1.3 nJ / 64 bit (pe-reference.md section 6). */
    mp_buffer *b[3] = {&a->wbuf, &a->abuf, &a->obuf};
    for (int i = 0; i < 3; i++) {
        b[i]->read_pj_bit = b[i]->write_pj_bit = 20.0 / 64.0;
        b[i]->double_buffered = 1; /* double_buffered_scratchpad_mem.py */
    }
    a->dram.read_pj_bit = a->dram.write_pj_bit = 1300.0 / 64.0;
    a->dram.efficiency = 1.0;
    a->dram.bytes_per_s = 10 * a->clock_hz; /* replaced by Bandwidth */
}

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    return s;
}

static int num(const char *name, int line, const char *key, const char *v,
               double lo, double *out, mp_diag *d)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || *trim(end) || errno || !isfinite(x))
        return mp_fail(d, name, line, key, "not a number: '%s'", v);
    if (x < lo)
        return mp_fail(d, name, line, key, "must be >= %g, got %g", lo, x);
    *out = x;
    return 0;
}

/* One "key: value" line of [architecture_presets] or [run_presets]. */
static int set_key(mp_arch *a, const char *name, int line, const char *key,
                   char *v, int *seen, mp_diag *d)
{
    double x;
    if (!strcasecmp(key, "ArrayHeight") || !strcasecmp(key, "ArrayWidth")) {
        if (num(name, line, key, v, 1, &x, d))
            return -1;
        if (x > 65536 || x != floor(x))
            return mp_fail(d, name, line, key, "must be an integer in "
                           "1..65536, got %s", v);
        if (!strcasecmp(key, "ArrayHeight"))
            a->rows = (int)x, seen[0] = 1;
        else
            a->cols = (int)x, seen[1] = 1;
    } else if (!strcasecmp(key, "IfmapSramSzkB") ||
               !strcasecmp(key, "FilterSramSzkB") ||
               !strcasecmp(key, "OfmapSramSzkB")) {
        if (num(name, line, key, v, 1e-3, &x, d))
            return -1;
        int64_t bytes = (int64_t)llround(x * 1024.0);
        if (tolower((unsigned char)key[0]) == 'i')
            a->abuf.bytes = bytes, seen[2] = 1;
        else if (tolower((unsigned char)key[0]) == 'f')
            a->wbuf.bytes = bytes, seen[3] = 1;
        else
            a->obuf.bytes = bytes, seen[4] = 1;
    } else if (!strcasecmp(key, "Dataflow")) {
        if (mp_dataflow_parse(v, &a->dataflow))
            return mp_fail(d, name, line, key, "unknown dataflow '%s' "
                           "(os|ws|is)", v);
        seen[5] = 1;
    } else if (!strcasecmp(key, "Bandwidth")) {
        if (num(name, line, key, v, 1e-9, &x, d))
            return -1;
        a->dram.bytes_per_s = x * a->clock_hz; /* one-byte words/cycle */
    } else if (!strcasecmp(key, "InterfaceBandwidth")) {
        if (!strcasecmp(v, "CALC"))
            a->scalesim_calc_bw = 1;
        else if (!strcasecmp(v, "USER"))
            a->scalesim_calc_bw = 0;
        else
            return mp_fail(d, name, line, key, "must be CALC or USER, got "
                           "'%s'", v);
    }
    /* other keys (offsets, banks, run_name, ...) are not modelled */
    return 0;
}

int mp_scalesim_cfg_parse(const char *text, const char *name, mp_arch *a,
                          mp_diag *d)
{
    scalesim_defaults(a, name);
    a->scalesim_calc_bw = 1; /* SCALE-Sim's default run preset */
    int seen[6] = {0};
    static const char *const required[6] = {
        "ArrayHeight", "ArrayWidth", "IfmapSramSzkB", "FilterSramSzkB",
        "OfmapSramSzkB", "Dataflow"};
    char section[64] = "";
    int line = 0;
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char buf[512];
        line++;
        if (len >= sizeof buf)
            return mp_fail(d, name, line, "cfg", "line too long");
        memcpy(buf, p, len);
        buf[len] = '\0';
        p = nl ? nl + 1 : p + len;
        char *hash = strpbrk(buf, "#;");
        if (hash)
            *hash = '\0';
        char *s = trim(buf);
        if (!*s)
            continue;
        if (*s == '[') {
            char *close = strchr(s, ']');
            if (!close || close[1])
                return mp_fail(d, name, line, "cfg", "malformed section "
                               "header '%s'", s);
            *close = '\0';
            snprintf(section, sizeof section, "%s", s + 1);
            continue;
        }
        char *sep = strpbrk(s, ":=");
        if (!sep)
            return mp_fail(d, name, line, "cfg", "expected 'key: value', "
                           "got '%s'", s);
        *sep = '\0';
        char *key = trim(s), *val = trim(sep + 1);
        if (!*key)
            return mp_fail(d, name, line, "cfg", "empty key");
        if (!section[0])
            return mp_fail(d, name, line, key, "key outside a [section]");
        if (!*val)
            return mp_fail(d, name, line, key, "empty value");
        if ((!strcasecmp(section, "architecture_presets") ||
             !strcasecmp(section, "run_presets")) &&
            set_key(a, name, line, key, val, seen, d))
            return -1;
    }
    for (int i = 0; i < 6; i++)
        if (!seen[i])
            return mp_fail(d, name, 0, required[i], "missing from "
                           "[architecture_presets]");
    return mp_arch_validate(a, d);
}

int mp_scalesim_cfg_load(const char *path, mp_arch *a, mp_diag *d)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return mp_fail(d, path, 0, "file", "cannot read: %s", strerror(errno));
    char *text = NULL;
    size_t len = 0, cap = 0;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (len + got + 1 > cap) {
            cap = (len + got + 1) * 2;
            char *t = realloc(text, cap);
            if (!t) {
                free(text);
                fclose(fp);
                return mp_fail(d, path, 0, "file", "out of memory");
            }
            text = t;
        }
        memcpy(text + len, chunk, got);
        len += got;
    }
    int err = ferror(fp);
    fclose(fp);
    if (err) {
        free(text);
        return mp_fail(d, path, 0, "file", "read error");
    }
    if (!text && !(text = calloc(1, 1)))
        return mp_fail(d, path, 0, "file", "out of memory");
    text[len] = '\0';
    if (memchr(text, '\0', len)) {
        free(text);
        return mp_fail(d, path, 0, "file", "binary data in a .cfg file");
    }
    int rc = mp_scalesim_cfg_parse(text, path, a, d);
    free(text);
    return rc;
}
