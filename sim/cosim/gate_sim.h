/*
 * gate_sim.h - gate-level switching activity of the PE for `mpsim cosim
 * --activity --gate`: the mapped netlist of the PE module alone, simulated
 * with iverilog on the PE inputs the RTL co-simulation gave it, cycle by
 * cycle.
 *
 * Contract.  mp_gate_open() reads the input ports of MODULE in the Yosys
 * netlist (bit-blasted: `input \x[3] ;`), writes a testbench tb.v into the
 * work directory and compiles it once with the netlist and the OSU018 cell
 * models (osu018_stdcells.v next to the liberty; their specify blocks give
 * each cell fixed rise/fall pin-to-pin delays: `iverilog -gspecify`, so
 * the simulation has unequal path delays and its glitches; iverilog
 * treats them as inertial: a pulse shorter than a cell's delay does not
 * pass it).  zero_delay leaves the specify blocks out: every net settles
 * once per input change, the functional toggles without glitches.
 * mp_gate_tile() then, for one tile of the tile file:
 *   1. runs the Verilator bench built with a VCD (MP_COSIM_CC_VCD) on it;
 *   2. samples the PE instance SCOPE's inputs before each rising clk edge
 *      (sim/cosim/vcd.h) into stim.mem ($readmemb, one line per cycle);
 *   3. runs the gate-level testbench: every input applied
 *      MP_GATE_CLK_Q_NS after the rising edge (as a neighbour flip-flop's
 *      clock-to-Q), clock period MP_GATE_PERIOD_NS (long enough for the
 *      deepest PE to settle), $dumpvars of the whole PE instance;
 *   4. adds the per-bit toggle counts of that VCD (every net, cell pin,
 *      glitches included; names "INST/PIN", "u_sub/INST/PIN", ports
 *      "x[3]") to *t and the cycles simulated to *cycles.
 * Files in WORK: tb.v, tb.vvp, rtl.vcd, stim.mem, gate.vcd, iverilog.log.
 */
#ifndef MP_GATE_SIM_H
#define MP_GATE_SIM_H

#include "golden/diag.h"
#include "sim/cosim/activity.h"

#define MP_GATE_PERIOD_NS 100.0
#define MP_GATE_CLK_Q_NS 0.2
#define MP_GATE_PORTS_MAX 64

typedef struct mp_gate {
    char work[MP_DIAG_FILE_MAX + 32];
    char bench[MP_DIAG_FILE_MAX + 64];/* the Verilator VCD bench       */
    char tiles[MP_DIAG_FILE_MAX + 96];
    char scope[192];                   /* the PE instance in rtl.vcd    */
    char clock[64];                    /* its clock port (MP_CLOCK_PORTS) */
    int nports;                        /* inputs but clk, netlist order */
    char port[MP_GATE_PORTS_MAX][64];
    int width[MP_GATE_PORTS_MAX];
    long bits;                         /* their total width             */
} mp_gate;

/* Set g up for MODULE of netlist (liberty: its osu018_stdcells.lib; the
 * cell models are the .v beside it): ports, testbench, compiled.  0 or -1
 * with d. */
int mp_gate_open(mp_gate *g, const char *netlist, const char *module,
                 const char *liberty, const char *work, int zero_delay,
                 mp_diag *d);

/* One tile through it; see above.  0 or -1 with d. */
int mp_gate_tile(const mp_gate *g, int tile, mp_toggles *t, double *cycles,
                 mp_diag *d);

#endif
