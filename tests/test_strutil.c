/*
 * test_strutil.c - golden/strutil.h: the one integer parser and suffix
 * test every layer uses.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <limits.h>

#include "golden/strutil.h"

static void parse_int_whole_in_range(void **state)
{
    (void)state;
    int v = 7;
    assert_int_equal(mp_parse_int("42", 0, 64, &v), 0);
    assert_int_equal(v, 42);
    assert_int_equal(mp_parse_int("-3", -8, 7, &v), 0);
    assert_int_equal(v, -3);
    assert_int_equal(mp_parse_int("+5", 0, 9, &v), 0); /* strtol's sign */
    assert_int_equal(v, 5);
    assert_int_equal(mp_parse_int(" 6", 0, 9, &v), 0); /* and blanks */
    assert_int_equal(v, 6);
    assert_int_equal(mp_parse_int("2147483647", INT_MIN, INT_MAX, &v), 0);
    assert_int_equal(v, INT_MAX);
    /* refused: out untouched */
    v = 11;
    static const char *const bad[] = {"", "x", "4x", "4 ", "1.5", "65",
                                      "-1", "99999999999999999999",
                                      "2147483648"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int hi = i == 8 ? INT_MAX : 64;
        if (mp_parse_int(bad[i], 0, hi, &v) != -1)
            fail_msg("'%s' accepted", bad[i]);
        assert_int_equal(v, 11);
    }
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
        cmocka_unit_test(ends_with_exact_and_nocase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
