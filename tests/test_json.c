/*
 * test_json.c - golden/json.h, the one JSON writer: string escaping
 * (quotes, backslashes and control characters escaped, everything else
 * verbatim), numbers (null when not finite) and nesting (commas, layouts,
 * indentation).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <math.h>
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

/* Every layout, nesting, the value kinds, non-finite numbers as null. */
static void writes_nested_layouts(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    mp_json w;
    mp_json_init(&w, fp);
    mp_json_object(&w, NULL, MP_JSON_LINES);
    mp_json_object(&w, "flow", MP_JSON_FLOW);
    mp_json_str(&w, "s", "a\"b");
    mp_json_int(&w, "i", -3);
    mp_json_end(&w);
    mp_json_array(&w, "rows", MP_JSON_LINES);
    mp_json_object(&w, NULL, MP_JSON_ROWS);
    mp_json_num(&w, "x", 0.1, MP_JSON_EXACT);
    mp_json_num(&w, "y", 2.0 / 3, MP_JSON_G6);
    mp_json_break(&w);
    mp_json_num(&w, "z", 1.0 / 3, MP_JSON_F3);
    mp_json_num(&w, "inf", HUGE_VAL, MP_JSON_EXACT);
    mp_json_num(&w, "nan", NAN, MP_JSON_G6);
    mp_json_end(&w);
    mp_json_end(&w);
    mp_json_array(&w, "empty", MP_JSON_LINES);
    mp_json_end(&w);
    mp_json_bool(&w, "t", 1);
    mp_json_tristate(&w, "u", -1);
    mp_json_tristate(&w, "f", 0);
    mp_json_str(&w, "n", NULL);
    mp_json_end(&w);
    fclose(fp);
    assert_string_equal(text,
        "{\n"
        "  \"flow\": {\"s\": \"a\\\"b\", \"i\": -3},\n"
        "  \"rows\": [\n"
        "    {\n"
        "      \"x\": 0.10000000000000001, \"y\": 0.666667,\n"
        "      \"z\": 0.333, \"inf\": null, \"nan\": null\n"
        "    }\n"
        "  ],\n"
        "  \"empty\": [\n"
        "  ],\n"
        "  \"t\": true,\n"
        "  \"u\": null,\n"
        "  \"f\": false,\n"
        "  \"n\": null\n"
        "}\n");
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(escapes_what_json_requires),
        cmocka_unit_test(writes_nested_layouts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
