/*
 * cosim.h - co-simulation of generated RTL against the golden and the
 * simulator's cycle model (`mpsim cosim`).
 *
 * Contract.  A design is an RTL directory as `mpsim rtl` writes it
 * (params.json, files.f, the .v files: docs/rtl.md), either generated on
 * the fly from an architecture or given by the user, possibly hand-edited.
 * mp_cosim_run() generates tiles (sim/cosim/cosim_stim.h), builds the design with
 * Verilator (cached by content, sim/cosim/cosim_build.h), streams the tiles
 * through the thin C++ harness (or the SystemC testbench with a memory
 * model), where every result is compared bit for bit with mp_gemm_hw() with
 * the PE family's arithmetic, and compares the RTL's cycles per tile with
 * the simulator engine's mp_engine_fold_cycles() for the same tile.
 * On a mismatch the first failing tile is re-run in a tracing build and its
 * FST waveform is written to opts.wave.
 *
 * Cycle error = |sum model - sum rtl| / sum rtl over the tile sequence.
 * SystemC: measured = sum (load + compute) cycles with the memory model
 * delivering bytes at the arch's bandwidth after its latency; predicted =
 * sum (mp_memory_transfer_cycles(tile bytes) + fold cycles); the ratio
 * measured / predicted is reported (a narrow RTL load port shows as > 1).
 */
#ifndef MP_COSIM_H
#define MP_COSIM_H

#include <stdint.h>
#include "golden/diag.h"
#include "sim/arch.h"
#include "sim/cosim/cosim_build.h"
#include "sim/cosim/cosim_tiles.h"
#include "rtl_gen/rtl.h"

/* A design to co-simulate: RTL files, tile geometry and arithmetic, and the
 * architecture the simulator's model uses for it. */
typedef struct mp_cosim_design {
    char dir[MP_DIAG_FILE_MAX];   /* the RTL directory                   */
    char family[32];
    int rows, cols;
    int k_step;                   /* every K a multiple of this          */
    mp_rtl_src src;
    mp_rtl_cfg cfg;               /* the generator configuration (family
                                     points into `family`)              */
    mp_cosim_tiles hdr;           /* geometry, formats, arithmetic       */
    mp_arch arch;                 /* bound; for model cycles and memory  */
    int have_arch;
} mp_cosim_design;

/* Read DIR/params.json (+ files.f, else every DIR/ *.v), check it with the
 * generator's own check (rtl_gen/rtl.h) and bind an architecture for the
 * model: `arch_spec` (a --arch argument) if given, with its rows and cols
 * replaced by the design's, else one built from params.json (PE family,
 * precisions, rows, cols, dataflow; no memory system: SystemC then needs
 * an explicit bandwidth). */
int mp_cosim_design_read(const char *dir, const char *arch_spec,
                         mp_cosim_design *out, mp_diag *d);
void mp_cosim_design_free(mp_cosim_design *dz);

/* What to generate: an architecture (--arch) with the command line's
 * overrides, the same for every command that generates RTL (mpsim rtl,
 * cosim, synth).  Zero-initialise, then set group = -1. */
typedef struct mp_cosim_gen {
    const char *arch;             /* preset or YAML; NULL: int8-mac 4 x 4 */
    const char *pe;               /* NULL: the arch's PE family           */
    int64_t rows, cols, k_max;    /* <= 0: the arch's (k_max: 256)       */
    int64_t group;                /* < 0: the arch's, per channel when
                                     larger than k_max; 0: per channel   */
    const char *act, *weight;     /* NULL: the arch's precision; else the
                                     family defaults re-resolved from the
                                     arch's written fields (mp_arch_pe_at,
                                     docs/rtl.md) */
    int wbits;                    /* 0: the format's; else the code width,
                                     keeping the signedness              */
    const char *acc;              /* NULL: as above; else this one       */
    int zeros, no_scales, no_act_scale; /* 1: the flag was given       */
    const char *top;              /* top module; NULL: mpsim_top         */
    int load_bits;                /* ld_data width; 0: 32; < 0: cover
                                     the memory (mp_cosim_auto_load_bits
                                     of bytes_per_cycle, else the arch's) */
    double bytes_per_cycle;       /* <= 0: the arch's                    */
} mp_cosim_gen;

/* Arrays co-simulation and synthesis take (Verilator and Yosys build the
 * whole design; mpsim rtl alone writes up to MP_RTL_DIM_MAX). */
#define MP_COSIM_DIM_MAX 4096

/* 1 when g asks for anything but the arch itself (an override). */
int mp_cosim_gen_overrides(const mp_cosim_gen *g);

/* The generator configuration of g: the arch's (family copied into
 * family[cap], which cfg->family points to), then each override.  The one
 * place an architecture and overrides become a design.  0, or -1 with d
 * naming the option. */
int mp_cosim_gen_cfg(const mp_cosim_gen *g, mp_rtl_cfg *cfg, char *family,
                     size_t cap, mp_diag *d);

/* The load port width that takes what a memory delivers per cycle: 32
 * (one element a cycle) while the memory delivers at most one element of
 * the narrowest operand (activation or weight code, min_element_bits) a
 * cycle, else the smallest power of two >= 8 * bytes_per_cycle, 64..2048. */
int mp_cosim_auto_load_bits(double bytes_per_cycle, int min_element_bits);
/* The arch's DRAM bytes per cycle (bandwidth x efficiency / clock). */
double mp_cosim_arch_bytes_per_cycle(const mp_arch *a);

/* Generate the RTL (mpsim rtl) into outdir (created). */
int mp_cosim_generate(const mp_cosim_gen *g, const char *outdir, mp_diag *d);

typedef struct mp_cosim_opts {
    char cache_dir[MP_DIAG_FILE_MAX];
    int tiles;
    uint64_t seed;
    int64_t trace_k;        /* > 0: trace-shaped tiles with this K      */
    int systemc;
    double bytes_per_cycle; /* SystemC memory; <= 0: from the arch      */
    double latency_cycles;  /* < 0: from the arch                       */
    const char *wave;       /* waveform path on mismatch (NULL: none)   */
    int gate;               /* --activity by gate-level simulation      */
    int zero_delay;         /* ... without the cells' delays (--zero-delay) */
} mp_cosim_opts;

void mp_cosim_opts_init(mp_cosim_opts *o);

typedef struct mp_cosim_tile_result {
    int k;
    char kind[16];
    int64_t load_cycles, rtl_cycles, model_cycles;
    int64_t formula_cycles;       /* the generator's documented closed
                                     form (rtl_gen ops->cycles), -1: none */
    double mem_cycles;            /* SystemC: predicted load cycles       */
    mp_cosim_mismatch mm;
} mp_cosim_tile_result;

typedef struct mp_cosim_result {
    int tiles;
    int mismatches;               /* differing elements, all tiles        */
    int bad_tiles;
    int first_bad;                /* tile index, -1 if none               */
    mp_cosim_mismatch first;
    int64_t rtl_cycles, model_cycles, formula_cycles;
    double cycle_error;
    int systemc;
    double bytes_per_cycle, latency_cycles;
    int64_t measured_cycles;      /* SystemC: load + compute               */
    double predicted_cycles;      /* SystemC: memory + compute model       */
    double systemc_ratio;         /* measured / predicted                  */
    int cached;                   /* the executable came from the cache   */
    char wave[MP_DIAG_FILE_MAX];  /* written waveform, "" if none         */
    mp_cosim_tile_result *per_tile;
} mp_cosim_result;

int mp_cosim_run(mp_cosim_design *dz, const mp_cosim_opts *o,
                 mp_cosim_result *r, mp_diag *d);
void mp_cosim_result_free(mp_cosim_result *r);

struct mp_liberty; /* sim/synth/liberty.h */

/* After a clean run: toggle counts of the PE module on the same tiles
 * (the --coverage-toggle build, one harness run per tile), the OSU 0.18 um
 * netlist of the design (mp_synth_run) and OpenSTA report_power of one PE
 * with its input ports at the rates measured on the last PE instance
 * (what Verilator keeps of a non-inlined module), per tile kind (random,
 * extreme, trace); writes the rates and the energy per MAC to out_path
 * (sim/cosim/cosim_activity.c; docs/validation.md "Energy").  With
 * o->gate the PE's netlist and every edge unit's (mp_synth_is_edge) are
 * simulated gate by gate on their last instance's inputs (gate_sim.h),
 * and the report adds the edge units' energy per dequantization op (the
 * model's first edge kind's ops on the same tiles) next to the model's.
 * 0, or -1 with d. */
int mp_cosim_activity(mp_cosim_design *dz, const mp_cosim_opts *o,
                      const mp_cosim_result *r, const struct mp_liberty *lib,
                      const char *out_path, mp_diag *d);

#endif
