/* run.c - see sim/sweep.h.  Sharding, workers, output, resume, progress. */
#include "sim/sweep.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "golden/outfile.h"
#include "sim/sweep/point.h"

#define MAX_JOBS 256
#define CHUNK_MAX 256

typedef struct progress {
    int on, tty;
    int64_t total, done;
    double start, last;
} progress;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void progress_show(progress *p, int final)
{
    if (!p->on)
        return;
    double t = now_s();
    if (!final && t - p->last < (p->tty ? 0.25 : 10.0))
        return;
    if (final && !p->tty && p->last == p->start)
        return; /* a short run off a terminal: nothing to report */
    p->last = t;
    double el = t - p->start, rate = el > 0 ? p->done / el : 0;
    double eta = rate > 0 ? (p->total - p->done) / rate : 0;
    fprintf(stderr, "%ssweep: %lld/%lld points (%.1f%%), %.0f points/s, "
            "ETA %.0f s%s", p->tty ? "\r" : "", (long long)p->done,
            (long long)p->total,
            p->total ? 100.0 * p->done / p->total : 100.0, rate, eta,
            p->tty && !final ? "" : "\n");
    fflush(stderr);
}

/* All n bytes through read() or write(), across short counts and EINTR;
 * -1 on an error or end of file. */
static int io_all(int fd, void *buf, size_t n, int writing)
{
    char *p = buf;
    while (n > 0) {
        ssize_t k = writing ? write(fd, p, n) : read(fd, p, n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            return -1;
        p += k, n -= (size_t)k;
    }
    return 0;
}

static int write_all(int fd, const void *p, size_t n)
{
    return io_all(fd, (void *)p, n, 1);
}

static int read_all(int fd, void *p, size_t n)
{
    return io_all(fd, p, n, 0);
}

/* ---- output file and resume ---------------------------------------------- */

/* Check an existing output against this sweep: the same header, then rows
 * numbered first, first+1, ...  A torn last line is cut.  *next is the
 * first point still to run. */
static int resume_scan(int fd, const char *path, const char *header,
                       int64_t first, int64_t *next, mp_diag *d)
{
    char buf[65536];
    size_t hlen = strlen(header), hseen = 0;
    off_t off = 0, line_start = 0;
    int64_t expect = first;
    int in_header = 1, at_line_start = 1;
    int64_t num = 0;
    int num_ok = 1, in_num = 0;
    ssize_t r;
    while ((r = read(fd, buf, sizeof buf)) > 0) {
        for (ssize_t i = 0; i < r; i++, off++) {
            char c = buf[i];
            if (in_header) {
                if (hseen >= hlen || c != header[hseen++])
                    return mp_fail(d, path, 1, "header", "not the output of "
                                   "this sweep (columns differ); remove it "
                                   "or drop --resume");
                if (c == '\n')
                    in_header = 0, line_start = off + 1;
                continue;
            }
            if (at_line_start)
                num = 0, num_ok = 1, in_num = 1, at_line_start = 0;
            if (c == '\n') {
                if (!num_ok || num != expect)
                    return mp_fail(d, path, 0, "point", "row for point %lld "
                                   "where %lld was expected: not this "
                                   "sweep's or shard's output",
                                   (long long)num, (long long)expect);
                expect++;
                line_start = off + 1;
                at_line_start = 1;
            } else if (in_num) {
                if (c == ',')
                    in_num = 0;
                else if (c >= '0' && c <= '9' && num < INT64_MAX / 10)
                    num = num * 10 + (c - '0');
                else
                    num_ok = 0;
            }
        }
    }
    if (r < 0)
        return mp_fail(d, path, 0, "file", "cannot read: %s",
                       strerror(errno));
    if (in_header) /* no whole header: start over */
        line_start = 0, expect = first;
    if (ftruncate(fd, line_start) || lseek(fd, 0, SEEK_END) < 0)
        return mp_fail(d, path, 0, "file", "cannot truncate: %s",
                       strerror(errno));
    *next = expect;
    return in_header ? 1 : 0; /* 1: header still to write */
}

static int open_output(const mp_sweep_opts *o, const mp_sweep *s,
                       const char *header, int64_t first, int64_t *next,
                       int *fd, mp_diag *d)
{
    *next = first;
    if (!strcmp(o->out_path, "-")) {
        if (o->resume)
            return mp_fail(d, MP_CMDLINE, 0, "--resume", "needs -o FILE");
        *fd = STDOUT_FILENO;
        return write_all(*fd, header, strlen(header))
                   ? mp_fail(d, "<stdout>", 0, "output", "write failed")
                   : 0;
    }
    int flags = O_RDWR | O_CREAT | (o->resume ? 0 : O_TRUNC);
    const char *inputs[3] = {o->path, s->arch.file,
                             s->workload_file[0] ? s->workload_file : NULL};
    if (mp_out_check_inputs(o->out_path, "-o", inputs, 3, d))
        return -1;
    *fd = open(o->out_path, flags | O_CLOEXEC, 0644);
    if (*fd < 0)
        return mp_fail(d, o->out_path, 0, "output", "cannot open: %s",
                       strerror(errno));
    int need_header = 1;
    if (o->resume) {
        need_header = resume_scan(*fd, o->out_path, header, first, next, d);
        if (need_header < 0) {
            close(*fd);
            return -1;
        }
    }
    if (need_header && write_all(*fd, header, strlen(header))) {
        close(*fd);
        return mp_fail(d, o->out_path, 0, "output", "write failed: %s",
                       strerror(errno));
    }
    return 0;
}

/* ---- evaluation ---------------------------------------------------------- */

typedef struct range {
    int64_t first, end, chunk; /* points [first, end) in chunks           */
} range;

static int64_t n_chunks(const range *g)
{
    return (g->end - g->first + g->chunk - 1) / g->chunk;
}

static int eval_chunk(mp_sweep_eval *e, const range *g, int64_t c,
                      mp_sbuf *b)
{
    b->len = 0;
    int64_t lo = g->first + c * g->chunk;
    int64_t hi = lo + g->chunk < g->end ? lo + g->chunk : g->end;
    for (int64_t i = lo; i < hi; i++)
        if (mp_sweep_eval_row(e, i, b))
            return -1;
    return 0;
}

static int emit(int fd, const mp_sbuf *b, int64_t rows, progress *pg,
                const char *out, mp_diag *d)
{
    if (write_all(fd, b->p, b->len))
        return mp_fail(d, out, 0, "output", "write failed: %s",
                       strerror(errno));
    pg->done += rows;
    progress_show(pg, 0);
    return 0;
}

static int64_t chunk_rows(const range *g, int64_t c)
{
    int64_t lo = g->first + c * g->chunk;
    return (lo + g->chunk < g->end ? lo + g->chunk : g->end) - lo;
}

static int run_serial(mp_sweep *s, const range *g, int fd, progress *pg,
                      const char *out, mp_diag *d)
{
    mp_sweep_eval e;
    mp_sweep_eval_init(&e, s);
    mp_sbuf b = {0};
    int rc = 0;
    for (int64_t c = 0; c < n_chunks(g) && !rc; c++) {
        rc = eval_chunk(&e, g, c, &b);
        if (rc)
            mp_fail(d, s->file, 0, "sweep", "out of memory");
        else
            rc = emit(fd, &b, chunk_rows(g, c), pg, out, d);
    }
    free(b.p);
    mp_sweep_eval_free(&e);
    return rc;
}

/* A worker: chunks w, w+jobs, ... as [uint64 length][rows] records. */
static void worker(mp_sweep *s, const range *g, int w, int jobs, int fd,
                   pid_t parent)
{
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* die with the parent */
    if (getppid() != parent)
        _exit(1);
    mp_sweep_eval e;
    mp_sweep_eval_init(&e, s);
    mp_sbuf b = {0};
    for (int64_t c = w; c < n_chunks(g); c += jobs) {
        if (eval_chunk(&e, g, c, &b))
            _exit(1);
        uint64_t len = b.len;
        if (write_all(fd, (const char *)&len, sizeof len) ||
            write_all(fd, b.p, b.len))
            _exit(1);
    }
    _exit(0);
}

static int run_parallel(mp_sweep *s, const range *g, int jobs, int out_fd,
                        progress *pg, const char *out, mp_diag *d)
{
    int rfd[MAX_JOBS];
    pid_t pid[MAX_JOBS];
    int started = 0, rc = 0;
    pid_t parent = getpid();
    fflush(NULL);
    for (; started < jobs; started++) {
        int p[2];
        if (pipe2(p, O_CLOEXEC))
            break;
        pid[started] = fork();
        if (pid[started] < 0) {
            close(p[0]), close(p[1]);
            break;
        }
        if (pid[started] == 0) {
            close(p[0]);
            for (int j = 0; j < started; j++)
                close(rfd[j]);
            worker(s, g, started, jobs, p[1], parent);
        }
        close(p[1]);
        rfd[started] = p[0];
    }
    if (started < jobs)
        rc = mp_fail(d, MP_CMDLINE, 0, "--jobs", "cannot start %d workers: "
                     "%s", jobs, strerror(errno));
    mp_sbuf b = {0};
    for (int64_t c = 0; c < n_chunks(g) && !rc; c++) {
        uint64_t len;
        int from = rfd[c % jobs];
        if (read_all(from, &len, sizeof len) || len > (1ULL << 32)) {
            rc = mp_fail(d, MP_CMDLINE, 0, "--jobs", "a sweep worker failed");
            break;
        }
        b.len = 0;
        if (b.cap < len + 1) {
            char *p = realloc(b.p, len + 1);
            if (!p) {
                rc = mp_fail(d, s->file, 0, "sweep", "out of memory");
                break;
            }
            b.p = p, b.cap = len + 1;
        }
        if (read_all(from, b.p, len)) {
            rc = mp_fail(d, MP_CMDLINE, 0, "--jobs", "a sweep worker failed");
            break;
        }
        b.len = len;
        rc = emit(out_fd, &b, chunk_rows(g, c), pg, out, d);
    }
    free(b.p);
    for (int j = 0; j < started; j++) {
        close(rfd[j]);
        if (rc)
            kill(pid[j], SIGKILL);
        int status;
        while (waitpid(pid[j], &status, 0) < 0 && errno == EINTR)
            ;
    }
    return rc;
}

int mp_sweep_run(const mp_sweep_opts *o, mp_diag *d)
{
    mp_sweep *s = mp_sweep_new(o->path, d);
    if (!s)
        return -1;
    int rc = -1, fd = -1;
    char *header = malloc(16384);
    if (!header) {
        mp_fail(d, o->path, 0, "sweep", "out of memory");
        goto out;
    }
    mp_sweep_header(s, header, 16384);
    range g;
    g.first = s->points * (o->shard_i - 1) / o->shard_n;
    g.end = s->points * o->shard_i / o->shard_n;
    int64_t next;
    if (open_output(o, s, header, g.first, &next, &fd, d))
        goto out;
    progress pg = {.on = !o->quiet, .tty = isatty(STDERR_FILENO),
                   .total = g.end - g.first, .done = next - g.first};
    pg.start = pg.last = now_s();
    g.first = next;
    int jobs = o->jobs > MAX_JOBS ? MAX_JOBS : o->jobs;
    int64_t todo = g.end - g.first;
    g.chunk = todo / ((int64_t)jobs * 8);
    g.chunk = g.chunk < 1 ? 1 : g.chunk > CHUNK_MAX ? CHUNK_MAX : g.chunk;
    if (todo <= 0)
        rc = 0;
    else if (jobs <= 1 || todo < 2 * jobs)
        rc = run_serial(s, &g, fd, &pg, o->out_path, d);
    else
        rc = run_parallel(s, &g, jobs, fd, &pg, o->out_path, d);
    if (rc == 0)
        progress_show(&pg, 1);
out:
    if (fd >= 0 && fd != STDOUT_FILENO && close(fd) && rc == 0)
        rc = mp_fail(d, o->out_path, 0, "output", "close failed: %s",
                     strerror(errno));
    free(header);
    mp_sweep_delete(s);
    return rc;
}
