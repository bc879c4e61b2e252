/*
 * npy.c - see npy.h.
 *
 * File layout: "\x93NUMPY", major, minor, header length (uint16 LE for 1.0,
 * uint32 LE for 2.0), then the header: a Python dict literal such as
 *
 *     {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }
 *
 * padded with spaces and a newline, then the raw little-endian data in C
 * order.  The header is parsed by a small tokenizer over exactly this
 * literal grammar (either quote style, any spacing, trailing commas, keys
 * in any order) rather than by searching for substrings, so that e.g. a
 * 'shape' inside a string cannot confuse it.
 */
#include "golden/npy.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "golden/formats.h"
#include "golden/infile.h"
#include "golden/outfile.h"

/* ---- dtypes ----------------------------------------------------------- */

typedef struct dtype_info {
    mp_npy_dtype dtype;
    const char *name;  /* numpy name */
    char kind;         /* 'i', 'u', 'f' in the descr */
    int size;          /* bytes */
} dtype_info;

static const dtype_info dtypes[] = {
    {MP_NPY_I8, "int8", 'i', 1},     {MP_NPY_U8, "uint8", 'u', 1},
    {MP_NPY_I16, "int16", 'i', 2},   {MP_NPY_U16, "uint16", 'u', 2},
    {MP_NPY_I32, "int32", 'i', 4},   {MP_NPY_I64, "int64", 'i', 8},
    {MP_NPY_F16, "float16", 'f', 2}, {MP_NPY_F32, "float32", 'f', 4},
    {MP_NPY_F64, "float64", 'f', 8},
};
#define N_DTYPES (sizeof dtypes / sizeof dtypes[0])

static const dtype_info *dtype_find(mp_npy_dtype t)
{
    for (size_t i = 0; i < N_DTYPES; i++)
        if (dtypes[i].dtype == t)
            return &dtypes[i];
    return NULL;
}

const char *mp_npy_dtype_name(mp_npy_dtype t)
{
    const dtype_info *info = dtype_find(t);
    return info ? info->name : "?";
}

/* ---- header tokenizer ------------------------------------------------- */

typedef struct header_parser {
    const char *text;
    size_t len;
    size_t pos;
    const char *path;
    mp_diag *d;
} header_parser;

typedef struct header_fields {
    char descr[32];
    int fortran_order;
    int ndim;
    int64_t shape[MP_NPY_MAX_DIMS];
    int seen_descr, seen_fortran, seen_shape;
} header_fields;

static void skip_space(header_parser *p)
{
    while (p->pos < p->len &&
           (p->text[p->pos] == ' ' || p->text[p->pos] == '\t' ||
            p->text[p->pos] == '\n' || p->text[p->pos] == '\r'))
        p->pos++;
}

/* Consume character c (after spaces) if present. */
static int accept(header_parser *p, char c)
{
    skip_space(p);
    if (p->pos < p->len && p->text[p->pos] == c) {
        p->pos++;
        return 1;
    }
    return 0;
}

static int expect(header_parser *p, char c, const char *field)
{
    if (accept(p, c))
        return 0;
    return mp_fail(p->d, p->path, 0, field,
                   "malformed header: expected '%c' at offset %zu", c, p->pos);
}

/* A quoted string without escapes (numpy never writes any). */
static int parse_string(header_parser *p, char *out, size_t cap,
                        const char *field)
{
    skip_space(p);
    if (p->pos >= p->len ||
        (p->text[p->pos] != '\'' && p->text[p->pos] != '"'))
        return mp_fail(p->d, p->path, 0, field,
                       "malformed header: expected a quoted string at offset %zu",
                       p->pos);
    char quote = p->text[p->pos++];
    size_t start = p->pos;
    while (p->pos < p->len && p->text[p->pos] != quote) {
        if (p->text[p->pos] == '\\')
            return mp_fail(p->d, p->path, 0, field,
                           "escapes in header strings are not supported");
        p->pos++;
    }
    if (p->pos >= p->len)
        return mp_fail(p->d, p->path, 0, field,
                       "malformed header: unterminated string");
    size_t n = p->pos - start;
    p->pos++;
    if (n >= cap)
        return mp_fail(p->d, p->path, 0, field, "string too long (%zu chars)",
                       n);
    memcpy(out, p->text + start, n);
    out[n] = '\0';
    return 0;
}

static int parse_bool(header_parser *p, int *out, const char *field)
{
    skip_space(p);
    const char *rest = p->text + p->pos;
    size_t left = p->len - p->pos;
    if (left >= 4 && memcmp(rest, "True", 4) == 0) {
        p->pos += 4;
        *out = 1;
        return 0;
    }
    if (left >= 5 && memcmp(rest, "False", 5) == 0) {
        p->pos += 5;
        *out = 0;
        return 0;
    }
    return mp_fail(p->d, p->path, 0, field,
                   "expected True or False at offset %zu", p->pos);
}

/* A non-negative decimal integer (Python 2 files may append 'L'). */
static int parse_dim(header_parser *p, int64_t *out)
{
    skip_space(p);
    int64_t v = 0;
    size_t start = p->pos;
    while (p->pos < p->len && p->text[p->pos] >= '0' && p->text[p->pos] <= '9') {
        int digit = p->text[p->pos++] - '0';
        if (v > (INT64_MAX - digit) / 10)
            return mp_fail(p->d, p->path, 0, "shape", "dimension too large");
        v = v * 10 + digit;
    }
    if (p->pos == start)
        return mp_fail(p->d, p->path, 0, "shape",
                       "expected a non-negative integer at offset %zu", p->pos);
    if (p->pos < p->len && p->text[p->pos] == 'L')
        p->pos++;
    *out = v;
    return 0;
}

/* "()", "(5,)", "(3, 4)", "(3, 4,)" */
static int parse_shape(header_parser *p, header_fields *h)
{
    if (expect(p, '(', "shape") != 0)
        return -1;
    h->ndim = 0;
    if (accept(p, ')'))
        return 0;
    for (;;) {
        if (h->ndim == MP_NPY_MAX_DIMS)
            return mp_fail(p->d, p->path, 0, "shape",
                           "more than %d dimensions", MP_NPY_MAX_DIMS);
        if (parse_dim(p, &h->shape[h->ndim]) != 0)
            return -1;
        h->ndim++;
        if (accept(p, ')'))
            return 0;
        if (expect(p, ',', "shape") != 0)
            return -1;
        if (accept(p, ')'))
            return 0;
    }
}

static int parse_entry(header_parser *p, header_fields *h)
{
    char key[32];
    if (parse_string(p, key, sizeof key, "header") != 0)
        return -1;
    if (expect(p, ':', "header") != 0)
        return -1;
    if (strcmp(key, "descr") == 0) {
        if (h->seen_descr++)
            return mp_fail(p->d, p->path, 0, "descr", "given twice");
        skip_space(p);
        if (p->pos < p->len && p->text[p->pos] == '[')
            return mp_fail(p->d, p->path, 0, "descr",
                           "structured dtypes are not supported");
        return parse_string(p, h->descr, sizeof h->descr, "descr");
    }
    if (strcmp(key, "fortran_order") == 0) {
        if (h->seen_fortran++)
            return mp_fail(p->d, p->path, 0, "fortran_order", "given twice");
        return parse_bool(p, &h->fortran_order, "fortran_order");
    }
    if (strcmp(key, "shape") == 0) {
        if (h->seen_shape++)
            return mp_fail(p->d, p->path, 0, "shape", "given twice");
        return parse_shape(p, h);
    }
    return mp_fail(p->d, p->path, 0, "header", "unknown key '%s'", key);
}

static int parse_header(header_parser *p, header_fields *h)
{
    memset(h, 0, sizeof *h);
    if (expect(p, '{', "header") != 0)
        return -1;
    while (!accept(p, '}')) {
        if (parse_entry(p, h) != 0)
            return -1;
        if (!accept(p, ',')) {
            if (expect(p, '}', "header") != 0)
                return -1;
            break;
        }
    }
    skip_space(p);
    if (p->pos != p->len)
        return mp_fail(p->d, p->path, 0, "header",
                       "unexpected text after the dict at offset %zu", p->pos);
    if (!h->seen_descr)
        return mp_fail(p->d, p->path, 0, "descr", "missing from the header");
    if (!h->seen_fortran)
        return mp_fail(p->d, p->path, 0, "fortran_order",
                       "missing from the header");
    if (!h->seen_shape)
        return mp_fail(p->d, p->path, 0, "shape", "missing from the header");
    return 0;
}

/* '<f4', '|u1', ...: little-endian, or any byte order for 1-byte types. */
static int descr_to_dtype(const char *descr, const char *path,
                          mp_npy_dtype *out, mp_diag *d)
{
    char order = descr[0];
    if (order != '<' && order != '|' && order != '>' && order != '=')
        return mp_fail(d, path, 0, "descr", "unsupported dtype '%s'", descr);
    for (size_t i = 0; i < N_DTYPES; i++) {
        char want[8];
        snprintf(want, sizeof want, "%c%d", dtypes[i].kind, dtypes[i].size);
        if (strcmp(descr + 1, want) != 0)
            continue;
        /* '=' is native order; mpsim reads files as little-endian. */
        if (dtypes[i].size > 1 && order != '<')
            return mp_fail(d, path, 0, "descr",
                           "dtype '%s' is not little-endian", descr);
        *out = dtypes[i].dtype;
        return 0;
    }
    return mp_fail(d, path, 0, "descr",
                   "unsupported dtype '%s' (int8, uint8, int16, uint16, int32, "
                   "int64, float16, float32, float64)",
                   descr);
}

/* ---- little-endian values --------------------------------------------- */

static uint64_t load_le(const unsigned char *b, int size)
{
    uint64_t v = 0;
    for (int i = size - 1; i >= 0; i--)
        v = (v << 8) | b[i];
    return v;
}

static void store_le(unsigned char *b, uint64_t v, int size)
{
    for (int i = 0; i < size; i++) {
        b[i] = (unsigned char)(v & 0xff);
        v >>= 8;
    }
}

/* Raw element -> double; -1 if an int64 does not fit a double exactly. */
static int element_value(mp_npy_dtype t, const unsigned char *b, double *out)
{
    switch (t) {
    case MP_NPY_I8: *out = (int8_t)b[0]; return 0;
    case MP_NPY_U8: *out = b[0]; return 0;
    case MP_NPY_I16: *out = (int16_t)(uint16_t)load_le(b, 2); return 0;
    case MP_NPY_U16: *out = (uint16_t)load_le(b, 2); return 0;
    case MP_NPY_I32: *out = (int32_t)(uint32_t)load_le(b, 4); return 0;
    case MP_NPY_I64: {
        int64_t v = (int64_t)load_le(b, 8);
        const int64_t limit = (int64_t)1 << 53;
        if (v > limit || v < -limit)
            return -1;
        *out = (double)v;
        return 0;
    }
    case MP_NPY_F16:
        *out = mp_fp_decode(MP_ACT_FP16, (uint32_t)load_le(b, 2));
        return 0;
    case MP_NPY_F32: {
        uint32_t bits = (uint32_t)load_le(b, 4);
        float f;
        memcpy(&f, &bits, sizeof f);
        *out = f;
        return 0;
    }
    case MP_NPY_F64: {
        uint64_t bits = load_le(b, 8);
        memcpy(out, &bits, sizeof *out);
        return 0;
    }
    }
    return -1;
}

/* ---- reading ---------------------------------------------------------- */

static const unsigned char magic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

/* Reads the preamble and header text; returns the malloc'd header. */
static char *read_header(FILE *fp, const char *path, int64_t file_size,
                         size_t *len, mp_diag *d)
{
    unsigned char pre[8];
    if (fread(pre, 1, 8, fp) != 8 || memcmp(pre, magic, 6) != 0) {
        mp_fail(d, path, 0, "magic", "not a .npy file (bad magic string)");
        return NULL;
    }
    int major = pre[6], minor = pre[7];
    size_t header_len;
    if (major == 1) {
        unsigned char lb[2];
        if (fread(lb, 1, 2, fp) != 2) {
            mp_fail(d, path, 0, "header_len", "file ends inside the header");
            return NULL;
        }
        header_len = (size_t)load_le(lb, 2);
    } else if (major == 2 || major == 3) {
        unsigned char lb[4];
        if (fread(lb, 1, 4, fp) != 4) {
            mp_fail(d, path, 0, "header_len", "file ends inside the header");
            return NULL;
        }
        header_len = (size_t)load_le(lb, 4);
    } else {
        mp_fail(d, path, 0, "version", "unsupported .npy version %d.%d",
                major, minor);
        return NULL;
    }
    if (minor != 0) {
        mp_fail(d, path, 0, "version", "unsupported .npy version %d.%d",
                major, minor);
        return NULL;
    }
    if (header_len > (1u << 24)) {
        mp_fail(d, path, 0, "header_len", "header of %zu bytes is too long",
                header_len);
        return NULL;
    }
    long pos = ftell(fp);
    if (pos < 0 || (int64_t)header_len > file_size - pos) {
        mp_fail(d, path, 0, "header", "file ends inside the header (%zu "
                "bytes declared, %lld in the file)", header_len,
                (long long)(file_size - (pos < 0 ? 0 : pos)));
        return NULL;
    }
    char *text = malloc(header_len + 1);
    if (!text) {
        mp_fail(d, path, 0, "header", "out of memory");
        return NULL;
    }
    if (fread(text, 1, header_len, fp) != header_len) {
        free(text);
        mp_fail(d, path, 0, "header", "file ends inside the header");
        return NULL;
    }
    text[header_len] = '\0';
    if (memchr(text, '\0', header_len)) {
        free(text);
        mp_fail(d, path, 0, "header", "NUL byte in the header");
        return NULL;
    }
    *len = header_len;
    return text;
}

/* Product of the shape, refusing overflow of size_t and absurd sizes. */
static int shape_count(const header_fields *h, int itemsize, const char *path,
                       size_t *count, mp_diag *d)
{
    size_t n = 1;
    for (int i = 0; i < h->ndim; i++) {
        uint64_t dim = (uint64_t)h->shape[i];
        if (dim != 0 && n > (SIZE_MAX / 16) / dim)
            return mp_fail(d, path, 0, "shape", "array too large");
        n *= (size_t)dim;
    }
    if (n > (SIZE_MAX / 16) / (size_t)itemsize)
        return mp_fail(d, path, 0, "shape", "array too large");
    *count = n;
    return 0;
}

static int read_data(FILE *fp, const char *path, mp_npy *out, int itemsize,
                     mp_diag *d)
{
    size_t bytes = out->count * (size_t)itemsize;
    unsigned char *raw = malloc(bytes ? bytes : 1);
    out->data = malloc((out->count ? out->count : 1) * sizeof *out->data);
    if (!raw || !out->data) {
        free(raw);
        return mp_fail(d, path, 0, "data", "out of memory for %zu values",
                       out->count);
    }
    size_t got = fread(raw, 1, bytes, fp);
    if (got != bytes) {
        free(raw);
        return mp_fail(d, path, 0, "data",
                       "truncated: shape needs %zu bytes, file has %zu", bytes,
                       got);
    }
    if (fgetc(fp) != EOF) {
        free(raw);
        return mp_fail(d, path, 0, "data",
                       "file is longer than the shape says (%zu bytes)", bytes);
    }
    for (size_t i = 0; i < out->count; i++)
        if (element_value(out->dtype, raw + i * (size_t)itemsize,
                          &out->data[i]) != 0) {
            free(raw);
            return mp_fail(d, path, 0, "data",
                           "int64 value at index %zu is beyond +-2^53", i);
        }
    free(raw);
    return 0;
}

static int read_open(FILE *fp, const char *path, int64_t file_size,
                     mp_npy *out, mp_diag *d)
{
    size_t len = 0;
    char *text = read_header(fp, path, file_size, &len, d);
    if (!text)
        return -1;
    header_parser p = {text, len, 0, path, d};
    header_fields h;
    int rc = parse_header(&p, &h);
    free(text);
    if (rc != 0)
        return -1;
    if (descr_to_dtype(h.descr, path, &out->dtype, d) != 0)
        return -1;
    if (h.fortran_order)
        return mp_fail(d, path, 0, "fortran_order",
                       "Fortran-order arrays are not supported (save with C "
                       "order)");
    out->ndim = h.ndim;
    memcpy(out->shape, h.shape, sizeof h.shape);
    int itemsize = dtype_find(out->dtype)->size;
    if (shape_count(&h, itemsize, path, &out->count, d) != 0)
        return -1;
    /* the shape against the file before anything is allocated: a 207-byte
     * file declaring 6.6e14 elements is truncated, not out of memory */
    long pos = ftell(fp);
    uint64_t have = pos < 0 ? 0 : (uint64_t)(file_size - pos);
    uint64_t need = (uint64_t)out->count * (uint64_t)itemsize;
    if (need != have)
        return mp_fail(d, path, 0, "data", need > have
                       ? "truncated: shape needs %llu bytes, file has %llu"
                       : "file is longer than the shape says (%llu bytes, "
                         "file has %llu)",
                       (unsigned long long)need, (unsigned long long)have);
    return read_data(fp, path, out, itemsize, d);
}

int mp_npy_read(const char *path, mp_npy *out, mp_diag *d)
{
    memset(out, 0, sizeof *out);
    int64_t size;
    FILE *fp = mp_in_open(path, MP_NPY_MAX_BYTES, "file", &size, d);
    if (!fp)
        return -1;
    int rc = read_open(fp, path, size, out, d);
    fclose(fp);
    if (rc != 0)
        mp_npy_free(out);
    return rc;
}

void mp_npy_free(mp_npy *a)
{
    free(a->data);
    a->data = NULL;
    a->count = 0;
}

/* ---- writing ---------------------------------------------------------- */

/* Exact integer check for the integer dtypes. */
static int int_range(mp_npy_dtype t, double *lo, double *hi)
{
    switch (t) {
    case MP_NPY_I8: *lo = -128; *hi = 127; return 1;
    case MP_NPY_U8: *lo = 0; *hi = 255; return 1;
    case MP_NPY_I16: *lo = -32768; *hi = 32767; return 1;
    case MP_NPY_U16: *lo = 0; *hi = 65535; return 1;
    case MP_NPY_I32: *lo = -2147483648.0; *hi = 2147483647.0; return 1;
    case MP_NPY_I64: *lo = -9223372036854775808.0;
        *hi = 9223372036854775807.0; return 1;
    default: return 0;
    }
}

static int representable(mp_npy_dtype t, double v)
{
    double lo, hi;
    if (int_range(t, &lo, &hi))
        /* hi of int64 rounds up to 2^63, which does not fit: strict < */
        return isfinite(v) && v == floor(v) && v >= lo &&
               (t == MP_NPY_I64 ? v < hi : v <= hi);
    if (t == MP_NPY_F16)
        return mp_act_representable(MP_ACT_FP16, v);
    if (t == MP_NPY_F32)
        return mp_act_representable(MP_ACT_FP32, v);
    return 1; /* F64 */
}

static void encode_value(mp_npy_dtype t, double v, unsigned char *b)
{
    switch (t) {
    case MP_NPY_I8: case MP_NPY_U8: case MP_NPY_I16: case MP_NPY_U16:
    case MP_NPY_I32: case MP_NPY_I64: {
        int size = dtype_find(t)->size;
        store_le(b, (uint64_t)(int64_t)v, size);
        return;
    }
    case MP_NPY_F16:
        store_le(b, mp_fp_encode(MP_ACT_FP16, v, MP_OVF_IEEE), 2);
        return;
    case MP_NPY_F32:
        store_le(b, mp_fp_encode(MP_ACT_FP32, v, MP_OVF_IEEE), 4);
        return;
    case MP_NPY_F64: {
        uint64_t bits;
        memcpy(&bits, &v, sizeof bits);
        store_le(b, bits, 8);
        return;
    }
    }
}

/* Version 1.0 header, padded with spaces and '\n' to a multiple of 64. */
static size_t format_header(char *buf, size_t cap, const dtype_info *info,
                            int ndim, const int64_t *shape)
{
    char shape_text[MP_NPY_MAX_DIMS * 24 + 8];
    size_t n = 0;
    shape_text[n++] = '(';
    for (int i = 0; i < ndim; i++)
        n += (size_t)snprintf(shape_text + n, sizeof shape_text - n, "%s%lld",
                              i ? ", " : "", (long long)shape[i]);
    if (ndim == 1)
        shape_text[n++] = ',';
    shape_text[n++] = ')';
    shape_text[n] = '\0';
    int len = snprintf(buf, cap,
                       "{'descr': '%c%c%d', 'fortran_order': False, "
                       "'shape': %s, }",
                       info->size == 1 ? '|' : '<', info->kind, info->size,
                       shape_text);
    size_t total = 10 + (size_t)len + 1;
    size_t padded = (total + 63) / 64 * 64;
    size_t text_len = padded - 10;
    memset(buf + len, ' ', text_len - 1 - (size_t)len);
    buf[text_len - 1] = '\n';
    buf[text_len] = '\0';
    return text_len;
}

static int check_write_args(const char *path, const dtype_info *info,
                            int ndim, const int64_t *shape, size_t *count,
                            mp_diag *d)
{
    if (!info)
        return mp_fail(d, path, 0, "descr", "unknown dtype");
    if (ndim < 0 || ndim > MP_NPY_MAX_DIMS)
        return mp_fail(d, path, 0, "shape", "ndim must be 0..%d, got %d",
                       MP_NPY_MAX_DIMS, ndim);
    header_fields h;
    h.ndim = ndim;
    for (int i = 0; i < ndim; i++) {
        if (shape[i] < 0)
            return mp_fail(d, path, 0, "shape", "negative dimension %lld",
                           (long long)shape[i]);
        h.shape[i] = shape[i];
    }
    return shape_count(&h, info->size, path, count, d);
}

int mp_npy_write(const char *path, mp_npy_dtype dtype, int ndim,
                 const int64_t *shape, const double *values, mp_diag *d)
{
    const dtype_info *info = dtype_find(dtype);
    size_t count;
    if (check_write_args(path, info, ndim, shape, &count, d) != 0)
        return -1;
    for (size_t i = 0; i < count; i++)
        if (!representable(dtype, values[i]))
            return mp_fail(d, path, 0, "data",
                           "value %.17g at index %zu is not exactly "
                           "representable as %s",
                           values[i], i, info->name);

    char header[MP_NPY_MAX_DIMS * 24 + 192];
    size_t header_len = format_header(header, sizeof header, info, ndim, shape);
    unsigned char pre[10];
    memcpy(pre, magic, 6);
    pre[6] = 1;
    pre[7] = 0;
    store_le(pre + 8, header_len, 2);

    mp_outfile of;
    if (mp_out_open(&of, path, d) != 0)
        return -1;
    fwrite(pre, 1, sizeof pre, of.fp);
    fwrite(header, 1, header_len, of.fp);
    unsigned char b[8];
    for (size_t i = 0; i < count; i++) {
        encode_value(dtype, values[i], b);
        fwrite(b, 1, (size_t)info->size, of.fp);
    }
    return mp_out_commit(&of, d);
}
