/*
 * test_energy_cal.c - gate-level PE energy (sim/energy_cal.h): the entry
 * of each activation format (FAMILY_ACT, else FAMILY), its node scaling
 * by a worked Stillmaker & Baas example, the PE cost it replaces, what
 * reports name as the source, and the refusals (an FPGA table, a bad
 * pe.energy).  Presets and tech tables come from the data root: the
 * tests run from the repository root.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "sim/arch.h"
#include "sim/tech_load.h"

/* A table as scripts/calibrate_energy.sh writes it (figures made up):
 * mixpe measured at int8, and its costliest (the fallback) 30 pJ; edge
 * units measured at int8 only (no family fallback: fp16 keeps the
 * model's edge energy), 500 pJ per op, 40 pJ per idle unit-cycle and 7
 * pJ per result read out. */
static const char table_yaml[] =
    "name: osu018-energy\nnode_nm: 180\nvdd: 1.8\nfpga: false\n"
    "description: \"test\"\nconstants:\n"
    "  mixpe_int8_edge_idle_pj_per_unit_cycle: {value: 40, unit: pJ, "
    "source: \"t\"}\n"
    "  mixpe_int8_edge_pj_per_op: {value: 500, unit: pJ, source: \"t\"}\n"
    "  mixpe_int8_edge_pj_per_result: {value: 7, unit: pJ, source: \"t\"}\n"
    "  mixpe_int8_pe_pj_per_mac: {value: 12, unit: pJ, source: \"t\"}\n"
    "  mixpe_pe_pj_per_mac: {value: 30, unit: pJ, source: \"t\"}\n";

/* An arch of `family` at `act` on tech table `tech`, bound. */
static void open_arch(const char *family, const char *act, const char *tech,
                      const char *energy, mp_arch *a)
{
    char text[512];
    snprintf(text, sizeof text,
             "name: t\ntech: %s\n"
             "pe: {family: %s, weights: int4, act: %s, energy: %s}\n"
             "array: {rows: 4, cols: 4, clock_hz: 5e8}\n"
             "buffers: {weight: {kib: 16}, act: {kib: 16}, out: {kib: 16}}\n"
             "dram: {gbytes_per_s: 10, read_pj_bit: 1, write_pj_bit: 1}\n", tech, family, act, energy);
    mp_diag d;
    assert_int_equal(mp_arch_load_string(text, "t.yaml", a, &d), 0);
    assert_int_equal(mp_arch_bind(a, &d), 0);
}

/* open_arch() with pe.energy gate-level filled from the test table:
 * mp_energy_cal_fill's return code */
static int open_gate(const char *family, const char *tech, mp_arch *a,
                     mp_diag *d)
{
    mp_tech t;
    assert_int_equal(mp_tech_load_string(table_yaml, "e.yaml", &t, d), 0);
    open_arch(family, "int8", tech, "model", a);
    a->energy_gate = 1;
    int rc = mp_energy_cal_fill(a, &t, d);
    mp_tech_free(&t);
    return rc;
}

static double pj_per_mac(const mp_arch *a, mp_act_fmt act, int gate)
{
    mp_arch b = *a; /* the same arch, gate-level or not */
    b.energy_gate = gate;
    mp_pe_params p = a->pe_params;
    p.act = act;
    mp_diag d;
    assert_int_equal(a->pe->check(&p, &d), 0);
    mp_pe_timing tm;
    mp_pe_cost c;
    a->pe->timing(&p, &tm);
    assert_int_equal(mp_arch_pe_cost(&b, &p, &c, &d), 0);
    return c.energy_pj_tile / ((double)tm.tile_m * tm.tile_n * tm.tile_k);
}

/* 180 nm at 1.8 V -> HP45 at 0.9 V, the paper's energy fits:
 *   180 nm: 24.64 * 1.8 - 17.98                    = 26.372
 *   HP45:   1.018 * 0.81 - 0.3107 * 0.9 + 0.1539   = 0.69885
 * so 12 pJ/MAC at 180 nm is 12 * 0.69885 / 26.372 = 0.317996 pJ. */
static void test_entry_and_scaling(void **state)
{
    (void)state;
    mp_diag d;
    mp_arch a;
    assert_int_equal(open_gate("mixpe", "asic-45nm", &a, &d), 0);
    double model_int8 = pj_per_mac(&a, MP_ACT_INT8, 0);
    a.energy_gate = 0; /* model: no source named */
    assert_null(mp_energy_source(&a, MP_ACT_INT8));
    a.energy_gate = 1;
    /* family + format measured: its own entry */
    const mp_gate_energy *g = &a.gate_energy[MP_ACT_INT8];
    assert_true(g->known && !strcmp(g->entry, "mixpe_int8"));
    assert_true(fabs(g->pj_mac - 0.317996) < 1e-6);
    assert_true(fabs(pj_per_mac(&a, MP_ACT_INT8, 1) - 0.317996) < 1e-6);
    assert_true(pj_per_mac(&a, MP_ACT_INT8, 0) == model_int8);
    assert_non_null(strstr(mp_energy_source(&a, MP_ACT_INT8),
                           "osu018-energy.yaml mixpe_int8 (trace tiles), "
                           "180 -> 45 nm"));
    /* a format never measured: the family's entry */
    g = &a.gate_energy[MP_ACT_FP16];
    assert_true(g->known && !strcmp(g->entry, "mixpe"));
    assert_true(fabs(pj_per_mac(&a, MP_ACT_FP16, 1) - 30 * 0.69885 / 26.372)
                < 1e-6);
    mp_arch_free(&a);

    /* a family without an entry keeps the model's figure, and says so */
    assert_int_equal(open_gate("int8-mac", "asic-45nm", &a, &d), 0);
    double model = pj_per_mac(&a, MP_ACT_INT8, 0);
    assert_false(a.gate_energy[MP_ACT_INT8].known);
    assert_true(pj_per_mac(&a, MP_ACT_INT8, 1) == model);
    assert_string_equal(mp_energy_source(&a, MP_ACT_INT8), "model");
    mp_arch_free(&a);

    /* the edge units at the same node and scale: the entries x the first
     * edge kind's ops and idle unit-cycles replace the model's sum over
     * kinds; where the table has no edge entry (fp16 here) the model's
     * sum stays.  By hand: 1000 ops on 2 units (ops per cycle) x 1 core
     * over 800 cycles leave 2 x 800 - 1000 = 600 idle unit-cycles:
     * 1000 x 500 + 600 x 40 = 524000 pJ at 180 nm; over 400 cycles the
     * units are never idle (800 < 1000 ops: none, not negative); 256
     * results read out add 256 x 7 = 1792 pJ, whatever the cycles (the
     * model's sum has no read port: results change nothing there) */
    assert_int_equal(open_gate("mixpe", "asic-45nm", &a, &d), 0);
    assert_int_equal(a.cores, 1);
    mp_edge_cost ec[2];
    memset(ec, 0, sizeof ec);
    ec[0].ops = 1000;
    ec[0].ops_per_cycle = 2;
    ec[0].energy_pj_op = 3;
    ec[1].ops = 50;
    ec[1].energy_pj_op = 2;
    double s45 = 0.69885 / 26.372;
    assert_true(fabs(mp_arch_edge_pj(&a, MP_ACT_INT8, ec, 2, 800, 0) -
                     524000 * s45) < 1e-6);
    assert_true(fabs(mp_arch_edge_pj(&a, MP_ACT_INT8, ec, 2, 400, 0) -
                     500000 * s45) < 1e-6);
    assert_true(fabs(mp_arch_edge_pj(&a, MP_ACT_INT8, ec, 2, 800, 256) -
                     525792 * s45) < 1e-6);
    assert_true(fabs(mp_arch_edge_pj(&a, MP_ACT_INT8, ec, 2, 400, 256) -
                     501792 * s45) < 1e-6);
    assert_true(mp_arch_edge_pj(&a, MP_ACT_FP16, ec, 2, 800, 256) == 3100);
    assert_true(mp_arch_edge_pj(&a, MP_ACT_INT8, ec, 0, 800, 256) == 0);
    assert_non_null(strstr(mp_energy_edge_source(&a, MP_ACT_INT8),
                           "osu018-energy.yaml mixpe_int8 (trace tiles), "
                           "180 -> 45 nm"));
    assert_string_equal(mp_energy_edge_source(&a, MP_ACT_FP16), "model");
    a.energy_gate = 0; /* model: the sum, no source named */
    assert_true(mp_arch_edge_pj(&a, MP_ACT_INT8, ec, 2, 800, 256) == 3100);
    assert_null(mp_energy_edge_source(&a, MP_ACT_INT8));
    mp_arch_free(&a);

    /* the table's own node: no scaling */
    assert_int_equal(open_gate("mixpe", "osu018", &a, &d), 0);
    assert_true(a.gate_energy[MP_ACT_INT8].pj_mac == 12);
    mp_arch_free(&a);
}

/* gate-level on an FPGA table, or an unknown pe.energy: one diag */
static void test_refused(void **state)
{
    (void)state;
    mp_diag d;
    mp_arch a;
    assert_int_equal(open_gate("dsp-chain", "xcup", &a, &d), -1);
    assert_string_equal(d.field, "pe.energy");
    assert_non_null(strstr(d.msg, "FPGA"));
    mp_arch_free(&a);

    static const char bad[] =
        "name: t\ntech: asic-45nm\n"
        "pe: {family: mixpe, weights: int4, act: int8, energy: gate}\n"
        "array: {rows: 4, cols: 4, clock_hz: 5e8}\n"
        "buffers: {weight: {kib: 16}, act: {kib: 16}, out: {kib: 16}}\n"
        "dram: {gbytes_per_s: 10, read_pj_bit: 1, write_pj_bit: 1}\n";
    assert_int_equal(mp_arch_load_string(bad, "bad.yaml", &a, &d), -1);
    assert_int_equal(d.line, 3);
    assert_string_equal(d.field, "pe.energy");
    assert_int_equal(mp_energy_mode_parse("gate-level"), 1);
    assert_int_equal(mp_energy_mode_parse("model"), 0);
    assert_int_equal(mp_energy_mode_parse("Model"), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entry_and_scaling),
        cmocka_unit_test(test_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
