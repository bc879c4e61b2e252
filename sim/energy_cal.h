/*
 * energy_cal.h - the PE's dynamic energy from gate level (`pe.energy:
 * gate-level` in an architecture file) instead of the model's primitives.
 *
 * Contract.  pe_models/tech/osu018-energy.yaml (MP_ENERGY_TECH, written by
 * scripts/calibrate_energy.sh from `mpsim cosim --activity`) holds one
 * PE's dynamic energy per MAC at 180 nm / 1.8 V, measured on trace tiles,
 * as KEY_pe_pj_per_mac with KEY = FAMILY_ACT, else FAMILY (the family's
 * fallback for formats never measured: mp_tech_find_entry, the lookup of
 * the timing table too).  With pe.energy gate-level, binding an arch
 * (mp_arch_bind) looks up every activation format its family takes and
 * scales each entry to the arch's node and supply with the Stillmaker &
 * Baas energy fit, the factor node-scaled constants of the tech tables
 * get (mp_tech_scale_factor(MP_SCALE_ENERGY, ...)); then
 *
 *   energy_pj_tile = pj_per_mac(FAMILY[_ACT]) x scale x tile_m*tile_n*tile_k
 *
 * replaces the PE model's energy_pj_tile at every precision of that
 * activation format, and where the table has KEY_edge_pj_per_op (the
 * energy of all the design's edge units per dequantization op, measured
 * on the same tiles, in a busy unit-cycle) and, optionally,
 * KEY_edge_idle_pj_per_unit_cycle (theirs per cycle without an op, per
 * unit of the first edge kind; absent: 0) and KEY_edge_pj_per_result (the
 * read-port units', the act_scale multiplier's and the float widening's,
 * per result read out beyond their idle cycles; absent: 0)
 *
 *   E_edge = (ops x pj_per_op + idle_unit_cycles x idle_pj
 *             + results x result_pj) x scale
 *   idle_unit_cycles = max(0, units x cycles - ops)
 *
 * (ops, units: the GEMM's first edge kind (dequant), its ops and its
 * ops_per_cycle x cores, one op per unit and cycle; cycles: the GEMM's
 * compute cycles, the array's and the serial edge's; results: its
 * outputs read out, M x N a pass) replaces the model's
 * sum over edge kinds (area, leakage, memories stay the model's).  A format without an entry keeps the model's figure, and
 * the report says so per layer.  Only ASIC tables qualify (an FPGA table's
 * energy is the resources' power: gate-level on one is an error); the
 * default, pe.energy model, leaves every figure and every report as
 * without this file.  docs/model.md "Gate-level PE energy".
 */
#ifndef MP_ENERGY_CAL_H
#define MP_ENERGY_CAL_H

#include "golden/diag.h"
#include "golden/formats.h"
#include "pe_models/pe.h"

#define MP_ENERGY_TECH "osu018-energy"

/* The entry one activation format of the arch's family uses. */
typedef struct mp_gate_energy {
    int known;          /* 0: no entry, the model's energy stays         */
    char entry[72];     /* the KEY used, e.g. "mixpe_int8"              */
    double pj_mac_at;   /* pJ/MAC at the table's node (180 nm)          */
    double pj_mac;      /* at the arch's node and supply                */
    char label[160];    /* what reports print as the source             */
    /* the edge units, looked up alike (KEY_edge_pj_per_op; the idle
     * entry from the same KEY) */
    int edge_known;
    double edge_pj_op;  /* per dequantization op, at the arch's node    */
    double edge_idle_pj; /* per idle unit-cycle, there (0: no entry)    */
    double edge_result_pj; /* per result read out, there (0: no entry)  */
    char edge_label[160];
} mp_gate_energy;

struct mp_arch;

/* pe.energy of an architecture file: "model" 0, "gate-level" 1; -1 if
 * neither. */
int mp_energy_mode_parse(const char *s);

/* Fill a->gate_energy[] for every activation format of a->pe (bound PE,
 * loaded tech table; nothing when a->energy_gate is 0).  0, or -1 with d
 * (an FPGA table, the energy table missing or broken, a node the energy
 * fit does not cover). */
int mp_energy_cal_bind(struct mp_arch *a, mp_diag *d);
/* The same from table t (loaded by the caller; exposed for tests). */
int mp_energy_cal_fill(struct mp_arch *a, const mp_tech *t, mp_diag *d);

/* The PE's cost at params p on the arch's tech table, with the gate-level
 * energy in place where the arch asks for it and has an entry. */
int mp_arch_pe_cost(const struct mp_arch *a, const mp_pe_params *p,
                    mp_pe_cost *c, mp_diag *d);

/* What the PE energy at activation format act comes from: the entry's
 * label, or "model".  NULL when the arch did not ask (reports print no
 * source then: byte-identical to before). */
const char *mp_energy_source(const struct mp_arch *a, mp_act_fmt act);

/* The model's energy of one GEMM's edge units from their costs ec[0..n)
 * (the PE's edge()): the sum of ops x energy_pj_op. */
double mp_edge_model_pj(const mp_edge_cost *ec, int n);
/* The edge units' energy of one GEMM at activation format act, taking
 * `cycles` compute cycles and reading `results` outputs: the model's
 * (mp_edge_model_pj, which has no read port), or where the arch asks for
 * gate-level and the table has an edge entry, E_edge above. */
double mp_arch_edge_pj(const struct mp_arch *a, mp_act_fmt act,
                       const mp_edge_cost *ec, int n, double cycles,
                       double results);
/* What that energy comes from, as mp_energy_source(). */
const char *mp_energy_edge_source(const struct mp_arch *a, mp_act_fmt act);

#endif
