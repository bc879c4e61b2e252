/* arch.c - see arch.h.  YAML architecture reader, validation, binding. */
#include "sim/arch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "golden/datadir.h"
#include "golden/strutil.h"
#include "rtl_gen/rtl.h"
#include "sim/scalesim_cfg.h"
#include "sim/tech_load.h"
#include "workloads/yaml_doc.h"

static const char *const df_names[] = {"os", "ws", "is"};

const char *mp_dataflow_name(mp_dataflow df)
{
    return (df >= MP_DF_OS && df <= MP_DF_IS) ? df_names[df] : "?";
}

int mp_dataflow_parse(const char *name, mp_dataflow *out)
{
    for (int i = 0; i < 3; i++)
        if (!strcasecmp(name, df_names[i])) {
            *out = (mp_dataflow)i;
            return 0;
        }
    return -1;
}

const char *mp_arch_dataflow_label(const mp_arch *a, char *buf, int cap)
{
    if (!a->dataflow_auto)
        return mp_dataflow_name(a->dataflow);
    int n = snprintf(buf, (size_t)cap, "auto(");
    for (int df = MP_DF_OS; df <= MP_DF_IS && n < cap; df++)
        if (a->dataflow_auto & (1 << df))
            n += snprintf(buf + n, (size_t)(cap - n), "%s%s",
                          buf[n - 1] == '(' ? "" : ",",
                          mp_dataflow_name((mp_dataflow)df));
    if (n < cap)
        snprintf(buf + n, (size_t)(cap - n), ")");
    return buf;
}

/* `auto`: the dataflows the RTL generator implements; `auto-all`: all. */
static int parse_dataflow(const char *s, mp_arch *a)
{
    a->dataflow_auto = 0;
    if (!strcasecmp(s, "auto") || !strcasecmp(s, "auto-all")) {
        mp_dataflow df;
        if (mp_dataflow_parse(MP_RTL_DATAFLOW, &df))
            return -1;
        a->dataflow_auto = strcasecmp(s, "auto") ? 7 : 1 << df;
        a->dataflow = df;
        return 0;
    }
    return mp_dataflow_parse(s, &a->dataflow);
}

void mp_arch_defaults(mp_arch *a)
{
    memset(a, 0, sizeof *a);
    a->cores = 1;
    a->dataflow = MP_DF_OS;
    a->pe_params.group_size = 128;
    a->pe_params.act = MP_ACT_INT8;
    a->pe_params.wfmt.kind = MP_W_SIGNED;
    a->pe_params.wfmt.bits = 8;
    a->dram.efficiency = 1.0;
    snprintf(a->dram.kind, sizeof a->dram.kind, "dram");
    a->wbuf.double_buffered = a->abuf.double_buffered = 1;
    a->obuf.double_buffered = 1;
    a->wbuf.banks = a->abuf.banks = a->obuf.banks = 1;
    /* mpsim assumptions, docs/model.md "DRAM layout": FP16 scales, zero
     * points at the weight width, FP16 outputs, 32-bit partial sums. */
    a->scale_bits = 16;
    a->zero_bits = 0;
    a->out_bits = 16;
    a->acc_bits = 32;
    a->vector_ops_per_cycle = 64;
    a->vector_pj_op = 0;
}

/* ---- YAML reader ------------------------------------------------------ */

static int parse_acc(const char *s, mp_acc_fmt *out)
{
    static const struct { const char *name; mp_acc_fmt fmt; } tab[] = {
        {"int", MP_ACC_INT}, {"fixed", MP_ACC_FIXED},
        {"fp16", MP_ACC_FP16}, {"fp32", MP_ACC_FP32}};
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (!strcasecmp(s, tab[i].name)) {
            *out = tab[i].fmt;
            return 0;
        }
    return -1;
}

static int get_int(mp_yaml *y, yaml_node_t *m, const char *pre,
                   const char *key, int req, int64_t lo, int64_t hi, int *out,
                   mp_diag *d)
{
    int64_t v = *out;
    if (mp_yaml_int(y, m, pre, key, req, lo, hi, &v, d))
        return -1;
    *out = (int)v;
    return 0;
}

/* A `pe:` map (the array's, or the attention array's at `pre`
 * "attention.pe") into family name and params; `arch` (the array's map
 * only) takes the arch-wide `energy` choice. */
static int read_pe_map(mp_yaml *y, yaml_node_t *n, const char *pre,
                       char *family, size_t family_cap, int *line,
                       mp_pe_params *p, mp_arch *arch, mp_diag *d)
{
    static const char *const keys[] = {
        "family", "weights", "act", "group_size", "zeros", "tile_m",
        "tile_n", "tile_k", "acc", "table_fmt", "table_fused", "chain_len",
        "sparse_n", "sparse_m", "pack_products", "edge_units",
        "dequant_stages", "fma_stages", "scale_stages", "energy", NULL};
    /* energy (model|gate-level) is the arch's choice: the array's pe: map
     * only (arch == NULL for the attention array's) */
    const char *const *allowed = keys;
    const char *no_energy[sizeof keys / sizeof keys[0]];
    if (!arch) {
        size_t k = 0;
        for (size_t i = 0; keys[i]; i++)
            if (strcmp(keys[i], "energy"))
                no_energy[k++] = keys[i];
        no_energy[k] = NULL;
        allowed = no_energy;
    }
    if (!(n = mp_yaml_want_map(y, n, pre, d)) ||
        mp_yaml_check_keys(y, n, pre, allowed, d))
        return -1;
    char buf[32];
    if (mp_yaml_string(y, n, pre, "family", 1, family, family_cap, d))
        return -1;
    *line = mp_yaml_line(mp_yaml_get(y, n, "family"));
    buf[0] = '\0';
    if (mp_yaml_string(y, n, pre, "weights", 0, buf, sizeof buf, d))
        return -1;
    if (buf[0] && mp_wfmt_parse(buf, &p->wfmt))
        return mp_yaml_fail(y, d, mp_yaml_get(y, n, "weights"), pre,
                            "weights", "unknown weight format '%s'", buf);
    buf[0] = '\0';
    if (mp_yaml_string(y, n, pre, "act", 0, buf, sizeof buf, d))
        return -1;
    if (buf[0] && mp_act_parse(buf, &p->act))
        return mp_yaml_fail(y, d, mp_yaml_get(y, n, "act"), pre, "act",
                            "unknown activation format '%s'", buf);
    buf[0] = '\0';
    if (mp_yaml_string(y, n, pre, "acc", 0, buf, sizeof buf, d))
        return -1;
    if (buf[0] && parse_acc(buf, &p->acc))
        return mp_yaml_fail(y, d, mp_yaml_get(y, n, "acc"), pre, "acc",
                            "unknown accumulator '%s' (int|fixed|fp16|fp32)",
                            buf);
    buf[0] = '\0';
    if (arch && mp_yaml_string(y, n, pre, "energy", 0, buf, sizeof buf, d))
        return -1;
    if (buf[0])
        arch->energy_line = mp_yaml_line(mp_yaml_get(y, n, "energy"));
    if (buf[0] && (arch->energy_gate = mp_energy_mode_parse(buf)) < 0)
        return mp_yaml_fail(y, d, mp_yaml_get(y, n, "energy"), pre,
                            "energy", "unknown energy source '%s' "
                            "(model|gate-level)", buf);
    buf[0] = '\0';
    if (mp_yaml_string(y, n, pre, "table_fmt", 0, buf, sizeof buf, d))
        return -1;
    if (buf[0] && mp_act_parse(buf, &p->table_fmt))
        return mp_yaml_fail(y, d, mp_yaml_get(y, n, "table_fmt"), pre,
                            "table_fmt", "unknown format '%s'", buf);
    if (get_int(y, n, pre, "group_size", 0, 1, 1 << 20, &p->group_size, d) ||
        mp_yaml_bool(y, n, pre, "zeros", 0, &p->has_zeros, d) ||
        get_int(y, n, pre, "tile_m", 0, 0, 4096, &p->tile_m, d) ||
        get_int(y, n, pre, "tile_n", 0, 0, 4096, &p->tile_n, d) ||
        get_int(y, n, pre, "tile_k", 0, 0, 4096, &p->tile_k, d) ||
        mp_yaml_bool(y, n, pre, "table_fused", 0, &p->table_fused, d) ||
        get_int(y, n, pre, "chain_len", 0, 0, 4096, &p->chain_len, d) ||
        get_int(y, n, pre, "sparse_n", 0, 0, 64, &p->sparse_n, d) ||
        get_int(y, n, pre, "sparse_m", 0, 0, 64, &p->sparse_m, d) ||
        get_int(y, n, pre, "pack_products", 0, 0, 4, &p->pack_products, d) ||
        get_int(y, n, pre, "edge_units", 0, 0, 1 << 20, &p->edge_units, d) ||
        get_int(y, n, pre, "dequant_stages", 0, 0, MP_DEQUANT_STAGES_MAX,
                &p->dequant_stages, d) ||
        get_int(y, n, pre, "fma_stages", 0, 0, MP_FMA_STAGES_MAX,
                &p->fma_stages, d) ||
        get_int(y, n, pre, "scale_stages", 0, 0, MP_SCALE_STAGES_MAX,
                &p->scale_stages, d))
        return -1;
    return 0;
}

static int read_pe(mp_yaml *y, yaml_node_t *root, mp_arch *a, mp_diag *d)
{
    yaml_node_t *n = mp_yaml_get(y, root, "pe");
    if (!n)
        return mp_yaml_fail(y, d, root, "", "pe", "missing (the PE family)");
    return read_pe_map(y, n, "pe", a->pe_name, sizeof a->pe_name,
                       &a->pe_line, &a->pe_params, a, d);
}

/* Optional `attention:` (docs/model.md, "Attention array"): a second
 * array, {pe: {...}, rows, cols, cores}, for the GEMM_ACT ops. */
static int read_attention(mp_yaml *y, yaml_node_t *root, mp_arch *a,
                          mp_diag *d)
{
    static const char *const keys[] = {"pe", "rows", "cols", "cores", NULL};
    yaml_node_t *n = mp_yaml_get(y, root, "attention");
    if (!n)
        return 0;
    if (!(n = mp_yaml_want_map(y, n, "attention", d)) ||
        mp_yaml_check_keys(y, n, "attention", keys, d))
        return -1;
    yaml_node_t *pe = mp_yaml_get(y, n, "pe");
    if (!pe)
        return mp_yaml_fail(y, d, n, "attention", "pe",
                            "missing (the attention array's PE family)");
    mp_pe_params_init(&a->attn_pe_params);
    a->attn_cores = 1;
    return read_pe_map(y, pe, "attention.pe", a->attn_pe_name,
                       sizeof a->attn_pe_name, &a->attn_pe_line,
                       &a->attn_pe_params, NULL, d) ||
           get_int(y, n, "attention", "rows", 1, 1, 1 << 16, &a->attn_rows,
                   d) ||
           get_int(y, n, "attention", "cols", 1, 1, 1 << 16, &a->attn_cols,
                   d) ||
           get_int(y, n, "attention", "cores", 0, 1, 1024, &a->attn_cores, d)
               ? -1
               : 0;
}

static int read_array(mp_yaml *y, yaml_node_t *root, mp_arch *a, mp_diag *d)
{
    static const char *const keys[] = {"rows", "cols", "cores", "dataflow",
                                       "clock_hz", "fold_overlap",
                                       "load_cycles", NULL};
    yaml_node_t *n = mp_yaml_get(y, root, "array");
    if (!n)
        return mp_yaml_fail(y, d, root, "", "array", "missing");
    if (!(n = mp_yaml_want_map(y, n, "array", d)) ||
        mp_yaml_check_keys(y, n, "array", keys, d))
        return -1;
    char df[16] = "os";
    if (get_int(y, n, "array", "rows", 1, 1, 1 << 16, &a->rows, d) ||
        get_int(y, n, "array", "cols", 1, 1, 1 << 16, &a->cols, d) ||
        get_int(y, n, "array", "cores", 0, 1, 1024, &a->cores, d) ||
        mp_yaml_double(y, n, "array", "clock_hz", 1, 1e-300, 1e12,
                       &a->clock_hz, d) ||
        mp_yaml_bool(y, n, "array", "fold_overlap", 0, &a->fold_overlap, d) ||
        get_int(y, n, "array", "load_cycles", 0, 0, 1 << 20, &a->load_cycles,
                d) ||
        mp_yaml_string(y, n, "array", "dataflow", 0, df, sizeof df, d))
        return -1;
    if (parse_dataflow(df, a))
        return mp_yaml_fail(y, d, mp_yaml_get(y, n, "dataflow"), "array",
                            "dataflow", "unknown dataflow '%s' (os|ws|is|"
                            "auto|auto-all)", df);
    return 0;
}

static int read_buffer(mp_yaml *y, yaml_node_t *bufs, const char *key,
                       mp_buffer *b, mp_diag *d)
{
    static const char *const keys[] = {"kib", "banks", "double_buffer",
                                       "read_pj_bit", "write_pj_bit", NULL};
    char path[32];
    snprintf(path, sizeof path, "buffers.%s", key);
    yaml_node_t *n = mp_yaml_get(y, bufs, key);
    if (!n)
        return mp_yaml_fail(y, d, bufs, "buffers", key, "missing");
    if (!(n = mp_yaml_want_map(y, n, path, d)) ||
        mp_yaml_check_keys(y, n, path, keys, d))
        return -1;
    double kib = 0;
    if (mp_yaml_double(y, n, path, "kib", 1, 1.0 / 1024, 1 << 30, &kib, d) ||
        get_int(y, n, path, "banks", 0, 1, 1 << 20, &b->banks, d) ||
        mp_yaml_bool(y, n, path, "double_buffer", 0, &b->double_buffered,
                     d) ||
        mp_yaml_double(y, n, path, "read_pj_bit", 0, 0, 1e6, &b->read_pj_bit,
                       d) ||
        mp_yaml_double(y, n, path, "write_pj_bit", 0, 0, 1e6,
                       &b->write_pj_bit, d))
        return -1;
    b->bytes = (int64_t)llround(kib * 1024.0);
    return 0;
}

static int read_buffers(mp_yaml *y, yaml_node_t *root, mp_arch *a,
                        mp_diag *d)
{
    static const char *const keys[] = {"weight", "act", "out", "leakage_w",
                                       "area_mm2", "weights_on_chip", NULL};
    yaml_node_t *n = mp_yaml_get(y, root, "buffers");
    if (!n)
        return mp_yaml_fail(y, d, root, "", "buffers", "missing");
    if (!(n = mp_yaml_want_map(y, n, "buffers", d)) ||
        mp_yaml_check_keys(y, n, "buffers", keys, d) ||
        read_buffer(y, n, "weight", &a->wbuf, d) ||
        read_buffer(y, n, "act", &a->abuf, d) ||
        read_buffer(y, n, "out", &a->obuf, d) ||
        mp_yaml_double(y, n, "buffers", "leakage_w", 0, 0, 1e6,
                       &a->sram_leakage_w, d) ||
        mp_yaml_double(y, n, "buffers", "area_mm2", 0, 0, 1e6,
                       &a->sram_area_mm2, d) ||
        mp_yaml_bool(y, n, "buffers", "weights_on_chip", 0,
                     &a->weights_on_chip, d))
        return -1;
    return 0;
}

static int read_dram(mp_yaml *y, yaml_node_t *root, mp_arch *a, mp_diag *d)
{
    static const char *const keys[] = {
        "kind", "gbytes_per_s", "efficiency", "latency_ns", "read_pj_bit",
        "write_pj_bit", "background_w", "gbytes", "capacity", NULL};
    yaml_node_t *n = mp_yaml_get(y, root, "dram");
    if (!n)
        return mp_yaml_fail(y, d, root, "", "dram", "missing");
    if (!(n = mp_yaml_want_map(y, n, "dram", d)) ||
        mp_yaml_check_keys(y, n, "dram", keys, d))
        return -1;
    double gbps = 0, lat_ns = 0, gbytes = 0;
    char policy[16] = "report";
    mp_dram *m = &a->dram;
    if (mp_yaml_string(y, n, "dram", "kind", 0, m->kind, sizeof m->kind, d) ||
        mp_yaml_double(y, n, "dram", "gbytes_per_s", 1, 1e-300, 1e9, &gbps,
                       d) ||
        mp_yaml_double(y, n, "dram", "efficiency", 0, 1e-300, 1.0,
                       &m->efficiency, d) ||
        mp_yaml_double(y, n, "dram", "latency_ns", 0, 0, 1e9, &lat_ns, d) ||
        mp_yaml_double(y, n, "dram", "read_pj_bit", 1, 0, 1e6,
                       &m->read_pj_bit, d) ||
        mp_yaml_double(y, n, "dram", "write_pj_bit", 1, 0, 1e6,
                       &m->write_pj_bit, d) ||
        mp_yaml_double(y, n, "dram", "background_w", 0, 0, 1e6,
                       &m->background_w, d) ||
        mp_yaml_double(y, n, "dram", "gbytes", 0, 0, 1e9, &gbytes, d) ||
        mp_yaml_string(y, n, "dram", "capacity", 0, policy, sizeof policy,
                       d))
        return -1;
    if (strcmp(policy, "refuse") && strcmp(policy, "report"))
        return mp_yaml_fail(y, d, mp_yaml_get(y, n, "capacity"), "dram",
                            "capacity", "expected refuse or report, got "
                            "'%s'", policy);
    m->capacity_bytes = gbytes * 1e9;
    m->capacity_refuse = !strcmp(policy, "refuse");
    m->bytes_per_s = gbps * 1e9;
    m->latency_s = lat_ns * 1e-9;
    return 0;
}

/* An optional section `key`: *out is its mapping (keys checked), or NULL
 * when the file leaves it out. */
static int optional_section(mp_yaml *y, yaml_node_t *root, const char *key,
                            const char *const *keys, yaml_node_t **out,
                            mp_diag *d)
{
    yaml_node_t *n = mp_yaml_get(y, root, key);
    *out = NULL;
    if (!n)
        return 0;
    if (!(n = mp_yaml_want_map(y, n, key, d)) ||
        mp_yaml_check_keys(y, n, key, keys, d))
        return -1;
    *out = n;
    return 0;
}

static int read_data(mp_yaml *y, yaml_node_t *root, mp_arch *a, mp_diag *d)
{
    static const char *const keys[] = {"scale_bits", "zero_bits", "out_bits",
                                       "acc_bits", NULL};
    yaml_node_t *n;
    if (optional_section(y, root, "data", keys, &n, d))
        return -1;
    if (n &&
        (get_int(y, n, "data", "scale_bits", 0, 0, 64, &a->scale_bits, d) ||
         get_int(y, n, "data", "zero_bits", 0, 0, 64, &a->zero_bits, d) ||
         get_int(y, n, "data", "out_bits", 0, 1, 64, &a->out_bits, d) ||
         get_int(y, n, "data", "acc_bits", 0, 1, 64, &a->acc_bits, d)))
        return -1;
    return 0;
}

static int read_vector(mp_yaml *y, yaml_node_t *root, mp_arch *a, mp_diag *d)
{
    static const char *const keys[] = {"ops_per_cycle", "pj_per_op", NULL};
    yaml_node_t *n;
    if (optional_section(y, root, "vector", keys, &n, d))
        return -1;
    if (n && (mp_yaml_double(y, n, "vector", "ops_per_cycle", 0, 1e-300,
                             1e12, &a->vector_ops_per_cycle, d) ||
              mp_yaml_double(y, n, "vector", "pj_per_op", 0, 0, 1e9,
                             &a->vector_pj_op, d)))
        return -1;
    return 0;
}

static int read_control(mp_yaml *y, yaml_node_t *root, mp_arch *a,
                        mp_diag *d)
{
    static const char *const keys[] = {"inst_issue_cycles",
                                       "insts_per_chunk", "op_sync_cycles",
                                       NULL};
    yaml_node_t *n;
    if (optional_section(y, root, "control", keys, &n, d))
        return -1;
    if (n && (mp_yaml_double(y, n, "control", "inst_issue_cycles", 0, 0, 1e9,
                             &a->ctrl_issue_cycles, d) ||
              mp_yaml_double(y, n, "control", "insts_per_chunk", 0, 0, 1e9,
                             &a->ctrl_insts_per_chunk, d) ||
              mp_yaml_double(y, n, "control", "op_sync_cycles", 0, 0, 1e9,
                             &a->ctrl_sync_cycles, d)))
        return -1;
    return 0;
}

static int read_doc(mp_yaml *y, mp_arch *a, mp_diag *d)
{
    static const char *const keys[] = {"name", "description", "pe", "tech",
                                       "array", "buffers", "dram", "data",
                                       "vector", "control", "attention",
                                       NULL};
    yaml_node_t *root = mp_yaml_root_map(y, d);
    if (!root || mp_yaml_check_keys(y, root, "", keys, d))
        return -1;
    snprintf(a->file, sizeof a->file, "%s", y->file);
    if (mp_yaml_string(y, root, "", "name", 1, a->name, sizeof a->name, d) ||
        mp_yaml_string(y, root, "", "description", 0, a->description,
                       sizeof a->description, d) ||
        mp_yaml_string(y, root, "", "tech", 1, a->tech_name,
                       sizeof a->tech_name, d) ||
        (a->tech_line = mp_yaml_line(mp_yaml_get(y, root, "tech")), 0) ||
        read_pe(y, root, a, d) || read_array(y, root, a, d) ||
        read_buffers(y, root, a, d) || read_dram(y, root, a, d) ||
        read_data(y, root, a, d) || read_vector(y, root, a, d) ||
        read_control(y, root, a, d) || read_attention(y, root, a, d))
        return -1;
    a->pe_params.clock_hz = a->clock_hz;
    a->attn_pe_params.clock_hz = a->clock_hz;
    return mp_arch_validate(a, d);
}

int mp_arch_load(const char *path, mp_arch *a, mp_diag *d)
{
    mp_yaml y;
    mp_arch_defaults(a);
    if (mp_yaml_load(path, &y, d))
        return -1;
    int rc = read_doc(&y, a, d);
    mp_yaml_free(&y);
    return rc;
}

int mp_arch_read(mp_yaml *y, mp_arch *a, mp_diag *d)
{
    mp_arch_defaults(a);
    return read_doc(y, a, d);
}

int mp_arch_load_string(const char *text, const char *name, mp_arch *a,
                        mp_diag *d)
{
    mp_yaml y;
    mp_arch_defaults(a);
    if (mp_yaml_load_string(text, strlen(text), name, &y, d))
        return -1;
    int rc = read_doc(&y, a, d);
    mp_yaml_free(&y);
    return rc;
}

/* ---- validation and binding ------------------------------------------- */

int mp_arch_validate(const mp_arch *a, mp_diag *d)
{
    const char *f = a->file[0] ? a->file : MP_CMDLINE;
    if (a->rows <= 0)
        return mp_fail(d, f, 0, "array.rows", "must be > 0, got %d", a->rows);
    if (a->cols <= 0)
        return mp_fail(d, f, 0, "array.cols", "must be > 0, got %d", a->cols);
    if (a->cores <= 0)
        return mp_fail(d, f, 0, "array.cores", "must be > 0, got %d",
                       a->cores);
    if (!(a->clock_hz > 0) || !isfinite(a->clock_hz))
        return mp_fail(d, f, 0, "array.clock_hz", "must be > 0, got %g",
                       a->clock_hz);
    if (!(a->dram.bytes_per_s > 0))
        return mp_fail(d, f, 0, "dram.gbytes_per_s", "must be > 0");
    if (!(a->dram.efficiency > 0) || a->dram.efficiency > 1)
        return mp_fail(d, f, 0, "dram.efficiency", "must be in (0, 1]");
    const mp_buffer *b[3] = {&a->wbuf, &a->abuf, &a->obuf};
    const char *bn[3] = {"buffers.weight.kib", "buffers.act.kib",
                         "buffers.out.kib"};
    for (int i = 0; i < 3; i++)
        if (b[i]->bytes < 2)
            return mp_fail(d, f, 0, bn[i], "must be at least 2 bytes");
    if (!(a->vector_ops_per_cycle > 0))
        return mp_fail(d, f, 0, "vector.ops_per_cycle", "must be > 0");
    return 0;
}

/* Buffers without buffers.area_mm2: banks x the tech table's area of a
 * bank of that size (pe_models/tech.h mp_tech_sram_bank_mm2); 0 when the
 * table has no SRAM bank areas (reports say SRAM is not included). */
static int sram_area_from_tech(mp_arch *a, mp_diag *d)
{
    const mp_buffer *bufs[] = {&a->wbuf, &a->abuf, &a->obuf};
    double total = 0;
    for (int i = 0; i < 3; i++) {
        const mp_buffer *b = bufs[i];
        double bank;
        int banks = b->banks > 0 ? b->banks : 1;
        if (b->bytes <= 0) /* no such buffer */
            continue;
        int rc = mp_tech_sram_bank_mm2(&a->tech, (double)b->bytes / banks,
                                       &bank, d);
        if (rc)
            return rc < 0 ? -1 : 0;
        total += bank * banks;
    }
    a->sram_area_mm2 = total;
    return 0;
}

static double pe_leak_w(const mp_pe_cost *c, int rows, int cols, int cores)
{
    return c->leakage_uw * 1e-6 * (double)rows * cols * cores;
}

/* The attention array: its family, its default precision, its PE cost. */
static int bind_attention(mp_arch *a, const char *f, mp_diag *d)
{
    a->attn_pe = mp_pe_find(a->attn_pe_name);
    if (!a->attn_pe)
        return mp_fail(d, f, a->attn_pe_line, "attention.pe.family",
                       "unknown PE family '%s' (see mpsim list)",
                       a->attn_pe_name);
    a->attn_pe_params.clock_hz = a->clock_hz;
    a->attn_pe_written = a->attn_pe_params;
    mp_diag pd;
    if (a->attn_pe->check(&a->attn_pe_params, &pd))
        return mp_fail(d, f, a->attn_pe_line, "attention.pe", "%s: %s",
                       pd.field, pd.msg);
    if (a->attn_pe->cost(&a->attn_pe_params, &a->tech, &a->attn_cost, d))
        return -1;
    a->idle_leak_w = pe_leak_w(&a->attn_cost, a->attn_rows, a->attn_cols,
                               a->attn_cores);
    return 0;
}

void mp_arch_attention_view(const mp_arch *a, mp_arch *view)
{
    *view = *a;
    snprintf(view->pe_name, sizeof view->pe_name, "%s", a->attn_pe_name);
    view->pe = a->attn_pe;
    view->pe_params = a->attn_pe_params;
    view->pe_written = a->attn_pe_written;
    view->rows = a->attn_rows;
    view->cols = a->attn_cols;
    view->cores = a->attn_cores;
    view->cost = a->attn_cost;
    view->attn_pe = NULL;
    view->attn_rows = 0;
    /* gate-level energies are the array family's: the attention array
     * takes its model energies */
    view->energy_gate = 0;
    memset(view->gate_energy, 0, sizeof view->gate_energy);
    view->pe->timing(&view->pe_params, &view->timing);
    if (view->scalesim)
        view->timing.pipeline_depth = 0;
    view->idle_leak_w = pe_leak_w(&a->cost, a->rows, a->cols, a->cores);
}

int mp_arch_bind(mp_arch *a, mp_diag *d)
{
    const char *f = a->file[0] ? a->file : MP_CMDLINE;
    a->pe = mp_pe_find(a->pe_name);
    if (!a->pe)
        return mp_fail(d, f, a->pe_line, "pe.family", "unknown PE family "
                       "'%s' (see mpsim list)", a->pe_name);
    if (!a->tech_loaded) {
        mp_diag td;
        if (mp_tech_load_builtin(a->tech_name, &a->tech, &td)) {
            /* a missing table is this file's error; a broken one the
             * table's own */
            if (td.line == 0)
                return mp_fail(d, f, a->tech_line, "tech", "cannot load "
                               "tech table '%s': %s", a->tech_name, td.msg);
            if (d)
                *d = td;
            return -1;
        }
        a->tech_loaded = 1;
    }
    a->pe_params.clock_hz = a->clock_hz;
    a->pe_written = a->pe_params;
    mp_diag pd;
    if (a->pe->check(&a->pe_params, &pd))
        return mp_fail(d, f, 0, pd.field[0] ? pd.field : "pe", "%s", pd.msg);
    a->pe->timing(&a->pe_params, &a->timing);
    if (a->scalesim)
        a->timing.pipeline_depth = 0;
    if (mp_energy_cal_bind(a, d) ||
        mp_arch_pe_cost(a, &a->pe_params, &a->cost, d))
        return -1;
    if (a->attn_rows > 0 && bind_attention(a, f, d))
        return -1;
    if (!(a->sram_area_mm2 > 0) && sram_area_from_tech(a, d))
        return -1;
    const mp_tech_const *st = mp_tech_find(&a->tech, "static_w");
    a->static_w = st ? st->value : 0;
    /* uW/MHz x MHz = uW.  Each bank is a cascade of UltraRAM blocks of
     * which one is enabled per access (Xilinx UG440, XPE user guide,
     * UltraRAM sheet: cascading "reduces the overall power by enabling
     * only one URAM of a cascade at a time"): one clocked block per bank
     * while a layer runs. */
    const mp_tech_const *ur = mp_tech_find(&a->tech, "uram_uw_per_mhz");
    double banks = (double)a->wbuf.banks + a->abuf.banks + a->obuf.banks;
    a->buffer_w = a->tech.is_fpga && ur
        ? banks * ur->value * (a->clock_hz * 1e-6) * 1e-6
        : 0;
    return 0;
}

void mp_arch_pe_at(const mp_arch *a, mp_wfmt w, mp_act_fmt act,
                   mp_pe_params *out)
{
    const mp_pe_params *own = &a->pe_params;
    int same = own->act == act && own->wfmt.kind == w.kind &&
               own->wfmt.bits == w.bits;
    /* the bound params hold the defaults of the arch's own precision */
    *out = same ? *own : a->pe_written;
    out->wfmt = w;
    out->act = act;
}

mp_wfmt mp_arch_datapath_wfmt(const mp_arch *a, mp_wfmt w)
{
    mp_wfmt hw = a->pe_params.wfmt;
    if (!a->pe->widens_weights || w.bits >= hw.bits)
        return w;
    w.kind = w.kind == MP_W_UNSIGNED ? MP_W_UNSIGNED : MP_W_SIGNED;
    w.bits = hw.bits;
    return w;
}

int mp_arch_refuse(const mp_arch *a, mp_wfmt w, mp_act_fmt act,
                   const char *opname, const mp_diag *why, mp_diag *d)
{
    char wn[16];
    return mp_fail(d, a->file, 0, opname, "PE family '%s' cannot run %s "
                   "weights x %s activations: %s", a->pe->name,
                   mp_wfmt_name(w, wn, sizeof wn), mp_act_name(act),
                   why->msg);
}

int mp_arch_set_precision(mp_arch *a, mp_wfmt w, mp_act_fmt act,
                          const char *opname, mp_diag *d)
{
    mp_wfmt hw = mp_arch_datapath_wfmt(a, w);
    if (hw.kind == a->pe_params.wfmt.kind &&
        hw.bits == a->pe_params.wfmt.bits && act == a->pe_params.act)
        return 0; /* its own precision: bound already */
    mp_pe_params p, probe;
    mp_arch_pe_at(a, hw, act, &p);
    probe = p;
    mp_diag why;
    memset(&why, 0, sizeof why);
    if (a->pe->check(&probe, &why))
        return mp_arch_refuse(a, w, act, opname, &why, d);
    a->pe_params = p;
    return mp_arch_bind(a, d);
}

#define URAM_BITS (4096.0 * 72.0)
static double buffer_blocks(const mp_buffer *b)
{
    double blocks = ceil((double)b->bytes * 8.0 / URAM_BITS);
    return blocks > b->banks ? blocks : (double)b->banks;
}

double mp_arch_fpga_buffer_blocks(const mp_arch *a)
{
    return buffer_blocks(&a->wbuf) + buffer_blocks(&a->abuf) +
           buffer_blocks(&a->obuf);
}

void mp_arch_free(mp_arch *a)
{
    if (a->tech_loaded)
        mp_tech_free(&a->tech);
    a->tech_loaded = 0;
}

int mp_arch_open(const char *spec, const char *field, mp_arch *a, mp_diag *d)
{
    int rc;
    mp_arch_defaults(a);
    if (mp_ends_with_nocase(spec, ".cfg")) {
        rc = mp_scalesim_cfg_load(spec, a, d);
    } else if (mp_ends_with_nocase(spec, ".yaml") ||
               mp_ends_with_nocase(spec, ".yml") || strchr(spec, '/')) {
        rc = mp_arch_load(spec, a, d);
    } else {
        char path[4096];
        if (mp_data_path("sim/arch", spec, ".yaml", path, sizeof path))
            return mp_fail(d, MP_CMDLINE, 0, field, "unknown architecture "
                           "'%s' (not a preset, .yaml or .cfg; see mpsim "
                           "list)", spec);
        rc = mp_arch_load(path, a, d);
    }
    if (rc)
        return -1;
    if (mp_arch_bind(a, d)) {
        mp_arch_free(a);
        return -1;
    }
    return 0;
}

int mp_arch_presets(char names[][64], int cap)
{
    return mp_data_names("sim/arch", ".yaml", names, cap);
}

double mp_arch_peak_macs_per_cycle(const mp_arch *a)
{
    const mp_pe_timing *t = &a->timing;
    double per_pe = (double)t->tile_m * t->tile_n * t->tile_k /
                    (t->cycles_per_tile > 0 ? t->cycles_per_tile : 1);
    return per_pe * a->rows * a->cols * a->cores;
}
