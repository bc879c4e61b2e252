/* test_rtl_lut_dsp.c - the LUT Tensor Core and DSP48E2 chain generators:
 * their layouts (lane limits, cascade segments, fetch widths, register
 * widths), the closed-form cycle counts of docs/rtl.md, generation, and the
 * configurations they reject.  (Lint, Yosys mapping and bit-exactness are
 * checked by tests/cli/test_rtl_lint_lut_dsp.sh and the co-simulation.) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rtl_gen/dsp_chain.h"
#include "rtl_gen/lut_tc.h"
#include "rtl_gen/rtl.h"
#include "tmpfiles.h"
#include "rtl_checks.h"

static mp_dsp_cfg dsp_layout(int len, int n, int m, int w_min, int w_max)
{
    mp_dsp_cfg c = {.chain_len = len, .sparse_n = n, .sparse_m = m,
                    .act_bits = 8, .w_min = w_min, .w_max = w_max,
                    .span = 128};
    assert_int_equal(mp_dsp_layout(&c), 0);
    return c;
}

/* The low lane's in-place limit: the largest n with n * (extreme d*w) in
 * the 18-bit signed lane, found here by direct search. */
static int lane_limit_by_search(int w_min, int w_max)
{
    int64_t most_pos = 0, most_neg = 0;
    for (int a = -128; a <= 127; a++)
        for (int w = w_min; w <= w_max; w++) {
            int64_t p = (int64_t)a * w;
            most_pos = p > most_pos ? p : most_pos;
            most_neg = p < most_neg ? p : most_neg;
        }
    int n = 0;
    while (n < 4096 && (n + 1) * most_pos <= 131071 &&
           (n + 1) * most_neg >= -131072)
        n++;
    return n;
}

static void test_dsp_layout(void **state)
{
    (void)state;
    mp_dsp_cfg c = dsp_layout(7, 0, 0, -128, 127);
    assert_int_equal(c.lane_limit, 7);
    assert_int_equal(c.lane_limit, lane_limit_by_search(-128, 127));
    assert_int_equal(c.segments, 1);
    assert_int_equal(c.fetch_k, 7);
    assert_int_equal(c.steps_per_fetch, 1);
    assert_int_equal(c.w_bits, 8);
    assert_int_equal(c.latency, 7 + 5);
    /* 8 int8 products could overflow the low lane: two segments of 4 */
    c = dsp_layout(8, 0, 0, -128, 127);
    assert_int_equal(c.segments, 2);
    assert_int_equal(c.seg_first[0], 0);
    assert_int_equal(c.seg_last[0], 3);
    assert_int_equal(c.seg_first[1], 4);
    assert_int_equal(c.seg_last[1], 7);
    c = dsp_layout(8, 0, 0, -8, 7);
    assert_int_equal(c.lane_limit, lane_limit_by_search(-8, 7));
    assert_int_equal(c.segments, 1);
    assert_int_equal(c.w_bits, 4);
    c = dsp_layout(8, 0, 0, 0, 255);
    assert_int_equal(c.lane_limit, lane_limit_by_search(0, 255));
    assert_int_equal(c.segments, 2);
    assert_int_equal(c.w_bits, 8);
    /* sparsity: chain >= N takes whole blocks, chain < N shares one */
    c = dsp_layout(8, 2, 4, -8, 7);
    assert_int_equal(c.fetch_k, 16);
    assert_int_equal(c.steps_per_fetch, 1);
    c = dsp_layout(2, 8, 16, -128, 127);
    assert_int_equal(c.fetch_k, 16);
    assert_int_equal(c.steps_per_fetch, 4);
    /* group sums: at least the 30-bit high lane, more for long groups */
    assert_int_equal(c.acc_bits, 30);
    mp_dsp_cfg big = {.chain_len = 2, .act_bits = 8, .w_min = -128,
                      .w_max = 127, .span = 1 << 16};
    assert_int_equal(mp_dsp_layout(&big), 0);
    assert_int_equal(big.acc_bits, 32); /* 2^16 * 2^14 = 2^30: 32 bits */
    /* chain 3 and N = 2: lcm 6 slots = 3 blocks of 4 K over 2 steps */
    mp_dsp_cfg odd = {.chain_len = 3, .sparse_n = 2, .sparse_m = 4,
                      .act_bits = 8, .w_min = -8, .w_max = 7, .span = 16};
    assert_int_equal(mp_dsp_layout(&odd), 0);
    assert_int_equal(odd.fetch_k, 12);
    assert_int_equal(odd.steps_per_fetch, 2);
}

static void test_lut_layout(void **state)
{
    (void)state;
    mp_lut_cfg c = {.m_tile = 2, .n_tile = 4, .tile_m = 2, .tile_n = 4,
                    .tile_k = 4, .act_bits = 8, .planes = 4, .msb_flip = 1,
                    .group = 8};
    assert_int_equal(mp_lut_layout(&c), 0);
    assert_int_equal(c.entry_bits, 10);  /* |x0 +- x1 +- x2 +- x3| <= 512 */
    assert_int_equal(c.tree_bits, 11);   /* one 4-group: +-entry          */
    assert_int_equal(c.acc_bits, 15);    /* 8 * 128 * 15 = 15360          */
    assert_int_equal(c.blocks, 2);
    assert_int_equal(c.latency, 2);
    c.tile_k = 6; /* not a multiple of 4 */
    assert_int_equal(mp_lut_layout(&c), -1);
    c.tile_k = 8; /* does not divide the group of 12 */
    c.group = 12;
    assert_int_equal(mp_lut_layout(&c), -1);
}

static void lut_cfg(mp_rtl_cfg *cfg, const char *weight, int group, int zeros,
                    int scales)
{
    mp_rtl_cfg_init(cfg);
    cfg->family = "lut-tc";
    assert_int_equal(mp_wfmt_parse(weight, &cfg->pe.wfmt), 0);
    cfg->pe.act = MP_ACT_INT8;
    cfg->pe.group_size = group;
    cfg->pe.has_zeros = zeros;
    cfg->pe.tile_m = 2;
    cfg->pe.tile_n = 4;
    cfg->has_scales = scales;
    cfg->has_act_scale = scales;
    cfg->rows = 1;
    cfg->cols = 1;
    cfg->k_max = 32;
}

static void dsp_cfg(mp_rtl_cfg *cfg, const char *weight, int group, int zeros,
                    int scales, int len, int n, int m)
{
    mp_rtl_cfg_init(cfg);
    cfg->family = "dsp-chain";
    assert_int_equal(mp_wfmt_parse(weight, &cfg->pe.wfmt), 0);
    cfg->pe.act = MP_ACT_INT8;
    cfg->pe.group_size = group;
    cfg->pe.has_zeros = zeros;
    cfg->pe.chain_len = len;
    cfg->pe.sparse_n = n;
    cfg->pe.sparse_m = m;
    cfg->has_scales = scales;
    cfg->has_act_scale = scales;
    cfg->rows = len; /* one chain per column: M_TILE = 2 */
    cfg->cols = 2;
    cfg->k_max = 32;
}

/* docs/rtl.md: rtl_cycles = steps(K) + Lc + E (these also matched the
 * Verilated designs' cycle counts in mpsim cosim). */
static void test_cycles(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    /* LUT: steps = B*K/4, Lc = 2, E = min(N_TILE 4, B*G/4 = 8) */
    lut_cfg(&cfg, "int4", 8, 1, 1);
    assert_int_equal(rtl_cycles_ok(&cfg, 32), 32 + 2 + 4);
    assert_int_equal(rtl_cycles_ok(&cfg, 8), 8 + 2 + 4);
    /* ternary = 2 planes, G = 4: E = min(4, 2) */
    lut_cfg(&cfg, "ternary", 4, 0, 1);
    assert_int_equal(rtl_cycles_ok(&cfg, 16), 8 + 2 + 2);
    /* edge_units 4 for 8 outputs: units of E = 2 columns */
    lut_cfg(&cfg, "int4", 8, 1, 1);
    cfg.pe.edge_units = 4;
    assert_int_equal(rtl_cycles_ok(&cfg, 32), 32 + 2 + 2);
    /* integer output without zeros: E = 0 */
    lut_cfg(&cfg, "uint2", 8, 0, 0);
    assert_int_equal(rtl_cycles_ok(&cfg, 32), 16 + 2);
    /* DSP dense: steps = K/len, Lc = len + 5, E = min(N_TILE 2, G/len) */
    dsp_cfg(&cfg, "int4", 16, 0, 1, 2, 0, 0);
    assert_int_equal(rtl_cycles_ok(&cfg, 32), 16 + 7 + 2);
    dsp_cfg(&cfg, "int8", 16, 0, 0, 8, 0, 0);
    assert_int_equal(rtl_cycles_ok(&cfg, 32), 4 + 13);
    /* sparse 2:4, len 2: a step covers one block of 4 K */
    dsp_cfg(&cfg, "int4", 16, 0, 1, 2, 2, 4);
    assert_int_equal(rtl_cycles_ok(&cfg, 32), 8 + 7 + 2);
    /* sparse 8:16, len 2: 4 steps per block of 16 K */
    dsp_cfg(&cfg, "int8", 16, 1, 1, 2, 8, 16);
    assert_int_equal(rtl_cycles_ok(&cfg, 32), 8 + 7 + 2);
}

static void test_generate(void **state)
{
    (void)state;
    char dir[] = "/tmp/mpsim_rtl_lut_dsp_XXXXXX";
    assert_non_null(mkdtemp(dir));
    mp_rtl_cfg cfg;
    mp_diag d;
    dsp_cfg(&cfg, "int8", 16, 1, 1, 8, 0, 0);
    if (mp_rtl_generate(&cfg, dir, &d))
        fail_msg("%s: %s", d.field, d.msg);
    assert_true(file_exists(dir, "DSP48E2.v"));
    assert_true(file_exists(dir, "mpsim_top_dsp_chain.v"));
    assert_true(file_exists(dir, "mpsim_top_dsp_core.v"));
    assert_true(file_exists(dir, "mpsim_top.v"));
    remove_tree(dir);
    assert_non_null(mkdtemp(strcpy(dir, "/tmp/mpsim_rtl_lut_dsp_XXXXXX")));
    lut_cfg(&cfg, "ternary", 8, 1, 0);
    if (mp_rtl_generate(&cfg, dir, &d))
        fail_msg("%s: %s", d.field, d.msg);
    assert_true(file_exists(dir, "mpsim_top_lut_table.v"));
    assert_true(file_exists(dir, "mpsim_top_lut_unit.v"));
    assert_true(file_exists(dir, "mpsim_top_lut_core.v"));
    assert_false(file_exists(dir, "DSP48E2.v"));
    remove_tree(dir);
}

static void test_reject(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    lut_cfg(&cfg, "int4", 8, 0, 1);
    cfg.pe.act = MP_ACT_FP8_E4M3; /* E4M3 tables overflow to NaN, which */
    cfg.pe.table_fmt = MP_ACT_FP8_E4M3; /* exact fixed sums cannot hold */
    cfg.pe.acc = MP_ACC_FIXED;
    rtl_expect_reject(&cfg, "table_fmt");
    /* dsp-chain refuses no array or group any more: groups that are not
     * a multiple of a step and rows < chain_len are generated and
     * checked in tests/test_rtl_dsp_pack.c */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dsp_layout),
        cmocka_unit_test(test_lut_layout),
        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_generate),
        cmocka_unit_test(test_reject),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
