/*
 * infile.h - open input files without surprises.
 *
 * Contract: mp_in_open() opens PATH for reading only when it is a regular
 * file of at most `max_bytes` bytes (a FIFO, device or directory is refused
 * at once, never waited on: the open is non-blocking) and returns its size;
 * mp_in_slurp() reads such a file whole into a NUL-terminated buffer the
 * caller frees.  Failures fill the diag with the path, line 0 and `field`,
 * and return NULL / -1.  Every reader of user files goes through here, so
 * the size bound is checked before any parsing or allocation.
 */
#ifndef MP_INFILE_H
#define MP_INFILE_H

#include <stdint.h>
#include <stdio.h>
#include "golden/diag.h"

/* Text inputs (YAML, JSON, .cfg, .csv, files.f): far above any real one. */
#define MP_TEXT_MAX_BYTES (16L << 20)

FILE *mp_in_open(const char *path, int64_t max_bytes, const char *field,
                 int64_t *size, mp_diag *d);
/* Reads the whole file; refuses NUL bytes (text inputs only). */
int mp_in_slurp(const char *path, int64_t max_bytes, const char *field,
                char **text, size_t *len, mp_diag *d);

#endif
