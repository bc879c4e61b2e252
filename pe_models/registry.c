/*
 * registry.c - every PE family, by name, and the named design points.
 *
 * Adding a family: one file in pe_models/ defining its mp_pe_ops, one line
 * below.  The presets are the design points the papers evaluate (values and
 * reasons in docs/model.md, 9.9 "Presets").
 */
#include "pe_models/pe_common.h"

#include <string.h>

const mp_pe_ops *const mp_pe_registry[] = {
    &mp_pe_mixpe_ops,    &mp_pe_lut_tc_ops,   &mp_pe_dsp_chain_ops,
    &mp_pe_int8_mac_ops, &mp_pe_fp16_mac_ops, &mp_pe_bitfusion_ops,
    NULL,
};

const mp_pe_ops *mp_pe_find(const char *name)
{
    for (int i = 0; name && mp_pe_registry[i]; i++)
        if (strcmp(mp_pe_registry[i]->name, name) == 0)
            return mp_pe_registry[i];
    return NULL;
}

void mp_pe_params_init(mp_pe_params *p)
{
    memset(p, 0, sizeof *p);
    p->wfmt = (mp_wfmt){MP_W_SIGNED, 4};
    p->act = MP_ACT_INT8;
    p->group_size = 128;
}

double mp_pe_macs_per_cycle(const mp_pe_timing *t)
{
    if (t->cycles_per_tile <= 0)
        return 0.0;
    return (double)t->tile_m * t->tile_n * t->tile_k / t->cycles_per_tile;
}

typedef struct preset {
    const char *name;
    const char *family;
    mp_wfmt wfmt;
    mp_act_fmt act;
    int group_size, has_zeros;
    double clock_hz;
    int tile_m, tile_n, tile_k, table_fused, chain_len, pack_products;
} preset;

/* Each line: the setting of the paper or artifact it reproduces. */
static const preset presets[] = {
    /* MixPE artifact: W4A8, G = 128, asymmetric (uint4 + zero points), 500 MHz */
    {"mixpe-w4a8", "mixpe", {MP_W_UNSIGNED, 4}, MP_ACT_INT8, 128, 1, 500e6,
     0, 0, 0, 0, 0, 0},
    /* MixPE artifact: W4A16 (FP16 activations), G = 128, 500 MHz */
    {"mixpe-w4a16", "mixpe", {MP_W_UNSIGNED, 4}, MP_ACT_FP16, 128, 1, 500e6,
     0, 0, 0, 0, 0, 0},
    /* LUT Tensor Core: W_INT2 x A_INT8 unit, M2N64K4, fused precompute, 1 GHz */
    {"lut-tc", "lut-tc", {MP_W_UNSIGNED, 2}, MP_ACT_INT8, 128, 1, 1e9, 2, 64,
     4, 1, 0, 0},
    /* FlightLLM on U280: INT4 weights x INT8, 2 products/DSP, chains of 8, 225 MHz */
    {"flightllm-u280", "dsp-chain", {MP_W_SIGNED, 4}, MP_ACT_INT8, 128, 0,
     225e6, 0, 0, 0, 0, 8, 2},
    /* INT8 MAC baseline: W8A8, per-channel symmetric, 500 MHz */
    {"int8-mac", "int8-mac", {MP_W_SIGNED, 8}, MP_ACT_INT8, 0, 0, 500e6, 0, 0,
     0, 0, 0, 0},
    /* FP16 MAC, dequantize first: W4A16 G = 128 asymmetric, 500 MHz */
    {"fp16-mac", "fp16-mac", {MP_W_UNSIGNED, 4}, MP_ACT_FP16, 128, 1, 500e6,
     0, 0, 0, 0, 0, 0},
    /* BitFusion: W8A8 bit bricks as the MixPE artifact's baseline
     * (bitfusion_bench.py), per-channel symmetric, 500 MHz (45 nm) */
    {"bitfusion", "bitfusion", {MP_W_SIGNED, 8}, MP_ACT_INT8, 0, 0, 500e6, 0,
     0, 0, 0, 0, 0},
};

const char *const mp_pe_preset_names[] = {
    "mixpe-w4a8", "mixpe-w4a16", "lut-tc", "flightllm-u280",
    "int8-mac",   "fp16-mac",    "bitfusion", NULL,
};

int mp_pe_preset(const char *name, const mp_pe_ops **ops, mp_pe_params *p,
                 mp_diag *d)
{
    for (size_t i = 0; i < sizeof presets / sizeof presets[0]; i++) {
        const preset *s = &presets[i];
        if (!name || strcmp(s->name, name) != 0)
            continue;
        mp_pe_params_init(p);
        p->wfmt = s->wfmt;
        p->act = s->act;
        p->group_size = s->group_size;
        p->has_zeros = s->has_zeros;
        p->clock_hz = s->clock_hz;
        p->tile_m = s->tile_m;
        p->tile_n = s->tile_n;
        p->tile_k = s->tile_k;
        p->table_fused = s->table_fused;
        p->chain_len = s->chain_len;
        p->pack_products = s->pack_products;
        *ops = mp_pe_find(s->family);
        return (*ops)->check(p, d);
    }
    return mp_fail(d, MP_CMDLINE, 0, "preset",
                   "unknown preset '%s' (mixpe-w4a8, mixpe-w4a16, lut-tc, "
                   "flightllm-u280, int8-mac, fp16-mac, bitfusion)",
                   name ? name : "");
}
