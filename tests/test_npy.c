/*
 * test_npy.c - .npy reading and writing.
 *
 * Round trips of every dtype and shape kind (0-d, 1-d, n-d, empty), exact
 * representability checks on write, and hand-built files: valid variants
 * numpy or people produce (v2.0, double quotes, other key order) and
 * malformed ones, each of which must fail naming the right header field.
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

#include "golden/npy.h"
#include "golden/rng.h"
#include "tmpfiles.h"

/* Bitwise equality, so NaN == NaN and -0 != +0. */
static int same_double(double a, double b)
{
    return memcmp(&a, &b, sizeof a) == 0 || (isnan(a) && isnan(b));
}

/* ---- round trips ------------------------------------------------------ */

typedef struct dtype_case {
    mp_npy_dtype dtype;
    double values[8];
} dtype_case;

static const dtype_case cases[] = {
    {MP_NPY_I8, {-128, 127, 0, -1, 1, 100, -100, 5}},
    {MP_NPY_U8, {0, 255, 1, 128, 127, 200, 3, 4}},
    {MP_NPY_I16, {-32768, 32767, 0, -1, 256, -257, 1000, 7}},
    {MP_NPY_U16, {0, 65535, 1, 32768, 256, 255, 9, 10}},
    {MP_NPY_I32, {-2147483648.0, 2147483647.0, 0, -1, 65536, -65537, 1, 2}},
    {MP_NPY_I64, {-9007199254740992.0, 9007199254740992.0, 0, -1,
                  4294967296.0, -4294967297.0, 1, 2}},
    {MP_NPY_F16, {65504, -65504, 0x1p-24, -0.0, INFINITY, NAN, 1.5, -2}},
    {MP_NPY_F32, {0x1.fffffep127, 0x1p-149, -0.0, INFINITY, -INFINITY, NAN,
                  0.1f, -3}},
    {MP_NPY_F64, {0.1, -1e308, 0x1p-1074, -0.0, INFINITY, NAN, M_PI, 1e-300}},
};

static void check_round_trip(mp_npy_dtype dtype, int ndim,
                             const int64_t *shape, const double *values)
{
    const char *path = tmp_path("rt.npy");
    mp_diag d;
    if (mp_npy_write(path, dtype, ndim, shape, values, &d) != 0) {
        print_error("write %s: %s: %s\n", mp_npy_dtype_name(dtype), d.field,
                    d.msg);
        fail();
    }
    mp_npy a;
    if (mp_npy_read(path, &a, &d) != 0) {
        print_error("read %s: %s: %s\n", mp_npy_dtype_name(dtype), d.field,
                    d.msg);
        fail();
    }
    assert_int_equal(a.dtype, dtype);
    assert_int_equal(a.ndim, ndim);
    size_t count = 1;
    for (int i = 0; i < ndim; i++) {
        assert_int_equal(a.shape[i], shape[i]);
        count *= (size_t)shape[i];
    }
    assert_int_equal(a.count, count);
    for (size_t i = 0; i < count; i++)
        if (!same_double(a.data[i], values[i])) {
            print_error("%s[%zu]: wrote %.17g, read %.17g\n",
                        mp_npy_dtype_name(dtype), i, values[i], a.data[i]);
            fail();
        }
    mp_npy_free(&a);
}

static void test_round_trip_every_dtype(void **state)
{
    (void)state;
    const int64_t shape_1d[] = {8}, shape_2d[] = {2, 4}, shape_3d[] = {2, 2, 2};
    const int64_t shape_empty[] = {0, 3};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_round_trip(cases[i].dtype, 1, shape_1d, cases[i].values);
        check_round_trip(cases[i].dtype, 2, shape_2d, cases[i].values);
        check_round_trip(cases[i].dtype, 3, shape_3d, cases[i].values);
        check_round_trip(cases[i].dtype, 0, NULL, cases[i].values); /* 0-d */
        check_round_trip(cases[i].dtype, 2, shape_empty, cases[i].values);
    }
}

static void test_written_header_is_numpy_style(void **state)
{
    (void)state;
    const char *path = tmp_path("hdr.npy");
    const int64_t shape[] = {5};
    const double v[5] = {1, 2, 3, 4, 5};
    mp_diag d;
    assert_int_equal(mp_npy_write(path, MP_NPY_F32, 1, shape, v, &d), 0);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    unsigned char buf[256];
    size_t n = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    assert_memory_equal(buf, "\x93NUMPY\x01\x00", 8);
    size_t header_len = buf[8] | (size_t)buf[9] << 8;
    assert_int_equal((10 + header_len) % 64, 0); /* numpy's alignment */
    assert_int_equal(n, 10 + header_len + 5 * 4);
    assert_int_equal(buf[10 + header_len - 1], '\n');
    const char *want = "{'descr': '<f4', 'fortran_order': False, 'shape': (5,), }";
    assert_memory_equal(buf + 10, want, strlen(want));
    /* 1.0f little-endian */
    assert_memory_equal(buf + 10 + header_len, "\x00\x00\x80\x3f", 4);
}

static void expect_write_error(mp_npy_dtype dtype, double v, const char *field)
{
    const char *path = tmp_path("bad-write.npy");
    const int64_t shape[] = {2};
    double values[2] = {0, v};
    mp_diag d;
    memset(&d, 0, sizeof d);
    if (mp_npy_write(path, dtype, 1, shape, values, &d) == 0) {
        print_error("%s: %.17g was written\n", mp_npy_dtype_name(dtype), v);
        fail();
    }
    assert_string_equal(d.field, field);
    assert_string_equal(d.file, path);
    assert_non_null(strstr(d.msg, "index 1"));
    assert_int_equal(access(path, F_OK), -1); /* nothing left behind */
}

static void test_write_checks_representable(void **state)
{
    (void)state;
    expect_write_error(MP_NPY_I8, 0.5, "data");
    expect_write_error(MP_NPY_I8, 128, "data");
    expect_write_error(MP_NPY_I8, NAN, "data");
    expect_write_error(MP_NPY_U8, -1, "data");
    expect_write_error(MP_NPY_U8, 256, "data");
    expect_write_error(MP_NPY_I32, 2147483648.0, "data");
    expect_write_error(MP_NPY_I32, INFINITY, "data");
    expect_write_error(MP_NPY_I64, 9223372036854775808.0, "data");
    expect_write_error(MP_NPY_F32, 0.1, "data");
    expect_write_error(MP_NPY_F32, 1e39, "data");
    expect_write_error(MP_NPY_F16, 65520, "data");
    expect_write_error(MP_NPY_F16, 0x1p-25, "data");
}

static void test_write_bad_args(void **state)
{
    (void)state;
    mp_diag d;
    const int64_t neg[] = {-1};
    double v = 0;
    assert_int_equal(mp_npy_write(tmp_path("x.npy"), MP_NPY_F32, 1, neg, &v, &d),
                     -1);
    assert_string_equal(d.field, "shape");
    const int64_t shape[] = {1};
    assert_int_equal(mp_npy_write(tmp_path("x.npy"), MP_NPY_F32, 9, shape, &v, &d),
                     -1);
    assert_string_equal(d.field, "shape");
    assert_int_equal(mp_npy_write(tmp_path("no-dir/x.npy"), MP_NPY_F32, 1, shape,
                                  &v, &d),
                     -1);
}

/* ---- hand-built files ------------------------------------------------- */

/* Writes magic, version, the header text (padded with spaces and '\n' so
 * the preamble+header is a multiple of 16 unless raw) and data bytes. */
static const char *write_raw(const char *name, int major, const char *header,
                             const void *data, size_t data_len)
{
    const char *path = tmp_path(name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    size_t pre = major == 1 ? 10 : 12;
    size_t hlen = strlen(header) + 1;
    size_t pad = (16 - (pre + hlen) % 16) % 16;
    hlen += pad;
    fwrite("\x93NUMPY", 1, 6, fp);
    fputc(major, fp);
    fputc(0, fp);
    fputc((int)(hlen & 0xff), fp);
    fputc((int)(hlen >> 8), fp);
    if (major != 1) {
        fputc(0, fp);
        fputc(0, fp);
    }
    fputs(header, fp);
    for (size_t i = 0; i < pad; i++)
        fputc(' ', fp);
    fputc('\n', fp);
    if (data_len)
        fwrite(data, 1, data_len, fp);
    fclose(fp);
    return path;
}

static const float f32_data[6] = {1, 2, 3, 4, 5, 6};

static void expect_read_ok(const char *path, mp_npy_dtype dtype, int ndim,
                           size_t count)
{
    mp_npy a;
    mp_diag d;
    if (mp_npy_read(path, &a, &d) != 0) {
        print_error("%s: %s: %s\n", path, d.field, d.msg);
        fail();
    }
    assert_int_equal(a.dtype, dtype);
    assert_int_equal(a.ndim, ndim);
    assert_int_equal(a.count, count);
    mp_npy_free(&a);
}

static void expect_read_error(const char *path, const char *field,
                              const char *msg_part)
{
    mp_npy a;
    mp_diag d;
    memset(&d, 0, sizeof d);
    if (mp_npy_read(path, &a, &d) == 0) {
        print_error("%s was accepted\n", path);
        fail();
    }
    assert_null(a.data);
    assert_string_equal(d.file, path);
    if (strcmp(d.field, field) != 0 || !strstr(d.msg, msg_part)) {
        print_error("%s: got field '%s' msg '%s', want '%s' ~ '%s'\n", path,
                    d.field, d.msg, field, msg_part);
        fail();
    }
}

static void test_read_header_variants(void **state)
{
    (void)state;
    expect_read_ok(write_raw("v2.npy", 2,
                             "{'descr': '<f4', 'fortran_order': False, "
                             "'shape': (2, 3), }",
                             f32_data, 24),
                   MP_NPY_F32, 2, 6);
    expect_read_ok(write_raw("dq.npy", 1,
                             "{\"shape\":(6,),\"fortran_order\":False,"
                             "\"descr\":\"<f4\"}",
                             f32_data, 24),
                   MP_NPY_F32, 1, 6);
    expect_read_ok(write_raw("long.npy", 1,
                             "{'descr': '<f4', 'fortran_order': False, "
                             "'shape': (3L, 2L)}",
                             f32_data, 24),
                   MP_NPY_F32, 2, 6);
    expect_read_ok(write_raw("scalar.npy", 1,
                             "{'descr': '<f4', 'fortran_order': False, "
                             "'shape': (), }",
                             f32_data, 4),
                   MP_NPY_F32, 0, 1);
    expect_read_ok(write_raw("u1.npy", 1,
                             "{'descr': '|u1', 'fortran_order': False, "
                             "'shape': (24,), }",
                             f32_data, 24),
                   MP_NPY_U8, 1, 24);
    expect_read_ok(write_raw("i1-le.npy", 1,
                             "{'descr': '<i1', 'fortran_order': False, "
                             "'shape': (4, 6), }",
                             f32_data, 24),
                   MP_NPY_I8, 2, 24);
}

static void test_read_values(void **state)
{
    (void)state;
    /* int16 -2, float16 -1.5 (0xbe00), little-endian */
    const unsigned char i16[] = {0xfe, 0xff, 0x00, 0x80};
    mp_npy a;
    mp_diag d;
    assert_int_equal(mp_npy_read(write_raw("i16.npy", 1,
                                           "{'descr': '<i2', 'fortran_order': "
                                           "False, 'shape': (2,), }",
                                           i16, 4),
                                 &a, &d),
                     0);
    assert_true(a.data[0] == -2 && a.data[1] == -32768);
    mp_npy_free(&a);
    const unsigned char f16[] = {0x00, 0xbe, 0x00, 0x7c};
    assert_int_equal(mp_npy_read(write_raw("f16.npy", 1,
                                           "{'descr': '<f2', 'fortran_order': "
                                           "False, 'shape': (2,), }",
                                           f16, 4),
                                 &a, &d),
                     0);
    assert_true(a.data[0] == -1.5 && isinf(a.data[1]));
    mp_npy_free(&a);
}

static void test_read_malformed(void **state)
{
    (void)state;
    const char *good_hdr = "{'descr': '<f4', 'fortran_order': False, "
                           "'shape': (2, 3), }";
    /* bad magic */
    const char *path = tmp_path("magic.npy");
    FILE *fp = fopen(path, "wb");
    fputs("NOTNUMPYAT ALL", fp);
    fclose(fp);
    expect_read_error(path, "magic", "bad magic");
    expect_read_error(tmp_path("missing.npy"), "file", "cannot open");
    expect_read_error(write_raw("v9.npy", 9, good_hdr, f32_data, 24),
                      "version", "9.0");
    expect_read_error(write_raw("fortran.npy", 1,
                                "{'descr': '<f4', 'fortran_order': True, "
                                "'shape': (2, 3), }",
                                f32_data, 24),
                      "fortran_order", "Fortran");
    expect_read_error(write_raw("c8.npy", 1,
                                "{'descr': '<c8', 'fortran_order': False, "
                                "'shape': (3,), }",
                                f32_data, 24),
                      "descr", "<c8");
    expect_read_error(write_raw("be.npy", 1,
                                "{'descr': '>f4', 'fortran_order': False, "
                                "'shape': (2, 3), }",
                                f32_data, 24),
                      "descr", "little-endian");
    expect_read_error(write_raw("struct.npy", 1,
                                "{'descr': [('a', '<f4')], 'fortran_order': "
                                "False, 'shape': (2, 3), }",
                                f32_data, 24),
                      "descr", "structured");
    expect_read_error(write_raw("truncated.npy", 1, good_hdr, f32_data, 20),
                      "data", "truncated");
    /* 6.6e14 elements declared in a tiny file: refused before allocating
     * (was "out of memory", an abort under ASan) */
    expect_read_error(write_raw("huge-shape.npy", 1,
                                "{'descr': '<f4', 'fortran_order': False, "
                                "'shape': (25800000, 25800000), }",
                                f32_data, 24),
                      "data", "truncated: shape needs 2662560000000000 bytes");
    expect_read_error(write_raw("too-long.npy", 1,
                                "{'descr': '<f4', 'fortran_order': False, "
                                "'shape': (5,), }",
                                f32_data, 24),
                      "data", "longer");
    expect_read_error(write_raw("noshape.npy", 1,
                                "{'descr': '<f4', 'fortran_order': False}",
                                f32_data, 24),
                      "shape", "missing");
    expect_read_error(write_raw("badshape.npy", 1,
                                "{'descr': '<f4', 'fortran_order': False, "
                                "'shape': (2, x), }",
                                f32_data, 24),
                      "shape", "integer");
    expect_read_error(write_raw("negshape.npy", 1,
                                "{'descr': '<f4', 'fortran_order': False, "
                                "'shape': (-6,), }",
                                f32_data, 24),
                      "shape", "integer");
    expect_read_error(write_raw("9d.npy", 1,
                                "{'descr': '<f4', 'fortran_order': False, "
                                "'shape': (1,1,1,1,1,1,1,1,6), }",
                                f32_data, 24),
                      "shape", "dimensions");
    expect_read_error(write_raw("huge.npy", 1,
                                "{'descr': '<f4', 'fortran_order': False, "
                                "'shape': (4294967296, 4294967296), }",
                                f32_data, 24),
                      "shape", "too large");
    expect_read_error(write_raw("fbool.npy", 1,
                                "{'descr': '<f4', 'fortran_order': 0, "
                                "'shape': (6,), }",
                                f32_data, 24),
                      "fortran_order", "True or False");
    expect_read_error(write_raw("extra-key.npy", 1,
                                "{'descr': '<f4', 'fortran_order': False, "
                                "'shape': (6,), 'x': 1}",
                                f32_data, 24),
                      "header", "unknown key");
    expect_read_error(write_raw("nodict.npy", 1, "descr=<f4", f32_data, 24),
                      "header", "expected '{'");
    expect_read_error(write_raw("unclosed.npy", 1,
                                "{'descr': '<f4', 'fortran_order': False, "
                                "'shape': (6,)",
                                f32_data, 24),
                      "header", "expected '}'");
    expect_read_error(write_raw("twice.npy", 1,
                                "{'descr': '<f4', 'descr': '<f4', "
                                "'fortran_order': False, 'shape': (6,)}",
                                f32_data, 24),
                      "descr", "twice");
    /* header_len says more than the file holds */
    path = tmp_path("short-header.npy");
    fp = fopen(path, "wb");
    fwrite("\x93NUMPY\x01\x00\xff\x00{'descr'", 1, 18, fp);
    fclose(fp);
    expect_read_error(path, "header", "ends inside");
    /* int64 beyond 2^53 cannot be carried exactly as a double */
    const int64_t big[1] = {((int64_t)1 << 53) + 1};
    expect_read_error(write_raw("i8big.npy", 1,
                                "{'descr': '<i8', 'fortran_order': False, "
                                "'shape': (1,), }",
                                big, 8),
                      "data", "2^53");
}

/* Random byte corruptions and truncations of a valid file: each must be
 * read or refused with a named field, never crash (ASan watches). */
static void test_read_corrupted_never_crashes(void **state)
{
    (void)state;
    const int64_t shape[] = {3, 5};
    double v[15];
    for (int i = 0; i < 15; i++)
        v[i] = i - 7;
    const char *good = tmp_path("fuzz-good.npy");
    mp_diag d;
    assert_int_equal(mp_npy_write(good, MP_NPY_I16, 2, shape, v, &d), 0);
    unsigned char bytes[256];
    FILE *fp = fopen(good, "rb");
    size_t len = fread(bytes, 1, sizeof bytes, fp);
    fclose(fp);
    static const char interesting[] = "{}()',: 0123456789TrueFalse<|if\n";
    mp_rng rng;
    mp_rng_seed(&rng, 404);
    int refused = 0;
    for (int trial = 0; trial < 1000; trial++) {
        unsigned char buf[256];
        memcpy(buf, bytes, len);
        size_t n = len;
        int edits = (int)mp_rng_range(&rng, 1, 4);
        for (int e = 0; e < edits; e++) {
            size_t at = (size_t)mp_rng_range(&rng, 0, (int64_t)len - 1);
            if (mp_rng_next(&rng) & 1)
                buf[at] = (unsigned char)mp_rng_next(&rng);
            else
                buf[at] = (unsigned char)interesting[mp_rng_next(&rng) %
                                                     (sizeof interesting - 1)];
        }
        if (mp_rng_range(&rng, 0, 3) == 0)
            n = (size_t)mp_rng_range(&rng, 0, (int64_t)len);
        const char *path = tmp_path("fuzz.npy");
        fp = fopen(path, "wb");
        fwrite(buf, 1, n, fp);
        fclose(fp);
        mp_npy a;
        memset(&d, 0, sizeof d);
        if (mp_npy_read(path, &a, &d) == 0) {
            assert_true(a.count == 0 || a.data != NULL);
            mp_npy_free(&a);
        } else {
            refused++;
            if (!d.field[0] || !d.msg[0]) {
                print_error("trial %d: field '%s' msg '%s'\n", trial, d.field,
                            d.msg);
                fail();
            }
            assert_string_equal(d.file, path);
        }
    }
    assert_true(refused > 300); /* the corruptions do bite */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip_every_dtype),
        cmocka_unit_test(test_written_header_is_numpy_style),
        cmocka_unit_test(test_write_checks_representable),
        cmocka_unit_test(test_write_bad_args),
        cmocka_unit_test(test_read_header_variants),
        cmocka_unit_test(test_read_values),
        cmocka_unit_test(test_read_malformed),
        cmocka_unit_test(test_read_corrupted_never_crashes),
    };
    return cmocka_run_group_tests(tests, tmpfiles_setup, tmpfiles_teardown);
}
