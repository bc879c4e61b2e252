/*
 * test_cosim_ldport.c - the load beats the co-simulation harnesses stream
 * (mp_cosim_beats, sim/cosim/cosim_tiles.h) and the port width --systemc picks
 * (mp_cosim_auto_load_bits): a 32-bit port gets one extended word per
 * element as before; a wide one packs element i at bits [i*w +: w] with a
 * short last beat per buffer; the tile file carries the width.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtl_gen/rtl.h"
#include "sim/cosim/cosim.h"
#include "sim/cosim/cosim_tiles.h"
#include "tests/tmpfiles.h"

/* A 2x3 tile, K 8, group 4, int8 x int3 codes, scales and zero points,
 * element i of every buffer holding a recognisable pattern. */
static void header(mp_cosim_tiles *h, mp_cosim_tile *t, int load_bits)
{
    memset(h, 0, sizeof *h);
    h->m_tile = 2;
    h->n_tile = 3;
    h->k_max = 8;
    h->group = 4;
    h->act = MP_ACT_INT8;
    h->wfmt = (mp_wfmt){MP_W_SIGNED, 3};
    h->has_scales = h->has_zeros = 1;
    int bits[MP_LD_COUNT] = {8, 3, 16, 3, 0};
    int lanes[MP_LD_COUNT] = {8, 3, 32, 3, 0};
    memcpy(h->bits, bits, sizeof bits);
    h->load_bits = load_bits;
    memcpy(h->lane_bits, lanes, sizeof lanes);
    mp_diag d;
    assert_int_equal(mp_cosim_tile_alloc(h, t, 8, &d), 0);
    for (int b = 0; b < MP_LD_COUNT; b++)
        for (size_t i = 0; i < mp_cosim_buf_len(h, b, 8); i++)
            t->buf[b][i] = b == MP_LD_SCALE ? 0x3f800000u + (uint32_t)i
                                            : (uint32_t)(int32_t)(i % 2 ? -(int)i : (int)i);
}

static void free_tile(mp_cosim_tile *t)
{
    for (int b = 0; b < MP_LD_COUNT; b++)
        free(t->buf[b]);
}

/* Bits [pos, pos + width) of a beat. */
static uint32_t field(const uint32_t *data, int pos, int width)
{
    uint32_t v = 0;
    for (int i = 0; i < width; i++)
        v |= (data[(pos + i) / 32] >> ((pos + i) % 32) & 1u) << i;
    return v;
}

static void test_narrow_port_one_word_each(void **state)
{
    (void)state;
    mp_cosim_tiles h;
    mp_cosim_tile t;
    header(&h, &t, 32);
    size_t n = mp_cosim_beat_count(&h, &t);
    /* X 16, W 24, scales 6, zeros 6: one beat per element */
    assert_int_equal(n, 16 + 24 + 6 + 6);
    assert_int_equal(mp_cosim_beat_words(&h), 1);
    mp_cosim_beat *beats = calloc(n, sizeof *beats);
    uint32_t *data = calloc(n, sizeof *data);
    mp_cosim_beats(&h, &t, beats, data);
    assert_int_equal(beats[17].buf, MP_LD_W);
    assert_int_equal(beats[17].addr, 1);
    assert_int_equal(beats[17].count, 1);
    assert_int_equal(data[17], 0xffffffffu); /* -1 stays sign-extended */
    assert_true(beats[40].buf == MP_LD_SCALE && beats[40].bytes == 2.0);
    free(beats);
    free(data);
    free_tile(&t);
}

static void test_wide_port_packs_and_tails(void **state)
{
    (void)state;
    mp_cosim_tiles h;
    mp_cosim_tile t;
    /* 96 bits, a power of two of elements a beat: X 8 (64 bits, the top
     * 32 zero), W 32 three-bit codes, scales 2, zeros 32 */
    header(&h, &t, 96);
    size_t n = mp_cosim_beat_count(&h, &t);
    assert_int_equal(n, 2 + 1 + 3 + 1);
    assert_int_equal(mp_cosim_beat_words(&h), 3);
    mp_cosim_beat *beats = calloc(n, sizeof *beats);
    uint32_t *data = calloc(n * 3, sizeof *data);
    mp_cosim_beats(&h, &t, beats, data);
    assert_int_equal(beats[0].count, 8);
    assert_int_equal(beats[1].addr, 8);
    assert_int_equal(beats[1].count, 8);
    assert_true(beats[1].bytes == 8.0);
    for (int i = 0; i < 8; i++)
        assert_int_equal(field(data + 3, 8 * i, 8),
                         (uint32_t)(int32_t)((8 + i) % 2 ? -(8 + i) : 8 + i) & 0xffu);
    assert_int_equal(field(data + 3, 64, 32), 0);
    /* W: a short beat of 24 three-bit codes (of 32), two's complement,
     * straddling word edges, zeros above */
    assert_int_equal(beats[2].buf, MP_LD_W);
    assert_int_equal(beats[2].addr, 0);
    assert_int_equal(beats[2].count, 24);
    for (int i = 0; i < 24; i++)
        assert_int_equal(field(data + 6, 3 * i, 3),
                         (uint32_t)(i % 2 ? -i : i) & 7u);
    assert_int_equal(field(data + 6, 72, 24), 0);
    /* scales: FP32 lanes, two a beat at even addresses; 2 bytes each in
     * memory (the bits line), not the 4 of the RTL's lane */
    assert_int_equal(beats[4].buf, MP_LD_SCALE);
    assert_int_equal(beats[4].addr, 2);
    assert_int_equal(field(data + 12, 32, 32), 0x3f800003u);
    assert_true(beats[4].bytes == 4.0);
    assert_int_equal(beats[6].buf, MP_LD_ZERO);
    assert_int_equal(beats[6].count, 6);
    free(beats);
    free(data);
    free_tile(&t);
}

static void test_tile_file_keeps_width(void **state)
{
    (void)state;
    mp_cosim_tiles h, back;
    mp_cosim_tile t;
    header(&h, &t, 256);
    h.count = 1;
    h.tiles = &t;
    snprintf(t.kind, sizeof t.kind, "random");
    char path[128];
    mp_diag d;
    snprintf(path, sizeof path, "%s", tmp_path("ldport.tiles"));
    assert_int_equal(mp_cosim_tiles_write(path, &h, &d), 0);
    assert_int_equal(mp_cosim_tiles_read(path, &back, &d), 0);
    assert_int_equal(back.load_bits, 256);
    assert_memory_equal(back.lane_bits, h.lane_bits, sizeof h.lane_bits);
    mp_cosim_tiles_free(&back);
    /* a 32-bit port writes no load line and reads back as 0 (narrow) */
    h.load_bits = 32;
    assert_int_equal(mp_cosim_tiles_write(path, &h, &d), 0);
    assert_int_equal(mp_cosim_tiles_read(path, &back, &d), 0);
    assert_int_equal(back.load_bits, 0);
    assert_int_equal(mp_cosim_beat_words(&back), 1);
    mp_cosim_tiles_free(&back);
    remove(path);
    free_tile(&t);
}

static void test_auto_width(void **state)
{
    (void)state;
    /* one int8 element a cycle or less: the 32-bit port suffices */
    assert_int_equal(mp_cosim_auto_load_bits(0.5, 8), 32);
    assert_int_equal(mp_cosim_auto_load_bits(1, 8), 32);
    /* more: a packed port, a power of two covering 8 x bytes/cycle */
    assert_int_equal(mp_cosim_auto_load_bits(1, 4), 64); /* 2 int4 codes */
    assert_int_equal(mp_cosim_auto_load_bits(2, 8), 64);
    assert_int_equal(mp_cosim_auto_load_bits(8, 8), 64);
    assert_int_equal(mp_cosim_auto_load_bits(8.1, 8), 128);
    assert_int_equal(mp_cosim_auto_load_bits(24, 4), 256);
    assert_int_equal(mp_cosim_auto_load_bits(128, 4), 1024);
    assert_int_equal(mp_cosim_auto_load_bits(2548.6, 4), MP_RTL_LOAD_BITS_MAX);
}

/* The generator: widths as stored, and the checked range. */
static void test_generator_widths(void **state)
{
    (void)state;
    mp_rtl_cfg cfg;
    mp_rtl_info info;
    mp_diag d;
    mp_rtl_cfg_init(&cfg);
    assert_int_equal(mp_rtl_load_bits(&cfg), 32);
    cfg.k_max = 64;
    cfg.pe.group_size = 32;
    cfg.load_bits = 128;
    assert_int_equal(mp_rtl_check(&cfg, &info, &d), 0);
    int w[5];
    mp_rtl_load_widths(&cfg, &info, w);
    assert_int_equal(w[0], 8);  /* int8 activations        */
    assert_int_equal(w[1], 4);  /* int4 codes               */
    assert_int_equal(w[2], 32); /* FP32 scales in the RTL   */
    assert_int_equal(w[3], 0);  /* no zero points           */
    assert_int_equal(w[4], 32); /* act_scale                */
    int bad[] = {48, 2080, -32};
    for (int i = 0; i < 3; i++) {
        cfg.load_bits = bad[i];
        assert_int_equal(mp_rtl_check(&cfg, &info, &d), -1);
        assert_string_equal(d.field, "load-bits");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_narrow_port_one_word_each),
        cmocka_unit_test(test_wide_port_packs_and_tails),
        cmocka_unit_test(test_tile_file_keeps_width),
        cmocka_unit_test(test_auto_width),
        cmocka_unit_test(test_generator_widths),
    };
    return cmocka_run_group_tests(tests, tmpfiles_setup, tmpfiles_teardown);
}
