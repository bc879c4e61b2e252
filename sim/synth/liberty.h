/*
 * liberty.h - what mpsim must know of a Liberty library before it reports
 * figures mapped to it: its name and nominal supply, read from the file,
 * and its process node, which Liberty does not state.
 *
 * Contract.  mpsim's synthesis figures are moved between nodes with the
 * Stillmaker & Baas fits (pe_models/tech.h, mp_tech_scale_factor): an
 * fmax from the library's node and supply to the arch's, the model's area
 * from the arch's node to the library's.  Its own library is OSU 0.18 um
 * (`library(osu018_stdcells)`, 180 nm); for any other, the caller gives
 * the node (`mpsim synth --liberty-node NM`), else mp_liberty_open()
 * refuses it: a figure scaled from the wrong node would be silently wrong.
 * mp_liberty_open() reads the file's header (up to its first cell
 * group): the first `library ( NAME )` group and its `nom_voltage`,
 * outside C-style block comments; and its first buffer cell (one input
 * pin, one output pin whose function is that input, no sequential,
 * tristate or bus group), which the Yosys flow puts on a port alias
 * (sim/synth/synth.c: the netlist OpenSTA reads has no assign; a cell
 * name the library lacks would link as a black box and cut its paths).
 * It fails, with d naming
 * the file, line and field, when the file cannot be read, has no library
 * group, no nom_voltage (or one outside (0, 5] V) or no buffer cell, when OSU is given a
 * node other than 180, or when another library comes without a node or
 * `osu_only` is set (a consumer whose figures are OSU's: the gate-level
 * energy tables of `mpsim cosim --activity`).  node_nm 0 means "not
 * given"; a given node must lie in MP_LIBERTY_NODE_MIN..MAX, the fits'
 * range.
 */
#ifndef MP_LIBERTY_H
#define MP_LIBERTY_H

#include <limits.h>

#include "golden/diag.h"

#define MP_LIBERTY_OSU "osu018_stdcells"
#define MP_LIBERTY_OSU_NODE_NM 180.0
#define MP_LIBERTY_NODE_MIN 7.0
#define MP_LIBERTY_NODE_MAX 180.0

typedef struct mp_liberty {
    char path[PATH_MAX];           /* as given (mp_liberty_find: absolute,
                                      as Yosys and OpenSTA run elsewhere) */
    char name[64];                 /* its library group's name            */
    int name_line;                 /* where that group opens              */
    double vdd;                    /* nom_voltage, V                      */
    double node_nm;                /* OSU: 180; else the caller's         */
    int is_osu;
    char cells[96];                /* for reports: "OSU 0.18 um",
                                      "NAME (45 nm)"                    */
    char label[128];               /* the same with the supply: "OSU
                                      0.18 um at 1.8 V"                 */
    char buffer[64];               /* its first buffer cell: OSU BUFX2, */
    char buffer_in[32];            /* Nangate BUF_X1; its input pin and */
    char buffer_out[32];           /* output pin                         */
} mp_liberty;

/* Read the header of the Liberty file at path into lib; see above.  0, or
 * -1 with d (`node_field` names the option a missing or wrong node is
 * blamed on). */
int mp_liberty_open(mp_liberty *lib, const char *path, double node_nm,
                    const char *node_field, int osu_only, mp_diag *d);
/* The same for the library a command was given (`given`, or NULL: OSU's,
 * mp_synth_find_liberty), opened at its absolute path: the one lookup of
 * `mpsim synth` and `mpsim cosim --activity`.  A path that does not
 * resolve is "cannot read the liberty file" (field --liberty). */
int mp_liberty_find(mp_liberty *lib, const char *given, double node_nm,
                    const char *node_field, int osu_only, mp_diag *d);

#endif
