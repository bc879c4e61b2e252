/*
 * tools.c - running external tools, hashing and directories; see tools.h.
 */
#include "sim/tools.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define PATH_CAP 1024

/* ---- hashing ---------------------------------------------------------- */

void mp_hash_bytes(const void *p, size_t n, unsigned long long *h)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        *h ^= b[i];
        *h *= 0x100000001b3ULL;
    }
}

int mp_hash_file(const char *path, unsigned long long *h)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return -1;
    unsigned char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        mp_hash_bytes(buf, n, h);
    int bad = ferror(fp);
    fclose(fp);
    return bad ? -1 : 0;
}

/* ---- files ------------------------------------------------------------ */

int mp_mkdirs(const char *path, mp_diag *d)
{
    char buf[PATH_CAP];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = 0;
        if (mkdir(buf, 0777) && errno != EEXIST)
            return mp_fail(d, path, 0, "cache", "cannot create: %s",
                           strerror(errno));
        *p = '/';
    }
    if (mkdir(buf, 0777) && errno != EEXIST)
        return mp_fail(d, path, 0, "cache", "cannot create: %s",
                       strerror(errno));
    return 0;
}

static int rm_entry(const char *path, const struct stat *st, int flag,
                    struct FTW *ftw)
{
    (void)st;
    (void)flag;
    (void)ftw;
    remove(path);
    return 0;
}

void mp_rmtree(const char *path)
{
    nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* ---- running tools ---------------------------------------------------- */

int mp_tool_exec(char *const argv[], const char *cwd, const char *out_path,
                 const char *log_path, mp_diag *d)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0)
        return mp_fail(d, argv[0], 0, "exec", "fork failed: %s",
                       strerror(errno));
    if (pid == 0) {
        int log = open(log_path ? log_path : "/dev/null",
                       O_WRONLY | O_CREAT | O_APPEND, 0666);
        int out = out_path ? open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0666)
                           : log;
        if (log < 0 || out < 0)
            _exit(126);
        dup2(out, 1);
        dup2(log, 2);
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0)
            dup2(nul, 0);
        if (cwd && chdir(cwd))
            _exit(126);
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return mp_fail(d, argv[0], 0, "exec", "wait failed");
    if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
        return mp_fail(d, argv[0], 0, "exec", "cannot run '%s' (not "
                       "installed? see make deps)", argv[0]);
    if (!WIFEXITED(status))
        return mp_fail(d, argv[0], 0, "exec", "killed by signal %d",
                       WTERMSIG(status));
    return WEXITSTATUS(status);
}
