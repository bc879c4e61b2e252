/*
 * test_timing.c - static timing: reading OpenSTA's report_checks output
 * (a reg-to-reg path, an input-to-output path, no path, broken reports)
 * and moving fmax between nodes by the Stillmaker & Baas delay fit, by a
 * hand-worked example; which entry of the table of measured paths an arch
 * gets (family and activation format first, then the family alone).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>

#include "pe_models/tech.h"
#include "sim/tech_load.h"
#include "sim/synth/timing.h"
#include "tmpfiles.h"

/* OpenSTA 0~20191111, report_checks -path_delay max -digits 3 (trimmed
 * copy of a real report of the int8-mac deq unit, period 1000 ns) */
static const char reg_to_reg[] =
    "Startpoint: u_s/_3145_ (rising edge-triggered flip-flop clocked by clk)\n"
    "Endpoint: _3085_ (rising edge-triggered flip-flop clocked by clk)\n"
    "Path Group: clk\nPath Type: max\n\n"
    "   Delay     Time   Description\n"
    "-----------------------------------------------------------\n"
    "   0.000    0.000   clock clk (rise edge)\n"
    "   0.000    0.000   clock network delay (ideal)\n"
    "   0.000    0.000 ^ u_s/_3145_/CLK (DFFPOSX1)\n"
    "   0.267    0.267 v u_s/_3145_/Q (DFFPOSX1)\n"
    "   1.162    1.429 ^ _1818_/Y (NAND2X1)\n"
    "   0.331    1.760 v _1822_/Y (XNOR2X1)\n"
    "  -0.106    1.654 v u_s/_4879_/Y (NAND3X1)\n"
    "   0.000    1.654 v _3085_/D (DFFPOSX1)\n"
    "            1.654   data arrival time\n\n"
    "1000.000 1000.000   clock clk (rise edge)\n"
    "   0.000 1000.000   clock network delay (ideal)\n"
    "   0.000 1000.000   clock reconvergence pessimism\n"
    "         1000.000 ^ _3085_/CLK (DFFPOSX1)\n"
    "  -0.180  999.820   library setup time\n"
    "          999.820   data required time\n"
    "-----------------------------------------------------------\n"
    "          999.820   data required time\n"
    "           -1.654   data arrival time\n"
    "-----------------------------------------------------------\n"
    "          998.166   slack (MET)\n\n\n";

static const char in_to_out[] =
    "Startpoint: a[10] (input port clocked by clk)\n"
    "Endpoint: y[5] (output port clocked by clk)\n"
    "   0.000    0.000 v input external delay\n"
    "   0.000    0.000 v a[10] (in)\n"
    "   0.113    0.113 ^ _0973_/Y (INVX1)\n"
    "   0.250    0.363 v _0974_/Y (AOI21X1)\n"
    "   0.000    0.363 v y[5] (out)\n"
    "            0.363   data arrival time\n"
    "          999.637   slack (MET)\n";

static void parse_text(const char *text, mp_timing_path *p, int rc_want)
{
    mp_diag d;
    memset(p, 0, sizeof *p);
    assert_int_equal(mp_timing_parse(write_tmp("sta.log", text), p, &d),
                     rc_want);
}

static void test_reg_to_reg(void **state)
{
    (void)state;
    mp_timing_path p;
    parse_text(reg_to_reg, &p, 0);
    assert_int_equal(p.found, 1);
    assert_string_equal(p.start, "u_s/_3145_");
    assert_string_equal(p.end, "_3085_");
    /* _1818_, _1822_, u_s/_4879_: the start flop's CLK/Q and the end
     * flop's D are not levels */
    assert_int_equal(p.levels, 3);
    assert_true(fabs(p.arrival_ns - 1.654) < 1e-9);
    /* period 1000 - slack 998.166 = arrival 1.654 + setup 0.180 */
    assert_true(fabs(p.period_ns - 1.834) < 1e-9);
    assert_true(fabs(p.fmax_hz - 1e9 / 1.834) < 1e-3);
}

static void test_in_to_out(void **state)
{
    (void)state;
    mp_timing_path p;
    parse_text(in_to_out, &p, 0);
    assert_string_equal(p.start, "a[10]");
    assert_string_equal(p.end, "y[5]");
    assert_int_equal(p.levels, 2);
    assert_true(fabs(p.period_ns - 0.363) < 1e-9);
}

static void test_no_path_and_errors(void **state)
{
    (void)state;
    mp_timing_path p;
    parse_text("No paths found.\n", &p, 0);
    assert_int_equal(p.found, 0);
    /* a link error is an error, wherever it is */
    parse_text("Error: mpsim_top_pe is not a verilog module.\n", &p, -1);
    /* a path cut off before its slack */
    parse_text("Startpoint: a (input port clocked by clk)\n"
               "Endpoint: b (output port clocked by clk)\n"
               "            0.363   data arrival time\n", &p, -1);
    mp_diag d;
    assert_int_equal(mp_timing_parse(tmp_path("absent.log"), &p, &d), -1);
}

/* 100 MHz at 180 nm / 1.8 V moved to 28 nm / 0.9 V, by hand from the
 * paper's delay fits (node_scale.c):
 *   D180(1.8) = 97.09*1.8^2 - 356.7*1.8 + 406.5            = 79.0116
 *   D32(0.9)  = -1047*0.729 + 2982*0.81 - 2797*0.9 + 873.5  = 8.357
 *   D20(0.9)  = 34.63*0.81 - 66.37*0.9 + 41.15             = 9.4673
 *   28 nm: t = ln(32/28)/ln(32/20) = 0.284107,
 *   D28 = exp((1-t) ln 8.357 + t ln 9.4673)                = 8.65849
 *   fmax = 100 MHz * 79.0116 / 8.65849                      = 912.533 MHz */
static void test_node_scaling(void **state)
{
    (void)state;
    double t = log(32.0 / 28.0) / log(32.0 / 20.0);
    double d28 = exp((1 - t) * log(8.357) + t * log(9.4673));
    double want = 100e6 * 79.0116 / d28;
    assert_true(fabs(want - 912.533e6) < 0.001e6);
    assert_true(fabs(mp_timing_fmax_at(100e6, 28, 0.9) / want - 1) < 1e-5);
    /* the same node and supply: unchanged; a delay scales the other way */
    assert_true(fabs(mp_timing_fmax_at(100e6, 180, 1.8) - 100e6) < 1e-6);
    assert_true(fabs(mp_tech_scale_factor(MP_SCALE_DELAY, 180, 1.8, 28, 0.9) *
                     mp_timing_fmax_at(1.0, 28, 0.9) - 1) < 1e-12);
    assert_int_equal(mp_tech_unit_kind("ns"), MP_SCALE_DELAY);
    assert_true(isnan(mp_timing_fmax_at(100e6, 5, 0.7)));
}

/* A table as scripts/calibrate_timing.sh writes it (figures made up):
 * mixpe measured at int8 and (its slowest, the fallback) fp16; fp16-mac
 * without edge units; int8_mac_int8 with an edge path but no PE path. */
static const char paths_yaml[] =
    "name: paths\nnode_nm: 180\nvdd: 1.8\nfpga: false\n"
    "description: \"test\"\nconstants:\n"
    "  mixpe_pe_path_ns: {value: 8.5, unit: ns, source: \"t\"}\n"
    "  mixpe_edge_path_ns: {value: 65.0, unit: ns, source: \"t\"}\n"
    "  mixpe_int8_pe_path_ns: {value: 3.5, unit: ns, source: \"t\"}\n"
    "  mixpe_int8_edge_path_ns: {value: 46.0, unit: ns, source: \"t\"}\n"
    "  fp16_mac_pe_path_ns: {value: 33.0, unit: ns, source: \"t\"}\n"
    "  int8_mac_pe_path_ns: {value: 4.5, unit: ns, source: \"t\"}\n"
    "  int8_mac_int8_edge_path_ns: {value: 1.0, unit: ns, source: \"t\"}\n";

static void lookup(const mp_tech *t, const char *family, const char *act,
                   const char *entry, double pe_ns, double edge_ns)
{
    mp_timing_verdict v;
    mp_timing_lookup(t, family, act, &v);
    assert_int_equal(v.known, entry[0] != 0);
    assert_string_equal(v.entry, entry);
    assert_true(v.pe_ns == pe_ns && v.edge_ns == edge_ns);
}

static void test_lookup_order(void **state)
{
    (void)state;
    mp_tech t;
    mp_diag d;
    assert_int_equal(mp_tech_load_string(paths_yaml, "paths.yaml", &t, &d), 0);
    /* family + format measured: its own entry, not the family's slowest */
    lookup(&t, "mixpe", "int8", "mixpe_int8", 3.5, 46.0);
    /* a format never measured: the family entry */
    lookup(&t, "mixpe", "fp16", "mixpe", 8.5, 65.0);
    lookup(&t, "mixpe", "bf16", "mixpe", 8.5, 65.0);
    /* '-' in the family reads as '_'; no edge path: 0 */
    lookup(&t, "fp16-mac", "fp16", "fp16_mac", 33.0, 0);
    /* an edge path alone is not an entry: the family's */
    lookup(&t, "int8-mac", "int8", "int8_mac", 4.5, 0);
    /* a family the table lacks (here lut-tc): nothing */
    lookup(&t, "lut-tc", "fp16", "", 0, 0);
    mp_tech_free(&t);
}

static void test_clock_ports(void **state)
{
    (void)state;
    assert_true(mp_is_clock_port("clk"));
    assert_true(mp_is_clock_port("CLK")); /* DSP48E2 (UG579) */
    assert_false(mp_is_clock_port("cl"));
    assert_false(mp_is_clock_port("clk_en"));
    assert_false(mp_is_clock_port("clk CLK"));
    assert_false(mp_is_clock_port(""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reg_to_reg),
        cmocka_unit_test(test_in_to_out),
        cmocka_unit_test(test_no_path_and_errors),
        cmocka_unit_test(test_node_scaling),
        cmocka_unit_test(test_lookup_order),
        cmocka_unit_test(test_clock_ports),
    };
    return cmocka_run_group_tests(tests, tmpfiles_setup, tmpfiles_teardown);
}
