/*
 * synth_timing.c - the timing section of `mpsim synth --timing`: OpenSTA
 * on the PE and edge-unit modules, fmax at the library's node and at the
 * arch's;
 * see timing.h.
 */
#include "sim/synth/timing.h"

#include <math.h>
#include <string.h>

#include "sim/report.h"

int mp_synth_sta_modules(const mp_synth_result *r, int pe,
                         mp_sta_module out[MP_TIMING_MAX_MODULES],
                         mp_diag *d)
{
    int n = 0;
    for (int i = 0; i < r->nmods; i++) {
        const mp_synth_module *m = &r->mods[i];
        if (!strcmp(m->name, r->top) ||
            (i != pe &&
             (m->parent < 0 || strcmp(r->mods[m->parent].name, r->top))))
            continue;
        if (n == MP_TIMING_MAX_MODULES)
            return mp_fail(d, r->top, 0, "synth", "more than %d modules "
                           "to analyse", MP_TIMING_MAX_MODULES);
        snprintf(out[n].name, sizeof out[n].name, "%s", m->name);
        /* a module holding the PEs (a core) is no edge unit */
        out[n++].role = i == pe                      ? "pe"
                        : mp_synth_is_edge(r, i, pe) ? "edge"
                                                     : "core";
    }
    return n;
}

int mp_synth_timing_run(const mp_sta_module *mods, int n,
                        const mp_sta_netlist *netlist,
                        const mp_liberty *lib, const char *workdir,
                        const mp_arch *a, mp_synth_timing *t, mp_diag *d)
{
    memset(t, 0, sizeof *t);
    t->limiting = -1;
    for (; t->n < n; t->n++) {
        mp_timing_path *p = &t->paths[t->n];
        t->role[t->n] = mods[t->n].role;
        if (mp_timing_module(netlist->path, lib->path, mods[t->n].name,
                             workdir, p, d))
            return -1;
        if (p->found && (t->limiting < 0 ||
                         p->period_ns > t->paths[t->limiting].period_ns))
            t->limiting = t->n;
    }
    snprintf(t->mapping, sizeof t->mapping, "%s", netlist->mapping);
    snprintf(t->tech, sizeof t->tech, "%s", a->tech.name);
    t->node_nm = a->tech.node_nm;
    t->vdd = a->tech.vdd;
    t->is_fpga = a->tech.is_fpga;
    t->clock_hz = a->clock_hz;
    snprintf(t->liberty, sizeof t->liberty, "%s", lib->label);
    t->lib_node_nm = lib->node_nm;
    if (t->limiting >= 0) {
        /* on an FPGA arch: the same cells at the FPGA's node, a what-if
         * (its clock is the data sheet's; no verdict) */
        t->fmax_lib_hz = t->paths[t->limiting].fmax_hz;
        t->fmax_node_hz = mp_timing_fmax_from(t->fmax_lib_hz, lib->node_nm,
                                              lib->vdd, t->node_nm, t->vdd);
    }
    return 0;
}

static const char *verdict(const mp_synth_timing *t)
{
    if (t->limiting < 0 || t->is_fpga || !isfinite(t->fmax_node_hz))
        return NULL;
    return t->fmax_node_hz >= t->clock_hz ? "met" : "NOT met";
}

void mp_synth_timing_table(FILE *fp, const mp_synth_timing *t)
{
    fprintf(fp, "timing        OpenSTA, each module alone (ideal clock and "
            "ports), %s netlist, %s\n", t->mapping, t->liberty);
    for (int i = 0; i < t->n; i++) {
        const mp_timing_path *p = &t->paths[i];
        if (!p->found) {
            fprintf(fp, "  %-4s %s: no constrained path\n",
                    t->role[i], p->module);
            continue;
        }
        fprintf(fp, "  %-4s %s: %s -> %s, %d levels, %.3f ns (arrival "
                "%.3f ns), %.1f MHz\n", t->role[i],
                p->module, p->start, p->end, p->levels, p->period_ns,
                p->arrival_ns, p->fmax_hz / 1e6);
    }
    if (t->limiting < 0) {
        fprintf(fp, "fmax          n/a (no timed path)\n");
        return;
    }
    fprintf(fp, "fmax          %.1f MHz at %g nm (limited by %s)",
            t->fmax_lib_hz / 1e6, t->lib_node_nm,
            t->paths[t->limiting].module);
    if (t->is_fpga)
        fprintf(fp, " = %.1f MHz as standard cells at %.0f nm, %.2f V "
                "(Stillmaker & Baas delay fit x%.4f); %s is an FPGA table: "
                "the FPGA's clock is the data sheet's, not this (no "
                "verdict)\n", t->fmax_node_hz / 1e6, t->node_nm, t->vdd,
                t->fmax_lib_hz / t->fmax_node_hz, t->tech);
    else
        fprintf(fp, " = %.1f MHz at %s (%.0f nm, %.2f V; Stillmaker & Baas "
                "delay fit x%.4f)\n", t->fmax_node_hz / 1e6, t->tech,
                t->node_nm, t->vdd, t->fmax_lib_hz / t->fmax_node_hz);
    const char *v = verdict(t);
    if (v)
        fprintf(fp, "clock         %.1f MHz: %s\n", t->clock_hz / 1e6, v);
}

void mp_synth_timing_json(mp_json *w, const mp_synth_timing *t)
{
    mp_json_object(w, "timing", MP_JSON_LINES);
    mp_json_array(w, "modules", MP_JSON_LINES);
    for (int i = 0; i < t->n; i++) {
        const mp_timing_path *p = &t->paths[i];
        mp_json_object(w, NULL, MP_JSON_FLOW);
        mp_json_str(w, "module", p->module);
        mp_json_str(w, "role", t->role[i]);
        mp_json_bool(w, "found", p->found);
        if (p->found) {
            mp_json_str(w, "start", p->start);
            mp_json_str(w, "end", p->end);
            mp_json_int(w, "levels", p->levels);
            mp_json_num(w, "arrival_ns", p->arrival_ns, MP_JSON_G6);
            mp_json_num(w, "period_ns", p->period_ns, MP_JSON_G6);
            mp_json_num(w, "fmax_hz", p->fmax_hz, MP_JSON_G6);
        }
        mp_json_end(w);
    }
    mp_json_end(w);
    mp_json_str(w, "limiting_module",
                t->limiting >= 0 ? t->paths[t->limiting].module : NULL);
    /* named by the library's node: fmax_180nm_hz on OSU 0.18 um */
    char key[48];
    snprintf(key, sizeof key, "fmax_%gnm_hz", t->lib_node_nm);
    mp_json_num(w, key, t->fmax_lib_hz, MP_JSON_G6);
    mp_json_str(w, "liberty", t->liberty);
    mp_json_str(w, "netlist", t->mapping);
    mp_json_str(w, "tech", t->tech);
    mp_json_num(w, "node_nm", t->node_nm, MP_JSON_G6);
    mp_json_num(w, "vdd", t->vdd, MP_JSON_G6);
    const char *v = verdict(t);
    if (v)
        mp_json_num(w, "fmax_hz", t->fmax_node_hz, MP_JSON_G6);
    else
        mp_json_null(w, "fmax_hz");
    if (t->is_fpga && t->limiting >= 0 && isfinite(t->fmax_node_hz))
        mp_json_num(w, "std_cells_fmax_at_node_hz", t->fmax_node_hz,
                    MP_JSON_G6);
    mp_json_num(w, "clock_hz", t->clock_hz, MP_JSON_G6);
    mp_json_tristate(w, "timing_ok", v ? v[0] == 'm' : -1);
    mp_json_end(w);
}
