/*
 * test_workloads_trace.c - the trace builder, quantization schemes, trace
 * YAML round trip, SCALE-Sim topologies and their error paths.
 *
 * Attention MACs are checked against sums done here row by row (query row
 * i of a prefill sees min(i+1, window) keys; decode step t sees
 * min(seq+1+t, window)), not against the builder's closed forms.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workloads/scalesim_topo.h"
#include "workloads/trace_build.h"

#include "tests/tmpfiles.h"

static const mp_quant_origin cmdline = {.file = MP_CMDLINE, .field = "--quant"};

static void load_model(const char *name, mp_model *m)
{
    mp_diag d = {{0}};
    assert_int_equal(mp_model_load(name, m, &d), 0);
}

static int try_build(const char *model, const char *quant, mp_phase phase,
                     int64_t seq, int64_t batch, int64_t steps, int64_t bucket,
                     mp_trace *t, mp_diag *d)
{
    mp_model m;
    load_model(model, &m);
    mp_quant_config q;
    if (mp_quant_config_init(&q, quant, &cmdline, d) != 0)
        return -1;
    mp_scenario s;
    mp_scenario_init(&s);
    s.phase = phase;
    s.seq = seq;
    s.batch = batch;
    s.decode_steps = steps;
    if (bucket)
        s.attn_bucket = bucket;
    return mp_trace_build(&m, &s, &q, t, d);
}

static void build_ok(const char *model, const char *quant, mp_phase phase,
                     int64_t seq, int64_t batch, int64_t steps, int64_t bucket,
                     mp_trace *t)
{
    mp_diag d = {{0}};
    int rc = try_build(model, quant, phase, seq, batch, steps, bucket, t, &d);
    if (rc)
        fail_msg("%s:%d: %s: %s", d.file, d.line, d.field, d.msg);
}

/* Sum of MACs of ops whose name ends with `suffix`. */
static int64_t macs_of(const mp_trace *t, const char *suffix)
{
    int64_t sum = 0;
    size_t n = strlen(suffix);
    for (size_t i = 0; i < t->count; i++) {
        size_t len = strlen(t->ops[i].name);
        if (len >= n && !strcmp(t->ops[i].name + len - n, suffix))
            sum += mp_trace_op_macs(&t->ops[i]);
    }
    return sum;
}

static const mp_trace_op *find(const mp_trace *t, const char *name)
{
    for (size_t i = 0; i < t->count; i++)
        if (!strcmp(t->ops[i].name, name))
            return &t->ops[i];
    fail_msg("no op %s", name);
    return NULL;
}

/* ---- attention -------------------------------------------------------- */

static int64_t causal_keys(int64_t first, int64_t n, int64_t window)
{
    int64_t sum = 0;
    for (int64_t i = 0; i < n; i++)
        sum += first + i < window ? first + i : window;
    return sum;
}

static void test_prefill_causal_exact(void **state)
{
    (void)state;
    static const struct { int64_t seq, bucket; } cases[] = {
        {512, 128}, {1, 128}, {7, 128}, {16, 128}, {300, 100}, {255, 64},
        {1000, 1}, {2048, 128}, {384, 128}, {2, 2},
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        mp_trace t;
        build_ok("llama3-8b", "w4a16g128", MP_PHASE_PREFILL, cases[c].seq, 2,
                 0, cases[c].bucket, &t);
        int64_t want = 2 * 32 * 32 * 128 * causal_keys(1, cases[c].seq, INT64_MAX);
        assert_int_equal(macs_of(&t, "attn.score"), want);
        assert_int_equal(macs_of(&t, "attn.context"), want);
        mp_trace_free(&t);
    }
}

static void test_prefill_bucket_shapes(void **state)
{
    (void)state;
    /* seq 384, bucket 128: three even buckets; two are rounded down/up in
     * a pair, the third is split exactly (127 rows + 1 row) */
    mp_trace t;
    build_ok("llama2-7b", "w8a8", MP_PHASE_PREFILL, 384, 1, 0, 128, &t);
    int lone = 0, full = 0;
    for (size_t i = 0; i < t.count; i++)
        if (!strcmp(t.ops[i].name, "prefill.attn.score")) {
            lone += t.ops[i].m == 1;
            full += t.ops[i].m == 128;
        }
    assert_int_equal(lone, 1);
    assert_int_equal(full, 2);
    mp_trace_free(&t);
}

static void test_sliding_window(void **state)
{
    (void)state;
    mp_trace t;
    build_ok("mistral-7b", "w4a16g128", MP_PHASE_PREFILL, 6000, 1, 0, 1, &t);
    int64_t want = 8 * 4 * 32 * 128 * causal_keys(1, 6000, 4096);
    assert_int_equal(macs_of(&t, "attn.score"), want);
    mp_trace_free(&t);
    for (int64_t bucket = 100; bucket <= 128; bucket += 28) {
        build_ok("mistral-7b", "w4a16g128", MP_PHASE_PREFILL, 9000, 3, 0,
                 bucket, &t);
        assert_int_equal(macs_of(&t, "attn.context"),
                         3 * 8 * 4 * 32 * 128 * causal_keys(1, 9000, 4096));
        size_t ops = 0;
        for (size_t i = 0; i < t.count; i++)
            ops += !strcmp(t.ops[i].name, "prefill.attn.score");
        /* growing part: 4096/bucket buckets (<= 2 ops each); the rest: 3 */
        assert_true(ops <= 2 * (4096 / (size_t)bucket + 1) + 3);
        mp_trace_free(&t);
    }
    build_ok("mistral-7b", "w4a16g128", MP_PHASE_DECODE, 9000, 1, 0, 0, &t);
    assert_int_equal(find(&t, "decode.attn.score")->n, 4096);
    mp_trace_free(&t);
    /* a request past the window: one decode attention shape */
    build_ok("mistral-7b", "w4a16g128", MP_PHASE_REQUEST, 4000, 2, 3000, 0, &t);
    int64_t want_dec = 2 * 8 * 4 * 32 * 128 * causal_keys(4001, 3000, 4096);
    assert_int_equal(macs_of(&t, "decode.attn.score"), want_dec);
    size_t ops = 0;
    for (size_t i = 0; i < t.count; i++)
        ops += !strcmp(t.ops[i].name, "decode.attn.score");
    assert_true(ops <= 3); /* 95 growing steps (odd: 1 op), then 1 op */
    mp_trace_free(&t);
}

static void test_decode_gqa(void **state)
{
    (void)state;
    mp_trace t;
    build_ok("llama3-8b", "w4a16g128,kv8", MP_PHASE_DECODE, 1000, 4, 0, 0, &t);
    const mp_trace_op *k = find(&t, "decode.attn.k_proj");
    assert_int_equal(k->m, 4);
    assert_int_equal(k->n, 8 * 128); /* kv_heads x head_dim */
    assert_int_equal(k->k, 4096);
    assert_int_equal(k->repeat, 32);
    const mp_trace_op *s = find(&t, "decode.attn.score");
    assert_int_equal(s->m, 4);          /* 32/8 query heads share K */
    assert_int_equal(s->n, 1001);       /* cache + the new token */
    assert_int_equal(s->k, 128);
    assert_int_equal(s->repeat, 4 * 8 * 32);
    assert_int_equal(s->b_bits, 8);
    assert_int_equal(s->act, MP_ACT_FP16);
    const mp_trace_op *c = find(&t, "decode.attn.context");
    assert_int_equal(c->n, 128);
    assert_int_equal(c->k, 1001);
    assert_non_null(find(&t, "decode.attn.kv_quant"));
    const mp_trace_op *lm = find(&t, "decode.lm_head");
    assert_int_equal(lm->m, 4);
    assert_int_equal(lm->n, 128256);
    assert_int_equal(t.tokens_out, 4);
    mp_trace_free(&t);
}

static void test_request_merges_steps(void **state)
{
    (void)state;
    mp_trace t;
    build_ok("llama2-13b", "w4a16g128", MP_PHASE_REQUEST, 100, 2, 250, 64, &t);
    const mp_trace_op *q = find(&t, "decode.attn.q_proj");
    assert_int_equal(q->m, 2);
    assert_int_equal(q->repeat, 40 * 250);
    assert_int_equal(find(&t, "prefill.attn.q_proj")->m, 200);
    assert_int_equal(find(&t, "decode.lm_head")->repeat, 250);
    int64_t want = 2 * 40 * 40 * 128 * causal_keys(101, 250, INT64_MAX);
    int64_t decode = 0;
    size_t decode_ops = 0;
    for (size_t i = 0; i < t.count; i++)
        if (!strcmp(t.ops[i].name, "decode.attn.score")) {
            decode += mp_trace_op_macs(&t.ops[i]);
            decode_ops++;
        }
    assert_int_equal(decode, want);
    assert_true(decode_ops <= 2 * 4); /* 4 buckets of 64 steps */
    assert_int_equal(t.tokens_in, 200);
    assert_int_equal(t.tokens_out, 2 * 251);
    mp_trace_free(&t);
    /* an 80-layer model is as cheap as a 32-layer one */
    mp_trace a, b;
    build_ok("llama2-70b", "w4a16g128", MP_PHASE_PREFILL, 256, 1, 0, 0, &a);
    build_ok("llama2-7b", "w4a16g128", MP_PHASE_PREFILL, 256, 1, 0, 0, &b);
    assert_int_equal(a.count, b.count);
    mp_trace_free(&a);
    mp_trace_free(&b);
}

static void test_vector_ops(void **state)
{
    (void)state;
    mp_trace t;
    build_ok("opt-6.7b", "w8a8", MP_PHASE_PREFILL, 16, 1, 0, 0, &t);
    const mp_trace_op *n = find(&t, "prefill.attn.norm");
    assert_string_equal(n->vec_op, "layernorm");
    assert_int_equal(n->m, 16 * 4096);
    assert_string_equal(find(&t, "prefill.ffn.act")->vec_op, "relu");
    assert_int_equal(find(&t, "prefill.ffn.act")->m, 16 * 16384);
    assert_non_null(find(&t, "prefill.embed.pos_add"));
    assert_non_null(find(&t, "prefill.attn.in_quant.int8"));
    assert_int_equal(find(&t, "prefill.ffn.down_in_quant.int8")->m, 16 * 16384);
    int64_t softmax = 0; /* one element per (row, key) of every head */
    for (size_t i = 0; i < t.count; i++)
        if (!strcmp(t.ops[i].name, "prefill.attn.softmax"))
            softmax += t.ops[i].m * t.ops[i].repeat;
    assert_int_equal(softmax, 32 * 32 * causal_keys(1, 16, INT64_MAX));
    mp_trace_free(&t);
    build_ok("qwen2.5-7b", "w4a16g128", MP_PHASE_PREFILL, 8, 1, 0, 0, &t);
    assert_int_equal(find(&t, "prefill.attn.qkv_bias")->m, 8 * (3584 + 2 * 512));
    assert_int_equal(find(&t, "prefill.attn.rope")->m, 8 * (3584 + 512));
    assert_string_equal(find(&t, "prefill.ffn.act")->vec_op, "silu_mul");
    for (size_t i = 0; i < t.count; i++) /* a16: nothing to quantize */
        assert_null(strstr(t.ops[i].name, "quant"));
    assert_int_equal(find(&t, "prefill.lm_head")->m, 1);
    mp_trace_free(&t);
}

/* ---- quantization ----------------------------------------------------- */

static void test_scheme_parse(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        mp_wkind kind;
        int bits, group, zeros, kv;
        mp_act_fmt act;
    } good[] = {
        {"w4a16g128", MP_W_SIGNED, 4, 128, 0, 0, MP_ACT_FP16},
        {"w4a8g128", MP_W_SIGNED, 4, 128, 0, 0, MP_ACT_INT8},
        {"w8a8", MP_W_SIGNED, 8, 0, 0, 0, MP_ACT_INT8},
        {"w2a8", MP_W_SIGNED, 2, 0, 0, 0, MP_ACT_INT8},
        {"w1.58a8", MP_W_TERNARY, 2, 0, 0, 0, MP_ACT_INT8},
        {"w3a16g64", MP_W_SIGNED, 3, 64, 0, 0, MP_ACT_FP16},
        {"w4a16g128-asym", MP_W_UNSIGNED, 4, 128, 1, 0, MP_ACT_FP16},
        {"w4a16g128,kv8", MP_W_SIGNED, 4, 128, 0, 8, MP_ACT_FP16},
        {"w4a8g128-kv4", MP_W_SIGNED, 4, 128, 0, 4, MP_ACT_INT8},
        {"w4a16g128-asym,kv16", MP_W_UNSIGNED, 4, 128, 1, 16, MP_ACT_FP16},
        {"w4afp8e4m3g128", MP_W_SIGNED, 4, 128, 0, 0, MP_ACT_FP8_E4M3},
        {"w8abf16", MP_W_SIGNED, 8, 0, 0, 0, MP_ACT_BF16},
        {"w4a4", MP_W_SIGNED, 4, 0, 0, 0, MP_ACT_INT4},
        {"w4aint4g32", MP_W_SIGNED, 4, 32, 0, 0, MP_ACT_INT4},
        {"w16a16", MP_W_FP16, 16, 0, 0, 0, MP_ACT_FP16},
        {"w16a16,kv8", MP_W_FP16, 16, 0, 0, 8, MP_ACT_FP16},
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        mp_quant_scheme s;
        mp_diag d = {{0}};
        if (mp_quant_parse(good[i].text, &s, &cmdline, &d) != 0)
            fail_msg("%s: %s", good[i].text, d.msg);
        assert_int_equal(s.q.w.kind, good[i].kind);
        assert_int_equal(s.q.w.bits, good[i].bits);
        assert_int_equal(s.q.group_size, good[i].group);
        assert_int_equal(s.q.has_zeros, good[i].zeros);
        assert_int_equal(s.kv_bits, good[i].kv);
        assert_int_equal(s.q.act, good[i].act);
    }
    static const char *const bad[] = {
        "", "w4", "w9a8", "w0a8", "w32a16", "w16a16g128", "w16a16-asym",
        "w16a8", "a8w4", "w4a5", "w4a16g",
        "w4a16g1", "w4a16g128-foo", "w1.58a8-asym", "w4a16,kv3",
        "w4a16,kv8,kv8", "w4a16g128x", "w4afp9", "w4a16-a", "w4a16-asymm",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mp_quant_scheme s;
        mp_diag d = {{0}};
        assert_int_equal(mp_quant_parse(bad[i], &s, &cmdline, &d), -1);
        assert_string_equal(d.field, "--quant");
        assert_string_equal(d.file, MP_CMDLINE);
        assert_true(d.msg[0] != '\0');
    }
}

static void test_overrides(void **state)
{
    (void)state;
    mp_quant_config q;
    mp_diag d = {{0}};
    mp_quant_origin ov = {.file = MP_CMDLINE, .field = "--override"};
    assert_int_equal(mp_quant_config_init(&q, "w4a16g128,kv8", &cmdline, &d), 0);
    assert_int_equal(mp_quant_config_add_override(&q, "layers.0-1=w8a8", &ov, &d), 0);
    assert_int_equal(mp_quant_config_add_override(&q, "lm_head=w8a16", &ov, &d), 0);
    assert_int_equal(mp_quant_config_add_override(&q, "layers.5.ffn=w2a8", &ov, &d), 0);
    assert_int_equal(mp_quant_config_add_override(&q, "down_proj=w3a16g64", &ov, &d), 0);
    assert_int_equal(mp_quant_config_add_override(&q, "layers.1.attn=w8a8,kv4", &ov, &d), 0);
    assert_int_equal(mp_quant_resolve(&q, 0, "q_proj", NULL)->q.w.bits, 8);
    assert_int_equal(mp_quant_resolve(&q, 2, "q_proj", NULL)->q.w.bits, 4);
    assert_int_equal(mp_quant_resolve(&q, -1, "lm_head", NULL)->q.w.bits, 8);
    assert_int_equal(mp_quant_resolve(&q, 5, "gate_proj", NULL)->q.w.bits, 2);
    assert_int_equal(mp_quant_resolve(&q, 5, "o_proj", NULL)->q.w.bits, 4);
    assert_int_equal(mp_quant_resolve(&q, 5, "down_proj", NULL)->q.w.bits, 3);
    assert_int_equal(mp_quant_resolve(&q, 0, "down_proj", NULL)->q.w.bits, 3);
    assert_int_equal(mp_quant_kv_bits(&q, 1), 4);
    assert_int_equal(mp_quant_kv_bits(&q, 0), 8);
    static const char *const bad[] = {
        "w8a8", "=w8a8", "layers.0-1=", "layers.3-1=w8a8", "layers.x=w8a8",
        "layers.0.mlp=w8a8", "ffn_up=w8a8", "layers.0.lm_head=w8a8",
        "lm_head=w8a8,kv4", "layers.0=w8",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mp_diag e = {{0}};
        if (mp_quant_config_add_override(&q, bad[i], &ov, &e) != -1)
            fail_msg("accepted override %s", bad[i]);
        assert_string_equal(e.field, "--override");
    }
    /* the trace groups layers by effective quantization */
    mp_model m;
    load_model("llama2-7b", &m);
    mp_scenario s;
    mp_scenario_init(&s);
    s.seq = 4;
    mp_trace t;
    assert_int_equal(mp_trace_build(&m, &s, &q, &t, &d), 0);
    int seen_0 = 0, seen_rest = 0;
    for (size_t i = 0; i < t.count; i++)
        if (!strcmp(t.ops[i].name, "prefill.attn.q_proj")) {
            if (!strcmp(t.ops[i].layers, "0"))
                seen_0 = t.ops[i].wfmt.bits == 8 && t.ops[i].repeat == 1;
            if (!strcmp(t.ops[i].layers, "2-4,6-31"))
                seen_rest = t.ops[i].wfmt.bits == 4 && t.ops[i].repeat == 29;
        }
    assert_true(seen_0 && seen_rest);
    assert_int_equal(find(&t, "prefill.lm_head")->wfmt.bits, 8);
    mp_trace_free(&t);
    /* an override beyond the model's layers */
    assert_int_equal(mp_quant_config_add_override(&q, "layers.32=w8a8", &ov, &d), 0);
    assert_int_equal(mp_trace_build(&m, &s, &q, &t, &d), -1);
    assert_string_equal(d.field, "--override");
    assert_non_null(strstr(d.msg, "layer 32 does not exist"));
}

static void test_group_size_errors(void **state)
{
    (void)state;
    mp_trace t;
    mp_diag d = {{0}};
    assert_int_equal(try_build("bitnet-b1.58-3b", "w4a16g128",
                               MP_PHASE_PREFILL, 8, 1, 0, 0, &t, &d), -1);
    assert_string_equal(d.field, "--quant");
    assert_non_null(strstr(d.msg, "K = 8640"));
    assert_non_null(strstr(d.msg, "ffn.down_proj"));
    /* the same with a YAML scheme file: the error names its line */
    const char *path = write_tmp("q.yaml", "scheme: w4a16g64\noverrides:\n"
                                 "  lm_head: w8a16\n  layers.2.ffn: w4a16g96\n");
    mp_quant_config q;
    assert_int_equal(mp_quant_config_load(path, &q, &d), 0);
    mp_model m;
    load_model("llama2-7b", &m);
    mp_scenario s;
    mp_scenario_init(&s);
    s.seq = 4;
    assert_int_equal(mp_trace_build(&m, &s, &q, &t, &d), -1);
    assert_string_equal(d.file, path);
    assert_int_equal(d.line, 4);
    assert_string_equal(d.field, "overrides.layers.2.ffn");
    assert_non_null(strstr(d.msg, "K = 4096 of ffn.gate_proj"));
    /* a bad scheme in a file */
    path = write_tmp("q2.yaml", "scheme: w4a16g64\noverrides:\n  lm_head: w8a3\n");
    assert_int_equal(mp_quant_config_load(path, &q, &d), -1);
    assert_int_equal(d.line, 3);
    path = write_tmp("q3.yaml", "scheme: w4a16g64\nextra: 1\n");
    assert_int_equal(mp_quant_config_load(path, &q, &d), -1);
    assert_string_equal(d.field, "extra");
}

static void test_bad_scenarios(void **state)
{
    (void)state;
    mp_trace t;
    static const struct {
        mp_phase phase;
        int64_t seq, batch, steps;
        const char *field;
    } bad[] = {
        {MP_PHASE_PREFILL, 0, 1, 0, "--seq"},
        {MP_PHASE_PREFILL, 16, 0, 0, "--batch"},
        {MP_PHASE_REQUEST, 16, 1, 0, "--decode-steps"},
        {MP_PHASE_PREFILL, 16, 1, 4, "--decode-steps"},
        {MP_PHASE_PREFILL, 4097, 1, 0, "--seq"},
        {MP_PHASE_DECODE, 4096, 1, 0, "--seq"},
        {MP_PHASE_REQUEST, 4000, 1, 97, "--seq"},
        {MP_PHASE_PREFILL, 4096, INT64_C(1) << 30, 0, "--batch"}, /* 2^42 rows */
        {MP_PHASE_PREFILL, 4096, INT64_C(1) << 20, 0, "--seq"}, /* MACs > 2^63 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        mp_diag d = {{0}};
        if (try_build("llama2-70b", "w4a16g128", bad[i].phase, bad[i].seq,
                      bad[i].batch, bad[i].steps, 0, &t, &d) != -1)
            fail_msg("case %zu accepted", i);
        assert_string_equal(d.field, bad[i].field);
        assert_string_equal(d.file, MP_CMDLINE);
        assert_int_equal(t.count, 0);
    }
}

/* ---- trace YAML ------------------------------------------------------- */

static void assert_same_trace(const mp_trace *a, const mp_trace *b)
{
    assert_string_equal(a->model, b->model);
    assert_string_equal(a->phase, b->phase);
    assert_string_equal(a->quant, b->quant);
    assert_int_equal(a->seq, b->seq);
    assert_int_equal(a->batch, b->batch);
    assert_int_equal(a->decode_steps, b->decode_steps);
    assert_int_equal(a->tokens_in, b->tokens_in);
    assert_int_equal(a->tokens_out, b->tokens_out);
    assert_int_equal(a->count, b->count);
    for (size_t i = 0; i < a->count; i++)
        if (!mp_trace_op_equal(&a->ops[i], &b->ops[i]))
            fail_msg("op %zu (%s) differs after the round trip", i,
                     a->ops[i].name);
}

static void test_round_trip(void **state)
{
    (void)state;
    mp_trace a, b;
    mp_diag d = {{0}};
    build_ok("llama3-70b", "w4a8g128-asym,kv4", MP_PHASE_REQUEST, 700, 3, 77,
             0, &a);
    a.ops[0].ops_per_element = 1.0 / 3.0; /* a double that needs 17 digits */
    const char *path = write_tmp("trace.yaml", "");
    assert_int_equal(mp_trace_save(&a, path, &d), 0);
    assert_int_equal(mp_trace_read(path, &b, &d), 0);
    assert_same_trace(&a, &b);
    mp_trace_free(&b);
    assert_int_equal(mp_trace_load(path, &b, &d), 0);
    assert_same_trace(&a, &b);
    mp_trace_free(&a);
    mp_trace_free(&b);
    build_ok("bitnet-b1.58-3b", "w1.58a8", MP_PHASE_PREFILL, 100, 1, 0, 0, &a);
    assert_int_equal(find(&a, "prefill.attn.q_proj")->wfmt.kind, MP_W_TERNARY);
    assert_int_equal(mp_trace_save(&a, path, &d), 0);
    assert_int_equal(mp_trace_read(path, &b, &d), 0);
    assert_same_trace(&a, &b);
    mp_trace_free(&a);
    mp_trace_free(&b);
    /* MoE expert counts, stored matrices and the memory footprint too */
    build_ok("deepseek-v2-lite", "w4a16g64,kv8", MP_PHASE_REQUEST, 300, 5, 9,
             0, &a);
    assert_true(find(&a, "decode.ffn.experts.up_proj")->experts > 1);
    assert_int_equal(find(&a, "prefill.ffn.experts.up_proj")->stored, 26 * 64);
    assert_true(a.kv_cache_bytes == 5.0 * 309 * 27 * 576);
    assert_int_equal(mp_trace_save(&a, path, &d), 0);
    assert_int_equal(mp_trace_read(path, &b, &d), 0);
    assert_same_trace(&a, &b);
    assert_true(b.kv_cache_bytes == a.kv_cache_bytes &&
                b.activation_bytes == a.activation_bytes &&
                b.table_bytes == a.table_bytes);
    mp_trace_free(&a);
    mp_trace_free(&b);
}

static void expect_trace_error(const char *text, int line, const char *field)
{
    const char *path = write_tmp("bad.yaml", text);
    mp_trace t;
    mp_diag d = {{0}};
    assert_int_equal(mp_trace_read(path, &t, &d), -1);
    if (d.line != line || strcmp(d.field, field))
        fail_msg("got %d: %s: %s, wanted %d: %s", d.line, d.field, d.msg, line,
                 field);
    assert_int_equal(t.count, 0);
}

#define HDR "format: mpsim-trace-1\nmodel: x\nphase: prefill\nseq: 1\nbatch: 1\n" \
            "decode_steps: 0\ntokens_in: 1\ntokens_out: 1\nops:\n"

static void test_trace_read_errors(void **state)
{
    (void)state;
    expect_trace_error(HDR "- {name: a, kind: gemm_weight, m: 1, n: 2, k: 64, "
                       "repeat: 1, act: fp16, weight: int4, group_size: 48, "
                       "zeros: false}\n", 10, "ops[0].group_size");
    expect_trace_error(HDR "- {name: a, kind: matmul, m: 1}\n", 10, "ops[0].kind");
    expect_trace_error(HDR "- {name: a, kind: vector, m: 1, repeat: 1, vec_op: x, "
                       "ops_per_element: 1, b_bits: 4}\n", 10, "ops[0].b_bits");
    expect_trace_error(HDR "- {name: a, kind: gemm_act, m: 1099511627776, n: "
                       "1099511627776, k: 4, repeat: 1, act: fp16, b_bits: 4}\n",
                       10, "ops[0].repeat");
    expect_trace_error(HDR "- {name: a, kind: gemm_act, m: 0, n: 1, k: 1, "
                       "repeat: 1, act: fp16, b_bits: 4}\n", 10, "ops[0].m");
    expect_trace_error(HDR "- {name: a, kind: gemm_act, m: 1, n: 1, k: 1, "
                       "repeat: 1, act: fp17, b_bits: 4}\n", 10, "ops[0].act");
    expect_trace_error("format: mpsim-trace-1\nmodel: x\nphase: prefill\n"
                       "seq: 1\nbatch: 1\ndecode_steps: 0\ntokens_in: 1\n"
                       "tokens_out: 1\nops: []\n", 9, "ops");
    expect_trace_error("format: other\n", 1, "format");
}

/* ---- SCALE-Sim -------------------------------------------------------- */

static void test_scalesim(void **state)
{
    (void)state;
    mp_trace t;
    mp_diag d = {{0}};
    const char *gemm = write_tmp("g.csv", "Layer, M, N, K,\nQKV, 512, 12288, "
                                 "4096,\n\nFFN1, 512, 11008, 4096\n");
    assert_int_equal(mp_trace_load(gemm, &t, &d), 0);
    assert_int_equal(t.count, 2);
    assert_string_equal(t.model, "g");
    assert_string_equal(t.ops[0].name, "QKV");
    assert_int_equal(t.ops[0].m, 512);
    assert_int_equal(t.ops[0].n, 12288);
    assert_int_equal(t.ops[0].k, 4096);
    assert_int_equal(t.ops[1].n, 11008);
    assert_int_equal(t.ops[0].act, MP_ACT_INT8);
    assert_int_equal(t.ops[0].wfmt.bits, 8);
    mp_trace_free(&t);
    /* AlexNet conv1 (227x227x3, 11x11, 96 filters, stride 4): 55x55 out */
    const char *conv = write_tmp("c.csv",
        "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
        "Channels, Num Filter, Strides,\n"
        "Conv1, 227, 227, 11, 11, 3, 96, 4,\n"
        "Conv2, 31, 31, 5, 5, 96, 256, 1,\n"
        "CONV_DP1, 114, 114, 3, 3, 32, 1, 1,\n");
    assert_int_equal(mp_scalesim_topo_read(conv, &t, &d), 0);
    assert_int_equal(t.count, 3);
    assert_int_equal(t.ops[0].m, 55 * 55);
    assert_int_equal(t.ops[0].n, 96);
    assert_int_equal(t.ops[0].k, 11 * 11 * 3);
    assert_int_equal(t.ops[1].m, 27 * 27);
    assert_int_equal(t.ops[1].k, 5 * 5 * 96);
    assert_int_equal(t.ops[2].m, 112 * 112);
    assert_int_equal(t.ops[2].k, 9);
    assert_int_equal(t.ops[2].repeat, 32);
    mp_trace_free(&t);
    /* 9-column form: separate width stride */
    const char *conv9 = write_tmp("c9.csv", "Layer name, IFMAP Height, IFMAP "
        "Width, Filter Height, Filter Width, Channels, Num Filter, Stride "
        "height, Stride width,\nL, 10, 10, 2, 2, 4, 8, 2, 1,\n");
    assert_int_equal(mp_scalesim_topo_read(conv9, &t, &d), 0);
    assert_int_equal(t.ops[0].m, 5 * 9);
    mp_trace_free(&t);
    /* SCALE-Sim v3's 9th column "Batch Size" (topologies/llama/llama3b.csv)
     * is no stride: batch 4 read as a width stride gave M = 65,536 */
    const char *v3 = write_tmp("v3.csv", "Layer name,     IFMAP Height, "
        "IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
        "Strides, Batch Size,\nEmbedding,      512,          512,         "
        "1,             1,            3,        4096,       1,       4,\n");
    assert_int_equal(mp_scalesim_topo_read(v3, &t, &d), 0);
    assert_int_equal(t.ops[0].m, 512 * 512);
    assert_int_equal(t.ops[0].repeat, 4);
    assert_int_equal(t.ops[0].k, 3);
    mp_trace_free(&t);
    static const struct { const char *text; int line; const char *field; } bad[] = {
        {"Layer, M, N, K,\nA, 1, x, 3,\n", 2, "N"},
        {"Layer, M, N, K,\nA, 1, 2,\n", 2, "row"},
        {"Layer, M, N, K,\nA, 0, 2, 3,\n", 2, "M"},
        {"Layer, M, N, K,\n", 1, "rows"},
        {"Layer, X,\n", 1, "header"},
        {"Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, "
         "Channels, Num Filter, Strides,\nC, 3, 3, 5, 1, 1, 1, 1,\n", 2,
         "Filter Height"},
        {"Layer, M, N, K,\nA, 4000000, 4000000, 4000000,\n", 2, "row"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *p = write_tmp("bad.csv", bad[i].text);
        assert_int_equal(mp_scalesim_topo_read(p, &t, &d), -1);
        if (d.line != bad[i].line || strcmp(d.field, bad[i].field))
            fail_msg("case %zu: got %d: %s: %s", i, d.line, d.field, d.msg);
        assert_int_equal(t.count, 0);
    }
    assert_int_equal(mp_trace_load("/nonexistent.csv", &t, &d), -1);
}

/* ---- the shared option set -------------------------------------------- */

/* Element-wise extras are vector ops, never GEMM work: Gemma-2's
 * soft-capping (one op per attention score, as many elements as the
 * softmax, and one per logit) and BitNet 2B4T's subln norms (heads x d
 * before o_proj, intermediate before down_proj).  Turning them off
 * removes exactly those ops and leaves every other op as it was. */
static double vec_elements(const mp_trace *t, const char *suffix)
{
    double sum = 0;
    size_t n = strlen(suffix);
    for (size_t i = 0; i < t->count; i++) {
        size_t len = strlen(t->ops[i].name);
        if (len >= n && !strcmp(t->ops[i].name + len - n, suffix)) {
            assert_int_equal(t->ops[i].kind, MP_OP_VECTOR);
            sum += (double)t->ops[i].m * (double)t->ops[i].repeat;
        }
    }
    return sum;
}

static void build_model(const mp_model *m, mp_trace *t)
{
    mp_diag d = {{0}};
    mp_quant_config q;
    assert_int_equal(mp_quant_config_init(&q, "w8a8", &cmdline, &d), 0);
    mp_scenario s;
    mp_scenario_init(&s);
    s.phase = MP_PHASE_REQUEST;
    s.seq = 300;
    s.batch = 2;
    s.decode_steps = 5;
    if (mp_trace_build(m, &s, &q, t, &d))
        fail_msg("%s: %s", d.field, d.msg);
}

/* `with` minus its ops named *suffix1 or *suffix2 equals `without`. */
static void same_but(const mp_trace *with, const mp_trace *without,
                     const char *suffix1, const char *suffix2)
{
    size_t j = 0, dropped = 0;
    for (size_t i = 0; i < with->count; i++) {
        const char *name = with->ops[i].name;
        size_t len = strlen(name);
        if ((len > strlen(suffix1) &&
             !strcmp(name + len - strlen(suffix1), suffix1)) ||
            (len > strlen(suffix2) &&
             !strcmp(name + len - strlen(suffix2), suffix2))) {
            dropped++;
            continue;
        }
        assert_true(j < without->count);
        if (!mp_trace_op_equal(&with->ops[i], &without->ops[j++]))
            fail_msg("%s differs", name);
    }
    assert_int_equal(j, without->count);
    assert_true(dropped > 0);
}

static void test_elementwise_extras(void **state)
{
    (void)state;
    mp_model m, off;
    mp_trace t, u;
    load_model("gemma2-9b", &m);
    assert_true(m.attn_softcap == 50.0 && m.final_softcap == 30.0);
    build_model(&m, &t);
    assert_true(vec_elements(&t, ".attn.softcap") > 0);
    assert_true(vec_elements(&t, ".attn.softcap") ==
                vec_elements(&t, ".attn.softmax"));
    /* LM-head rows: the prefill's last tokens, then one per step */
    assert_true(vec_elements(&t, ".lm_head.softcap") ==
                (double)m.vocab * 2 * (1 + 5));
    off = m;
    off.attn_softcap = off.final_softcap = 0;
    build_model(&off, &u);
    same_but(&t, &u, ".attn.softcap", ".lm_head.softcap");
    mp_trace_free(&t);
    mp_trace_free(&u);

    load_model("tests/data/hf/families/bitnet-b1.58-2b-4t.json", &m);
    assert_int_equal(m.sub_norms, 1);
    build_model(&m, &t);
    double rows = 2.0 * 300 + 2.0 * 5; /* prefill rows + decode rows */
    assert_true(vec_elements(&t, ".attn.sub_norm") ==
                rows * m.layers * (double)(m.heads * m.head_dim));
    assert_true(vec_elements(&t, ".ffn.sub_norm") ==
                rows * m.layers * (double)m.intermediate);
    off = m;
    off.sub_norms = 0;
    build_model(&off, &u);
    same_but(&t, &u, ".attn.sub_norm", ".ffn.sub_norm");
    assert_int_equal(mp_model_param_count(&m) - mp_model_param_count(&off),
                     m.layers * (m.hidden + m.intermediate));
    mp_trace_free(&t);
    mp_trace_free(&u);
}

/* DeepSeek-V3 multi-token prediction (--mtp 1): each op of the MTP
 * module's decoder layer (numbered 61, after the main layers) has the
 * shapes of the main MoE layers' op of the same name, once; eh_proj is
 * 2 hidden -> hidden; the head shares the main head (not stored twice);
 * the module's stored weights match the 11.5B of DeepSeek's
 * README_WEIGHTS.md (deepseek-ai/DeepSeek-V3 b4e06d8) within 1%; one
 * more layer of KV cache; layers.61 can be overridden only with --mtp;
 * models without MTP modules refuse --mtp. */
static void build_mtp(int64_t mtp, const char *override, mp_phase phase,
                      mp_trace *t, mp_diag *d, int *rc)
{
    mp_model m;
    load_model("tests/data/hf/families/deepseek-v3.json", &m);
    mp_quant_config q;
    assert_int_equal(mp_quant_config_init(&q, "w8a8", &cmdline, d), 0);
    if (override)
        assert_int_equal(mp_quant_config_add_override(&q, override, &cmdline,
                                                      d), 0);
    mp_scenario s;
    mp_scenario_init(&s);
    s.phase = phase;
    s.seq = 100;
    s.batch = 2;
    s.mtp = mtp;
    *rc = mp_trace_build(&m, &s, &q, t, d);
}

static void test_mtp(void **state)
{
    (void)state;
    mp_trace t0, t1;
    mp_diag d = {{0}};
    int rc;
    build_mtp(0, NULL, MP_PHASE_DECODE, &t0, &d, &rc);
    assert_int_equal(rc, 0);
    build_mtp(1, NULL, MP_PHASE_DECODE, &t1, &d, &rc);
    assert_int_equal(rc, 0);
    double stored = 0;
    int layer_ops = 0;
    for (size_t i = 0; i < t1.count; i++) {
        const mp_trace_op *op = &t1.ops[i];
        const char *mtp = strstr(op->name, ".mtp.");
        if (!mtp)
            continue;
        if (op->kind == MP_OP_GEMM_WEIGHT)
            stored += (double)op->n * (double)op->k * (double)op->stored;
        if (!strcmp(mtp, ".mtp.eh_proj")) {
            assert_int_equal(op->n, 7168);
            assert_int_equal(op->k, 2 * 7168);
            assert_int_equal(op->m, 2);
        } else if (!strcmp(mtp, ".mtp.lm_head")) {
            assert_int_equal(op->stored, 0);
            assert_int_equal(op->n, 129280);
        } else if (op->layers[0]) {
            assert_string_equal(op->layers, "61");
            char main_name[sizeof op->name];
            snprintf(main_name, sizeof main_name, "decode.%s", mtp + 5);
            const mp_trace_op *ref = NULL;
            for (size_t j = 0; j < t0.count && !ref; j++)
                if (!strcmp(t0.ops[j].name, main_name) &&
                    !strcmp(t0.ops[j].layers, "3-60"))
                    ref = &t0.ops[j];
            if (!strcmp(mtp, ".mtp.enorm") || !strcmp(mtp, ".mtp.hnorm") ||
                !strncmp(mtp, ".mtp.eh_in_quant", 16))
                continue;
            if (!ref)
                fail_msg("%s has no main-layer counterpart", op->name);
            assert_int_equal(op->m, ref->m);
            assert_int_equal(op->n, ref->n);
            assert_int_equal(op->k, ref->k);
            assert_int_equal(op->repeat * 58, ref->repeat);
            layer_ops++;
        }
    }
    assert_true(layer_ops > 20);
    if (fabs(stored / 11.5e9 - 1) > 0.01)
        fail_msg("MTP module stores %.4g weights, DeepSeek: 11.5B", stored);
    assert_true(fabs(t1.kv_cache_bytes / t0.kv_cache_bytes - 62.0 / 61.0) <
                1e-12);
    assert_int_equal(t1.tokens_out, t0.tokens_out);
    mp_trace_free(&t0);
    mp_trace_free(&t1);

    /* prefill: the MTP layer sees every prompt row, its head the last */
    build_mtp(1, NULL, MP_PHASE_PREFILL, &t1, &d, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(find(&t1, "prefill.mtp.eh_proj")->m, 200);
    assert_int_equal(find(&t1, "prefill.mtp.lm_head")->m, 2);
    mp_trace_free(&t1);

    /* the MTP layer is layer 61 for overrides */
    build_mtp(1, "layers.61=w4a16g128", MP_PHASE_DECODE, &t1, &d, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(find(&t1, "decode.mtp.eh_proj")->wfmt.bits, 4);
    assert_int_equal(find(&t1, "decode.attn.o_proj")->wfmt.bits, 8);
    mp_trace_free(&t1);
    build_mtp(0, "layers.61=w4a16g128", MP_PHASE_DECODE, &t1, &d, &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(d.msg, "layer 61 does not exist"));

    build_mtp(2, NULL, MP_PHASE_DECODE, &t1, &d, &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(d.field, "--mtp");
    mp_scenario s;
    mp_scenario_init(&s);
    s.seq = 8;
    s.mtp = 1;
    mp_model m;
    load_model("llama2-7b", &m);
    mp_quant_config q;
    assert_int_equal(mp_quant_config_init(&q, "w8a8", &cmdline, &d), 0);
    assert_int_equal(mp_trace_build(&m, &s, &q, &t1, &d), -1);
    assert_string_equal(d.field, "--mtp");
}

static void test_opts(void **state)
{
    (void)state;
    mp_trace_opts o;
    mp_trace t;
    mp_diag d = {{0}};
    mp_trace_opts_init(&o);
    assert_false(mp_trace_opts_any(&o));
    assert_int_equal(mp_trace_opts_set(&o, "model", "llama2-7b", &d), 1);
    assert_int_equal(mp_trace_opts_set(&o, "--phase", "request", &d), 1);
    assert_int_equal(mp_trace_opts_set(&o, "seq", "64", &d), 1);
    assert_int_equal(mp_trace_opts_set(&o, "quant", "w4a16g128", &d), 1);
    assert_int_equal(mp_trace_opts_build(&o, &t, &d), -2); /* no steps */
    assert_string_equal(d.field, "--decode-steps");
    assert_int_equal(mp_trace_opts_set(&o, "decode_steps", "8", &d), 1);
    assert_int_equal(mp_trace_opts_set(&o, "override", "lm_head=w8a16", &d), 1);
    assert_int_equal(mp_trace_opts_set(&o, "array-rows", "8", &d), 0);
    assert_int_equal(mp_trace_opts_set(&o, "seq", "6x", &d), -1);
    assert_string_equal(d.field, "--seq");
    assert_int_equal(mp_trace_opts_set(&o, "phase", "train", &d), -1);
    assert_int_equal(mp_trace_opts_set(&o, "lm-head", "some", &d), -1);
    assert_true(mp_trace_opts_any(&o));
    assert_int_equal(mp_trace_opts_build(&o, &t, &d), 0);
    assert_int_equal(t.decode_steps, 8);
    assert_int_equal(find(&t, "decode.lm_head")->wfmt.bits, 8);
    mp_trace_free(&t);
    mp_trace_opts_init(&o);
    assert_int_equal(mp_trace_opts_build(&o, &t, &d), -2);
    assert_string_equal(d.field, "--model");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefill_causal_exact),
        cmocka_unit_test(test_prefill_bucket_shapes),
        cmocka_unit_test(test_sliding_window),
        cmocka_unit_test(test_decode_gqa),
        cmocka_unit_test(test_request_merges_steps),
        cmocka_unit_test(test_vector_ops),
        cmocka_unit_test(test_scheme_parse),
        cmocka_unit_test(test_overrides),
        cmocka_unit_test(test_group_size_errors),
        cmocka_unit_test(test_bad_scenarios),
        cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_trace_read_errors),
        cmocka_unit_test(test_scalesim),
        cmocka_unit_test(test_elementwise_extras),
        cmocka_unit_test(test_mtp),
        cmocka_unit_test(test_opts),
    };
    return cmocka_run_group_tests(tests, tmpfiles_setup, tmpfiles_teardown);
}
