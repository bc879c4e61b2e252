/*
 * trace_opts.c - the option set shared by `mpsim trace` and `mpsim run`:
 * key/value strings in, a built trace out.  See trace_build.h.
 */
#include "workloads/trace_build.h"
#include "golden/strutil.h"
#include "golden/decimal.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const mp_option mp_trace_options[] = {
    {"model", MP_TRACE_OPTION, "NAME|FILE", "built-in model (docs/workloads.md), "
     "a model .yaml\nor a Hugging Face config.json"},
    {"phase", MP_TRACE_OPTION, "PHASE", "prefill | decode | request"},
    {"seq", MP_TRACE_OPTION, "N", "prompt tokens (prefill, request); tokens "
     "already\nin the KV cache (decode)"},
    {"batch", MP_TRACE_OPTION, "B", "sequences processed together (default 1)"},
    {"decode-steps", MP_TRACE_OPTION, "T", "request: decode steps after the "
     "prefill"},
    {"quant", MP_TRACE_OPTION, "SCHEME|FILE", "e.g. w4a16g128, w8a8, w1.58a8, "
     "w4a16g128-asym,kv8\nor a scheme .yaml (docs/workloads.md)"},
    {"override", MP_TRACE_OPTION, "SEL=SCHEME", "per-layer/tensor scheme, "
     "repeatable, e.g.\nlayers.0-1=w8a8, lm_head=w8a16, layers.3.ffn=w8a8"},
    {"lm-head", MP_TRACE_OPTION, "last|all", "prefill logits for the last "
     "token (default) or all"},
    {"attn-bucket", MP_TRACE_OPTION, "N", "attention rows/steps per op "
     "(default 128)"},
    {"moe-skew", MP_TRACE_OPTION, "S", "MoE routing skew in 0..1: 0 = uniform "
     "over all\nexperts (default), 1 = every token to the same\ntop-k "
     "(docs/workloads.md)"},
    {"mtp", MP_TRACE_OPTION, "N", "run N multi-token-prediction modules after "
     "the\nLM head (DeepSeek-V3; default 0)"},
    {NULL, 0, NULL, NULL},
};

void mp_trace_opts_init(mp_trace_opts *o)
{
    memset(o, 0, sizeof *o);
    o->batch = 1;
    o->attn_bucket = MP_ATTN_BUCKET_DEFAULT;
}

int mp_trace_opts_any(const mp_trace_opts *o)
{
    return o->given != 0;
}

static int parse_count(const char *value, const char *opt, int64_t *out,
                       mp_diag *d)
{
    if (mp_parse_i64(value, 0, INT64_MAX, out))
        return mp_fail(d, MP_CMDLINE, 0, opt, "expected a non-negative "
                       "integer, got '%s'", value);
    return 0;
}

static int copy_value(char *dst, size_t cap, const char *value,
                      const char *opt, mp_diag *d)
{
    if (strlen(value) >= cap)
        return mp_fail(d, MP_CMDLINE, 0, opt, "longer than %zu characters",
                       cap - 1);
    memcpy(dst, value, strlen(value) + 1);
    return 0;
}

int mp_trace_opts_set(mp_trace_opts *o, const char *key, const char *value,
                      mp_diag *d)
{
    char k[32], opt[40];
    while (*key == '-')
        key++;
    if (strlen(key) >= sizeof k)
        return 0;
    for (size_t i = 0; i <= strlen(key); i++)
        k[i] = key[i] == '_' ? '-' : key[i];
    snprintf(opt, sizeof opt, "--%s", k);
    if (!value)
        return mp_fail(d, MP_CMDLINE, 0, opt, "needs a value");
    if (!strcmp(k, "model")) {
        o->given |= MP_TOPT_MODEL;
        return copy_value(o->model, sizeof o->model, value, opt, d) ? -1 : 1;
    }
    if (!strcmp(k, "phase")) {
        o->given |= MP_TOPT_PHASE;
        if (strcmp(value, "prefill") && strcmp(value, "decode") &&
            strcmp(value, "request"))
            return mp_fail(d, MP_CMDLINE, 0, opt, "unknown phase '%s' "
                           "(prefill, decode, request)", value);
        return copy_value(o->phase, sizeof o->phase, value, opt, d) ? -1 : 1;
    }
    struct { const char *name; int64_t *dst; int bit; } counts[] = {
        {"seq", &o->seq, MP_TOPT_SEQ},
        {"batch", &o->batch, MP_TOPT_BATCH},
        {"decode-steps", &o->decode_steps, MP_TOPT_STEPS},
        {"attn-bucket", &o->attn_bucket, MP_TOPT_BUCKET},
        {"mtp", &o->mtp, MP_TOPT_MTP},
    };
    for (size_t i = 0; i < sizeof counts / sizeof counts[0]; i++)
        if (!strcmp(k, counts[i].name)) {
            o->given |= counts[i].bit;
            return parse_count(value, opt, counts[i].dst, d) ? -1 : 1;
        }
    if (!strcmp(k, "quant")) {
        o->given |= MP_TOPT_QUANT;
        return copy_value(o->quant, sizeof o->quant, value, opt, d) ? -1 : 1;
    }
    if (!strcmp(k, "override")) {
        o->given |= MP_TOPT_OVERRIDE;
        if (o->n_overrides >= MP_QUANT_MAX_OVERRIDES)
            return mp_fail(d, MP_CMDLINE, 0, opt, "more than %d overrides",
                           MP_QUANT_MAX_OVERRIDES);
        if (copy_value(o->overrides[o->n_overrides],
                       sizeof o->overrides[0], value, opt, d) != 0)
            return -1;
        o->n_overrides++;
        return 1;
    }
    if (!strcmp(k, "moe-skew")) {
        double v = 0;
        if (mp_parse_real(value, 0.0, 1.0, &v))
            return mp_fail(d, MP_CMDLINE, 0, opt, "expected a number in "
                           "0..1, got '%s'", value);
        o->given |= MP_TOPT_SKEW;
        o->moe_skew = v;
        return 1;
    }
    if (!strcmp(k, "lm-head")) {
        o->given |= MP_TOPT_LM_HEAD;
        if (strcmp(value, "last") && strcmp(value, "all"))
            return mp_fail(d, MP_CMDLINE, 0, opt, "expected last or all, got "
                           "'%s'", value);
        o->lm_head_all = !strcmp(value, "all");
        return 1;
    }
    return 0;
}

static int load_quant(const mp_trace_opts *o, mp_quant_config *q, mp_diag *d)
{
    mp_quant_origin origin = {.line = 0};
    snprintf(origin.file, sizeof origin.file, "%s", MP_CMDLINE);
    snprintf(origin.field, sizeof origin.field, "--quant");
    int rc = mp_ends_with(o->quant, ".yaml") || mp_ends_with(o->quant, ".yml")
                 ? mp_quant_config_load(o->quant, q, d)
                 : mp_quant_config_init(q, o->quant, &origin, d);
    if (rc != 0)
        return -1;
    snprintf(origin.field, sizeof origin.field, "--override");
    for (int i = 0; i < o->n_overrides; i++)
        if (mp_quant_config_add_override(q, o->overrides[i], &origin, d) != 0)
            return -1;
    return 0;
}

int mp_trace_opts_build(const mp_trace_opts *o, mp_trace *out, mp_diag *d)
{
    mp_trace_init(out);
    static const struct { int bit; const char *opt; } required[] = {
        {MP_TOPT_MODEL, "--model"}, {MP_TOPT_PHASE, "--phase"},
        {MP_TOPT_SEQ, "--seq"}, {MP_TOPT_QUANT, "--quant"},
    };
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!(o->given & required[i].bit)) {
            mp_fail(d, MP_CMDLINE, 0, required[i].opt, "required option "
                    "missing");
            return -2;
        }
    if (!strcmp(o->phase, "request") && !(o->given & MP_TOPT_STEPS)) {
        mp_fail(d, MP_CMDLINE, 0, "--decode-steps", "required with --phase "
                "request");
        return -2;
    }
    mp_scenario s;
    mp_scenario_init(&s);
    s.phase = !strcmp(o->phase, "prefill") ? MP_PHASE_PREFILL
              : !strcmp(o->phase, "decode") ? MP_PHASE_DECODE
                                            : MP_PHASE_REQUEST;
    s.seq = o->seq;
    s.batch = o->batch;
    s.decode_steps = o->decode_steps;
    s.lm_head_all = o->lm_head_all;
    s.attn_bucket = o->attn_bucket;
    s.moe_skew = o->moe_skew;
    s.mtp = o->mtp;
    if (s.lm_head_all && s.phase == MP_PHASE_DECODE)
        return mp_fail(d, MP_CMDLINE, 0, "--lm-head", "only applies to the "
                       "prefill (--phase prefill or request)");
    mp_model m;
    mp_quant_config *q = malloc(sizeof *q); /* ~40 KB with its overrides */
    if (!q)
        return mp_fail(d, "<memory>", 0, "trace", "out of memory");
    int rc = mp_model_load(o->model, &m, d) != 0 || load_quant(o, q, d) != 0
                 ? -1
                 : mp_trace_build(&m, &s, q, out, d);
    free(q);
    return rc;
}

/* ---- summary ---------------------------------------------------------- */

void mp_trace_print_summary(const mp_trace *t, FILE *out)
{
    double wmacs = 0, amacs = 0, vops = 0;
    for (size_t i = 0; i < t->count; i++) {
        const mp_trace_op *op = &t->ops[i];
        if (op->kind == MP_OP_GEMM_WEIGHT)
            wmacs += (double)mp_trace_op_macs(op);
        else if (op->kind == MP_OP_GEMM_ACT)
            amacs += (double)mp_trace_op_macs(op);
        else
            vops += mp_trace_op_vector_ops(op);
    }
    fprintf(out, "%s %s: seq %" PRId64 ", batch %" PRId64, t->model, t->phase,
            t->seq, t->batch);
    if (t->decode_steps)
        fprintf(out, ", %" PRId64 " decode steps", t->decode_steps);
    fprintf(out, ", quant %s\n", t->quant);
    fprintf(out, "  %zu ops; weight GEMM %.4g MACs, attention GEMM %.4g MACs, "
            "vector %.4g ops\n", t->count, wmacs, amacs, vops);
    fprintf(out, "  tokens in %" PRId64 ", out %" PRId64 "\n", t->tokens_in,
            t->tokens_out);
}
