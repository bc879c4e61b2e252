/*
 * test_tech.c - technology tables: the shipped YAML files, node scaling,
 * and every bad input of the loader (file, 1-based line, field).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pe_models/pe_common.h"
#include "sim/tech_load.h"

static void load_ok(const char *name, mp_tech *t)
{
    mp_diag d;
    if (mp_tech_load_builtin(name, t, &d))
        fail_msg("%s: %s:%d: %s: %s", name, d.file, d.line, d.field, d.msg);
}

static double value(const mp_tech *t, const char *name)
{
    double v = -1;
    mp_diag d;
    if (mp_tech_get(t, name, &v, &d))
        fail_msg("%s: %s", name, d.msg);
    return v;
}

static void test_builtin_tables(void **state)
{
    (void)state;
    static const char *const names[] = {"asic-45nm", "asic-28nm", "xcup"};
    for (int i = 0; i < 3; i++) {
        mp_tech t;
        load_ok(names[i], &t);
        assert_string_equal(t.name, names[i]);
        assert_true(t.count > 20);
        for (size_t c = 0; c < t.count; c++) {
            assert_true(t.consts[c].source[0] != '\0');
            assert_true(t.consts[c].unit[0] != '\0');
            assert_true(t.consts[c].line > 0);
        }
        /* the memory constants the simulator reads */
        value(&t, "dram_read_pj_per_bit");
        value(&t, "dram_write_pj_per_bit");
        value(&t, "dram_background_nj_per_cycle");
        value(&t, "dram_background_w");
        mp_prims pr;
        mp_fpga_prims f;
        mp_diag d;
        if (t.is_fpga)
            assert_int_equal(mp_fpga_prims_load(&t, &f, &d), 0);
        else
            assert_int_equal(mp_prims_load(&t, &pr, &d), 0);
        mp_tech_free(&t);
    }
    mp_tech t45;
    load_ok("asic-45nm", &t45);
    assert_true(value(&t45, "int_mult8_pj") == 0.2);
    assert_true(value(&t45, "fp16_mult_um2") == 1640);
    assert_false(t45.is_fpga);
    assert_true(t45.node_nm == 45);
    mp_tech_free(&t45);
    mp_tech x;
    load_ok("xcup", &x);
    assert_true(x.is_fpga);
    assert_true(value(&x, "u280_dsp") == 9024);
    mp_tech_free(&x);
}

/* asic-28nm holds Horowitz's 45 nm figures scaled on load: energy by
 * 28/45 (same 0.9 V), area by (28/45)^2; raw values are kept. */
static void test_node_scaling(void **state)
{
    (void)state;
    mp_tech t;
    load_ok("asic-28nm", &t);
    const mp_tech_const *c = mp_tech_find(&t, "int_mult8_pj");
    assert_non_null(c);
    assert_true(c->raw_value == 0.2);
    assert_true(c->from_nm == 45);
    assert_true(fabs(c->value - 0.2 * 28.0 / 45.0) < 1e-15);
    c = mp_tech_find(&t, "int_mult8_um2");
    assert_true(fabs(c->value - 282.0 * (28.0 / 45.0) * (28.0 / 45.0)) < 1e-9);
    c = mp_tech_find(&t, "luttc_w2a8_unit_um2"); /* measured at 28 nm */
    assert_true(c->value == 11991 && c->from_nm == 0);
    mp_tech_free(&t);
    /* the formula itself */
    assert_true(mp_tech_scale_factor(MP_SCALE_AREA, 90, 1.0, 45, 1.0) == 0.25);
    assert_true(mp_tech_scale_factor(MP_SCALE_ENERGY, 90, 1.2, 45, 0.6) ==
                0.5 * 0.25);
    assert_true(mp_tech_scale_factor(MP_SCALE_NONE, 90, 1.2, 45, 0.6) == 1.0);
    assert_int_equal(mp_tech_unit_kind("pJ/bit"), MP_SCALE_ENERGY);
    assert_int_equal(mp_tech_unit_kind("uW"), MP_SCALE_POWER);
    assert_int_equal(mp_tech_unit_kind("um2"), MP_SCALE_AREA);
    assert_int_equal(mp_tech_unit_kind("uW/um2"), MP_SCALE_NONE);
    assert_int_equal(mp_tech_unit_kind("count"), MP_SCALE_NONE);
}

/* SRAM energy by size: the table's points exactly, sqrt-like between. */
static void test_sram_interpolation(void **state)
{
    (void)state;
    mp_tech t;
    load_ok("asic-45nm", &t);
    mp_diag d;
    double v;
    assert_int_equal(mp_tech_sram_pj_per_bit(&t, 8192, &v, &d), 0);
    assert_true(fabs(v - 10.0 / 64) < 1e-12);
    assert_int_equal(mp_tech_sram_pj_per_bit(&t, 32768, &v, &d), 0);
    assert_true(fabs(v - 20.0 / 64) < 1e-12);
    assert_int_equal(mp_tech_sram_pj_per_bit(&t, 1048576, &v, &d), 0);
    assert_true(fabs(v - 100.0 / 64) < 1e-12);
    /* 16 KB: halfway in log size between 10 and 20 pJ -> 10*sqrt(2) */
    assert_int_equal(mp_tech_sram_pj_per_bit(&t, 16384, &v, &d), 0);
    assert_true(fabs(v - 10.0 * sqrt(2.0) / 64) < 1e-12);
    /* 2 KB: the first segment's slope (exactly 1/2) extended */
    assert_int_equal(mp_tech_sram_pj_per_bit(&t, 2048, &v, &d), 0);
    assert_true(fabs(v - 5.0 / 64) < 1e-12);
    assert_int_equal(mp_tech_sram_pj_per_bit(&t, 0, &v, &d), -1);
    assert_string_equal(d.field, "sram_bytes");
    mp_tech_free(&t);
    assert_int_equal(mp_tech_load_string("name: t\nnode_nm: 45\nvdd: 1\n"
                                         "constants: {}\n",
                                         "empty.yaml", &t, &d),
                     0);
    assert_int_equal(mp_tech_sram_pj_per_bit(&t, 4096, &v, &d), -1);
    assert_string_equal(d.field, "sram_8kb_pj_per_bit");
    mp_tech_free(&t);
}

/* ---- bad inputs ---------------------------------------------------------- */

static void expect_bad(const char *text, int line, const char *field,
                       const char *needle)
{
    mp_tech t;
    mp_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(mp_tech_load_string(text, "bad.yaml", &t, &d), -1);
    assert_null(t.consts);
    assert_string_equal(d.file, "bad.yaml");
    if (d.line != line || strcmp(d.field, field) != 0)
        fail_msg("got %s:%d: %s: %s; want line %d field %s", d.file, d.line,
                 d.field, d.msg, line, field);
    if (needle && !strstr(d.msg, needle))
        fail_msg("'%s' lacks '%s'", d.msg, needle);
}

#define HEAD "name: t\nnode_nm: 45\nvdd: 0.9\nconstants:\n"

static void test_bad_inputs(void **state)
{
    (void)state;
    expect_bad(HEAD "  a: {value: 1, unit: pJ, source: \"x\"}\n"
                    "   b: {value: 2, unit: pJ, source: \"y\"}\n"
                    "  c: {value: 3, unit: pJ, source: \"z\"}\n",
               6, "yaml", "malformed");
    expect_bad(HEAD "  a: {unit: pJ, source: \"x\"}\n", 5, "constants.a.value",
               NULL);
    expect_bad(HEAD "  a: {value: 1, unit: pJ}\n", 5, "constants.a.source",
               NULL);
    expect_bad(HEAD "  a: {value: 1, unit: pJ, source: \"\"}\n", 5,
               "constants.a.source", NULL);
    expect_bad(HEAD "  a: {value: 1, unit: pJ, source: s}\n"
                    "  b: {value: lots, unit: pJ, source: s}\n",
               6, "constants.b.value", NULL);
    expect_bad(HEAD "  a: {value: 1, unit: pJ, source: s, sauce: t}\n", 5,
               "constants.a.sauce", NULL);
    expect_bad(HEAD "  a: 3\n", 5, "constants.a", NULL);
    expect_bad(HEAD "  a: {value: .nan, unit: pJ, source: s}\n", 5,
               "constants.a.value", NULL);
    expect_bad("name: t\nvdd: 0.9\nconstants: {}\n", 1, "node_nm", NULL);
    expect_bad("name: t\nnode_nm: 45\nvdd: 0.9\n", 1, "constants", NULL);
    expect_bad("name: t\nnode_nm: 45\nvdd: 0.9\nnodes: 3\nconstants: {}\n", 4,
               "nodes", NULL);
    expect_bad("- just\n- a list\n", 1, "", NULL);
}

static void test_missing_files_and_names(void **state)
{
    (void)state;
    mp_tech t;
    mp_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(mp_tech_load("/nonexistent/tech.yaml", &t, &d), -1);
    assert_string_equal(d.file, "/nonexistent/tech.yaml");
    assert_string_equal(d.field, "file");
    assert_int_equal(mp_tech_load_builtin("asic-3nm", &t, &d), -1);
    assert_string_equal(d.field, "tech");
    assert_non_null(strstr(d.msg, "asic-3nm"));
    assert_int_equal(mp_tech_load_builtin("../etc/passwd", &t, &d), -1);
    assert_string_equal(d.field, "tech");
    /* a file whose name and table name disagree */
    char dir[] = "/tmp/mpsim-tech-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char sub[128], path[160];
    snprintf(sub, sizeof sub, "%s/pe_models", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(sub, sizeof sub, "%s/pe_models/tech", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    snprintf(path, sizeof path, "%s/other.yaml", sub);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(HEAD "  a: {value: 1, unit: pJ, source: s}\n", f);
    fclose(f);
    setenv("MPSIM_DATA", dir, 1);
    assert_int_equal(mp_tech_load_builtin("other", &t, &d), -1);
    assert_string_equal(d.field, "name");
    assert_int_equal(d.line, 1);
    unsetenv("MPSIM_DATA");
    remove(path);
    rmdir(sub);
    snprintf(sub, sizeof sub, "%s/pe_models", dir);
    rmdir(sub);
    rmdir(dir);
    /* a constant a model needs but the table lacks */
    assert_int_equal(mp_tech_load_string(HEAD "  a: {value: 1, unit: pJ, "
                                              "source: s}\n",
                                         "mini.yaml", &t, &d),
                     0);
    double v;
    assert_int_equal(mp_tech_get(&t, "int_mult8_pj", &v, &d), -1);
    assert_string_equal(d.field, "int_mult8_pj");
    assert_string_equal(d.file, "mini.yaml");
    mp_pe_params p;
    mp_pe_params_init(&p);
    mp_pe_cost c;
    const mp_pe_ops *ops = mp_pe_find("mixpe");
    assert_int_equal(ops->check(&p, &d), 0);
    assert_int_equal(ops->cost(&p, &t, &c, &d), -1);
    assert_string_equal(d.file, "mini.yaml");
    mp_tech_free(&t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_builtin_tables),
        cmocka_unit_test(test_node_scaling),
        cmocka_unit_test(test_sram_interpolation),
        cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_missing_files_and_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
