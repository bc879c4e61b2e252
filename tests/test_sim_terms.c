/*
 * test_sim_terms.c - the model terms an FPGA accelerator such as FlightLLM
 * needs beyond the array (docs/model.md, "DRAM layout", "Control
 * overheads", "FPGA power"), each worked by hand:
 *   - N:M sparse weights stored compressed (kept codes + log2 M index
 *     bits), reported by the PE (pe.h stored_wbits) and followed by the
 *     DRAM traffic;
 *   - controller cycles per instruction and per op, from the arch YAML
 *     (strictly read);
 *   - the clocked power of the UltraRAM blocks that hold the buffers.
 * Runs from the repository root (presets and tech tables are read there).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/arch.h"
#include "sim/simulate.h"
#include "tests/trace_ops.h"

static void near(double got, double want, double rel)
{
    if (!(fabs(got - want) <= rel * fabs(want)))
        fail_msg("got %.9g, want %.9g", got, want);
}

/* ---- compressed N:M weights ------------------------------------------ */

static double stored_bits(int wbits, int n, int m)
{
    const mp_pe_ops *ops = mp_pe_find("dsp-chain");
    mp_pe_params p;
    mp_pe_params_init(&p);
    p.wfmt = (mp_wfmt){MP_W_SIGNED, wbits};
    p.sparse_n = n, p.sparse_m = m;
    mp_diag d;
    assert_int_equal(ops->check(&p, &d), 0);
    mp_pe_timing t;
    ops->timing(&p, &t);
    return t.stored_wbits;
}

/* N/M x (code bits + log2 M): INT4 4:16 -> 1/4 x (4 + 4) = 2 bits; 8:16
 * -> 1/2 x 8 = 4 bits (no saving: the index eats it); INT8 2:16 -> 1/8 x
 * 12 = 1.5; 2:4 INT4 -> 1/2 x (4 + 2) = 3; dense and 16:16 store the
 * code width.  Families without sparsity report 0 (= the code width). */
static void stored_wbits_by_hand(void **state)
{
    (void)state;
    near(stored_bits(4, 4, 16), 2.0, 1e-12);
    near(stored_bits(4, 8, 16), 4.0, 1e-12);
    near(stored_bits(8, 2, 16), 1.5, 1e-12);
    near(stored_bits(4, 2, 4), 3.0, 1e-12);
    near(stored_bits(4, 16, 16), 4.0, 1e-12);
    near(stored_bits(4, 0, 0), 4.0, 1e-12);
    for (int i = 0; mp_pe_registry[i]; i++) {
        const mp_pe_ops *ops = mp_pe_registry[i];
        mp_pe_params p;
        mp_pe_params_init(&p);
        mp_diag d;
        if (ops->check(&p, &d))
            continue; /* family default precision differs; not this test */
        mp_pe_timing t;
        ops->timing(&p, &t);
        assert_true(t.stored_wbits == 0 || t.stored_wbits == p.wfmt.bits);
    }
}

static const char sparse_yaml[] =
    "name: s\n"
    "tech: xcup\n"
    "pe: {family: dsp-chain, weights: int4, act: int8, group_size: 128,"
    " chain_len: 16, pack_products: 2, sparse_n: 4, sparse_m: 16}\n"
    "array: {rows: 16, cols: 8, clock_hz: 225e6}\n"
    "buffers:\n"
    "  weight: {kib: 1024}\n"
    "  act: {kib: 1024}\n"
    "  out: {kib: 256}\n"
    "dram: {gbytes_per_s: 100, read_pj_bit: 1, write_pj_bit: 1}\n";

static void open_text(const char *text, mp_arch *a)
{
    mp_diag d;
    if (mp_arch_load_string(text, "t.yaml", a, &d) || mp_arch_bind(a, &d))
        fail_msg("%s: %s", d.field, d.msg);
}

/* W4A8 G128 symmetric projection */
static mp_trace_op weight_gemm(int64_t m, int64_t n, int64_t k)
{
    return test_weight_gemm(m, n, k, MP_ACT_INT8, 0);
}

/* M = 1, N = 256, K = 1024, INT4, G = 128, FP16 scales, no zero points;
 * everything fits on chip, so each operand crosses once.  4:16 sparse:
 * W = 1024 x 256 x (2 + 16/128) / 8 = 69,632 B, X = 1,024 B ->
 * 70,656 B read.  Dense: 1024 x 256 x 4.125 / 8 + 1024 = 136,192 B. */
static void sparse_weights_cut_dram(void **state)
{
    (void)state;
    mp_arch a;
    open_text(sparse_yaml, &a);
    mp_trace_op op = weight_gemm(1, 256, 1024);
    mp_layer L;
    mp_diag d;
    assert_int_equal(mp_simulate_op(&a, &op, &L, &d), 0);
    near(L.dram_read_bytes, 70656.0, 1e-12);
    mp_arch_free(&a);

    char dense[sizeof sparse_yaml];
    snprintf(dense, sizeof dense, "%s", sparse_yaml);
    char *s = strstr(dense, ", sparse_n: 4, sparse_m: 16");
    assert_non_null(s);
    memmove(s, s + strlen(", sparse_n: 4, sparse_m: 16"),
            strlen(s + strlen(", sparse_n: 4, sparse_m: 16")) + 1);
    open_text(dense, &a);
    assert_int_equal(mp_simulate_op(&a, &op, &L, &d), 0);
    near(L.dram_read_bytes, 136192.0, 1e-12);
    mp_arch_free(&a);
}

/* ---- FP16 weights ------------------------------------------------------ */

static const char fp16w_yaml[] =
    "name: f\n"
    "tech: asic-28nm\n"
    "pe: {family: fp16-mac, weights: fp16, act: fp16, group_size: 128}\n"
    "array: {rows: 4, cols: 4, clock_hz: 1e9}\n"
    "buffers:\n"
    "  weight: {kib: 1024}\n"
    "  act: {kib: 1024}\n"
    "  out: {kib: 256}\n"
    "dram: {gbytes_per_s: 100, read_pj_bit: 1, write_pj_bit: 1}\n";

/* M = 1, N = 256, K = 1024 on fp16-mac; everything fits on chip, so each
 * operand crosses once.  FP16 weights are 16 bits with no scale: W =
 * 1024 x 256 x 2 B = 524,288 B, X = 1,024 x 2 B = 2,048 B -> 526,336 B
 * read, no dequant unit.  INT8 codes in groups of 128 with FP16 scales:
 * 1024 x 256 x (8 + 16/128) / 8 = 266,240 B + 2,048 = 268,288 B, and the
 * dequant unit works once per weight (K x N). */
static void fp16_weights_dram_and_edge(void **state)
{
    (void)state;
    mp_arch a;
    open_text(fp16w_yaml, &a);
    mp_trace_op op = test_weight_gemm(1, 256, 1024, MP_ACT_FP16, 0);
    op.wfmt = (mp_wfmt){MP_W_FP16, 16};
    op.group_size = 1024;
    mp_layer L;
    mp_diag d;
    assert_int_equal(mp_simulate_op(&a, &op, &L, &d), 0);
    near(L.dram_read_bytes, 526336.0, 1e-12);
    near(L.w_bits, 16.0, 1e-12);
    assert_true(L.e.edge == 0.0);
    op.wfmt = (mp_wfmt){MP_W_SIGNED, 8};
    op.group_size = 128;
    assert_int_equal(mp_simulate_op(&a, &op, &L, &d), 0);
    near(L.dram_read_bytes, 268288.0, 1e-12);
    assert_true(L.e.edge > 0.0);
    mp_arch_free(&a);
}

/* An FP16 KV operand (b_bits 16, FP16 activations) runs as FP16 weights
 * in one pass on a PE that takes them: the same array cycles as an 8-bit
 * operand (one pass), where 8-bit slices would take two. */
static void fp16_kv_one_pass(void **state)
{
    (void)state;
    mp_arch a;
    open_text(fp16w_yaml, &a);
    mp_trace_op op = test_act_gemm(64, 64, 128);
    mp_layer L16, L8;
    mp_diag d;
    assert_int_equal(mp_simulate_op(&a, &op, &L16, &d), 0);
    op.b_bits = 8;
    assert_int_equal(mp_simulate_op(&a, &op, &L8, &d), 0);
    assert_true(L16.compute_cycles == L8.compute_cycles);
    mp_arch_free(&a);
}

/* ---- the attention array ------------------------------------------------ */

/* An INT8 array (8 x 8) and an FP16 attention array (2 x 2 fp16-mac, FP16
 * weights) beside it; the same INT8 array without one. */
static const char attn_base_yaml[] =
    "name: at\n"
    "tech: asic-28nm\n"
    "pe: {family: int8-mac, weights: int8, act: int8, group_size: 64}\n"
    "array: {rows: 8, cols: 8, clock_hz: 1e9}\n"
    "buffers:\n"
    "  weight: {kib: 1024}\n"
    "  act: {kib: 1024}\n"
    "  out: {kib: 256}\n"
    "dram: {gbytes_per_s: 100, read_pj_bit: 1, write_pj_bit: 1}\n";
static const char attn_section[] =
    "attention:\n"
    "  pe: {family: fp16-mac, weights: fp16, act: fp16}\n"
    "  rows: 2\n"
    "  cols: 2\n";

/* Q x K^T of M 2, N 2, K 64 in FP16 is one fold of the 2 x 2 attention
 * array: K + R + C - 2 = 64 + 2 = 66 array cycles (fp16-mac, depth 0),
 * where the INT8 array cannot run it at all; a weight GEMM stays on the
 * INT8 array (the same layer as without the attention array).  Both arrays
 * leak through every op: a vector op's leakage grows by the 4 fp16-mac
 * PEs' leakage x its seconds.  The PE area of a run is 64 int8-mac PEs + 4
 * fp16-mac PEs. */
static void attention_array_by_hand(void **state)
{
    (void)state;
    char text[2048];
    mp_arch plain, at;
    open_text(attn_base_yaml, &plain);
    snprintf(text, sizeof text, "%s%s", attn_base_yaml, attn_section);
    open_text(text, &at);
    mp_trace_op op = test_act_gemm(2, 2, 64);
    mp_layer L, P;
    mp_diag d;
    assert_int_equal(mp_simulate_op(&plain, &op, &L, &d), -1);
    assert_int_equal(mp_simulate_op(&at, &op, &L, &d), 0);
    assert_int_equal(L.compute_cycles, 66);
    assert_true(L.peak_macs_per_cycle == 4.0);
    mp_trace_op w = weight_gemm(8, 64, 64);
    w.wfmt = (mp_wfmt){MP_W_SIGNED, 8};
    w.group_size = 64;
    w.act = MP_ACT_INT8;
    assert_int_equal(mp_simulate_op(&plain, &w, &P, &d), 0);
    assert_int_equal(mp_simulate_op(&at, &w, &L, &d), 0);
    assert_int_equal(L.cycles, P.cycles);
    assert_int_equal(L.compute_cycles, P.compute_cycles);
    double attn_leak_w = at.attn_cost.leakage_uw * 1e-6 * 4;
    assert_true(attn_leak_w > 0);
    mp_trace_op v;
    memset(&v, 0, sizeof v);
    snprintf(v.name, sizeof v.name, "norm");
    v.kind = MP_OP_VECTOR;
    v.m = 4096, v.repeat = 1;
    assert_int_equal(mp_simulate_op(&plain, &v, &P, &d), 0);
    assert_int_equal(mp_simulate_op(&at, &v, &L, &d), 0);
    near(L.e.leakage - P.e.leakage, attn_leak_w * L.seconds * 1e12, 1e-9);
    mp_trace t;
    mp_trace_init(&t);
    snprintf(t.phase, sizeof t.phase, "prefill");
    assert_int_equal(mp_trace_add(&t, &op, &d), 0);
    mp_run r;
    assert_int_equal(mp_simulate_trace(&at, &t, &r, &d), 0);
    near(r.pe_area_mm2,
         (at.cost.area_um2 * 64 + at.attn_cost.area_um2 * 4) * 1e-6, 1e-12);
    mp_run_free(&r);
    mp_trace_free(&t);
    mp_arch_free(&plain);
    mp_arch_free(&at);
}

static void attention_bad(const char *section, const char *field,
                          const char *needle)
{
    char text[2048];
    snprintf(text, sizeof text, "%s%s", attn_base_yaml, section);
    mp_arch a;
    mp_diag d;
    int rc = mp_arch_load_string(text, "t.yaml", &a, &d);
    if (!rc) {
        rc = mp_arch_bind(&a, &d);
        mp_arch_free(&a);
    }
    assert_int_equal(rc, -1);
    if (strcmp(d.field, field) || !strstr(d.msg, needle))
        fail_msg("got %s: %s", d.field, d.msg);
}

static void attention_strict(void **state)
{
    (void)state;
    attention_bad("attention: {rows: 2, cols: 2}\n", "attention.pe",
                  "missing");
    attention_bad("attention: {pe: {family: fp16-mac}, rows: 2}\n",
                  "attention.cols", "missing");
    attention_bad("attention: {pe: {family: fp16-mac}, rows: 2, cols: 2, "
                  "bogus: 1}\n", "attention.bogus", "");
    attention_bad("attention: {pe: {family: nope}, rows: 2, cols: 2}\n",
                  "attention.pe.family", "unknown PE family 'nope'");
    attention_bad("attention: {pe: {family: fp16-mac, weights: fp16, act: "
                  "bf16}, rows: 2, cols: 2}\n", "attention.pe",
                  "fp16 activations");
    attention_bad("attention: {pe: {family: fp16-mac, weights: int12}, "
                  "rows: 2, cols: 2}\n", "attention.pe.weights", "int12");
    /* gate-level energy is the arch's (its array's) choice */
    attention_bad("attention: {pe: {family: fp16-mac, energy: model}, "
                  "rows: 2, cols: 2}\n", "attention.pe.energy", "");
}

/* ---- controller cycles ----------------------------------------------- */

static const char ctrl_yaml[] =
    "name: c\n"
    "tech: asic-28nm\n"
    "pe: {family: int8-mac, weights: int8, act: int8, group_size: 64}\n"
    "array: {rows: 4, cols: 4, clock_hz: 1e9}\n"
    "buffers:\n"
    "  weight: {kib: 64}\n"
    "  act: {kib: 64}\n"
    "  out: {kib: 64}\n"
    "dram: {gbytes_per_s: 10, read_pj_bit: 1, write_pj_bit: 1}\n";

/* Issue 3 cycles x 2 instructions per chunk, sync 5 per op.  A GEMM whose
 * operands fit on chip is one chunk (nm = nn = nk = 1): 3 x 2 x 1 + 5 =
 * 11 cycles more than without a controller (M = 4 = one array cover:
 * the memory plan is one chunk); a vector op is one
 * instruction: 3 + 5 = 8.  Fractional totals round up: 0.25 x 2 + 0.2 =
 * 0.7 -> 1 cycle. */
static void control_cycles_by_hand(void **state)
{
    (void)state;
    char text[1024];
    mp_arch plain, ctl;
    open_text(ctrl_yaml, &plain);
    snprintf(text, sizeof text, "%scontrol: {inst_issue_cycles: 3, "
             "insts_per_chunk: 2, op_sync_cycles: 5}\n", ctrl_yaml);
    open_text(text, &ctl);
    mp_trace_op op = weight_gemm(4, 64, 64);
    op.wfmt = (mp_wfmt){MP_W_SIGNED, 8};
    op.group_size = 64;
    mp_layer a, b;
    mp_diag d;
    assert_int_equal(mp_simulate_op(&plain, &op, &a, &d), 0);
    assert_int_equal(mp_simulate_op(&ctl, &op, &b, &d), 0);
    assert_int_equal(a.control_cycles, 0);
    assert_int_equal(b.control_cycles, 11);
    assert_int_equal(b.cycles - a.cycles, 11);
    mp_trace_op v;
    memset(&v, 0, sizeof v);
    snprintf(v.name, sizeof v.name, "norm");
    v.kind = MP_OP_VECTOR;
    v.m = 4096, v.repeat = 1;
    assert_int_equal(mp_simulate_op(&plain, &v, &a, &d), 0);
    assert_int_equal(mp_simulate_op(&ctl, &v, &b, &d), 0);
    assert_int_equal(b.cycles - a.cycles, 8);
    mp_arch_free(&ctl);
    snprintf(text, sizeof text, "%scontrol: {inst_issue_cycles: 0.25, "
             "insts_per_chunk: 2, op_sync_cycles: 0.2}\n", ctrl_yaml);
    open_text(text, &ctl);
    assert_int_equal(mp_simulate_op(&ctl, &op, &b, &d), 0);
    assert_int_equal(b.control_cycles, 1);
    mp_arch_free(&ctl);
    mp_arch_free(&plain);
}

static void control_bad(const char *body, int line, const char *field)
{
    char text[1024];
    snprintf(text, sizeof text, "%s%s", ctrl_yaml, body);
    mp_arch a;
    mp_diag d;
    memset(&d, 0, sizeof d);
    assert_int_not_equal(mp_arch_load_string(text, "t.yaml", &a, &d), 0);
    if (strcmp(d.field, field) != 0 || d.line != line)
        fail_msg("want %s at line %d, got %s at %d: %s", field, line,
                 d.field, d.line, d.msg);
}

/* Unknown and duplicate keys, negative values, wrong node kinds: one diag
 * naming the line and field. */
static void control_strict(void **state)
{
    (void)state;
    control_bad("control: {op_sync_cycle: 1}\n", 10, "control.op_sync_cycle");
    control_bad("control: {op_sync_cycles: -1}\n", 10,
                "control.op_sync_cycles");
    control_bad("control: {op_sync_cycles: 1, op_sync_cycles: 2}\n", 10,
                "control.op_sync_cycles");
    control_bad("control: [1]\n", 10, "control");
}

/* ---- FPGA buffer power ----------------------------------------------- */

/* flightllm-u280: buffers 8 + 8 + 4 MiB in URAM288 blocks of 294,912
 * bits: ceil(67,108,864 / 294,912) = 228 (> 96 banks), 228, 114 (> 48) =
 * 570 blocks.  Each bank is a cascade with one block enabled: 96 + 96 +
 * 48 = 240 blocks x 50 uW/MHz (xcup uram_uw_per_mhz, a Vivado report's
 * 12.5 mW per URAM at 250 MHz) x 225 MHz = 2.7 W, charged to e.sram over
 * the layer's latency (the preset's buffers have no per-bit energy); the
 * device's static 3.589 W (xcup static_w, a Vivado report of the XCU280's
 * die: device 3.328 + HBM 0.261) to e.leakage (the FPGA PE models leak
 * nothing else). */
static void fpga_buffer_power(void **state)
{
    (void)state;
    mp_arch a;
    mp_diag d;
    assert_int_equal(mp_arch_open("flightllm-u280", "--arch", &a, &d), 0);
    near(mp_arch_fpga_buffer_blocks(&a), 570.0, 1e-12);
    near(a.buffer_w, 240 * 50 * 225e-6, 1e-12);
    near(a.buffer_w, 2.7, 1e-9);
    near(a.static_w, 3.328 + 0.261, 1e-12);
    mp_trace_op op = weight_gemm(1, 4096, 4096);
    mp_layer L;
    assert_int_equal(mp_simulate_op(&a, &op, &L, &d), 0);
    near(L.e.sram, 2.7 * L.seconds * 1e12, 1e-9);
    near(L.e.leakage, 3.589 * L.seconds * 1e12, 1e-9);
    mp_arch_free(&a);
    /* an ASIC preset has none */
    assert_int_equal(mp_arch_open("int8-mac", "--arch", &a, &d), 0);
    assert_true(a.buffer_w == 0);
    mp_arch_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(stored_wbits_by_hand),
        cmocka_unit_test(sparse_weights_cut_dram),
        cmocka_unit_test(fp16_weights_dram_and_edge),
        cmocka_unit_test(fp16_kv_one_pass),
        cmocka_unit_test(attention_array_by_hand),
        cmocka_unit_test(attention_strict),
        cmocka_unit_test(control_cycles_by_hand),
        cmocka_unit_test(control_strict),
        cmocka_unit_test(fpga_buffer_power),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
