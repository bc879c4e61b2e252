/*
 * activity.h - switching activity of a co-simulation and the power
 * OpenSTA makes of it (`mpsim cosim --activity`).
 *
 * Contract.  The Verilator build with --coverage-toggle (cosim_build.h
 * MP_COSIM_CC_TOGGLE) counts, for every bit of every signal, how often it
 * changed (for a module kept apart with -fno-inline, the counts of one of
 * its instances: the caller normalizes by the clock's count); the harness
 * writes the
 * counts (`--coverage FILE`, Verilator's "SystemC::Coverage-3" format).
 * mp_toggle_read() keeps the counts of one module's signals: lines
 *
 *   C '<\1key\2value>...' COUNT
 *
 * with key "page" = "v_toggle/MODULE" (or "v_toggle/MODULE__<suffix>",
 * Verilator's name for a specialization of a parameterized MODULE) and
 * key "o" = the signal bit
 * ("x[3]", "valid").  The reader is strict and bounded: the header line,
 * then only C lines of at most MP_TOGGLE_LINE_MAX bytes with a quoted
 * key/value list and a decimal count; at most MP_TOGGLE_MAX entries kept;
 * anything else is FILE:LINE: an error.
 *
 * mp_activity_power() runs OpenSTA on MODULE of a mapped netlist (as
 * timing.h), sets every input port's activity to its measured toggle rate
 * (transitions per clock period; ports never seen keep OpenSTA's default
 * input activity) with duty 0.5; OpenSTA
 * propagates activity through the cells left without one, and
 * `report_power`'s Total line gives internal, switching and leakage power
 * in W at the given clock period.  With per_pin (gate-level counts,
 * gate_sim.h) every cell's power is taken at its own output pin's
 * measured rate, nothing propagated (the linearization OpenSTA
 * 0~20191111 allows: see activity.c).
 */
#ifndef MP_ACTIVITY_H
#define MP_ACTIVITY_H

#include <stdint.h>

#include "golden/diag.h"
#include "sim/synth/power.h" /* mp_power */

#define MP_TOGGLE_LINE_MAX 4096
/* mixpe-w4a16's dequant unit has more than 65536 net bits, lut-tc's
 * M2N64K4 unit (284,462 cells) more than 262144 (2026-12-07) */
#define MP_TOGGLE_MAX 4194304 /* 2^22; a decimal literal: STR() spells it in messages */
#define MP_TOGGLE_NAME_MAX 96

typedef struct mp_toggle {
    char name[MP_TOGGLE_NAME_MAX]; /* signal bit, "x[3]"              */
    double count;                  /* changes (see above)               */
} mp_toggle;

typedef struct mp_toggles {
    int count;
    mp_toggle *v; /* malloc'd */
} mp_toggles;

/* Add the toggle counts of MODULE's signals in the coverage file at path
 * to *t (a signal already there gets the new count added: several runs
 * accumulate).  0, or -1 with d naming FILE:LINE. */
int mp_toggle_read(const char *path, const char *module, mp_toggles *t,
                   mp_diag *d);
void mp_toggles_free(mp_toggles *t);
/* The count of a signal bit, 0 if absent. */
double mp_toggle_count(const mp_toggles *t, const char *name);

/* Power of one instance of `module` in `netlist` with each input port's
 * activity rate = its count x scale (transitions per clock period), at
 * clock period period_ns.  Files sta_power_MODULE.tcl/.log in workdir.
 * 0, or -1 with d. */
int mp_activity_power(const char *netlist, const char *liberty,
                      const char *module, const mp_toggles *t, double scale,
                      double period_ns, int per_pin, const char *workdir,
                      mp_power *p, mp_diag *d);
/* The same for rate sets t[0..nsets) (count x scale[s]) of one module in
 * one OpenSTA session, into p[0..nsets): more than one set needs per_pin
 * (gate-level counts; the sets name the same signals). */
#define MP_POWER_SETS_MAX 4
int mp_activity_power_sets(const char *netlist, const char *liberty,
                           const char *module, int nsets,
                           const mp_toggles *const *t, const double *scale,
                           double period_ns, int per_pin,
                           const char *workdir, mp_power *p, mp_diag *d);

#endif
