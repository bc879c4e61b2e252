/*
 * sweep.h - a design-space sweep: one base architecture and one workload,
 * the Cartesian product of the listed parameter values, one CSV row per
 * point in a fixed order (deterministic, whatever the number of jobs).
 *
 *   arch: mixpe-w4a8             # preset or YAML (not .cfg)
 *   workload: trace.yaml         # or model: llama2-7b (+ phase, seq,
 *                                #   batch, decode_steps, quant)
 *   sweep:                       # every key optional, each a list
 *     rows: [16, 32, 64]
 *     cols: [16, 32, 64]
 *     dataflow: [os, ws, is]
 *     clock_hz: [5e8, 1e9]
 *     dram_gbytes_per_s: [64, 128]
 *     weight_kib: [64, 128]
 *     act_kib: [128, 256]
 *     out_kib: [64, 128]
 *
 * The trace is built once; each point rebinds only the PE (same family and
 * precision) so a point costs one pass over the trace's distinct ops.
 * With jobs > 1 the points are split over forked workers that write fixed
 * records into shared memory; the parent prints them in point order.
 */
#ifndef MP_SWEEP_H
#define MP_SWEEP_H

#include "golden/diag.h"

int mp_sweep_run(const char *path, int jobs, const char *out_path,
                 mp_diag *d);

#endif
