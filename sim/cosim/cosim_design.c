/*
 * cosim_design.c - read an RTL directory (params.json, files.f) into a
 * co-simulation design; see mp_cosim_design_read() in cosim.h.
 *
 * params.json is read with libyaml (JSON is YAML's flow style).  Its keys
 * are those rtl_gen/rtl_registry.c writes (family, top, rows, cols, k_max,
 * group, act, weight, scales, zeros, act_scale, m_tile, n_tile, k_step,
 * arith, load_bits when wider than 32), plus optional PE knobs named like
 * the arch YAML's `pe:` keys (acc, table_fmt, tile_k, chain_len...); any
 * other key is an error with a did-you-mean.  The configuration is rebuilt
 * and the tile geometry and arithmetic recomputed by the generator's own
 * check, so a hand-edited .v file is judged against what its configuration
 * promises.  PE knobs not in params.json come from --arch when given.  The
 * recomputed m_tile, n_tile, k_step and arith must agree with the file's.
 */
#include "sim/cosim/cosim.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "golden/infile.h"
#include "rtl_gen/rtl.h"
#include "sim/cosim/cosim_build.h"
#include "workloads/yaml_doc.h"

#define PATH_CAP 1024

void mp_cosim_design_free(mp_cosim_design *dz)
{
    mp_cosim_tiles_free(&dz->hdr);
    if (dz->have_arch)
        mp_arch_free(&dz->arch);
    dz->have_arch = 0;
}

/* ---- params.json ------------------------------------------------------ */

/* Optional string member. */
static int get_str(mp_yaml *y, yaml_node_t *root, const char *key, char *out,
                   size_t cap, mp_diag *d)
{
    return mp_yaml_string(y, root, "", key, MP_YAML_OPTIONAL, out, cap, d);
}

/* Booleans as JSON true/false or 0/1. */
static int get_bool(mp_yaml *y, yaml_node_t *root, const char *key, int *out,
                    mp_diag *d)
{
    yaml_node_t *n = mp_yaml_get(y, root, key);
    const char *text = n ? mp_yaml_scalar(n) : NULL;
    if (!n)
        return 0;
    if (text && (!strcmp(text, "1") || !strcmp(text, "0"))) {
        *out = text[0] == '1';
        return 0;
    }
    return mp_yaml_bool(y, root, "", key, MP_YAML_OPTIONAL, out, d);
}

static int get_int(mp_yaml *y, yaml_node_t *root, const char *key,
                   int required, int64_t lo, int64_t hi, int *out, mp_diag *d)
{
    int64_t v = *out;
    if (mp_yaml_int(y, root, "", key, required, lo, hi, &v, d))
        return -1;
    *out = (int)v;
    return 0;
}

static int parse_acc_name(const char *s, mp_acc_fmt *out)
{
    for (int i = MP_ACC_INT; i <= MP_ACC_FP32; i++)
        if (!strcmp(s, mp_acc_fmt_name((mp_acc_fmt)i)))
            return *out = (mp_acc_fmt)i, 0;
    return -1;
}

/* Strings that name formats, checked here so the diag names the key. */
static int read_formats(mp_yaml *y, yaml_node_t *root, mp_pe_params *pe,
                        mp_diag *d)
{
    char buf[32];
    /* "weight" as mpsim rtl writes it; "weights" as in arch YAML */
    const char *wkey = mp_yaml_get(y, root, "weight") ? "weight" : "weights";
    buf[0] = 0;
    if (get_str(y, root, wkey, buf, sizeof buf, d))
        return -1;
    if (buf[0] && mp_wfmt_parse(buf, &pe->wfmt))
        return mp_yaml_fail(y, d, mp_yaml_get(y, root, wkey), "", wkey,
                            "unknown weight format '%s'", buf);
    buf[0] = 0;
    if (get_str(y, root, "act", buf, sizeof buf, d))
        return -1;
    if (buf[0] && mp_act_parse(buf, &pe->act))
        return mp_yaml_fail(y, d, mp_yaml_get(y, root, "act"), "", "act",
                            "unknown activation format '%s'", buf);
    buf[0] = 0;
    if (get_str(y, root, "acc", buf, sizeof buf, d))
        return -1;
    if (buf[0] && parse_acc_name(buf, &pe->acc))
        return mp_yaml_fail(y, d, mp_yaml_get(y, root, "acc"), "", "acc",
                            "unknown accumulator '%s'", buf);
    buf[0] = 0;
    if (get_str(y, root, "table_fmt", buf, sizeof buf, d))
        return -1;
    if (buf[0] && mp_act_parse(buf, &pe->table_fmt))
        return mp_yaml_fail(y, d, mp_yaml_get(y, root, "table_fmt"), "",
                            "table_fmt", "unknown format '%s'", buf);
    return 0;
}

/* Every key params.json may hold: what rtl_registry.c's write_params()
 * writes, plus the arch YAML spellings "weights" and "group_size".  Any
 * other key is an error (a typo'd knob must not co-simulate with its
 * default and pass). */
static const char *const params_keys[] = {
    "family", "top", "dataflow", "rows", "cols", "m_tile", "n_tile", "k_max",
    "group", "group_size", "k_step", "act", "weight", "weights", "scales",
    "zeros", "act_scale", "out", "acc", "table_fmt", "tile_m", "tile_n",
    "tile_k", "table_fused", "chain_len", "sparse_n", "sparse_m",
    "pack_products", "edge_units", "dequant_stages", "fma_stages",
    "scale_stages", "arith",
    "load_bits", "idx_bits",
    "addr_bits", "rtl_cycles_at_k_max", NULL};

static int read_cfg(mp_yaml *y, yaml_node_t *root, mp_rtl_cfg *cfg,
                    char *family, char *top, char *dataflow, mp_diag *d)
{
    mp_pe_params *pe = &cfg->pe;
    if (mp_yaml_check_keys(y, root, "", params_keys, d) ||
        mp_yaml_string(y, root, "", "family", MP_YAML_REQUIRED, family, 32,
                       d) ||
        get_str(y, root, "top", top, 96, d) ||
        get_str(y, root, "dataflow", dataflow, 8, d) ||
        get_int(y, root, "rows", MP_YAML_REQUIRED, 1, MP_COSIM_DIM_MAX,
                &cfg->rows, d) ||
        get_int(y, root, "cols", MP_YAML_REQUIRED, 1, MP_COSIM_DIM_MAX,
                &cfg->cols, d) ||
        get_int(y, root, "k_max", MP_YAML_REQUIRED, 1, 1 << 16, &cfg->k_max,
                d) ||
        get_bool(y, root, "scales", &cfg->has_scales, d) ||
        get_bool(y, root, "act_scale", &cfg->has_act_scale, d) ||
        read_formats(y, root, pe, d) ||
        get_int(y, root, mp_yaml_get(y, root, "group") ? "group"
                                                       : "group_size",
                0, 0, 1 << 20, &pe->group_size, d) ||
        get_bool(y, root, "zeros", &pe->has_zeros, d) ||
        get_int(y, root, "tile_m", 0, 0, 4096, &pe->tile_m, d) ||
        get_int(y, root, "tile_n", 0, 0, 4096, &pe->tile_n, d) ||
        get_int(y, root, "tile_k", 0, 0, 4096, &pe->tile_k, d) ||
        get_bool(y, root, "table_fused", &pe->table_fused, d) ||
        get_int(y, root, "chain_len", 0, 0, 4096, &pe->chain_len, d) ||
        get_int(y, root, "sparse_n", 0, 0, 64, &pe->sparse_n, d) ||
        get_int(y, root, "sparse_m", 0, 0, 64, &pe->sparse_m, d) ||
        get_int(y, root, "pack_products", 0, 0, 4, &pe->pack_products, d) ||
        get_int(y, root, "edge_units", 0, 0, 1 << 20, &pe->edge_units, d) ||
        get_int(y, root, "dequant_stages", 0, 1, MP_DEQUANT_STAGES_MAX,
                &pe->dequant_stages, d) ||
        get_int(y, root, "fma_stages", 0, 1, MP_FMA_STAGES_MAX,
                &pe->fma_stages, d) ||
        get_int(y, root, "scale_stages", 0, 1, MP_SCALE_STAGES_MAX,
                &pe->scale_stages, d) ||
        get_int(y, root, "load_bits", 0, 0, MP_RTL_LOAD_BITS_MAX,
                &cfg->load_bits, d))
        return -1;
    cfg->family = family;
    cfg->top = top[0] ? top : NULL;
    return 0;
}

/* An explicit geometry member must match the generator's check. */
static int agree(mp_yaml *y, yaml_node_t *root, const char *key, int derived,
                 mp_diag *d)
{
    int v = derived;
    if (get_int(y, root, key, 0, 0, 1 << 24, &v, d))
        return -1;
    if (v != derived)
        return mp_yaml_fail(y, d, mp_yaml_get(y, root, key), "", key,
                            "%d, but this configuration generates %d", v,
                            derived);
    return 0;
}

/* ---- files ------------------------------------------------------------ */

static int add_file(mp_rtl_src *src, const char *dir, const char *name,
                    mp_diag *d)
{
    if (src->nfiles >= MP_RTL_MAX_FILES)
        return mp_fail(d, dir, 0, "files.f", "more than %d files",
                       MP_RTL_MAX_FILES);
    char *out = src->files[src->nfiles];
    int n = name[0] == '/'
                ? snprintf(out, MP_DIAG_FILE_MAX, "%s", name)
                : snprintf(out, MP_DIAG_FILE_MAX, "%s/%s", dir, name);
    if (n >= MP_DIAG_FILE_MAX)
        return mp_fail(d, dir, 0, "files.f", "path too long");
    struct stat st;
    if (stat(out, &st) || !S_ISREG(st.st_mode))
        return mp_fail(d, out, 0, "files.f", "no such RTL file");
    char *abs = realpath(out, NULL); /* Verilator builds in another dir */
    if (abs && strlen(abs) < MP_DIAG_FILE_MAX)
        memcpy(out, abs, strlen(abs) + 1);
    free(abs);
    src->nfiles++;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* files.f if present (paths relative to the directory or absolute, one a
 * line, '#' comments); else every .v file in name order. */
static int read_files(const char *dir, mp_rtl_src *src, mp_diag *d)
{
    char path[PATH_CAP], line[PATH_CAP];
    src->nfiles = 0;
    snprintf(path, sizeof path, "%s/files.f", dir);
    FILE *fp = NULL;
    if (access(path, F_OK) == 0 &&
        !(fp = mp_in_open(path, MP_TEXT_MAX_BYTES, "files.f", NULL, d)))
        return -1;
    if (fp) {
        int rc = 0;
        while (!rc && fgets(line, sizeof line, fp)) {
            line[strcspn(line, "\r\n")] = 0;
            char *p = line + strspn(line, " \t");
            if (!*p || *p == '#')
                continue;
            /* a file of this directory by its name first: a copied (and
             * hand-edited) directory keeps the original's paths in files.f */
            char joined[PATH_CAP + PATH_CAP];
            const char *base = strrchr(p, '/');
            snprintf(joined, sizeof joined, "%s/%s", dir, base ? base + 1 : p);
            if (base && access(joined, R_OK) == 0)
                p = (char *)base + 1;
            rc = add_file(src, dir, p, d);
        }
        fclose(fp);
        if (rc)
            return -1;
    } else {
        DIR *dh = opendir(dir);
        if (!dh)
            return mp_fail(d, dir, 0, "rtl", "cannot open directory");
        char *names[MP_RTL_MAX_FILES];
        int count = 0;
        struct dirent *e;
        while ((e = readdir(dh)) && count < MP_RTL_MAX_FILES) {
            size_t len = strlen(e->d_name);
            if (len > 2 && !strcmp(e->d_name + len - 2, ".v"))
                names[count++] = strdup(e->d_name);
        }
        closedir(dh);
        qsort(names, (size_t)count, sizeof names[0], cmp_str);
        int rc = 0;
        for (int i = 0; i < count; i++) {
            if (!rc && names[i])
                rc = add_file(src, dir, names[i], d);
            free(names[i]);
        }
        if (rc)
            return -1;
    }
    if (src->nfiles == 0)
        return mp_fail(d, dir, 0, "rtl", "no Verilog files");
    return 0;
}

/* ---- the model's architecture ----------------------------------------- */

/* The arch for the model: --arch if given, else the defaults with this
 * design's PE family.  Its PE params become the design's (the engine's
 * timing depends on them, e.g. bit-serial weights) and it is (re)bound. */
static int bind_arch(mp_cosim_design *dz, const mp_rtl_cfg *cfg,
                     const char *dataflow, mp_diag *d)
{
    mp_arch *a = &dz->arch;
    if (!dz->have_arch) {
        mp_arch_defaults(a);
        snprintf(a->name, sizeof a->name, "%s", dz->family);
        snprintf(a->tech_name, sizeof a->tech_name, "asic-45nm");
        a->clock_hz = 1e9; /* timing in cycles does not depend on it */
        if (dataflow[0] && mp_dataflow_parse(dataflow, &a->dataflow))
            return mp_fail(d, dz->dir, 0, "dataflow", "unknown dataflow "
                           "'%s' (os, ws, is)", dataflow);
        dz->have_arch = 1;
    }
    snprintf(a->pe_name, sizeof a->pe_name, "%s", dz->family);
    a->pe_params = cfg->pe;
    /* Integer-output designs have no dequant edge, hence no drain tail;
     * group 0 stays per-channel so every K the tile takes maps. */
    a->pe_params.int_output = !mp_rtl_float_out(cfg);
    if (mp_arch_bind(a, d))
        return -1;
    a->rows = dz->rows;
    a->cols = dz->cols;
    a->cores = 1;
    return 0;
}

/* ---- the design ------------------------------------------------------- */

static int fill_header(mp_cosim_design *dz, const mp_rtl_cfg *cfg,
                       const mp_rtl_info *info)
{
    mp_cosim_tiles *h = &dz->hdr;
    const mp_arch *a = &dz->arch;
    memset(h, 0, sizeof *h);
    h->m_tile = info->m_tile;
    h->n_tile = info->n_tile;
    h->k_max = cfg->k_max;
    h->group = info->group; /* 0: per-channel */
    dz->k_step = info->k_step;
    h->act = cfg->pe.act;
    h->wfmt = cfg->pe.wfmt;
    h->has_scales = cfg->has_scales;
    h->has_zeros = cfg->pe.has_zeros;
    h->has_act_scale = cfg->has_act_scale;
    h->sparse_n = info->pe.sparse_n;
    h->sparse_m = info->pe.sparse_m;
    h->arith = info->arith;
    /* bytes in memory, as the simulator's memory model counts them: act
     * scales are not modelled there (0 bits). */
    h->bits[MP_LD_X] = mp_act_bits(cfg->pe.act);
    h->bits[MP_LD_W] = cfg->pe.wfmt.bits;
    h->bits[MP_LD_SCALE] = a->scale_bits > 0 ? a->scale_bits : 16;
    h->bits[MP_LD_ZERO] = a->zero_bits > 0 ? a->zero_bits : cfg->pe.wfmt.bits;
    h->bits[MP_LD_ACT_SCALE] = 0;
    /* the RTL's load port: how the harness packs beats */
    h->load_bits = mp_rtl_load_bits(cfg);
    mp_rtl_load_widths(cfg, info, h->lane_bits);
    h->read_latency = mp_rtl_read_latency(cfg);
    return 0;
}

int mp_cosim_design_read(const char *dir, const char *arch_spec,
                         mp_cosim_design *dz, mp_diag *d)
{
    memset(dz, 0, sizeof *dz);
    struct stat st;
    if (stat(dir, &st) || !S_ISDIR(st.st_mode))
        return mp_fail(d, MP_CMDLINE, 0, "--rtl", "'%s' is not a directory",
                       dir);
    snprintf(dz->dir, sizeof dz->dir, "%s", dir);
    char path[PATH_CAP];
    snprintf(path, sizeof path, "%s/params.json", dir);
    if (access(path, R_OK))
        return mp_fail(d, path, 0, "params.json", "missing or unreadable "
                       "(not a directory written by mpsim rtl?)");
    snprintf(path, sizeof path, "%s/%s", dir, MP_RTL_DONE);
    if (access(path, F_OK))
        return mp_fail(d, dir, 0, "--rtl", "incomplete design: no %s (its "
                       "generation was interrupted; run mpsim rtl again)",
                       MP_RTL_DONE);
    snprintf(path, sizeof path, "%s/params.json", dir);

    mp_yaml y;
    if (mp_yaml_load(path, &y, d))
        return -1;
    int rc = -1;
    mp_rtl_cfg cfg;
    mp_rtl_info info;
    char top[96] = "", dataflow[8] = "", arith[160] = "", mine[160];
    yaml_node_t *root = mp_yaml_root_map(&y, d);
    mp_rtl_cfg_init(&cfg);
    if (arch_spec) { /* PE knobs params.json does not carry */
        if (mp_arch_open(arch_spec, "--arch", &dz->arch, d))
            goto out;
        dz->have_arch = 1;
        cfg.pe = dz->arch.pe_params;
        /* ...but the pipeline stages are the design's: params.json names
         * them only above one stage (rtl_registry.c), so an absent key is
         * one stage, whatever the arch asks for */
        cfg.pe.dequant_stages = cfg.pe.fma_stages = cfg.pe.scale_stages = 0;
    }
    if (!root || read_cfg(&y, root, &cfg, dz->family, top, dataflow, d))
        goto out;
    /* the arch's accumulator and table format were filled for its own
     * precision: a design of another precision whose params.json does not
     * name them gets the arch's at that precision (mp_arch_pe_at, as
     * mp_cosim_gen_cfg generates it) */
    if (arch_spec) {
        mp_pe_params at;
        mp_arch_pe_at(&dz->arch, cfg.pe.wfmt, cfg.pe.act, &at);
        if (!mp_yaml_get(&y, root, "acc"))
            cfg.pe.acc = at.acc;
        if (!mp_yaml_get(&y, root, "table_fmt"))
            cfg.pe.table_fmt = at.table_fmt;
    }
    if (mp_rtl_check(&cfg, &info, d)) {
        /* the generator's check names a field of the configuration */
        if (strcmp(d->file, path)) {
            char msg[MP_DIAG_MSG_MAX];
            snprintf(msg, sizeof msg, "%s", d->msg);
            mp_fail(d, path, 0, d->field, "%s", msg);
        }
        goto out;
    }
    if (agree(&y, root, "m_tile", info.m_tile, d) ||
        agree(&y, root, "n_tile", info.n_tile, d) ||
        agree(&y, root, "k_step", info.k_step, d) ||
        agree(&y, root, "idx_bits", info.idx_bits, d) ||
        agree(&y, root, "addr_bits", info.addr_bits, d) ||
        get_str(&y, root, "arith", arith, sizeof arith, d))
        goto out;
    mp_arith_describe(&info.arith, mine, sizeof mine);
    if (arith[0] && strcmp(arith, mine)) {
        mp_yaml_fail(&y, d, mp_yaml_get(&y, root, "arith"), "", "arith",
                     "'%s', but the configuration gives '%s' (a PE knob "
                     "missing from params.json? give the --arch it was "
                     "generated from)", arith, mine);
        goto out;
    }
    dz->rows = cfg.rows;
    dz->cols = cfg.cols;
    dz->cfg = cfg;
    dz->cfg.family = dz->family;
    dz->cfg.top = NULL;
    snprintf(dz->src.top, sizeof dz->src.top, "%s", info.top);
    if (read_files(dir, &dz->src, d) || bind_arch(dz, &cfg, dataflow, d))
        goto out;
    rc = fill_header(dz, &cfg, &info);
out:
    mp_yaml_free(&y);
    if (rc)
        mp_cosim_design_free(dz);
    return rc;
}

/* ---- generating RTL from an architecture ------------------------------- */

int mp_cosim_auto_load_bits(double bytes_per_cycle, int min_element_bits)
{
    double bits = 8.0 * bytes_per_cycle;
    if (bits <= min_element_bits + 1e-9) /* at most one element a cycle */
        return MP_RTL_LOAD_BITS;
    /* a power of two: every element width that divides 32 then fills the
     * beat (docs/rtl.md, "Load port width") */
    int width = 2 * MP_RTL_LOAD_BITS;
    while (width < MP_RTL_LOAD_BITS_MAX && width < bits - 1e-9)
        width *= 2;
    return width;
}

/* The precision: formats, then the knobs whose default follows them.
 * Another precision than the arch's re-resolves its family defaults from
 * the fields the arch's file wrote (mp_arch_pe_at, as the simulator). */
static int gen_precision(const mp_cosim_gen *g, const mp_arch *a,
                         mp_pe_params *pe, mp_diag *d)
{
    mp_wfmt w = pe->wfmt;
    mp_act_fmt act = pe->act;
    if (g->weight && mp_wfmt_parse(g->weight, &w))
        return mp_fail(d, MP_CMDLINE, 0, "--weight",
                       "unknown weight format '%s'", g->weight);
    if (g->wbits > 0) {
        if (w.kind == MP_W_TERNARY)
            w.kind = MP_W_SIGNED;
        w.bits = g->wbits;
    }
    if (mp_wfmt_check(w, MP_CMDLINE, "--wbits", d))
        return -1;
    if (g->act && mp_act_parse(g->act, &act))
        return mp_fail(d, MP_CMDLINE, 0, "--act",
                       "unknown activation format '%s'", g->act);
    if (a)
        mp_arch_pe_at(a, w, act, pe);
    else /* no arch: pe holds the defaults already */
        pe->wfmt = w, pe->act = act;
    if (g->acc && parse_acc_name(g->acc, &pe->acc))
        return mp_fail(d, MP_CMDLINE, 0, "--acc", "unknown accumulator '%s' "
                       "(int, fixed, fp16, fp32)", g->acc);
    return 0;
}

/* Arch first, then each override. */
static int gen_cfg(const mp_cosim_gen *g, const mp_arch *a, mp_rtl_cfg *cfg,
                   char *family, size_t cap, mp_diag *d)
{
    mp_rtl_cfg_init(cfg);
    snprintf(family, cap, "%s", g->pe ? g->pe : a ? a->pe_name : "int8-mac");
    cfg->family = family;
    if (a) {
        cfg->pe = a->pe_params;
        cfg->rows = a->rows;
        cfg->cols = a->cols;
    }
    if (g->rows > 0)
        cfg->rows = (int)g->rows;
    if (g->cols > 0)
        cfg->cols = (int)g->cols;
    if (g->k_max > 0)
        cfg->k_max = (int)g->k_max;
    if (gen_precision(g, a, &cfg->pe, d))
        return -1;
    if (g->group >= 0)
        cfg->pe.group_size = (int)g->group;
    else if (cfg->pe.group_size > cfg->k_max)
        cfg->pe.group_size = 0; /* per channel within one tile */
    if (g->zeros)
        cfg->pe.has_zeros = 1;
    mp_rtl_cfg_follow_weights(cfg);
    if (g->no_scales)
        cfg->has_scales = 0;
    if (g->no_scales || g->no_act_scale)
        cfg->has_act_scale = 0;
    cfg->top = g->top;
    if (g->load_bits > 0)
        cfg->load_bits = g->load_bits;
    else if (g->load_bits < 0 && a) { /* cover the memory's bytes/cycle */
        int act = mp_act_bits(cfg->pe.act), w = cfg->pe.wfmt.bits;
        cfg->load_bits = mp_cosim_auto_load_bits(
            g->bytes_per_cycle > 0 ? g->bytes_per_cycle
                                   : mp_cosim_arch_bytes_per_cycle(a),
            act < w ? act : w);
    }
    return 0;
}

int mp_cosim_gen_overrides(const mp_cosim_gen *g)
{
    return g->pe || g->rows > 0 || g->cols > 0 || g->k_max > 0 ||
           g->group >= 0 || g->act || g->weight || g->wbits || g->acc ||
           g->zeros || g->no_scales || g->no_act_scale || g->top ||
           g->load_bits || g->bytes_per_cycle > 0;
}

int mp_cosim_gen_cfg(const mp_cosim_gen *g, mp_rtl_cfg *cfg, char *family,
                     size_t cap, mp_diag *d)
{
    if (!g->arch)
        return gen_cfg(g, NULL, cfg, family, cap, d);
    mp_arch a;
    if (mp_arch_open(g->arch, "--arch", &a, d))
        return -1;
    int rc = gen_cfg(g, &a, cfg, family, cap, d);
    mp_arch_free(&a);
    return rc;
}

int mp_cosim_generate(const mp_cosim_gen *g, const char *outdir, mp_diag *d)
{
    mp_rtl_cfg cfg;
    mp_rtl_info info;
    char family[32];
    if (mp_cosim_gen_cfg(g, &cfg, family, sizeof family, d) ||
        mp_rtl_check(&cfg, &info, d) || mp_mkdirs(outdir, d))
        return -1;
    return mp_rtl_generate(&cfg, outdir, d);
}
