/*
 * test_vcd.c - the Value Change Dump reader (sim/cosim/vcd.h): toggles of
 * a scope and the scopes below it (glitches and x counted as the contract
 * says), samples before each rising clock edge in $readmemb form, every
 * malformed file refused with FILE:LINE, and random corruptions of a
 * valid file either read or refused, never a crash (ASan/UBSan in make
 * test).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "golden/rng.h"
#include "sim/cosim/vcd.h"
#include "mutate.h"
#include "tmpfiles.h"

/* the shape of iverilog 11's $dumpvars: a testbench, the PE under it and
 * one cell-level sub-scope; x[1:0] changes at the clock's falling edge */
static const char good[] =
    "$date\n\tSun Dec  6 2026\n$end\n$version\n\tIcarus Verilog\n$end\n"
    "$timescale\n\t10ps\n$end\n"
    "$scope module tb $end\n"
    "$var reg 1 ! clk $end\n"
    "$scope module dut $end\n"
    "$var wire 1 \" clk $end\n"
    "$var wire 2 # x [1:0] $end\n"
    "$var wire 1 $ _05_ $end\n"
    "$var wire 1 % \\u_m.q $end\n"
    "$scope module u1 $end\n"
    "$var wire 1 & Y $end\n"
    "$upscope $end\n$upscope $end\n$upscope $end\n"
    "$enddefinitions $end\n"
    "#0\n$dumpvars\n0!\n0\"\nbx #\nx$\n0%\n0&\n$end\n"
    "#5\n1!\n1\"\nb1 #\n1$\n"      /* edge 1 samples x = xx -> 00 */
    "#7\n0$\n1$\n"                 /* a glitch: two toggles of _05_ */
    "#10\n0!\n0\"\nb10 #\n1%\n"
    "#15\n1!\n1\"\n0$\n"           /* edge 2 samples x = 10 */
    "#20\n0!\n0\"\nb11 #\n1&\n"
    "#25\n1!\n1\"\nx&\n#30\n0&\n"; /* edge 3 samples 11; & 1 x 0: one */

static int read_req(const char *text, mp_vcd_req *q, mp_diag *d)
{
    return mp_vcd_read(write_tmp("a.vcd", text), q, d);
}

static void test_toggles(void **state)
{
    (void)state;
    mp_toggles t = {0, NULL};
    mp_vcd_req q = {"tb.dut", &t, NULL, 0, NULL, NULL, 0};
    mp_diag d;
    assert_int_equal(read_req(good, &q, &d), 0);
    assert_int_equal(t.count, 6);
    assert_true(mp_toggle_count(&t, "clk") == 5);
    assert_true(mp_toggle_count(&t, "x[0]") == 2); /* x 1 0 1 */
    assert_true(mp_toggle_count(&t, "x[1]") == 1);
    assert_true(mp_toggle_count(&t, "_05_") == 3);
    assert_true(mp_toggle_count(&t, "u_m/q") == 1);
    assert_true(mp_toggle_count(&t, "u1/Y") == 2);
    mp_toggles_free(&t);
}

static void test_samples(void **state)
{
    (void)state;
    const char *sig[] = {"x", "_05_"};
    char buf[256] = "";
    FILE *fp = fopen(tmp_path("s.mem"), "w+");
    assert_non_null(fp);
    mp_vcd_req q = {"tb.dut", NULL, "clk", 2, sig, fp, 0};
    mp_diag d;
    assert_int_equal(read_req(good, &q, &d), 0);
    assert_int_equal(q.edges, 3);
    rewind(fp);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = 0;
    fclose(fp);
    /* before #5: x=xx _05_=x; before #15: x=10 _05_=1; before #25: 11 0 */
    assert_string_equal(buf, "000\n101\n110\n");
    q.clock = "x";
    assert_int_equal(read_req(good, &q, &d), -1);
    q.clock = "clk";
    sig[1] = "nosuch";
    assert_int_equal(read_req(good, &q, &d), -1);
    /* an instance's ports named below the scope, sampled on the scope's
     * clock (gate_sim.c: an edge unit on the top's clk): the same lines */
    const char *below[] = {"dut/x", "dut/_05_"};
    fp = fopen(tmp_path("s2.mem"), "w+");
    assert_non_null(fp);
    mp_vcd_req qb = {"tb", NULL, "clk", 2, below, fp, 0};
    assert_int_equal(read_req(good, &qb, &d), 0);
    assert_int_equal(qb.edges, 3);
    rewind(fp);
    n = fread(buf, 1, sizeof buf - 1, fp);
    buf[n] = 0;
    fclose(fp);
    assert_string_equal(buf, "000\n101\n110\n");
    below[1] = "u1/nosuch";
    fp = fopen(tmp_path("s3.mem"), "w+");
    assert_non_null(fp);
    qb.samples = fp;
    assert_int_equal(read_req(good, &qb, &d), -1);
    fclose(fp);
}

/* The split by windows (vcd.h): period 0.1 ns = 10 units of 10 ps from
 * #5, the first rising edge (offset 5 units): windows 1 = [#0, #15) (the
 * settling before #5 joins it), 2 = [#15, #25), 3 = [#25, ...); window 1
 * busy.  Worked by hand from `good`: clk rises/falls at 5 10 | 15 20 |
 * 25; x[0] (x 1 | 0 ... ) toggles at #10 (w1) and #20 (w2); x[1] at #10;
 * _05_ at #7 twice (w1) and #15 (w2); u_m/q at #10; u1/Y at #20 (w2) and
 * 1 x 0 by #30 (w3). */
static void test_split(void **state)
{
    (void)state;
    static const unsigned char busy[] = {0, 1, 0, 0};
    mp_toggles t = {0, NULL}, idle = {0, NULL};
    mp_vcd_req q = {"tb.dut", &t, NULL, 0, NULL, NULL, 0, &idle, 0.1, 0.05,
                    busy, 4};
    mp_diag d;
    assert_int_equal(read_req(good, &q, &d), 0);
    assert_int_equal(t.count, 6);
    assert_int_equal(idle.count, 6);
    static const struct {
        const char *name;
        double busy, idle;
    } want[] = {{"clk", 2, 3},  {"x[0]", 1, 1},  {"x[1]", 1, 0},
                {"_05_", 2, 1}, {"u_m/q", 1, 0}, {"u1/Y", 0, 2}};
    for (size_t i = 0; i < sizeof want / sizeof *want; i++) {
        assert_true(mp_toggle_count(&t, want[i].name) == want[i].busy);
        assert_true(mp_toggle_count(&idle, want[i].name) == want[i].idle);
    }
    mp_toggles_free(&t);
    mp_toggles_free(&idle);
    /* windows past nwin are idle: all 13 toggles there */
    q.nwin = 1;
    assert_int_equal(read_req(good, &q, &d), 0);
    double sum = 0;
    for (int i = 0; i < t.count; i++)
        sum += t.v[i].count;
    assert_true(sum == 0);
    mp_toggles_free(&t);
    mp_toggles_free(&idle);
    /* a split needs a $timescale; "10 ps" in two tokens is one */
    const char *ts = strstr(good, "$scope");
    char text[sizeof good + 32];
    snprintf(text, sizeof text, "%s", ts);
    assert_int_equal(read_req(text, &q, &d), -1);
    assert_string_equal(d.field, "vcd");
    mp_toggles_free(&t);
    mp_toggles_free(&idle);
    snprintf(text, sizeof text, "$timescale 10 ps $end\n%s", ts);
    assert_int_equal(read_req(text, &q, &d), 0);
    mp_toggles_free(&t);
    mp_toggles_free(&idle);
    snprintf(text, sizeof text, "$timescale 3ps $end\n%s", ts);
    assert_int_equal(read_req(text, &q, &d), -1);
    assert_int_equal(d.line, 1);
    mp_toggles_free(&t);
    mp_toggles_free(&idle);
}

/* many variables (the identifier table grows and is rebuilt) and the
 * scope's clock an alias of the first one, declared last */
static void test_aliases(void **state)
{
    (void)state;
    static char text[64 * 1024];
    size_t n = (size_t)snprintf(text, sizeof text, "$scope module tb $end\n"
                                "$var wire 1 c0 clk $end\n");
    for (int i = 1; i < 2000; i++)
        n += (size_t)snprintf(text + n, sizeof text - n,
                              "$var wire 1 c%d s%d $end\n", i, i);
    snprintf(text + n, sizeof text - n, "$scope module dut $end\n"
             "$var wire 1 c0 clk $end\n$var wire 1 c7 d $end\n"
             "$upscope $end\n$upscope $end\n$enddefinitions $end\n"
             "#0\n0c0\n0c7\n#1\n1c0\n#2\n0c0\n1c7\n#3\n1c0\n");
    mp_toggles t = {0, NULL};
    const char *sig[] = {"d"};
    FILE *fp = fopen(tmp_path("al.mem"), "w");
    assert_non_null(fp);
    mp_vcd_req q = {"tb.dut", &t, "clk", 1, sig, fp, 0};
    mp_diag d;
    assert_int_equal(read_req(text, &q, &d), 0);
    fclose(fp);
    assert_int_equal(q.edges, 2);
    assert_true(mp_toggle_count(&t, "clk") == 3);
    assert_true(mp_toggle_count(&t, "d") == 1);
    mp_toggles_free(&t);
}

static void bad(const char *text, int line)
{
    mp_toggles t = {0, NULL};
    mp_vcd_req q = {"tb.dut", &t, NULL, 0, NULL, NULL, 0};
    mp_diag d;
    memset(&d, 0, sizeof d);
    assert_int_equal(read_req(text, &q, &d), -1);
    assert_int_equal(d.line, line);
    assert_string_equal(d.field, "vcd");
    assert_int_equal(t.count, 0);
    mp_toggles_free(&t);
}

#define HDR "$scope module tb $end\n$scope module dut $end\n" \
            "$var wire 2 # x [1:0] $end\n$upscope $end\n$upscope $end\n"
#define DEFS HDR "$enddefinitions $end\n"

static void test_bad(void **state)
{
    (void)state;
    bad("", 1);
    bad("$scope module tb $end\n", 2);                 /* no $enddefinitions */
    bad("$bogus\n", 1);
    bad("$scope module other $end\n$upscope $end\n$enddefinitions $end\n", 3);
    bad("$upscope $end\n", 1);
    bad("$scope module tb $end\n$enddefinitions $end\n", 2);
    bad(HDR "$var wire 0 ! y $end\n$enddefinitions $end\n", 6);
    bad(HDR "$var wire 2 ! y [3:0] $end\n$enddefinitions $end\n", 6);
    bad(HDR "$var wire 2 ! y [a:0] $end\n$enddefinitions $end\n", 6);
    bad(DEFS "#0\nb101 #\n", 8);                       /* wider than $var */
    bad(DEFS "#0\nb12 #\n", 8);
    bad(DEFS "#0\n1?\n", 8);                           /* unknown code */
    bad(DEFS "#5\n#4\n", 8);                           /* time backwards */
    bad(DEFS "#x\n", 7);
    bad(DEFS "#0\nq#\n", 8);
    bad(DEFS "#0\nb10\n", 9);                  /* no code: at EOF */
    bad(DEFS "#0\n\x01\n", 8);
    char *big = malloc(MP_VCD_TOKEN_MAX + 64);
    assert_non_null(big);
    memset(big, 'a', MP_VCD_TOKEN_MAX + 8);
    big[MP_VCD_TOKEN_MAX + 8] = 0;
    bad(big, 1);
    free(big);
    mp_vcd_req q = {"tb.dut", NULL, NULL, 0, NULL, NULL, 0};
    mp_diag d;
    assert_int_equal(mp_vcd_read(tmp_path("absent.vcd"), &q, &d), -1);
}

/* byte flips, truncations and insertions of the good file */
static void test_fuzz(void **state)
{
    (void)state;
    mp_rng rng;
    mp_rng_seed(&rng, 11);
    size_t len = sizeof good - 1;
    char buf[sizeof good + 8];
    const char *sig[] = {"x"};
    for (int i = 0; i < 3000; i++) {
        memcpy(buf, good, len + 1);
        mutate(buf, len, &rng, "$# \nbx1[");
        mp_toggles t = {0, NULL};
        FILE *fp = fopen(tmp_path("f.mem"), "w");
        assert_non_null(fp);
        mp_vcd_req q = {"tb.dut", &t, "clk", 1, sig, fp, 0};
        mp_diag d;
        int rc = read_req(buf, &q, &d);
        fclose(fp);
        assert_true(rc == 0 || rc == -1);
        assert_true(t.count >= 0 && t.count <= 8);
        mp_toggles_free(&t);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_toggles),
        cmocka_unit_test(test_samples),
        cmocka_unit_test(test_split),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_bad),
        cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests(tests, tmpfiles_setup, tmpfiles_teardown);
}
