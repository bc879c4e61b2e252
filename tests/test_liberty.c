/*
 * test_liberty.c - what mpsim reads of a Liberty library before it scales
 * figures mapped to it (sim/synth/liberty.h): name, nom_voltage and the
 * node, OSU 0.18 um's 180 nm or the caller's; a header whose comment
 * mentions another library group; and every refusal with its file, line
 * and field.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "sim/synth/liberty.h"
#include "tmpfiles.h"

/* a header as OSU 0.18 um's starts (qflow-tech-osu018): the library
 * group on line 3, nom_voltage on line 5, then the cells */
static const char osu[] =
    "/* OSU 0.18 um */\n"
    "\n"
    "library(osu018_stdcells) {\n"
    "  delay_model : table_lookup;\n"
    "  nom_voltage : 1.8;\n"
    "  cell (INVX1) {\n"
    "    nom_voltage : 9;\n"           /* inside a cell: not read */
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
        cmocka_unit_test(test_broken),
    };
    return cmocka_run_group_tests(tests, tmpfiles_setup, tmpfiles_teardown);
}
