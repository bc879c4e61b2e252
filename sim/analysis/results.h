/*
 * results.h - a sweep's results CSV (mpsim sweep), read for analysis.
 *
 * Contract: mp_results_open() reads the header; mp_results_want() picks
 * the columns kept as numbers (by name; -1 if absent); mp_results_load()
 * then reads every row, keeping per row only the point, the hash, the
 * status, the group (the text of one column, interned) and the wanted
 * numbers (NaN when empty), so memory is rows x wanted columns.  Quoted
 * fields follow RFC 4180.  The FNV-1a hash of the whole file identifies the
 * results in every table and figure made from them.
 */
#ifndef MP_RESULTS_H
#define MP_RESULTS_H

#include <stddef.h>
#include <stdint.h>
#include "golden/diag.h"

#define MP_RESULTS_MAX_COLS 256
#define MP_RESULTS_MAX_WANT 48
#define MP_RESULTS_MAX_GROUPS 64

typedef struct mp_results {
    char file[MP_DIAG_FILE_MAX];
    int ncols;
    char *names[MP_RESULTS_MAX_COLS];
    int nwant;
    int want[MP_RESULTS_MAX_WANT];   /* CSV column of wanted number i     */
    int group_col;                   /* CSV column of the group, or -1    */
    size_t nrows;
    int64_t *point;
    uint64_t *hash;
    unsigned char *ok;               /* status "ok"                       */
    unsigned char *group;            /* index into groups                 */
    double *num;                     /* nrows x nwant                     */
    int ngroups;
    char groups[MP_RESULTS_MAX_GROUPS][64];
    uint64_t file_hash;
} mp_results;

int mp_results_open(const char *path, mp_results *r, mp_diag *d);
/* Index among the wanted numbers of column `name` (added if new), or -1
 * when the CSV has no such column. */
int mp_results_want(mp_results *r, const char *name);
int mp_results_load(mp_results *r, const char *group_col, mp_diag *d);
void mp_results_free(mp_results *r);

static inline double mp_results_num(const mp_results *r, size_t row, int i)
{
    return r->num[row * (size_t)r->nwant + (size_t)i];
}

#endif
