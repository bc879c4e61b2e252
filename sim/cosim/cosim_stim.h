/*
 * cosim_stim.h - the tiles `mpsim cosim` streams into an RTL array.
 *
 * Contract.  Given a tile-file header (sizes, formats, arithmetic: see
 * cosim_tiles.h) mp_cosim_stim() fills `count` tiles, deterministically from
 * the seed (golden/rng.h).  The sequence is
 *
 *   extreme-max  every operand at the end of its range that makes the sum
 *                largest: max activations, max weight codes, zero points
 *                at the code minimum, the largest scales used;
 *   extreme-min  the mirror: min activations (-128, -max float), min codes,
 *                zero points at the code maximum;
 *   extreme-mix  a mix of min/max/0/-0/+-1 and the smallest and largest
 *                subnormals (floats), extreme codes and zero points;
 *   then random and, with a trace layer, trace tiles alternately:
 *   random       uniform codes and zero points; integer activations
 *                uniform over the format, float activations uniform over
 *                the finite bit patterns (every exponent, subnormals, -0);
 *   trace        shaped like an LLM layer: Gaussian activations with a few
 *                outlier channels (per-token act_scale for integer
 *                activations), Gaussian weights quantized group-wise with
 *                mp_quantize() (real scales and zero points).
 *
 * K: the extreme tiles use the largest K (worst accumulation); random
 * tiles a random multiple of k_step up to k_max; trace tiles the layer's K
 * clamped to k_max and rounded down to k_step.  Scales and act_scale of
 * non-trace tiles are positive FP16-representable values 2^-14..2^3
 * (real quantizers store FP16 scales); their load words are float32 bits.
 * No input is NaN or Inf.
 */
#ifndef MP_COSIM_STIM_H
#define MP_COSIM_STIM_H

#include <stdint.h>
#include "golden/diag.h"
#include "sim/cosim/cosim_tiles.h"

typedef struct mp_stim_opts {
    int count;        /* tiles                                         */
    uint64_t seed;
    int k_step;       /* every K is a multiple (group size, PE tile_k) */
    int64_t trace_k;  /* > 0: K of a workload layer for trace tiles    */
} mp_stim_opts;

/* h's header must be filled; h->tiles must be empty.  Checks every tile
 * with the golden's input checks. */
int mp_cosim_stim(mp_cosim_tiles *h, const mp_stim_opts *o, mp_diag *d);

#endif
