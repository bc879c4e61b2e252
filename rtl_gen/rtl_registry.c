/* rtl_registry.c - the generator registry and the family-independent part
 * of generation: common checks, file writing, cleanup on failure. */
#include "rtl_gen/rtl.h"
#include "rtl_gen/dsp48e2_model.h"

#include <stdio.h>
#include <string.h>

extern const mp_rtl_ops mp_rtl_int8_mac_ops;
extern const mp_rtl_ops mp_rtl_mixpe_ops;
extern const mp_rtl_ops mp_rtl_fp16_mac_ops;
extern const mp_rtl_ops mp_rtl_lut_tc_ops;
extern const mp_rtl_ops mp_rtl_dsp_chain_ops;
extern const mp_rtl_ops mp_rtl_bitfusion_ops;

const mp_rtl_ops *const mp_rtl_registry[] = {
    &mp_rtl_int8_mac_ops,
    &mp_rtl_mixpe_ops,
    &mp_rtl_fp16_mac_ops,
    &mp_rtl_lut_tc_ops,
    &mp_rtl_dsp_chain_ops,
    &mp_rtl_bitfusion_ops,
    NULL,
};

const char *const mp_rtl_primitives[] = {MP_RTL_DSP48E2, NULL};
const char *const mp_rtl_read_units[] = {MP_RTL_ACT_SCALE_INST,
                                          MP_RTL_WIDEN_INST, NULL};

const mp_rtl_ops *mp_rtl_find(const char *family)
{
    for (int i = 0; mp_rtl_registry[i]; i++)
        if (strcmp(mp_rtl_registry[i]->family, family) == 0)
            return mp_rtl_registry[i];
    return NULL;
}

void mp_rtl_cfg_init(mp_rtl_cfg *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->family = "int8-mac";
    mp_pe_params_init(&cfg->pe);
    cfg->rows = 4;
    cfg->cols = 4;
    cfg->k_max = 256;
    cfg->has_scales = 1;
    cfg->has_act_scale = 1;
    cfg->load_bits = MP_RTL_LOAD_BITS;
}

void mp_rtl_cfg_follow_weights(mp_rtl_cfg *cfg)
{
    if (mp_wfmt_is_float(cfg->pe.wfmt))
        cfg->has_scales = 0;
}

int mp_rtl_float_out(const mp_rtl_cfg *cfg)
{
    return cfg->has_scales || mp_wfmt_is_float(cfg->pe.wfmt);
}

/* A top module name is a plain Verilog identifier. */
static int valid_identifier(const char *s)
{
    if (!*s || !((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                 *s == '_'))
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
              (*s >= '0' && *s <= '9') || *s == '_'))
            return 0;
    return 1;
}

/* Verilog bytes per PE and per result, measured (docs/rtl.md "Array
 * size"): int8-mac 64 x 64, k-max 64 writes 2520223 B for 4096 PEs; lut-tc
 * (M2N64K4 units, 128 results each) writes 392 B (16 x 16) to 816 B
 * (1 x 8192, k-max 4096: 856 MB) per result.  They only size the refusal
 * messages. */
#define BYTES_PER_PE 615
#define BYTES_PER_RESULT 816

/* Width of a port indexing `count` things: the protocol's default width,
 * wider only when count needs it (existing designs keep their ports). */
static int port_bits(int64_t count, int min_bits)
{
    int bits = mp_idx_bits(count);
    return bits > min_bits ? bits : min_bits;
}

int mp_rtl_check(const mp_rtl_cfg *cfg, mp_rtl_info *info, mp_diag *d)
{
    const char *cl = MP_CMDLINE;
    memset(info, 0, sizeof *info);
    const mp_rtl_ops *ops = cfg->family ? mp_rtl_find(cfg->family) : NULL;
    if (!ops) {
        char list[160] = "";
        for (int i = 0; mp_rtl_registry[i]; i++) {
            size_t len = strlen(list);
            snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                     mp_rtl_registry[i]->family);
        }
        return mp_fail(d, cl, 0, "pe", "no Verilog generator for '%s' (have: %s)",
                       cfg->family ? cfg->family : "", list);
    }
    const mp_pe_ops *pe = mp_pe_find(cfg->family);
    if (!pe)
        return mp_fail(d, cl, 0, "pe", "unknown PE family '%s'", cfg->family);
    if (cfg->rows < 1 || cfg->rows > MP_RTL_DIM_MAX)
        return mp_fail(d, cl, 0, "rows", "must be in 1..%d, got %d",
                       MP_RTL_DIM_MAX, cfg->rows);
    if (cfg->cols < 1 || cfg->cols > MP_RTL_DIM_MAX)
        return mp_fail(d, cl, 0, "cols", "must be in 1..%d, got %d",
                       MP_RTL_DIM_MAX, cfg->cols);
    int64_t pes = (int64_t)cfg->rows * cfg->cols;
    if (pes > MP_RTL_PES_MAX)
        return mp_fail(d, cl, 0, cfg->rows >= cfg->cols ? "rows" : "cols",
                       "a %d x %d array is %lld PEs, more than %d: the "
                       "generator writes one instance per PE (about %d MB "
                       "of Verilog at %d int8-mac PEs)", cfg->rows, cfg->cols,
                       (long long)pes, MP_RTL_PES_MAX,
                       MP_RTL_PES_MAX / 1024 * BYTES_PER_PE / 1024, MP_RTL_PES_MAX);
    if (cfg->k_max < 1 || cfg->k_max >= (1 << MP_RTL_K_BITS))
        return mp_fail(d, cl, 0, "k-max", "must be in 1..%d, got %d",
                       (1 << MP_RTL_K_BITS) - 1, cfg->k_max);
    if (cfg->has_act_scale && !mp_rtl_float_out(cfg))
        return mp_fail(d, cl, 0, "act-scale",
                       "a per-token scale needs weight scales (integer "
                       "output has no scale)");
    if (cfg->has_scales && mp_wfmt_is_float(cfg->pe.wfmt))
        return mp_fail(d, cl, 0, "scales",
                       "fp16 weights are values: they take no scales "
                       "(--no-scales)");
    int lb = mp_rtl_load_bits(cfg);
    if (cfg->load_bits < 0 || lb % 32 || lb > MP_RTL_LOAD_BITS_MAX)
        return mp_fail(d, cl, 0, "load-bits", "must be a multiple of 32 in "
                       "32..%d, got %d", MP_RTL_LOAD_BITS_MAX, cfg->load_bits);
    const char *top = cfg->top ? cfg->top : "mpsim_top";
    if (!valid_identifier(top) || strlen(top) > 40)
        return mp_fail(d, cl, 0, "top",
                       "'%s' is not a Verilog identifier of at most 40 "
                       "characters", top);
    snprintf(info->top, sizeof info->top, "%s", top);
    mp_pe_params p = cfg->pe;
    if (pe->check(&p, d))
        return -1;
    if (p.group_size > 0 && cfg->k_max % p.group_size != 0)
        return mp_fail(d, cl, 0, "group",
                       "k-max %d is not a multiple of the group size %d",
                       cfg->k_max, p.group_size);
    mp_pe_params local = p;
    if (local.group_size <= 0)
        local.group_size = cfg->k_max;
    pe->arith(&local, &info->arith);
    if (!mp_rtl_float_out(cfg))
        info->arith.out_acc = MP_ACC_INT;
    info->pe = p;
    snprintf(info->dataflow, sizeof info->dataflow, "%s", MP_RTL_DATAFLOW);
    info->group = p.group_size > 0 ? p.group_size : 0;
    info->k_step = info->group ? info->group : 1;
    info->m_tile = cfg->rows;
    info->n_tile = cfg->cols;
    if (ops->check(cfg, info, d))
        return -1;
    int64_t results = (int64_t)info->m_tile * info->n_tile;
    if (results > MP_RTL_RESULTS_MAX)
        return mp_fail(d, cl, 0, cfg->rows >= cfg->cols ? "rows" : "cols",
                       "a %d x %d tile is %lld results, more than %d: the "
                       "generator writes one read-port arm and register "
                       "per result (up to %d MB of Verilog at %d lut-tc "
                       "results)", info->m_tile, info->n_tile,
                       (long long)results, MP_RTL_RESULTS_MAX,
                       MP_RTL_RESULTS_MAX / 1024 * BYTES_PER_RESULT / 1024,
                       MP_RTL_RESULTS_MAX);
    int64_t x_depth = (int64_t)info->m_tile * cfg->k_max;
    int64_t w_depth = (int64_t)info->n_tile * cfg->k_max;
    int64_t depth = x_depth > w_depth ? x_depth : w_depth;
    info->idx_bits = port_bits(results, MP_RTL_IDX_BITS);
    info->addr_bits = port_bits(depth, MP_RTL_ADDR_BITS);
    if (info->addr_bits > MP_RTL_PORT_BITS_MAX)
        return mp_fail(d, cl, 0, "k-max",
                       "a %d x %d tile of depth %d needs a %d-bit ld_addr, "
                       "more than %d", info->m_tile, info->n_tile, cfg->k_max,
                       info->addr_bits, MP_RTL_PORT_BITS_MAX);
    return 0;
}

/* params.json: everything `mpsim cosim` needs to rebuild the
 * configuration (mp_rtl_check() again) and to drive the design. */
typedef struct params_of {
    const mp_rtl_cfg *cfg;
    const mp_rtl_info *info;
    int64_t cycles_at_k_max;
} params_of;

static void write_params(mp_json *j, const void *ctx)
{
    const params_of *of = ctx;
    const mp_rtl_cfg *cfg = of->cfg;
    const mp_rtl_info *info = of->info;
    char wname[16], arith[160];
    const mp_pe_params *p = &info->pe;
    mp_json_str(j, "family", cfg->family);
    mp_json_str(j, "top", info->top);
    mp_json_str(j, "dataflow", info->dataflow);
    mp_json_int(j, "rows", cfg->rows);
    mp_json_int(j, "cols", cfg->cols);
    mp_json_int(j, "m_tile", info->m_tile);
    mp_json_int(j, "n_tile", info->n_tile);
    mp_json_int(j, "k_max", cfg->k_max);
    mp_json_int(j, "group", info->group);
    mp_json_int(j, "k_step", info->k_step);
    mp_json_str(j, "act", mp_act_name(p->act));
    mp_json_str(j, "weight", mp_wfmt_name(p->wfmt, wname, sizeof wname));
    mp_json_bool(j, "scales", cfg->has_scales);
    mp_json_bool(j, "zeros", p->has_zeros);
    mp_json_bool(j, "act_scale", cfg->has_act_scale);
    mp_json_str(j, "out", mp_rtl_float_out(cfg) ? "float32" : "int32");
    mp_json_str(j, "acc", mp_acc_fmt_name(p->acc));
    mp_json_str(j, "table_fmt", mp_act_name(p->table_fmt));
    mp_json_int(j, "tile_m", p->tile_m);
    mp_json_int(j, "tile_n", p->tile_n);
    mp_json_int(j, "tile_k", p->tile_k);
    mp_json_bool(j, "table_fused", p->table_fused);
    mp_json_int(j, "chain_len", p->chain_len);
    mp_json_int(j, "sparse_n", p->sparse_n);
    mp_json_int(j, "sparse_m", p->sparse_m);
    mp_json_int(j, "pack_products", p->pack_products);
    mp_json_int(j, "edge_units", p->edge_units);
    /* pipeline stages only when set: default designs keep their
     * params.json unchanged */
    if (p->dequant_stages > 1)
        mp_json_int(j, "dequant_stages", p->dequant_stages);
    if (p->fma_stages > 1)
        mp_json_int(j, "fma_stages", p->fma_stages);
    if (p->scale_stages > 1)
        mp_json_int(j, "scale_stages", p->scale_stages);
    mp_json_str(j, "arith", mp_arith_describe(&info->arith, arith, sizeof arith));
    /* only when wide: default designs keep their params.json unchanged */
    if (mp_rtl_load_bits(cfg) != MP_RTL_LOAD_BITS)
        mp_json_int(j, "load_bits", mp_rtl_load_bits(cfg));
    if (info->idx_bits != MP_RTL_IDX_BITS)
        mp_json_int(j, "idx_bits", info->idx_bits);
    if (info->addr_bits != MP_RTL_ADDR_BITS)
        mp_json_int(j, "addr_bits", info->addr_bits);
    mp_json_int(j, "rtl_cycles_at_k_max", of->cycles_at_k_max);
}

int mp_rtl_generate(const mp_rtl_cfg *cfg, const char *outdir, mp_diag *d)
{
    mp_rtl_info info;
    if (mp_rtl_check(cfg, &info, d))
        return -1;
    const mp_rtl_ops *ops = mp_rtl_find(cfg->family);
    mp_rtl_out out;
    if (mp_rtl_out_init(&out, outdir, info.top, d))
        return -1;
    params_of params = {cfg, &info, ops->cycles(cfg, &info, cfg->k_max)};
    mp_rtl_clear_done(outdir);
    if (ops->emit(cfg, &info, &out, d) || mp_rtl_write_files_f(&out, d) ||
        mp_rtl_write_params(&out, write_params, &params, d) || mp_rtl_write_done(&out, d)) {
        char path[MP_DIAG_FILE_MAX + 16];
        mp_rtl_out_abort(&out);
        snprintf(path, sizeof path, "%s/files.f", outdir);
        remove(path);
        return -1;
    }
    return 0;
}

int64_t mp_rtl_cycles(const mp_rtl_cfg *cfg, int k, mp_diag *d)
{
    mp_rtl_info info;
    if (mp_rtl_check(cfg, &info, d))
        return -1;
    if (k < 1 || k > cfg->k_max || k % info.k_step != 0)
        return mp_fail(d, MP_CMDLINE, 0, "k",
                       "tile depth %d must be a multiple of %d in 1..%d", k,
                       info.k_step, cfg->k_max);
    return mp_rtl_find(cfg->family)->cycles(cfg, &info, k);
}
