/*
 * test_cosim_synth.c - the parts of co-simulation and synthesis that run
 * without Verilator or Yosys: the tile file round trip, the golden check
 * of one tile, the stimulus sequence, and reading Yosys `stat` reports
 * (canned text in the format Yosys 0.23 prints).
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

#include "sim/cosim/cosim_stim.h"
#include "sim/cosim/cosim_tiles.h"
#include "sim/synth/synth.h"
#include "sim/synth/timing.h"

static void temp_path(char *buf, size_t cap, const char *tag)
{
    snprintf(buf, cap, "/tmp/mpsim-test-%d-%s", (int)getpid(), tag);
}

static void write_text(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

/* A 2x2 INT8 x INT4 header with integer output. */
static void int_header(mp_cosim_tiles *h)
{
    memset(h, 0, sizeof *h);
    h->m_tile = 2;
    h->n_tile = 2;
    h->k_max = 8;
    h->group = 4;
    h->act = MP_ACT_INT8;
    h->wfmt = (mp_wfmt){MP_W_SIGNED, 4};
    h->bits[MP_LD_X] = 8;
    h->bits[MP_LD_W] = 4;
    h->arith.dequant = MP_DEQ_PER_GROUP;
    h->arith.group_acc = MP_ACC_INT;
    h->arith.acc_bits = 32;
    h->arith.out_acc = MP_ACC_INT;
    h->arith.table_fmt = MP_ACT_INT16;
    h->arith.weight_fmt = MP_ACT_FP16;
}

/* Y = X x W by hand for one tile: the golden check must agree, and one
 * flipped bit must be reported at the right element with both values. */
static void test_check_tile(void **state)
{
    (void)state;
    mp_cosim_tiles h;
    mp_cosim_tile t;
    mp_diag d;
    int_header(&h);
    assert_int_equal(mp_cosim_tile_alloc(&h, &t, 8, &d), 0);
    for (int i = 0; i < 16; i++) {
        t.buf[MP_LD_X][i] = mp_cosim_act_word(MP_ACT_INT8, (i % 2 ? -1 : 1) *
                                              (double)(i * 9 - 70));
        t.buf[MP_LD_W][i] = (uint32_t)(int32_t)((i % 16) - 8);
    }
    uint32_t got[4];
    for (int m = 0; m < 2; m++)
        for (int n = 0; n < 2; n++) {
            int64_t y = 0;
            for (int k = 0; k < 8; k++)
                y += (int64_t)(int32_t)t.buf[MP_LD_X][m * 8 + k] *
                     (int32_t)t.buf[MP_LD_W][k * 2 + n];
            got[m * 2 + n] = (uint32_t)y;
        }
    mp_cosim_mismatch mm;
    assert_int_equal(mp_cosim_check_tile(&h, &t, got, &mm, &d), 0);
    uint32_t good = got[3];
    got[3] ^= 1u << 7;
    assert_int_equal(mp_cosim_check_tile(&h, &t, got, &mm, &d), 1);
    assert_int_equal(mm.m, 1);
    assert_int_equal(mm.n, 1);
    assert_int_equal(mm.expected, good);
    assert_int_equal(mm.got, good ^ (1u << 7));
    for (int b = 0; b < MP_LD_COUNT; b++)
        free(t.buf[b]);
}

/* Float results: two NaNs are equal whatever the payload, -0 is not +0. */
static void test_compare_floats(void **state)
{
    (void)state;
    mp_cosim_tiles h;
    int_header(&h);
    h.arith.out_acc = MP_ACC_FP32;
    uint32_t expected[4] = {0x7fc00000u, 0x80000000u, 0x3f800000u, 0};
    uint32_t got[4] = {0x7fc00001u, 0x80000000u, 0x3f800000u, 0};
    mp_cosim_mismatch mm;
    mp_cosim_compare(&h, expected, got, &mm);
    assert_int_equal(mm.count, 0);
    got[1] = 0;
    mp_cosim_compare(&h, expected, got, &mm);
    assert_int_equal(mm.count, 1);
    assert_int_equal(mm.m, 0);
    assert_int_equal(mm.n, 1);
}

/* Stimulus -> file -> read back: same words, same order of kinds, and the
 * same seed gives the same file byte for byte. */
static void test_stim_roundtrip(void **state)
{
    (void)state;
    mp_cosim_tiles h, back, again;
    mp_diag d;
    int_header(&h);
    h.has_scales = h.has_zeros = h.has_act_scale = 1;
    h.wfmt = (mp_wfmt){MP_W_UNSIGNED, 4};
    h.arith.out_acc = MP_ACC_FP32;
    h.bits[MP_LD_SCALE] = 16;
    h.bits[MP_LD_ZERO] = 4;
    again = h;
    mp_stim_opts o = {7, 42, 4, 8};
    assert_int_equal(mp_cosim_stim(&h, &o, &d), 0);
    assert_int_equal(h.count, 7);
    assert_string_equal(h.tiles[0].kind, "extreme-max");
    assert_string_equal(h.tiles[1].kind, "extreme-min");
    assert_string_equal(h.tiles[2].kind, "extreme-mix");
    assert_string_equal(h.tiles[3].kind, "random");
    assert_string_equal(h.tiles[4].kind, "trace");
    /* extreme-max: max activations and codes, zero points at the minimum */
    assert_int_equal(h.tiles[0].buf[MP_LD_X][0], 127);
    assert_int_equal(h.tiles[0].buf[MP_LD_W][0], 15);
    assert_int_equal(h.tiles[0].buf[MP_LD_ZERO][0], 0);
    assert_int_equal((int32_t)h.tiles[1].buf[MP_LD_X][0], -128);

    char p1[96], p2[96];
    temp_path(p1, sizeof p1, "a.tiles");
    temp_path(p2, sizeof p2, "b.tiles");
    assert_int_equal(mp_cosim_tiles_write(p1, &h, &d), 0);
    assert_int_equal(mp_cosim_tiles_read(p1, &back, &d), 0);
    assert_int_equal(back.count, h.count);
    assert_int_equal(back.arith.out_acc, MP_ACC_FP32);
    for (int i = 0; i < h.count; i++) {
        assert_int_equal(back.tiles[i].k, h.tiles[i].k);
        for (int b = 0; b < MP_LD_COUNT; b++) {
            size_t len = mp_cosim_buf_len(&h, b, h.tiles[i].k);
            for (size_t j = 0; j < len; j++)
                assert_int_equal(back.tiles[i].buf[b][j], h.tiles[i].buf[b][j]);
        }
    }
    assert_int_equal(mp_cosim_stim(&again, &o, &d), 0);
    assert_int_equal(mp_cosim_tiles_write(p2, &again, &d), 0);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "cmp -s %s %s", p1, p2);
    assert_int_equal(system(cmd), 0);
    remove(p1);
    remove(p2);
    mp_cosim_tiles_free(&h);
    mp_cosim_tiles_free(&back);
    mp_cosim_tiles_free(&again);
}

/* A corrupt tile file names its line. */
static void test_tiles_bad_file(void **state)
{
    (void)state;
    char p[96];
    mp_cosim_tiles h;
    mp_diag d;
    temp_path(p, sizeof p, "bad.tiles");
    write_text(p, "mpsim-cosim-tiles 1\nm_tile 2 n_tile 2 k_max 8 group 4\n"
                  "act int7 weight int4 scales 0 zeros 0 act_scale 0\n");
    assert_int_equal(mp_cosim_tiles_read(p, &h, &d), -1);
    assert_int_equal(d.line, 3);
    assert_string_equal(d.field, "act");
    remove(p);
}

/* ---- Yosys stat reports ------------------------------------------------ */

/* Shaped like Yosys 0.23's `stat -liberty` on a 2-level hierarchy: counts
 * in the tree are per parent instance. */
static const char lib_report[] =
    "\n3. Printing statistics.\n\n=== deq ===\n\n"
    "   Number of wires:                 10\n"
    "   Number of cells:                 12\n     NAND2X1                        11\n"
    "     fp_add                          1\n\n"
    "   Chip area for module '\\deq': 700.000000\n\n"
    "=== fp_add ===\n\n   Number of cells:                 20\n"
    "     NOR2X1                         20\n\n"
    "   Chip area for module '\\fp_add': 300.000000\n\n"
    "=== pe ===\n\n   Number of cells:                  5\n"
    "     DFFPOSX1                        5\n\n"
    "   Chip area for module '\\pe': 100.000000\n\n"
    "=== top ===\n\n   Number of cells:                  9\n"
    "     INVX1                           3\n     deq                             2\n"
    "     pe                              4\n\n"
    "   Chip area for module '\\top': 50.000000\n\n"
    "=== design hierarchy ===\n\n"
    "   top                               1\n"
    "     deq                             2\n"
    "       fp_add                        1\n"
    "     pe                              4\n\n"
    "   Number of wires:                100\n"
    "   Number of cells:                 75\n"
    "     DFFPOSX1                       20\n\n"
    "   Chip area for top module '\\top': 2450.000000\n\n";

static const char cmos_report[] =
    "=== pe ===\n\n   Estimated number of transistors:         96\n\n"
    "=== top ===\n\n   Estimated number of transistors:         12+\n\n"
    "=== design hierarchy ===\n\n   top      1\n     pe    4\n\n"
    "   Number of cells:                 30\n\n"
    "   Estimated number of transistors:        396\n";

static void test_stat_hierarchy(void **state)
{
    (void)state;
    char lib[96], cmos[96];
    temp_path(lib, sizeof lib, "lib.txt");
    temp_path(cmos, sizeof cmos, "cmos.txt");
    write_text(lib, lib_report);
    write_text(cmos, cmos_report);
    mp_synth_result r;
    mp_diag d;
    memset(&r, 0, sizeof r);
    r.target = MP_SYNTH_ASIC;
    snprintf(r.top, sizeof r.top, "top");
    assert_int_equal(mp_synth_parse(lib, cmos, &r, &d), 0);
    assert_true(fabs(r.area_um2 - 2450.0) < 1e-9);
    assert_int_equal(r.transistors, 396);
    assert_int_equal(r.cells, 75);
    int pe = mp_synth_pe_module(&r, 4);
    assert_true(pe >= 0);
    assert_string_equal(r.mods[pe].name, "pe");
    for (int i = 0; i < r.nmods; i++) {
        const mp_synth_module *m = &r.mods[i];
        if (!strcmp(m->name, "fp_add")) { /* 1 per deq x 2 deq */
            assert_int_equal(m->instances, 2);
            assert_true(fabs(m->subtree_um2 - 300.0) < 1e-9);
        }
        if (!strcmp(m->name, "deq"))
            assert_true(fabs(m->subtree_um2 - 1000.0) < 1e-9);
        if (!strcmp(m->name, "top")) /* 50 + 2 x 1000 + 4 x 100 */
            assert_true(fabs(m->subtree_um2 - 2450.0) < 1e-9);
    }
    /* PEs direct children of the top: edge = the two deq subtrees */
    mp_synth_area a = mp_synth_area_split(&r, pe);
    assert_true(fabs(a.pes - 400.0) < 1e-9);
    assert_true(fabs(a.top_own - 50.0) < 1e-9);
    assert_true(fabs(a.edge - 2000.0) < 1e-9);
    /* no module is instantiated 3 times */
    assert_int_equal(mp_synth_pe_module(&r, 3), -1);
    remove(lib);
    remove(cmos);
}

/* The sections of a dequantizer (700 um^2 own) holding one FP32 adder
 * (300), as `stat -liberty` prints them. */
#define DEQ_SECTIONS \
    "=== deq ===\n\n   Number of cells:                 12\n" \
    "     NAND2X1                        11\n     fp_add                          1\n\n" \
    "   Chip area for module '\\deq': 700.000000\n\n" \
    "=== fp_add ===\n\n   Number of cells:                 20\n" \
    "     NOR2X1                         20\n\n" \
    "   Chip area for module '\\fp_add': 300.000000\n\n"

/* Parse a canned asic `stat -liberty` report (top module "top"). */
static void parse_asic(const char *path, mp_synth_result *r)
{
    mp_diag d;
    memset(r, 0, sizeof *r);
    r->target = MP_SYNTH_ASIC;
    snprintf(r->top, sizeof r->top, "top");
    assert_int_equal(mp_synth_parse(path, NULL, r, &d), 0);
}

/* A module instantiated by two different parents (an FP32 adder in the
 * dequantizer and in the PE) counts in both parents' subtrees: pe = 100 +
 * 2 x 300, top = 50 + 2 x 1000 + 4 x 700 = Yosys's chip area. */
static void test_stat_shared_module(void **state)
{
    (void)state;
    char lib[96];
    temp_path(lib, sizeof lib, "shared.txt");
    write_text(lib,
        DEQ_SECTIONS
        "=== pe ===\n\n   Number of cells:                  7\n"
        "     DFFPOSX1                        5\n     fp_add                          2\n\n"
        "   Chip area for module '\\pe': 100.000000\n\n"
        "=== top ===\n\n   Number of cells:                  9\n"
        "     INVX1                           3\n     deq                             2\n"
        "     pe                              4\n\n"
        "   Chip area for module '\\top': 50.000000\n\n"
        "=== design hierarchy ===\n\n"
        "   top                               1\n"
        "     deq                             2\n"
        "       fp_add                        1\n"
        "     pe                              4\n"
        "       fp_add                        2\n\n"
        "   Number of cells:                245\n\n"
        "   Chip area for top module '\\top': 4850.000000\n\n");
    mp_synth_result r;
    parse_asic(lib, &r);
    int seen = 0;
    for (int i = 0; i < r.nmods; i++) {
        const mp_synth_module *m = &r.mods[i];
        double want = !strcmp(m->name, "fp_add") ? 300.0
                    : !strcmp(m->name, "deq")    ? 1000.0
                    : !strcmp(m->name, "pe")     ? 700.0
                    : !strcmp(m->name, "top")    ? 4850.0 : -1.0;
        if (want < 0)
            continue;
        seen++;
        assert_true(fabs(m->subtree_um2 - want) < 1e-9);
        if (!strcmp(m->name, "fp_add")) /* 2 x 1 + 4 x 2 */
            assert_int_equal(m->instances, 10);
        if (!strcmp(m->name, "top")) /* 9 + 2 x (12 + 20) + 4 x (7 + 2 x 20) */
            assert_int_equal(m->subtree_cells, 261);
    }
    assert_int_equal(seen, 4);
    remove(lib);
}

/* PEs inside a core module (top -> core -> 4 pe): the edge is the
 * whole minus the top's own cells minus every PE instance, wherever the
 * PEs sit: 2 deq x 1000 + the core's own 30 = 2030, not the core's
 * whole subtree (430, PEs included) + 2000. */
static void test_stat_nested_pe_edge(void **state)
{
    (void)state;
    char lib[96];
    temp_path(lib, sizeof lib, "nested.txt");
    write_text(lib,
        "=== core ===\n\n   Number of cells:                  7\n"
        "     DFFPOSX1                        3\n     pe                              4\n\n"
        "   Chip area for module '\\core': 30.000000\n\n"
        DEQ_SECTIONS
        "=== pe ===\n\n   Number of cells:                  5\n"
        "     DFFPOSX1                        5\n\n"
        "   Chip area for module '\\pe': 100.000000\n\n"
        "=== top ===\n\n   Number of cells:                  6\n"
        "     INVX1                           3\n     core                            1\n"
        "     deq                             2\n\n"
        "   Chip area for module '\\top': 50.000000\n\n"
        "=== design hierarchy ===\n\n"
        "   top                               1\n"
        "     core                            1\n"
        "       pe                            4\n"
        "     deq                             2\n"
        "       fp_add                        1\n\n"
        "   Number of cells:                 93\n\n"
        "   Chip area for top module '\\top': 2480.000000\n\n");
    mp_synth_result r;
    mp_diag d;
    parse_asic(lib, &r);
    int pe = mp_synth_pe_module(&r, 4);
    assert_true(pe >= 0);
    assert_string_equal(r.mods[pe].name, "pe");
    mp_synth_area a = mp_synth_area_split(&r, pe);
    assert_true(fabs(a.pes - 400.0) < 1e-9);
    assert_true(fabs(a.top_own - 50.0) < 1e-9);
    assert_true(fabs(a.edge - 2030.0) < 1e-9);
    /* timing: the core holding the PEs is timed, but as no edge unit */
    mp_sta_module mods[MP_TIMING_MAX_MODULES];
    int n = mp_synth_sta_modules(&r, pe, mods, &d);
    assert_int_equal(n, 3);
    for (int i = 0; i < n; i++) {
        const char *want = !strcmp(mods[i].name, "core") ? "core"
                           : !strcmp(mods[i].name, "pe") ? "pe"
                                                         : "edge";
        assert_string_equal(mods[i].role, want);
    }
    remove(lib);
}

/* Append a section of a `stat` report to buf: "=== TITLE ===" (none for
 * NULL: the totals closing the design hierarchy), the cell count, and one
 * line "     CELL   COUNT" per pair of `cells` ("LUT6 2 FDRE 30"). */
static void stat_section(char *buf, size_t cap, const char *title,
                         long ncells, const char *cells)
{
    size_t len = strlen(buf);
    if (title)
        len += (size_t)snprintf(buf + len, cap - len, "=== %s ===\n\n",
                                title);
    len += (size_t)snprintf(buf + len, cap - len,
                            "   Number of cells: %16ld\n", ncells);
    char name[32];
    long n;
    int used;
    while (sscanf(cells, "%31s %ld%n", name, &n, &used) == 2) {
        assert_true(len < cap);
        len += (size_t)snprintf(buf + len, cap - len, "     %-26s %4ld\n",
                                name, n);
        cells += used;
    }
    assert_true(len + 1 < cap);
    snprintf(buf + len, cap - len, "\n");
}

/* Parse a canned xcup `stat` report (top module "top") written to a
 * temporary file, which is removed again. */
static void parse_xcup(const char *tag, const char *text, mp_synth_result *r)
{
    char path[96];
    temp_path(path, sizeof path, tag);
    write_text(path, text);
    mp_diag d;
    memset(r, 0, sizeof *r);
    r->target = MP_SYNTH_XCUP;
    snprintf(r->top, sizeof r->top, "top");
    assert_int_equal(mp_synth_parse(path, NULL, r, &d), 0);
    remove(path);
}

static void test_stat_fpga_single_module(void **state)
{
    (void)state;
    mp_synth_result r;
    char text[1024] = "";
    stat_section(text, sizeof text, "top", 43, "BUFG 1 CARRY8 2 DSP48E2 2 "
                 "FDRE 30 LUT2 4 LUT6 2 RAMB36E2 1 RAM32M 1");
    parse_xcup("fpga.txt", text, &r);
    assert_int_equal(r.lut, 6);
    assert_int_equal(r.ff, 30);
    assert_int_equal(r.dsp, 2);
    assert_int_equal(r.bram18, 2);
    assert_int_equal(r.lutram, 1);
    assert_int_equal(r.carry, 2);
    assert_int_equal(r.cells, 43);
}

/* xcup with hierarchy: a unit's LUT / FF / DSP are its own cells plus
 * per-parent x its submodules' (deq: 10 LUT + 8 FF own, one fp_add of 5
 * LUT + 1 DSP -> 15 / 8 / 1; top: 1 LUT + 2 x deq -> 31 / 16 / 2), as
 * the xcup.yaml dequant unit is read off `mpsim synth`. */
static void test_stat_fpga_subtrees(void **state)
{
    (void)state;
    mp_synth_result r;
    char text[2048] = "";
    stat_section(text, sizeof text, "deq", 19, "FDRE 8 LUT6 10 fp_add 1");
    stat_section(text, sizeof text, "fp_add", 8, "CARRY8 2 DSP48E2 1 LUT3 5");
    stat_section(text, sizeof text, "top", 3, "LUT1 1 deq 2");
    strcat(text, "=== design hierarchy ===\n\n"
                 "   top                               1\n"
                 "     deq                             2\n"
                 "       fp_add                        1\n\n");
    stat_section(text, sizeof text, NULL, 57, "CARRY8 4 DSP48E2 2 FDRE 16 "
                 "LUT1 1 LUT3 10 LUT6 20");
    parse_xcup("fpgah.txt", text, &r);
    assert_int_equal(r.lut, 31);
    assert_int_equal(r.ff, 16);
    assert_int_equal(r.dsp, 2);
    int seen = 0;
    for (int i = 0; i < r.nmods; i++) {
        const mp_synth_module *m = &r.mods[i];
        long want[3];
        if (!strcmp(m->name, "deq"))
            want[0] = 15, want[1] = 8, want[2] = 1;
        else if (!strcmp(m->name, "fp_add"))
            want[0] = 5, want[1] = 0, want[2] = 1;
        else if (!strcmp(m->name, "top"))
            want[0] = 31, want[1] = 16, want[2] = 2;
        else
            continue;
        seen++;
        assert_int_equal(m->subtree_lut, want[0]);
        assert_int_equal(m->subtree_ff, want[1]);
        assert_int_equal(m->subtree_dsp, want[2]);
    }
    assert_int_equal(seen, 3);
}

static void test_stat_missing(void **state)
{
    (void)state;
    mp_synth_result r;
    mp_diag d;
    memset(&r, 0, sizeof r);
    r.target = MP_SYNTH_ASIC;
    assert_int_equal(mp_synth_parse("/nonexistent/stat.txt", NULL, &r, &d), -1);
    assert_string_equal(d.field, "synth");
}

/* The netlist check before OpenSTA: an assign with a concatenation on
 * its left is refused at its line; plain assigns and an instance's
 * concatenated port are not that. */
static void test_sta_netlist_check(void **state)
{
    (void)state;
    char path[128];
    mp_diag d;
    temp_path(path, sizeof path, "sta.v");
    write_text(path, "module m(a, b, y);\n"
                     "  input a, b;\n"
                     "  output [1:0] y;\n"
                     "  wire [1:0] x;\n"
                     "  assign y = x;\n"
                     "  sub u (.a({ a, b }), .y(x));\n"
                     "endmodule\n");
    assert_int_equal(mp_synth_check_sta_netlist(path, &d), 0);
    write_text(path, "module m(a, b, y);\n"
                     "  input a, b;\n"
                     "  output [1:0] y;\n"
                     "  assign y[0] = a;\n"
                     "  assign  { y[1], y[0] } = { b, a };\n"
                     "endmodule\n");
    assert_int_equal(mp_synth_check_sta_netlist(path, &d), -1);
    assert_int_equal(d.line, 5);
    assert_string_equal(d.field, "synth");
    assert_non_null(strstr(d.msg, "concatenation on its left"));
    remove(path);
    assert_int_equal(mp_synth_check_sta_netlist(path, &d), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_check_tile),
        cmocka_unit_test(test_compare_floats),
        cmocka_unit_test(test_stim_roundtrip),
        cmocka_unit_test(test_tiles_bad_file),
        cmocka_unit_test(test_stat_hierarchy),
        cmocka_unit_test(test_stat_shared_module),
        cmocka_unit_test(test_stat_nested_pe_edge),
        cmocka_unit_test(test_stat_fpga_single_module),
        cmocka_unit_test(test_stat_fpga_subtrees),
        cmocka_unit_test(test_stat_missing),
        cmocka_unit_test(test_sta_netlist_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
