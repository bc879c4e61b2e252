/*
 * sweep.h - `mpsim sweep`: run a design-space sweep (sim/sweep/spec.h has
 * the file format) into a CSV, one row per point in point order.
 *
 * Contract.  The output depends only on the sweep file: any number of
 * jobs and any sharding give the same rows, and shard files (each with the
 * header) concatenate, header once, to the unsharded file byte for byte.
 * Shard I of N takes points [floor(P*(I-1)/N), floor(P*I/N)).  Rows are
 * appended as they complete, in order, so a killed run leaves whole rows
 * (a torn last line is cut on resume) and --resume continues after the
 * last row.  Workers are forked processes that stream rows through pipes
 * (memory does not grow with the number of points) and die with the
 * parent.  Progress goes to stderr: a live line on a terminal, a plain
 * line every 10 s otherwise.
 */
#ifndef MP_SWEEP_H
#define MP_SWEEP_H

#include "golden/diag.h"

typedef struct mp_sweep_opts {
    const char *path;      /* the sweep file                            */
    const char *out_path;  /* "-" = stdout                              */
    int jobs;              /* worker processes (1: in this process)     */
    int shard_i, shard_n;  /* 1-based shard I of N (1/1: everything)    */
    int resume;            /* continue an existing output file          */
    int quiet;             /* no progress lines                         */
} mp_sweep_opts;

int mp_sweep_run(const mp_sweep_opts *o, mp_diag *d);

#endif
