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

#define MP_MODEL_WINDOWS_MAX 256

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
    /* Per-layer attention windows: layer l uses window_pattern[l % n]
     * (0 = full attention); n_window_pattern == 0: every layer uses
     * sliding_window.  Alternating local/global = {4096, 0}; a per-layer
     * list = a pattern as long as the model. */
    int n_window_pattern;
    int64_t window_pattern[MP_MODEL_WINDOWS_MAX];
    /* Block layout */
    int parallel_block;       /* attention and FFN read the same normed
                                 input; one residual add (Falcon, GPT-J)   */
    int64_t norms_per_layer;  /* 1 (parallel, one norm), 2, 4 (Gemma-2)   */
    /* Multi-head latent attention (DeepSeek-V2/V3); kv_lora_rank 0 = off */
    int64_t q_lora_rank;      /* 0: plain q_proj                           */
    int64_t kv_lora_rank;     /* latent width the KV cache stores          */
    int64_t qk_nope_dim, qk_rope_dim, v_head_dim;
    /* Mixture of experts; n_experts 0 = dense FFN in every layer */
    int64_t n_experts;        /* routed experts per MoE layer              */
    int64_t top_k;            /* experts each token is routed to           */
    int64_t expert_intermediate; /* FFN width of one routed expert         */
    int64_t shared_intermediate; /* total width of the always-on shared
                                    expert(s); 0 = none                    */
    int shared_gate;          /* sigmoid gate (hidden x 1) on the shared
                                 expert output (Qwen2-MoE)                */
    int64_t dense_layers;     /* first layers with a dense FFN (DeepSeek
                                 first_k_dense_replace)                   */
    /* Element-wise extras (vector ops, no weights but the norm vectors):
     * Gemma-2 soft-capping c tanh(x / c) of attention scores and final
     * logits (0 = none); BitNet b1.58 2B4T's subln RMSNorms before o_proj
     * (heads x v width) and down_proj (intermediate width) */
    double attn_softcap, final_softcap;
    int sub_norms;
    int64_t mtp_layers;       /* multi-token-prediction modules the weights
                                 hold (DeepSeek-V3 num_nextn_predict_layers);
                                 traced only with --mtp                    */
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

/* Shared by the two readers, after reading: norms_per_layer when absent
 * (1 for a parallel block, else 2); MLA: kv_heads = heads, head_dim =
 * qk_nope + qk_rope. */
void mp_model_defaults(mp_model *m);
/* Shared by the two readers: head_dim = hidden / heads when absent (error
 * at `line` when heads do not divide hidden); activation name check. */
int mp_model_derive_head_dim(mp_model *m, int line, mp_diag *d);
int mp_model_check_activation(const char *act);

/* Attention window of layer l (0 = full), and whether its FFN is a
 * mixture of experts. */
int64_t mp_model_layer_window(const mp_model *m, int64_t layer);
int mp_model_layer_is_moe(const mp_model *m, int64_t layer);
/* KV-cache elements one token stores in one layer (K and V of every KV
 * head; MLA: the latent plus the shared RoPE key). */
int64_t mp_model_kv_elements_per_token(const mp_model *m);
/* Expected distinct experts that `tokens` routed tokens touch in one MoE
 * layer: uniform routing over E_eff = E - skew (E - k) experts,
 * E_eff (1 - (1 - k/E_eff)^tokens) (docs/workloads.md). */
double mp_model_experts_touched(const mp_model *m, int64_t tokens,
                                double skew);

/* Parameters implied by the shapes (embeddings, positions, norms, biases
 * included), for checking against the published count. */
int64_t mp_model_param_count(const mp_model *m);
/* Multiply-accumulates of all weight GEMMs for one token (LM head too);
 * MoE: the router, top_k routed experts and the shared experts. */
int64_t mp_model_weight_macs_per_token(const mp_model *m);

#endif
