/*
 * test_sweep.c - the pieces under mpsim sweep / report: the expression
 * language of constraints and derived columns, the Pareto front (against a
 * brute-force check on random point sets, 2 and 3 objectives), and setting
 * fields of a parsed YAML document in place (existing, added, hidden,
 * restored) so the arch reader sees each point's values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "golden/rng.h"
#include "sim/analysis/pareto.h"
#include "sim/arch.h"
#include "sim/sweep/expr.h"
#include "sim/sweep/ydoc_override.h"

static const char *const names[] = {"a", "b", "area_mm2", "pe.rows", NULL};

static int lookup(void *ctx, const char *name)
{
    (void)ctx;
    for (int i = 0; names[i]; i++)
        if (!strcmp(names[i], name))
            return i;
    return -1;
}

static double eval(const char *text)
{
    static const double vars[] = {2, 3, 4.5, 16};
    mp_expr e;
    char msg[128];
    assert_int_equal(mp_expr_compile(text, lookup, NULL, &e, msg, sizeof msg),
                     0);
    return mp_expr_eval(&e, vars);
}

static void expr_values(void **state)
{
    (void)state;
    assert_true(eval("1 + 2 * 3") == 7);
    assert_true(eval("(1 + 2) * 3") == 9);
    assert_true(eval("2 ^ 3 ^ 2") == 512);     /* right associative */
    assert_true(eval("-2 ^ 2") == -4);
    assert_true(eval("a * b - 1") == 5);
    assert_true(eval("pe.rows / a / 2") == 4);
    assert_true(eval("area_mm2 <= 4.5") == 1);
    assert_true(eval("area_mm2 < 4.5") == 0);
    assert_true(eval("max(a, b) + min(a, b)") == 5);
    assert_true(eval("sqrt(pe.rows) + log2(pe.rows) + abs(-1)") == 9);
    assert_true(eval("1e3 / 1e1") == 100);
    assert_true(isinf(eval("a / 0")));
}

static void expr_errors(void **state)
{
    (void)state;
    static const char *const bad[] = {"a +", "(a", "nope * 2", "a b",
                                      "foo(a)", "max(a)", "", "2 $ 3"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mp_expr e;
        char msg[128] = "";
        assert_int_equal(mp_expr_compile(bad[i], lookup, NULL, &e, msg,
                                         sizeof msg), -1);
        assert_true(msg[0] != '\0');
    }
    mp_expr e;
    char msg[128];
    assert_int_equal(mp_expr_compile("a <= 2", lookup, NULL, &e, msg,
                                     sizeof msg), 0);
    assert_true(e.is_cmp);
    assert_int_equal(mp_expr_compile("(a <= 2) * 3", lookup, NULL, &e, msg,
                                     sizeof msg), 0);
    assert_false(e.is_cmp);
}

/* 1 when point i is dominated by some other point (equal: lower index). */
static int brute_dominated(const double *v, int k, size_t n, size_t i)
{
    for (size_t j = 0; j < n; j++) {
        if (j == i)
            continue;
        int le = 1, lt = 0;
        for (int d = 0; d < k; d++) {
            le &= v[j * k + d] <= v[i * k + d];
            lt |= v[j * k + d] < v[i * k + d];
        }
        if (le && (lt || j < i))
            return 1;
    }
    return 0;
}

static void pareto_vs_brute_force(void **state)
{
    (void)state;
    mp_rng rng;
    mp_rng_seed(&rng, 12345);
    for (int trial = 0; trial < 200; trial++) {
        int k = 2 + trial % 2;
        size_t n = 1 + mp_rng_next(&rng) % 60;
        double v[60 * 3];
        for (size_t i = 0; i < n * (size_t)k; i++) /* few values: ties */
            v[i] = (double)(mp_rng_next(&rng) % 8);
        size_t out[60];
        size_t m = mp_pareto(v, k, n, out);
        char in_front[60] = {0};
        for (size_t f = 0; f < m; f++)
            in_front[out[f]] = 1;
        for (size_t i = 0; i < n; i++)
            assert_int_equal(in_front[i], !brute_dominated(v, k, n, i));
        for (size_t f = 1; f < m; f++) /* sorted by the first objective */
            assert_true(v[out[f - 1] * k] <= v[out[f] * k]);
    }
}

static const char arch_text[] =
    "name: t\ntech: asic-28nm\n"
    "pe: {family: int8-mac, weights: int8, act: int8}\n"
    "array: {rows: 8, cols: 8, clock_hz: 1e9}\n"
    "buffers:\n  weight: {kib: 64}\n  act: {kib: 64}\n  out: {kib: 64}\n"
    "dram: {gbytes_per_s: 16, read_pj_bit: 1, write_pj_bit: 1}\n";

static void override_fields(void **state)
{
    (void)state;
    mp_yaml y, v;
    mp_diag d;
    assert_int_equal(mp_yaml_load_string(arch_text, strlen(arch_text), "t",
                                         &y, &d), 0);
    static const char vals[] = "[32, ws, 4]\n";
    assert_int_equal(mp_yaml_load_string(vals, strlen(vals), "v", &v, &d),
                     0);
    yaml_node_t *seq = yaml_document_get_root_node(&v.doc);
    mp_yover o;
    char msg[128];
    mp_yover_init(&o, &y);
    assert_int_equal(mp_yover_add(&o, "array.rows", msg, sizeof msg), 0);
    assert_int_equal(mp_yover_add(&o, "array.dataflow", msg, sizeof msg), 1);
    assert_int_equal(mp_yover_add(&o, "array.cores", msg, sizeof msg), 2);
    assert_int_equal(mp_yover_add(&o, "memory.kib", msg, sizeof msg), -1);
    assert_int_equal(mp_yover_add(&o, "buffers.weight", msg, sizeof msg),
                     -1);
    const yaml_node_t *set[MP_YOVER_MAX] = {
        mp_yaml_seq_at(&v, seq, 0), mp_yaml_seq_at(&v, seq, 1),
        mp_yaml_seq_at(&v, seq, 2)};
    mp_arch a;
    for (int round = 0; round < 2; round++) {
        mp_yover_apply(&o, set);
        assert_int_equal(mp_arch_read(&y, &a, &d), 0);
        assert_int_equal(a.rows, 32);
        assert_int_equal(a.dataflow, MP_DF_WS);
        assert_int_equal(a.cores, 4);
        assert_int_equal(a.cols, 8);
        const yaml_node_t *none[MP_YOVER_MAX] = {0};
        mp_yover_apply(&o, none); /* base values; the added key hidden */
        assert_int_equal(mp_arch_read(&y, &a, &d), 0);
        assert_int_equal(a.rows, 8);
        assert_int_equal(a.dataflow, MP_DF_OS);
        assert_int_equal(a.cores, 1);
        assert_null(mp_yaml_path_text(&y, "array.cores"));
    }
    const yaml_node_t *only_cores[MP_YOVER_MAX] = {NULL, NULL, set[2]};
    mp_yover_apply(&o, only_cores);
    assert_string_equal(mp_yaml_path_text(&y, "array.cores"), "4");
    assert_int_equal(mp_arch_read(&y, &a, &d), 0);
    assert_int_equal(a.rows, 8);
    assert_int_equal(a.cores, 4);
    mp_yover_restore(&o);
    assert_string_equal(mp_yaml_path_text(&y, "array.rows"), "8");
    mp_yaml_free(&y); /* the added pair freed with the document (ASan) */
    mp_yaml_free(&v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(expr_values),
        cmocka_unit_test(expr_errors),
        cmocka_unit_test(pareto_vs_brute_force),
        cmocka_unit_test(override_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
