/*
 * outfile.h - output files that appear whole or not at all.
 *
 * Contract: mp_out_open() opens "PATH.tmp.PID" for writing; mp_out_commit()
 * flushes, closes and renames it onto PATH; mp_out_abort() closes and removes
 * it.  A failed command therefore never leaves a partial output file.
 * PATH "-" means stdout: commit just flushes, abort does nothing.
 */
#ifndef MP_OUTFILE_H
#define MP_OUTFILE_H

#include <stdio.h>
#include "golden/diag.h"

typedef struct mp_outfile {
    FILE *fp;
    char path[MP_DIAG_FILE_MAX];
    char tmp_path[MP_DIAG_FILE_MAX + 32];
    int is_stdout;
} mp_outfile;

int mp_out_open(mp_outfile *of, const char *path, mp_diag *d);
int mp_out_commit(mp_outfile *of, mp_diag *d);
void mp_out_abort(mp_outfile *of);

#endif
