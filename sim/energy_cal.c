/*
 * energy_cal.c - gate-level PE energy in place of the model's; see
 * energy_cal.h.
 */
#include "sim/energy_cal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sim/arch.h"
#include "sim/tech_load.h"

int mp_energy_mode_parse(const char *s)
{
    if (!strcmp(s, "model"))
        return 0;
    if (!strcmp(s, "gate-level"))
        return 1;
    return -1;
}

/* "gate-level osu018-energy.yaml KEY (trace tiles), 180 [-> N] nm" */
static void label(char *out, size_t cap, const char *key, const mp_tech *t,
                  double node_nm)
{
    if (node_nm == t->node_nm)
        snprintf(out, cap, "gate-level %s.yaml %s (trace tiles), %g nm",
                 MP_ENERGY_TECH, key, node_nm);
    else
        snprintf(out, cap, "gate-level %s.yaml %s (trace tiles), %g -> %g "
                 "nm", MP_ENERGY_TECH, key, t->node_nm, node_nm);
}

/* Entry KEY + suffix of t, scaled by `scale`; 0 when absent. */
static double same_key(const mp_tech *t, const char *key, const char *suffix,
                       double scale)
{
    char name[160];
    snprintf(name, sizeof name, "%s%s", key, suffix);
    const mp_tech_const *c = mp_tech_find(t, name);
    return c ? c->value * scale : 0;
}

/* One activation format: its entries in t, scaled by `scale`. */
static void lookup(const mp_tech *t, const char *family, mp_act_fmt act,
                   double scale, double node_nm, mp_gate_energy *g)
{
    memset(g, 0, sizeof *g);
    char key[sizeof g->entry];
    const mp_tech_const *c = mp_tech_find_entry(t, family, mp_act_name(act),
                                                "_pe_pj_per_mac", key,
                                                sizeof key);
    if (c) {
        g->known = 1;
        memcpy(g->entry, key, sizeof key);
        g->pj_mac_at = c->value;
        g->pj_mac = c->value * scale;
        label(g->label, sizeof g->label, key, t, node_nm);
    }
    c = mp_tech_find_entry(t, family, mp_act_name(act), "_edge_pj_per_op",
                           key, sizeof key);
    if (c) {
        g->edge_known = 1;
        g->edge_pj_op = c->value * scale;
        label(g->edge_label, sizeof g->edge_label, key, t, node_nm);
        /* the idle and result entries of the same KEY, never another's
         * fallback */
        g->edge_idle_pj = same_key(t, key, "_edge_idle_pj_per_unit_cycle",
                                   scale);
        g->edge_result_pj = same_key(t, key, "_edge_pj_per_result", scale);
    }
}

int mp_energy_cal_fill(mp_arch *a, const mp_tech *t, mp_diag *d)
{
    memset(a->gate_energy, 0, sizeof a->gate_energy);
    const char *f = a->file[0] ? a->file : MP_CMDLINE;
    if (a->tech.is_fpga)
        return mp_fail(d, f, a->energy_line, "pe.energy", "gate-level "
                       "energy needs an ASIC tech table ('%s' is an FPGA "
                       "table: its energy is the resources' power)",
                       a->tech.name);
    double scale = mp_tech_scale_factor(MP_SCALE_ENERGY, t->node_nm, t->vdd,
                                        a->tech.node_nm, a->tech.vdd);
    if (!isfinite(scale) || !(scale > 0))
        return mp_fail(d, f, a->energy_line, "pe.energy", "the energy fit "
                       "of Stillmaker & Baas 2017 does not take %g nm / %g V "
                       "to %g nm / %g V", t->node_nm, t->vdd, a->tech.node_nm,
                       a->tech.vdd);
    for (int i = 0; a->pe->acts[i] != MP_ACT_COUNT; i++) {
        mp_act_fmt act = a->pe->acts[i];
        lookup(t, a->pe->name, act, scale, a->tech.node_nm,
               &a->gate_energy[act]);
    }
    return 0;
}

int mp_energy_cal_bind(mp_arch *a, mp_diag *d)
{
    memset(a->gate_energy, 0, sizeof a->gate_energy);
    if (!a->energy_gate)
        return 0;
    mp_tech t;
    mp_diag td;
    if (mp_tech_load_builtin(MP_ENERGY_TECH, &t, &td)) {
        /* a missing table is this file's error; a broken one the table's */
        if (td.line == 0)
            return mp_fail(d, a->file[0] ? a->file : MP_CMDLINE,
                           a->energy_line, "pe.energy", "%s", td.msg);
        if (d)
            *d = td;
        return -1;
    }
    int rc = mp_energy_cal_fill(a, &t, d);
    mp_tech_free(&t);
    return rc;
}

int mp_arch_pe_cost(const mp_arch *a, const mp_pe_params *p, mp_pe_cost *c,
                    mp_diag *d)
{
    if (a->pe->cost(p, &a->tech, c, d))
        return -1;
    if (!a->energy_gate || p->act < 0 || p->act >= MP_ACT_COUNT ||
        !a->gate_energy[p->act].known)
        return 0;
    mp_pe_timing tm;
    a->pe->timing(p, &tm);
    c->energy_pj_tile = a->gate_energy[p->act].pj_mac *
                        ((double)tm.tile_m * tm.tile_n * tm.tile_k);
    return 0;
}

const char *mp_energy_source(const mp_arch *a, mp_act_fmt act)
{
    if (!a->energy_gate)
        return NULL;
    if (act >= 0 && act < MP_ACT_COUNT && a->gate_energy[act].known)
        return a->gate_energy[act].label;
    return "model";
}

/* The arch's entry for act when it asks for gate-level, else NULL. */
static const mp_gate_energy *entry(const mp_arch *a, mp_act_fmt act)
{
    if (!a->energy_gate || act < 0 || act >= MP_ACT_COUNT)
        return NULL;
    return &a->gate_energy[act];
}

double mp_edge_model_pj(const mp_edge_cost *ec, int n)
{
    double pj = 0;
    for (int i = 0; i < n && i < MP_MAX_EDGE; i++)
        pj += ec[i].ops * ec[i].energy_pj_op;
    return pj;
}

double mp_arch_edge_pj(const mp_arch *a, mp_act_fmt act,
                       const mp_edge_cost *ec, int n, double cycles,
                       double results)
{
    const mp_gate_energy *g = entry(a, act);
    if (!(n > 0 && g && g->edge_known))
        return mp_edge_model_pj(ec, n);
    double idle = ec[0].ops_per_cycle * a->cores * cycles - ec[0].ops;
    return ec[0].ops * g->edge_pj_op + (idle > 0 ? idle : 0) * g->edge_idle_pj +
           results * g->edge_result_pj;
}

const char *mp_energy_edge_source(const mp_arch *a, mp_act_fmt act)
{
    if (!a->energy_gate)
        return NULL;
    const mp_gate_energy *g = entry(a, act);
    return g && g->edge_known ? g->edge_label : "model";
}
