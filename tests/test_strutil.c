/*
 * test_strutil.c - golden/decimal.h and golden/strutil.h: the one number
 * parser (integers, reals, hex words; whole strings and prefixes) and the
 * suffix test every layer uses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>
#include <math.h>

#include "golden/decimal.h"
#include "golden/strutil.h"

static void parse_int_whole_in_range(void **state)
{
    (void)state;
    int v = 7;
    assert_int_equal(mp_parse_int("42", 0, 64, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(mp_parse_int("-3", -8, 7, &v), 0);
    assert_int_equal(v, -3);
    assert_int_equal(mp_parse_int("+5", 0, 9, &v), 0); /* a sign is taken */
    assert_int_equal(v, 5);
    assert_int_equal(mp_parse_int("2147483647", INT_MIN, INT_MAX, &v), 0);
    assert_int_equal(v, INT_MAX);
    /* not decimal integers: out untouched */
    v = 11;
    static const char *const bad[] = {"", "x", "4x", "4 ", " 6", "1.5",
                                      "010", "0x10", "1e3",
                                      "99999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (mp_parse_int(bad[i], 0, 64, &v) != MP_NUM_SYNTAX)
            fail_msg("'%s' accepted", bad[i]);
        assert_int_equal(v, 11);
    }
    /* out of range: said apart, with the value for the diagnostic */
    assert_int_equal(mp_parse_int("65", 0, 64, &v), MP_NUM_RANGE);
    assert_int_equal(v, 65);
    assert_int_equal(mp_parse_int("-1", 0, 64, &v), MP_NUM_RANGE);
    assert_int_equal(v, -1);
    assert_int_equal(mp_parse_int("2147483648", INT_MIN, INT_MAX, &v),
                     MP_NUM_RANGE);
    assert_int_equal(v, INT_MAX);
}

static void parse_i64_and_hex(void **state)
{
    (void)state;
    int64_t v = 3;
    assert_int_equal(mp_parse_i64("-9223372036854775808", INT64_MIN,
                                  INT64_MAX, &v), 0);
    assert_true(v == INT64_MIN);
    assert_int_equal(mp_parse_i64("9223372036854775808", INT64_MIN,
                                  INT64_MAX, &v), MP_NUM_SYNTAX);
    uint64_t u = 5;
    assert_int_equal(mp_parse_hex("ffffffff", 0xffffffffu, &u), 0);
    assert_true(u == 0xffffffffu);
    assert_int_equal(mp_parse_hex("100000000", 0xffffffffu, &u),
                     MP_NUM_RANGE);
    static const char *const bad[] = {"", "0x1f", "-1", "+1", " 1", "1g",
                                      "11111111111111111"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (mp_parse_hex(bad[i], UINT64_MAX, &u) != MP_NUM_SYNTAX)
            fail_msg("'%s' accepted", bad[i]);
}

static void parse_real_finite_in_range(void **state)
{
    (void)state;
    double v = 7;
    assert_int_equal(mp_parse_real("0.25", 0, 1, &v), 0);
    assert_true(v == 0.25);
    assert_int_equal(mp_parse_real("-2.5E+3", -1e4, 0, &v), 0);
    assert_true(v == -2500);
    assert_int_equal(mp_parse_real("1.5", 0, 1, &v), MP_NUM_RANGE);
    assert_true(v == 1.5);
    v = 7;
    static const char *const bad[] = {"", "inf", "nan", "-inf", "0x1p3",
                                      "1e", "1e999", "1e-400", " 1", "1 ",
                                      "1.2.3", "."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (mp_parse_real(bad[i], -HUGE_VAL, HUGE_VAL, &v) != MP_NUM_SYNTAX)
            fail_msg("'%s' accepted", bad[i]);
        assert_true(v == 7);
    }
}

/* Tokenizers read the decimal at the start of a longer text. */
static void scan_prefix(void **state)
{
    (void)state;
    const char *p = "1.5e3*x";
    double r = 0;
    assert_int_equal(mp_scan_real(&p, 0, 1e9, &r), 0);
    assert_true(r == 1500);
    assert_string_equal(p, "*x");
    p = "2e+x"; /* an exponent without digits is not part of the number */
    assert_int_equal(mp_scan_real(&p, 0, 9, &r), 0);
    assert_string_equal(p, "e+x");
    p = "x1";
    assert_int_equal(mp_scan_real(&p, 0, 9, &r), MP_NUM_SYNTAX);
    assert_string_equal(p, "x1");
    int64_t v = 0;
    p = "128a16";
    assert_int_equal(mp_scan_i64(&p, 0, 1 << 30, &v), 0);
    assert_true(v == 128);
    assert_string_equal(p, "a16");
    p = "0128"; /* no leading zeros: the number is 0 */
    assert_int_equal(mp_scan_i64(&p, 0, 9, &v), 0);
    assert_true(v == 0);
    assert_string_equal(p, "128");
}

static void ends_with_exact_and_nocase(void **state)
{
    (void)state;
    assert_true(mp_ends_with("a.yaml", ".yaml"));
    assert_true(mp_ends_with(".yaml", ".yaml"));
    assert_true(mp_ends_with("x", ""));
    assert_false(mp_ends_with("yaml", ".yaml"));
    assert_false(mp_ends_with("a.YAML", ".yaml"));
    assert_true(mp_ends_with_nocase("a.YAML", ".yaml"));
    assert_true(mp_ends_with_nocase("net.Cfg", ".cfg"));
    assert_false(mp_ends_with_nocase("a.yml", ".yaml"));
    assert_false(mp_ends_with_nocase("", ".cfg"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parse_int_whole_in_range),
        cmocka_unit_test(parse_i64_and_hex),
        cmocka_unit_test(parse_real_finite_in_range),
        cmocka_unit_test(scan_prefix),
        cmocka_unit_test(ends_with_exact_and_nocase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
