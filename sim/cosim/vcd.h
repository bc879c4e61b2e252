/*
 * vcd.h - a strict, bounded reader of Value Change Dump files (IEEE
 * 1364-2005 section 18: iverilog's $dumpvars, Verilator's --trace) for the
 * gate-level activity of `mpsim cosim --activity --gate`.
 *
 * Contract.  mp_vcd_read() reads the signals of ONE scope (its dotted path
 * as the file's $scope names it, "mpsim_gate_tb.dut") and, for toggles,
 * of the scopes below it, and can do two things in one pass:
 *
 *  - toggles: per signal bit, the number of 0<->1 transitions (a bit going
 *    through x or z counts when it comes back to the other value: 0 x 1 is
 *    one toggle, 0 x 0 none), glitches included (every change the file
 *    holds).  Bits are named "SUB/NAME[i]" (SUB: the scopes below, '/'
 *    separated as OpenSTA names hierarchical nets; "[i]" only for vectors;
 *    a leading '\' of an escaped identifier dropped).
 *  - samples: at each rising edge (0 -> 1 between two timestamps) of the
 *    1-bit signal `clock` of the scope, one line of the listed signals'
 *    values as they were BEFORE that timestamp (what flip-flops clocked
 *    by it capture), MSB first, concatenated in the order given, x and z
 *    written as 0: the $readmemb format.  The clock and the listed
 *    signals are named as toggles are: "NAME" in the scope, "SUB/NAME"
 *    below it (an instance's ports sampled on its parent's clock).
 *
 * Strict: header commands $date $version $comment (skipped to $end),
 * $timescale N UNIT $end (N 1, 10 or 100; UNIT s ms us ns ps fs), $scope
 * TYPE NAME $end, $upscope $end, $var TYPE WIDTH ID REF [RANGE] $end (REF
 * "a[0]" with a RANGE: a memory word), $enddefinitions $end; then #TIME
 * (non-decreasing),
 * $dumpvars/$dumpall/$dumpon/$dumpoff and $end, scalar changes "vID",
 * vector changes "bBITS ID" (at most WIDTH bits, left-extended as the
 * standard says), real changes "rNUM ID" (ignored).  An unknown command or
 * identifier code, a vector wider than its $var, a change before
 * $enddefinitions, unbalanced scopes, a token over MP_VCD_TOKEN_MAX bytes,
 * more than MP_VCD_VARS_MAX variables or MP_VCD_BITS_MAX bits, a missing
 * scope, clock or listed signal: FILE:LINE: an error.
 */
#ifndef MP_VCD_H
#define MP_VCD_H

#include <stdio.h>

#include "golden/diag.h"
#include "sim/cosim/activity.h"

#define MP_VCD_TOKEN_MAX 1024
/* lut-tc's M2N64K4 unit is 284,462 cells, whose ports iverilog's
 * $dumpvars lists one by one: more than 2^20 variables (2026-12-07) */
#define MP_VCD_VARS_MAX (1 << 22)
#define MP_VCD_BITS_MAX (1 << 23)

typedef struct mp_vcd_req {
    const char *scope;     /* dotted path of the scope read              */
    mp_toggles *toggles;   /* NULL: no counts; else entries appended     */
    const char *clock;     /* NULL: no samples                           */
    int nsignals;          /* signals sampled, in this order            */
    const char *const *signals;
    FILE *samples;         /* where sample lines go                      */
    long edges;            /* out: rising edges of clock seen            */
    /* Split (idle not NULL; needs toggles): a change at time t (in the
     * file's $timescale, which must be given) falls in window
     * w = floor((t + offset_ns) / period_ns), taken as 1 when below 1;
     * it counts in *toggles when w < nwin and busy[w] is nonzero, else
     * in *idle (same names, same order).  With windows starting at a
     * clock's rising edges, w is the clock cycle the change belongs to
     * (the settling before the first edge joins the first cycle). */
    mp_toggles *idle;
    double period_ns, offset_ns;
    const unsigned char *busy;
    long nwin;
} mp_vcd_req;

/* Read the VCD at path as r asks.  0, or -1 with d naming FILE:LINE. */
int mp_vcd_read(const char *path, mp_vcd_req *r, mp_diag *d);

#endif
