/*
 * table.h - one small table written three ways: Markdown (STEM.md), CSV
 * (STEM.csv) and a LaTeX booktabs tabular (STEM.tex), each opening with a
 * comment line that records where it came from (the stamp: command,
 * results hash, mpsim version).  Files appear whole or not at all.
 */
#ifndef MP_TABLE_H
#define MP_TABLE_H

#include "golden/diag.h"

#define MP_TABLE_COLS 16
#define MP_TABLE_CELL 64

typedef struct mp_table {
    int ncols, nrows, cap;
    char head[MP_TABLE_COLS][MP_TABLE_CELL];
    char (*cell)[MP_TABLE_COLS][MP_TABLE_CELL];
} mp_table;

void mp_table_init(mp_table *t, int ncols, const char *const *head);
/* A new row (cells empty); NULL when out of memory. */
char (*mp_table_row(mp_table *t))[MP_TABLE_CELL];
int mp_table_write(const mp_table *t, const char *dir, const char *stem,
                   const char *stamp, mp_diag *d);
void mp_table_free(mp_table *t);

#endif
