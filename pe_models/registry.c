/*
 * registry.c - every PE family, by name.
 *
 * Adding a family: one file in pe_models/ defining its mp_pe_ops, two
 * lines below (its extern and its entry).  The design points the papers evaluate are architecture presets,
 * sim/arch/NAME.yaml (docs/model.md, section 6): they are the one list of
 * presets; this file keeps none.
 */
#include "pe_models/pe_common.h"

#include <string.h>

/* The families, one file each (pe_models/NAME.c); `mpsim list pes` and
 * every registry-driven test take them in this order. */
extern const mp_pe_ops mp_pe_mixpe_ops;
extern const mp_pe_ops mp_pe_lut_tc_ops;
extern const mp_pe_ops mp_pe_dsp_chain_ops;
extern const mp_pe_ops mp_pe_int8_mac_ops;
extern const mp_pe_ops mp_pe_fp16_mac_ops;
extern const mp_pe_ops mp_pe_bitfusion_ops;

const mp_pe_ops *const mp_pe_registry[] = {
    &mp_pe_mixpe_ops,
    &mp_pe_lut_tc_ops,
    &mp_pe_dsp_chain_ops,
    &mp_pe_int8_mac_ops,
    &mp_pe_fp16_mac_ops,
    &mp_pe_bitfusion_ops,
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
