/*
 * test_precision.c - a precision other than the arch's own prices what the
 * arch's file written at that precision prices (docs/model.md, "Another
 * precision"): the fields the file left unset (lut-tc table_fmt and acc,
 * tile...) take the family defaults of the new precision, not the ones
 * resolved for the arch's own.  For every preset (mp_arch_presets) and
 * every activation format, "preset at act X" is compared with "the
 * preset's YAML edited to act: X":
 *   - per op (a workload's quant, the arch built at its own precision):
 *     the op's cycles and dynamic PE and edge energy;
 *   - the arch at X (mpsim gemm --act X, mp_arch_set_precision): the whole
 *     layer, leakage included, and the PE cost.
 * A format the edited file is refused at must be refused both ways.
 * Runs from the repository root (presets and tech tables are read there).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden/datadir.h"
#include "sim/arch.h"
#include "sim/simulate.h"

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* text with the pe: block's "  KEY:" line set to value (inserted at the
 * block's end when it has none); malloc'd. */
static char *with_pe_field(const char *text, const char *key,
                           const char *value)
{
    size_t cap = strlen(text) + 128, n = 0;
    char *out = malloc(cap);
    assert_non_null(out);
    char lead[40];
    snprintf(lead, sizeof lead, "  %s:", key);
    int in_pe = 0, done = 0;
    for (const char *l = text; *l;) {
        const char *e = strchr(l, '\n');
        size_t len = e ? (size_t)(e - l) + 1 : strlen(l);
        int top = l[0] != ' ' && l[0] != '#' && l[0] != '\n';
        if (top && in_pe && !done) { /* the pe: block has no KEY: */
            n += (size_t)snprintf(out + n, cap - n, "%s %s\n", lead, value);
            done = 1;
        }
        if (top)
            in_pe = !strncmp(l, "pe:", 3);
        if (in_pe && !done && !strncmp(l, lead, strlen(lead))) {
            n += (size_t)snprintf(out + n, cap - n, "%s %s\n", lead, value);
            done = 1;
        } else {
            memcpy(out + n, l, len);
            n += len;
        }
        l += len;
    }
    out[n] = '\0';
    assert_true(done);
    return out;
}

static void same(double got, double want, const char *what,
                 const char *arch, const char *act)
{
    if (got != want)
        fail_msg("%s at act %s: %s %.17g, written %.17g", arch, act, what,
                 got, want);
}

/* One arch (preset name) at one act format against its edited file;
 * 1 if both ran and were compared. */
static int compare(const char *name, const char *text, mp_act_fmt act)
{
    const char *an = mp_act_name(act);
    mp_diag d;
    mp_arch own, at, written;
    assert_int_equal(mp_arch_open(name, "--arch", &own, &d), 0);
    if (own.pe_params.act == act) {
        mp_arch_free(&own);
        return 0;
    }
    mp_trace_op op;
    memset(&op, 0, sizeof op);
    snprintf(op.name, sizeof op.name, "gemm");
    op.kind = MP_OP_GEMM_WEIGHT;
    op.m = 64, op.n = 256, op.k = 512, op.repeat = 1;
    op.wfmt = own.pe_params.wfmt;
    op.act = act;
    op.group_size = own.pe_params.group_size;
    op.has_zeros = own.pe_params.has_zeros;

    char *edited = with_pe_field(text, "act", an);
    memset(&written, 0, sizeof written);
    int w_rc = mp_arch_load_string(edited, name, &written, &d) ||
               mp_arch_bind(&written, &d);
    free(edited);
    mp_layer per_op, whole, want;
    int op_rc = mp_simulate_op(&own, &op, &per_op, &d);
    at = own; /* shares own's tech table: freed once, with own */
    int at_rc = mp_arch_set_precision(&at, op.wfmt, act, op.name, &d) ||
                mp_simulate_op(&at, &op, &whole, &d);
    if (w_rc || mp_simulate_op(&written, &op, &want, &d)) {
        if (!op_rc || !at_rc)
            fail_msg("%s at act %s: the written file is refused, the "
                     "override is not (%s)", name, an,
                     !op_rc ? "per op" : "arch");
    } else {
        if (op_rc || at_rc)
            fail_msg("%s at act %s: refused (%s), the written file runs",
                     name, an, d.msg);
        same((double)per_op.cycles, (double)want.cycles, "op cycles",
             name, an);
        same(per_op.e.pe, want.e.pe, "op PE pJ", name, an);
        same(per_op.e.edge, want.e.edge, "op edge pJ", name, an);
        same((double)whole.cycles, (double)want.cycles, "cycles", name, an);
        same(whole.e.pe, want.e.pe, "PE pJ", name, an);
        same(whole.e.edge, want.e.edge, "edge pJ", name, an);
        same(whole.e.sram, want.e.sram, "SRAM pJ", name, an);
        same(whole.e.dram, want.e.dram, "DRAM pJ", name, an);
        same(whole.e.leakage, want.e.leakage, "leakage pJ", name, an);
        same(whole.e.total, want.e.total, "total pJ", name, an);
        same(at.cost.area_um2, written.cost.area_um2, "PE um^2", name, an);
        same(at.cost.leakage_uw, written.cost.leakage_uw, "PE leakage uW",
             name, an);
    }
    int ran = !w_rc && !op_rc && !at_rc;
    mp_arch_free(&written); /* its tech table, even if bind refused */
    mp_arch_free(&own);
    return ran;
}

static void override_prices_as_written(void **state)
{
    (void)state;
    char names[64][64];
    int n = mp_arch_presets(names, 64), compared = 0;
    assert_true(n > 0);
    for (int i = 0; i < n; i++) {
        char path[4096];
        assert_int_equal(mp_data_path("sim/arch", names[i], ".yaml", path,
                                      sizeof path), 0);
        char *text = slurp(path);
        int ran = 0;
        for (int act = 0; act < MP_ACT_COUNT; act++)
            ran += compare(names[i], text, (mp_act_fmt)act);
        free(text);
        compared += ran;
    }
    /* another format runs on most presets (not all: int8-mac takes INT8
     * only), so more comparisons ran than there are presets */
    assert_true(compared >= n);
}

/* The measured case of the bug: lut-tc (FP16 tables for its FP16
 * activations) at INT8 activations prices INT16 tables, as a file written
 * with act: int8 does, and less than FP16 tables would cost. */
static void lut_tc_int8_gets_int16_tables(void **state)
{
    (void)state;
    mp_diag d;
    mp_arch a;
    assert_int_equal(mp_arch_open("lut-tc", "--arch", &a, &d), 0);
    assert_int_equal(a.pe_params.table_fmt, MP_ACT_FP16);
    mp_pe_params p;
    mp_arch_pe_at(&a, a.pe_params.wfmt, MP_ACT_INT8, &p);
    assert_int_equal(a.pe->check(&p, &d), 0);
    assert_int_equal(p.table_fmt, MP_ACT_INT16);
    assert_int_equal(p.acc, MP_ACC_INT);
    /* a field the file sets survives another precision */
    char path[4096];
    assert_int_equal(mp_data_path("sim/arch", "lut-tc", ".yaml", path,
                                  sizeof path), 0);
    char *text = slurp(path);
    char *fp32 = with_pe_field(text, "table_fmt", "fp32");
    mp_arch b;
    assert_int_equal(mp_arch_load_string(fp32, "lut-tc", &b, &d), 0);
    free(fp32);
    free(text);
    assert_int_equal(mp_arch_bind(&b, &d), 0);
    mp_arch_pe_at(&b, b.pe_params.wfmt, MP_ACT_INT8, &p);
    assert_int_equal(b.pe->check(&p, &d), 0);
    assert_int_equal(p.table_fmt, MP_ACT_FP32);
    mp_arch_free(&b);
    mp_arch_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(lut_tc_int8_gets_int16_tables),
        cmocka_unit_test(override_prices_as_written),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
