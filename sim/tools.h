/*
 * tools.h - what the co-simulation and synthesis drivers share below both:
 * an RTL design's file list, running an external tool (Verilator, Yosys,
 * OpenSTA, a C compiler), FNV-1a hashing of files, mkdir -p and rm -r.
 * sim/cosim/ and sim/synth/ include this, never each other's internals for
 * these (cosim --activity, above both, uses synthesis).
 */
#ifndef MP_TOOLS_H
#define MP_TOOLS_H

#include <stddef.h>
#include "golden/diag.h"

#define MP_RTL_MAX_FILES 256

/* One design: its RTL files (in files.f order) and top module. */
typedef struct mp_rtl_src {
    char top[96];
    int nfiles;
    char files[MP_RTL_MAX_FILES][MP_DIAG_FILE_MAX];
} mp_rtl_src;

/* Run argv[0] with argv (PATH lookup), stdout to out_path (NULL: the log),
 * stderr to log_path (appended; NULL: /dev/null), in directory cwd (NULL:
 * current).  Returns the exit status, or -1 when it could not be started
 * or was killed (d filled). */
int mp_tool_exec(char *const argv[], const char *cwd, const char *out_path,
                 const char *log_path, mp_diag *d);

/* FNV-1a 64 over a file's bytes, continuing from h; -1 if unreadable. */
int mp_hash_file(const char *path, unsigned long long *h);
void mp_hash_bytes(const void *p, size_t n, unsigned long long *h);

/* mkdir -p; 0 or -1 with d filled. */
int mp_mkdirs(const char *path, mp_diag *d);
/* rm -r (best effort, for our own temporary directories). */
void mp_rmtree(const char *path);

#endif
