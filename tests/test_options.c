/*
 * test_options.c - golden/options.h and the parser built from it
 * (sim/cli/cli_util.h): the help lines a table prints, and that the parser
 * takes exactly the options the table lists (long and short, values
 * apart or after '=', no abbreviations), reporting missing values and
 * unknown options.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>

#include "golden/options.h"
#include "sim/cli/cli_util.h"

enum { OPT_LONGNAME = 256, OPT_FLAG };

static const mp_option table[] = {
    {"output", 'o', "FILE", "write here"},
    {"flag", OPT_FLAG, NULL, "a switch\non two lines"},
    {"a-rather-long-name", OPT_LONGNAME, "VALUE", "wraps to the next line"},
    {NULL, 'M', "M", "short only"},
    {NULL, 0, NULL, NULL},
};

static void help_lines(void **state)
{
    (void)state;
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    mp_options_help(fp, table, 20);
    fclose(fp);
    assert_string_equal(text,
        "  -o, --output FILE write here\n"
        "  --flag            a switch\n"
        "                    on two lines\n"
        "  --a-rather-long-name VALUE\n"
        "                    wraps to the next line\n"
        "  -M M              short only\n");
    free(text);
}

/* The keys mp_cli_next returns for argv (NULL-terminated), into keys[]. */
static int parse(const char *const *args, int *keys, int cap)
{
    static const mp_option *const groups[] = {table, mp_cli_help_options,
                                              NULL};
    char *argv[16];
    int argc = 0;
    for (; args[argc]; argc++)
        argv[argc] = (char *)args[argc];
    argv[argc] = NULL;
    mp_cli_parser p;
    const mp_option *o;
    int n = 0, k;
    mp_cli_parser_init(&p, groups);
    while (n < cap && (k = mp_cli_next(&p, argc, argv, &o)) != -1) {
        keys[n++] = k;
        if (k != ':' && k != '?')
            assert_non_null(o);
    }
    return n;
}

static void parser_takes_what_the_table_lists(void **state)
{
    (void)state;
    int keys[8];
    static const char *const good[] = {"mpsim", "-o", "x", "--output=y",
                                       "--flag", "-M", "3",
                                       "--a-rather-long-name", "v", "-h",
                                       NULL};
    assert_int_equal(parse(good, keys, 8), 6);
    assert_int_equal(keys[0], 'o');
    assert_int_equal(keys[1], 'o');
    assert_int_equal(keys[2], OPT_FLAG);
    assert_int_equal(keys[3], 'M');
    assert_int_equal(keys[4], OPT_LONGNAME);
    assert_int_equal(keys[5], 'h');
    static const char *const abbrev[] = {"mpsim", "--out", "x", NULL};
    assert_int_equal(parse(abbrev, keys, 8), 1);
    assert_int_equal(keys[0], '?');
    static const char *const abbrev_flag[] = {"mpsim", "--fl", NULL};
    assert_int_equal(parse(abbrev_flag, keys, 8), 1);
    assert_int_equal(keys[0], '?');
    static const char *const unknown[] = {"mpsim", "-x", NULL};
    assert_int_equal(parse(unknown, keys, 8), 1);
    assert_int_equal(keys[0], '?');
    static const char *const missing[] = {"mpsim", "--output", NULL};
    assert_int_equal(parse(missing, keys, 8), 1);
    assert_int_equal(keys[0], ':');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(help_lines),
        cmocka_unit_test(parser_takes_what_the_table_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
