/*
 * diag.h - one-line diagnostics that name the file, line and field.
 *
 * Contract: every function in mpsim that can fail on user input takes an
 * `mp_diag *` and returns 0 on success or -1 on failure, after filling the
 * diag with where the problem is (file, 1-based line or 0 when there is no
 * line, field) and what it is.  Only the CLI prints it, once, as
 *
 *     mpsim: FILE:LINE: FIELD: MESSAGE
 *
 * so that a bad input never produces more than one line and never crashes.
 * Command-line problems use the pseudo-file "<command line>".
 */
#ifndef MP_DIAG_H
#define MP_DIAG_H

#include <stdio.h>

#define MP_DIAG_FILE_MAX 256
#define MP_DIAG_FIELD_MAX 96
#define MP_DIAG_MSG_MAX 320

typedef struct mp_diag {
    char file[MP_DIAG_FILE_MAX];   /* input file, or "<command line>" */
    int line;                      /* 1-based; 0 when not applicable  */
    char field[MP_DIAG_FIELD_MAX]; /* option or key path, e.g. "arch.rows" */
    char msg[MP_DIAG_MSG_MAX];
} mp_diag;

#define MP_CMDLINE "<command line>"

/* Fill `d` (which may be NULL) and return -1, so callers can write
 * `return mp_fail(d, file, line, "rows", "must be > 0, got %d", rows);` */
int mp_fail(mp_diag *d, const char *file, int line, const char *field,
            const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Print the diag as one line on `out`, prefixed with "mpsim: ". */
void mp_diag_print(const mp_diag *d, FILE *out);

#endif
