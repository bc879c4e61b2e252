/*
 * engine.h - mapping one GEMM onto an R x C array of micro-tile PEs, in
 * closed form (no cycle loops): folds, fill/drain skew, compute cycles.
 *
 * Y[M][N] = X[M][K] x W[K][N].  A PE does tile_m x tile_n x tile_k MACs
 * every cycles_per_tile cycles (pe_models/pe.h); with N:M activation
 * sparsity only K_eff = ceil(K * density) of K is multiplied.
 * The three dataflows put two GEMM dimensions on the array and stream the
 * third through it (docs/model.md, "Array timing", derives each):
 *
 *   dataflow  array rows      array cols      streamed ("time")
 *   OS        M (tile_m)      N (tile_n)      K_eff (tile_k)
 *   WS        K_eff (tile_k)  N (tile_n)      M (tile_m)
 *   IS        K_eff (tile_k)  M (tile_m)      N (tile_n)
 *
 * A PE whose timing has k_span > 1 is one slice of a cascade along K
 * (DSP chain): in OS the array then holds R / span PE groups along M,
 * span = min(k_span, R), each taking tile_k * span of K per step; an
 * array of fewer rows than k_span cascades all of them, and P loses the
 * k_span - span cascade fill it does not have (pe.h).  When a step takes
 * more than one K and the PE sums groups of k_group K apart, each group
 * rounds up on its own: S = groups * ceil(ceil(G * density) / (tile_k *
 * span)) * cycles_per_tile (docs/model.md, "Array timing").
 *
 * One fold = one placement of the stationary operand (or of the outputs,
 * OS).  With S = ceil(time / tile_time) * cycles_per_tile streaming cycles,
 * P = pipeline_depth, W = R + C - 2 when operands enter with systolic skew
 * (0 when the PE says operand_broadcast), D = the edge units' drain (the
 * largest mp_edge_cost.drain_cycles of the GEMM: the dequant tail after
 * the array's last output), L = R for WS/IS (stationary operand loaded one
 * array row per cycle; the arch's load_cycles overrides it), 0 for OS:
 *
 *   one fold alone:          L + S + P + W + D
 *   F folds, fold_overlap=0: F * (L + S + P + W + D)   (SCALE-Sim)
 *   F folds, fold_overlap=1: L + F * max(S, L) + P + W + D
 *     (the next fold's operands enter behind the previous fold's, so fill
 *      and drain are paid once and the next stationary load hides behind
 *      the current stream when S >= L).
 *
 * With P = D = 0 and cycles_per_tile = tile = 1 these are SCALE-Sim v2's
 * per-fold demand lengths: OS K + R + C - 2, WS 2R + C + M - 2,
 * IS 2R + C + N - 2 (a SCALE-Sim arch, a->scalesim, takes P = D = 0).
 * For the families with a generator, one OS fold equals the generated
 * RTL's rtl_cycles (docs/rtl.md; tests/test_engine.c checks it against
 * mp_rtl_cycles()).  Several cores split the folds: each core runs
 * ceil(F / cores) of them.
 *
 * mp_engine_map() leaves D = 0; the caller asks the PE's edge units with
 * mp_engine_drain() and sets it with mp_engine_set_drain().
 *
 * For co-simulation (the RTL testbench runs the same tile sequence):
 *   mp_engine_fold_cycles(a, m, n, k)      one fold of an m x n x k GEMM
 *                                          that fits the array's coverage
 *   mp_engine_seq_cycles(a, F, m, n, k)    F such folds back to back
 * both at the arch's default-precision timing and PE params (a->timing,
 * a->pe_params, drain included when the arch is bound), compute only.
 */
#ifndef MP_ENGINE_H
#define MP_ENGINE_H

#include <stdint.h>
#include "pe_models/pe.h"
#include "sim/arch.h"

typedef struct mp_gemm_map {
    /* the GEMM dims placed on array rows, array cols and streamed */
    int64_t dim_r, dim_c, dim_t;
    int tile_r, tile_c, tile_t;
    int64_t cover_r, cover_c;   /* GEMM elements one fold covers          */
    int64_t folds_r, folds_c;   /* folds along each spatial dim           */
    int64_t folds;              /* folds_r * folds_c                      */
    int64_t folds_per_core;     /* ceil(folds / cores)                    */
    int64_t k_eff;              /* ceil(K * density)                      */
    int64_t stream_cycles;      /* S                                      */
    int64_t load_cycles;        /* L                                      */
    int k_span;                 /* K rows per PE group (OS), 1 usually    */
    int64_t skew_cycles;        /* P + W (W = R + C - 2, or 0 broadcast)  */
    int64_t drain_cycles;       /* D                                      */
    int64_t fold_cycles;        /* L + S + P + W + D                      */
    int64_t compute_cycles;     /* the whole GEMM (folds split over cores) */
    double tiles;               /* micro-tiles executed (energy count)    */
    double macs;                /* M * N * K (dense-equivalent work)      */
    double util;                /* M*N*K_eff / (cycles * peak MACs/cycle) */
    double mapping_eff;         /* used PEs / all PEs, averaged over folds */
    double macs_eff, peak;      /* M*N*K_eff; peak MACs/cycle (util)      */
} mp_gemm_map;

/* Map an M x N x K GEMM with PE timing t (NULL: a->timing).  Uses only
 * rows, cols, cores, dataflow, fold_overlap of a.  Returns 0, or -1 if a
 * dimension is < 1 or a count would overflow (diag field "shape"). */
int mp_engine_map(const mp_arch *a, const mp_pe_timing *t, int64_t m,
                  int64_t n, int64_t k, mp_gemm_map *out, mp_diag *d);

/* The drain D of an M x N x K GEMM at params p (NULL: a->pe_params): the
 * largest drain_cycles of a->pe->edge(); 0 without a bound PE family or
 * for a SCALE-Sim arch.  -1 with d filled if edge() rejects the shape. */
int mp_engine_drain(const mp_arch *a, const mp_pe_params *p, int64_t m,
                    int64_t n, int64_t k, int64_t *drain, mp_diag *d);
/* Set D (0 for a SCALE-Sim arch) and recompute fold_cycles,
 * compute_cycles and util. */
void mp_engine_set_drain(const mp_arch *a, mp_gemm_map *g, int64_t drain);

/* Cycles of F folds back to back for a given map geometry. */
int64_t mp_engine_folds_cycles(const mp_arch *a, const mp_gemm_map *g,
                               int64_t folds);

/* Co-simulation entry points (see the header comment). -1 on bad shape. */
int64_t mp_engine_fold_cycles(const mp_arch *a, int64_t m, int64_t n,
                              int64_t k);
int64_t mp_engine_seq_cycles(const mp_arch *a, int64_t folds, int64_t m,
                             int64_t n, int64_t k);

#endif
