/* results.c - see results.h. */
#include "sim/analysis/results.h"

#include "golden/decimal.h"
#include "golden/infile.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A regular file (a FIFO is refused, not waited on) of at most 4 GiB: a
 * sweep's rows are a few hundred bytes, so millions of points fit. */
#define RESULTS_MAX_BYTES (4LL << 30)

/* Split one CSV line in place into fields; returns the count. */
static int split(char *line, char **field, int cap)
{
    int n = 0;
    char *p = line;
    for (;;) {
        if (n == cap)
            return n;
        if (*p == '"') {
            char *w = ++p;
            field[n++] = w;
            while (*p) {
                if (*p == '"' && p[1] == '"')
                    *w++ = '"', p += 2;
                else if (*p == '"')
                    { p++; break; }
                else
                    *w++ = *p++;
            }
            char *end = p;
            *w = '\0';
            p = end;
        } else {
            field[n++] = p;
            p += strcspn(p, ",\n\r");
        }
        if (*p != ',') {
            *p = '\0';
            return n;
        }
        *p++ = '\0';
    }
}

static char *read_line(FILE *fp, char **buf, size_t *cap, uint64_t *h)
{
    ssize_t n = getline(buf, cap, fp);
    if (n < 0)
        return NULL;
    for (ssize_t i = 0; i < n; i++)
        *h = (*h ^ (unsigned char)(*buf)[i]) * 0x100000001b3ULL;
    return *buf;
}

int mp_results_open(const char *path, mp_results *r, mp_diag *d)
{
    memset(r, 0, sizeof *r);
    snprintf(r->file, sizeof r->file, "%s", path);
    r->group_col = -1;
    r->file_hash = 0xcbf29ce484222325ULL;
    FILE *fp = mp_in_open(path, RESULTS_MAX_BYTES, "file", NULL, d);
    if (!fp)
        return -1;
    char *buf = NULL, *field[MP_RESULTS_MAX_COLS];
    size_t cap = 0;
    uint64_t h = 0;
    int rc = 0;
    if (!read_line(fp, &buf, &cap, &h)) {
        rc = mp_fail(d, path, 1, "header", "empty file");
    } else {
        r->ncols = split(buf, field, MP_RESULTS_MAX_COLS);
        for (int i = 0; i < r->ncols; i++)
            r->names[i] = strdup(field[i]);
        static const char *const need[] = {"point", "hash", "status"};
        for (int i = 0; i < 3 && !rc; i++)
            if (r->ncols <= i || strcmp(r->names[i], need[i]))
                rc = mp_fail(d, path, 1, "header", "not an mpsim sweep "
                             "CSV (column %d should be '%s')", i + 1,
                             need[i]);
    }
    free(buf);
    fclose(fp);
    if (rc)
        mp_results_free(r);
    return rc;
}

int mp_results_want(mp_results *r, const char *name)
{
    for (int i = 0; i < r->nwant; i++)
        if (!strcmp(r->names[r->want[i]], name))
            return i;
    for (int c = 0; c < r->ncols; c++)
        if (!strcmp(r->names[c], name) && r->nwant < MP_RESULTS_MAX_WANT) {
            r->want[r->nwant] = c;
            return r->nwant++;
        }
    return -1;
}

static int grow(mp_results *r, size_t *cap)
{
    size_t n = *cap ? *cap * 2 : 4096;
    void *p[5] = {realloc(r->point, n * sizeof *r->point),
                  NULL, NULL, NULL, NULL};
    if (p[0]) r->point = p[0];
    p[1] = realloc(r->hash, n * sizeof *r->hash);
    if (p[1]) r->hash = p[1];
    p[2] = realloc(r->ok, n);
    if (p[2]) r->ok = p[2];
    p[3] = realloc(r->group, n);
    if (p[3]) r->group = p[3];
    p[4] = realloc(r->num, n * (size_t)(r->nwant ? r->nwant : 1) *
                               sizeof *r->num);
    if (p[4]) r->num = p[4];
    for (int i = 0; i < 5; i++)
        if (!p[i])
            return -1;
    *cap = n;
    return 0;
}

static int intern(mp_results *r, const char *g)
{
    for (int i = 0; i < r->ngroups; i++)
        if (!strcmp(r->groups[i], g))
            return i;
    if (r->ngroups >= MP_RESULTS_MAX_GROUPS)
        return -1;
    snprintf(r->groups[r->ngroups], sizeof r->groups[0], "%s", g);
    return r->ngroups++;
}

int mp_results_load(mp_results *r, const char *group_col, mp_diag *d)
{
    for (int c = 0; group_col && c < r->ncols; c++)
        if (!strcmp(r->names[c], group_col))
            r->group_col = c;
    if (group_col && r->group_col < 0)
        return mp_fail(d, r->file, 1, group_col, "no such column");
    FILE *fp = mp_in_open(r->file, RESULTS_MAX_BYTES, "file", NULL, d);
    if (!fp)
        return -1;
    char *buf = NULL, *field[MP_RESULTS_MAX_COLS];
    size_t cap = 0, rows_cap = 0;
    int rc = 0;
    long line = 1;
    read_line(fp, &buf, &cap, &r->file_hash);
    while (!rc && read_line(fp, &buf, &cap, &r->file_hash)) {
        line++;
        int n = split(buf, field, MP_RESULTS_MAX_COLS);
        if (n != r->ncols) {
            rc = mp_fail(d, r->file, (int)line, "row", "%d fields, the "
                         "header has %d", n, r->ncols);
            break;
        }
        if (r->nrows == rows_cap && grow(r, &rows_cap)) {
            rc = mp_fail(d, r->file, (int)line, "row", "out of memory");
            break;
        }
        size_t i = r->nrows;
        int64_t point = 0;
        uint64_t hash = 0;
        if (mp_parse_i64(field[0], 0, INT64_MAX, &point) ||
            mp_parse_hex(field[1], UINT64_MAX, &hash)) {
            rc = mp_fail(d, r->file, (int)line, "row", "point and hash "
                         "must be a decimal index and hex digits");
            break;
        }
        r->point[i] = point;
        r->hash[i] = hash;
        r->ok[i] = !strcmp(field[2], "ok");
        int g = r->group_col >= 0 ? intern(r, field[r->group_col]) : 0;
        if (g < 0) {
            rc = mp_fail(d, r->file, (int)line, group_col, "more than %d "
                         "groups", MP_RESULTS_MAX_GROUPS);
            break;
        }
        r->group[i] = (unsigned char)g;
        for (int k = 0; k < r->nwant; k++) {
            double v = 0;
            r->num[i * (size_t)r->nwant + (size_t)k] =
                mp_parse_real(field[r->want[k]], -HUGE_VAL, HUGE_VAL, &v)
                ? NAN : v;
        }
        r->nrows++;
    }
    if (r->group_col < 0)
        r->ngroups = 1, snprintf(r->groups[0], sizeof r->groups[0], "all");
    free(buf);
    fclose(fp);
    return rc;
}

void mp_results_free(mp_results *r)
{
    for (int i = 0; i < r->ncols; i++)
        free(r->names[i]);
    free(r->point);
    free(r->hash);
    free(r->ok);
    free(r->group);
    free(r->num);
    memset(r, 0, sizeof *r);
}
