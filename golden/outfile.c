/* outfile.c - see outfile.h. */
#include "golden/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* ---- temporaries removed when the process is killed ------------------- */

#define PENDING_MAX 16
#define PENDING_PATH (MP_DIAG_FILE_MAX + 32)

/* Written only with the signals blocked; read by the handler, which uses
 * async-signal-safe calls only (a staging directory is listed with the
 * raw getdents64 system call, not opendir, which may allocate).  Each entry
 * records the process that made it: a forked child (sweep workers) inherits
 * the table and the handler but must not remove its parent's files. */
static char pending[PENDING_MAX][PENDING_PATH];
static volatile sig_atomic_t pending_used[PENDING_MAX];
static pid_t pending_pid[PENDING_MAX];

static const int caught[] = {SIGINT, SIGTERM, SIGHUP, SIGPIPE};

struct dirent64_raw {
    uint64_t d_ino;
    int64_t d_off;
    unsigned short d_reclen;
    unsigned char d_type;
    char d_name[];
};

/* A staging directory: its (flat) files, then itself. */
static void remove_dir(const char *path)
{
    for (int pass = 0; pass < 4; pass++) {
        int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (fd < 0)
            return;
        char buf[4096] __attribute__((aligned(8)));
        long n, removed = 0;
        while ((n = syscall(SYS_getdents64, fd, buf, sizeof buf)) > 0)
            for (long off = 0; off < n;) {
                struct dirent64_raw *e = (struct dirent64_raw *)(buf + off);
                if (unlinkat(fd, e->d_name, 0) == 0)
                    removed++;
                off += e->d_reclen;
            }
        close(fd);
        if (rmdir(path) == 0 || !removed)
            return;
    }
}

static void remove_pending(void)
{
    pid_t me = getpid();
    for (int i = 0; i < PENDING_MAX; i++)
        if (pending_used[i] && pending_pid[i] == me &&
            unlink(pending[i]) != 0)
            remove_dir(pending[i]);
}

static void on_signal(int sig)
{
    remove_pending();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_handler(void)
{
    static int installed;
    if (installed)
        return;
    installed = 1;
    for (size_t i = 0; i < sizeof caught / sizeof *caught; i++) {
        struct sigaction old;
        if (sigaction(caught[i], NULL, &old) == 0 &&
            old.sa_handler == SIG_IGN)
            continue; /* e.g. nohup: keep ignoring */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(caught[i], &sa, NULL);
    }
}

static void block(sigset_t *old)
{
    sigset_t set;
    sigemptyset(&set);
    for (size_t i = 0; i < sizeof caught / sizeof *caught; i++)
        sigaddset(&set, caught[i]);
    sigprocmask(SIG_BLOCK, &set, old);
}

int mp_out_remember(const char *path)
{
    if (strlen(path) >= PENDING_PATH)
        return -1;
    install_handler();
    sigset_t old;
    block(&old);
    int rc = -1;
    for (int i = 0; i < PENDING_MAX && rc; i++)
        if (!pending_used[i]) {
            memcpy(pending[i], path, strlen(path) + 1);
            pending_pid[i] = getpid();
            pending_used[i] = 1;
            rc = 0;
        }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return rc;
}

void mp_out_forget(const char *path)
{
    sigset_t old;
    block(&old);
    for (int i = 0; i < PENDING_MAX; i++)
        if (pending_used[i] && !strcmp(pending[i], path))
            pending_used[i] = 0;
    sigprocmask(SIG_SETMASK, &old, NULL);
}

/* ---- one output file --------------------------------------------------- */

/* Where the rename lands: PATH itself, or the file a symlink points to. */
static int rename_target(const char *path, char *target, size_t cap)
{
    struct stat lst;
    if (lstat(path, &lst) == 0 && S_ISLNK(lst.st_mode)) {
        char *real = realpath(path, NULL);
        if (!real)
            return -1; /* dangling: written through (creates the target) */
        int fits = strlen(real) < cap;
        if (fits)
            memcpy(target, real, strlen(real) + 1);
        free(real);
        return fits ? 0 : -1;
    }
    snprintf(target, cap, "%s", path);
    return 0;
}

static int open_in_place(mp_outfile *of, const char *path, mp_diag *d)
{
    of->tmp_path[0] = '\0';
    of->fp = fopen(path, "wb");
    if (!of->fp)
        return mp_fail(d, path, 0, "-o", "cannot write: %s", strerror(errno));
    return 0;
}

/* The temporary's name, if it has one yet: removed and forgotten. */
static void drop_tmp(mp_outfile *of)
{
    if (of->tmp_path[0] && !of->unnamed) {
        unlink(of->tmp_path);
        mp_out_forget(of->tmp_path);
    }
}

/* An unnamed file (O_TMPFILE) in TARGET's directory, or -1 where the
 * kernel, the file system or a missing /proc (needed to give it a name at
 * commit) does not allow one.  Nothing is left behind if the process is
 * killed, even by SIGKILL, before the commit. */
static int open_unnamed(const char *target, mode_t mode)
{
#ifdef O_TMPFILE
    char dir[MP_DIAG_FILE_MAX];
    const char *slash = strrchr(target, '/');
    if (!slash)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s",
                 (int)(slash == target ? 1 : slash - target), target);
    if (access("/proc/self/fd", X_OK) != 0)
        return -1;
    return open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, mode);
#else
    (void)target;
    (void)mode;
    return -1;
#endif
}

/* Give the unnamed file of `of` its temporary name (then renamed like a
 * named one); the window between the two is all a SIGKILL can hit. */
static int name_unnamed(mp_outfile *of)
{
    char proc[64];
    snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(of->fp));
    if (mp_out_remember(of->tmp_path) != 0) {
        errno = EMFILE;
        return -1;
    }
    of->unnamed = 0; /* from here it has a name to remove */
    /* a FILE.tmp.PID left by a killed process of this PID is replaced, as
     * the named temporary's O_TRUNC does */
    unlink(of->tmp_path);
    if (linkat(AT_FDCWD, proc, AT_FDCWD, of->tmp_path,
               AT_SYMLINK_FOLLOW) != 0) {
        int err = errno;
        mp_out_forget(of->tmp_path);
        of->tmp_path[0] = '\0';
        errno = err;
        return -1;
    }
    return 0;
}

int mp_out_open(mp_outfile *of, const char *path, mp_diag *d)
{
    memset(of, 0, sizeof *of);
    if (strlen(path) >= sizeof of->path)
        return mp_fail(d, path, 0, "-o", "output path too long");
    snprintf(of->path, sizeof of->path, "%s", path);
    if (strcmp(path, "-") == 0) {
        of->fp = stdout;
        of->is_stdout = 1;
        return 0;
    }
    struct stat st;
    int exists = stat(path, &st) == 0;
    if (exists && S_ISDIR(st.st_mode))
        return mp_fail(d, path, 0, "-o", "is a directory");
    if (exists && !S_ISREG(st.st_mode)) /* device, FIFO, socket */
        return open_in_place(of, path, d);
    char target[MP_DIAG_FILE_MAX];
    if (rename_target(path, target, sizeof target) != 0)
        return open_in_place(of, path, d);
    snprintf(of->path, sizeof of->path, "%s", target);
    snprintf(of->tmp_path, sizeof of->tmp_path, "%s.tmp.%ld", target,
             (long)getpid());
    mode_t mode = exists ? (st.st_mode & 07777) : 0666;
    int fd = open_unnamed(target, mode);
    of->unnamed = fd >= 0;
    if (!of->unnamed) {
        if (mp_out_remember(of->tmp_path) != 0)
            return mp_fail(d, path, 0, "-o", "too many outputs open at once");
        fd = open(of->tmp_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
                  mode);
    }
    if (fd >= 0 && exists)
        fchmod(fd, mode); /* the target's mode, not umask's */
    if (fd < 0 || !(of->fp = fdopen(fd, "wb"))) {
        int err = errno;
        if (fd >= 0)
            close(fd);
        drop_tmp(of);
        return mp_fail(d, path, 0, "-o", "cannot write: %s", strerror(err));
    }
    return 0;
}

int mp_out_commit(mp_outfile *of, mp_diag *d)
{
    if (of->is_stdout) {
        if (fflush(stdout) != 0 || ferror(stdout))
            return mp_fail(d, "<stdout>", 0, "-o", "write failed");
        return 0;
    }
    int bad = fflush(of->fp) != 0 || ferror(of->fp);
    int err = 0;
    if (!bad && of->unnamed && name_unnamed(of) != 0)
        err = errno;
    if (fclose(of->fp) != 0)
        bad = 1;
    of->fp = NULL;
    if (bad || err) {
        drop_tmp(of);
        if (err)
            return mp_fail(d, of->path, 0, "-o", "cannot create: %s",
                           strerror(err));
        return mp_fail(d, of->path, 0, "-o", "write failed");
    }
    if (!of->tmp_path[0])
        return 0;
    if (rename(of->tmp_path, of->path) != 0) {
        err = errno;
        drop_tmp(of);
        return mp_fail(d, of->path, 0, "-o", "cannot create: %s",
                       strerror(err));
    }
    mp_out_forget(of->tmp_path);
    return 0;
}

void mp_out_abort(mp_outfile *of)
{
    if (of->is_stdout || !of->fp)
        return;
    fclose(of->fp);
    of->fp = NULL;
    drop_tmp(of);
}

int mp_out_check_inputs(const char *out, const char *option,
                        const char *const *inputs, size_t n, mp_diag *d)
{
    struct stat so, si;
    if (!out || !strcmp(out, "-") || stat(out, &so) != 0 ||
        !S_ISREG(so.st_mode))
        return 0;
    for (size_t i = 0; i < n; i++)
        if (inputs[i] && stat(inputs[i], &si) == 0 &&
            so.st_dev == si.st_dev && so.st_ino == si.st_ino)
            return mp_fail(d, MP_CMDLINE, 0, option, "'%s' is the input "
                           "'%s': refusing to overwrite an input", out,
                           inputs[i]);
    return 0;
}

int mp_out_write_text(const char *path, const char *field, const char *text,
                      mp_diag *d)
{
    mp_outfile of;
    if (!mp_out_open(&of, path, d)) {
        fputs(text, of.fp);
        if (!mp_out_commit(&of, d))
            return 0;
    }
    if (d) /* mp_out_open / commit name -o */
        snprintf(d->field, sizeof d->field, "%s", field);
    return -1;
}
