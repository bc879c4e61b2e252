/* test_rtl_gen.c - the Verilog generators (rtl_gen/rtl.h): generation over a
 * parameter grid writes exactly the files files.f lists plus params.json,
 * every module once and the top last; the cycle formulas; bad
 * configurations fail naming the field and leave no files behind.
 * (Lint and bit-exactness are checked in tests/cli/test_rtl_lint.sh,
 * tests/cli/test_fp_units.sh and the co-simulation tests.) */
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
#include "rtl_gen/rtl.h"
#include "tmpfiles.h"
#include "rtl_checks.h"

/* files.f lists existing .v files, each once, the top last; returns the
 * number of entries. */
static int check_files_f(const char *dir, const char *top)
{
    char path[1024], line[1024], last[1024] = "";
    snprintf(path, sizeof path, "%s/files.f", dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    int n = 0;
    static char seen[64][1024];
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = 0;
        assert_int_equal(access(line, R_OK), 0);
        for (int i = 0; i < n && i < 64; i++)
            assert_string_not_equal(seen[i], line);
        if (n < 64)
            snprintf(seen[n], sizeof seen[n], "%s", line);
        snprintf(last, sizeof last, "%s", line);
        n++;
    }
    fclose(fp);
    char want[600];
    char *real = realpath(dir, NULL);
    assert_non_null(real);
    snprintf(want, sizeof want, "%s/%s.v", real, top);
    free(real);
    assert_string_equal(last, want);
    return n;
}

static void cfg_for(mp_rtl_cfg *cfg, const char *family, const char *weight,
                    mp_act_fmt act, int group, int zeros, int scales,
                    int rows, int cols, int k_max)
{
    mp_rtl_cfg_init(cfg);
    cfg->family = family;
    assert_int_equal(mp_wfmt_parse(weight, &cfg->pe.wfmt), 0);
    cfg->pe.act = act;
    cfg->pe.group_size = group;
    cfg->pe.has_zeros = zeros;
    cfg->has_scales = scales;
    cfg->has_act_scale = scales;
    cfg->rows = rows;
    cfg->cols = cols;
    cfg->k_max = k_max;
}

static void generate_ok(const mp_rtl_cfg *cfg)
{
    char *dir = make_tmpdir();
    mp_diag d;
    int rc = mp_rtl_generate(cfg, dir, &d);
    if (rc)
        fail_msg("%s: %s", d.field, d.msg);
    int listed = check_files_f(dir, cfg->top ? cfg->top : "mpsim_top");
    /* the .v files, files.f, params.json, the completion marker and
     * nothing else (no temp files) */
    assert_int_equal(count_files(dir), listed + 3);
    char path[1024];
    snprintf(path, sizeof path, "%s/params.json", dir);
    assert_int_equal(access(path, R_OK), 0);
    snprintf(path, sizeof path, "%s/" MP_RTL_DONE, dir);
    assert_int_equal(access(path, R_OK), 0);
    remove_tree(dir);
    free(dir);
}

static void test_grid(void **state)
{
    (void)state;
    static const char *const families[] = {"int8-mac", "mixpe"};
    static const char *const weights[] = {"int1", "int4", "uint4", "int8",
                                          "uint8", "ternary"};
    mp_rtl_cfg cfg;
    for (int f = 0; f < 2; f++)
        for (int w = 0; w < 6; w++)
            for (int shape = 1; shape <= 4; shape++)
                for (int variant = 0; variant < 3; variant++) {
                    int zeros = weights[w][0] == 'u';
                    int scales = variant != 2;
                    int group = variant == 0 ? 0 : shape;
                    cfg_for(&cfg, families[f], weights[w], MP_ACT_INT8, group,
                            zeros, scales, shape, 5 - shape, 12);
                    generate_ok(&cfg);
                }
    for (int shape = 1; shape <= 4; shape++) {
        cfg_for(&cfg, "fp16-mac", shape & 1 ? "uint4" : "int4",
                shape & 2 ? MP_ACT_BF16 : MP_ACT_FP16,
                shape == 4 ? 0 : shape, shape & 1, 1, shape, 5 - shape, 12);
        cfg.pe.acc = shape > 2 ? MP_ACC_FP16 : MP_ACC_FP32;
        generate_ok(&cfg);
    }
    for (int shape = 1; shape <= 4; shape++) {
        cfg_for(&cfg, "mixpe", shape & 1 ? "uint4" : "int4", MP_ACT_FP16,
                shape == 4 ? 0 : shape, shape & 1, 1, shape, 5 - shape, 12);
        generate_ok(&cfg);
    }
    cfg_for(&cfg, "mixpe", "int4", MP_ACT_INT8, 4, 0, 1, 2, 2, 8);
    cfg.top = "array_a";
    generate_ok(&cfg);
}

static void test_cycles(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    mp_diag d;
    /* integer output without zero points: K + R + C - 2 */
    cfg_for(&cfg, "int8-mac", "int8", MP_ACT_INT8, 0, 0, 0, 4, 3, 64);
    assert_int_equal(mp_rtl_cycles(&cfg, 64, &d), 64 + 4 + 3 - 2);
    assert_int_equal(mp_rtl_cycles(&cfg, 1, &d), 1 + 5);
    /* dequant edge units: K + R + C - 1 */
    cfg_for(&cfg, "mixpe", "int4", MP_ACT_INT8, 16, 0, 1, 8, 8, 64);
    assert_int_equal(mp_rtl_cycles(&cfg, 32, &d), 32 + 8 + 8 - 1);
    cfg_for(&cfg, "int8-mac", "uint4", MP_ACT_INT8, 8, 1, 0, 2, 2, 64);
    assert_int_equal(mp_rtl_cycles(&cfg, 16, &d), 16 + 2 + 2 - 1);
    /* dequantize-first FP16 MAC: no edge stage, K + R + C - 2 */
    cfg_for(&cfg, "fp16-mac", "int4", MP_ACT_FP16, 4, 0, 1, 3, 5, 64);
    assert_int_equal(mp_rtl_cycles(&cfg, 8, &d), 8 + 3 + 5 - 2);
    /* K not a multiple of the group */
    cfg_for(&cfg, "mixpe", "int4", MP_ACT_INT8, 16, 0, 1, 8, 8, 64);
    assert_int_equal(mp_rtl_cycles(&cfg, 24, &d), -1);
    assert_string_equal(d.field, "k");
}

static void test_bad(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    cfg_for(&cfg, "nosuch", "int4", MP_ACT_INT8, 4, 0, 1, 2, 2, 16);
    rtl_expect_reject(&cfg, "pe");
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 4, 0, 1, 0, 2, 16);
    rtl_expect_reject(&cfg, "rows");
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 4, 0, 1, 2, 65537, 16);
    rtl_expect_reject(&cfg, "cols");
    /* one instance per PE, one read-port arm per result: bounded */
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 4, 0, 1, 2048, 1024, 16);
    rtl_expect_reject(&cfg, "rows");
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 4, 0, 1, 512, 4096, 16);
    rtl_expect_reject(&cfg, "cols");
    cfg_for(&cfg, "lut-tc", "int4", MP_ACT_FP16, 0, 0, 1, 96, 96, 16);
    rtl_expect_reject(&cfg, "rows");
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 5, 0, 1, 2, 2, 16);
    rtl_expect_reject(&cfg, "group");
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 4, 0, 0, 2, 2, 16);
    cfg.has_act_scale = 1;
    rtl_expect_reject(&cfg, "act-scale");
    cfg_for(&cfg, "fp16-mac", "int4", MP_ACT_FP16, 4, 0, 0, 2, 2, 16);
    rtl_expect_reject(&cfg, "scales");
    cfg_for(&cfg, "mixpe", "int4", MP_ACT_FP16, 4, 0, 0, 2, 2, 16);
    rtl_expect_reject(&cfg, "scales");
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_FP16, 4, 0, 1, 2, 2, 16);
    rtl_expect_reject(&cfg, "act");
    cfg_for(&cfg, "mixpe", "int4", MP_ACT_BF16, 4, 0, 1, 2, 2, 16);
    rtl_expect_reject(&cfg, "act");
    /* a weight buffer of 2^19 columns x 16384 needs a 33-bit ld_addr */
    cfg_for(&cfg, "lut-tc", "int4", MP_ACT_FP16, 0, 0, 1, 1, 8192, 16384);
    rtl_expect_reject(&cfg, "k-max");
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 0, 0, 1, 2, 2, 70000);
    rtl_expect_reject(&cfg, "k-max");
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 4, 0, 1, 2, 2, 16);
    cfg.top = "bad name";
    rtl_expect_reject(&cfg, "top");
    /* an output directory that does not exist: nothing is created */
    mp_diag d;
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 4, 0, 1, 2, 2, 16);
    assert_int_equal(mp_rtl_generate(&cfg, "/nonexistent/dir", &d), -1);
    assert_string_equal(d.field, "-o");
}

/* The port widths follow the configuration: the protocol's 20-bit ld_addr
 * and 16-bit rd_idx until the buffers or the results need more. */
static void expect_widths(const mp_rtl_cfg *cfg, int addr_bits, int idx_bits)
{
    mp_rtl_info info;
    mp_diag d;
    if (mp_rtl_check(cfg, &info, &d))
        fail_msg("%s: %s", d.field, d.msg);
    assert_int_equal(info.addr_bits, addr_bits);
    assert_int_equal(info.idx_bits, idx_bits);
}

/* The first line of DIR/mpsim_top.v containing needle, or "". */
static void top_line(const char *dir, const char *needle, char *line,
                     size_t cap)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/mpsim_top.v", dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    line[0] = 0;
    while (fgets(line, (int)cap, fp) && !strstr(line, needle))
        line[0] = 0;
    fclose(fp);
}

static void test_port_widths(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    /* the largest arrays of the old 256 bound keep the old ports */
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 0, 0, 1, 256, 256, 16);
    expect_widths(&cfg, 20, 16);
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 0, 0, 1, 256, 2, 4096);
    expect_widths(&cfg, 20, 16);
    /* 65537 results, 131072 results, 2^20 results */
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 0, 0, 1, 65537, 1, 16);
    rtl_expect_reject(&cfg, "rows"); /* beyond the arch's 65536 */
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 0, 0, 1, 257, 256, 16);
    expect_widths(&cfg, 20, 17);
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 0, 0, 1, 512, 256, 16);
    expect_widths(&cfg, 20, 17);
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 0, 0, 1, 1024, 1024, 16);
    expect_widths(&cfg, 20, 20);
    /* buffers deeper than 2^20: X of 64 x 65408 needs 22 bits */
    cfg_for(&cfg, "int8-mac", "int4", MP_ACT_INT8, 0, 0, 1, 64, 2, 65408);
    expect_widths(&cfg, 22, 16);
    /* the DSP chain's rows are slices along K: 1024 slices, one chain */
    cfg_for(&cfg, "dsp-chain", "int4", MP_ACT_INT8, 128, 0, 1, 1024, 1, 2048);
    cfg.pe.chain_len = 1024;
    cfg.pe.pack_products = 2;
    expect_widths(&cfg, 20, 16);

    /* generated: the ports and the buffer write check use the width */
    char *dir = make_tmpdir(), line[512];
    mp_diag d;
    cfg_for(&cfg, "int8-mac", "int8", MP_ACT_INT8, 0, 0, 0, 17, 1, 65535);
    if (mp_rtl_generate(&cfg, dir, &d))
        fail_msg("%s: %s", d.field, d.msg);
    top_line(dir, " ld_addr,", line, sizeof line);
    assert_non_null(strstr(line, "input  wire [20:0] ld_addr,"));
    top_line(dir, " rd_idx,", line, sizeof line);
    assert_non_null(strstr(line, "input  wire [15:0] rd_idx,"));
    top_line(dir, "wire xmem_we", line, sizeof line);
    assert_non_null(strstr(line, "(ld_addr <= 21'd1114094)"));
    remove_tree(dir);
    free(dir);
}

static void test_emit_helpers(void **state)
{
    (void)state;
    assert_int_equal(mp_clog2(1), 0);
    assert_int_equal(mp_clog2(2), 1);
    assert_int_equal(mp_clog2(5), 3);
    assert_int_equal(mp_clog2(1024), 10);
    assert_int_equal(mp_idx_bits(1), 1);
    assert_int_equal(mp_idx_bits(3), 2);
    assert_int_equal(mp_sbits_for(-8, 7), 4);
    assert_int_equal(mp_sbits_for(-8, 8), 5);
    assert_int_equal(mp_sbits_for(0, 15), 5);
    assert_int_equal(mp_sbits_for(-1, 0), 1);
    assert_int_equal(mp_sbits_for(-1016, 1024), 12);
    char buf[160];
    assert_string_equal(mp_vconst(buf, 12, 25), "12'd25");
    assert_string_equal(mp_vsconst(buf, 8, -5), "-8'sd5");
    assert_string_equal(mp_vresize(buf, "t", 10, 4), "t[3:0]");
    assert_string_equal(mp_vresize(buf, "t", 10, 12), "{2'd0, t}");
    assert_string_equal(mp_vresize(buf, "t", 10, 10), "t");

    /* a module is written once per run; abort removes what was written */
    char *dir = make_tmpdir();
    mp_rtl_out out;
    mp_diag d;
    mp_vmod m;
    assert_int_equal(mp_rtl_out_init(&out, dir, "t", &d), 0);
    assert_int_equal(mp_vmod_begin(&m, &out, "t_leaf", "", &d), 0);
    mp_vline(&m, "module t_leaf; endmodule");
    assert_int_equal(mp_vmod_end(&m, &d), 0);
    assert_int_equal(mp_vmod_begin(&m, &out, "t_leaf", "", &d), 1);
    assert_int_equal(count_files(dir), 1);
    mp_rtl_out_abort(&out);
    assert_int_equal(count_files(dir), 0);
    remove_tree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_emit_helpers),
        cmocka_unit_test(test_grid),
        cmocka_unit_test(test_cycles),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_port_widths),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
