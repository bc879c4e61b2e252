/*
 * test_engine.c - the array timing equations of sim/engine.h on small
 * cases worked by hand (each test's comment shows the arithmetic), and
 * one fold of every family with a generator against the generated RTL's
 * closed form mp_rtl_cycles() (docs/rtl.md), exactly, over a grid of
 * small arrays, group sizes, K, scales and zero points.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "rtl_gen/rtl.h"
#include "sim/engine.h"

/* A hand-built arch: only the fields the engine reads. */
static mp_arch arch(int rows, int cols, mp_dataflow df, int overlap)
{
    mp_arch a;
    mp_arch_defaults(&a);
    a.rows = rows;
    a.cols = cols;
    a.dataflow = df;
    a.fold_overlap = overlap;
    a.timing = (mp_pe_timing){.tile_m = 1, .tile_n = 1, .tile_k = 1,
                              .cycles_per_tile = 1, .pipeline_depth = 0,
                              .density = 1.0};
    return a;
}

/* OS, 4x3 array, M=4 N=3 K=10 fits one fold:
 * S = K = 10, L = 0, skew = P + R + C - 2 = 0 + 4 + 3 - 2 = 5 -> 15,
 * SCALE-Sim v2's OS fold T + R + C - 2 = 10 + 4 + 3 - 2 = 15. */
static void os_one_fold(void **state)
{
    (void)state;
    mp_arch a = arch(4, 3, MP_DF_OS, 0);
    assert_int_equal(mp_engine_fold_cycles(&a, 4, 3, 10), 15);
    mp_gemm_map g;
    assert_int_equal(mp_engine_map(&a, NULL, 4, 3, 10, &g, NULL), 0);
    assert_int_equal(g.folds, 1);
    assert_int_equal(g.compute_cycles, 15);
    /* util = 4*3*10 MACs / (15 cycles x 12 PEs) = 120/180 */
    assert_true(g.util > 0.6666 && g.util < 0.6667);
}

/* OS with a micro-tile PE (LUT-TC-like): tile 2x4x4, 3 cycles per tile,
 * pipeline 3, array 2x2: covers M 4, N 8.  M=4 N=8 K=16:
 * S = ceil(16/4)*3 = 12; fold = 12 + 3 + 2 + 2 - 2 = 17. */
static void os_micro_tile(void **state)
{
    (void)state;
    mp_arch a = arch(2, 2, MP_DF_OS, 0);
    a.timing = (mp_pe_timing){2, 4, 4, 3, 3, 1.0};
    mp_gemm_map g;
    assert_int_equal(mp_engine_map(&a, NULL, 4, 8, 16, &g, NULL), 0);
    assert_int_equal(g.folds, 1);
    assert_int_equal(g.stream_cycles, 12);
    assert_int_equal(g.fold_cycles, 17);
    /* tiles executed = (4/2) x (8/4) x (16/4) = 16 */
    assert_true(g.tiles == 16.0);
}

/* OS folds: M=9 N=7 K=10 on 4x3 -> ceil(9/4) x ceil(7/3) = 3 x 3 = 9 folds.
 * No overlap: 9 x 15 = 135.  Overlap: L + F*max(S, L) + skew
 * = 0 + 9*10 + 5 = 95.  Mapping efficiency: 9*7 used PE-folds over
 * 9 folds x 12 PEs = 63/108. */
static void os_folds_and_overlap(void **state)
{
    (void)state;
    mp_arch a = arch(4, 3, MP_DF_OS, 0);
    mp_gemm_map g;
    assert_int_equal(mp_engine_map(&a, NULL, 9, 7, 10, &g, NULL), 0);
    assert_int_equal(g.folds_r, 3);
    assert_int_equal(g.folds_c, 3);
    assert_int_equal(g.compute_cycles, 135);
    assert_true(g.mapping_eff > 63.0 / 108 - 1e-12 &&
                g.mapping_eff < 63.0 / 108 + 1e-12);
    a.fold_overlap = 1;
    assert_int_equal(mp_engine_map(&a, NULL, 9, 7, 10, &g, NULL), 0);
    assert_int_equal(g.compute_cycles, 95);
    assert_int_equal(mp_engine_seq_cycles(&a, 9, 4, 3, 10), 95);
}

/* WS, 4x3: rows hold K, cols N, M streams.  M=5 N=3 K=4:
 * L = R = 4, S = 5, skew = 4 + 3 - 2 = 5 -> 14 = SCALE-Sim's
 * 2R + C + T - 2 = 8 + 3 + 5 - 2.  With load_cycles = 1: 1 + 5 + 5 = 11. */
static void ws_one_fold(void **state)
{
    (void)state;
    mp_arch a = arch(4, 3, MP_DF_WS, 0);
    assert_int_equal(mp_engine_fold_cycles(&a, 5, 3, 4), 14);
    a.load_cycles = 1;
    assert_int_equal(mp_engine_fold_cycles(&a, 5, 3, 4), 11);
}

/* WS back to back with M = 1 (decode): S = 1 < L = 4, so each further fold
 * costs L: 3 folds (K = 12 over 4 rows) overlapped = 4 + 3*4 + 5 = 21;
 * not overlapped 3 x (4 + 1 + 5) = 30. */
static void ws_decode_folds(void **state)
{
    (void)state;
    mp_arch a = arch(4, 3, MP_DF_WS, 1);
    mp_gemm_map g;
    assert_int_equal(mp_engine_map(&a, NULL, 1, 3, 12, &g, NULL), 0);
    assert_int_equal(g.folds, 3);
    assert_int_equal(g.compute_cycles, 21);
    a.fold_overlap = 0;
    assert_int_equal(mp_engine_map(&a, NULL, 1, 3, 12, &g, NULL), 0);
    assert_int_equal(g.compute_cycles, 30);
}

/* IS, 4x3: rows hold K, cols M, N streams.  M=3 N=6 K=4:
 * L = 4, S = 6, skew 5 -> 15 = 2R + C + N - 2 = 8 + 3 + 6 - 2. */
static void is_one_fold(void **state)
{
    (void)state;
    mp_arch a = arch(4, 3, MP_DF_IS, 0);
    assert_int_equal(mp_engine_fold_cycles(&a, 3, 6, 4), 15);
    mp_gemm_map g;
    /* M = 7 needs ceil(7/3) = 3 column folds, K = 9 ceil(9/4) = 3 row
     * folds: 9 folds x (4 + 6 + 5) = 135 */
    assert_int_equal(mp_engine_map(&a, NULL, 7, 6, 9, &g, NULL), 0);
    assert_int_equal(g.folds, 9);
    assert_int_equal(g.compute_cycles, 135);
}

/* Cores split the folds: 9 folds on 2 cores -> 5 per core -> 5 x 15. */
static void cores_split_folds(void **state)
{
    (void)state;
    mp_arch a = arch(4, 3, MP_DF_OS, 0);
    a.cores = 2;
    mp_gemm_map g;
    assert_int_equal(mp_engine_map(&a, NULL, 9, 7, 10, &g, NULL), 0);
    assert_int_equal(g.folds_per_core, 5);
    assert_int_equal(g.compute_cycles, 75);
}

/* 2:4 sparsity: density 0.5 halves the streamed K: K=10 -> 5,
 * OS fold 5 + 5 = 10. */
static void sparsity_density(void **state)
{
    (void)state;
    mp_arch a = arch(4, 3, MP_DF_OS, 0);
    a.timing.density = 0.5;
    mp_gemm_map g;
    assert_int_equal(mp_engine_map(&a, NULL, 4, 3, 10, &g, NULL), 0);
    assert_int_equal(g.k_eff, 5);
    assert_int_equal(g.fold_cycles, 10);
}

/* A block-step array (operands broadcast, no R + C skew) of DSP-chain-like
 * PEs: tile 2x1x1, k_span 2, pipeline 7, on 4 x 2 rows x cols.  OS holds
 * 4 / 2 = 2 PE groups along M, each 2 rows (cover 4 x 2) taking 2 K per
 * step.  M=4 N=2 K=16: S = 16/2 = 8, fold = 8 + 7 = 15; drain 2 -> 17.
 * Overlapped, 3 folds (M = 12): 3*8 + 7 + 2 = 33 (fill and tail once);
 * not overlapped 3 x 17 = 51.  All 8 PEs busy: mapping_eff 1. */
static void broadcast_k_span(void **state)
{
    (void)state;
    mp_arch a = arch(4, 2, MP_DF_OS, 0);
    a.timing = (mp_pe_timing){.tile_m = 2, .tile_n = 1, .tile_k = 1,
                              .cycles_per_tile = 1, .pipeline_depth = 7,
                              .density = 1.0, .operand_broadcast = 1,
                              .k_span = 2};
    mp_gemm_map g;
    assert_int_equal(mp_engine_map(&a, NULL, 4, 2, 16, &g, NULL), 0);
    assert_int_equal(g.cover_r, 4);
    assert_int_equal(g.folds, 1);
    assert_int_equal(g.stream_cycles, 8);
    assert_int_equal(g.fold_cycles, 15);
    assert_true(g.mapping_eff > 1 - 1e-12 && g.mapping_eff < 1 + 1e-12);
    mp_engine_set_drain(&a, &g, 2);
    assert_int_equal(g.fold_cycles, 17);
    assert_int_equal(g.compute_cycles, 17);
    assert_int_equal(mp_engine_map(&a, NULL, 12, 2, 16, &g, NULL), 0);
    mp_engine_set_drain(&a, &g, 2);
    assert_int_equal(g.compute_cycles, 51);
    a.fold_overlap = 1;
    assert_int_equal(mp_engine_map(&a, NULL, 12, 2, 16, &g, NULL), 0);
    mp_engine_set_drain(&a, &g, 2);
    assert_int_equal(g.compute_cycles, 33);
    /* a SCALE-Sim arch models no edge tail */
    a.scalesim = 1;
    mp_engine_set_drain(&a, &g, 2);
    assert_int_equal(g.compute_cycles, 31);
}

/* An array of fewer rows than k_span cascades its rows: the DSP-chain-like
 * PE of broadcast_k_span with k_span 8 and pipeline 6 + 7 (a cascade fill
 * of 7) on 3 x 2: span 3, one group of 3 rows, 3 K per step; the depth
 * loses 8 - 3 = 5 slices of fill.  M=2 N=2 K=12: S = 12/3 = 4, fold =
 * 4 + 13 - 5 = 12.  With rows >= 8 nothing is taken off: 8 x 2, K=16:
 * S = 2, fold 2 + 13 = 15. */
static void short_cascade(void **state)
{
    (void)state;
    mp_arch a = arch(3, 2, MP_DF_OS, 0);
    a.timing = (mp_pe_timing){.tile_m = 2, .tile_n = 1, .tile_k = 1,
                              .cycles_per_tile = 1, .pipeline_depth = 13,
                              .density = 1.0, .operand_broadcast = 1,
                              .k_span = 8};
    mp_gemm_map g;
    assert_int_equal(mp_engine_map(&a, NULL, 2, 2, 12, &g, NULL), 0);
    assert_int_equal(g.k_span, 3);
    assert_int_equal(g.cover_r, 2);
    assert_int_equal(g.stream_cycles, 4);
    assert_int_equal(g.skew_cycles, 8);
    assert_int_equal(g.fold_cycles, 12);
    a.rows = 8;
    assert_int_equal(mp_engine_map(&a, NULL, 2, 2, 16, &g, NULL), 0);
    assert_int_equal(g.stream_cycles, 2);
    assert_int_equal(g.fold_cycles, 15);
}

/* Steps never straddle two groups when a step takes several K: span 3,
 * k_group 16, K = 32: each group 16/3 -> 6 steps, 12 in all (the whole K
 * would round to 11).  The last partial group of K = 40: 2 x 6 + 8/3 -> 3
 * = 15.  Half density (2:4): a group holds 8 nonzeros -> 3 steps, 6 for
 * K 32.  One K per step (k_span 1) or per channel (k_group 0) round the
 * whole K once; WS/IS stream M or N, untouched. */
static void group_steps(void **state)
{
    (void)state;
    mp_arch a = arch(3, 2, MP_DF_OS, 0);
    a.timing = (mp_pe_timing){.tile_m = 2, .tile_n = 1, .tile_k = 1,
                              .cycles_per_tile = 1, .pipeline_depth = 8,
                              .density = 1.0, .operand_broadcast = 1,
                              .k_span = 3, .k_group = 16};
    mp_gemm_map g;
    assert_int_equal(mp_engine_map(&a, NULL, 2, 2, 32, &g, NULL), 0);
    assert_int_equal(g.stream_cycles, 12);
    assert_int_equal(mp_engine_map(&a, NULL, 2, 2, 40, &g, NULL), 0);
    assert_int_equal(g.stream_cycles, 15);
    a.timing.density = 0.5;
    assert_int_equal(mp_engine_map(&a, NULL, 2, 2, 32, &g, NULL), 0);
    assert_int_equal(g.stream_cycles, 6);
    a.timing.density = 1.0;
    a.timing.k_group = 0;
    assert_int_equal(mp_engine_map(&a, NULL, 2, 2, 32, &g, NULL), 0);
    assert_int_equal(g.stream_cycles, 11);
    a.timing.k_group = 16;
    a.timing.k_span = 1;
    assert_int_equal(mp_engine_map(&a, NULL, 6, 2, 32, &g, NULL), 0);
    assert_int_equal(g.stream_cycles, 32);
    a.timing.k_span = 3;
    a.dataflow = MP_DF_WS;
    assert_int_equal(mp_engine_map(&a, NULL, 5, 2, 32, &g, NULL), 0);
    assert_int_equal(g.stream_cycles, 3); /* M = 5 over tile_m 2 */
}

/* The families whose steps take several K by construction never straddle
 * a group: LUT TC (tile_k 4, groups a multiple of 4) and BitFusion (the
 * fused K halved until it divides the group).  Telling the engine their
 * group (k_group) must not move any number. */
static void group_steps_other_families(void **state)
{
    (void)state;
    static const char *const fam[] = {"lut-tc", "bitfusion"};
    static const int groups[] = {4, 8, 12, 16, 32, 64, 128};
    static const int wbits[] = {1, 2, 4};
    int compared = 0;
    for (size_t f = 0; f < 2; f++)
        for (size_t gi = 0; gi < sizeof groups / sizeof *groups; gi++)
            for (size_t wi = 0; wi < 3; wi++) {
                const mp_pe_ops *ops = mp_pe_find(fam[f]);
                mp_pe_params p;
                mp_pe_params_init(&p);
                p.wfmt = (mp_wfmt){MP_W_SIGNED, wbits[wi]};
                p.group_size = groups[gi];
                mp_diag d;
                if (ops->check(&p, &d))
                    continue;
                mp_pe_timing t;
                ops->timing(&p, &t);
                assert_int_equal(t.k_group, 0);
                mp_arch a = arch(2, 2, MP_DF_OS, 0);
                for (int k = groups[gi]; k <= 4 * groups[gi];
                     k += groups[gi]) {
                    mp_gemm_map plain, grouped;
                    assert_int_equal(mp_engine_map(&a, &t, 7, 5, k, &plain,
                                                   NULL), 0);
                    mp_pe_timing tg = t;
                    tg.k_group = groups[gi];
                    assert_int_equal(mp_engine_map(&a, &tg, 7, 5, k,
                                                   &grouped, NULL), 0);
                    assert_int_equal(plain.stream_cycles,
                                     grouped.stream_cycles);
                    assert_int_equal(plain.fold_cycles, grouped.fold_cycles);
                    compared++;
                }
            }
    assert_true(compared >= 40);
}

/* ---- the engine equals the generated RTL ------------------------------ */

/* One design point: family, precision and knobs. */
typedef struct rtl_point {
    const char *family, *tech;
    mp_wfmt wfmt;
    mp_act_fmt act;
    int tile_n, chain_len, sparse_n, sparse_m;
    int pack; /* pack_products */
    int dequant_stages, fma_stages;
} rtl_point;

/* Bind an arch of this point and array, generate nothing: compare
 * mp_engine_fold_cycles(m_tile, n_tile, K) with mp_rtl_cycles(K) for
 * every valid K up to k_max.  Returns the K values compared (0 when the
 * generator declines the configuration). */
static int compare_point(const rtl_point *pt, int rows, int cols, int group,
                         int zeros, int scales, int edge_units, int k_max)
{
    mp_arch a;
    mp_arch_defaults(&a);
    snprintf(a.pe_name, sizeof a.pe_name, "%s", pt->family);
    snprintf(a.tech_name, sizeof a.tech_name, "%s", pt->tech);
    a.clock_hz = 200e6;
    a.rows = rows;
    a.cols = cols;
    a.pe_params.wfmt = pt->wfmt;
    a.pe_params.act = pt->act;
    a.pe_params.group_size = group;
    a.pe_params.has_zeros = zeros;
    a.pe_params.int_output = !scales;
    a.pe_params.edge_units = edge_units;
    a.pe_params.tile_n = pt->tile_n;
    a.pe_params.chain_len = pt->chain_len;
    a.pe_params.sparse_n = pt->sparse_n;
    a.pe_params.sparse_m = pt->sparse_m;
    a.pe_params.pack_products = pt->pack;
    a.pe_params.dequant_stages = pt->dequant_stages;
    a.pe_params.fma_stages = pt->fma_stages;
    mp_diag d;
    if (mp_arch_bind(&a, &d)) { /* the PE model declines: not a design */
        mp_arch_free(&a);
        return 0;
    }
    mp_rtl_cfg cfg;
    mp_rtl_cfg_init(&cfg);
    cfg.family = pt->family;
    cfg.pe = a.pe_params;
    mp_rtl_cfg_follow_weights(&cfg); /* FP16 weights: no scales */
    cfg.rows = rows;
    cfg.cols = cols;
    cfg.k_max = k_max;
    cfg.has_scales = scales;
    mp_rtl_info info;
    int compared = 0;
    if (mp_rtl_check(&cfg, &info, &d) == 0) {
        for (int k = info.k_step; k <= k_max; k += info.k_step) {
            int64_t rtl = mp_rtl_cycles(&cfg, k, &d);
            int64_t model = mp_engine_fold_cycles(&a, info.m_tile,
                                                  info.n_tile, k);
            if (rtl != model)
                fail_msg("%s %dx%d G %d zeros %d scales %d edge_units %d "
                         "stages %d/%d K %d: engine %lld, RTL %lld",
                         pt->family, rows, cols, group, zeros, scales,
                         edge_units, pt->dequant_stages, pt->fma_stages, k,
                         (long long)model, (long long)rtl);
            compared++;
        }
    }
    mp_arch_free(&a);
    return compared;
}

/* Every array size, group (incl. per channel), zero points, scales and
 * edge-unit count of a small grid; at least `want` comparisons. */
static void compare_grid(const rtl_point *pt, const int *rows, int nrows,
                         const int *cols, int ncols, const int *groups,
                         int ngroups, int k_max, int want)
{
    static const int units[] = {0, 1, 3};
    int compared = 0;
    for (int r = 0; r < nrows; r++)
        for (int c = 0; c < ncols; c++)
            for (int g = 0; g < ngroups; g++)
                for (int z = 0; z < 2; z++)
                    for (int s = 0; s < 2; s++)
                        for (int u = 0; u < 3; u++)
                            compared += compare_point(pt, rows[r], cols[c],
                                                      groups[g], z, s,
                                                      units[u], k_max);
    if (compared < want)
        fail_msg("%s: only %d comparisons (the generators declined the "
                 "grid?)", pt->family, compared);
}

static const int small[] = {1, 2, 3, 4};
static const int os_groups[] = {8, 32, 0};

static void rtl_equal_int8_mac(void **state)
{
    (void)state;
    rtl_point pt = {"int8-mac", "asic-28nm", {MP_W_SIGNED, 8}, MP_ACT_INT8,
                    0, 0, 0, 0};
    compare_grid(&pt, small, 4, small, 4, os_groups, 3, 64, 2000);
}

static void rtl_equal_mixpe(void **state)
{
    (void)state;
    rtl_point w4a8 = {"mixpe", "asic-28nm", {MP_W_SIGNED, 4}, MP_ACT_INT8,
                      0, 0, 0, 0};
    compare_grid(&w4a8, small, 4, small, 4, os_groups, 3, 64, 2000);
    rtl_point w2a8 = {"mixpe", "asic-28nm", {MP_W_UNSIGNED, 2}, MP_ACT_INT8,
                      0, 0, 0, 0};
    compare_grid(&w2a8, small, 2, small, 3, os_groups, 3, 32, 100);
    rtl_point w4a16 = {"mixpe", "asic-28nm", {MP_W_SIGNED, 4}, MP_ACT_FP16,
                       0, 0, 0, 0};
    compare_grid(&w4a16, small, 4, small, 4, os_groups, 3, 64, 1000);
    /* operand packing: L lanes per PE, N_TILE = C * L, same fold */
    w4a8.pack = 2;
    compare_grid(&w4a8, small, 4, small, 4, os_groups, 3, 64, 2000);
    w4a16.pack = 4;
    compare_grid(&w4a16, small, 3, small, 3, os_groups, 3, 32, 300);
    w2a8.pack = 3;
    compare_grid(&w2a8, small, 2, small, 3, os_groups, 3, 32, 100);
}

static void rtl_equal_fp16_mac(void **state)
{
    (void)state;
    rtl_point pt = {"fp16-mac", "asic-28nm", {MP_W_SIGNED, 4}, MP_ACT_FP16,
                    0, 0, 0, 0};
    compare_grid(&pt, small, 4, small, 4, os_groups, 3, 64, 1000);
}

/* LUT Tensor Core: M2N4K4 units (and the preset's N64), int4/int2 codes,
 * INT8 and FP16 activations. */
static void rtl_equal_lut_tc(void **state)
{
    (void)state;
    static const int groups[] = {8, 16, 0};
    rtl_point int4 = {"lut-tc", "asic-28nm", {MP_W_SIGNED, 4}, MP_ACT_INT8,
                      4, 0, 0, 0};
    compare_grid(&int4, small, 2, small, 2, groups, 3, 32, 300);
    rtl_point int2 = {"lut-tc", "asic-28nm", {MP_W_SIGNED, 2}, MP_ACT_INT8,
                      8, 0, 0, 0};
    compare_grid(&int2, small, 2, small, 2, groups, 3, 32, 300);
    rtl_point fp16 = {"lut-tc", "asic-28nm", {MP_W_SIGNED, 2}, MP_ACT_FP16,
                      64, 0, 0, 0};
    compare_grid(&fp16, small, 1, small, 1, groups, 3, 32, 20);
}

/* DSP chain: rows = slices along K (a multiple of chain_len), dense and
 * N:M sparse, chains of 2, 4 and 16 (the flightllm-u280 preset's). */
static void rtl_equal_dsp_chain(void **state)
{
    (void)state;
    static const int groups[] = {16, 32, 0};
    static const int rows2[] = {2, 4}, rows4[] = {4, 8}, rows16[] = {16};
    rtl_point c2 = {"dsp-chain", "xcup", {MP_W_SIGNED, 4}, MP_ACT_INT8,
                    0, 2, 0, 0};
    compare_grid(&c2, rows2, 2, small, 3, groups, 3, 64, 300);
    rtl_point c4 = {"dsp-chain", "xcup", {MP_W_SIGNED, 8}, MP_ACT_INT8,
                    0, 4, 0, 0};
    compare_grid(&c4, rows4, 2, small, 2, groups, 3, 64, 200);
    rtl_point c16 = {"dsp-chain", "xcup", {MP_W_SIGNED, 4}, MP_ACT_INT8,
                     0, 16, 0, 0};
    compare_grid(&c16, rows16, 1, small, 2, groups, 3, 64, 40);
    rtl_point sparse = {"dsp-chain", "xcup", {MP_W_SIGNED, 4}, MP_ACT_INT8,
                        0, 4, 2, 4};
    compare_grid(&sparse, rows4, 2, small, 2, groups, 3, 64, 100);
    rtl_point sparse_long = {"dsp-chain", "xcup", {MP_W_SIGNED, 4},
                             MP_ACT_INT8, 0, 2, 4, 16};
    compare_grid(&sparse_long, rows2, 1, small, 2, groups, 2, 64, 20);
}

/* DSP chain where a step does not fit the group or the array: chains of
 * 3 with groups of 16 and per channel at k-max 64 (K any, the last step
 * partial), sparse 2:4 on it, and arrays of fewer rows than chain_len
 * (chains of all the rows). */
static void rtl_equal_dsp_partial(void **state)
{
    (void)state;
    static const int groups[] = {16, 32, 0};
    static const int rows3[] = {3, 5}, short_rows[] = {1, 2, 3, 5};
    rtl_point c3 = {"dsp-chain", "xcup", {MP_W_SIGNED, 4}, MP_ACT_INT8,
                    0, 3, 0, 0};
    compare_grid(&c3, rows3, 2, small, 2, groups, 3, 64, 1000);
    rtl_point c3s = {"dsp-chain", "xcup", {MP_W_SIGNED, 4}, MP_ACT_INT8,
                     0, 3, 2, 4};
    compare_grid(&c3s, rows3, 1, small, 2, groups, 3, 64, 200);
    rtl_point c8 = {"dsp-chain", "xcup", {MP_W_SIGNED, 8}, MP_ACT_INT8,
                    0, 8, 0, 0};
    compare_grid(&c8, short_rows, 4, small, 2, groups, 3, 64, 1000);
    rtl_point c16s = {"dsp-chain", "xcup", {MP_W_SIGNED, 4}, MP_ACT_INT8,
                      0, 16, 2, 4};
    compare_grid(&c16s, short_rows, 4, small, 1, groups, 3, 64, 200);
}

/* Pipelined edge units and PEs (pe.dequant_stages, pe.fma_stages): every
 * stage count on the families whose edge is the shared dequant unit (and
 * lut-tc's float edge up to its 3), the fp16-mac product register. */
static void rtl_equal_stages(void **state)
{
    (void)state;
    static const int groups[] = {8, 0};
    for (int st = 2; st <= MP_DEQUANT_STAGES_MAX; st++) {
        rtl_point i8 = {"int8-mac", "asic-28nm", {MP_W_SIGNED, 8},
                        MP_ACT_INT8, 0, 0, 0, 0, 0, st, 0};
        compare_grid(&i8, small, 3, small, 3, os_groups, 3, 32, 500);
        rtl_point w4a16 = {"mixpe", "asic-28nm", {MP_W_SIGNED, 4},
                           MP_ACT_FP16, 0, 0, 0, 0, 2, st, 0};
        compare_grid(&w4a16, small, 2, small, 2, os_groups, 3, 32, 100);
        rtl_point bf = {"bitfusion", "asic-28nm", {MP_W_SIGNED, 8},
                        MP_ACT_INT8, 0, 0, 0, 0, 0, st, 0};
        compare_grid(&bf, small, 2, small, 2, groups, 2, 32, 50);
        rtl_point c4 = {"dsp-chain", "xcup", {MP_W_SIGNED, 4}, MP_ACT_INT8,
                        0, 4, 0, 0, 0, st, 0};
        static const int rows4[] = {4};
        compare_grid(&c4, rows4, 1, small, 2, groups, 2, 32, 20);
        /* lut-tc: integer group sums use the shared unit (1..6); float
         * sums the float edge, 1..MP_FDEQ_STAGES_MAX */
        rtl_point lut = {"lut-tc", "asic-28nm", {MP_W_SIGNED, 2},
                         MP_ACT_INT8, 4, 0, 0, 0, 0, st, 0};
        compare_grid(&lut, small, 2, small, 2, groups, 2, 32, 50);
        if (st <= MP_FDEQ_STAGES_MAX) {
            rtl_point lutf = {"lut-tc", "asic-28nm", {MP_W_SIGNED, 2},
                              MP_ACT_FP16, 4, 0, 0, 0, 0, st, 0};
            compare_grid(&lutf, small, 2, small, 2, groups, 2, 32, 50);
        }
    }
    rtl_point fp = {"fp16-mac", "asic-28nm", {MP_W_SIGNED, 4}, MP_ACT_FP16,
                    0, 0, 0, 0, 0, 0, 2};
    compare_grid(&fp, small, 4, small, 4, os_groups, 3, 64, 1000);
}

/* The stages by hand.  int8-mac 4 x 4, M 4 N 4 K 64, G 32, scales,
 * dequant_stages 3: fold = K + P + R + C - 2 + D, P = 0, D = 1 + (3 - 1)
 * = 3: 64 + 0 + 6 + 3 = 73 (one stage: 71).  fp16-mac 4 x 4 fma_stages 2:
 * P = 1, no drain: 64 + 1 + 6 = 71 (one stage: 70).  dequant_stages 4
 * needs >= 2 steps per group: G = 1 is refused, naming the field. */
/* A 4 x 4 arch of `family` at 500 MHz with these precisions and stages. */
static void stage_arch(mp_arch *a, const char *family, mp_wfmt w,
                       mp_act_fmt act, int group, int dequant_stages,
                       int fma_stages)
{
    mp_arch_defaults(a);
    snprintf(a->pe_name, sizeof a->pe_name, "%s", family);
    snprintf(a->tech_name, sizeof a->tech_name, "asic-28nm");
    a->clock_hz = 500e6;
    a->rows = a->cols = 4;
    a->pe_params.wfmt = w;
    a->pe_params.act = act;
    a->pe_params.group_size = group;
    a->pe_params.dequant_stages = dequant_stages;
    a->pe_params.fma_stages = fma_stages;
}

static void stages_by_hand(void **state)
{
    (void)state;
    static const mp_wfmt int8 = {MP_W_SIGNED, 8}, int4 = {MP_W_SIGNED, 4};
    mp_arch a;
    mp_diag d;
    stage_arch(&a, "int8-mac", int8, MP_ACT_INT8, 32, 3, 0);
    assert_int_equal(mp_arch_bind(&a, &d), 0);
    assert_int_equal(mp_engine_fold_cycles(&a, 4, 4, 64), 73);
    mp_arch_free(&a);

    stage_arch(&a, "fp16-mac", int4, MP_ACT_FP16, 32, 0, 2);
    assert_int_equal(mp_arch_bind(&a, &d), 0);
    assert_int_equal(a.timing.pipeline_depth, 1);
    assert_int_equal(mp_engine_fold_cycles(&a, 4, 4, 64), 71);
    mp_arch_free(&a);

    stage_arch(&a, "int8-mac", int8, MP_ACT_INT8, 1, 4, 0);
    assert_int_equal(mp_arch_bind(&a, &d), -1);
    assert_string_equal(d.field, "dequant_stages");
    mp_arch_free(&a);

    /* lut-tc's float group edge keeps acc + d in one stage: at most 3 */
    static const mp_wfmt int2 = {MP_W_SIGNED, 2};
    stage_arch(&a, "lut-tc", int2, MP_ACT_FP16, 32, MP_FDEQ_STAGES_MAX, 0);
    assert_int_equal(mp_arch_bind(&a, &d), 0);
    mp_arch_free(&a);
    stage_arch(&a, "lut-tc", int2, MP_ACT_FP16, 32, MP_FDEQ_STAGES_MAX + 1,
               0);
    assert_int_equal(mp_arch_bind(&a, &d), -1);
    assert_string_equal(d.field, "dequant_stages");
    mp_arch_free(&a);
}

/* Every shipped preset on the small arrays the co-simulation test
 * generates (tests/cli/test_cosim.sh, small_shape: a cascading PE group
 * keeps its k_span rows, a PE that is a whole tile is one PE, any other PE
 * 3 x 4 here; K up to 64 in groups of 32) equals its RTL too.  The presets
 * come from sim/arch/, none is named. */
static void rtl_equal_presets(void **state)
{
    (void)state;
    char names[128][64];
    int n = mp_arch_presets(names, 128);
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
        mp_arch a;
        mp_diag d;
        if (mp_arch_open(names[i], "--arch", &a, &d))
            fail_msg("%s: %s", names[i], d.msg);
        int tile = a.pe_params.tile_n > 0; /* the PE is a whole tile */
        a.rows = a.timing.k_span > 1 ? a.timing.k_span : tile ? 1 : 3;
        a.cols = tile ? 1 : 4;
        a.pe_params.group_size = 32;
        mp_rtl_cfg cfg;
        mp_rtl_cfg_init(&cfg);
        cfg.family = a.pe_name;
        cfg.pe = a.pe_params;
        mp_rtl_cfg_follow_weights(&cfg); /* FP16 weights: no scales */
    mp_rtl_cfg_follow_weights(&cfg); /* FP16 weights: no scales */
        cfg.rows = a.rows;
        cfg.cols = a.cols;
        cfg.k_max = 64;
        mp_rtl_info info;
        if (mp_rtl_check(&cfg, &info, &d))
            fail_msg("%s: %s", names[i], d.msg);
        for (int k = 32; k <= 64; k += 32)
            assert_int_equal(mp_engine_fold_cycles(&a, info.m_tile,
                                                   info.n_tile, k),
                             mp_rtl_cycles(&cfg, k, &d));
        mp_arch_free(&a);
    }
}

/* Bad shapes are rejected, never computed. */
static void bad_shapes(void **state)
{
    (void)state;
    mp_arch a = arch(4, 3, MP_DF_OS, 0);
    mp_diag d;
    mp_gemm_map g;
    assert_int_equal(mp_engine_map(&a, NULL, 0, 3, 10, &g, &d), -1);
    assert_string_equal(d.field, "shape");
    assert_int_equal(mp_engine_map(&a, NULL, 4, 3, (int64_t)1 << 41, &g, &d),
                     -1);
    assert_int_equal(mp_engine_fold_cycles(&a, 4, -1, 10), -1);
    /* 2^40 x 2^40 x 2^40 on a 4x3 array: ~2^118 cycles, refused */
    int64_t big = (int64_t)1 << 40;
    assert_int_equal(mp_engine_map(&a, NULL, big, big, big, &g, &d), -1);
    assert_string_equal(d.field, "shape");
    assert_int_equal(mp_engine_seq_cycles(&a, -1, 4, 3, 10), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(os_one_fold),
        cmocka_unit_test(os_micro_tile),
        cmocka_unit_test(os_folds_and_overlap),
        cmocka_unit_test(ws_one_fold),
        cmocka_unit_test(ws_decode_folds),
        cmocka_unit_test(is_one_fold),
        cmocka_unit_test(cores_split_folds),
        cmocka_unit_test(sparsity_density),
        cmocka_unit_test(bad_shapes),
        cmocka_unit_test(broadcast_k_span),
        cmocka_unit_test(short_cascade),
        cmocka_unit_test(group_steps),
        cmocka_unit_test(group_steps_other_families),
        cmocka_unit_test(rtl_equal_int8_mac),
        cmocka_unit_test(rtl_equal_mixpe),
        cmocka_unit_test(rtl_equal_fp16_mac),
        cmocka_unit_test(rtl_equal_lut_tc),
        cmocka_unit_test(rtl_equal_dsp_chain),
        cmocka_unit_test(rtl_equal_dsp_partial),
        cmocka_unit_test(rtl_equal_presets),
        cmocka_unit_test(rtl_equal_stages),
        cmocka_unit_test(stages_by_hand),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
