/*
 * quant_scheme.h - how each tensor of a model is quantized.
 *
 * A scheme string names the weight format, the activation format, the
 * weight group size and the KV-cache width in one token (docs/workloads.md
 * has the full grammar):
 *
 *     w4a16g128          INT4 weights, groups of 128 along K, FP16 acts
 *     w4a16g128-asym     UINT4 codes with a zero point per group
 *     w8a8               INT8 weights per output channel, INT8 acts
 *     w1.58a8            ternary weights (BitNet b1.58), INT8 acts
 *     w16a16             FP16 weights as they are (no scales), FP16 acts
 *     w4a4               INT4 weights and INT4 acts ("aint4" too)
 *     w4a8g128,kv4       ... and a 4-bit KV cache ("-kv4" works too)
 *     w4afp8e4m3g128     explicit activation format (afp16, abf16, aint8..)
 *
 * A configuration is a base scheme plus ordered overrides "SELECTOR=SCHEME"
 * (the last matching override wins):
 *
 *     layers.0-1=w8a8           every tensor of layers 0 and 1
 *     layers.5.ffn=w8a8         the FFN of layer 5
 *     attn=w8a8                 every attention projection of every layer
 *     down_proj=w8a16           one projection class (q_proj .. fc2)
 *     lm_head=w8a16             the LM head
 *
 * The same thing can come from a YAML file (mp_quant_config_load):
 *
 *     scheme: w4a16g128,kv8
 *     overrides:
 *       layers.0-1: w8a8
 *       lm_head: w8a16
 *
 * Every parsed piece remembers where it came from (file, line, field), so a
 * group size that does not divide some GEMM's K can be reported against the
 * option or YAML line that asked for it.
 */
#ifndef MP_QUANT_SCHEME_H
#define MP_QUANT_SCHEME_H

#include <stdint.h>
#include "golden/diag.h"
#include "golden/formats.h"

/* Format of one weight GEMM's operands. */
typedef struct mp_quant {
    mp_wfmt w;       /* weight codes                                       */
    int group_size;  /* weights per scale along K; 0 = per output channel  */
    int has_zeros;   /* asymmetric: unsigned codes + zero point per group  */
    mp_act_fmt act;  /* activation operand X                               */
} mp_quant;

/* Where a scheme was written, for diagnostics. */
typedef struct mp_quant_origin {
    char file[MP_DIAG_FILE_MAX]; /* "<command line>" or a YAML file */
    int line;
    char field[MP_DIAG_FIELD_MAX];
} mp_quant_origin;

typedef struct mp_quant_scheme {
    mp_quant q;
    int kv_bits;   /* KV cache: 16 = FP16, 8 or 4 = integer; 0 = not given */
    char text[64]; /* the scheme as written */
} mp_quant_scheme;

/* Tensor classes an override can select.  Projections are named as in
 * the Hugging Face checkpoints. */
#define MP_QUANT_MAX_OVERRIDES 64

typedef struct mp_quant_override {
    int64_t layer_lo, layer_hi; /* inclusive; -1, -1 = every layer       */
    char tensor[16];            /* "" every tensor, "attn", "ffn", a
                                   projection name, or "lm_head"          */
    mp_quant_scheme scheme;
    mp_quant_origin origin;
} mp_quant_override;

typedef struct mp_quant_config {
    mp_quant_scheme base;
    mp_quant_origin base_origin;
    int n_overrides;
    mp_quant_override overrides[MP_QUANT_MAX_OVERRIDES];
} mp_quant_config;

/* Parse one scheme string; on error fills d with file/line/field. */
int mp_quant_parse(const char *text, mp_quant_scheme *out,
                   const mp_quant_origin *origin, mp_diag *d);

/* Set the base scheme of c (which it first clears). */
int mp_quant_config_init(mp_quant_config *c, const char *scheme,
                         const mp_quant_origin *origin, mp_diag *d);
/* Append one "SELECTOR=SCHEME" override. */
int mp_quant_config_add_override(mp_quant_config *c, const char *text,
                                 const mp_quant_origin *origin, mp_diag *d);
/* Read a YAML scheme file (scheme: ..., overrides: {SELECTOR: SCHEME}). */
int mp_quant_config_load(const char *path, mp_quant_config *c, mp_diag *d);

/* 1 if `tensor` (a projection name or "lm_head") in `layer` (-1 for the
 * LM head) is selected by override o. */
int mp_quant_override_matches(const mp_quant_override *o, int64_t layer,
                              const char *tensor);
/* Effective scheme of a weight tensor; *origin (may be NULL) tells which
 * base/override decided it. */
const mp_quant_scheme *mp_quant_resolve(const mp_quant_config *c,
                                        int64_t layer, const char *tensor,
                                        const mp_quant_origin **origin);
/* KV-cache bits of a layer: the last override covering the layer's
 * attention that gives kvNN, else the base's, else 8 when the layer's
 * q_proj takes integer activations and 16 (FP16) when it takes float. */
int mp_quant_kv_bits(const mp_quant_config *c, int64_t layer);

/* Every override's layer range must lie inside a model of n_layers. */
int mp_quant_config_check_layers(const mp_quant_config *c, int64_t n_layers,
                                 mp_diag *d);

/* Canonical text of a mp_quant, e.g. "w4a16g128" (buf >= 48 bytes). */
const char *mp_quant_name(const mp_quant *q, char *buf, int cap);

#endif
