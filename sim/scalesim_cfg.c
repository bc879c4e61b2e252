/* scalesim_cfg.c - see scalesim_cfg.h. */
#include "sim/scalesim_cfg.h"

#include "golden/decimal.h"
#include "golden/infile.h"
#include "golden/suggest.h"

#include <ctype.h>
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
     * DRAM 1.3 nJ / 64 bit (Horowitz, "Computing's energy problem",
     * ISSCC 2014, the 45 nm energy table). */
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
               double lo, double hi, double *out, mp_diag *d)
{
    double x;
    int rc = mp_parse_real(v, lo, hi, &x);
    if (rc == MP_NUM_SYNTAX)
        return mp_fail(d, name, line, key, "not a decimal number: '%s'", v);
    if (rc == MP_NUM_RANGE)
        return mp_fail(d, name, line, key, "must be in %g..%g, got %g", lo,
                       hi, x);
    *out = x;
    return 0;
}

/* One "key: value" line of [architecture_presets] or [run_presets]. */
static int set_key(mp_arch *a, const char *name, int line, const char *key,
                   char *v, int *seen, mp_diag *d)
{
    double x;
    if (!strcasecmp(key, "ArrayHeight") || !strcasecmp(key, "ArrayWidth")) {
        if (num(name, line, key, v, 1, 65536, &x, d))
            return -1;
        if (x != floor(x))
            return mp_fail(d, name, line, key, "must be an integer in "
                           "1..65536, got %s", v);
        if (!strcasecmp(key, "ArrayHeight"))
            a->rows = (int)x, seen[0] = 1;
        else
            a->cols = (int)x, seen[1] = 1;
    } else if (!strcasecmp(key, "IfmapSramSzkB") ||
               !strcasecmp(key, "FilterSramSzkB") ||
               !strcasecmp(key, "OfmapSramSzkB")) {
        /* the arch YAML's buffers.*.kib range */
        if (num(name, line, key, v, 1e-3, 1 << 30, &x, d))
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
        /* words per cycle; 1e9 bounds bytes/s as the arch YAML does */
        if (num(name, line, key, v, 1e-9, 1e9, &x, d))
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
    return 0;
}

/* SCALE-Sim v2's own sections and keys (scalesim-project/scale-sim-v2,
 * commit ed219a3cd7c29f2c7174f042c2ffed90203b31ba, scalesim/scale_config.py,
 * read_conf_file).  The keys set_key() does not handle (run_name, offsets,
 * MemoryBanks, memory maps, TopologyCsvLoc) name files or addresses that do
 * not change cycle counts in mpsim's model; anything else is a typo or a
 * feature mpsim does not model, and an error, not a silent default. */
static const char *const sections[] = {
    "general", "architecture_presets", "run_presets", "memory_map_files",
    "network_presets", NULL};
static const char *const keys_general[] = {"run_name", NULL};
static const char *const keys_arch[] = {
    "ArrayHeight", "ArrayWidth", "IfmapSramSzkB", "FilterSramSzkB",
    "OfmapSramSzkB", "IfmapOffset", "FilterOffset", "OfmapOffset",
    "Dataflow", "Bandwidth", "MemoryBanks", NULL};
static const char *const keys_run[] = {"InterfaceBandwidth", NULL};
static const char *const keys_maps[] = {"MemoryMapIfmap", "MemoryMapFilter",
                                        "MemoryMapOfmap", NULL};
static const char *const keys_network[] = {"TopologyCsvLoc", NULL};
static const char *const *const section_keys[] = {
    keys_general, keys_arch, keys_run, keys_maps, keys_network};

/* Index of `word` in `list` (case-insensitive, as configparser), or -1. */
static int find(const char *const *list, const char *word)
{
    for (int i = 0; list[i]; i++)
        if (!strcasecmp(list[i], word))
            return i;
    return -1;
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
    int sec = -1, line = 0;
    int sec_line[sizeof sections / sizeof *sections] = {0};
    /* line of each key of the current section, for duplicates (which
     * configparser's strict mode refuses too) */
    int key_line[sizeof keys_arch / sizeof *keys_arch] = {0};
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
            snprintf(section, sizeof section, "%s", trim(s + 1));
            sec = find(sections, section);
            if (sec < 0)
                return mp_fail_unknown(d, name, line, section, section,
                                       sections);
            if (sec_line[sec])
                return mp_fail(d, name, line, section, "duplicate section "
                               "(first on line %d)", sec_line[sec]);
            sec_line[sec] = line;
            memset(key_line, 0, sizeof key_line);
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
        if (sec < 0)
            return mp_fail(d, name, line, key, "key outside a [section]");
        int k = find(section_keys[sec], key);
        if (k < 0)
            return mp_fail_unknown(d, name, line, key, key,
                                   section_keys[sec]);
        if (key_line[k])
            return mp_fail(d, name, line, key, "duplicate key (first on "
                           "line %d)", key_line[k]);
        key_line[k] = line;
        if (!*val)
            return mp_fail(d, name, line, key, "empty value");
        if (set_key(a, name, line, key, val, seen, d))
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
    char *text;
    size_t len;
    if (mp_in_slurp(path, MP_TEXT_MAX_BYTES, "file", &text, &len, d))
        return -1;
    int rc = mp_scalesim_cfg_parse(text, path, a, d);
    free(text);
    return rc;
}
