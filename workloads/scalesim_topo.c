/* scalesim_topo.c - SCALE-Sim v2 topology CSV reader; see the header. */
#include "workloads/scalesim_topo.h"

#include "golden/decimal.h"
#include "golden/infile.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_FIELDS 12
#define VALUE_MAX INT64_C(2147483647)

typedef struct csv_row {
    char *field[MAX_FIELDS];
    int count;
} csv_row;

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* Split line in place; a final empty field (trailing comma) is dropped. */
static int split(char *line, csv_row *row)
{
    row->count = 0;
    char *p = line;
    for (;;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        if (row->count == MAX_FIELDS)
            return -1;
        row->field[row->count++] = trim(p);
        if (!comma)
            break;
        p = comma + 1;
    }
    if (row->count > 1 && row->field[row->count - 1][0] == '\0')
        row->count--;
    return 0;
}

static int parse_value(const char *text, const char *file, int line,
                       const char *field, int64_t lo, int64_t *out, mp_diag *d)
{
    int64_t v = 0;
    int rc = mp_parse_i64(text, lo, VALUE_MAX, &v);
    if (rc == MP_NUM_SYNTAX)
        return mp_fail(d, file, line, field, "expected an integer, got '%s'",
                       text);
    if (rc == MP_NUM_RANGE)
        return mp_fail(d, file, line, field, "must be in %" PRId64 "..%" PRId64
                       ", got %" PRId64, lo, VALUE_MAX, v);
    *out = v;
    return 0;
}

static void init_op(mp_trace_op *op, const char *name)
{
    memset(op, 0, sizeof *op);
    snprintf(op->name, sizeof op->name, "%s", name);
    op->kind = MP_OP_GEMM_WEIGHT;
    op->act = MP_ACT_INT8;
    op->wfmt.kind = MP_W_SIGNED;
    op->wfmt.bits = 8;
    op->repeat = 1;
}

static int gemm_row(const csv_row *r, char *const *hdr, const char *file,
                    int line, mp_trace_op *op, mp_diag *d)
{
    if (r->count != 4)
        return mp_fail(d, file, line, "row", "expected 4 fields (Layer, M, N, "
                       "K), got %d", r->count);
    init_op(op, r->field[0]);
    if (parse_value(r->field[1], file, line, hdr[1], 1, &op->m, d) ||
        parse_value(r->field[2], file, line, hdr[2], 1, &op->n, d) ||
        parse_value(r->field[3], file, line, hdr[3], 1, &op->k, d))
        return -1;
    int64_t p;
    if (__builtin_mul_overflow(op->m, op->n, &p) ||
        __builtin_mul_overflow(p, op->k, &p))
        return mp_fail(d, file, line, "row", "layer too large (MACs overflow)");
    op->group_size = (int)op->k;
    return 0;
}

/* SCALE-Sim v3 (scalesim-project/scale-sim-v3 fab89b7, topologies/llama/
 * llama3b.csv) names its 9th column "Batch Size"; its reader
 * (scalesim/topology_utils.py load_arrays_conv) copies the row stride to
 * the width stride, so the column is never a stride, and
 * compute/operand_matrix.py runs batch_size = 1 per layer. */
static int is_batch_header(const char *h)
{
    return !strcasecmp(h, "Batch Size") || !strcasecmp(h, "Batch");
}

static int conv_row(const csv_row *r, char *const *hdr, int hdr_count,
                    const char *file, int line, mp_trace_op *op, mp_diag *d)
{
    if (r->count != hdr_count)
        return mp_fail(d, file, line, "row", "expected %d fields like the "
                       "header, got %d", hdr_count, r->count);
    int64_t v[8] = {0};
    for (int i = 1; i < r->count; i++)
        if (parse_value(r->field[i], file, line, hdr[i], 1, &v[i - 1], d))
            return -1;
    int64_t ih = v[0], iw = v[1], fh = v[2], fw = v[3], ch = v[4], nf = v[5];
    /* 9th column: "Batch Size" (SCALE-Sim v3), else the width stride */
    int batch_col = r->count == 9 && is_batch_header(hdr[8]);
    int64_t sh = v[6], sw = r->count == 9 && !batch_col ? v[7] : v[6];
    int64_t batch = batch_col ? v[7] : 1;
    if (fh > ih)
        return mp_fail(d, file, line, hdr[3], "filter height %" PRId64
                       " larger than IFMAP height %" PRId64, fh, ih);
    if (fw > iw)
        return mp_fail(d, file, line, hdr[4], "filter width %" PRId64
                       " larger than IFMAP width %" PRId64, fw, iw);
    init_op(op, r->field[0]);
    op->m = ((ih - fh) / sh + 1) * ((iw - fw) / sw + 1);
    op->n = nf;
    int depthwise = strstr(r->field[0], "DP") != NULL; /* one GEMM/channel */
    op->repeat = (depthwise ? ch : 1) * batch; /* images run one by one */
    int64_t p;
    if (__builtin_mul_overflow(fh, fw, &op->k) ||
        (!depthwise && __builtin_mul_overflow(op->k, ch, &op->k)) ||
        op->k > INT32_MAX || __builtin_mul_overflow(op->m, op->n, &p) ||
        __builtin_mul_overflow(p, op->k, &p) ||
        __builtin_mul_overflow(p, op->repeat, &p))
        return mp_fail(d, file, line, "row", "layer too large (MACs overflow)");
    op->group_size = (int)op->k;
    return 0;
}

static void topo_name(const char *path, char *out, size_t cap)
{
    const char *base = strrchr(path, '/');
    snprintf(out, cap, "%s", base ? base + 1 : path);
    char *dot = strrchr(out, '.');
    if (dot && dot != out)
        *dot = '\0';
}

static int read_rows(FILE *fp, const char *path, mp_trace *t, mp_diag *d)
{
    char line[1024], header[1024];
    csv_row hdr = {0}, row;
    int lineno = 0, gemm = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(fp))
            return mp_fail(d, path, lineno, "row", "line longer than %zu "
                           "characters", sizeof line - 2);
        if (trim(line)[0] == '\0')
            continue;
        if (!hdr.count) {
            snprintf(header, sizeof header, "%s", line);
            if (split(header, &hdr) != 0)
                return mp_fail(d, path, lineno, "header", "too many columns");
            gemm = hdr.count == 4 && !strcmp(hdr.field[1], "M");
            if (!gemm && hdr.count != 8 && hdr.count != 9)
                return mp_fail(d, path, lineno, "header", "expected 'Layer, "
                               "M, N, K,' or the 8-column convolution header "
                               "(Layer name, IFMAP Height, ..., Strides,)");
            continue;
        }
        mp_trace_op op;
        if (split(line, &row) != 0)
            return mp_fail(d, path, lineno, "row", "too many fields");
        if ((gemm ? gemm_row(&row, hdr.field, path, lineno, &op, d)
                  : conv_row(&row, hdr.field, hdr.count, path, lineno, &op,
                             d)) != 0 ||
            mp_trace_add(t, &op, d) != 0)
            return -1;
    }
    if (ferror(fp))
        return mp_fail(d, path, 0, "file", "read error");
    if (t->count == 0)
        return mp_fail(d, path, lineno, "rows", "no layers in the topology");
    return 0;
}

int mp_scalesim_topo_read(const char *path, mp_trace *t, mp_diag *d)
{
    mp_trace_init(t);
    FILE *fp = mp_in_open(path, MP_TEXT_MAX_BYTES, "file", NULL, d);
    if (!fp)
        return -1;
    topo_name(path, t->model, sizeof t->model);
    snprintf(t->phase, sizeof t->phase, "topology");
    snprintf(t->quant, sizeof t->quant, "w8a8");
    t->batch = 1;
    int rc = read_rows(fp, path, t, d);
    fclose(fp);
    if (rc != 0)
        mp_trace_free(t);
    return rc;
}
