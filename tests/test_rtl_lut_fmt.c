/* test_rtl_lut_fmt.c - the LUT Tensor Core generator over its number
 * formats: the layout of rounded-table integer cores, every activation x
 * table format x group accumulator the PE model accepts generates (the
 * only refusal: exact sums of tables that can overflow to Inf/NaN), the
 * datapath chosen (exact integer tables without scales, whatever the
 * table format), and cycle counts that do not depend on the formats.
 * (Lint, Yosys and bit-exactness: tests/cli/test_rtl_lint_lut_fmt.sh,
 * tests/cli/test_cosim_lut.sh.) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "golden/mpgemm.h"
#include "rtl_gen/lut_tc.h"
#include "rtl_gen/rtl.h"
#include "tmpfiles.h"
#include "rtl_checks.h"

static void test_layout_rounded(void **state)
{
    (void)state;
    /* FP8 E4M3 activations, FP32 tables, fixed sums on 2^-9 */
    mp_lut_cfg c = {.m_tile = 2, .n_tile = 2, .tile_m = 2, .tile_n = 2,
                    .tile_k = 4, .act = MP_ACT_FP8_E4M3, .act_bits = 8,
                    .act_float = 1, .afmt = {4, 3, 1},
                    .table_fmt = MP_ACT_FP32, .table_float = 1,
                    .tfmt = {8, 23, 0}, .frac_bits = 9, .planes = 4,
                    .msb_flip = 1, .group = 8};
    assert_int_equal(mp_lut_layout(&c), 0);
    assert_int_equal(c.rounded, 1);
    assert_int_equal(c.store_bits, 32);
    assert_true(c.x_max == 448 * 512);            /* 448 on 2^-9       */
    assert_true(c.entry_max == 4 * 448 * 512);    /* 917504 < 2^20     */
    assert_int_equal(c.entry_bits, 21);
    /* P' <= G/4 * entry * 15 = 27525120 < 2^25: 26 bits signed */
    assert_int_equal(c.acc_bits, 26);
    /* INT8 activations, BF16 tables: 4 * 128 = 512 stays 512 in BF16,
     * but +512 needs an 11th bit (the exact INT16 table stops at 511) */
    mp_lut_cfg b = {.m_tile = 2, .n_tile = 2, .tile_m = 2, .tile_n = 2,
                    .tile_k = 4, .act = MP_ACT_INT8, .act_bits = 8,
                    .table_fmt = MP_ACT_BF16, .table_float = 1,
                    .tfmt = {8, 7, 0}, .planes = 2, .group = 4};
    assert_int_equal(mp_lut_layout(&b), 0);
    assert_true(b.entry_max == 512);
    assert_int_equal(b.entry_bits, 11);
    assert_int_equal(b.store_bits, 16);
    /* float group sums: no rounded integer core */
    b.group_float = 1;
    assert_int_equal(mp_lut_layout(&b), 0);
    assert_int_equal(b.rounded, 0);
}

static void lut_cfg(mp_rtl_cfg *cfg, mp_act_fmt act, mp_act_fmt table,
                    mp_acc_fmt acc)
{
    mp_rtl_cfg_init(cfg);
    cfg->family = "lut-tc";
    assert_int_equal(mp_wfmt_parse("int4", &cfg->pe.wfmt), 0);
    cfg->pe.act = act;
    cfg->pe.table_fmt = table;
    cfg->pe.acc = acc;
    cfg->pe.group_size = 8;
    cfg->pe.has_zeros = 1;
    cfg->pe.tile_m = 2;
    cfg->pe.tile_n = 2;
    cfg->rows = 1;
    cfg->cols = 1;
    cfg->k_max = 16;
}

/* The refusal rule, from the formats themselves: a fixed group sum of
 * table entries whose extreme, round(4 max|x|), is not finite (Inf, or
 * NaN for E4M3).  Integer activations reach 512: finite in every float
 * table format. */
static int overflows(mp_act_fmt act, mp_act_fmt table, mp_acc_fmt acc)
{
    return acc == MP_ACC_FIXED && mp_act_is_float(act) &&
           !isfinite(mp_round_to(table, 4.0 * mp_act_max(act)));
}

/* Every combination the PE model accepts generates; the model and the
 * generator refuse exactly the rule above, naming table_fmt, leaving no
 * files. */
static void test_every_format(void **state)
{
    (void)state;
    static const mp_act_fmt acts[] = {MP_ACT_INT8, MP_ACT_FP16,
                                      MP_ACT_FP8_E4M3, MP_ACT_FP8_E5M2};
    static const mp_act_fmt tables[] = {MP_ACT_INT16, MP_ACT_FP16,
                                        MP_ACT_BF16, MP_ACT_FP32,
                                        MP_ACT_FP8_E4M3, MP_ACT_FP8_E5M2};
    static const mp_acc_fmt accs[] = {MP_ACC_INT, MP_ACC_FIXED, MP_ACC_FP16,
                                      MP_ACC_FP32};
    int generated = 0, refused = 0;
    for (size_t a = 0; a < sizeof acts / sizeof *acts; a++)
        for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
            for (size_t g = 0; g < sizeof accs / sizeof *accs; g++) {
                mp_rtl_cfg cfg;
                lut_cfg(&cfg, acts[a], tables[t], accs[g]);
                mp_pe_params p = cfg.pe;
                mp_diag d;
                int model_rc = mp_pe_find("lut-tc")->check(&p, &d);
                int over = overflows(acts[a], tables[t], accs[g]);
                if (model_rc && !over)
                    continue; /* outside the model (e.g. int8 + fp8) */
                if (over) {
                    assert_int_equal(model_rc, -1);
                    assert_string_equal(d.field, "table_fmt");
                }
                char *dir = make_tmpdir();
                int rc = mp_rtl_generate(&cfg, dir, &d);
                if (over) {
                    assert_int_equal(rc, -1);
                    assert_string_equal(d.field, "table_fmt");
                    assert_false(file_exists(dir, "files.f"));
                    refused++;
                } else {
                    if (rc)
                        fail_msg("%s/%s/%s: %s: %s", mp_act_name(acts[a]),
                                 mp_act_name(tables[t]),
                                 mp_acc_fmt_name(accs[g]), d.field, d.msg);
                    assert_true(file_exists(dir, "files.f"));
                    generated++;
                }
                remove_tree(dir);
                free(dir);
            }
    /* int8: 4 tables x 3 sums (int, fp16, fp32); floats: 3 x 5 tables x
     * 4 sums (int there is the family default, fp16); 7 refused: the
     * fixed-sum tables that overflow */
    assert_int_equal(generated + refused, 12 + 60);
    assert_int_equal(refused, 7);
}

/* Without scales the golden output is the exact integer sum, whatever the
 * table format: the RTL keeps exact INT16 tables and the integer core. */
static void test_no_scales_exact(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    lut_cfg(&cfg, MP_ACT_INT8, MP_ACT_BF16, MP_ACC_FP32);
    cfg.has_scales = 0;
    cfg.has_act_scale = 0;
    char *dir = make_tmpdir();
    mp_diag d;
    if (mp_rtl_generate(&cfg, dir, &d))
        fail_msg("%s: %s", d.field, d.msg);
    assert_true(file_exists(dir, "mpsim_top_lut_table.v"));
    assert_true(file_exists(dir, "mpsim_top_lut_core.v"));
    assert_false(file_exists(dir, "mpsim_top_lut_table_e8m7.v"));
    assert_false(file_exists(dir, "mpsim_top_lut_fcore.v"));
    remove_tree(dir);
    free(dir);
    /* with scales: BF16-rounded entries, FP32 group sums */
    lut_cfg(&cfg, MP_ACT_INT8, MP_ACT_BF16, MP_ACC_FP32);
    dir = make_tmpdir();
    if (mp_rtl_generate(&cfg, dir, &d))
        fail_msg("%s: %s", d.field, d.msg);
    assert_true(file_exists(dir, "mpsim_top_lut_table_e8m7.v"));
    assert_true(file_exists(dir, "mpsim_top_lut_fcore.v"));
    remove_tree(dir);
    free(dir);
}

/* docs/rtl.md: rtl_cycles = B*K/4 + 2 + E for every format (the float and
 * rounded datapaths keep the integer core's two stages). */
static void test_cycles(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    lut_cfg(&cfg, MP_ACT_INT8, MP_ACT_INT16, MP_ACC_INT);
    int64_t exact = rtl_cycles_ok(&cfg, 16);
    assert_int_equal(exact, 16 + 2 + 2); /* E = min(N_TILE 2, 8) */
    lut_cfg(&cfg, MP_ACT_FP8_E4M3, MP_ACT_FP16, MP_ACC_FP32);
    assert_int_equal(rtl_cycles_ok(&cfg, 16), exact);
    lut_cfg(&cfg, MP_ACT_FP16, MP_ACT_FP32, MP_ACC_FIXED);
    assert_int_equal(rtl_cycles_ok(&cfg, 16), exact);
    lut_cfg(&cfg, MP_ACT_INT8, MP_ACT_BF16, MP_ACC_INT);
    assert_int_equal(rtl_cycles_ok(&cfg, 8), 8 + 2 + 2);
}

/* Count of `needle` in file dir/name (the file must exist). */
static int count_in(const char *dir, const char *name, const char *needle)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char line[4096];
    int n = 0;
    while (fgets(line, sizeof line, fp))
        for (char *p = line; (p = strstr(p, needle)); p += strlen(needle))
            n++;
    fclose(fp);
    return n;
}

/* docs/rtl.md, float group sums: the top reads each column's scale and
 * zero at {unit's group index, constant column} (N_TILE a power of two),
 * never at a run-time address per unit, and the units' step control comes
 * from one lut_fctl copy per 4 columns. */
static void test_float_edge_structure(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    lut_cfg(&cfg, MP_ACT_FP16, MP_ACT_FP16, MP_ACC_FP16);
    cfg.pe.tile_n = 8;            /* N_TILE 8: two control copies       */
    cfg.pe.group_size = 4;        /* k_max 16: 4 groups                 */
    cfg.pe.edge_units = 8;        /* 2 columns per float unit           */
    char *dir = make_tmpdir();
    mp_diag d;
    if (mp_rtl_generate(&cfg, dir, &d))
        fail_msg("%s: %s", d.field, d.msg);
    /* 2 rows x 8 columns, a scale and a zero read each, all {g, n} */
    assert_int_equal(count_in(dir, "mpsim_top.v", "smem[{szg_"), 16);
    assert_int_equal(count_in(dir, "mpsim_top.v", "zmem[{szg_"), 16);
    assert_int_equal(count_in(dir, "mpsim_top.v", "smem["), 16 + 1);
    assert_int_equal(count_in(dir, "mpsim_top.v", "sz_addr"), 0);
    assert_int_equal(count_in(dir, "mpsim_top_lut_fcore.v",
                              "mpsim_top_lut_fctl ctl_"), 2);
    /* copy 1 enables columns 4..7 of both rows */
    assert_int_equal(count_in(dir, "mpsim_top_lut_funit_e5m10_e5m10.v",
                              "if (en[1])"), 2 * 4);
    remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_layout_rounded),
        cmocka_unit_test(test_every_format),
        cmocka_unit_test(test_no_scales_exact),
        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_float_edge_structure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
