/*
 * spec.h - a sweep file, read and checked: the base (an architecture and a
 * workload), the dimensions whose cross product makes the points, the
 * constraints and the derived columns, and the CSV columns of a point.
 *
 *   arch: mixpe-w4a8                 # preset or architecture YAML
 *   workload:                        # trace options (as mpsim trace) ...
 *     model: llama2-7b               # ... or `workload: FILE.yaml|.csv`
 *     phase: decode
 *     seq: 1024
 *   sweep:                           # dimensions, the last varies fastest
 *     pe.family: [mixpe, lut-tc]     # an axis: any arch field by its path
 *     zip:                           # axes that advance together
 *       array.rows: [16, 32]
 *       array.cols: [16, 32]
 *     points:                        # explicit points (unset = base)
 *       - {workload.quant: w4a8g128, pe.weights: int4}
 *       - {workload.quant: w8a8}
 *   constraints: [area_mm2 <= 4, power_w <= 10]
 *   derived: {edp: energy_j * latency_s}
 *
 * `sweep` may also be a list of one-key mappings, so several `zip` or
 * `points` entries can appear.  Arch paths are set in the parsed arch
 * document (ydoc_override.h) and read by the arch reader itself; workload
 * paths (workload.KEY) are trace options.  Every value is checked here,
 * against the base, so a bad value is one diag at its line in the sweep
 * file; a combination a PE refuses becomes a row with the reason.
 */
#ifndef MP_SWEEP_SPEC_H
#define MP_SWEEP_SPEC_H

#include <stdint.h>
#include "golden/diag.h"
#include "sim/sweep/expr.h"
#include "sim/sweep/ydoc_override.h"
#include "workloads/trace_build.h"

/* Largest sweep accepted (docs/model.md, 8.3): ~40 GB of CSV; a bigger
 * space (usually a typo that added an axis) is refused before any work. */
#define MP_SWEEP_MAX_POINTS 100000000LL
#define MP_SWEEP_MAX_AXES MP_YOVER_MAX
#define MP_SWEEP_MAX_DIMS 16
#define MP_SWEEP_MAX_EXPRS 16
#define MP_SWEEP_MAX_COLS 128

typedef struct mp_sweep_axis {
    char path[64];    /* "pe.family", "workload.batch"                  */
    int workload;     /* 1: a trace option; 0: an arch field            */
    int slot;         /* arch: mp_yover slot                            */
    int dim;          /* the dimension that sets it                     */
} mp_sweep_axis;

typedef struct mp_sweep_dim {
    int64_t count;               /* points along the dimension          */
    const yaml_node_t **cells;   /* count x MP_SWEEP_MAX_AXES, or NULL  */
} mp_sweep_dim;

typedef struct mp_sweep_expr {
    char name[48];   /* derived column name, or the constraint's text   */
    char text[160];
    mp_expr e;
} mp_sweep_expr;

typedef struct mp_sweep {
    char file[MP_DIAG_FILE_MAX];
    mp_yaml doc;                  /* the sweep file; cells point into it */
    char arch_spec[256];
    mp_yaml arch;                 /* the base arch, set point by point   */
    mp_yover over;
    uint64_t base_hash;           /* arch file bytes + base workload     */
    char workload_file[256];      /* a trace file, or ""                 */
    mp_trace_opts wopts;          /* base trace options                  */
    int n_axes, n_dims;
    mp_sweep_axis axis[MP_SWEEP_MAX_AXES];
    mp_sweep_dim dim[MP_SWEEP_MAX_DIMS];
    int64_t points;
    int n_derived, n_cons;
    mp_sweep_expr derived[MP_SWEEP_MAX_EXPRS], cons[MP_SWEEP_MAX_EXPRS];
    /* columns: config texts, then totals, then derived */
    int n_config;                 /* fixed config paths + other axes     */
    const char *config[MP_SWEEP_MAX_COLS];     /* column names          */
    const char *config_base[MP_SWEEP_MAX_COLS]; /* text when not swept  */
    int config_axis[MP_SWEEP_MAX_COLS];        /* axis index or -1      */
} mp_sweep;

/* Total columns of a simulated point, one list (name, value from an
 * mp_run `r`, with energy in pJ). */
#define MP_SWEEP_TOTALS(X)                                                 \
    X(latency_s, r->latency_s)                                             \
    X(cycles, r->cycles)                                                   \
    X(macs, r->macs)                                                       \
    X(energy_pj, r->e.total)                                               \
    X(energy_j, r->e.total * 1e-12)                                        \
    X(e_pe_pj, r->e.pe)                                                    \
    X(e_edge_pj, r->e.edge)                                                \
    X(e_vector_pj, r->e.vector)                                            \
    X(e_sram_pj, r->e.sram)                                                \
    X(e_dram_pj, r->e.dram)                                                \
    X(e_leakage_pj, r->e.leakage)                                          \
    X(power_w, r->latency_s > 0 ? r->e.total * 1e-12 / r->latency_s : 0)   \
    X(dram_bytes, r->dram_bytes)                                           \
    X(pes, (double)r->pes)                                                 \
    X(peak_macs_per_cycle, r->peak_macs_per_cycle)                         \
    X(area_mm2, r->area_mm2)                                               \
    X(pe_area_mm2, r->pe_area_mm2)                                         \
    X(edge_area_mm2, r->edge_area_mm2)                                     \
    X(sram_area_mm2, r->sram_area_mm2)                                     \
    X(dsp, r->dsp)                                                         \
    X(lut, r->lut)                                                         \
    X(ff, r->ff)                                                           \
    X(bram, r->bram)                                                       \
    X(uram, r->uram)                                                       \
    X(tokens, (double)r->tokens)                                           \
    X(tokens_per_s, r->tokens_per_s)                                       \
    X(tokens_per_j, r->tokens_per_j)                                       \
    X(tops, r->tops)                                                       \
    X(tops_per_w, r->tops_per_w)                                           \
    X(tops_per_mm2, r->tops_per_mm2)                                       \
    X(util, r->cycles > 0 ? r->macs / (r->cycles * r->peak_macs_per_cycle) \
                          : 0)                                             \
    X(compute_layers, (double)r->compute_layers)                           \
    X(memory_layers, (double)r->memory_layers)

enum {
#define MP_SWEEP_COUNT_ONE(name, expr) +1
    MP_SWEEP_N_TOTALS = 0 MP_SWEEP_TOTALS(MP_SWEEP_COUNT_ONE)
#undef MP_SWEEP_COUNT_ONE
};
extern const char *const mp_sweep_total_names[MP_SWEEP_N_TOTALS];

/* Read and check the sweep file (every failure one diag naming the sweep
 * file, the line and the field).  mp_sweep_free() after success only. */
int mp_sweep_read(const char *path, mp_sweep *s, mp_diag *d);
void mp_sweep_free(mp_sweep *s);
/* The same on the heap (an mp_sweep is large): NULL with d on failure;
 * mp_sweep_delete() frees and releases it. */
mp_sweep *mp_sweep_new(const char *path, mp_diag *d);
void mp_sweep_delete(mp_sweep *s);

/* Value of every axis at point idx (NULL: the base value). */
void mp_sweep_values(const mp_sweep *s, int64_t idx,
                     const yaml_node_t **vals);
/* Column index of a name (config, totals, derived), or -1. */
int mp_sweep_column(const mp_sweep *s, const char *name);
int mp_sweep_n_columns(const mp_sweep *s);
/* The CSV header line (with '\n'). */
void mp_sweep_header(const mp_sweep *s, char *buf, size_t cap);

#endif
