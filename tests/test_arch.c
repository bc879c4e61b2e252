/*
 * test_arch.c - architecture YAML and SCALE-Sim .cfg readers (good and bad
 * input with file/line/field diagnostics), the built-in presets, and the
 * whole-layer simulation on a preset: energy breakdown sums, decode
 * memory-bound vs prefill compute-bound.
 *
 * Presets are read from the data root (golden/datadir.h): the tests run from
 * the repository root.
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
#include "sim/scalesim_cfg.h"
#include "sim/simulate.h"
#include "tests/trace_ops.h"

static const char good_yaml[] =
    "name: t\n"
    "tech: asic-28nm\n"
    "pe: {family: int8-mac, weights: int8, act: int8, group_size: 64}\n"
    "array: {rows: 4, cols: 3, dataflow: ws, clock_hz: 1e9}\n"
    "buffers:\n"
    "  weight: {kib: 16}\n"
    "  act: {kib: 32, double_buffer: false}\n"
    "  out: {kib: 8, read_pj_bit: 0.5}\n"
    "dram: {gbytes_per_s: 10, efficiency: 0.5, read_pj_bit: 1, write_pj_bit: 2}\n";

static void yaml_good(void **state)
{
    (void)state;
    mp_arch a;
    mp_diag d;
    assert_int_equal(mp_arch_load_string(good_yaml, "t.yaml", &a, &d), 0);
    assert_string_equal(a.name, "t");
    assert_string_equal(a.pe_name, "int8-mac");
    assert_int_equal(a.rows, 4);
    assert_int_equal(a.cols, 3);
    assert_int_equal(a.dataflow, MP_DF_WS);
    assert_true(a.clock_hz == 1e9);
    assert_int_equal(a.wbuf.bytes, 16384);
    assert_int_equal(a.abuf.double_buffered, 0);
    assert_true(a.obuf.read_pj_bit == 0.5);
    assert_true(a.dram.bytes_per_s == 10e9);
    assert_true(a.dram.efficiency == 0.5);
    assert_int_equal(a.pe_params.group_size, 64);
}

/* Replace `from` by `to` in the good YAML, parse, expect failure at the
 * given line and field. */
static void expect_bad(const char *from, const char *to, int line,
                       const char *field)
{
    char text[2048];
    const char *at = strstr(good_yaml, from);
    assert_non_null(at);
    snprintf(text, sizeof text, "%.*s%s%s", (int)(at - good_yaml), good_yaml,
             to, at + strlen(from));
    mp_arch a;
    mp_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(mp_arch_load_string(text, "bad.yaml", &a, &d), -1);
    assert_string_equal(d.file, "bad.yaml");
    if (line)
        assert_int_equal(d.line, line);
    assert_string_equal(d.field, field);
}

static void yaml_bad(void **state)
{
    (void)state;
    expect_bad("rows: 4", "rows: 0", 4, "array.rows");
    expect_bad("clock_hz: 1e9", "clock_hz: 0", 4, "array.clock_hz");
    expect_bad("clock_hz: 1e9", "clock_hz: -5", 4, "array.clock_hz");
    expect_bad("dataflow: ws", "dataflow: rs", 4, "array.dataflow");
    expect_bad("kib: 16", "kib: 0", 6, "buffers.weight.kib");
    expect_bad("efficiency: 0.5", "efficiency: 1.5", 9, "dram.efficiency");
    expect_bad("weights: int8", "weights: int12", 3, "pe.weights");
    expect_bad("rows: 4,", "rowz: 4,", 4, "array.rowz");
    expect_bad("name: t\n", "name: [t\n", 0, "yaml");
    /* a missing key is reported at its mapping (the block starts on line 6) */
    expect_bad("  out: {kib: 8, read_pj_bit: 0.5}\n", "", 6, "buffers.out");
}

static void presets_bind(void **state)
{
    (void)state;
    static const char *const want[] = {"mixpe-w4a8", "mixpe-w4a16", "lut-tc",
                                       "flightllm-u280", "int8-mac",
                                       "fp16-mac", "bitfusion"};
    char names[64][64];
    int n = mp_arch_presets(names, 64);
    assert_true(n >= 7);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        mp_arch a;
        mp_diag d;
        if (mp_arch_open(want[i], "--arch", &a, &d)) {
            mp_diag_print(&d, stderr);
            fail_msg("preset %s does not bind", want[i]);
        }
        assert_string_equal(a.name, want[i]);
        assert_true(mp_arch_peak_macs_per_cycle(&a) > 0);
        mp_arch_free(&a);
    }
    mp_arch a;
    mp_diag d;
    assert_int_equal(mp_arch_open("no-such-arch", "--arch", &a, &d), -1);
    assert_string_equal(d.field, "--arch");
}

/* The A100 baselines give the whitepaper's dense tensor-core rates (NVIDIA
 * A100 Tensor Core GPU Architecture, 2020): 312 TFLOPS FP16 and 624 TOPS
 * INT8 at 1.41 GHz over 108 SMs:
 *   FP16: 108 x 32 x 32 MAC x 2 x 1.41e9 = 311.87e12
 *   INT8: 108 x 32 x 64 MAC x 2 x 1.41e9 = 623.74e12
 * and the LUT variants 4 and 8 times the FP16 MACs at 1-bit weights. */
static void a100_rates(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        double ops;
    } want[] = {{"a100-fp16", 311.87e12},   {"a100-int8", 623.74e12},
                {"a100-lut-4x", 1247.48e12}, {"a100-lut-8x", 2494.96e12}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        mp_arch a;
        mp_diag d;
        if (mp_arch_open(want[i].name, "--arch", &a, &d))
            fail_msg("%s: %s", want[i].name, d.msg);
        double ops = 2.0 * (double)mp_arch_peak_macs_per_cycle(&a) *
                     a.clock_hz;
        assert_int_equal(a.cores, 108);
        assert_true(fabs(ops - want[i].ops) < 0.01e12);
        mp_arch_free(&a);
    }
}

static void cfg_good(void **state)
{
    (void)state;
    static const char cfg[] =
        "[general]\nrun_name = x\n\n[architecture_presets]\n"
        "ArrayHeight:    8\nArrayWidth: 4   # comment\n"
        "IfmapSramSzkB: 64\nFilterSramSzkB = 32\nOfmapSramSzkB: 16\n"
        "IfmapOffset: 0\nDataflow : ws\nBandwidth : 10\n"
        "[run_presets]\nInterfaceBandwidth: USER\n";
    mp_arch a;
    mp_diag d;
    assert_int_equal(mp_scalesim_cfg_parse(cfg, "s.cfg", &a, &d), 0);
    assert_int_equal(a.rows, 8);
    assert_int_equal(a.cols, 4);
    assert_int_equal(a.abuf.bytes, 65536);
    assert_int_equal(a.wbuf.bytes, 32768);
    assert_int_equal(a.obuf.bytes, 16384);
    assert_int_equal(a.dataflow, MP_DF_WS);
    assert_int_equal(a.scalesim, 1);
    assert_int_equal(a.scalesim_calc_bw, 0);
    assert_true(a.dram.bytes_per_s == 10 * a.clock_hz);
    assert_string_equal(a.pe_name, "int8-mac");
}

static void cfg_bad_one(const char *text, int line, const char *field)
{
    mp_arch a;
    mp_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(mp_scalesim_cfg_parse(text, "b.cfg", &a, &d), -1);
    assert_string_equal(d.file, "b.cfg");
    assert_int_equal(d.line, line);
    assert_string_equal(d.field, field);
}

static void cfg_bad(void **state)
{
    (void)state;
    const char *head = "[architecture_presets]\n";
    char t[512];
    snprintf(t, sizeof t, "%sArrayHeight: 0\n", head);
    cfg_bad_one(t, 2, "ArrayHeight");
    snprintf(t, sizeof t, "%sArrayWidth: x8\n", head);
    cfg_bad_one(t, 2, "ArrayWidth");
    snprintf(t, sizeof t, "%sDataflow: rs\n", head);
    cfg_bad_one(t, 2, "Dataflow");
    snprintf(t, sizeof t, "%sjust some words\n", head);
    cfg_bad_one(t, 2, "cfg");
    cfg_bad_one("ArrayHeight: 4\n", 1, "ArrayHeight");
    snprintf(t, sizeof t, "%sArrayHeight: 4\nArrayWidth: 4\nIfmapSramSzkB: 1\n"
             "FilterSramSzkB: 1\nOfmapSramSzkB: 1\n", head);
    cfg_bad_one(t, 0, "Dataflow");
    snprintf(t, sizeof t, "%s[run_presets\n", head);
    cfg_bad_one(t, 2, "cfg");
}

/* W4A16 G128 asymmetric projection */
static mp_trace_op gemm_op(int64_t m, int64_t n, int64_t k)
{
    return test_weight_gemm(m, n, k, MP_ACT_FP16, 1);
}

/* On the LUT Tensor Core preset (4x4 units of M2N64K4, 1 GHz, 64 GB/s):
 * a decode projection (M = 1) moves ~8.7 MB of weights in ~136 us while
 * its array time is 16 folds x 4096/4 x 4 cycles = ~66 us -> memory-bound;
 * a prefill projection (M = 2048) computes 2048*4096*4096 MACs at 2048
 * MACs/cycle (INT4: 4 cycles per M2N64K4 tile) = ~16.8 ms against ~390 MB
 * of traffic (~6 ms at 64 GB/s) -> compute-bound.
 * Energy components add up to the total. */
static void bound_and_energy(void **state)
{
    (void)state;
    mp_arch a;
    mp_diag d;
    assert_int_equal(mp_arch_open("lut-tc", "--arch", &a, &d), 0);
    mp_trace_op dec = gemm_op(1, 4096, 4096), pre = gemm_op(2048, 4096, 4096);
    mp_layer L;
    assert_int_equal(mp_simulate_op(&a, &dec, &L, &d), 0);
    assert_int_equal(L.memory_bound, 1);
    assert_true(L.stall_cycles > 0);
    assert_true(L.cycles == L.compute_cycles + L.edge_cycles +
                                L.stall_cycles);
    double sum = L.e.pe + L.e.edge + L.e.vector + L.e.sram + L.e.dram +
                 L.e.leakage;
    assert_true(fabs(sum - L.e.total) <= 1e-9 * L.e.total);
    assert_true(L.e.dram > 0 && L.e.pe > 0 && L.e.sram > 0);
    assert_int_equal(mp_simulate_op(&a, &pre, &L, &d), 0);
    assert_int_equal(L.memory_bound, 0);
    assert_true(L.util > 0.9);
    mp_arch_free(&a);
}

/* Totals are layer figures x repeat; repeat does not change a layer.
 * An attention GEMM with an 8-bit KV operand on the LUT TC (weights of at
 * most 4 bits) runs as 2 bit-slices of 4 bits: twice the compute cycles
 * of the same GEMM with a 4-bit operand. */
static void repeat_and_slices(void **state)
{
    (void)state;
    mp_arch a;
    mp_diag d;
    assert_int_equal(mp_arch_open("lut-tc", "--arch", &a, &d), 0);
    mp_trace t;
    mp_trace_init(&t);
    mp_trace_op op = gemm_op(64, 1024, 1024);
    op.repeat = 3;
    assert_int_equal(mp_trace_add(&t, &op, &d), 0);
    mp_trace_op kv = gemm_op(16, 256, 128);
    kv.kind = MP_OP_GEMM_ACT;
    kv.b_bits = 8;
    kv.repeat = 5;
    assert_int_equal(mp_trace_add(&t, &kv, &d), 0);
    mp_run r;
    assert_int_equal(mp_simulate_trace(&a, &t, &r, &d), 0);
    const mp_layer *L0 = &r.layers[0], *L1 = &r.layers[1];
    assert_true(r.cycles == 3.0 * L0->cycles + 5.0 * L1->cycles);
    assert_true(fabs(r.e.total - (3 * L0->e.total + 5 * L1->e.total)) <=
                1e-9 * r.e.total);
    assert_true(r.macs == 3.0 * 64 * 1024 * 1024 + 5.0 * 16 * 256 * 128);
    mp_layer one;
    op.repeat = 1;
    assert_int_equal(mp_simulate_op(&a, &op, &one, &d), 0);
    assert_int_equal(one.cycles, L0->cycles);
    mp_layer k4;
    kv.b_bits = 4;
    assert_int_equal(mp_simulate_op(&a, &kv, &k4, &d), 0);
    assert_int_equal(L1->compute_cycles, 2 * k4.compute_cycles);
    mp_run_free(&r);
    mp_trace_free(&t);
    mp_arch_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(yaml_good),
        cmocka_unit_test(yaml_bad),
        cmocka_unit_test(presets_bind),
        cmocka_unit_test(a100_rates),
        cmocka_unit_test(cfg_good),
        cmocka_unit_test(cfg_bad),
        cmocka_unit_test(bound_and_energy),
        cmocka_unit_test(repeat_and_slices),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
