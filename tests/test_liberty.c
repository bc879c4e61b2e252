/*
 * test_liberty.c - what mpsim reads of a Liberty library before it scales
 * figures mapped to it (sim/synth/liberty.h): name, nom_voltage and the
 * node, OSU 0.18 um's 180 nm or the caller's; a header whose comment
 * mentions another library group; its first buffer cell, past cells that
 * only look like one; and every refusal with its file, line and field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sim/synth/liberty.h"
#include "tmpfiles.h"

/* a header as OSU 0.18 um's starts (qflow-tech-osu018): the library
 * group on line 3, nom_voltage on line 5, then the cells; its buffer
 * BUFX2 (A -> Y) after an inverter, whose function is not its input */
static const char osu[] =
    "/* OSU 0.18 um */\n"
    "\n"
    "library(osu018_stdcells) {\n"
    "  delay_model : table_lookup;\n"
    "  nom_voltage : 1.8;\n"
    "  cell (INVX1) {\n"
    "    nom_voltage : 9;\n"           /* inside a cell: not read */
    "    pin(A) {\n      direction : input;\n    }\n"
    "    pin(Y) {\n      direction : output;\n      function : \"(!A)\";\n"
    "    }\n"
    "  }\n"
    "  cell (BUFX2) {\n"
    "    pin(A) {\n      direction : input;\n    }\n"
    "    pin(Y) {\n      direction : output;\n      function : \"A\";\n"
    "      timing() {\n        related_pin : \"A\";\n      }\n    }\n"
    "  }\n"
    "}\n";

/* cells that look like buffers but are not (a flip-flop's output is its
 * state, a tristate buffer, a two-input cell whose output follows one
 * input), then the buffer, then another: the first real one is taken */
static const char buffers[] =
    "library (b) {\n"
    "  nom_voltage : 1.2;\n"
    "  cell (DFF) {\n"
    "    ff (IQ, IQN) {\n      next_state : \"D\";\n    }\n"
    "    pin (D) {\n      direction : input;\n    }\n"
    "    pin (Q) {\n      direction : output;\n      function : \"D\";\n    }\n"
    "  }\n"
    "  cell (TBUF) {\n"
    "    pin (A) {\n      direction : input;\n    }\n"
    "    pin (Z) {\n      direction : output;\n      function : \"A\";\n"
    "      three_state : \"!EN\";\n    }\n"
    "  }\n"
    "  cell (AND_ISH) {\n"
    "    pin (A) {\n      direction : input;\n    }\n"
    "    pin (B) {\n      direction : input;\n    }\n"
    "    pin (Z) {\n      direction : output;\n      function : \"A\";\n    }\n"
    "  }\n"
    "  cell (BUF_X1) {\n"
    "    pin (A) {\n      direction : input;\n    }\n"
    "    pin (Z) {\n      direction : output;\n      function : \"( A )\";\n    }\n"
    "  }\n"
    "  cell (BUF_X2) {\n"
    "    pin (A) {\n      direction : input;\n    }\n"
    "    pin (Z) {\n      direction : output;\n      function : \"A\";\n    }\n"
    "  }\n"
    "}\n";

/* another library, its copyright block naming a fake group first */
static const char other[] =
    "/*\n"
    " * library (not_this_one) would be wrong\n"
    " */\n"
    "library (NangateOpenCellLibrary) {\n"
    "  nom_voltage             \t\t: 1.10;\n"
    "  cell (FA_X1) { }\n"
    "  cell (BUF_X1) {\n"
    "    pin (A) {\n\t\tdirection\t\t: input;\n    }\n"
    "    pin (Z) {\n\t\tdirection\t\t: output;\n\t\tfunction\t\t: \"A\";\n"
    "    }\n"
    "  }\n"
    "}\n";

static void test_osu(void **state)
{
    (void)state;
    mp_liberty lib;
    mp_diag d = {0};
    const char *path = write_tmp("osu.lib", osu);
    assert_int_equal(mp_liberty_open(&lib, path, 0, "--liberty-node", 0, &d),
                     0);
    assert_string_equal(lib.name, "osu018_stdcells");
    assert_int_equal(lib.name_line, 3);
    assert_true(lib.is_osu);
    assert_true(lib.node_nm == 180 && lib.vdd == 1.8);
    assert_string_equal(lib.label, "OSU 0.18 um at 1.8 V");
    assert_string_equal(lib.buffer, "BUFX2");
    assert_string_equal(lib.buffer_in, "A");
    assert_string_equal(lib.buffer_out, "Y");
    /* its own node may be given; no other */
    assert_int_equal(mp_liberty_open(&lib, path, 180, "--liberty-node", 1,
                                     &d), 0);
    assert_int_equal(mp_liberty_open(&lib, path, 45, "--liberty-node", 0,
                                     &d), -1);
    assert_string_equal(d.field, "--liberty-node");
    assert_non_null(strstr(d.msg, "45 nm, but"));
}

static void test_other(void **state)
{
    (void)state;
    mp_liberty lib;
    mp_diag d = {0};
    const char *path = write_tmp("other.lib", other);
    assert_int_equal(mp_liberty_open(&lib, path, 45, "--liberty-node", 0,
                                     &d), 0);
    assert_string_equal(lib.name, "NangateOpenCellLibrary");
    assert_int_equal(lib.name_line, 4);
    assert_false(lib.is_osu);
    assert_true(lib.node_nm == 45 && lib.vdd == 1.1);
    assert_string_equal(lib.cells, "NangateOpenCellLibrary (45 nm)");
    assert_string_equal(lib.label, "NangateOpenCellLibrary (45 nm) at 1.1 V");
    assert_string_equal(lib.buffer, "BUF_X1");
    assert_string_equal(lib.buffer_out, "Z");
    /* no node: refused at its library group, naming the option */
    assert_int_equal(mp_liberty_open(&lib, path, 0, "--liberty-node", 0,
                                     &d), -1);
    assert_int_equal(d.line, 4);
    assert_string_equal(d.field, "library");
    assert_non_null(strstr(d.msg, "give its process node with "
                                  "--liberty-node NM"));
    /* a consumer whose figures are OSU's refuses it with or without one */
    assert_int_equal(mp_liberty_open(&lib, path, 45, "--liberty", 1, &d),
                     -1);
    assert_non_null(strstr(d.msg, "these figures are OSU's"));
    /* a node outside the scaling fits */
    assert_int_equal(mp_liberty_open(&lib, path, 5, "--liberty-node", 0,
                                     &d), -1);
    assert_non_null(strstr(d.msg, "outside 7..180 nm"));
}

static void test_buffers(void **state)
{
    (void)state;
    mp_liberty lib;
    mp_diag d = {0};
    const char *path = write_tmp("buffers.lib", buffers);
    assert_int_equal(mp_liberty_open(&lib, path, 45, "--liberty-node", 0,
                                     &d), 0);
    assert_string_equal(lib.buffer, "BUF_X1");
    assert_string_equal(lib.buffer_in, "A");
    assert_string_equal(lib.buffer_out, "Z");
    /* none: refused at the library group (the flow has no cell to put on
     * a port alias; one the library lacks would link as a black box) */
    path = write_tmp("nobuf.lib", "library (n) {\n  nom_voltage : 1;\n"
                     "  cell (FA_X1) { }\n}\n");
    assert_int_equal(mp_liberty_open(&lib, path, 45, "--liberty-node", 0,
                                     &d), -1);
    assert_int_equal(d.line, 1);
    assert_string_equal(d.field, "library");
    assert_non_null(strstr(d.msg, "no buffer cell in n"));
}

static void test_broken(void **state)
{
    (void)state;
    mp_liberty lib;
    mp_diag d = {0};
    assert_int_equal(mp_liberty_open(&lib, tmp_path("none.lib"), 45,
                                     "--liberty-node", 0, &d), -1);
    assert_non_null(strstr(d.msg, "cannot read"));
    const char *p = write_tmp("text.lib", "no library here\n");
    assert_int_equal(mp_liberty_open(&lib, p, 45, "--liberty-node", 0, &d),
                     -1);
    assert_string_equal(d.field, "library");
    p = write_tmp("novolt.lib", "library (x) {\n  cell (A) { }\n}\n");
    assert_int_equal(mp_liberty_open(&lib, p, 45, "--liberty-node", 0, &d),
                     -1);
    assert_string_equal(d.field, "nom_voltage");
    assert_int_equal(d.line, 1);
    p = write_tmp("badvolt.lib", "library (x) {\n  nom_voltage : 1.1x;\n}\n");
    assert_int_equal(mp_liberty_open(&lib, p, 45, "--liberty-node", 0, &d),
                     -1);
    assert_string_equal(d.field, "nom_voltage");
    assert_int_equal(d.line, 2);
    p = write_tmp("hugevolt.lib", "library (x) {\n  nom_voltage : 12;\n}\n");
    assert_int_equal(mp_liberty_open(&lib, p, 45, "--liberty-node", 0, &d),
                     -1);
    assert_non_null(strstr(d.msg, "(0, 5] V"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_osu),
        cmocka_unit_test(test_other),
        cmocka_unit_test(test_buffers),
        cmocka_unit_test(test_broken),
    };
    return cmocka_run_group_tests(tests, tmpfiles_setup, tmpfiles_teardown);
}
