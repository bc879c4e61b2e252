/*
 * rtl_checks.h - assertions the Verilog generator tests share.
 *
 * rtl_cycles_ok(cfg, k): mp_rtl_cycles() of a tile of depth k, failing the
 * test with the diagnostic when the configuration is refused.
 * rtl_expect_reject(cfg, field): mp_rtl_generate() fails naming `field`
 * and leaves its output directory empty (no partial files).
 * Include after <cmocka.h>, rtl_gen/rtl.h and tests/tmpfiles.h.
 */
#ifndef MP_TESTS_RTL_CHECKS_H
#define MP_TESTS_RTL_CHECKS_H

static inline int64_t rtl_cycles_ok(const mp_rtl_cfg *cfg, int k)
{
    mp_diag d;
    int64_t c = mp_rtl_cycles(cfg, k, &d);
    if (c < 0)
        fail_msg("%s: %s", d.field, d.msg);
    return c;
}

static inline void rtl_expect_reject(const mp_rtl_cfg *cfg, const char *field)
{
    char *dir = make_tmpdir();
    mp_diag d;
    if (mp_rtl_generate(cfg, dir, &d) != -1)
        fail_msg("expected a failure on %s", field);
    assert_string_equal(d.field, field);
    assert_int_equal(count_files(dir), 0);
    remove_tree(dir);
    free(dir);
}

#endif
