/*
 * timing.h - static timing of a synthesized module with OpenSTA (`mpsim
 * synth --timing`) and what an arch's clock asks of it (`mpsim run`).
 *
 * Contract.  mp_timing_module() runs OpenSTA (Debian `opensta`,
 * 0~20191111) on the gate-level netlist `mpsim synth` wrote (Yosys, OSU
 * 0.18 um cells, hierarchy kept) with ONE module linked as the top:
 *
 *   read_liberty L; read_verilog netlist.v; link_design MODULE
 *   create_clock -period 1000 clk (a virtual clock if MODULE has no clk)
 *   set_input_delay 0 / set_output_delay 0 on every other port
 *   report_checks -path_delay max -digits 4
 *
 * so the worst register-to-register, input-to-register, register-to-
 * output or input-to-output path of the module alone, with ideal ports
 * (an input changes at the clock edge, an output is due at the next) and
 * an ideal clock.  The netlist is the area-mapped one (no buffering, no
 * gate sizing: an upper bound of what a timing-driven flow gets from the
 * same library) or, with `mpsim synth --timing-driven`, ABC's buffered
 * and sized one (MP_SYNTH_MAP_DELAY, sim/synth/synth.h).
 *
 * The minimum period is the clock period minus the slack (arrival + setup
 * of the end flip-flop); fmax = 1 / that, at the library's node and
 * corner (OSU 0.18 um: 180 nm, 1.8 V; another library's node is the
 * caller's, sim/synth/liberty.h).  Logic levels count the cells on the path between the
 * start and the end point.  The Tcl script and OpenSTA's log stay in the
 * work directory (sta_MODULE.tcl, sta_MODULE.log).
 */
#ifndef MP_TIMING_H
#define MP_TIMING_H

#include <stdio.h>

#include "golden/json.h"
#include "golden/diag.h"
#include "sim/arch.h"
#include "sim/synth/liberty.h"
#include "sim/synth/synth.h"

#define MP_TIMING_PERIOD_NS 1000.0 /* the constraint: loose on purpose */

/* The names a module's clock port has, for the STA scripts and the
 * gate-level testbench: the generated modules' `clk` and the vendor
 * primitives' (DSP48E2, UG579: `CLK`; its behavioural model is the PE of
 * a dsp-chain synthesized for standard cells).  A Tcl list. */
#define MP_CLOCK_PORTS "clk CLK"
/* 1 if name is one of MP_CLOCK_PORTS. */
int mp_is_clock_port(const char *name);

typedef struct mp_timing_path {
    char module[96];
    int found;          /* 0: no constrained path (nothing to time)   */
    char start[128];    /* start point: a flip-flop instance or port  */
    char end[128];      /* end point                                  */
    int levels;         /* cells between start and end                */
    double arrival_ns;  /* data arrival at the end point              */
    double period_ns;   /* minimum clock period: arrival + setup      */
    double fmax_hz;     /* 1 / period_ns (180 nm, 1.8 V)              */
} mp_timing_path;

/* Time `module` of `netlist` (Yosys write_verilog of mapped cells) in
 * workdir (OpenSTA runs there: netlist and liberty are absolute or
 * relative to it).  0 with *p filled (p->found 0 if OpenSTA found no path), or -1
 * with d (sta missing, a link error, an unreadable report). */
int mp_timing_module(const char *netlist, const char *liberty,
                     const char *module, const char *workdir,
                     mp_timing_path *p, mp_diag *d);

/* One OpenSTA run in a work directory: NAME.tcl (the caller writes it)
 * and NAME.log (stdout and stderr).  Init fills the paths and removes an
 * old log; exec runs `sta -no_splash -exit NAME.tcl` there: 0, or -1 with
 * d (not installed, killed, non-zero exit). */
typedef struct mp_sta_files {
    char tcl[1200], log[1200], script[200];
} mp_sta_files;
void mp_sta_files_init(mp_sta_files *f, const char *workdir,
                       const char *name);
int mp_sta_exec(const mp_sta_files *f, const char *workdir, mp_diag *d);

/* An OpenSTA script at path: open writes "# written by mpsim COMMAND" and
 * loads the design (read_liberty, read_verilog, link_design MODULE); the
 * caller adds its commands; close checks every write.  NULL / -1 with d
 * naming `field` on failure. */
FILE *mp_sta_script_open(const char *path, const char *command,
                         const char *liberty, const char *netlist,
                         const char *module, const char *field, mp_diag *d);
int mp_sta_script_close(FILE *fp, const char *path, const char *field,
                        mp_diag *d);
/* The script's clock "clk" of that period: on the port clk, or a virtual
 * clock when the module has none (a combinational unit); $clk_port holds
 * the port (an empty list without one); every other input arrives at its
 * edge (set_input_delay 0).  The arrivals matter to power as well as to
 * timing: OpenSTA 0~20191111 takes a cell's activity per period of the
 * clock of the paths through its pins, and a cell no clocked path reaches
 * (logic fed by input ports alone) gets its activity unscaled, as if per
 * second: its dynamic power vanishes. */
void mp_sta_clock(FILE *fp, double period_ns);

/* Read a `report_checks` log (exposed for tests).  0, or -1 with d. */
int mp_timing_parse(const char *log, mp_timing_path *p, mp_diag *d);

/* A frequency measured at (from_nm, from_vdd) moved to (node_nm, vdd):
 * times the Stillmaker & Baas delay-fit ratio D(from) / D(node, vdd)
 * (mp_tech_scale_factor(MP_SCALE_DELAY, ...)); vdd <= 0 means the node's
 * nominal supply.  NaN outside 7..180 nm. */
double mp_timing_fmax_from(double fmax_hz, double from_nm, double from_vdd,
                           double node_nm, double vdd);
/* The same from 180 nm / 1.8 V (OSU 0.18 um: the osu018-timing table). */
double mp_timing_fmax_at(double fmax_180_hz, double node_nm, double vdd);

/* ---- what an arch's clock asks of its PE (`mpsim run`) --------------- */

/* The table of measured paths: pe_models/tech/osu018-timing.yaml, written
 * by scripts/calibrate_timing.sh from `mpsim synth --timing` of each
 * preset (the faster of its area-mapped and --timing-driven netlists).
 * An entry KEY is KEY_pe_path_ns and, where the design has other modules
 * (edge units, a core holding the PEs), KEY_edge_path_ns, the slowest of
 * them (unit ns at 180 nm / 1.8 V; '-' in KEY as '_').
 * KEY is FAMILY_ACT (family and activation format: the slowest preset of
 * that pair) or FAMILY alone (the family's slowest preset: the fallback
 * for a format never measured). */
#define MP_TIMING_TECH "osu018-timing"

typedef struct mp_timing_verdict {
    int known;          /* 0: no measured path for this family / FPGA  */
    char entry[72];     /* the KEY used, e.g. "mixpe_int8" or "mixpe"   */
    double pe_ns, edge_ns; /* at 180 nm (edge_ns 0: none)               */
    double fmax_hz;     /* at the arch's node and supply                */
    int ok;             /* fmax_hz >= the arch's clock                  */
} mp_timing_verdict;

/* The entry of (family, act) in table t: FAMILY_ACT if t has its PE path,
 * else FAMILY, else none (v->known 0).  Fills known, entry, pe_ns and
 * edge_ns only. */
void mp_timing_lookup(const mp_tech *t, const char *family, const char *act,
                      mp_timing_verdict *v);

/* Look the arch's PE family and activation format up in MP_TIMING_TECH
 * (mp_timing_lookup) and scale the slower of the entry's paths to the
 * arch's node (mp_timing_fmax_at).  0 (v->known 0 when there is nothing
 * to say: an FPGA table, a family never measured), or -1 with d when the
 * table is there but broken. */
int mp_timing_arch(const mp_arch *a, mp_timing_verdict *v, mp_diag *d);

/* ---- synth_timing.c: the timing section of `mpsim synth --timing` ---- */

#define MP_TIMING_MAX_MODULES 16

/* A module OpenSTA analyses alone, and its role in the design: "pe",
 * "edge" (a module the top instantiates besides the PE, mp_synth_is_edge),
 * "core" (one the top instantiates that holds the PEs) or "top" (the
 * module `mpsim synth --netlist --top` names). */
typedef struct mp_sta_module {
    char name[96];
    const char *role;
} mp_sta_module;

/* A netlist to analyse: its file (relative to the work directory or
 * absolute) and how it was mapped, as reports name it: "area-mapped" or
 * "timing-driven" (mp_synth_map_name), or "given" (`--netlist`: not
 * known). */
typedef struct mp_sta_netlist {
    const char *path;
    const char *mapping;
} mp_sta_netlist;

/* The modules of r to analyse: the PE module (index pe of r, -1 if none)
 * and every other module the top instantiates (edge units, a core); the top
 * itself is not (its operand buffers are flip-flop arrays standing in for
 * SRAM macros: a read mux of thousands of loads, not a datapath).  The
 * count, or -1 with d when there are more than MP_TIMING_MAX_MODULES. */
int mp_synth_sta_modules(const mp_synth_result *r, int pe,
                         mp_sta_module out[MP_TIMING_MAX_MODULES],
                         mp_diag *d);

typedef struct mp_synth_timing {
    int n;
    mp_timing_path paths[MP_TIMING_MAX_MODULES];
    const char *role[MP_TIMING_MAX_MODULES];
    char mapping[16];      /* mp_sta_netlist's                          */
    int limiting;          /* index of the slowest timed module, -1 none */
    double fmax_lib_hz;    /* its fmax at the library's node            */
    char liberty[128];     /* the library (mp_liberty label), its node  */
    double lib_node_nm;
    char tech[48];         /* the arch's table, node and supply         */
    double node_nm, vdd;
    int is_fpga;           /* FPGA arch: no verdict (its clock is the
                              data sheet's); fmax_node_hz: the same
                              cells at its node, a what-if           */
    double fmax_node_hz;   /* fmax_lib_hz moved to the arch's node      */
    double clock_hz;       /* the arch's clock                          */
} mp_synth_timing;

/* Time each of the n modules of the netlist (mp_synth_run() writes
 * netlist.v into workdir), mapped to lib, against the arch's node and
 * clock.  0, or -1 with d. */
int mp_synth_timing_run(const mp_sta_module *mods, int n,
                        const mp_sta_netlist *netlist,
                        const mp_liberty *lib, const char *workdir,
                        const mp_arch *a, mp_synth_timing *t, mp_diag *d);
void mp_synth_timing_table(FILE *fp, const mp_synth_timing *t);
/* The member "timing": {...} of the caller's open JSON object. */
void mp_synth_timing_json(mp_json *w, const mp_synth_timing *t);

#endif
