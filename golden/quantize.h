/*
 * quantize.h - turn float weights into the integer weight formats.
 *
 * Group-wise along K: rows k of W[K][N] with the same g = k / group_size and
 * the same column n share scale s[g][n] (and zero point z[g][n] when
 * asymmetric), so that W ~= s * (q - z).  Round to nearest, ties to even.
 * Symmetric (signed codes, bits >= 2): z = 0, s = clip * max|W| / qmax
 * with qmax = 2^(b-1) - 1, codes clamped to [-qmax, qmax].  Asymmetric
 * (unsigned codes): with min = min(W, 0) and max = max(W, 0) (so 0 is always
 * exactly a code), s = clip * (max - min) / (2^b - 1), z = round(-min / s),
 * clamped to the code range.  `clip` in (0, 1] shrinks the range (values
 * beyond it are clipped to the extreme code).  Ternary: s = clip * mean|W|
 * (BitNet b1.58 absmean), q = clamp(round(W / s), -1, 1).  s is rounded to
 * float32 (at least FLT_MIN) before the codes are computed from it.  An
 * all-zero group gets s = 1, z = 0.  Unsigned codes are stored as their
 * 8-bit pattern in the mp_wcode array (see mp_wcode_value in formats.h).
 * Errors name a field of mp_quant_cfg ("group_size", "clip", "symmetric",
 * "wfmt", "zeros"), "shape", or the weight "w[k][n]"; d->file is "".
 */
#ifndef MP_QUANTIZE_H
#define MP_QUANTIZE_H

#include <stdint.h>
#include "golden/diag.h"
#include "golden/formats.h"

typedef struct mp_quant_cfg {
    mp_wfmt wfmt;
    int group_size; /* divides K; K means per-channel */
    int symmetric;  /* 1: z = 0; 0: zero points (requires unsigned wfmt) */
    double clip;    /* (0, 1] */
} mp_quant_cfg;

/* W is [K][N] row-major.  Outputs: q [K][N], scales [K/G][N], zeros
 * [K/G][N] (may be NULL when symmetric).  Returns 0 or -1 with d filled. */
int mp_quantize(const mp_quant_cfg *cfg, const float *w, int k, int n,
                mp_wcode *q, float *scales, int32_t *zeros, mp_diag *d);

#endif
