/*
 * synth_timing.c - the timing section of `mpsim synth --timing`: OpenSTA
 * on the PE and edge-unit modules, fmax at 180 nm and at the arch's node;
 * see timing.h.
 */
#include "sim/synth/timing.h"

#include <math.h>
#include <string.h>

#include "sim/report.h"

static int timed(const mp_synth_result *r, int i, int pe)
{
    const mp_synth_module *m = &r->mods[i];
    if (!strcmp(m->name, r->top))
        return 0;
    return i == pe ||
           (m->parent >= 0 && !strcmp(r->mods[m->parent].name, r->top));
}

int mp_synth_timing_run(const mp_synth_result *r, int pe, const char *liberty,
                        const char *workdir, const mp_arch *a,
                        mp_synth_timing *t, mp_diag *d)
{
    memset(t, 0, sizeof *t);
    t->limiting = -1;
    for (int i = 0; i < r->nmods; i++) {
        if (!timed(r, i, pe))
            continue;
        if (t->n == MP_TIMING_MAX_MODULES)
            return mp_fail(d, workdir, 0, "timing", "more than %d modules "
                           "to time", MP_TIMING_MAX_MODULES);
        mp_timing_path *p = &t->paths[t->n];
        t->is_pe[t->n] = i == pe;
        if (mp_timing_module("netlist.v", liberty, r->mods[i].name, workdir,
                             p, d))
            return -1;
        if (p->found && (t->limiting < 0 ||
                         p->period_ns > t->paths[t->limiting].period_ns))
            t->limiting = t->n;
        t->n++;
    }
    snprintf(t->tech, sizeof t->tech, "%s", a->tech.name);
    t->node_nm = a->tech.node_nm;
    t->vdd = a->tech.vdd;
    t->is_fpga = a->tech.is_fpga;
    t->clock_hz = a->clock_hz;
    if (t->limiting >= 0) {
        t->fmax_180_hz = t->paths[t->limiting].fmax_hz;
        if (!t->is_fpga)
            t->fmax_node_hz = mp_timing_fmax_at(t->fmax_180_hz, t->node_nm,
                                                t->vdd);
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
            "ports), area-mapped netlist, OSU 0.18 um at 1.8 V\n");
    for (int i = 0; i < t->n; i++) {
        const mp_timing_path *p = &t->paths[i];
        if (!p->found) {
            fprintf(fp, "  %-4s %s: no constrained path\n",
                    t->is_pe[i] ? "pe" : "edge", p->module);
            continue;
        }
        fprintf(fp, "  %-4s %s: %s -> %s, %d levels, %.3f ns (arrival "
                "%.3f ns), %.1f MHz\n", t->is_pe[i] ? "pe" : "edge",
                p->module, p->start, p->end, p->levels, p->period_ns,
                p->arrival_ns, p->fmax_hz / 1e6);
    }
    if (t->limiting < 0) {
        fprintf(fp, "fmax          n/a (no timed path)\n");
        return;
    }
    fprintf(fp, "fmax          %.1f MHz at 180 nm (limited by %s)",
            t->fmax_180_hz / 1e6, t->paths[t->limiting].module);
    if (t->is_fpga)
        fprintf(fp, "; %s is an FPGA table: no node scaling\n", t->tech);
    else
        fprintf(fp, " = %.1f MHz at %s (%.0f nm, %.2f V; Stillmaker & Baas "
                "delay fit x%.4f)\n", t->fmax_node_hz / 1e6, t->tech,
                t->node_nm, t->vdd, t->fmax_180_hz / t->fmax_node_hz);
    const char *v = verdict(t);
    if (v)
        fprintf(fp, "clock         %.1f MHz: %s\n", t->clock_hz / 1e6, v);
}

void mp_synth_timing_json(FILE *fp, const mp_synth_timing *t)
{
    fprintf(fp, ",\n  \"timing\": {\n    \"modules\": [");
    for (int i = 0; i < t->n; i++) {
        const mp_timing_path *p = &t->paths[i];
        fprintf(fp, "%s\n      {\"module\": ", i ? "," : "");
        mp_json_string(fp, p->module);
        fprintf(fp, ", \"role\": \"%s\", \"found\": %s",
                t->is_pe[i] ? "pe" : "edge", p->found ? "true" : "false");
        if (p->found) {
            fprintf(fp, ", \"start\": ");
            mp_json_string(fp, p->start);
            fprintf(fp, ", \"end\": ");
            mp_json_string(fp, p->end);
            fprintf(fp, ", \"levels\": %d, \"arrival_ns\": %.6g, "
                    "\"period_ns\": %.6g, \"fmax_hz\": %.6g", p->levels,
                    p->arrival_ns, p->period_ns, p->fmax_hz);
        }
        fprintf(fp, "}");
    }
    fprintf(fp, "\n    ],\n    \"limiting_module\": ");
    if (t->limiting >= 0)
        mp_json_string(fp, t->paths[t->limiting].module);
    else
        fprintf(fp, "null");
    fprintf(fp, ",\n    \"fmax_180nm_hz\": %.6g,\n    \"tech\": ",
            t->fmax_180_hz);
    mp_json_string(fp, t->tech);
    fprintf(fp, ",\n    \"node_nm\": %g,\n    \"vdd\": %g,\n", t->node_nm,
            t->vdd);
    const char *v = verdict(t);
    if (v)
        fprintf(fp, "    \"fmax_hz\": %.6g,\n    \"clock_hz\": %.6g,\n"
                "    \"timing_ok\": %s\n  }", t->fmax_node_hz, t->clock_hz,
                v[0] == 'm' ? "true" : "false");
    else
        fprintf(fp, "    \"fmax_hz\": null,\n    \"clock_hz\": %.6g,\n"
                "    \"timing_ok\": null\n  }", t->clock_hz);
}
