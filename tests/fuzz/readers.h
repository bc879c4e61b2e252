/*
 * readers.h - every reader of user files, as one table for fuzzing.
 *
 * Contract: mp_fuzz_readers[] lists each reader by name with a function
 * that feeds it `size` bytes (as a string or, for readers that take a
 * path, as a file written to a scratch directory) and releases what it
 * built.  It returns the reader's status: 0 accepted, -1 refused with a
 * one-line diag (which it fills).  The same table drives the libFuzzer
 * harnesses (fuzz_main.c, one binary per reader) and the replay binary
 * (replay.c) that `make test` runs over the corpora and the regression
 * inputs, so the list of fuzzed readers exists once.
 */
#ifndef MP_FUZZ_READERS_H
#define MP_FUZZ_READERS_H

#include <stddef.h>
#include <stdint.h>
#include "golden/diag.h"

typedef struct mp_fuzz_reader {
    const char *name;  /* also tests/fuzz/corpus/NAME, tests/fuzz/regress/NAME */
    int (*run)(const uint8_t *data, size_t size, mp_diag *d);
} mp_fuzz_reader;

extern const mp_fuzz_reader mp_fuzz_readers[];
const mp_fuzz_reader *mp_fuzz_find(const char *name);

#endif
