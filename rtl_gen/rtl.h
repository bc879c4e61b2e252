/*
 * rtl.h - the Verilog generator interface: one mp_rtl_ops per PE family.
 *
 * Contract.  mp_rtl_generate() writes one array of one PE family into an
 * existing directory: a .v file per module (leaves first), files.f and
 * params.json, following the common top-level protocol of docs/rtl.md, and
 * last the completion marker MP_RTL_DONE, which `mpsim cosim --rtl` and
 * `mpsim synth --rtl` require (a generation killed half-way leaves no
 * marker, so its directory is refused as incomplete).  On any failure it
 * returns -1 with d filled and leaves no file behind.
 *
 * A family's check() validates the configuration it can generate (it may
 * reject what its PE model accepts, naming the field and why) and fills the
 * tile shape; emit() writes its modules through rtl_gen/emit.h and usually
 * rtl_gen/top_common.h; cycles() is the closed form of rtl_cycles (docs/rtl.md)
 * for a tile of depth k, which the simulator's engine must reproduce.
 * Adding a family is one file here plus one line in rtl_registry.c.
 */
#ifndef MP_RTL_H
#define MP_RTL_H

#include <stdint.h>
#include "golden/diag.h"
#include "golden/mpgemm.h"
#include "pe_models/pe.h"
#include "rtl_gen/emit.h"

typedef struct mp_rtl_cfg {
    const char *family;     /* pe ops name: "int8-mac", "mixpe", ...       */
    mp_pe_params pe;        /* precisions and knobs (group_size 0 = per-
                               channel: one group is the whole tile K)     */
    int rows, cols;         /* the PE array                                */
    int k_max;              /* deepest tile the buffers hold               */
    int has_scales;         /* 0: no weight scales; integer output (int32
                               results) unless the weights are FP16 (float
                               output, mp_rtl_float_out())                */
    int has_act_scale;      /* per-token scale applied to the output       */
    const char *top;        /* top module name; NULL = "mpsim_top"         */
    int load_bits;          /* ld_data width: 32 (or 0) = one element per
                               word; 64..2048, a multiple of 32 = beats of
                               packed elements with ld_count (docs/rtl.md) */
} mp_rtl_cfg;

/* What a checked configuration generates. */
/* The dataflow every generated array implements: output stationary (each
 * PE keeps one output while K streams through; docs/rtl.md).  The
 * simulator's `array.dataflow: auto` searches only this set. */
#define MP_RTL_DATAFLOW "os"

typedef struct mp_rtl_info {
    int m_tile, n_tile;     /* results of one run (docs/rtl.md)             */
    int group;              /* effective group size, 0 = per-channel      */
    int k_step;             /* K must be a multiple of this (group, tile_k) */
    mp_arith arith;         /* the golden arithmetic the RTL equals        */
    mp_pe_params pe;        /* cfg->pe after the PE model's check()        */
    char dataflow[8];       /* MP_RTL_DATAFLOW                             */
    char top[MP_RTL_NAME_MAX];
    int idx_bits;           /* rd_idx width: MP_RTL_IDX_BITS, or what
                               m_tile * n_tile results need above that     */
    int addr_bits;          /* ld_addr width: MP_RTL_ADDR_BITS, or what the
                               deepest load buffer needs above that        */
} mp_rtl_info;

typedef struct mp_rtl_ops {
    const char *family;
    /* Validate and describe; fills info.  0 or -1 naming the field. */
    int (*check)(const mp_rtl_cfg *cfg, mp_rtl_info *info, mp_diag *d);
    /* Write every module (top last) into out. */
    int (*emit)(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                mp_rtl_out *out, mp_diag *d);
    /* rtl_cycles of a tile of depth k (a valid K for this configuration). */
    int64_t (*cycles)(const mp_rtl_cfg *cfg, const mp_rtl_info *info, int k);
} mp_rtl_ops;

/* The vendor primitives generated designs instantiate by name, each
 * shipped with a behavioural model for simulation inside `ifndef
 * SYNTHESIS (rtl_gen/dsp48e2_model.h); NULL-terminated. */
extern const char *const mp_rtl_primitives[];

/* Registry (rtl_registry.c), NULL-terminated. */
extern const mp_rtl_ops *const mp_rtl_registry[];
const mp_rtl_ops *mp_rtl_find(const char *family);

/* Defaults: rows = cols = 4, k_max = 256, scales and act_scale on, the PE
 * params of mp_pe_params_init(). */
void mp_rtl_cfg_init(mp_rtl_cfg *cfg);

/* A configuration's defaults that follow its weight format: FP16 weights
 * have no scales (has_scales 0).  Call after setting the formats. */
void mp_rtl_cfg_follow_weights(mp_rtl_cfg *cfg);
/* 1 when the results are float: weight scales, or FP16 weights. */
int mp_rtl_float_out(const mp_rtl_cfg *cfg);

/* Common checks (sizes, the protocol's port widths, the PE model's own
 * check()) and the family's check(). */
int mp_rtl_check(const mp_rtl_cfg *cfg, mp_rtl_info *info, mp_diag *d);
/* Check, then write DIR/<modules>.v, DIR/files.f, DIR/params.json. */
int mp_rtl_generate(const mp_rtl_cfg *cfg, const char *outdir, mp_diag *d);
/* The load port of a configuration: ld_data width (cfg->load_bits, 0 read
 * as 32) and the element width of each load buffer as stored (X, Wq,
 * scales, zeros, act_scale in ld_buf order; 0 = unused).  A beat of a
 * port wider than 32 bits packs up to load_bits / width elements. */
int mp_rtl_load_bits(const mp_rtl_cfg *cfg);
/* Cycles from rd_idx to rd_data (docs/rtl.md, "Read port"): 2 when the
 * act_scale multiplier is pipelined (float output, mp_rtl_float_out(),
 * act_scale and pe.scale_stages 2), else 1. */
int mp_rtl_read_latency(const mp_rtl_cfg *cfg);
/* The read port's units (the act_scale multiplier, the float widening),
 * by instance name in the top: they work once per result read out
 * (rd_idx), not per compute cycle, and gate-level energy charges them per
 * result (sim/cosim/gate_sim.h, docs/model.md "Gate-level PE energy").
 * The list ends with NULL. */
#define MP_RTL_ACT_SCALE_INST "u_act_scale"
#define MP_RTL_WIDEN_INST "u_widen"
extern const char *const mp_rtl_read_units[];
void mp_rtl_load_widths(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                        int widths[5]);
/* rtl_cycles of a tile of depth k; -1 with d filled if cfg is invalid. */
int64_t mp_rtl_cycles(const mp_rtl_cfg *cfg, int k, mp_diag *d);

/* Limits of the protocol (docs/rtl.md): cfg_k is 16 bits; ld_addr is 20
 * bits and rd_idx 16 bits unless the configuration needs more (then as
 * many as it needs, up to MP_RTL_PORT_BITS_MAX, so every existing design
 * keeps its ports); ld_data is 32 bits or a wider packed beat. */
#define MP_RTL_ADDR_BITS 20         /* ld_addr width at least             */
#define MP_RTL_LOAD_BITS 32         /* the default, one element per word  */
#define MP_RTL_LOAD_BITS_MAX 2048
#define MP_RTL_K_BITS 16
#define MP_RTL_IDX_BITS 16          /* rd_idx width at least              */
#define MP_RTL_PORT_BITS_MAX 32     /* a Verilator harness's uint32 ports */
/* Array size: rows and cols up to the architecture's own bound; the
 * generators write one instance per PE and one read-port arm per result,
 * so rows * cols and m_tile * n_tile are bounded by what a Verilog file can reasonably hold
 * (docs/rtl.md "Array size"). */
#define MP_RTL_DIM_MAX 65536

/* Written last into a generated directory (see the contract above). */
#define MP_RTL_DONE "mpsim-rtl.done"
#define MP_RTL_PES_MAX (1 << 20)
#define MP_RTL_RESULTS_MAX (1 << 20)

#endif
