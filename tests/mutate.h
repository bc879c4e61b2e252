/*
 * mutate.h - one random corruption of a text for the readers' fuzz loops
 * in the cmocka tests: at a random byte, a random value, a NUL (a
 * truncation), or one of the reader's syntax characters `chars`.
 */
#ifndef MP_TESTS_MUTATE_H
#define MP_TESTS_MUTATE_H

#include <string.h>

#include "golden/rng.h"

static inline void mutate(char *buf, size_t len, mp_rng *rng,
                          const char *chars)
{
    size_t at = (size_t)(mp_rng_next(rng) % len);
    switch (mp_rng_next(rng) % 3) {
    case 0: buf[at] = (char)(1 + mp_rng_next(rng) % 255); break;
    case 1: buf[at] = 0; break;
    default: buf[at] = chars[mp_rng_next(rng) % strlen(chars)]; break;
    }
}

#endif
