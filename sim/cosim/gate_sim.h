/*
 * gate_sim.h - gate-level switching activity of one module instance for
 * `mpsim cosim --activity --gate` (the PE, an edge unit): the mapped
 * netlist of that module alone, simulated with iverilog on the inputs the
 * RTL co-simulation gave the instance, cycle by cycle.
 *
 * Contract.  mp_gate_open() finds the instance of MODULE below the top
 * module TOP in the Yosys netlist (the last one depth-first in the
 * netlist's order, which is by instance name: the PE u_pe_r{R-1}_c{C-1},
 * bitfusion's u_core/u_fu_{R-1}_{C-1}, dsp-chain's DSP48E2 slice
 * u_core/chain_0_{Q-1}/dsp_{L-1}), reads MODULE's input ports
 * (bit-blasted: `input \x[3] ;`), writes a testbench tb.v into the work
 * directory (created) and compiles it once with the netlist and the OSU018
 * cell models (osu018_stdcells.v next to the liberty; their specify blocks give
 * each cell fixed rise/fall pin-to-pin delays: `iverilog -gspecify`, so
 * the simulation has unequal path delays and its glitches; iverilog
 * treats them as inertial: a pulse shorter than a cell's delay does not
 * pass it).  zero_delay leaves the specify blocks out: every net settles
 * once per input change, the functional toggles without glitches.
 * mp_gate_rtl() runs the Verilator bench built with a VCD
 * (MP_COSIM_CC_VCD) on one tile of the tile file, once for every module
 * simulated on that tile; mp_gate_tile() then, per module:
 *   1. samples the instance's inputs before each rising edge of the top's
 *      clk (sim/cosim/vcd.h; the top's clock, so that a combinational
 *      unit is sampled like a clocked one) into stim.mem ($readmemb, one
 *      line per cycle);
 *   2. runs the gate-level testbench (its clock drives the module's
 *      clock port, MP_CLOCK_PORTS, if it has one): every input applied
 *      MP_GATE_CLK_Q_NS after the rising edge (as a neighbour flip-flop's
 *      clock-to-Q), clock period MP_GATE_PERIOD_NS (long enough for the
 *      deepest module to settle), $dumpvars of the whole instance;
 *   3. adds the per-bit toggle counts of that VCD (every net, cell pin,
 *      glitches included; names "INST/PIN", "u_sub/INST/PIN", ports
 *      "x[3]") to *t and the cycles simulated to *cycles; and those of its
 *      idle cycles alone to *idle and their number to *idle_cycles.  A
 *      cycle is busy while an op is in flight: the module's op strobes
 *      (MP_GATE_OP_PORT: the dequant unit's one-hot group-done gdJ,
 *      rtl_gen/dequant_unit.h) were high in that cycle's inputs or in
 *      one of the MP_GATE_OP_CYCLES - 1 before (the deepest unit's
 *      stages; the cycle of the inputs and each stage's register update
 *      after it); the toggles of a cycle are those from its rising edge
 *      to the next (vcd.h's split).  A module without op strobes (a
 *      combinational unit fed every cycle: fp16-mac's weight
 *      dequantizers) is idle in every cycle: its energy is all per
 *      cycle.  A read-port unit (the top's instances named in
 *      mp_rtl_read_units, rtl_gen/rtl.h: the act_scale multiplier, the
 *      float widening; g->per_result) has no strobe either but works per
 *      result read out: its op is a read, a change of the top's
 *      MP_GATE_READ_INDEX (sampled as the inputs are, into reads.mem),
 *      in flight for MP_GATE_RESULT_CYCLES (the read's cycle and the
 *      piped multiplier's register stage), so its idle cycles hold what
 *      it costs while nothing is read: its clock, and its input
 *      following the result register rd_idx points at while the array
 *      computes (per compute cycle where the PE's accumulator is that
 *      register, as fp16-mac's is).
 * Files in the module's WORK: tb.v, tb.vvp, stim.mem, reads.mem, gate.vcd,
 * iverilog.log; the tile's rtl.vcd where mp_gate_rtl() puts it.
 */
#ifndef MP_GATE_SIM_H
#define MP_GATE_SIM_H

#include "golden/diag.h"
#include "pe_models/pe.h"
#include "sim/cosim/activity.h"

#define MP_GATE_PERIOD_NS 100.0
#define MP_GATE_CLK_Q_NS 0.2
/* input ports of one module (bit-blasted buses count once): lut-tc's
 * M2N64K4 unit has 84, one per table entry of its rows among them */
#define MP_GATE_PORTS_MAX 256

#define MP_GATE_PATH_MAX 160
/* op strobes: 1-bit inputs named gd<digits> */
#define MP_GATE_OP_PORT "gd"
/* cycles an op is in flight: the inputs' cycle + the deepest dequant
 * unit's register stages (MP_DEQUANT_STAGES_MAX, pe_models/pe.h) */
#define MP_GATE_OP_CYCLES (MP_DEQUANT_STAGES_MAX + 1)
/* cycles a read-port unit's op is in flight: the inputs' cycle + the
 * act_scale multiplier's register stage at pe.scale_stages 2 */
#define MP_GATE_RESULT_CYCLES 2
/* the top's read index (docs/rtl.md): a read-port unit's reads */
#define MP_GATE_READ_INDEX "rd_idx"

typedef struct mp_gate {
    char work[MP_DIAG_FILE_MAX + 32];
    char module[96];
    char scope[128];                   /* the top in rtl.vcd: TOP.top   */
    char path[MP_GATE_PATH_MAX];       /* the instance below it, '/'-
                                          separated: "u_core/u_fu_1_1" */
    char clock[64];                    /* its clock port (MP_CLOCK_PORTS:
                                          clk, a DSP48E2's CLK); "": a
                                          combinational unit            */
    int nports;                        /* inputs but the clock, in order */
    char port[MP_GATE_PORTS_MAX][64];
    int width[MP_GATE_PORTS_MAX];
    long bits;                         /* their total width             */
    int per_result;                    /* a read-port unit: its ops are
                                          input changes (see above)     */
    int nops;                          /* op strobes (MP_GATE_OP_PORT)  */
    long op_bit[MP_GATE_PORTS_MAX];    /* their positions in a stim line */
} mp_gate;

/* Set g up for the last instance of MODULE below TOP in netlist (liberty:
 * its osu018_stdcells.lib; the cell models are the .v beside it): path,
 * ports, testbench, compiled in work.  0 or -1 with d. */
int mp_gate_open(mp_gate *g, const char *netlist, const char *top,
                 const char *module, const char *liberty, const char *work,
                 int zero_delay, mp_diag *d);

/* Tile `tile` of the tile file through the Verilator VCD bench: its VCD
 * at rtl (the harness's stdout and stderr beside it: rtl.out, rtl.log).
 * 0 or -1 with d. */
int mp_gate_rtl(const char *bench, const char *tiles, int tile,
                const char *rtl, mp_diag *d);

/* The instance's inputs in that VCD through its netlist; see above.  0 or
 * -1 with d. */
int mp_gate_tile(const mp_gate *g, const char *rtl, mp_toggles *t,
                 double *cycles, mp_toggles *idle, double *idle_cycles,
                 mp_diag *d);

#endif
