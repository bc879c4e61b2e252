/*
 * tmpfiles.h - scratch directories for cmocka tests that write files.
 *
 * Group fixtures: tmpfiles_setup/tmpfiles_teardown as the group setup and
 * teardown of cmocka_run_group_tests(); tmp_path(name) is a path in that
 * directory, write_tmp(name, text) writes the file there and returns its
 * path (both valid until the next call).
 * Per test: make_tmpdir() creates a fresh directory, file_exists() and
 * count_files() look into it, remove_tree() deletes it with its (flat)
 * contents.
 * Include after <cmocka.h>.  Everything is static inline so a test file
 * may use any subset without unused-function warnings.
 */
#ifndef MP_TESTS_TMPFILES_H
#define MP_TESTS_TMPFILES_H

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The group's directory (one per test binary). */
static inline char *tmpfiles_dir(void)
{
    static char dir[64];
    return dir;
}

static inline int tmpfiles_setup(void **state)
{
    (void)state;
    snprintf(tmpfiles_dir(), 64, "/tmp/mpsim-test-XXXXXX");
    return mkdtemp(tmpfiles_dir()) ? 0 : -1;
}

static inline int tmpfiles_teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpfiles_dir());
    return system(cmd) == 0 ? 0 : -1;
}

static inline const char *tmp_path(const char *name)
{
    static char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpfiles_dir(), name);
    return path;
}

static inline const char *write_tmp(const char *name, const char *text)
{
    const char *path = tmp_path(name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
    return path;
}

/* A fresh directory under /tmp; free() it after remove_tree(). */
static inline char *make_tmpdir(void)
{
    char *dir = strdup("/tmp/mpsim-test-XXXXXX");
    assert_non_null(dir);
    assert_non_null(mkdtemp(dir));
    return dir;
}

static inline int file_exists(const char *dir, const char *file)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    return access(path, R_OK) == 0;
}

/* Entries of dir, dot files aside. */
static inline int count_files(const char *dir)
{
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)))
        if (e->d_name[0] != '.')
            n++;
    closedir(dp);
    return n;
}

/* Removes dir and the files in it (generators write no subdirectories). */
static inline void remove_tree(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return;
    struct dirent *e;
    char path[1024];
    while ((e = readdir(dp)))
        if (e->d_name[0] != '.') {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            remove(path);
        }
    closedir(dp);
    rmdir(dir);
}

#endif
