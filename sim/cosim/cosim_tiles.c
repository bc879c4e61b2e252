/*
 * cosim_tiles.c - the co-simulation tile file and the per-tile golden check;
 * see cosim_tiles.h.  Uses golden/ only: the Verilator harness links it.
 */
#include "sim/cosim/cosim_tiles.h"

#include "golden/decimal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const buf_tags[MP_LD_COUNT] = {"x", "w", "s", "z", "a"};

/* ---- words <-> values ------------------------------------------------- */

uint32_t mp_cosim_float_word(float f)
{
    uint32_t w;
    memcpy(&w, &f, sizeof w);
    return w;
}

float mp_cosim_word_float(uint32_t w)
{
    float f;
    memcpy(&f, &w, sizeof f);
    return f;
}

uint32_t mp_cosim_act_word(mp_act_fmt act, double v)
{
    if (!mp_act_is_float(act))
        return (uint32_t)(int32_t)v; /* sign-extended integer */
    return mp_fp_encode(act, v, MP_OVF_IEEE);
}

double mp_cosim_act_value(mp_act_fmt act, uint32_t word)
{
    int bits = mp_act_bits(act);
    uint32_t mask = bits >= 32 ? 0xffffffffu : ((1u << bits) - 1);
    if (mp_act_is_float(act))
        return mp_fp_decode(act, word & mask);
    /* sign-extend the low `bits` bits */
    int32_t v = (int32_t)(word << (32 - bits)) >> (32 - bits);
    return (double)v;
}

/* ---- layout ----------------------------------------------------------- */

size_t mp_cosim_buf_len(const mp_cosim_tiles *h, int b, int k)
{
    size_t m = (size_t)h->m_tile, n = (size_t)h->n_tile;
    size_t groups = h->group > 0 ? (size_t)(k / h->group) : 1; /* 0: per-channel */
    switch (b) {
    case MP_LD_X: return m * (size_t)k;
    case MP_LD_W: return (size_t)k * n;
    case MP_LD_SCALE: return h->has_scales ? groups * n : 0;
    case MP_LD_ZERO: return h->has_zeros ? groups * n : 0;
    case MP_LD_ACT_SCALE: return h->has_act_scale ? m : 0;
    default: return 0;
    }
}

int mp_cosim_tile_alloc(const mp_cosim_tiles *h, mp_cosim_tile *t, int k,
                        mp_diag *d)
{
    memset(t, 0, sizeof *t);
    t->k = k;
    for (int b = 0; b < MP_LD_COUNT; b++) {
        size_t len = mp_cosim_buf_len(h, b, k);
        if (!len)
            continue;
        t->buf[b] = calloc(len, sizeof(uint32_t));
        if (!t->buf[b])
            return mp_fail(d, "<memory>", 0, "tiles", "out of memory");
    }
    return 0;
}

static void tile_free(mp_cosim_tile *t)
{
    for (int b = 0; b < MP_LD_COUNT; b++)
        free(t->buf[b]);
    memset(t, 0, sizeof *t);
}

void mp_cosim_tiles_free(mp_cosim_tiles *h)
{
    for (int i = 0; i < h->count && h->tiles; i++)
        tile_free(&h->tiles[i]);
    free(h->tiles);
    h->tiles = NULL;
    h->count = 0;
}

static int wide_port(const mp_cosim_tiles *h)
{
    return h->load_bits > 32;
}

int mp_cosim_beat_words(const mp_cosim_tiles *h)
{
    return wide_port(h) ? h->load_bits / 32 : 1;
}

/* Elements one beat carries into buffer b: the largest power of two that
 * fits the port (docs/rtl.md, "Load port width"; the harness side of the
 * protocol, written independently of rtl_gen's mp_top_lanes()). */
static size_t beat_elements(const mp_cosim_tiles *h, int b)
{
    if (!wide_port(h) || h->lane_bits[b] <= 0)
        return 1;
    size_t lanes = 1;
    while (2 * lanes * (size_t)h->lane_bits[b] <= (size_t)h->load_bits)
        lanes *= 2;
    return lanes;
}

size_t mp_cosim_beat_count(const mp_cosim_tiles *h, const mp_cosim_tile *t)
{
    size_t total = 0;
    for (int b = 0; b < MP_LD_COUNT; b++) {
        size_t per = beat_elements(h, b);
        total += (mp_cosim_buf_len(h, b, t->k) + per - 1) / per;
    }
    return total;
}

/* Element value into `width` bits at bit `pos` of a zeroed beat. */
static void put_bits(uint32_t *data, int pos, int width, uint32_t value)
{
    for (int i = 0; i < width; i++)
        if (value >> i & 1u)
            data[(pos + i) / 32] |= 1u << ((pos + i) % 32);
}

void mp_cosim_beats(const mp_cosim_tiles *h, const mp_cosim_tile *t,
                    mp_cosim_beat *out, uint32_t *data)
{
    int words = mp_cosim_beat_words(h);
    size_t j = 0;
    for (int b = 0; b < MP_LD_COUNT; b++) {
        size_t len = mp_cosim_buf_len(h, b, t->k), per = beat_elements(h, b);
        for (size_t i = 0; i < len; i += per, j++) {
            size_t count = len - i < per ? len - i : per;
            uint32_t *d = data + j * (size_t)words;
            memset(d, 0, sizeof *d * (size_t)words);
            out[j].buf = (uint8_t)b;
            out[j].addr = (uint32_t)i;
            out[j].count = (uint32_t)count;
            out[j].bytes = (double)count * h->bits[b] / 8.0;
            if (!wide_port(h)) {
                d[0] = t->buf[b][i];
                continue;
            }
            for (size_t e = 0; e < count; e++)
                put_bits(d, (int)e * h->lane_bits[b], h->lane_bits[b],
                         t->buf[b][i + e]);
        }
    }
}

double mp_cosim_tile_bytes(const mp_cosim_tiles *h, const mp_cosim_tile *t)
{
    double bits = 0;
    for (int b = 0; b < MP_LD_COUNT; b++)
        bits += (double)mp_cosim_buf_len(h, b, t->k) * h->bits[b];
    return bits / 8.0;
}

/* ---- writing ---------------------------------------------------------- */

static const char *dequant_name(mp_dequant_point p)
{
    return p == MP_DEQ_PER_WEIGHT ? "per-weight" : "per-group";
}

static const char *order_name(mp_acc_order o)
{
    return o == MP_ORDER_BIT_SERIAL ? "bit-serial" : "k-ascending";
}

static void write_arith(FILE *fp, const mp_arith *ar)
{
    fprintf(fp, "arith dequant %s\n", dequant_name(ar->dequant));
    fprintf(fp, "arith group_acc %s\n", mp_acc_fmt_name(ar->group_acc));
    if (ar->acc_bits >= 2)
        fprintf(fp, "arith acc_bits %d\n", ar->acc_bits);
    fprintf(fp, "arith frac_bits %d\n", ar->frac_bits);
    fprintf(fp, "arith out_acc %s\n", mp_acc_fmt_name(ar->out_acc));
    fprintf(fp, "arith weight_fmt %s\n", mp_act_name(ar->weight_fmt));
    fprintf(fp, "arith order %s\n", order_name(ar->order));
    fprintf(fp, "arith table_fmt %s\n", mp_act_name(ar->table_fmt));
    fprintf(fp, "arith fused %s\n", ar->fused ? "true" : "false");
}

int mp_cosim_tiles_write(const char *path, const mp_cosim_tiles *h,
                         mp_diag *d)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        return mp_fail(d, path, 0, "tiles", "cannot write");
    char wname[16];
    fprintf(fp, "mpsim-cosim-tiles 1\n");
    fprintf(fp, "m_tile %d n_tile %d k_max %d group %d\n", h->m_tile,
            h->n_tile, h->k_max, h->group);
    fprintf(fp, "act %s weight %s scales %d zeros %d act_scale %d\n",
            mp_act_name(h->act), mp_wfmt_name(h->wfmt, wname, sizeof wname),
            h->has_scales, h->has_zeros, h->has_act_scale);
    fprintf(fp, "bits %d %d %d %d %d\n", h->bits[0], h->bits[1], h->bits[2],
            h->bits[3], h->bits[4]);
    if (wide_port(h))
        fprintf(fp, "load %d %d %d %d %d %d\n", h->load_bits, h->lane_bits[0],
                h->lane_bits[1], h->lane_bits[2], h->lane_bits[3],
                h->lane_bits[4]);
    if (h->read_latency > 1)
        fprintf(fp, "read_latency %d\n", h->read_latency);
    write_arith(fp, &h->arith);
    fprintf(fp, "tiles %d\n", h->count);
    for (int i = 0; i < h->count; i++) {
        const mp_cosim_tile *t = &h->tiles[i];
        fprintf(fp, "tile %d k %d kind %s\n", i, t->k, t->kind);
        for (int b = 0; b < MP_LD_COUNT; b++) {
            size_t len = mp_cosim_buf_len(h, b, t->k);
            if (!len)
                continue;
            fputs(buf_tags[b], fp);
            for (size_t j = 0; j < len; j++)
                fprintf(fp, "%s%x", j % 16 ? " " : "\n", t->buf[b][j]);
            fputc('\n', fp);
        }
    }
    int bad = ferror(fp);
    if (fclose(fp) || bad)
        return mp_fail(d, path, 0, "tiles", "write error");
    return 0;
}

/* ---- reading: a whitespace tokenizer that tracks lines ---------------- */

typedef struct reader {
    FILE *fp;
    const char *path;
    int line;
    char tok[64];
} reader;

static int next_token(reader *r)
{
    int c;
    do {
        c = getc(r->fp);
        if (c == '\n')
            r->line++;
    } while (c != EOF && isspace(c));
    if (c == EOF)
        return -1;
    size_t n = 0;
    while (c != EOF && !isspace(c)) {
        if (n + 1 < sizeof r->tok)
            r->tok[n++] = (char)c;
        c = getc(r->fp);
    }
    r->tok[n] = 0;
    if (c == '\n')
        ungetc(c, r->fp);
    return 0;
}

static int expect_word(reader *r, const char *word, mp_diag *d)
{
    if (next_token(r) || strcmp(r->tok, word))
        return mp_fail(d, r->path, r->line, word, "expected '%s'", word);
    return 0;
}

/* The next token: a decimal in [lo, hi], or with hex its hexadecimal
 * digits (lo is then 0). */
static int read_long(reader *r, const char *field, long lo, long hi,
                     int hex, long *out, mp_diag *d)
{
    if (next_token(r))
        return mp_fail(d, r->path, r->line, field, "unexpected end of file");
    int64_t v = 0;
    uint64_t u = 0;
    int rc = hex ? mp_parse_hex(r->tok, (uint64_t)hi, &u)
                 : mp_parse_i64(r->tok, lo, hi, &v);
    *out = hex ? (long)u : (long)v;
    if (rc)
        return mp_fail(d, r->path, r->line, field, "bad value '%s'", r->tok);
    return 0;
}

static int keyed_int(reader *r, const char *key, long lo, long hi, int *out,
                     mp_diag *d)
{
    long v = 0;
    if (expect_word(r, key, d) || read_long(r, key, lo, hi, 0, &v, d))
        return -1;
    *out = (int)v;
    return 0;
}

/* "load LB X W S Z A": a wide port and the element width of each buffer
 * (0 = unused; a used buffer needs 1..32 bits and room in a beat). */
static int read_load(reader *r, mp_cosim_tiles *h, mp_diag *d)
{
    long v = 0;
    if (read_long(r, "load", 64, 32 * MP_COSIM_BEAT_WORDS_MAX, 0, &v, d))
        return -1;
    if (v % 32)
        return mp_fail(d, r->path, r->line, "load", "width %ld is not a "
                       "multiple of 32", v);
    h->load_bits = (int)v;
    for (int b = 0; b < MP_LD_COUNT; b++) {
        if (read_long(r, "load", 0, 32, 0, &v, d))
            return -1;
        h->lane_bits[b] = (int)v;
    }
    return 0;
}

static int read_header(reader *r, mp_cosim_tiles *h, mp_diag *d)
{
    long version;
    if (expect_word(r, "mpsim-cosim-tiles", d) ||
        read_long(r, "version", 1, 1, 0, &version, d))
        return -1;
    if (keyed_int(r, "m_tile", 1, 4096, &h->m_tile, d) ||
        keyed_int(r, "n_tile", 1, 4096, &h->n_tile, d) ||
        keyed_int(r, "k_max", 1, 1 << 20, &h->k_max, d) ||
        keyed_int(r, "group", 0, 1 << 20, &h->group, d) ||
        expect_word(r, "act", d) || next_token(r))
        return -1;
    if (mp_act_parse(r->tok, &h->act))
        return mp_fail(d, r->path, r->line, "act", "unknown format '%s'",
                       r->tok);
    if (expect_word(r, "weight", d) || next_token(r))
        return -1;
    if (mp_wfmt_parse(r->tok, &h->wfmt))
        return mp_fail(d, r->path, r->line, "weight", "unknown format '%s'",
                       r->tok);
    if (keyed_int(r, "scales", 0, 1, &h->has_scales, d) ||
        keyed_int(r, "zeros", 0, 1, &h->has_zeros, d) ||
        keyed_int(r, "act_scale", 0, 1, &h->has_act_scale, d) ||
        expect_word(r, "bits", d))
        return -1;
    for (int b = 0; b < MP_LD_COUNT; b++) {
        long v = 0;
        if (read_long(r, "bits", 0, 64, 0, &v, d))
            return -1;
        h->bits[b] = (int)v;
    }
    memset(&h->arith, 0, sizeof h->arith);
    for (;;) {
        if (next_token(r))
            return mp_fail(d, r->path, r->line, "tiles", "missing");
        if (!strcmp(r->tok, "tiles"))
            break;
        if (!strcmp(r->tok, "load")) {
            if (read_load(r, h, d))
                return -1;
            continue;
        }
        if (!strcmp(r->tok, "read_latency")) {
            long v;
            if (read_long(r, "read_latency", 1, 2, 10, &v, d))
                return -1;
            h->read_latency = (int)v;
            continue;
        }
        if (strcmp(r->tok, "arith"))
            return mp_fail(d, r->path, r->line, r->tok, "unexpected word");
        char key[64];
        if (next_token(r))
            return mp_fail(d, r->path, r->line, "arith", "missing key");
        snprintf(key, sizeof key, "%s", r->tok);
        if (next_token(r))
            return mp_fail(d, r->path, r->line, key, "missing value");
        if (mp_arith_set(&h->arith, key, r->tok, r->path, r->line, d))
            return -1;
    }
    long count;
    if (read_long(r, "tiles", 0, 1 << 24, 0, &count, d))
        return -1;
    h->count = (int)count;
    return 0;
}

static int read_tile(reader *r, mp_cosim_tiles *h, int index, mp_diag *d)
{
    long idx, k;
    mp_cosim_tile *t = &h->tiles[index];
    if (expect_word(r, "tile", d) ||
        read_long(r, "tile", index, index, 0, &idx, d) ||
        expect_word(r, "k", d) ||
        read_long(r, "k", 1, h->k_max, 0, &k, d))
        return -1;
    if (h->group > 0 && k % h->group)
        return mp_fail(d, r->path, r->line, "k",
                       "%ld is not a multiple of the group size %d", k,
                       h->group);
    if (mp_cosim_tile_alloc(h, t, (int)k, d) || expect_word(r, "kind", d) ||
        next_token(r))
        return -1;
    snprintf(t->kind, sizeof t->kind, "%.15s", r->tok);
    for (int b = 0; b < MP_LD_COUNT; b++) {
        size_t len = mp_cosim_buf_len(h, b, t->k);
        if (!len)
            continue;
        if (expect_word(r, buf_tags[b], d))
            return -1;
        for (size_t j = 0; j < len; j++) {
            long v = 0;
            if (read_long(r, buf_tags[b], 0, 0xffffffffL, 1, &v, d))
                return -1;
            t->buf[b][j] = (uint32_t)v;
        }
    }
    return 0;
}

int mp_cosim_tiles_read(const char *path, mp_cosim_tiles *h, mp_diag *d)
{
    memset(h, 0, sizeof *h);
    reader r = {fopen(path, "r"), path, 1, {0}};
    if (!r.fp)
        return mp_fail(d, path, 0, "tiles", "cannot open");
    int rc = read_header(&r, h, d);
    if (!rc) {
        int count = h->count;
        h->count = 0;
        h->tiles = calloc(count ? (size_t)count : 1, sizeof *h->tiles);
        if (!h->tiles)
            rc = mp_fail(d, path, 0, "tiles", "out of memory");
        for (int i = 0; !rc && i < count; i++) {
            h->count = i + 1;
            rc = read_tile(&r, h, i, d);
        }
    }
    fclose(r.fp);
    if (rc)
        mp_cosim_tiles_free(h);
    return rc;
}

/* ---- the golden check ------------------------------------------------- */

static uint32_t result_word(const mp_arith *ar, double y)
{
    if (ar->out_acc == MP_ACC_INT)
        return (uint32_t)(int64_t)y; /* low 32 bits of the integer */
    return mp_cosim_float_word((float)y);
}

int mp_cosim_expected(const mp_cosim_tiles *h, const mp_cosim_tile *t,
                      uint32_t *expected, mp_diag *d)
{
    int m = h->m_tile, n = h->n_tile, k = t->k;
    int group = h->group > 0 ? h->group : k, groups = k / group;
    double *x = malloc(sizeof(double) * (size_t)m * (size_t)k);
    mp_wcode *wq = malloc((size_t)k * (size_t)n * sizeof *wq);
    float *scales = malloc(sizeof(float) * (size_t)(groups * n + 1));
    int32_t *zeros = malloc(sizeof(int32_t) * (size_t)(groups * n + 1));
    float *act_scale = malloc(sizeof(float) * (size_t)m);
    double *y = malloc(sizeof(double) * (size_t)m * (size_t)n);
    int rc = -1;
    if (!x || !wq || !scales || !zeros || !act_scale || !y) {
        mp_fail(d, "<memory>", 0, "tiles", "out of memory");
        goto out;
    }
    for (size_t i = 0; i < (size_t)m * (size_t)k; i++)
        x[i] = mp_cosim_act_value(h->act, t->buf[MP_LD_X][i]);
    for (size_t i = 0; i < (size_t)k * (size_t)n; i++)
        wq[i] = mp_wcode_store((int32_t)t->buf[MP_LD_W][i]);
    for (size_t i = 0; i < (size_t)(groups * n); i++) {
        if (h->has_scales)
            scales[i] = mp_cosim_word_float(t->buf[MP_LD_SCALE][i]);
        if (h->has_zeros)
            zeros[i] = (int32_t)t->buf[MP_LD_ZERO][i];
    }
    for (int i = 0; i < m && h->has_act_scale; i++)
        act_scale[i] = mp_cosim_word_float(t->buf[MP_LD_ACT_SCALE][i]);
    mp_gemm_in in = {
        .m = m, .n = n, .k = k, .act = h->act, .x = x,
        .act_scale = h->has_act_scale ? act_scale : NULL,
        .wfmt = h->wfmt, .wq = wq, .group_size = group,
        .scales = h->has_scales ? scales : NULL,
        .zeros = h->has_zeros ? zeros : NULL,
    };
    if (mp_gemm_hw(&in, &h->arith, y, d))
        goto out;
    for (size_t i = 0; i < (size_t)m * (size_t)n; i++)
        expected[i] = result_word(&h->arith, y[i]);
    rc = 0;
out:
    free(x);
    free(wq);
    free(scales);
    free(zeros);
    free(act_scale);
    free(y);
    return rc;
}

static int is_nan_word(const mp_arith *ar, uint32_t w)
{
    return ar->out_acc != MP_ACC_INT && isnan(mp_cosim_word_float(w));
}

void mp_cosim_compare(const mp_cosim_tiles *h, const uint32_t *expected,
                      const uint32_t *got, mp_cosim_mismatch *mm)
{
    memset(mm, 0, sizeof *mm);
    for (int i = 0; i < h->m_tile * h->n_tile; i++) {
        if (expected[i] == got[i] ||
            (is_nan_word(&h->arith, expected[i]) &&
             is_nan_word(&h->arith, got[i])))
            continue;
        if (mm->count++ == 0) {
            mm->m = i / h->n_tile;
            mm->n = i % h->n_tile;
            mm->expected = expected[i];
            mm->got = got[i];
        }
    }
}

int mp_cosim_check_tile(const mp_cosim_tiles *h, const mp_cosim_tile *t,
                        const uint32_t *got, mp_cosim_mismatch *mm,
                        mp_diag *d)
{
    size_t count = (size_t)h->m_tile * (size_t)h->n_tile;
    uint32_t *expected = malloc(sizeof(uint32_t) * count);
    if (!expected)
        return mp_fail(d, "<memory>", 0, "tiles", "out of memory");
    int rc = mp_cosim_expected(h, t, expected, d);
    if (!rc) {
        mp_cosim_compare(h, expected, got, mm);
        rc = mm->count;
    }
    free(expected);
    return rc;
}
