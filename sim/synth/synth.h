/*
 * synth.h - synthesize a design's RTL with Yosys 0.23 and read the numbers
 * back (`mpsim synth`).
 *
 * Contract.  mp_synth_run() writes a Yosys script into a work directory,
 * runs it, and parses the `stat` reports (tee'd into files).  Hierarchy is
 * kept (no flatten: measured with Yosys 0.23, a 16x16 array in 7 s instead
 * of 109 s and 1.6 GB), so
 * every module's own cells and area are reported with its instance count.
 * Generated RTL has concrete widths, so no chparam is needed; a
 * parameterized top would need `chparam` + `rename`, never
 * `hierarchy -chparam` (it crashes in 0.23).
 *
 *   asic: read_verilog -nosynthesis (standard cells have no vendor
 *         primitive: the behavioural models the designs ship for
 *         simulation, e.g. DSP48E2, are synthesized as logic, and their
 *         derived "$paramod...\NAME" modules renamed NAME);
 *         synth -top T; dfflibmap -liberty L; abc -liberty L; stat -liberty L
 *         (cell area, um^2, OSU 0.18 um) and, from the generic netlist
 *         saved before mapping, async2sync; dfflegalize -cell $_DFF_P_ 01;
 *         abc -g cmos2; stat -tech cmos (a full transistor count: plain
 *         `stat -tech cmos` skips enable/reset flip-flops).
 *   xcup: synth_xilinx -family xcup -noiopad -top T; stat (LUT, FF, DSP48E2,
 *         BRAM, LUTRAM, CARRY8 counts).
 */
#ifndef MP_SYNTH_H
#define MP_SYNTH_H

#include "golden/diag.h"
#include "pe_models/tech.h"
#include "sim/tools.h"

typedef enum mp_synth_target { MP_SYNTH_ASIC, MP_SYNTH_XCUP } mp_synth_target;

/* How ABC maps the asic netlist to the library's cells.
 *   AREA:  `abc -liberty L`, Yosys 0.23's default script for a library
 *          (&nf mapping, no delay target): no buffering, no gate sizing.
 *          Every area, energy and power figure of this flow.
 *   DELAY: `abc -constr F -liberty L`: the same script followed by ABC's
 *          `buffer; upsize; dnsize; stime -p` (fanout buffering and gate
 *          sizing), the timing-driven part of a commercial flow.  F sets
 *          no output load and no driving cell: ideal ports, as OpenSTA
 *          times a module alone (with the library's buffer driving the
 *          inputs, ABC buffers input fanouts that the ideal ports then
 *          only slow: the LUT TC FP16 output 10.74 ns, against 10.43
 *          without; docs/validation.md "Timing-driven mapping").
 *          No delay target: on int8-mac 2x2 (OSU) -D 1 ns, 5 ns, 20 ns or
 *          none give the same paths within 2 %, so the netlist does not
 *          depend on the arch's clock.  ABC sizes by its own delay
 *          model, not OpenSTA's: every design measured comes out faster
 *          under OpenSTA, but nothing guarantees it (the same docs
 *          section), so calibrations keep the faster. */
typedef enum mp_synth_map { MP_SYNTH_MAP_AREA, MP_SYNTH_MAP_DELAY }
    mp_synth_map;

/* "area-mapped" / "timing-driven": the netlist's name in reports */
const char *mp_synth_map_name(mp_synth_map m);

#define MP_SYNTH_MAX_MODULES 64

typedef struct mp_synth_module {
    char name[96];
    long cells;        /* its own cells (submodule instances count one) */
    double area_um2;   /* asic: its own cells' area                     */
    long instances;    /* in the whole design (top: 1)                  */
    int parent;        /* index of the module that instantiates it in
                          the hierarchy tree (first seen), -1 for top   */
    long per_parent;   /* instances in one instance of `parent`; the
                          subtrees count every parent (synth.c)        */
    double subtree_um2;/* own + submodules, one instance                */
    long subtree_cells;
    /* xcup: LUT / FF / DSP48E2 of its own cells and of its subtree (one
     * instance): a unit's resources, e.g. the dequantizer's */
    long lut, ff, dsp;
    long subtree_lut, subtree_ff, subtree_dsp;
} mp_synth_module;

typedef struct mp_synth_result {
    mp_synth_target target;
    mp_synth_map map;  /* asic */
    char top[96];
    /* asic */
    double area_um2;   /* whole design (chip area of the top)           */
    long transistors;  /* whole design, full count                      */
    /* xcup: whole design */
    long lut, ff, dsp, bram18, lutram, carry, cells;
    /* asic: the vendor primitives (mp_rtl_primitives) synthesized from
     * their behavioural model as standard cells, e.g. "DSP48E2"; "" none */
    char std_cell_models[64];
    int nmods;
    mp_synth_module mods[MP_SYNTH_MAX_MODULES];
    double seconds;
} mp_synth_result;

/* Parse "asic" / "xcup". */
int mp_synth_target_parse(const char *name, mp_synth_target *out);

struct mp_liberty; /* sim/synth/liberty.h */

/* Synthesize src for the target in workdir (created; the Yosys log stays
 * there as yosys.log).  `lib` (opened: sim/synth/liberty.h) is required
 * for asic, unused for xcup, as is `map`. */
int mp_synth_run(const mp_rtl_src *src, mp_synth_target t, mp_synth_map map,
                 const struct mp_liberty *lib, const char *workdir,
                 mp_synth_result *r, mp_diag *d);

/* Rewrite module `top` of a mapped netlist (cells of lib) into
 * workdir/out in the form mp_synth_run() writes its own netlist.v for
 * OpenSTA: one wire per bit, a buffer cell for each wire-to-wire alias, no
 * assign (the OpenSTA of Debian 12 drops an assign with a concatenation
 * on its left without a word: synth.c, write_sta_netlist).  Cells and
 * their connections are unchanged; the Yosys log stays in workdir as
 * sta_netlist.log.  `mpsim synth --netlist` times and prices this copy. */
int mp_synth_sta_netlist(const char *netlist, const char *top,
                         const struct mp_liberty *lib, const char *workdir,
                         const char *out, mp_diag *d);

/* 0 if the Verilog netlist at path has no assign with a concatenation on
 * its left (OpenSTA would misread it without a word), else -1 with d
 * naming the file and line.  Both writers above check their netlist. */
int mp_synth_check_sta_netlist(const char *path, mp_diag *d);

/* Read the statistics mp_synth_run() tee'd: `stat_path` (stat -liberty
 * for asic, plain stat for xcup) and, for asic, `cmos_path` (stat -tech
 * cmos).  r->target and r->top must be set.  Exposed for tests. */
int mp_synth_parse(const char *stat_path, const char *cmos_path,
                   mp_synth_result *r, mp_diag *d);

/* The OSU 0.18 um liberty: the system copy of qflow-tech-osu018, else the
 * one scripts/get_osu018.sh extracted next to the executable
 * (build/osu018/...).  0, or -1 with d saying how to get it. */
int mp_synth_find_liberty(char *out, size_t cap, mp_diag *d);

/* The table the model's side of a comparison prices a design on.  ASIC:
 * osu018 (MP_SYNTH_CAL_TECH: areas synthesized with this very flow and
 * library, scripts/calibrate_area.sh) when its YAML is installed, else
 * asic-45nm if the arch's table is an FPGA one; xcup for an ASIC arch on
 * the FPGA target.  Returns 1 with *out loaded (caller frees), 0 when the
 * arch's own table `arch_tech` is the one to use (out untouched), -1 if a
 * table present fails to load. */
#define MP_SYNTH_CAL_TECH "osu018"
int mp_synth_model_tech(const mp_tech *arch_tech, mp_synth_target t,
                        mp_tech *out, mp_diag *d);

/* The module instantiated rows*cols times with the largest subtree area
 * (or cells on FPGA): the PE with its submodules, whatever the generator
 * named it.  -1 if none. */
int mp_synth_pe_module(const mp_synth_result *r, long pes);

/* The synthesized area split like the model (asic): every PE instance
 * with its submodules (`pe`'s subtree x its instance count, wherever the
 * PEs sit in the hierarchy: under the top or inside a core module), the
 * top module's own cells (operand buffers as flip-flops, controller), and
 * the edge: the rest of Yosys's chip area (dequantization units, scaling,
 * tables, and the own cells of a module holding the PEs).  pe < 0: no PE
 * found, everything but the top's own cells is edge. */
typedef struct mp_synth_area {
    double pes, top_own, edge;
} mp_synth_area;
mp_synth_area mp_synth_area_split(const mp_synth_result *r, int pe);

/* 1 if module i is an edge unit of a design whose PE is module pe: the
 * top instantiates it, and it is neither the PE nor a module holding the
 * PE (bitfusion's core): the dequant units, the act_scale multiplier,
 * fp16-mac's weight dequant units. */
int mp_synth_is_edge(const mp_synth_result *r, int i, int pe);

#endif
