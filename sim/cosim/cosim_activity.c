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
#include "sim/synth/synth.h"
#include "sim/synth/timing.h"
#include "sim/tech_load.h"

/* STA clock for power: energy per cycle = (internal + switching) x period
 * does not depend on it; leakage is reported as power */
#define POWER_PERIOD_NS 10.0

static const char *const kinds[] = {"random", "extreme", "trace"};
enum { KINDS = 3 };

typedef struct kind_acc {
    int tiles;
    double cycles, macs;
    double gate_cycles; /* --gate: cycles simulated (t: per pin, net)  */
    mp_toggles t;   /* the PE module's signals                  */
    mp_toggles top; /* the top's (its clk: the run's cycles)    */
    mp_power p;
} kind_acc;

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
 * the run; docs/validation.md "Energy").  */
/* Rate = count x scale.  Verilator's points of a non-inlined module are
 * per instance and coverage.dat keeps one of them (the last instance's:
 * a PE's x[3] equals the top's x_r1_c1[3] on a 2x2 array), so the PE's
 * counts are divided by the instances they stand for, clk(PE) / clk(top)
 * (1 here; PEs if a Verilator sums them), and by the compute cycles. */
static double rate_scale(const kind_acc *a)
{
    if (a->gate_cycles > 0) /* one gate-level instance */
        return a->cycles > 0 ? 1.0 / a->cycles : 0;
    double pe_clk = clock_count(&a->t);
    double top_clk = clock_count(&a->top);
    if (!(pe_clk > 0) || !(top_clk > 0) || !(a->cycles > 0))
        return 0;
    return 1.0 / (pe_clk / top_clk * a->cycles);
}

/* "extreme-max/min/mix" count as extreme (cosim_stim.c) */
static int kind_index(const char *kind)
{
    for (int i = 0; i < KINDS; i++)
        if (!strncmp(kind, kinds[i], strlen(kinds[i])))
            return i;
    return -1;
}

/* Toggle counts of the PE module, one harness run per tile. */
static int count_toggles(mp_cosim_design *dz, const mp_cosim_opts *o,
                         const mp_cosim_result *r, const char *module,
                         const char *work, kind_acc *acc, mp_diag *d)
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
        int k = kind_index(r->per_tile[i].kind);
        if (k < 0)
            return mp_fail(d, tiles, 0, "activity", "tile %d has an unknown "
                           "kind '%s'", i, r->per_tile[i].kind);
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
        if (mp_toggle_read(cov, module, &acc[k].t, d) ||
            mp_toggle_read(cov, dz->src.top, &acc[k].top, d))
            return -1;
        acc[k].tiles++;
        acc[k].cycles += (double)r->per_tile[i].rtl_cycles;
        acc[k].macs += (double)dz->hdr.m_tile * dz->hdr.n_tile *
                       r->per_tile[i].k;
    }
    return 0;
}

/* --gate: toggle counts of the PE's netlist, one gate-level run per tile
 * on the inputs of the last PE instance (gate_sim.h). */
static int gate_toggles(mp_cosim_design *dz, const mp_cosim_opts *o,
                        const mp_cosim_result *r, const char *module,
                        const char *liberty, const char *work, kind_acc *acc,
                        mp_diag *d)
{
    mp_gate *g = malloc(sizeof *g);
    char netlist[MP_DIAG_FILE_MAX + 64];
    int cached, rc = g ? 0 : mp_fail(d, "<memory>", 0, "activity",
                                      "out of memory");
    snprintf(netlist, sizeof netlist, "%s/netlist.v", work);
    if (!rc)
        rc = mp_cosim_build(&dz->src, MP_COSIM_CC_VCD, o->cache_dir,
                            g->bench, sizeof g->bench, &cached, d);
    if (!rc)
        rc = mp_gate_open(g, netlist, module, liberty, work, o->zero_delay,
                          d);
    char pe_path[96];
    if (!rc)
        rc = mp_rtl_last_pe(&dz->cfg, pe_path, sizeof pe_path, d);
    if (!rc) {
        snprintf(g->tiles, sizeof g->tiles, "%s/tiles", work);
        snprintf(g->scope, sizeof g->scope, "TOP.%.90s.%.96s", dz->src.top,
                 pe_path);
        rc = mp_cosim_tiles_write(g->tiles, &dz->hdr, d);
    }
    for (int i = 0; !rc && i < r->tiles; i++) {
        int k = kind_index(r->per_tile[i].kind);
        if (k < 0) {
            rc = mp_fail(d, g->tiles, 0, "activity", "tile %d has an unknown "
                         "kind '%s'", i, r->per_tile[i].kind);
            break;
        }
        rc = mp_gate_tile(g, i, &acc[k].t, &acc[k].gate_cycles, d);
        acc[k].tiles++;
        acc[k].cycles += (double)r->per_tile[i].rtl_cycles;
        acc[k].macs += (double)dz->hdr.m_tile * dz->hdr.n_tile *
                       r->per_tile[i].k;
    }
    free(g);
    return rc;
}

/* The model's PE energy per MAC on the osu018 table (activity 1, the
 * table synth compares areas on: mp_synth_model_tech); 0 if none. */
static double model_pj_per_mac(const mp_cosim_design *dz, char *tech,
                               size_t cap)
{
    const mp_arch *a = &dz->arch;
    mp_tech other;
    mp_diag d;
    int loaded = mp_synth_model_tech(&a->tech, MP_SYNTH_ASIC, &other, &d);
    if (loaded < 0)
        return 0;
    const mp_tech *t = loaded ? &other : &a->tech;
    mp_pe_cost cost;
    mp_pe_timing tm;
    double pj = 0;
    a->pe->timing(&a->pe_params, &tm);
    double macs = (double)tm.tile_m * tm.tile_n * tm.tile_k;
    if (!a->pe->cost(&a->pe_params, t, &cost, &d) && macs > 0)
        pj = cost.energy_pj_tile / macs;
    snprintf(tech, cap, "%s", t->name);
    if (loaded)
        mp_tech_free(&other);
    return pj;
}

static void write_report(FILE *fp, const mp_cosim_design *dz,
                         const char *module, long pes, const kind_acc *acc,
                         int gate)
{
    char tech[48] = "";
    double model = model_pj_per_mac(dz, tech, sizeof tech);
    if (gate)
        fprintf(fp, "# mpsim cosim --activity --gate: toggle rates of every "
                "net and cell pin of the PE's\n# mapped netlist (iverilog, "
                "cell delays from osu018_stdcells.v, glitches included,\n# "
                "transitions per simulated cycle, fed the last PE instance's "
                "RTL inputs) and OpenSTA\n# report_power of one PE (OSU 0.18 "
                "um, 1.8 V) with every cell output pin at its rate;\n# "
                "docs/validation.md \"Gate-level simulation\"\n");
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
            dz->family, module, pes);
    fprintf(fp, "model %s pj_per_mac %.6g (the PE model's cost() at "
            "activity 1)\n", tech, model);
    for (int k = 0; k < KINDS; k++) {
        const kind_acc *a = &acc[k];
        if (!a->tiles)
            continue;
        double dyn_pj = (a->p.internal_w + a->p.switching_w) *
                        POWER_PERIOD_NS * 1e3;
        fprintf(fp, "kind %s tiles %d compute_cycles %.0f macs %.0f\n",
                kinds[k], a->tiles, a->cycles, a->macs);
        if (a->gate_cycles > 0)
            fprintf(fp, "gate %s simulated_cycles %.0f cells_measured "
                    "%ld\n", kinds[k], a->gate_cycles, a->p.pins);
        double per_mac = a->macs > 0 ? dyn_pj * (double)pes * a->cycles /
                                           a->macs
                                     : 0;
        fprintf(fp, "energy %s pe_pj_per_cycle %.6g pj_per_mac %.6g "
                "internal_w %.6g switching_w %.6g leakage_w %.6g "
                "period_ns %g gate_over_model %.4g\n", kinds[k], dyn_pj,
                per_mac, a->p.internal_w, a->p.switching_w, a->p.leakage_w,
                POWER_PERIOD_NS, model > 0 ? per_mac / model : 0);
        double scale = rate_scale(a);
        for (int i = 0; i < a->t.count; i++)
            fprintf(fp, "rate %s %s %.6g\n", kinds[k], a->t.v[i].name,
                    a->t.v[i].count * scale);
    }
}

int mp_cosim_activity(mp_cosim_design *dz, const mp_cosim_opts *o,
                      const mp_cosim_result *r, const char *liberty,
                      const char *out_path, mp_diag *d)
{
    char work[MP_DIAG_FILE_MAX + 32];
    snprintf(work, sizeof work, "%s/activity-%d", o->cache_dir,
             (int)getpid());
    mp_rmtree(work);
    mp_synth_result *sr = malloc(sizeof *sr);
    kind_acc acc[KINDS];
    memset(acc, 0, sizeof acc);
    long pes = (long)dz->rows * dz->cols;
    int rc = sr ? 0 : mp_fail(d, "<memory>", 0, "activity", "out of memory");
    if (!rc && (dz->rows < 2 || dz->cols < 2))
        rc = mp_fail(d, dz->dir, 0, "activity", "needs at least a 2x2 array "
                     "(the PE is the module instantiated rows x cols times, "
                     "edge units rows or cols times)");
    if (!rc)
        rc = mp_synth_run(&dz->src, MP_SYNTH_ASIC, liberty, work, sr, d);
    int pe = rc ? -1 : mp_synth_pe_module(sr, pes);
    if (!rc && pe < 0)
        rc = mp_fail(d, dz->dir, 0, "activity", "no module is instantiated "
                     "%ld times (the PE)", pes);
    const char *module = pe >= 0 ? sr->mods[pe].name : "";
    if (!rc)
        rc = o->gate ? gate_toggles(dz, o, r, module, liberty, work, acc, d)
                     : count_toggles(dz, o, r, module, work, acc, d);
    for (int k = 0; !rc && k < KINDS; k++) {
        if (!acc[k].tiles)
            continue;
        if (!(rate_scale(&acc[k]) > 0))
            rc = mp_fail(d, dz->dir, 0, "activity", "no clock toggles "
                         "counted for %s or %s", module, dz->src.top);
        else
            rc = mp_activity_power("netlist.v", liberty, module, &acc[k].t,
                                   rate_scale(&acc[k]), POWER_PERIOD_NS,
                                   o->gate, work, &acc[k].p, d);
    }
    if (!rc) {
        mp_outfile of;
        rc = mp_out_open(&of, out_path, d);
        if (!rc) {
            write_report(of.fp, dz, module, pes, acc,
                         o->gate ? 1 + o->zero_delay : 0);
            rc = mp_out_commit(&of, d);
        }
    }
    for (int k = 0; k < KINDS; k++) {
        mp_toggles_free(&acc[k].t);
        mp_toggles_free(&acc[k].top);
    }
    free(sr);
    if (!rc && !getenv("MPSIM_KEEP_ACTIVITY"))
        mp_rmtree(work);
    return rc;
}
