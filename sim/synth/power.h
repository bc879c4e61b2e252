/*
 * power.h - OpenSTA report_power of a module of a mapped netlist at one
 * input toggle activity (`mpsim synth --power A`), and the reader of
 * report_power's Total line that `mpsim cosim --activity` shares.
 *
 * Contract.  mp_power_module() runs OpenSTA (Debian `opensta`,
 * 0~20191111) on ONE module of the netlist, as timing.h does:
 *
 *   read_liberty L; read_verilog netlist.v; link_design MODULE
 *   the clock of mp_sta_clock() at the given period (every other input
 *     arrives on it: without, OpenSTA prices logic fed by input ports at
 *     almost nothing, see timing.h)
 *   set_power_activity -input -activity A -duty 0.5
 *   report_power -digits 6
 *
 * so every input port but the clock toggles A times per clock period at
 * static probability 0.5, OpenSTA propagates that through the cells, and
 * the Total line gives internal, switching, leakage and total power in W
 * of one instance at that clock (the liberty's corner: OSU 0.18 um, 1.8 V,
 * typical, unless --liberty names another; the report says which,
 * mp_liberty's label).  A is in [0, 1]: a data input changes at most once a clock.
 * Files sta_power_in_MODULE.tcl/.log stay in the work directory.
 */
#ifndef MP_POWER_H
#define MP_POWER_H

#include <stdio.h>

#include "golden/diag.h"
#include "golden/json.h"
#include "sim/synth/timing.h"

#define MP_POWER_ACTIVITY_MAX 1.0 /* toggles per clock of a data input */
#define MP_POWER_DUTY 0.5         /* static probability of the inputs  */

typedef struct mp_power {
    double internal_w, switching_w, leakage_w;
    double total_w; /* report_power's Total column (their sum as printed) */
    long pins;      /* cosim per_pin: cells given a measured activity     */
} mp_power;

/* Read the "Total" line of an OpenSTA log (report_power's, or the
 * per-pin script's "Total INT SW LEAK" of activity.c: total_w then is
 * their sum).  An "Error..." line or no Total line: -1 with d naming the
 * log and `field`. */
int mp_sta_power_read(const char *log, const char *field, mp_power *p,
                      mp_diag *d);
/* The same for the line starting with `tag` instead of "Total" (the
 * per-pin script's further rate sets: "Total_1 INT SW LEAK"). */
int mp_sta_power_read_tag(const char *log, const char *field,
                          const char *tag, mp_power *p, mp_diag *d);

/* Power of one instance of `module` of `netlist` (relative to workdir or
 * absolute) with every non-clock input toggling `activity` per clock at
 * period_ns.  0, or -1 with d. */
int mp_power_module(const char *netlist, const char *liberty,
                    const char *module, double activity, double period_ns,
                    const char *workdir, mp_power *p, mp_diag *d);

/* ---- the power section of `mpsim synth --power A` --------------------- */

typedef struct mp_synth_power {
    int n;
    char liberty[128]; /* the library (mp_liberty label)               */
    char mapping[16];  /* the netlist's (mp_sta_netlist)               */
    double liberty_vdd;     /* its nom_voltage, V                       */
    double liberty_node_nm; /* its node (OSU: 180; else --liberty-node) */
    mp_sta_module mods[MP_TIMING_MAX_MODULES];
    mp_power power[MP_TIMING_MAX_MODULES];
    double activity;   /* input toggles per clock                      */
    double clock_hz;   /* the arch's clock                             */
} mp_synth_power;

/* Power of each of the n modules (mp_synth_sta_modules) at the clock. */
int mp_synth_power_run(const mp_sta_module *mods, int n,
                       const mp_sta_netlist *netlist,
                       const mp_liberty *lib, const char *workdir,
                       double activity, double clock_hz, mp_synth_power *s,
                       mp_diag *d);
void mp_synth_power_table(FILE *fp, const mp_synth_power *s);
/* The member "power": {...} of the caller's open JSON object. */
void mp_synth_power_json(mp_json *w, const mp_synth_power *s);

#endif
