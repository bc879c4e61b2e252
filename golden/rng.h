/*
 * rng.h - a small deterministic random generator (SplitMix64).
 *
 * Same seed, same sequence, on every machine: tests, co-simulation tiles and
 * sweeps use it so that runs are reproducible byte for byte.
 */
#ifndef MP_RNG_H
#define MP_RNG_H

#include <stdint.h>

typedef struct mp_rng {
    uint64_t state;
} mp_rng;

static inline void mp_rng_seed(mp_rng *r, uint64_t seed) { r->state = seed; }

static inline uint64_t mp_rng_next(mp_rng *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform integer in [lo, hi] (inclusive); hi - lo < 2^32. */
static inline int64_t mp_rng_range(mp_rng *r, int64_t lo, int64_t hi)
{
    uint64_t span = (uint64_t)(hi - lo) + 1;
    return lo + (int64_t)(mp_rng_next(r) % span);
}

/* Uniform double in [0, 1). */
static inline double mp_rng_unit(mp_rng *r)
{
    return (double)(mp_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

#endif
