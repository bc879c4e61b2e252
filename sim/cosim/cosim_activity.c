/*
 * cosim_activity.c - `mpsim cosim --activity FILE`: the toggle rates of
 * the PE's ports on the co-simulated tiles and the energy per MAC OpenSTA
 * makes of them, per tile kind (random, extreme, trace); see cosim.h.
 */
#include "sim/cosim/cosim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golden/outfile.h"
#include "sim/cosim/activity.h"
#include "sim/cosim/cosim_build.h"
#include "sim/cosim/gate_sim.h"
#include "sim/energy_cal.h"
#include "sim/synth/liberty.h"
#include "sim/synth/synth.h"
#include "sim/synth/timing.h"
#include "sim/tech_load.h"

/* STA clock for power: energy per cycle = (internal + switching) x period
 * does not depend on it; leakage is reported as power */
#define POWER_PERIOD_NS 10.0

static const char *const kinds[] = {"random", "extreme", "trace"};
enum { KINDS = 3 };
/* the PE and, with --gate, every edge unit (mp_synth_is_edge) */
#define UNITS_MAX 9

/* What the tiles of one kind were: the same for every unit. */
typedef struct kind_tiles {
    int tiles;
    double cycles, macs;
    double edge_ops;      /* the model's first edge kind (dequant) ops  */
    double edge_units;    /* its units (ops per cycle: one op per unit)  */
    double model_edge_pj; /* the model's energy of all its edge units   */
    double results;       /* results read out: m_tile x n_tile a tile    */
} kind_tiles;

/* One unit's counts on the tiles of one kind. */
typedef struct unit_acc {
    double gate_cycles; /* --gate: cycles simulated (t: per pin, net)  */
    mp_toggles t;       /* the module's signals                        */
    mp_toggles top;     /* the top's (its clk: the run's cycles)       */
    mp_power p;
    /* --gate: the idle cycles alone (gate_sim.h), and the power at their
     * rates over every cycle (0 when no cycle was idle) */
    double idle_cycles;
    mp_toggles idle;
    mp_power p_idle;
} unit_acc;

typedef struct unit {
    const char *module;
    long instances;     /* in the design                               */
    long cells;         /* its subtree's, per synthesis                */
    mp_gate g;          /* --gate: its netlist under iverilog          */
    unit_acc k[KINDS];
} unit;

/* Toggles of the clock port (MP_CLOCK_PORTS: clk, a DSP48E2's CLK). */
static double clock_count(const mp_toggles *t)
{
    double n = 0;
    for (int i = 0; i < t->count; i++)
        if (mp_is_clock_port(t->v[i].name))
            n += t->v[i].count;
    return n;
}

/* Rate = count x scale, per compute cycle for both methods: every
 * toggle of the run (loads and read-out included) over the compute cycles,
 * so energy = P(rates) x period x compute cycles holds the clock's share
 * for the compute cycles only (the harness's narrow load port stretches
 * the run; docs/validation.md "Energy").  Verilator's points of a
 * non-inlined module are per instance and coverage.dat keeps one of them
 * (the last instance's: a PE's x[3] equals the top's x_r1_c1[3] on a 2x2
 * array), so the PE's counts are divided by the instances they stand for,
 * clk(PE) / clk(top) (1 here; PEs if a Verilator sums them), and by the
 * compute cycles. */
static double rate_scale(const unit_acc *a, const kind_tiles *kt)
{
    if (a->gate_cycles > 0) /* one gate-level instance */
        return kt->cycles > 0 ? 1.0 / kt->cycles : 0;
    double pe_clk = clock_count(&a->t);
    double top_clk = clock_count(&a->top);
    if (!(pe_clk > 0) || !(top_clk > 0) || !(kt->cycles > 0))
        return 0;
    return 1.0 / (pe_clk / top_clk * kt->cycles);
}

/* "extreme-max/min/mix" count as extreme (cosim_stim.c) */
static int kind_index(const char *kind)
{
    for (int i = 0; i < KINDS; i++)
        if (!strncmp(kind, kinds[i], strlen(kinds[i])))
            return i;
    return -1;
}

/* ---- the model on the osu018 table ------------------------------------ */

/* The table synth compares areas on (mp_synth_model_tech) and the PE's
 * timing there. */
typedef struct model_ref {
    mp_tech other;
    int loaded;         /* -1: no table: no model figures              */
    const mp_tech *t;
} model_ref;

static void model_open(model_ref *m, const mp_cosim_design *dz)
{
    mp_diag d;
    m->loaded = mp_synth_model_tech(&dz->arch.tech, MP_SYNTH_ASIC, &m->other,
                                    &d);
    m->t = m->loaded > 0 ? &m->other : m->loaded == 0 ? &dz->arch.tech
                                                       : NULL;
}

static void model_close(model_ref *m)
{
    if (m->loaded > 0)
        mp_tech_free(&m->other);
}

/* The PE model's energy per MAC (activity 1); 0 if none. */
static double model_pj_per_mac(const mp_cosim_design *dz, const model_ref *m)
{
    const mp_arch *a = &dz->arch;
    mp_pe_cost cost;
    mp_pe_timing tm;
    mp_diag d;
    a->pe->timing(&a->pe_params, &tm);
    double macs = (double)tm.tile_m * tm.tile_n * tm.tile_k;
    if (m->t && !a->pe->cost(&a->pe_params, m->t, &cost, &d) && macs > 0)
        return cost.energy_pj_tile / macs;
    return 0;
}

/* One tile's edge work in the model: the ops of its first edge kind (the
 * dequantization every edge entry is per), its units, and the energy of
 * all kinds.  A family whose edge() prices an FPGA table only (dsp-chain:
 * "no ASIC model") counts its ops and units on the arch's own table (they
 * do not depend on the table) and adds no model energy. */
static void model_edge(const mp_cosim_design *dz, const model_ref *m, int k,
                       kind_tiles *kt)
{
    const mp_arch *a = &dz->arch;
    mp_edge_cost ec[MP_MAX_EDGE];
    mp_gemm_shape shape = {dz->hdr.m_tile, dz->hdr.n_tile, k};
    mp_diag d;
    if (!a->pe->edge)
        return;
    memset(ec, 0, sizeof ec);
    int n = m->t ? a->pe->edge(&a->pe_params, m->t, &shape, dz->rows,
                               dz->cols, ec, &d)
                 : 0;
    int priced = n > 0;
    if (!priced && a->tech.is_fpga)
        n = a->pe->edge(&a->pe_params, &a->tech, &shape, dz->rows, dz->cols,
                        ec, &d);
    if (n <= 0)
        return;
    kt->edge_ops += ec[0].ops;
    kt->edge_units = ec[0].ops_per_cycle;
    if (priced)
        kt->model_edge_pj += mp_edge_model_pj(ec, n);
}

static int tile_kind(const mp_cosim_result *r, int i, const char *tiles,
                     mp_diag *d)
{
    int k = kind_index(r->per_tile[i].kind);
    if (k < 0)
        return mp_fail(d, tiles, 0, "activity", "tile %d has an unknown "
                       "kind '%s'", i, r->per_tile[i].kind);
    return k;
}

static void count_tile(const mp_cosim_design *dz, const mp_cosim_result *r,
                       const model_ref *m, int i, kind_tiles *kt)
{
    kt->tiles++;
    kt->cycles += (double)r->per_tile[i].rtl_cycles;
    kt->macs += (double)dz->hdr.m_tile * dz->hdr.n_tile * r->per_tile[i].k;
    kt->results += (double)dz->hdr.m_tile * dz->hdr.n_tile;
    model_edge(dz, m, r->per_tile[i].k, kt);
}

/* ---- the two methods -------------------------------------------------- */

/* Toggle counts of the PE module, one harness run per tile. */
static int count_toggles(mp_cosim_design *dz, const mp_cosim_opts *o,
                         const mp_cosim_result *r, const model_ref *m,
                         const char *work, unit *pe, kind_tiles *kt,
                         mp_diag *d)
{
    char exe[MP_DIAG_FILE_MAX + 64], tiles[MP_DIAG_FILE_MAX + 64],
        cov[MP_DIAG_FILE_MAX + 64], out[MP_DIAG_FILE_MAX + 64],
        log[MP_DIAG_FILE_MAX + 64];
    int cached;
    if (mp_cosim_build(&dz->src, MP_COSIM_CC_TOGGLE, o->cache_dir, exe,
                       sizeof exe, &cached, d))
        return -1;
    snprintf(tiles, sizeof tiles, "%s/tiles", work);
    snprintf(cov, sizeof cov, "%s/coverage.dat", work);
    snprintf(out, sizeof out, "%s/harness.out", work);
    snprintf(log, sizeof log, "%s/harness.log", work);
    if (mp_cosim_tiles_write(tiles, &dz->hdr, d))
        return -1;
    for (int i = 0; i < r->tiles; i++) {
        int k = tile_kind(r, i, tiles, d);
        if (k < 0)
            return -1;
        char only[16];
        snprintf(only, sizeof only, "%d", i);
        char *argv[] = {exe, tiles, "--only", only, "--coverage", cov, NULL};
        remove(cov);
        int st = mp_tool_exec(argv, NULL, out, log, d);
        if (st < 0)
            return -1;
        if (st)
            return mp_fail(d, exe, 0, "activity", "harness exit status %d "
                           "(see %s)", st, log);
        if (mp_toggle_read(cov, pe->module, &pe->k[k].t, d) ||
            mp_toggle_read(cov, dz->src.top, &pe->k[k].top, d))
            return -1;
        count_tile(dz, r, m, i, &kt[k]);
    }
    return 0;
}

/* --gate: toggle counts of each unit's netlist, one RTL run per tile and
 * one gate-level run per unit on the inputs of its last instance
 * (gate_sim.h). */
static int gate_toggles(mp_cosim_design *dz, const mp_cosim_opts *o,
                        const mp_cosim_result *r, const model_ref *m,
                        const char *liberty, const char *work, unit *u,
                        int nu, kind_tiles *kt, mp_diag *d)
{
    char netlist[MP_DIAG_FILE_MAX + 64], bench[MP_DIAG_FILE_MAX + 64],
        tiles[MP_DIAG_FILE_MAX + 64], rtl[MP_DIAG_FILE_MAX + 64],
        dir[MP_DIAG_FILE_MAX + 64];
    int cached;
    snprintf(netlist, sizeof netlist, "%s/netlist.v", work);
    snprintf(tiles, sizeof tiles, "%s/tiles", work);
    snprintf(rtl, sizeof rtl, "%s/rtl.vcd", work);
    if (mp_cosim_build(&dz->src, MP_COSIM_CC_VCD, o->cache_dir, bench,
                       sizeof bench, &cached, d) ||
        mp_cosim_tiles_write(tiles, &dz->hdr, d))
        return -1;
    for (int j = 0; j < nu; j++) {
        snprintf(dir, sizeof dir, "%s/gate-%d", work, j);
        if (mp_gate_open(&u[j].g, netlist, dz->src.top, u[j].module,
                         liberty, dir, o->zero_delay, d))
            return -1;
    }
    for (int i = 0; i < r->tiles; i++) {
        int k = tile_kind(r, i, tiles, d);
        if (k < 0 || mp_gate_rtl(bench, tiles, i, rtl, d))
            return -1;
        for (int j = 0; j < nu; j++) {
            unit_acc *a = &u[j].k[k];
            if (mp_gate_tile(&u[j].g, rtl, &a->t, &a->gate_cycles, &a->idle,
                             &a->idle_cycles, d))
                return -1;
        }
        remove(rtl);
        count_tile(dz, r, m, i, &kt[k]);
    }
    return 0;
}

/* ---- the report ------------------------------------------------------- */

/* One instance's dynamic energy per compute cycle, pJ, at power p. */
static double unit_pj_cycle(const mp_power *p)
{
    return (p->internal_w + p->switching_w) * POWER_PERIOD_NS * 1e3;
}

static void write_rates(FILE *fp, const char *tag, const char *kind,
                        const char *module, const unit_acc *a,
                        const kind_tiles *kt)
{
    double scale = rate_scale(a, kt);
    for (int i = 0; i < a->t.count; i++)
        fprintf(fp, "%s %s %s%s%s %.6g\n", tag, kind, module ? module : "",
                module ? " " : "", a->t.v[i].name, a->t.v[i].count * scale);
}

/* --gate: the edge units' energy per dequantization op of one kind, and
 * split as the engine charges it (docs/model.md "Gate-level PE energy"):
 * E_run = ops x E_op + (U x cycles - ops) x E_idle + results x E_result,
 * U the units of the model's first edge kind (its ops per cycle: one op
 * per unit and cycle).  E_idle = the units' energy per compute cycle
 * without an op (each unit's idle cycles' rates over every cycle) / U;
 * E_result = what the read-port units (gate_sim.h: per_result) spend
 * beyond their idle cycles' rates, over the results read; E_op = (E_run -
 * cycles x U x E_idle - results x E_result) / ops + E_idle, the energy
 * an op adds over an idle cycle plus the unit-cycle it occupies. */
static void write_edge(FILE *fp, const unit *u, int nu, int k,
                       const kind_tiles *kt)
{
    if (nu < 2 || !(kt->edge_ops > 0))
        return;
    double pj = 0, idle_pj = 0, result_pj = 0;
    for (int j = 1; j < nu; j++) {
        const unit_acc *a = &u[j].k[k];
        fprintf(fp, "gate_edge %s %s simulated_cycles %.0f cells_measured "
                "%ld pj_per_cycle %.6g leakage_w %.6g idle_cycles %.0f "
                "idle_pj_per_cycle %.6g per_result %d\n", kinds[k],
                u[j].module, a->gate_cycles, a->p.pins, unit_pj_cycle(&a->p),
                a->p.leakage_w, a->idle_cycles, unit_pj_cycle(&a->p_idle),
                u[j].g.per_result);
        double inst = (double)u[j].instances;
        double run = unit_pj_cycle(&a->p) * inst * kt->cycles;
        double idle = unit_pj_cycle(&a->p_idle) * inst;
        pj += run;
        idle_pj += idle;
        if (u[j].g.per_result)
            result_pj += run - idle * kt->cycles;
    }
    double per_op = pj / kt->edge_ops;
    double model = kt->model_edge_pj / kt->edge_ops;
    double idle_unit = kt->edge_units > 0 ? idle_pj / kt->edge_units : 0;
    double per_result = kt->results > 0 ? result_pj / kt->results : 0;
    double busy_op = (pj - idle_pj * kt->cycles - result_pj) / kt->edge_ops +
                     idle_unit;
    fprintf(fp, "edge %s ops %.0f pj_per_op %.6g model_pj_per_op %.6g "
            "gate_over_model %.4g busy_pj_per_op %.6g "
            "idle_pj_per_unit_cycle %.6g units %g pj_per_result %.6g "
            "results %.0f\n", kinds[k], kt->edge_ops, per_op, model,
            model > 0 ? per_op / model : 0, busy_op, idle_unit,
            kt->edge_units, per_result, kt->results);
    for (int j = 1; j < nu; j++)
        write_rates(fp, "edge_rate", kinds[k], u[j].module, &u[j].k[k], kt);
}

static void write_report(FILE *fp, const mp_cosim_design *dz,
                         const model_ref *m, long pes, const unit *u, int nu,
                         const kind_tiles *kt, int gate)
{
    double model = model_pj_per_mac(dz, m);
    if (gate)
        fprintf(fp, "# mpsim cosim --activity --gate: toggle rates of every "
                "net and cell pin of the PE's\n# mapped netlist (iverilog, "
                "cell delays from osu018_stdcells.v, glitches included,\n# "
                "transitions per simulated cycle, fed the last PE instance's "
                "RTL inputs) and OpenSTA\n# report_power of one PE (OSU 0.18 "
                "um, 1.8 V) with every cell output pin at its rate;\n# the "
                "same for each edge unit (its last instance), energy per "
                "dequantization op of all\n# of them; docs/validation.md "
                "\"Gate-level simulation\"\n");
    else
        fprintf(fp, "# mpsim cosim --activity: toggle rates of the PE "
                "module's signals (Verilator --coverage-toggle,\n# "
                "transitions per compute cycle, of the last PE instance) and "
                "OpenSTA report_power of one PE\n# (OSU 0.18 um, 1.8 V) with "
                "its input ports at those rates; docs/validation.md "
                "\"Energy\"\n");
    fprintf(fp, "method %s\n", !gate ? "probabilistic-propagation"
                               : gate > 1 ? "gate-level-simulation-zero-delay"
                                          : "gate-level-simulation");
    fprintf(fp, "design %s\nfamily %s\nmodule %s\npes %ld\n", dz->dir,
            dz->family, u[0].module, pes);
    for (int j = 1; j < nu; j++)
        fprintf(fp, "edge_unit %s instances %ld cells %ld instance %s\n",
                u[j].module, u[j].instances, u[j].cells, u[j].g.path);
    fprintf(fp, "model %s pj_per_mac %.6g (the PE model's cost() at "
            "activity 1)\n", m->t ? m->t->name : "", model);
    for (int k = 0; k < KINDS; k++) {
        const unit_acc *a = &u[0].k[k];
        if (!kt[k].tiles)
            continue;
        double dyn_pj = unit_pj_cycle(&a->p);
        fprintf(fp, "kind %s tiles %d compute_cycles %.0f macs %.0f\n",
                kinds[k], kt[k].tiles, kt[k].cycles, kt[k].macs);
        if (a->gate_cycles > 0)
            fprintf(fp, "gate %s simulated_cycles %.0f cells_measured "
                    "%ld\n", kinds[k], a->gate_cycles, a->p.pins);
        double per_mac = kt[k].macs > 0 ? dyn_pj * (double)pes *
                                              kt[k].cycles / kt[k].macs
                                        : 0;
        fprintf(fp, "energy %s pe_pj_per_cycle %.6g pj_per_mac %.6g "
                "internal_w %.6g switching_w %.6g leakage_w %.6g "
                "period_ns %g gate_over_model %.4g\n", kinds[k], dyn_pj,
                per_mac, a->p.internal_w, a->p.switching_w, a->p.leakage_w,
                POWER_PERIOD_NS, model > 0 ? per_mac / model : 0);
        write_edge(fp, u, nu, k, &kt[k]);
        write_rates(fp, "rate", kinds[k], NULL, a, &kt[k]);
    }
}

/* One unit's power on one kind's tiles; an edge unit's (--gate) with its
 * idle cycles' rates over every cycle beside, in the same session. */
static int unit_power(const unit *un, unit_acc *a, const kind_tiles *kt,
                      int edge, int gate, const char *liberty,
                      const char *work, const mp_cosim_design *dz,
                      mp_diag *d)
{
    double scale = rate_scale(a, kt);
    if (!(scale > 0))
        return mp_fail(d, dz->dir, 0, "activity", "no clock toggles counted "
                       "for %s or %s", un->module, dz->src.top);
    if (!edge || !gate || !(a->idle_cycles > 0))
        return mp_activity_power("netlist.v", liberty, un->module, &a->t,
                                 scale, POWER_PERIOD_NS, gate, work, &a->p,
                                 d);
    const mp_toggles *sets[2] = {&a->t, &a->idle};
    double scales[2] = {scale, scale * a->gate_cycles / a->idle_cycles};
    mp_power p[2];
    if (mp_activity_power_sets("netlist.v", liberty, un->module, 2, sets,
                               scales, POWER_PERIOD_NS, 1, work, p, d))
        return -1;
    a->p = p[0];
    a->p_idle = p[1];
    return 0;
}

/* The PE, then (--gate) the edge units, of the synthesized design: their
 * count, or -1 with d when there are more than UNITS_MAX. */
static int units_of(const mp_synth_result *sr, int pe, int gate, unit *u,
                    mp_diag *d)
{
    int nu = 0;
    for (int i = -1; i < sr->nmods; i++) {
        int mod = i < 0 ? pe : i;
        if (i >= 0 && (!gate || !mp_synth_is_edge(sr, i, pe)))
            continue;
        if (nu == UNITS_MAX)
            return mp_fail(d, sr->top, 0, "activity", "more than %d edge "
                           "units to simulate", UNITS_MAX - 1);
        u[nu].module = sr->mods[mod].name;
        u[nu].instances = sr->mods[mod].instances;
        u[nu].cells = sr->mods[mod].subtree_cells;
        nu++;
    }
    return nu;
}

int mp_cosim_activity(mp_cosim_design *dz, const mp_cosim_opts *o,
                      const mp_cosim_result *r, const mp_liberty *lib,
                      const char *out_path, mp_diag *d)
{
    const char *liberty = lib->path;
    char work[MP_DIAG_FILE_MAX + 32];
    snprintf(work, sizeof work, "%s/activity-%d", o->cache_dir,
             (int)getpid());
    mp_rmtree(work);
    mp_synth_result *sr = malloc(sizeof *sr);
    unit *u = calloc(UNITS_MAX, sizeof *u);
    kind_tiles kt[KINDS];
    memset(kt, 0, sizeof kt);
    model_ref m;
    model_open(&m, dz);
    long pes = (long)dz->rows * dz->cols;
    int nu = 0;
    int rc = sr && u ? 0 : mp_fail(d, "<memory>", 0, "activity",
                                   "out of memory");
    if (!rc && (dz->rows < 2 || dz->cols < 2))
        rc = mp_fail(d, dz->dir, 0, "activity", "needs at least a 2x2 array "
                     "(the PE is the module instantiated rows x cols times, "
                     "edge units rows or cols times)");
    if (!rc)
        rc = mp_synth_run(&dz->src, MP_SYNTH_ASIC, MP_SYNTH_MAP_AREA, lib,
                          work, sr, d);
    int pe = rc ? -1 : mp_synth_pe_module(sr, pes);
    if (!rc && pe < 0)
        rc = mp_fail(d, dz->dir, 0, "activity", "no module is instantiated "
                     "%ld times (the PE)", pes);
    if (!rc && (nu = units_of(sr, pe, o->gate, u, d)) < 0) {
        nu = 0;
        rc = -1;
    }
    if (!rc) {
        rc = o->gate ? gate_toggles(dz, o, r, &m, liberty, work, u, nu, kt, d)
                     : count_toggles(dz, o, r, &m, work, &u[0], kt, d);
    }
    for (int j = 0; !rc && j < nu; j++)
        for (int k = 0; !rc && k < KINDS; k++)
            if (kt[k].tiles)
                rc = unit_power(&u[j], &u[j].k[k], &kt[k], j > 0, o->gate,
                                liberty, work, dz, d);
    if (!rc) {
        mp_outfile of;
        rc = mp_out_open(&of, out_path, d);
        if (!rc) {
            write_report(of.fp, dz, &m, pes, u, nu, kt,
                         o->gate ? 1 + o->zero_delay : 0);
            rc = mp_out_commit(&of, d);
        }
    }
    for (int j = 0; u && j < UNITS_MAX; j++)
        for (int k = 0; k < KINDS; k++) {
            mp_toggles_free(&u[j].k[k].t);
            mp_toggles_free(&u[j].k[k].top);
            mp_toggles_free(&u[j].k[k].idle);
        }
    model_close(&m);
    free(u);
    free(sr);
    if (!rc && !getenv("MPSIM_KEEP_ACTIVITY"))
        mp_rmtree(work);
    return rc;
}
