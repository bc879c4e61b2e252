/* test_rtl_bitfusion.c - the BitFusion generator (rtl_gen/bitfusion.c):
 * the closed-form cycle counts of docs/rtl.md, their equality with the
 * simulator engine's fold for every valid K over a grid of formats,
 * groups, zero points, scales and edge units, the fusion unit's structure
 * (BitBricks, no multiplier), and the configurations it rejects.  (Lint,
 * Yosys and bit-exactness: tests/cli/test_rtl_lint_bitfusion.sh and
 * tests/cli/test_cosim_bitfusion.sh.) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rtl_gen/rtl.h"
#include "sim/arch.h"
#include "sim/engine.h"
#include "tmpfiles.h"
#include "rtl_checks.h"

static void bf_cfg(mp_rtl_cfg *cfg, const char *weight, mp_act_fmt act,
                   int group, int zeros, int scales)
{
    mp_rtl_cfg_init(cfg);
    cfg->family = "bitfusion";
    assert_int_equal(mp_wfmt_parse(weight, &cfg->pe.wfmt), 0);
    cfg->pe.act = act;
    cfg->pe.group_size = group;
    cfg->pe.has_zeros = zeros;
    cfg->has_scales = scales;
    cfg->has_act_scale = scales;
    cfg->rows = 2;
    cfg->cols = 3;
    cfg->k_max = 64;
}

/* docs/rtl.md: rtl_cycles = (K / fetch_k) * subs + 3 + E, fetch_k =
 * 16/(wb*ab) halved until it divides G, E = min(N_TILE, steps per group)
 * or 0 for integer output without zero points (these also matched the
 * Verilated designs in mpsim cosim). */
static void test_cycles(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    /* W4A8: 2 products per step; E = min(3, 32/2) */
    bf_cfg(&cfg, "int4", MP_ACT_INT8, 32, 1, 1);
    assert_int_equal(rtl_cycles_ok(&cfg, 64), 32 + 3 + 3);
    /* W2A8: 4 per step, G = 6 -> 2 per step, E = min(3, 3) */
    bf_cfg(&cfg, "int2", MP_ACT_INT8, 6, 1, 1);
    cfg.k_max = 48;
    assert_int_equal(rtl_cycles_ok(&cfg, 48), 24 + 3 + 3);
    /* ternary = 1 brick, G = 1: one product per step, E = min(3, 1) */
    bf_cfg(&cfg, "ternary", MP_ACT_INT8, 1, 0, 1);
    assert_int_equal(rtl_cycles_ok(&cfg, 16), 16 + 3 + 1);
    /* W8A16: 32 bricks, 2 cycles per MAC */
    bf_cfg(&cfg, "int8", MP_ACT_INT16, 16, 1, 1);
    assert_int_equal(rtl_cycles_ok(&cfg, 64), 128 + 3 + 3);
    /* W8A8 integer output without zeros: E = 0 */
    bf_cfg(&cfg, "int8", MP_ACT_INT8, 32, 0, 0);
    assert_int_equal(rtl_cycles_ok(&cfg, 64), 64 + 3);
    /* W2A16 per channel: 2 per step, K must be even */
    bf_cfg(&cfg, "uint2", MP_ACT_INT16, 0, 1, 0);
    assert_int_equal(rtl_cycles_ok(&cfg, 64), 32 + 3 + 3);
    mp_diag d;
    assert_int_equal(mp_rtl_cycles(&cfg, 63, &d), -1);
    assert_string_equal(d.field, "k");
    /* K_MAX 1 (G 1): one step, E = min(3, 1) */
    bf_cfg(&cfg, "int8", MP_ACT_INT8, 1, 1, 1);
    cfg.k_max = 1;
    assert_int_equal(rtl_cycles_ok(&cfg, 1), 1 + 3 + 1);
}

/* PE model timing: K fused per cycle, cycles per MAC, broadcast. */
static void test_timing(void **state)
{
    (void)state;
    const mp_pe_ops *pe = mp_pe_find("bitfusion");
    assert_non_null(pe);
    static const struct {
        const char *w;
        mp_act_fmt act;
        int group, tile_k, cpt;
    } cases[] = {
        {"int4", MP_ACT_INT8, 128, 2, 1},  {"int8", MP_ACT_INT8, 128, 1, 1},
        {"int2", MP_ACT_INT8, 128, 4, 1},  {"int2", MP_ACT_INT8, 6, 2, 1},
        {"int2", MP_ACT_INT8, 3, 1, 1},    {"int8", MP_ACT_INT16, 0, 1, 2},
        {"uint2", MP_ACT_INT16, 0, 2, 1},  {"ternary", MP_ACT_INT8, 0, 4, 1},
        {"int3", MP_ACT_INT8, 0, 2, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        mp_pe_params p;
        mp_pe_params_init(&p);
        assert_int_equal(mp_wfmt_parse(cases[i].w, &p.wfmt), 0);
        p.act = cases[i].act;
        p.group_size = cases[i].group;
        mp_diag d;
        assert_int_equal(pe->check(&p, &d), 0);
        mp_pe_timing tm;
        pe->timing(&p, &tm);
        assert_int_equal(tm.tile_k, cases[i].tile_k);
        assert_int_equal(tm.cycles_per_tile, cases[i].cpt);
        assert_int_equal(tm.tile_m * tm.tile_n, 1);
        assert_int_equal(tm.pipeline_depth, 3);
        assert_true(tm.operand_broadcast);
    }
}

/* Engine fold == rtl_cycles for every valid K of every grid point. */
static int compare_point(const char *weight, mp_act_fmt act, int rows,
                         int cols, int group, int zeros, int scales,
                         int edge_units)
{
    mp_arch a;
    mp_arch_defaults(&a);
    snprintf(a.pe_name, sizeof a.pe_name, "bitfusion");
    snprintf(a.tech_name, sizeof a.tech_name, "asic-28nm");
    a.clock_hz = 200e6;
    a.rows = rows;
    a.cols = cols;
    assert_int_equal(mp_wfmt_parse(weight, &a.pe_params.wfmt), 0);
    a.pe_params.act = act;
    a.pe_params.group_size = group;
    a.pe_params.has_zeros = zeros;
    a.pe_params.int_output = !scales;
    a.pe_params.edge_units = edge_units;
    mp_diag d;
    if (mp_arch_bind(&a, &d))
        fail_msg("bind %s: %s: %s", weight, d.field, d.msg);
    mp_rtl_cfg cfg;
    mp_rtl_cfg_init(&cfg);
    cfg.family = "bitfusion";
    cfg.pe = a.pe_params;
    cfg.rows = rows;
    cfg.cols = cols;
    cfg.k_max = 48;
    cfg.has_scales = scales;
    cfg.has_act_scale = 0;
    mp_rtl_info info;
    if (mp_rtl_check(&cfg, &info, &d))
        fail_msg("bitfusion %s declined: %s: %s", weight, d.field, d.msg);
    int compared = 0;
    for (int k = info.k_step; k <= cfg.k_max; k += info.k_step) {
        int64_t rtl = mp_rtl_cycles(&cfg, k, &d);
        int64_t model = mp_engine_fold_cycles(&a, info.m_tile, info.n_tile, k);
        if (rtl != model)
            fail_msg("bitfusion %s act %d %dx%d G %d zeros %d scales %d "
                     "units %d K %d: engine %lld, RTL %lld", weight, (int)act,
                     rows, cols, group, zeros, scales, edge_units, k,
                     (long long)model, (long long)rtl);
        compared++;
    }
    mp_arch_free(&a);
    return compared;
}

static void test_engine_equal(void **state)
{
    (void)state;
    static const char *const weights[] = {"int4", "int2", "int8", "uint3",
                                          "ternary", "int1"};
    static const mp_act_fmt acts[] = {MP_ACT_INT8, MP_ACT_INT16};
    static const int groups[] = {1, 6, 8, 16, 0};
    static const int units[] = {0, 1, 3};
    int compared = 0;
    for (int w = 0; w < 6; w++)
        for (int a = 0; a < 2; a++)
            for (int g = 0; g < 5; g++)
                for (int z = 0; z < 2; z++)
                    for (int s = 0; s < 2; s++)
                        for (int u = 0; u < 3; u++)
                            for (int rc = 1; rc <= 3; rc += 2)
                                compared += compare_point(
                                    weights[w], acts[a], rc, 4 - rc,
                                    groups[g], z, s, units[u]);
    assert_true(compared > 5000);
}

/* Occurrences of needle in the file dir/name. */
static int count_in(const char *dir, const char *name, const char *needle)
{
    char path[512], line[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "r");
    if (!f)
        fail_msg("cannot open %s", path);
    int n = 0;
    while (fgets(line, sizeof line, f))
        for (const char *p = line; (p = strstr(p, needle)); p++)
            n++;
    fclose(f);
    return n;
}

/* The unit is built of BitBricks (16 per step when the products fill it)
 * and has no multiplier of its own. */
static void expect_bricks(const char *weight, mp_act_fmt act, int group,
                          int bricks)
{
    char *dir = make_tmpdir();
    mp_rtl_cfg cfg;
    bf_cfg(&cfg, weight, act, group, 1, 1);
    cfg.k_max = 96; /* a multiple of 32 and 3 */
    mp_diag d;
    if (mp_rtl_generate(&cfg, dir, &d))
        fail_msg("%s: %s: %s", weight, d.field, d.msg);
    assert_true(file_exists(dir, "mpsim_top.v"));
    assert_true(file_exists(dir, "mpsim_top_bf_core.v"));
    assert_int_equal(count_in(dir, "mpsim_top_fusion_unit.v",
                              "mpsim_top_bitbrick u_bb_"), bricks);
    assert_int_equal(count_in(dir, "mpsim_top_fusion_unit.v", " * "), 0);
    assert_int_equal(count_in(dir, "mpsim_top_bitbrick.v", " * "), 1);
    assert_int_equal(count_in(dir, "mpsim_top_bf_core.v",
                              "mpsim_top_fusion_unit u_fu_"), 2 * 3);
    remove_tree(dir);
    free(dir);
}

static void test_generate(void **state)
{
    (void)state;
    expect_bricks("int4", MP_ACT_INT8, 32, 16);    /* 2 x (2 x 4)      */
    expect_bricks("int8", MP_ACT_INT8, 32, 16);    /* 1 x (4 x 4)      */
    expect_bricks("int2", MP_ACT_INT8, 32, 16);    /* 4 x (1 x 4)      */
    expect_bricks("int8", MP_ACT_INT16, 32, 16);   /* half of 4 x 8    */
    expect_bricks("uint2", MP_ACT_INT16, 32, 16);  /* 2 x (1 x 8)      */
    expect_bricks("int4", MP_ACT_INT8, 3, 8);      /* G 3: 1 product   */
}

static void test_reject(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    /* int16 x uint8 integer sums over K 4096 do not fit int32 */
    bf_cfg(&cfg, "uint8", MP_ACT_INT16, 0, 0, 0);
    cfg.k_max = 4096;
    char *dir = make_tmpdir();
    mp_diag d;
    assert_int_equal(mp_rtl_generate(&cfg, dir, &d), -1);
    assert_string_equal(d.field, "k-max");
    assert_false(file_exists(dir, "files.f"));
    assert_false(file_exists(dir, "mpsim_top.v"));
    /* per channel, K_MAX 2 below the 4 K a W2A8 unit takes per cycle */
    bf_cfg(&cfg, "int2", MP_ACT_INT8, 0, 0, 1);
    cfg.k_max = 2;
    assert_int_equal(mp_rtl_generate(&cfg, dir, &d), -1);
    assert_string_equal(d.field, "k-max");
    assert_false(file_exists(dir, "mpsim_top.v"));
    /* int16 x uint8 with scales is generated (float output) */
    bf_cfg(&cfg, "uint8", MP_ACT_INT16, 0, 0, 0);
    cfg.has_scales = 1;
    cfg.k_max = 512; /* keeps the flip-flop buffers small */
    if (mp_rtl_generate(&cfg, dir, &d))
        fail_msg("%s: %s", d.field, d.msg);
    remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_timing),
        cmocka_unit_test(test_engine_equal),
        cmocka_unit_test(test_generate),
        cmocka_unit_test(test_reject),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
