/*
 * report.h - print a simulated run as a table, CSV, JSON or SCALE-Sim's
 * COMPUTE_REPORT layout.
 *
 * Output is deterministic: fixed printf formats (%.17g for JSON/CSV
 * doubles, fixed precision in tables), layers in trace order.
 *
 * JSON schema (more fields may be added, these are guaranteed):
 *   arch   {name, pe, rows, cols, cores, dataflow, clock_hz,
 *           peak_macs_per_cycle, tech}
 *   layers [{name, kind, m, n, k, repeat, macs, cycles, seconds, bound
 *            ("compute"|"memory"), energy_pj, energy_breakdown_pj
 *            {pe, edge, vector, sram, dram, leakage}, ...}]  one instance
 *   total  {macs, cycles, latency_s, energy_pj, energy_breakdown_pj,
 *           area_mm2 | fpga {dsp, lut, ff, bram, uram}, tokens,
 *           tokens_per_s, tokens_per_j, tops, tops_per_w, tops_per_mm2}
 */
#ifndef MP_REPORT_H
#define MP_REPORT_H

#include <stdio.h>
#include "golden/json.h" /* mp_json_string, for every JSON writer */
#include "sim/arch.h"
#include "sim/simulate.h"

typedef enum mp_report_fmt {
    MP_FMT_TABLE,
    MP_FMT_CSV,
    MP_FMT_JSON,
    MP_FMT_SCALESIM
} mp_report_fmt;

int mp_report_fmt_parse(const char *name, mp_report_fmt *out); /* 0 / -1 */

/* `workload` names the workload (file or model) for the header. */
void mp_report_write(FILE *fp, mp_report_fmt fmt, const mp_arch *a,
                     const char *workload, const mp_run *r);

/* Every figure a report prints is finite, or -1 naming the figure (an
 * accepted but extreme input, e.g. clock_hz 1e-300, must not print "inf"
 * into JSON).  mp_report_save checks before it writes anything. */
int mp_report_check(const mp_arch *a, const mp_run *r, mp_diag *d);

/* Write the report to PATH ("-" = stdout) whole or not at all. */
int mp_report_save(const char *path, mp_report_fmt fmt, const mp_arch *a,
                   const char *workload, const mp_run *r, mp_diag *d);


#endif
