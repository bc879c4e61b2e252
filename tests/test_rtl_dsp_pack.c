/* test_rtl_dsp_pack.c - the DSP48E2 chain generator over every packing the
 * PE model accepts: one product per slice (pack 1), the INT8 pair (pack 2)
 * with INT8 or INT4 activations, the INT4 2x2 outer product (pack 4), long
 * chains and partial chains, arrays of fewer rows than chain_len, groups
 * that are no whole number of steps.  Checked here: the layouts (lane
 * limits against the PE model's own, segments, tile shapes, latencies),
 * that rtl_cycles equals the engine's closed form built from the PE
 * model's timing (steps per group + pipeline_depth less the missing
 * cascade fill + the edge drain), generation, and the model's refusals
 * passing through.  (Lint, Yosys and bit-exactness:
 * tests/cli/test_rtl_lint_dsp_pack.sh and tests/cli/test_cosim_dsp.sh.) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include "pe_models/pe.h"
#include "pe_models/pe_common.h"
#include "rtl_gen/dsp_chain.h"
#include "rtl_gen/rtl.h"
#include "tests/tmpfiles.h"
#include "tests/rtl_checks.h"

static mp_wfmt wfmt(const char *name)
{
    mp_wfmt w;
    assert_int_equal(mp_wfmt_parse(name, &w), 0);
    return w;
}

static mp_dsp_cfg layout(int pack, int act_bits, const char *weight, int len)
{
    mp_wfmt w = wfmt(weight);
    mp_dsp_cfg c = {.chain_len = len, .pack = pack, .act_bits = act_bits,
                    .w_min = (int)mp_wfmt_min(w),
                    .w_max = (int)mp_wfmt_max(w), .span = 64};
    assert_int_equal(mp_dsp_layout(&c), 0);
    return c;
}

/* The generator's in-place limits agree with the PE model's (which are
 * tested against the arithmetic in tests/test_pe_models.c) wherever the
 * model's activation range is the generator's. */
static void test_layout_limits(void **state)
{
    (void)state;
    static const char *const quad_w[] = {"int4", "uint4", "int2", "int1",
                                         "uint1", "ternary"};
    for (size_t i = 0; i < sizeof quad_w / sizeof *quad_w; i++) {
        mp_dsp_cfg c = layout(4, 4, quad_w[i], 8);
        assert_int_equal(c.lane_limit,
                         mp_dsp_quad_limit(wfmt(quad_w[i]), 1));
    }
    static const char *const pair_w[] = {"int8", "uint8", "int4", "int2",
                                         "ternary", "uint3"};
    for (size_t i = 0; i < sizeof pair_w / sizeof *pair_w; i++) {
        mp_dsp_cfg c = layout(2, 8, pair_w[i], 8);
        assert_int_equal(c.lane_limit, mp_dsp_pack_limit(wfmt(pair_w[i]), 1));
    }
    /* int4 x int4 quads: 15 (16 * 64 = 1024 leaves the 11-bit lane) */
    mp_dsp_cfg c = layout(4, 4, "int4", 16);
    assert_int_equal(c.lane_limit, 15);
    assert_int_equal(c.segments, 2);
    assert_int_equal(c.seg_last[0], 7);
    assert_int_equal(c.rows_per_chain, 2);
    assert_int_equal(c.cols_per_chain, 2);
    assert_int_equal(c.lanes, 4);
    assert_int_equal(c.latency, 16 + 5);
    assert_true(c.acc_bits >= 15); /* lane 3 is handed over whole */
    /* pack 1: the 48-bit P never overflows within the model's chains */
    c = layout(1, 8, "int8", 4096);
    assert_int_equal(c.segments, 1);
    assert_int_equal(c.rows_per_chain, 1);
    assert_int_equal(c.cols_per_chain, 1);
    assert_int_equal(c.dsp_latency, 3);
    assert_int_equal(c.latency, 4096 + 4);
    assert_int_equal(c.fetch_k, 4096);
    /* int4 activations in the pair: a wider low-lane budget than int8 */
    c = layout(2, 4, "int8", 64);
    assert_int_equal(c.lane_limit, 131071 / 1024); /* -8 * -128 = 1024 */
    assert_int_equal(c.segments, 1);
    /* the longest chain the model takes, int8 pairs: 586 segments */
    c = layout(2, 8, "int8", 4096);
    assert_int_equal(c.segments, (4096 + 6) / 7);
    assert_int_equal(c.seg_last[c.segments - 1], 4095);
    /* pack 4 has no room for 8-bit operands or sparsity */
    mp_dsp_cfg bad = {.chain_len = 8, .pack = 4, .act_bits = 4, .w_min = -128,
                      .w_max = 127, .span = 64};
    assert_int_equal(mp_dsp_layout(&bad), -1);
    bad = (mp_dsp_cfg){.chain_len = 8, .pack = 4, .act_bits = 4, .w_min = -8,
                       .w_max = 7, .sparse_n = 2, .sparse_m = 4, .span = 64};
    assert_int_equal(mp_dsp_layout(&bad), -1);
    bad = (mp_dsp_cfg){.chain_len = 8, .pack = 3, .act_bits = 8, .w_min = -8,
                       .w_max = 7, .span = 64};
    assert_int_equal(mp_dsp_layout(&bad), -1);
}

static void dsp_cfg(mp_rtl_cfg *cfg, const char *act, const char *weight,
                    int pack, int len, int rows, int cols, int group)
{
    mp_rtl_cfg_init(cfg);
    cfg->family = "dsp-chain";
    cfg->pe.wfmt = wfmt(weight);
    assert_int_equal(mp_act_parse(act, &cfg->pe.act), 0);
    cfg->pe.pack_products = pack;
    cfg->pe.chain_len = len;
    cfg->pe.group_size = group;
    cfg->rows = rows;
    cfg->cols = cols;
    cfg->k_max = 2 * (group ? group : len);
}

static mp_rtl_info check_ok(const mp_rtl_cfg *cfg)
{
    mp_rtl_info info;
    mp_diag d;
    if (mp_rtl_check(cfg, &info, &d))
        fail_msg("%s: %s", d.field, d.msg);
    return info;
}

/* The engine's closed form for one fold of depth k (sim/engine.c with
 * operand_broadcast, k_span and k_group, plus the edge drain of
 * pe_common.c), built from the PE model's timing, not from the
 * generator: span = min(k_span, rows) slices take tile_k * span K per
 * step, a group of k_group rounds its steps up on its own, and the
 * pipeline loses the cascade fill of the slices a short array lacks. */
static int64_t engine_cycles(const mp_rtl_cfg *cfg, int k)
{
    const mp_pe_ops *ops = mp_pe_find("dsp-chain");
    mp_pe_params p = cfg->pe;
    mp_diag d;
    assert_int_equal(ops->check(&p, &d), 0);
    p.int_output = !cfg->has_scales;
    mp_pe_timing tm;
    ops->timing(&p, &tm);
    int span = tm.k_span < cfg->rows ? tm.k_span : cfg->rows;
    int per_step = tm.tile_k * span;
    int group = tm.k_group > 0 && tm.k_group < k ? tm.k_group : k;
    assert_int_equal(k % group, 0);
    int64_t g_eff = (int64_t)ceil(group * tm.density);
    int64_t steps = k / group * ((g_eff + per_step - 1) / per_step);
    return steps * tm.cycles_per_tile + tm.pipeline_depth -
           (tm.k_span - span) +
           mp_pe_edge_drain(&p, &tm, cfg->rows, cfg->cols);
}

static void expect_cycles(const mp_rtl_cfg *cfg, int k, int64_t want)
{
    mp_diag d;
    int64_t got = mp_rtl_cycles(cfg, k, &d);
    if (got < 0)
        fail_msg("%s: %s", d.field, d.msg);
    assert_int_equal(got, want);
    assert_int_equal(got, engine_cycles(cfg, k));
}

static void test_tiles_and_cycles(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    /* pack 1: a chain covers 1 row x 1 column; Lc = len + 4 */
    dsp_cfg(&cfg, "int8", "int8", 1, 4, 8, 3, 16);
    mp_rtl_info info = check_ok(&cfg);
    assert_int_equal(info.m_tile, 2);
    assert_int_equal(info.n_tile, 3);
    /* steps 32/4 = 8, Lc 8, E = min(3, 16/4) = 3 */
    expect_cycles(&cfg, 32, 8 + 8 + 3);
    cfg.has_scales = 0;
    cfg.has_act_scale = 0;
    expect_cycles(&cfg, 32, 8 + 8); /* integer output: no edge tail */
    /* pack 4: 2 rows x 2 columns per chain; Lc = len + 5 */
    dsp_cfg(&cfg, "int4", "int4", 4, 8, 16, 2, 32);
    info = check_ok(&cfg);
    assert_int_equal(info.m_tile, 4);
    assert_int_equal(info.n_tile, 4);
    /* steps 64/8 = 8, Lc 13, E = min(N_TILE 4, 32/8 = 4) */
    expect_cycles(&cfg, 64, 8 + 13 + 4);
    /* pack 0 with int4 x int4 is the model's default 4 */
    dsp_cfg(&cfg, "int4", "uint4", 0, 8, 8, 1, 32);
    info = check_ok(&cfg);
    assert_int_equal(info.pe.pack_products, 4);
    assert_int_equal(info.n_tile, 2);
    expect_cycles(&cfg, 32, 4 + 13 + 2);
    /* int4 activations in the pair (8-bit weights do not fit pack 4) */
    dsp_cfg(&cfg, "int4", "int8", 0, 4, 4, 2, 16);
    info = check_ok(&cfg);
    assert_int_equal(info.pe.pack_products, 2);
    assert_int_equal(info.m_tile, 2);
    expect_cycles(&cfg, 32, 8 + 9 + 2);
    /* int4 activations, one product per slice, 2:4 sparse weights */
    dsp_cfg(&cfg, "int4", "int4", 1, 2, 4, 2, 16);
    cfg.pe.sparse_n = 2;
    cfg.pe.sparse_m = 4;
    info = check_ok(&cfg);
    assert_int_equal(info.m_tile, 2);
    expect_cycles(&cfg, 32, 8 + 6 + 2);
    /* chain 3 and 2:4: lcm(3, 2) = 6 slots = 3 blocks of 4 K per fetch,
     * 2 steps each; K = 24: 4 steps, Lc 8, E = min(2, 12/12 * 2) = 2 */
    dsp_cfg(&cfg, "int8", "int4", 2, 3, 3, 2, 12);
    cfg.pe.sparse_n = 2;
    cfg.pe.sparse_m = 4;
    info = check_ok(&cfg);
    assert_int_equal(info.k_step, 12);
    expect_cycles(&cfg, 24, 4 + 8 + 2);
    /* chain 6, 4:8, pack 1: lcm 12 slots = 3 blocks of 8 K, 2 steps */
    dsp_cfg(&cfg, "int4", "int8", 1, 6, 6, 1, 24);
    cfg.pe.sparse_n = 4;
    cfg.pe.sparse_m = 8;
    expect_cycles(&cfg, 48, 4 + 10 + 1);
    /* a long chain: 96 slices, 14 segments of int8 pairs, 96 K per step */
    dsp_cfg(&cfg, "int8", "int8", 2, 96, 96, 1, 0);
    cfg.k_max = 192;
    info = check_ok(&cfg);
    assert_int_equal(info.k_step, 96);
    expect_cycles(&cfg, 192, 2 + 101 + 1);
    /* rows beyond whole chains idle, as in the engine: 6 rows, chain 4 */
    dsp_cfg(&cfg, "int8", "int8", 2, 4, 6, 2, 16);
    info = check_ok(&cfg);
    assert_int_equal(info.m_tile, 2);
    expect_cycles(&cfg, 32, 8 + 9 + 2);
}

/* Arrays of fewer rows than chain_len: one chain of all the rows per
 * column, its latency and limits those of `rows` slices. */
static void test_short_rows(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    /* pack 4, chain 8 on 4 rows: a 4-slice chain, Lc = 4 + 5 = 9; the
     * lane limit 15 holds the 4 slices in one segment */
    dsp_cfg(&cfg, "int4", "int4", 4, 8, 4, 1, 16);
    mp_rtl_info info = check_ok(&cfg);
    assert_int_equal(info.m_tile, 2);
    assert_int_equal(info.n_tile, 2);
    /* steps 32/4 = 8, E = min(N_TILE 2, 16/4 = 4) */
    expect_cycles(&cfg, 32, 8 + 9 + 2);
    /* int8 pairs, chain 16 on 10 rows: 10 slices = 2 segments (limit 7),
     * Lc = 10 + 5; G 20 = 2 steps, E = min(3, 2) */
    dsp_cfg(&cfg, "int8", "int8", 2, 16, 10, 3, 20);
    info = check_ok(&cfg);
    assert_int_equal(info.m_tile, 2);
    expect_cycles(&cfg, 40, 4 + 15 + 2);
    /* one row: a chain of one slice takes one K per step */
    dsp_cfg(&cfg, "int8", "int4", 1, 4, 1, 2, 8);
    info = check_ok(&cfg);
    assert_int_equal(info.m_tile, 1);
    assert_int_equal(info.k_step, 8);
    expect_cycles(&cfg, 16, 16 + 5 + 2);
    /* sparse 2:4 with chain 4 on 3 rows: lcm(3, 2) = 6 slots = 3 blocks
     * of 4 K over 2 steps; G 24 = 4 steps, Lc 3 + 5 */
    dsp_cfg(&cfg, "int8", "int4", 2, 4, 3, 1, 24);
    cfg.pe.sparse_n = 2;
    cfg.pe.sparse_m = 4;
    info = check_ok(&cfg);
    expect_cycles(&cfg, 48, 8 + 8 + 1);
}

/* A group (or per-channel K) that is not a multiple of the K a step
 * fetches: every group takes ceil(G_eff / (chain_len)) steps, the last
 * one partial. */
static void test_partial_steps(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    /* chain 3, groups of 16: 6 steps a group (5 whole, one of 1 K);
     * Lc 3 + 5, E = min(2, 6) */
    dsp_cfg(&cfg, "int8", "int4", 2, 3, 3, 2, 16);
    mp_rtl_info info = check_ok(&cfg);
    assert_int_equal(info.k_step, 16);
    expect_cycles(&cfg, 16, 6 + 8 + 2);
    expect_cycles(&cfg, 32, 12 + 8 + 2);
    /* integer output: no edge tail */
    cfg.has_scales = 0;
    cfg.has_act_scale = 0;
    expect_cycles(&cfg, 32, 12 + 8);
    /* 2:4 sparse, chain 3: fetch 12 K over 2 steps; G 16 = one fetch + a
     * block of 2 slots (1 step): 3 = ceil(8 / 3) steps a group */
    dsp_cfg(&cfg, "int8", "int4", 2, 3, 3, 1, 16);
    cfg.pe.sparse_n = 2;
    cfg.pe.sparse_m = 4;
    info = check_ok(&cfg);
    expect_cycles(&cfg, 32, 6 + 8 + 1);
    /* 2:2, chain 3: fetch 6 K over 2 steps; G 8 = one fetch + one block
     * (2 slots, 1 step) */
    dsp_cfg(&cfg, "int8", "int4", 2, 3, 3, 2, 8);
    cfg.pe.sparse_n = 2;
    cfg.pe.sparse_m = 2;
    expect_cycles(&cfg, 16, 6 + 8 + 2);
    /* per channel, k-max 32 with a 3-K step: any K (k_step 1), the last
     * step partial */
    dsp_cfg(&cfg, "int8", "int4", 2, 3, 3, 2, 0);
    cfg.k_max = 32;
    info = check_ok(&cfg);
    assert_int_equal(info.k_step, 1);
    for (int k = 1; k <= 32; k++)
        expect_cycles(&cfg, k, (k + 2) / 3 + 8 + 2);
    /* per channel sparse 2:4 whose k-max is no whole fetch: K in whole
     * 4-blocks */
    dsp_cfg(&cfg, "int8", "int4", 1, 3, 3, 1, 0);
    cfg.pe.sparse_n = 2;
    cfg.pe.sparse_m = 4;
    cfg.k_max = 40;
    info = check_ok(&cfg);
    assert_int_equal(info.k_step, 4);
    for (int k = 4; k <= 40; k += 4)
        expect_cycles(&cfg, k, (k / 2 + 2) / 3 + 7 + 1);
    /* per channel with k-max a whole number of fetches keeps whole-fetch
     * tiles (no mask) */
    cfg.k_max = 36;
    info = check_ok(&cfg);
    assert_int_equal(info.k_step, 12);
    /* pack 4, chain 16 on 16 rows, groups of 24: 2 steps a group */
    dsp_cfg(&cfg, "int4", "int4", 4, 16, 16, 1, 24);
    info = check_ok(&cfg);
    expect_cycles(&cfg, 48, 4 + 21 + 2);
}

/* Instances of DSP48E2 in a written module. */
static int count_instances(const char *dir, const char *file)
{
    char path[1024], line[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    int n = 0;
    while (fgets(line, sizeof line, fp))
        n += strstr(line, "DSP48E2 #(") != NULL;
    fclose(fp);
    return n;
}

static int file_has(const char *dir, const char *file, const char *text)
{
    char path[1024], line[512];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    int found = 0;
    while (!found && fgets(line, sizeof line, fp))
        found = strstr(line, text) != NULL;
    fclose(fp);
    return found;
}

static void test_generate(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    mp_diag d;
    char *dir = make_tmpdir();
    /* pack 4: the chain carries the three borrow adds of the correction */
    dsp_cfg(&cfg, "int4", "int4", 4, 16, 16, 1, 32);
    if (mp_rtl_generate(&cfg, dir, &d))
        fail_msg("%s: %s", d.field, d.msg);
    assert_int_equal(count_instances(dir, "mpsim_top_dsp_chain.v"), 16);
    assert_true(file_has(dir, "mpsim_top_dsp_chain.v", "wire [14:0] r3_1"));
    assert_true(file_has(dir, "mpsim_top_dsp_chain.v", "part_1_3 <="));
    assert_true(file_has(dir, "mpsim_top_dsp_chain.v", ".AMULTSEL(\"AD\")"));
    remove_tree(dir);
    free(dir);
    /* pack 1: no pre-adder, no lane split */
    dir = make_tmpdir();
    dsp_cfg(&cfg, "int8", "uint8", 1, 8, 8, 2, 16);
    if (mp_rtl_generate(&cfg, dir, &d))
        fail_msg("%s: %s", d.field, d.msg);
    assert_int_equal(count_instances(dir, "mpsim_top_dsp_chain.v"), 8);
    assert_true(file_has(dir, "mpsim_top_dsp_chain.v", ".AMULTSEL(\"A\")"));
    assert_false(file_has(dir, "mpsim_top_dsp_chain.v", "segment 1"));
    assert_true(file_exists(dir, "DSP48E2.v"));
    remove_tree(dir);
    free(dir);
    /* beyond 64 slices and 64 K per step */
    dir = make_tmpdir();
    dsp_cfg(&cfg, "int8", "int8", 2, 72, 72, 1, 72);
    if (mp_rtl_generate(&cfg, dir, &d))
        fail_msg("%s: %s", d.field, d.msg);
    assert_int_equal(count_instances(dir, "mpsim_top_dsp_chain.v"), 72);
    assert_true(file_has(dir, "mpsim_top_dsp_chain.v", "segment 10"));
    remove_tree(dir);
    free(dir);
}

static void test_reject(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    /* the model's own refusals come through: pack 4 with int8 (short
     * arrays and groups that are no whole number of steps are generated:
     * test_short_rows, test_partial_steps) */
    dsp_cfg(&cfg, "int8", "int4", 4, 8, 8, 1, 32);
    rtl_expect_reject(&cfg, "pack_products");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_limits),
        cmocka_unit_test(test_tiles_and_cycles),
        cmocka_unit_test(test_short_rows),
        cmocka_unit_test(test_partial_steps),
        cmocka_unit_test(test_generate),
        cmocka_unit_test(test_reject),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
