/*
 * cosim_tiles.h - the tile file shared by `mpsim cosim` and the Verilator /
 * SystemC harnesses, and the bit-exact check of one tile against the golden.
 *
 * Contract.  The C driver (sim/cosim/cosim.c) generates tiles and writes them with
 * mp_cosim_tiles_write(); the C++ harness (tests/cosim/harness.cpp) reads
 * them with mp_cosim_tiles_read(), streams each tile's load words into the
 * RTL exactly as docs/rtl.md orders them, runs it, and hands the RTL's
 * result words to mp_cosim_check_tile(), which computes the golden
 * mp_gemm_hw() with the tile file's arithmetic and compares bit for bit.
 * This file depends on golden/ only, so the harness links nothing else.
 *
 * Every operand is stored as the 32-bit word the RTL receives on ld_data
 * (docs/rtl.md): integers sign-extended, floats as their bit pattern, scales
 * and act_scale as float32 bits.  The text format is
 *
 *     mpsim-cosim-tiles 1
 *     m_tile M  n_tile N  k_max K  group G   (G = 0: per-channel, one
 *                                            group is the tile's K)
 *     act FMT  weight WFMT  scales 0|1  zeros 0|1  act_scale 0|1
 *     bits X W S Z A          (bits per element in memory, for bandwidth)
 *     [load LB X W S Z A]     (a load port wider than 32 bits: ld_data
 *                              width and each buffer's element width in
 *                              the RTL; absent = 32, one word per element)
 *     [read_latency L]        (cycles from rd_idx to rd_data, 2 with a
 *                              piped act_scale multiplier; absent = 1)
 *     arith KEY VALUE         (one line per mp_arith field, mp_arith_set names)
 *     tiles COUNT
 *     tile I k K kind NAME
 *     x HEX...  w HEX...  [s HEX...]  [z HEX...]  [a HEX...]
 *
 * A result word is int32 for integer output (out_acc int), else the float32
 * bits of the golden value (FP16 outputs widen exactly).  Two NaNs compare
 * equal whatever their payload: the golden does not define payloads.
 */
#ifndef MP_COSIM_TILES_H
#define MP_COSIM_TILES_H

#include <stddef.h>
#include <stdint.h>
#include "golden/diag.h"
#include "golden/formats.h"
#include "golden/mpgemm.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Load buffers, as ld_buf encodes them. */
enum { MP_LD_X = 0, MP_LD_W = 1, MP_LD_SCALE = 2, MP_LD_ZERO = 3,
       MP_LD_ACT_SCALE = 4, MP_LD_COUNT = 5 };

typedef struct mp_cosim_tile {
    int k;
    char kind[16];       /* "random", "extreme", "trace"          */
    uint32_t *buf[MP_LD_COUNT]; /* words per buffer (NULL if unused) */
} mp_cosim_tile;

typedef struct mp_cosim_tiles {
    int m_tile, n_tile, k_max, group;
    mp_act_fmt act;
    mp_wfmt wfmt;
    int has_scales, has_zeros, has_act_scale;
    int sparse_n, sparse_m; /* N:M weight sparsity the PE needs, 0: dense */
    int bits[MP_LD_COUNT]; /* bits per element in memory               */
    int load_bits;         /* ld_data width; <= 32: one word per element */
    int lane_bits[MP_LD_COUNT]; /* element width in a wide beat          */
    int read_latency;      /* rd_idx -> rd_data cycles (0 read as 1)     */
    mp_arith arith;
    int count;
    mp_cosim_tile *tiles;
} mp_cosim_tiles;

/* One load beat (docs/rtl.md): `count` consecutive elements of buffer
 * `buf` from `addr`.  Its ld_data is mp_cosim_beat_words() 32-bit words,
 * word 0 = bits 31:0.  A 32-bit port carries one element per beat as its
 * 32-bit word; a wider one packs element i at bits [i*w +: w], w =
 * lane_bits[buf], zeros above, P elements a beat (the largest power of two
 * with P * w <= load_bits; addr a multiple of P, the last beat short).  `bytes` is what its elements occupy in
 * memory (the `bits` line), for the SystemC memory model. */
typedef struct mp_cosim_beat {
    uint8_t buf;
    uint32_t addr, count;
    double bytes;
} mp_cosim_beat;

#define MP_COSIM_BEAT_WORDS_MAX 64 /* 2048-bit ld_data */

typedef struct mp_cosim_mismatch {
    int count;           /* differing elements in the tile           */
    int m, n;            /* first one, row-major                     */
    uint32_t expected, got;
} mp_cosim_mismatch;

/* Element count of buffer `b` for a tile of depth k (0 when unused). */
size_t mp_cosim_buf_len(const mp_cosim_tiles *h, int b, int k);
/* Allocate the word arrays of tile `t` for depth k (zeroed). */
int mp_cosim_tile_alloc(const mp_cosim_tiles *h, mp_cosim_tile *t, int k,
                        mp_diag *d);

int mp_cosim_tiles_write(const char *path, const mp_cosim_tiles *h,
                         mp_diag *d);
int mp_cosim_tiles_read(const char *path, mp_cosim_tiles *h, mp_diag *d);
void mp_cosim_tiles_free(mp_cosim_tiles *h);

/* The load stream of a tile in docs/rtl.md order (X, Wq, scales, zeros,
 * act_scale, each in index order), as beats of the header's load port:
 * `out` needs mp_cosim_beat_count() beats and `data` that many times
 * mp_cosim_beat_words() words (beat i's ld_data at data + i * words). */
int mp_cosim_beat_words(const mp_cosim_tiles *h);
size_t mp_cosim_beat_count(const mp_cosim_tiles *h, const mp_cosim_tile *t);
void mp_cosim_beats(const mp_cosim_tiles *h, const mp_cosim_tile *t,
                    mp_cosim_beat *out, uint32_t *data);
/* Bytes the tile occupies in memory (the `bits` line), for bandwidth. */
double mp_cosim_tile_bytes(const mp_cosim_tiles *h, const mp_cosim_tile *t);

/* The golden result words of a tile (m_tile * n_tile), or -1 with d filled
 * when the golden rejects the tile. */
int mp_cosim_expected(const mp_cosim_tiles *h, const mp_cosim_tile *t,
                      uint32_t *expected, mp_diag *d);
/* Compare result words; fills *mm (count 0 when equal). */
void mp_cosim_compare(const mp_cosim_tiles *h, const uint32_t *expected,
                      const uint32_t *got, mp_cosim_mismatch *mm);
/* Expected + compare; returns the mismatch count, or -1 (golden error). */
int mp_cosim_check_tile(const mp_cosim_tiles *h, const mp_cosim_tile *t,
                        const uint32_t *got, mp_cosim_mismatch *mm,
                        mp_diag *d);

/* Words <-> golden operand values. */
uint32_t mp_cosim_act_word(mp_act_fmt act, double v);
double mp_cosim_act_value(mp_act_fmt act, uint32_t word);
uint32_t mp_cosim_float_word(float f);
float mp_cosim_word_float(uint32_t w);

#ifdef __cplusplus
}
#endif

#endif
