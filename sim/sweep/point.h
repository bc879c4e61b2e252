/*
 * point.h - one design point of a sweep, evaluated and printed as a CSV
 * row: set the axis values in the arch document and the trace options,
 * read and bind the arch with the arch reader, build (or reuse) the trace,
 * simulate, compute totals, derived columns and constraints.
 *
 * Contract: a row depends only on the sweep and the point index (never on
 * which process or in what order points run).  A point the reader or a PE
 * refuses, or whose figures are not finite, is a row with status
 * "refused" and the reason; one that breaks a constraint has its figures
 * and status "violates".  Tech tables and the last few traces are cached
 * per evaluator (one per process).
 */
#ifndef MP_SWEEP_POINT_H
#define MP_SWEEP_POINT_H

#include <stddef.h>
#include <stdint.h>
#include "pe_models/tech.h"
#include "sim/sweep/spec.h"
#include "workloads/trace.h"

typedef struct mp_sbuf {
    char *p;
    size_t len, cap;
} mp_sbuf;

int mp_sbuf_put(mp_sbuf *b, const char *s, size_t n); /* 0 or -1 (memory) */

#define MP_SWEEP_TECH_CACHE 8
#define MP_SWEEP_TRACE_CACHE 8

typedef struct mp_sweep_trace {
    char key[1024];     /* the workload axes' values                     */
    int rc;             /* 0: built; -1: refused, reason in d            */
    mp_diag d;
    mp_trace t;
    uint64_t used;      /* last use (LRU)                                */
} mp_sweep_trace;

typedef struct mp_sweep_eval {
    mp_sweep *s;
    int n_tech;
    mp_tech tech[MP_SWEEP_TECH_CACHE];
    mp_sweep_trace trace[MP_SWEEP_TRACE_CACHE];
    uint64_t tick;
    double vars[MP_SWEEP_MAX_COLS + MP_SWEEP_N_TOTALS + MP_SWEEP_MAX_EXPRS];
} mp_sweep_eval;

void mp_sweep_eval_init(mp_sweep_eval *e, mp_sweep *s);
void mp_sweep_eval_free(mp_sweep_eval *e);
/* Simulate point idx: its bound arch (tech tables owned by the evaluator:
 * no mp_arch_free) and run (mp_run_free after), and its hash; -1 with d
 * when the point is refused.  `mpsim report` re-runs best points so. */
struct mp_arch;
struct mp_run;
int mp_sweep_eval_run(mp_sweep_eval *e, int64_t idx, struct mp_arch *a,
                      struct mp_run *r, uint64_t *hash, mp_diag *d);
/* Append the row of point idx to out.  -1 only when out of memory. */
int mp_sweep_eval_row(mp_sweep_eval *e, int64_t idx, mp_sbuf *out);

#endif
