/*
 * outfile.h - output files that appear whole or not at all.
 *
 * Contract: mp_out_open() prepares PATH for writing; mp_out_commit()
 * flushes and closes it, making the output appear; mp_out_abort() closes
 * and discards it.  A failed command therefore never leaves a partial
 * output file, and never a temporary one: temporaries are removed on every
 * error path and, by a handler mp_out_open() installs, on SIGINT, SIGTERM,
 * SIGHUP and SIGPIPE.
 *
 * What PATH names decides how it is written:
 *   - "-": stdout; commit flushes, abort does nothing.
 *   - a regular file, or nothing yet: written next to the file and renamed
 *     onto it (keeping an existing file's mode); through a symlink, next to
 *     and onto the file the link points to, so the link stays a link.  The
 *     temporary is an unnamed file (Linux O_TMPFILE), linked as
 *     "FILE.tmp.PID" only at commit, just before the rename, so that even
 *     SIGKILL, which no handler sees, leaves nothing behind; where the file
 *     system cannot (or /proc is absent) "FILE.tmp.PID" is written from the
 *     start and only the signals below remove it.
 *   - anything else (a device such as /dev/null or /dev/stdout, a FIFO):
 *     written through in place, never replaced.
 * mp_out_check_inputs() refuses an output that is the same file (device and
 * inode) as an input, so that a command never overwrites what it reads.
 */
#ifndef MP_OUTFILE_H
#define MP_OUTFILE_H

#include <stddef.h>
#include <stdio.h>
#include "golden/diag.h"

typedef struct mp_outfile {
    FILE *fp;
    char path[MP_DIAG_FILE_MAX];
    char tmp_path[MP_DIAG_FILE_MAX + 32]; /* "" when written in place */
    int is_stdout;
    int unnamed; /* written to an O_TMPFILE, named only at commit */
} mp_outfile;

int mp_out_open(mp_outfile *of, const char *path, mp_diag *d);
int mp_out_commit(mp_outfile *of, mp_diag *d);
void mp_out_abort(mp_outfile *of);

/* A whole small text file at path (mp_out_open, the text, commit): 0, or
 * -1 with d naming `field` (the option that chose the path). */
int mp_out_write_text(const char *path, const char *field, const char *text,
                      mp_diag *d);

/* -1 naming `option` when `out` (not "-") is the same regular file as one
 * of the n `inputs` (NULL entries are skipped). */
int mp_out_check_inputs(const char *out, const char *option,
                        const char *const *inputs, size_t n, mp_diag *d);

/* Remove PATH (a file or a directory tree) if the process is killed by one
 * of the signals above before mp_out_forget(); for outputs that are not a
 * single mp_outfile (rtl's staging directory).  At most a few at a time. */
int mp_out_remember(const char *path);
void mp_out_forget(const char *path);

#endif
