/*
 * cosim_build.c - Verilator builds cached by content; see cosim_build.h.
 */
#include "sim/cosim/cosim_build.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <glob.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "golden/datadir.h"

#define PATH_CAP 1024
#define MAX_GOLDEN 64

/* Bump when the build recipe changes: old cache entries become unused. */
static const char recipe[] =
    "mpsim-cosim-build 1|verilator --exe --build -j 2 -Wall -Wno-fatal "
    "-MAKEFLAGS OPT_FAST=-O1|cc -std=c11 -O2|c++17";

/* a + b into out (no truncation warnings: lengths checked). */
static void join(char *out, size_t cap, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    if (la + lb + 1 > cap) {
        la = la < cap - 1 ? la : cap - 1;
        lb = cap - 1 - la;
    }
    memmove(out, a, la);
    memcpy(out + la, b, lb);
    out[la + lb] = 0;
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

void mp_cosim_default_cache(char *out, size_t cap)
{
    const char *env = getenv("MPSIM_COSIM_CACHE");
    if (env && *env) {
        snprintf(out, cap, "%s", env);
        return;
    }
    char exe[PATH_CAP];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) {
        snprintf(out, cap, "build/cosim-cache");
        return;
    }
    exe[n] = 0;
    snprintf(out, cap, "%s/cosim-cache", dirname(exe));
}

int mp_cosim_root(char *out, size_t cap, mp_diag *d)
{
    char path[PATH_CAP];
    if (mp_data_path("tests/cosim", "harness", ".cpp", path, sizeof path))
        return mp_fail(d, "tests/cosim/harness.cpp", 0, "cosim",
                       "harness source not found under %s (set MPSIM_DATA "
                       "to the repository)", mp_data_root());
    char *tail = strstr(path, "/tests/cosim/harness.cpp");
    if (tail)
        *tail = 0;
    else
        snprintf(path, sizeof path, ".");
    /* absolute: Verilator's make runs in its --Mdir */
    char *abs = realpath(path, NULL);
    snprintf(out, cap, "%s", abs ? abs : path);
    free(abs);
    return 0;
}

/* ---- the golden archive ----------------------------------------------- */

typedef struct golden_srcs {
    int count;
    char path[MAX_GOLDEN][PATH_CAP];
} golden_srcs;

static int list_golden(const char *root, golden_srcs *g, mp_diag *d)
{
    char pattern[PATH_CAP];
    glob_t gl;
    g->count = 0;
    join(pattern, sizeof pattern, root, "/golden/*.c");
    if (glob(pattern, 0, NULL, &gl) == 0) {
        for (size_t i = 0; i < gl.gl_pathc && g->count < MAX_GOLDEN - 1; i++)
            snprintf(g->path[g->count++], PATH_CAP, "%s", gl.gl_pathv[i]);
        globfree(&gl);
    }
    if (g->count == 0)
        return mp_fail(d, pattern, 0, "cosim", "no golden sources");
    join(g->path[g->count++], PATH_CAP, root, "/sim/cosim/cosim_tiles.c");
    return 0;
}

/* Hash of the golden sources and every header they may include. */
static int hash_golden(const char *root, const golden_srcs *g,
                       unsigned long long *h, mp_diag *d)
{
    char pattern[PATH_CAP];
    glob_t gl;
    join(pattern, sizeof pattern, root, "/golden/*.h");
    if (glob(pattern, 0, NULL, &gl) == 0) {
        for (size_t i = 0; i < gl.gl_pathc; i++)
            mp_hash_file(gl.gl_pathv[i], h);
        globfree(&gl);
    }
    char tiles_h[PATH_CAP];
    join(tiles_h, sizeof tiles_h, root, "/sim/cosim/cosim_tiles.h");
    mp_hash_file(tiles_h, h);
    for (int i = 0; i < g->count; i++)
        if (mp_hash_file(g->path[i], h))
            return mp_fail(d, g->path[i], 0, "cosim", "cannot read");
    return 0;
}

/* CACHE/golden-<hash>.a, built once. */
static int golden_archive(const char *root, const char *cache,
                          char *archive, size_t cap, mp_diag *d)
{
    static golden_srcs g; /* large; one build at a time */
    unsigned long long h = 0xcbf29ce484222325ULL;
    if (list_golden(root, &g, d) || hash_golden(root, &g, &h, d))
        return -1;
    int len = snprintf(archive, cap, "%s/golden-%016llx.a", cache, h);
    if (len < 0 || (size_t)len >= cap)
        return mp_fail(d, cache, 0, "cosim", "cache path too long");
    if (is_file(archive))
        return 0;
    char tmp[PATH_CAP], log[PATH_CAP + 16], inc[PATH_CAP + 4];
    int tmp_len = snprintf(tmp, sizeof tmp, "%s/golden-%016llx.tmp.%d",
                           cache, h, (int)getpid());
    if (tmp_len < 0 || (size_t)tmp_len >= sizeof tmp)
        return mp_fail(d, cache, 0, "cosim", "cache path too long");
    snprintf(log, sizeof log, "%s/build.log", tmp);
    snprintf(inc, sizeof inc, "-I%s", root);
    if (mp_mkdirs(tmp, d))
        return -1;
    static char objs[MAX_GOLDEN][PATH_CAP + 32];
    char *ar_argv[MAX_GOLDEN + 5] = {"ar", "rcs", NULL};
    char tmp_archive[PATH_CAP + 16];
    snprintf(tmp_archive, sizeof tmp_archive, "%s/golden.a", tmp);
    ar_argv[2] = tmp_archive;
    const char *cc = getenv("CC") && *getenv("CC") ? getenv("CC") : "cc";
    for (int i = 0; i < g.count; i++) {
        snprintf(objs[i], sizeof objs[i], "%s/g%d.o", tmp, i);
        char *argv[] = {(char *)cc, "-std=c11", "-D_GNU_SOURCE", "-O2",
                        inc, "-c", g.path[i], "-o", objs[i], NULL};
        int rc = mp_tool_exec(argv, NULL, NULL, log, d);
        if (rc < 0)
            return -1;
        if (rc)
            return mp_fail(d, g.path[i], 0, "cosim",
                           "compiling the golden failed (see %s)", log);
        ar_argv[3 + i] = objs[i];
    }
    ar_argv[3 + g.count] = NULL;
    if (mp_tool_exec(ar_argv, NULL, NULL, log, d) != 0)
        return mp_fail(d, archive, 0, "cosim", "ar failed (see %s)", log);
    if (rename(tmp_archive, archive))
        return mp_fail(d, archive, 0, "cosim", "cannot create");
    mp_rmtree(tmp);
    return 0;
}

/* ---- the Verilator build ---------------------------------------------- */

static const char *variant_name(mp_cosim_variant v)
{
    return v == MP_COSIM_SC         ? "sc"
           : v == MP_COSIM_CC_TRACE ? "cc-trace"
           : v == MP_COSIM_CC_TOGGLE ? "cc-toggle-ni" /* -fno-inline */
           : v == MP_COSIM_CC_VCD   ? "cc-vcd"
                                    : "cc";
}

static int design_hash(const mp_rtl_src *src, mp_cosim_variant v,
                       const char *bench, const char *golden,
                       unsigned long long *h, mp_diag *d)
{
    *h = 0xcbf29ce484222325ULL;
    mp_hash_bytes(recipe, sizeof recipe, h);
    mp_hash_bytes(variant_name(v), strlen(variant_name(v)) + 1, h);
    mp_hash_bytes(src->top, strlen(src->top) + 1, h);
    mp_hash_bytes(golden, strlen(golden) + 1, h); /* names its content */
    if (mp_hash_file(bench, h))
        return mp_fail(d, bench, 0, "cosim", "cannot read");
    for (int i = 0; i < src->nfiles; i++) {
        const char *base = strrchr(src->files[i], '/');
        base = base ? base + 1 : src->files[i];
        mp_hash_bytes(base, strlen(base) + 1, h);
        if (mp_hash_file(src->files[i], h))
            return mp_fail(d, src->files[i], 0, "rtl", "cannot read");
    }
    return 0;
}

int mp_cosim_build(const mp_rtl_src *src, mp_cosim_variant v,
                   const char *cache_dir, char *exe, size_t cap, int *cached,
                   mp_diag *d)
{
    char root[PATH_CAP], cache[PATH_CAP], golden[PATH_CAP], bench[PATH_CAP];
    *cached = 0;
    if (src->nfiles < 1)
        return mp_fail(d, MP_CMDLINE, 0, "rtl", "no RTL files");
    if (mp_cosim_root(root, sizeof root, d))
        return -1;
    if (cache_dir[0] == '/' || !getcwd(cache, sizeof cache))
        snprintf(cache, sizeof cache, "%s", cache_dir);
    else {
        size_t n = strlen(cache);
        snprintf(cache + n, sizeof cache - n, "/%s", cache_dir);
    }
    join(bench, sizeof bench, root,
         v == MP_COSIM_SC ? "/tests/cosim/sc_tb.cpp"
                          : "/tests/cosim/harness.cpp");
    if (mp_mkdirs(cache, d) ||
        golden_archive(root, cache, golden, sizeof golden, d))
        return -1;
    unsigned long long h;
    if (design_hash(src, v, bench, golden, &h, d))
        return -1;
    /* each buffer holds the one before it plus what is appended to it:
     * "/HASH-VARIANT" (<= 42), ".tmp.PID" (<= 16), "/obj", "/bench" */
    char final_dir[PATH_CAP + 48], tmp[PATH_CAP + 64];
    snprintf(final_dir, sizeof final_dir, "%s/%016llx-%s", cache, h,
             variant_name(v));
    snprintf(exe, cap, "%s/bench", final_dir);
    if (is_file(exe)) {
        *cached = 1;
        return 0;
    }
    snprintf(tmp, sizeof tmp, "%s.tmp.%d", final_dir, (int)getpid());
    mp_rmtree(tmp);
    if (mp_mkdirs(tmp, d))
        return -1;

    char mdir[PATH_CAP + 80], log[PATH_CAP + 80], cflags[PATH_CAP + 32];
    snprintf(mdir, sizeof mdir, "%s/obj", tmp);
    snprintf(log, sizeof log, "%s/build.log", tmp);
    snprintf(cflags, sizeof cflags, "-I%s -std=c++17", root);
    char *argv[MP_RTL_MAX_FILES + 40];
    int n = 0;
    argv[n++] = "verilator";
    argv[n++] = v == MP_COSIM_SC ? "--sc" : "--cc";
    argv[n++] = "--exe";
    argv[n++] = "--build";
    argv[n++] = "-j";
    argv[n++] = "2";
    argv[n++] = "-Wall";
    argv[n++] = "-Wno-fatal";
    argv[n++] = "--top-module";
    argv[n++] = (char *)src->top;
    argv[n++] = "--prefix";
    argv[n++] = "Vtop";
    argv[n++] = "--Mdir";
    argv[n++] = mdir;
    argv[n++] = "-MAKEFLAGS";
    argv[n++] = "OPT_FAST=-O1";
    argv[n++] = "-CFLAGS";
    argv[n++] = cflags;
    argv[n++] = "-LDFLAGS";
    argv[n++] = v == MP_COSIM_SC ? "-lsystemc -lm" : "-lm";
    argv[n++] = "-o";
    argv[n++] = "bench";
    if (v == MP_COSIM_CC_TRACE)
        argv[n++] = "--trace-fst";
    if (v == MP_COSIM_CC_VCD)
        argv[n++] = "--trace";
    if (v == MP_COSIM_CC_TOGGLE) {
        /* modules kept apart: an inlined module's ports become aliases of
         * the parent's nets and are not counted per instance */
        argv[n++] = "--coverage-toggle";
        argv[n++] = "-fno-inline";
    }
    for (int i = 0; i < src->nfiles; i++)
        argv[n++] = (char *)src->files[i];
    argv[n++] = bench;
    argv[n++] = golden;
    argv[n] = NULL;
    int rc = mp_tool_exec(argv, NULL, NULL, log, d);
    if (rc < 0)
        return -1;
    char built[PATH_CAP + 96];
    snprintf(built, sizeof built, "%s/bench", mdir);
    if (rc != 0 || !is_file(built)) {
        char keep[PATH_CAP + 64];
        snprintf(keep, sizeof keep, "%s.failed", final_dir);
        mp_rmtree(keep);
        rename(tmp, keep);
        return mp_fail(d, src->files[src->nfiles - 1], 0, "verilator",
                       "build failed (log: %s/build.log)", keep);
    }
    char moved[PATH_CAP + 80], moved_log[PATH_CAP + 80];
    snprintf(moved, sizeof moved, "%s/bench", tmp);
    snprintf(moved_log, sizeof moved_log, "%s/build.log", tmp);
    if (rename(built, moved))
        return mp_fail(d, moved, 0, "cosim", "cannot move the executable");
    mp_rmtree(mdir);
    (void)moved_log;
    if (rename(tmp, final_dir)) {
        /* another process finished the same build first: use it */
        mp_rmtree(tmp);
        if (!is_file(exe))
            return mp_fail(d, final_dir, 0, "cosim", "cannot create");
    }
    return 0;
}
