/*
 * tmpfiles.h - a scratch directory for cmocka tests that write input files.
 *
 * Use tmpfiles_setup/tmpfiles_teardown as the group setup and teardown of
 * cmocka_run_group_tests(); write_tmp(name, text) writes a file into the
 * directory and returns its path (valid until the next call).
 */
#ifndef MP_TESTS_TMPFILES_H
#define MP_TESTS_TMPFILES_H

#include <stdio.h>
#include <stdlib.h>

static char tmp_dir[64];

static int tmpfiles_setup(void **state)
{
    (void)state;
    snprintf(tmp_dir, sizeof tmp_dir, "/tmp/mpsim-test-XXXXXX");
    return mkdtemp(tmp_dir) ? 0 : -1;
}

static int tmpfiles_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmp_dir);
    return system(cmd) == 0 ? 0 : -1;
}

static const char *write_tmp(const char *name, const char *text)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmp_dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

#endif
