/*
 * model.h - the shape of a decoder-only transformer LLM.
 *
 * Contract: a model is data.  The built-in ones live in
 * workloads/models/NAME.yaml (shapes from the official Hugging Face
 * config.json of each model, with the published parameter count and its
 * source); any other model can be read straight from its config.json.
 * Both paths fill the same struct and go through mp_model_validate(), so a
 * config.json and the built-in YAML of the same model give the same trace.
 * Nothing here knows about quantization or hardware.
 */
#ifndef MP_MODEL_H
#define MP_MODEL_H

#include <stdint.h>
#include "golden/diag.h"

typedef enum mp_ffn_kind {
    MP_FFN_GATED, /* down(act(gate(x)) * up(x))  (LLaMA, Mistral, Qwen) */
    MP_FFN_PLAIN  /* fc2(act(fc1(x)))            (OPT)                   */
} mp_ffn_kind;

typedef enum mp_norm_kind { MP_NORM_RMS, MP_NORM_LAYER } mp_norm_kind;
typedef enum mp_pos_kind { MP_POS_ROPE, MP_POS_LEARNED } mp_pos_kind;

typedef struct mp_model {
    char name[64];
    char family[32];          /* HF model_type: llama, mistral, qwen2, opt */
    char file[MP_DIAG_FILE_MAX]; /* where it was read from */
    int64_t hidden;           /* d_model                                    */
    int64_t intermediate;     /* FFN inner width                            */
    int64_t heads;            /* query heads                                */
    int64_t kv_heads;         /* key/value heads (GQA); = heads for MHA     */
    int64_t head_dim;
    int64_t layers;
    int64_t vocab;
    mp_ffn_kind ffn;
    char activation[16];      /* silu, relu, relu2, gelu                    */
    mp_norm_kind norm;
    mp_pos_kind position;
    int64_t position_rows;    /* learned position table rows (OPT: max+2)   */
    int64_t max_positions;    /* longest sequence the model supports        */
    int64_t sliding_window;   /* 0 = full attention                         */
    int tied_embeddings;      /* LM head shares the embedding matrix        */
    int qkv_bias, o_bias, ffn_bias;
    int64_t published_params; /* 0 when unknown (config.json)               */
    int64_t params_precision; /* rounding step of the published figure     */
    char params_source[160];
} mp_model;

/* Built-in model names, NULL-terminated (workloads/models/NAME.yaml). */
extern const char *const mp_model_builtin[];

/* NAME (built-in), PATH.yaml (model description) or PATH.json (Hugging
 * Face config.json).  Built-ins are <data root>/workloads/models/NAME.yaml
 * (golden/datadir.h: $MPSIM_DATA, else the executable's repository, else
 * the current directory). */
int mp_model_load(const char *name_or_path, mp_model *out, mp_diag *d);
int mp_model_load_yaml(const char *path, mp_model *out, mp_diag *d);
int mp_model_load_hf(const char *path, mp_model *out, mp_diag *d);

/* Consistency checks (heads divide hidden, kv_heads divide heads, ...);
 * `line_of` gives the line of a field in the source file, or NULL. */
typedef int (*mp_model_line_fn)(void *ctx, const char *field);
int mp_model_validate(const mp_model *m, mp_model_line_fn line_of, void *ctx,
                      mp_diag *d);

/* Shared by the two readers: head_dim = hidden / heads when absent (error
 * at `line` when heads do not divide hidden); activation name check. */
int mp_model_derive_head_dim(mp_model *m, int line, mp_diag *d);
int mp_model_check_activation(const char *act);

/* Parameters implied by the shapes (embeddings, positions, norms, biases
 * included), for checking against the published count. */
int64_t mp_model_param_count(const mp_model *m);
/* Multiply-accumulates of all weight GEMMs for one token (LM head too). */
int64_t mp_model_weight_macs_per_token(const mp_model *m);

#endif
