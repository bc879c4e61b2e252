/*
 * test_json.c - golden/json.h, the one JSON string escaping: quotes,
 * backslashes and control characters escaped, everything else verbatim.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "golden/json.h"

/* What mp_json_string / _or_null write for s. */
static char *written(const char *s, int or_null)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    if (or_null)
        mp_json_string_or_null(fp, s);
    else
        mp_json_string(fp, s);
    fclose(fp);
    return text;
}

static void expect_written(const char *s, int or_null, const char *want)
{
    char *got = written(s, or_null);
    assert_string_equal(got, want);
    free(got);
}

static void escapes_what_json_requires(void **state)
{
    (void)state;
    expect_written("rtl\"q", 0, "\"rtl\\\"q\"");
    expect_written("a\\b", 0, "\"a\\\\b\"");
    expect_written("t\tn\n\x01", 0, "\"t\\u0009n\\u000a\\u0001\"");
    expect_written("", 0, "\"\"");
    expect_written("mixpe-w4a8 \xc2\xb5m", 0, "\"mixpe-w4a8 \xc2\xb5m\"");
    expect_written(NULL, 1, "null");
    expect_written("x", 1, "\"x\"");
    char buf[8];
    assert_string_equal(mp_json_char('"', buf), "\\\"");
    assert_string_equal(mp_json_char(0x1f, buf), "\\u001f");
    assert_string_equal(mp_json_char(' ', buf), " ");
    assert_string_equal(mp_json_char(0x7f, buf), "\x7f");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_what_json_requires),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
