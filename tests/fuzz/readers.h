/*
 * readers.h - every reader of user files, as one table for fuzzing.
 *
 * Contract: one table names each reader and feeds it `size` bytes (as a
 * string or, for readers that take a path, as a file written to a scratch
 * directory on tmpfs, removed at exit), releasing what it built; the
 * result is the reader's status: 0 accepted, -1 refused with a one-line
 * diag (which it fills).  The same table drives the libFuzzer
 * harnesses (fuzz_main.c, one binary per reader) and the replay binary
 * (replay.c) that `make test` runs over the corpora and the regression
 * inputs, so the list of fuzzed readers exists once.
 */
#ifndef MP_FUZZ_READERS_H
#define MP_FUZZ_READERS_H

#include <stddef.h>
#include <stdint.h>
#include "golden/diag.h"

/* Feed `size` bytes to the reader called `name` (mp_fuzz_reader_name);
 * 0 accepted, -1 refused with d filled.  An unknown name aborts. */
int mp_fuzz_run(const char *name, const uint8_t *data, size_t size,
                mp_diag *d);
/* Name of reader i, or NULL past the last (tests/fuzz/corpus/NAME,
 * tests/fuzz/regress/NAME). */
const char *mp_fuzz_reader_name(size_t i);

#endif
