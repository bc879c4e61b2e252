/*
 * test_strict.c - the shared strict-reader policy: did-you-mean
 * suggestions, decimal numbers, one-line diagnostics whatever a key holds,
 * and the YAML/JSON syntax layer every reader loads through (duplicate
 * keys, second documents, trailing data, nesting depth, aliases), and
 * outputs removed when the process is killed.
 */
#include <dirent.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "golden/decimal.h"
#include "golden/diag.h"
#include "golden/outfile.h"
#include "golden/suggest.h"
#include "workloads/yaml_doc.h"

static void suggest_typos(void **state)
{
    (void)state;
    static const char *const keys[] = {"ArrayHeight", "ArrayWidth",
                                       "Bandwidth", "rows", "cols", NULL};
    assert_string_equal(mp_suggest("Bandwith", keys), "Bandwidth");
    assert_string_equal(mp_suggest("bandwidth", keys), "Bandwidth");
    assert_string_equal(mp_suggest("rowz", keys), "rows");
    assert_string_equal(mp_suggest("ArrayHieght", keys), "ArrayHeight");
    assert_null(mp_suggest("clock_hz", keys));
    assert_null(mp_suggest("", keys));
    mp_diag d;
    assert_int_equal(mp_fail_unknown(&d, "f", 3, "x.rowz", "rowz", keys), -1);
    assert_string_equal(d.msg, "unknown key (did you mean 'rows'?)");
    mp_fail_unknown(&d, "f", 3, "zzz", "zzzzzzzz", keys);
    assert_non_null(strstr(d.msg, "known: ArrayHeight, ArrayWidth"));
}

static void decimal_numbers(void **state)
{
    (void)state;
    static const char *const ints_ok[] = {"0", "7", "-3", "+12", "65536"};
    static const char *const ints_bad[] = {"010", "0x10", "1e3", "1.0", "",
                                           "-", "1_000", " 1", "00", "0o7"};
    for (size_t i = 0; i < sizeof ints_ok / sizeof *ints_ok; i++)
        assert_true(mp_is_decimal(ints_ok[i], 0));
    for (size_t i = 0; i < sizeof ints_bad / sizeof *ints_bad; i++)
        assert_false(mp_is_decimal(ints_bad[i], 0));
    static const char *const reals_ok[] = {"0.5", "500e6", "1e-3", ".5",
                                           "5.", "-2.5E+3", "010"};
    static const char *const reals_bad[] = {"0x1p3", "inf", "nan", "1e",
                                            ".", "e5", "1.2.3", "--1"};
    for (size_t i = 0; i < sizeof reals_ok / sizeof *reals_ok; i++)
        assert_true(mp_is_decimal(reals_ok[i], 1));
    for (size_t i = 0; i < sizeof reals_bad / sizeof *reals_bad; i++)
        assert_false(mp_is_decimal(reals_bad[i], 1));
}

static void diag_one_line(void **state)
{
    (void)state;
    mp_diag d;
    mp_fail(&d, "a\nb.yaml", 4, "arch.we:ird\nkey", "bad\nvalue");
    char line[1024];
    FILE *fp = fmemopen(line, sizeof line, "w");
    mp_diag_print(&d, fp);
    fclose(fp);
    assert_string_equal(line, "mpsim: a\\nb.yaml:4: arch.we\\x3aird\\nkey: "
                              "bad value\n");
}

/* Load `text`; expect failure at `line` naming `field` with `msg` in it. */
static void bad_yaml(const char *text, int line, const char *field,
                     const char *msg)
{
    mp_yaml y;
    mp_diag d;
    memset(&d, 0, sizeof d);
    int rc = mp_yaml_load_string(text, strlen(text), "t.yaml", &y, &d);
    if (rc == 0)
        mp_yaml_free(&y);
    assert_int_equal(rc, -1);
    assert_string_equal(d.file, "t.yaml");
    assert_int_equal(d.line, line);
    assert_string_equal(d.field, field);
    if (!strstr(d.msg, msg))
        fail_msg("'%s' lacks '%s'", d.msg, msg);
}

static void yaml_syntax_layer(void **state)
{
    (void)state;
    bad_yaml("a: 1\nb: {x: 1, y: 2, x: 3}\n", 2, "b.x", "duplicate key");
    bad_yaml("a: 1\na: 2\n", 2, "a", "first on line 1");
    bad_yaml("l:\n  - {p: 1}\n  - {q: 1, q: 2}\n", 3, "l[1].q",
             "duplicate key");
    bad_yaml("a: 1\n---\na: 2\n", 2, "yaml", "second document");
    bad_yaml("a: 1\n[x]: 2\n", 2, "yaml", "a key must be a scalar");
    bad_yaml("b:\n  {x: 1}: 2\n", 2, "b", "not a mapping");
    bad_yaml("{\"a\": 1}\n{\"b\": 2}\n", 2, "yaml", "after the end");
    bad_yaml("{\"a\": 1} garbage\n", 1, "yaml", "after the end");
    bad_yaml("a: &x [1]\nb: *x\n", 2, "yaml", "aliases");
    char deep[4 * MP_YAML_DEPTH_MAX];
    memset(deep, '[', MP_YAML_DEPTH_MAX + 1);
    memset(deep + MP_YAML_DEPTH_MAX + 1, ']', MP_YAML_DEPTH_MAX + 1);
    deep[2 * MP_YAML_DEPTH_MAX + 2] = '\0';
    bad_yaml(deep, 1, "yaml", "nested deeper than 64");
    /* exactly the limit is fine */
    memset(deep, '[', MP_YAML_DEPTH_MAX);
    memset(deep + MP_YAML_DEPTH_MAX, ']', MP_YAML_DEPTH_MAX);
    deep[2 * MP_YAML_DEPTH_MAX] = '\0';
    mp_yaml y;
    mp_diag d;
    assert_int_equal(mp_yaml_load_string(deep, strlen(deep), "t", &y, &d),
                     0);
    mp_yaml_free(&y);
    /* one document with explicit markers is fine */
    static const char one[] = "---\na: 1\n...\n";
    assert_int_equal(mp_yaml_load_string(one, strlen(one), "t", &y, &d), 0);
    mp_yaml_free(&y);
}

static void yaml_numbers(void **state)
{
    (void)state;
    static const char text[] = "a: 010\nb: 0x10\nc: 1e-400\nd: 12\ne: 2.5\n";
    mp_yaml y;
    mp_diag d;
    assert_int_equal(mp_yaml_load_string(text, strlen(text), "t", &y, &d), 0);
    yaml_node_t *r = mp_yaml_root_map(&y, &d);
    int64_t i;
    double x;
    assert_int_equal(mp_yaml_int(&y, r, "", "a", 1, 0, 100, &i, &d), -1);
    assert_int_equal(d.line, 1);
    assert_int_equal(mp_yaml_int(&y, r, "", "b", 1, 0, 100, &i, &d), -1);
    assert_int_equal(mp_yaml_double(&y, r, "", "c", 1, 0, 1, &x, &d), -1);
    assert_int_equal(d.line, 3);
    assert_int_equal(mp_yaml_int(&y, r, "", "d", 1, 0, 100, &i, &d), 0);
    assert_int_equal(i, 12);
    assert_int_equal(mp_yaml_double(&y, r, "", "e", 1, 0, 3, &x, &d), 0);
    assert_true(x == 2.5);
    assert_int_equal(mp_yaml_double(&y, r, "", "e", 1, 0, 2, &x, &d), -1);
    static const char *const keys[] = {"a", "b", "c", "d", NULL};
    assert_int_equal(mp_yaml_check_keys(&y, r, "top", keys, &d), -1);
    assert_string_equal(d.field, "top.e");
    assert_int_equal(d.line, 5);
    mp_yaml_free(&y);
}

/* A process killed by SIGTERM while writing an output leaves no temporary
 * file (the handler mp_out_open installs removes it), and a forked child
 * killed the same way does not remove its parent's. */
/* Is DIR empty (nothing but . and ..)? */
static int dir_is_empty(const char *dir)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    int entries = 0;
    for (struct dirent *e; (e = readdir(dp));)
        entries += strcmp(e->d_name, ".") && strcmp(e->d_name, "..");
    closedir(dp);
    return entries == 0;
}

/* An output killed while being written leaves no file at all, even by
 * SIGKILL, which no handler sees: the temporary has no name until the
 * commit (golden/outfile.h). */
static void killed_output_leaves_nothing(void **state)
{
    (void)state;
    const int sigs[] = {SIGTERM, SIGKILL};
    for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
        char dir[] = "/tmp/mpsim-strict-XXXXXX";
        assert_non_null(mkdtemp(dir));
        char path[128];
        snprintf(path, sizeof path, "%s/out.json", dir);
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            mp_outfile of;
            mp_diag d;
            if (mp_out_open(&of, path, &d))
                _exit(3);
            fputs("partial", of.fp);
            fflush(of.fp);
            raise(sigs[i]);
            _exit(6);
        }
        int st;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFSIGNALED(st));
        assert_int_equal(WTERMSIG(st), sigs[i]);
        assert_true(dir_is_empty(dir));
        assert_int_equal(rmdir(dir), 0);
    }
}

/* mp_out_write_text: the whole text, or nothing and the caller's field
 * (a directory that is not there). */
static void write_text_whole_or_named(void **state)
{
    (void)state;
    char dir[] = "/tmp/mpsim-strict-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], text[64] = "";
    snprintf(path, sizeof path, "%s/a.txt", dir);
    mp_diag d;
    assert_int_equal(mp_out_write_text(path, "-o", "two\nlines\n", &d), 0);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    size_t n = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[n] = 0;
    assert_string_equal(text, "two\nlines\n");
    assert_int_equal(remove(path), 0);
    snprintf(path, sizeof path, "%s/no/a.txt", dir);
    assert_int_equal(mp_out_write_text(path, "synth", "x", &d), -1);
    assert_string_equal(d.field, "synth");
    assert_true(dir_is_empty(dir));
    assert_int_equal(rmdir(dir), 0);
}

/* A remembered temporary (a staging directory, or an output where the
 * file system has no unnamed files) is removed by SIGTERM, but not by a
 * forked child's: a sweep worker inherits the table and the handler. */
static void killed_child_spares_parent_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/mpsim-strict-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char tmp[128];
    snprintf(tmp, sizeof tmp, "%s/out.json.tmp", dir);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        FILE *fp = fopen(tmp, "w");
        if (!fp || mp_out_remember(tmp) != 0)
            _exit(3);
        fclose(fp);
        pid_t child = fork();
        if (child == 0) {
            raise(SIGTERM); /* the inherited handler must spare our file */
            _exit(4);
        }
        int cst;
        waitpid(child, &cst, 0);
        if (access(tmp, F_OK) != 0)
            _exit(5); /* the child removed it */
        raise(SIGTERM);
        _exit(6);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
    assert_true(WIFSIGNALED(st));
    assert_int_equal(WTERMSIG(st), SIGTERM);
    assert_true(dir_is_empty(dir));
    assert_int_equal(rmdir(dir), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(suggest_typos),
        cmocka_unit_test(decimal_numbers),
        cmocka_unit_test(diag_one_line),
        cmocka_unit_test(yaml_syntax_layer),
        cmocka_unit_test(yaml_numbers),
        cmocka_unit_test(killed_output_leaves_nothing),
        cmocka_unit_test(killed_child_spares_parent_files),
        cmocka_unit_test(write_text_whole_or_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
