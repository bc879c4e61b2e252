/*
 * workload_src.h - where `mpsim run`, sweeps and `mpsim demo` get their
 * trace: a trace YAML or SCALE-Sim topology CSV (mp_trace_load), or a
 * model name / config.json plus scenario options handed to the trace
 * builder (workloads/trace_build.h, the same options as `mpsim trace`).
 */
#ifndef MP_WORKLOAD_SRC_H
#define MP_WORKLOAD_SRC_H

#include <stddef.h>
#include "golden/diag.h"
#include "workloads/trace.h"
#include "workloads/trace_build.h"

typedef struct mp_workload_opts {
    const char *workload;  /* FILE.yaml, topo.csv, or a model name */
    mp_trace_opts trace;   /* --model, --phase, ... (builder)      */
} mp_workload_opts;

void mp_workload_opts_init(mp_workload_opts *o);

/* Fill t and a label for reports.  Returns 0, -1 on bad input, -2 when a
 * required trace option is missing (usage error). */
int mp_workload_open(const mp_workload_opts *o, mp_trace *t, char *label,
                     size_t cap, mp_diag *d);

#endif
