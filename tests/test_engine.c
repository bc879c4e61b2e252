/*
 * test_engine.c - the array timing equations of sim/engine.h on small
 * cases worked by hand (each test's comment shows the arithmetic).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

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
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
