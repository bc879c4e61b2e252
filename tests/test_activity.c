/*
 * test_activity.c - the Verilator toggle-coverage reader (sim/cosim/activity.h):
 * a real-shaped file, counts kept per module and accumulated over reads,
 * every malformed line refused with FILE:LINE, and random corruptions of a
 * valid file either read or refused, never a crash (ASan/UBSan in make
 * test).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "golden/rng.h"
#include "sim/cosim/activity.h"
#include "mutate.h"
#include "tmpfiles.h"

/* the shape of Verilator 5.006's coverage.dat (--coverage-toggle) */
static const char good[] =
    "# SystemC::Coverage-3\n"
    "C '\1f\2top.v\1l\00210\1n\00224\1page\2v_toggle/mpsim_top\1o\2clk"
    "\1h\2TOP.mpsim_top' 99\n"
    "C '\1f\2pe.v\1l\0026\1n\00217\1page\2v_toggle/mpsim_top_pe\1o\2clk"
    "\1h\2TOP.mpsim_top.u_pe_r*' 396\n"
    "C '\1f\2pe.v\1l\00210\1n\00223\1page\2v_toggle/mpsim_top_pe\1o\2x[3]"
    "\1h\2TOP.mpsim_top.u_pe_r*' 57\n"
    "C '\1f\2pe.v\1l\00210\1n\00223\1page\2v_toggle/mpsim_top_pe\1o\2w[0]"
    "\1h\2TOP.mpsim_top.u_pe_r*' 0\n";

static int read_text(const char *text, mp_toggles *t, mp_diag *d)
{
    return mp_toggle_read(write_tmp("cov.dat", text), "mpsim_top_pe", t, d);
}

static void test_good(void **state)
{
    (void)state;
    mp_toggles t = {0, NULL};
    mp_diag d;
    assert_int_equal(read_text(good, &t, &d), 0);
    assert_int_equal(t.count, 3); /* the top's clk is another module */
    assert_true(mp_toggle_count(&t, "clk") == 396);
    assert_true(mp_toggle_count(&t, "x[3]") == 57);
    assert_true(mp_toggle_count(&t, "w[0]") == 0);
    assert_true(mp_toggle_count(&t, "nosuch") == 0);
    /* a second run adds up */
    assert_int_equal(read_text(good, &t, &d), 0);
    assert_int_equal(t.count, 3);
    assert_true(mp_toggle_count(&t, "x[3]") == 114);
    mp_toggles_free(&t);
    assert_int_equal(t.count, 0);
    /* a parameterized module's specialization (Verilator: NAME__B2, the
     * DSP48E2 model) is the module; another module sharing the prefix
     * is not */
    assert_int_equal(read_text("# SystemC::Coverage-3\n"
        "C '\1page\2v_toggle/mpsim_top_pe__B2\1o\2CLK' 7\n"
        "C '\1page\2v_toggle/mpsim_top_pe_x\1o\2y' 5\n"
        "C '\1page\2v_toggle/mpsim_top_pe_\1o\2z' 5\n", &t, &d), 0);
    assert_int_equal(t.count, 1);
    assert_true(mp_toggle_count(&t, "CLK") == 7);
    mp_toggles_free(&t);
}

static void bad(const char *text, int line)
{
    mp_toggles t = {0, NULL};
    mp_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(read_text(text, &t, &d), -1);
    assert_int_equal(d.line, line);
    assert_string_equal(d.field, "coverage");
    mp_toggles_free(&t);
}

static void test_bad(void **state)
{
    (void)state;
    bad("", 0);
    bad("# something else\n", 1);
    bad("# SystemC::Coverage-3\nX '\1page\2a\1o\2b' 1\n", 2);
    bad("# SystemC::Coverage-3\nC '\1page\2v_toggle/mpsim_top_pe\1o\2b'\n", 2);
    bad("# SystemC::Coverage-3\nC '\1page\2v_toggle/mpsim_top_pe\1o\2b' 1x\n",
        2);
    bad("# SystemC::Coverage-3\nC '\1page\2v_toggle/mpsim_top_pe\1o\2b' -1\n",
        2);
    bad("# SystemC::Coverage-3\nC '\1page\2v_toggle/mpsim_top_pe\1o\2b' "
        "1234567890123456789\n", 2);
    bad("# SystemC::Coverage-3\nC 'page\2x' 1\n", 2);
    bad("# SystemC::Coverage-3\nC '\1o\2b' 1\n", 2);
    bad("# SystemC::Coverage-3\nC '\1page\2v_toggle/mpsim_top_pe' 1\n", 2);
    bad("# SystemC::Coverage-3\nC ' 1\n", 2);
    bad("# SystemC::Coverage-3\nC '\1page\2v_toggle/mpsim_top_pe\1o\2b' 1",
        2);
    char *big = malloc(MP_TOGGLE_LINE_MAX + 64);
    assert_non_null(big);
    snprintf(big, 32, "# SystemC::Coverage-3\nC '");
    size_t n = strlen(big);
    memset(big + n, 'a', MP_TOGGLE_LINE_MAX);
    snprintf(big + n + MP_TOGGLE_LINE_MAX, 16, "' 1\n");
    bad(big, 2);
    free(big);
    mp_toggles t = {0, NULL};
    mp_diag d;
    assert_int_equal(mp_toggle_read(tmp_path("absent.dat"), "m", &t, &d), -1);
}

/* byte flips, truncations and insertions of the good file */
static void test_fuzz(void **state)
{
    (void)state;
    mp_rng rng;
    mp_rng_seed(&rng, 11);
    size_t len = sizeof good - 1;
    char buf[sizeof good + 8];
    for (int i = 0; i < 2000; i++) {
        memcpy(buf, good, len + 1);
        mutate(buf, len, &rng, "'\1\2 \n9");
        mp_toggles t = {0, NULL};
        mp_diag d;
        int rc = read_text(buf, &t, &d);
        assert_true(rc == 0 || rc == -1);
        assert_true(t.count >= 0 && t.count <= 4);
        mp_toggles_free(&t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests(tests, tmpfiles_setup, tmpfiles_teardown);
}
