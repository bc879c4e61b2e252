/*
 * cmd_synth.c - `mpsim synth`: synthesize an architecture's generated RTL
 * (or an RTL directory) with Yosys and compare with the simulator's area
 * model.
 *
 * ASIC: the model's PE area (pe_models cost() on the osu018 table, whose
 * primitive areas scripts/calibrate_area.sh synthesized with this flow;
 * mp_synth_model_tech()) is compared with the OSU 0.18 um cell area of
 * the synthesized PE module (the module instantiated rows x cols times) and
 * of the whole design.  The whole design also holds the operand buffers as
 * flip-flops and the controller, which the model prices as SRAM or not at
 * all, so the PE ratio is the like-for-like one.  A second line prices it
 * on the arch's own table scaled to 180 nm (mp_tech_scale_factor(),
 * Stillmaker & Baas): the check of the node scaling.  With another
 * library (--liberty, its node given with --liberty-node: liberty.h) the
 * model's figures are scaled to that library's node instead.
 * FPGA: LUT / FF / DSP counts of synth_xilinx against the model's per-PE
 * resources (the xcup tech table) x PEs plus its edge units.
 */
#include <ctype.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golden/outfile.h"
#include "golden/json.h"
#include "sim/cli/cli_util.h"
#include "sim/cli/commands.h"
#include "sim/cosim/cosim.h"
#include "sim/synth/liberty.h"
#include "sim/synth/power.h"
#include "sim/synth/synth.h"
#include "sim/synth/timing.h"
#include "sim/tech_load.h"

enum { OPT_RTL = 256, OPT_TARGET, OPT_LIBERTY, OPT_LIBERTY_NODE, OPT_WORKDIR,
       OPT_FORMAT, OPT_TIMING, OPT_TIMING_DRIVEN, OPT_POWER, OPT_NETLIST,
       OPT_TOP };

static const mp_option synth_own[] = {
    {"rtl", OPT_RTL, "DIR", "synthesize this RTL directory (mpsim rtl "
     "output)"},
    {"target", OPT_TARGET, "T", "asic (default) or xcup"},
    {"liberty", OPT_LIBERTY, "FILE", "liberty file (default: OSU 0.18 um "
     "from\nqflow-tech-osu018, see scripts/get_osu018.sh)"},
    {"liberty-node", OPT_LIBERTY_NODE, "NM", "the process node of a "
     "--liberty other than OSU\n0.18 um (required for one: fmax and the "
     "model's\nareas are scaled from it)"},
    {"timing", OPT_TIMING, NULL, "asic: also OpenSTA on the mapped netlist: "
     "the\ncritical path of the PE and of each edge unit\n(start, end, logic "
     "levels, delay), fmax at 180 nm\nand at the arch's node (Stillmaker & "
     "Baas delay\nfit), and whether the arch's clock is met"},
    {"timing-driven", OPT_TIMING_DRIVEN, NULL, "asic: map for speed, not "
     "area: ABC's fanout\nbuffering and gate sizing after its mapping (abc\n"
     "-constr; docs/validation.md \"Timing-driven\nmapping\"); area, "
     "netlist, --timing and --power\nare then of that netlist"},
    {"power", OPT_POWER, "A", "asic: also OpenSTA report_power of the same\n"
     "modules, each alone at the arch's clock, every\ninput toggling A times "
     "per clock (0..1, static\nprobability 0.5): internal, switching, "
     "leakage"},
    {"netlist", OPT_NETLIST, "FILE", "no synthesis: --timing / --power of "
     "module --top\nof this mapped netlist (its cells: --liberty's) at\nthe "
     "clock (and node) of --arch"},
    {"top", OPT_TOP, "MODULE", "the module of --netlist"},
    {"workdir", OPT_WORKDIR, "DIR", "keep the Yosys script, log and "
     "statistics here"},
    {"format", OPT_FORMAT, "F", "table (default) or json"},
    {"output", 'o', "FILE", "write the report to FILE (whole or not at all)"},
    {NULL, 0, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out,
        "usage: mpsim synth (--arch NAME|FILE.yaml | --rtl DIR [--arch A])\n"
        "                   [design options as for mpsim rtl] [--target asic|xcup]\n"
        "                   [--liberty FILE.lib [--liberty-node NM]] [--timing]\n"
        "                   [--timing-driven] [--power A]\n"
        "                   [--workdir DIR] [--format table|json] [-o FILE]\n"
        "       mpsim synth --netlist FILE --top MODULE --arch NAME|FILE.yaml\n"
        "                   (--timing | --power A)\n"
        "                   [--liberty FILE.lib [--liberty-node NM]]\n"
        "                   [--workdir DIR] [--format table|json] [-o FILE]\n\n"
        "Synthesize the generated RTL with Yosys 0.23 (hierarchy kept) and report\n"
        "cell area (OSU 0.18 um standard cells, or --liberty's at --liberty-node)\n"
        "and transistor count, or Xilinx\n"
        "UltraScale+ LUT/FF/DSP/BRAM counts, next to the simulator's area model\n"
        "(PE cost x PEs on the osu018 table of synthesized primitives, and on\n"
        "the arch's table scaled to 180 nm) and their ratios.  With --netlist,\n"
        "OpenSTA alone on one module of a netlist synthesized before (Yosys\n"
        "rewrites it first without assigns, which OpenSTA misreads).  The design\n"
        "options give the design mpsim rtl and mpsim cosim give.\n\n");
    mp_options_help(out, mp_cli_gen_options, MP_CLI_HELP_COL);
    mp_options_help(out, synth_own, MP_CLI_HELP_COL);
    mp_options_help(out, mp_cli_help_options, MP_CLI_HELP_COL);
}

/* The model's side of the comparison. */
typedef struct area_model {
    char tech[48];
    double node_nm;
    long pes;
    double pe_um2, edge_um2;      /* at the tech node                  */
    double lib_node_nm;           /* the library's node (OSU: 180)     */
    double scale_to_lib;          /* area factor node -> lib_node_nm   */
    double lut, ff, dsp;          /* FPGA: whole array + edge units     */
    char alt_tech[48];            /* ASIC: the arch's own table, node-  */
    double alt_pe, alt_edge;      /* scaled to lib_node_nm ("" if same) */
    char none[MP_DIAG_MSG_MAX];   /* why the model has no numbers, or "" */
} area_model;

/* ---- model ------------------------------------------------------------ */

static int model_area(mp_cosim_design *dz, mp_synth_target t,
                      double lib_node_nm, area_model *m, mp_diag *d)
{
    mp_arch *a = &dz->arch;
    memset(m, 0, sizeof *m);
    m->lib_node_nm = lib_node_nm;
    mp_tech other;
    const mp_tech *tech = &a->tech;
    int loaded = mp_synth_model_tech(&a->tech, t, &other, d);
    if (loaded < 0)
        return -1;
    if (loaded)
        tech = &other;
    mp_pe_cost cost;
    mp_edge_cost edge[MP_MAX_EDGE];
    mp_gemm_shape shape = {dz->hdr.m_tile, dz->hdr.n_tile, dz->hdr.k_max};
    mp_diag why;
    int rc = a->pe->cost(&a->pe_params, tech, &cost, &why);
    int nedge = rc ? -1
                   : a->pe->edge(&a->pe_params, tech, &shape, dz->rows,
                                 dz->cols, edge, &why);
    snprintf(m->tech, sizeof m->tech, "%s", tech->name);
    m->pes = (long)dz->rows * dz->cols;
    if (rc || nedge < 0) { /* a precision the model refuses: say why */
        snprintf(m->none, sizeof m->none, "%s", why.msg);
        rc = 0;
    } else {
        m->node_nm = tech->node_nm;
        m->pe_um2 = cost.area_um2;
        m->lut = cost.lut * (double)m->pes;
        m->ff = cost.ff * (double)m->pes;
        m->dsp = cost.dsp * (double)m->pes;
        for (int i = 0; i < nedge; i++) {
            m->edge_um2 += edge[i].area_um2;
            m->lut += edge[i].lut;
            m->ff += edge[i].ff;
            m->dsp += edge[i].dsp;
        }
        m->scale_to_lib = mp_tech_scale_factor(MP_SCALE_AREA, tech->node_nm,
                                               tech->vdd, lib_node_nm, 0);
        if (loaded && t == MP_SYNTH_ASIC && !a->tech.is_fpga &&
            !a->pe->cost(&a->pe_params, &a->tech, &cost, &why) &&
            (nedge = a->pe->edge(&a->pe_params, &a->tech, &shape, dz->rows,
                                 dz->cols, edge, &why)) >= 0) {
            double f = mp_tech_scale_factor(MP_SCALE_AREA, a->tech.node_nm,
                                            a->tech.vdd, lib_node_nm, 0);
            snprintf(m->alt_tech, sizeof m->alt_tech, "%s", a->tech.name);
            m->alt_pe = cost.area_um2 * f;
            for (int i = 0; i < nedge; i++)
                m->alt_edge += edge[i].area_um2 * f;
        }
    }
    if (loaded)
        mp_tech_free(&other);
    return rc;
}

/* ---- report ----------------------------------------------------------- */

static double ratio(double a, double b) { return b > 0 ? a / b : 0; }

static void report_table(FILE *fp, const mp_cosim_design *dz,
                         const mp_synth_result *r, const area_model *m,
                         const mp_liberty *lib)
{
    int pe = mp_synth_pe_module(r, m->pes);
    fprintf(fp, "design        %s (%s, %dx%d array, tile %dx%d, K_MAX %d)\n",
            dz->dir, dz->family, dz->rows, dz->cols, dz->hdr.m_tile,
            dz->hdr.n_tile, dz->hdr.k_max);
    fprintf(fp, "yosys         %.1f s, %ld cells, hierarchy kept\n",
            r->seconds, r->cells);
    if (r->target == MP_SYNTH_ASIC) {
        fprintf(fp, "%-40s %9s %8s %11s %11s\n", "module", "instances",
                "cells", "own_um2", "subtree_um2");
        for (int i = 0; i < r->nmods; i++)
            fprintf(fp, "%-40s %9ld %8ld %11.0f %11.0f\n", r->mods[i].name,
                    r->mods[i].instances, r->mods[i].cells,
                    r->mods[i].area_um2, r->mods[i].subtree_um2);
    } else { /* one instance with its submodules: a unit's resources */
        fprintf(fp, "%-40s %9s %8s %11s %11s %11s\n", "module",
                "instances", "cells", "subtree_lut", "subtree_ff",
                "subtree_dsp");
        for (int i = 0; i < r->nmods; i++)
            fprintf(fp, "%-40s %9ld %8ld %11ld %11ld %11ld\n",
                    r->mods[i].name, r->mods[i].instances, r->mods[i].cells,
                    r->mods[i].subtree_lut, r->mods[i].subtree_ff,
                    r->mods[i].subtree_dsp);
    }
    if (r->target == MP_SYNTH_ASIC) {
        double pe_lib = m->pe_um2 * m->scale_to_lib;
        double all_lib = (m->pe_um2 * (double)m->pes + m->edge_um2) *
                         m->scale_to_lib;
        fprintf(fp, "synth area    %.0f um2 (%s, %s netlist), %ld "
                "transistors\n", r->area_um2, lib->cells,
                mp_synth_map_name(r->map), r->transistors);
        if (r->std_cell_models[0])
            fprintf(fp, "primitives    %s synthesized from its behavioural "
                    "simulation model as standard cells: the design's "
                    "arithmetic as ASIC logic, NOT the FPGA's %s silicon "
                    "(FPGA resources: --target xcup; FPGA clock: the data "
                    "sheet's; FPGA power: the FPGA model's)\n",
                    r->std_cell_models, r->std_cell_models);
        if (m->none[0]) {
            fprintf(fp, "model         n/a on %s: %s\n", m->tech, m->none);
            return;
        }
        fprintf(fp, "model PE      %.1f um2 at %s (%.0f nm) = %.0f um2 at "
                "%g nm (x%.2f)\n", m->pe_um2, m->tech, m->node_nm, pe_lib,
                m->lib_node_nm, m->scale_to_lib);
        if (pe >= 0)
            fprintf(fp, "PE ratio      %.3f (synth %s %.0f um2 / model %.0f "
                    "um2)\n", ratio(r->mods[pe].subtree_um2, pe_lib),
                    r->mods[pe].name, r->mods[pe].subtree_um2, pe_lib);
        else
            fprintf(fp, "PE ratio      n/a (no module instantiated %ld "
                    "times)\n", m->pes);
        mp_synth_area sp = mp_synth_area_split(r, pe);
        double edge_lib = m->edge_um2 * m->scale_to_lib;
        fprintf(fp, "edge ratio    %.3f (synth outside the PEs and top "
                "own %.0f um2 / model edge units %.0f um2)\n",
                ratio(sp.edge, edge_lib), sp.edge, edge_lib);
        if (m->alt_tech[0])
            fprintf(fp, "node-scaled   %s -> %g nm: PE %.0f um2, ratio "
                    "%.3f; edge %.0f um2, ratio %.3f\n", m->alt_tech,
                    m->lib_node_nm, m->alt_pe,
                    pe >= 0 ? ratio(r->mods[pe].subtree_um2, m->alt_pe) : 0,
                    m->alt_edge, ratio(sp.edge, m->alt_edge));
        fprintf(fp, "top own       %.0f um2 (operand buffers as flip-flops, "
                "controller: not in the PE model)\n", sp.top_own);
        fprintf(fp, "array ratio   %.3f (synth %.0f um2 incl. buffers and "
                "control / model %ld PEs + edge units %.0f um2)\n",
                ratio(r->area_um2, all_lib), r->area_um2, m->pes, all_lib);
    } else {
        fprintf(fp, "synth         LUT %ld  FF %ld  DSP %ld  BRAM18 %ld  "
                "LUTRAM %ld  CARRY8 %ld\n", r->lut, r->ff, r->dsp, r->bram18,
                r->lutram, r->carry);
        if (m->none[0]) {
            fprintf(fp, "model         n/a on %s: %s\n", m->tech, m->none);
            return;
        }
        fprintf(fp, "model         LUT %.0f  FF %.0f  DSP %.0f (%ld PEs + "
                "edge units, %s)\n", m->lut, m->ff, m->dsp, m->pes, m->tech);
        fprintf(fp, "ratio         LUT %.3f  FF %.3f  DSP %.3f (synth / "
                "model)\n", ratio((double)r->lut, m->lut),
                ratio((double)r->ff, m->ff), ratio((double)r->dsp, m->dsp));
    }
}

typedef struct { const char *name; double v; } json_num;

static void json_nums(mp_json *w, const json_num *f, size_t n,
                      mp_json_prec prec)
{
    for (size_t i = 0; i < n; i++)
        mp_json_num(w, f[i].name, f[i].v, prec);
}

static void json_modules(mp_json *w, const mp_synth_result *r)
{
    mp_json_array(w, "modules", MP_JSON_LINES);
    for (int i = 0; i < r->nmods; i++) {
        mp_json_object(w, NULL, MP_JSON_FLOW);
        mp_json_str(w, "name", r->mods[i].name);
        mp_json_int(w, "instances", r->mods[i].instances);
        mp_json_int(w, "cells", r->mods[i].cells);
        mp_json_num(w, "area_um2", r->mods[i].area_um2, MP_JSON_F3);
        mp_json_num(w, "subtree_um2", r->mods[i].subtree_um2, MP_JSON_F3);
        if (r->target == MP_SYNTH_XCUP) {
            mp_json_int(w, "subtree_lut", r->mods[i].subtree_lut);
            mp_json_int(w, "subtree_ff", r->mods[i].subtree_ff);
            mp_json_int(w, "subtree_dsp", r->mods[i].subtree_dsp);
        }
        mp_json_end(w);
    }
    mp_json_end(w);
}

/* "NAME_NNNnm": a key naming the library's node (NAME_180nm on OSU) */
static const char *at_node(char *key, size_t cap, const char *name,
                           const area_model *m)
{
    snprintf(key, cap, "%s_%gnm", name, m->lib_node_nm);
    return key;
}

static void json_asic(mp_json *w, const mp_synth_result *r,
                      const area_model *m, const mp_liberty *lib, int pe)
{
    double pe_lib = m->pe_um2 * m->scale_to_lib;
    double all_lib = (m->pe_um2 * (double)m->pes + m->edge_um2) *
                     m->scale_to_lib;
    mp_synth_area sp = mp_synth_area_split(r, pe);
    double edge_lib = m->edge_um2 * m->scale_to_lib;
    char k_pe[48], k_edge[48], k_all[48];
    mp_json_str(w, "liberty", lib->label);
    mp_json_str(w, "netlist", mp_synth_map_name(r->map));
    mp_json_num(w, "area_um2", r->area_um2, MP_JSON_F3);
    mp_json_int(w, "transistors", r->transistors);
    if (r->std_cell_models[0]) /* not the FPGA silicon: see the table */
        mp_json_str(w, "std_cell_models", r->std_cell_models);
    const json_num areas[] = {
        {"synth_pes_um2", sp.pes}, {"synth_edge_um2", sp.edge},
        {"synth_top_own_um2", sp.top_own}, {"model_pe_um2", m->pe_um2},
        {at_node(k_pe, sizeof k_pe, "model_pe_um2", m), pe_lib},
        {at_node(k_edge, sizeof k_edge, "model_edge_um2", m), edge_lib},
        {at_node(k_all, sizeof k_all, "model_array_um2", m), all_lib},
    };
    json_nums(w, areas, sizeof areas / sizeof areas[0], MP_JSON_F3);
    const json_num ratios[] = {
        {"pe_ratio", pe >= 0 ? ratio(r->mods[pe].subtree_um2, pe_lib) : 0},
        {"edge_ratio", ratio(sp.edge, edge_lib)},
        {"array_ratio", ratio(r->area_um2, all_lib)},
    };
    json_nums(w, ratios, sizeof ratios / sizeof ratios[0], MP_JSON_G6);
    mp_json_str(w, "scaled_tech", m->alt_tech);
    const json_num scaled[] = {
        {"scaled_pe_ratio",
         pe >= 0 ? ratio(r->mods[pe].subtree_um2, m->alt_pe) : 0},
        {"scaled_edge_ratio", ratio(sp.edge, m->alt_edge)},
    };
    json_nums(w, scaled, sizeof scaled / sizeof scaled[0], MP_JSON_G6);
}

static void json_fpga(mp_json *w, const mp_synth_result *r,
                      const area_model *m)
{
    const struct { const char *name; long v; } used[] = {
        {"lut", r->lut}, {"ff", r->ff}, {"dsp", r->dsp},
        {"bram18", r->bram18}, {"lutram", r->lutram}, {"carry8", r->carry},
    };
    for (size_t i = 0; i < sizeof used / sizeof used[0]; i++)
        mp_json_int(w, used[i].name, used[i].v);
    const json_num model[] = {{"model_lut", m->lut}, {"model_ff", m->ff},
                              {"model_dsp", m->dsp}};
    json_nums(w, model, sizeof model / sizeof model[0], MP_JSON_F3);
    const json_num ratios[] = {
        {"lut_ratio", ratio((double)r->lut, m->lut)},
        {"ff_ratio", ratio((double)r->ff, m->ff)},
        {"dsp_ratio", ratio((double)r->dsp, m->dsp)},
    };
    json_nums(w, ratios, sizeof ratios / sizeof ratios[0], MP_JSON_G6);
}

static void report_json(FILE *fp, const mp_cosim_design *dz,
                        const mp_synth_result *r, const area_model *m,
                        const mp_liberty *lib, const mp_synth_timing *t,
                        const mp_synth_power *pw)
{
    int pe = mp_synth_pe_module(r, m->pes);
    mp_json w;
    mp_json_init(&w, fp);
    mp_json_object(&w, NULL, MP_JSON_LINES);
    mp_json_str(&w, "design", dz->dir);
    mp_json_str(&w, "family", dz->family);
    mp_json_int(&w, "rows", dz->rows);
    mp_json_int(&w, "cols", dz->cols);
    mp_json_int(&w, "k_max", dz->hdr.k_max);
    mp_json_str(&w, "target", r->target == MP_SYNTH_ASIC ? "asic" : "xcup");
    mp_json_num(&w, "seconds", r->seconds, MP_JSON_F3);
    mp_json_int(&w, "cells", r->cells);
    json_modules(&w, r);
    mp_json_str(&w, "pe_module", pe >= 0 ? r->mods[pe].name : NULL);
    mp_json_str(&w, "model_tech", m->tech);
    mp_json_int(&w, "pes", m->pes);
    mp_json_bool(&w, "model", !m->none[0]);
    if (r->target == MP_SYNTH_ASIC)
        json_asic(&w, r, m, lib, pe);
    else
        json_fpga(&w, r, m);
    if (t)
        mp_synth_timing_json(&w, t);
    if (pw)
        mp_synth_power_json(&w, pw);
    mp_json_end(&w);
}

/* ---- the command ------------------------------------------------------ */

typedef struct synth_cli {
    mp_cosim_gen gen;
    const char *rtl, *liberty, *workdir, *format, *out, *netlist, *top;
    mp_synth_target target;
    mp_synth_map map;      /* --timing-driven: MP_SYNTH_MAP_DELAY      */
    int timing;
    double power;          /* --power: input activity; < 0 none */
    double liberty_node;   /* --liberty-node; 0: not given       */
} synth_cli;

/* The OpenSTA sections a run asked for (NULL: not asked). */
typedef struct sta_sections {
    mp_synth_timing *timing;
    mp_synth_power *power;
} sta_sections;

static int run_sta(const synth_cli *c, const mp_sta_module *mods, int n,
                   const mp_sta_netlist *netlist, const mp_liberty *lib,
                   const char *work, const mp_arch *a, sta_sections *s,
                   mp_diag *d)
{
    memset(s, 0, sizeof *s);
    if (c->timing &&
        (!(s->timing = malloc(sizeof *s->timing)) ||
         mp_synth_timing_run(mods, n, netlist, lib, work, a, s->timing, d)))
        return s->timing ? -1
                         : mp_fail(d, MP_CMDLINE, 0, "--timing",
                                   "out of memory");
    if (c->power >= 0 &&
        (!(s->power = malloc(sizeof *s->power)) ||
         mp_synth_power_run(mods, n, netlist, lib, work, c->power,
                            a->clock_hz, s->power, d)))
        return s->power ? -1
                        : mp_fail(d, MP_CMDLINE, 0, "--power",
                                  "out of memory");
    return 0;
}

static void sta_tables(FILE *fp, const sta_sections *s)
{
    if (s->timing)
        mp_synth_timing_table(fp, s->timing);
    if (s->power)
        mp_synth_power_table(fp, s->power);
}

static int is_json(const synth_cli *c)
{
    return c->format && !strcmp(c->format, "json");
}

/* Synthesize the design (generated from --arch, or --rtl DIR) and report
 * it with the OpenSTA sections asked for. */
static int run_design(const synth_cli *c, const mp_liberty *lib,
                      const char *work, const char *cache, mp_diag *d)
{
    char gen[MP_DIAG_FILE_MAX + 32];
    const char *dir = mp_cli_design_dir(c->rtl, &c->gen, cache, "synthgen",
                                        gen, sizeof gen, d);
    if (!dir)
        return -1;
    mp_cosim_design dz;
    mp_synth_result r;
    area_model m;
    sta_sections s = {NULL, NULL};
    int rc = mp_cosim_design_read(dir, c->gen.arch, &dz, d);
    if (!rc)
        rc = model_area(&dz, c->target, lib->node_nm, &m, d);
    if (!rc)
        rc = mp_synth_run(&dz.src, c->target, c->map, lib, work, &r, d);
    if (!rc && (c->timing || c->power >= 0)) {
        mp_sta_module mods[MP_TIMING_MAX_MODULES];
        int n = mp_synth_sta_modules(&r, mp_synth_pe_module(&r, m.pes), mods,
                                     d);
        mp_sta_netlist nl = {"netlist.v", mp_synth_map_name(r.map)};
        rc = n < 0 ? -1
                   : run_sta(c, mods, n, &nl, lib, work, &dz.arch, &s, d);
    }
    if (!rc) {
        if (gen[0])
            snprintf(dz.dir, sizeof dz.dir, "%s", c->gen.arch);
        mp_outfile of;
        rc = mp_out_open(&of, c->out, d);
        if (!rc) {
            if (is_json(c))
                report_json(of.fp, &dz, &r, &m, lib, s.timing, s.power);
            else {
                report_table(of.fp, &dz, &r, &m, lib);
                sta_tables(of.fp, &s);
            }
            rc = mp_out_commit(&of, d);
        }
    }
    free(s.timing);
    free(s.power);
    mp_cosim_design_free(&dz);
    if (gen[0])
        mp_rmtree(gen);
    return rc;
}

/* 1 if the Verilog netlist at path declares `module NAME` (OpenSTA's
 * link_design of a missing module says only "no network has been
 * linked"). */
static int has_module(const char *path, const char *name)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    char line[512];
    size_t n = strlen(name);
    int found = 0;
    while (!found && fgets(line, sizeof line, fp)) {
        const char *s = line + strspn(line, " \t");
        found = !strncmp(s, "module ", 7) && !strncmp(s + 7, name, n) &&
                strchr(" \t(;\n", s[7 + n]);
    }
    fclose(fp);
    return found;
}

/* --netlist FILE --top MODULE: OpenSTA alone on that module (rewritten
 * by Yosys without assigns, mp_synth_sta_netlist), at the clock (and
 * node) of --arch. */
static int run_netlist(const synth_cli *c, const mp_liberty *lib,
                       const char *work, mp_diag *d)
{
    char netlist[PATH_MAX];
    if (!realpath(c->netlist, netlist) || access(netlist, R_OK))
        return mp_fail(d, c->netlist, 0, "--netlist", "cannot read the "
                       "netlist");
    if (!has_module(netlist, c->top))
        return mp_fail(d, c->netlist, 0, "--top", "no module '%s' in the "
                       "netlist", c->top);
    mp_arch a;
    if (mp_arch_open(c->gen.arch, "--arch", &a, d))
        return -1;
    mp_sta_module mod = {"", "top"};
    snprintf(mod.name, sizeof mod.name, "%s", c->top);
    sta_sections s = {NULL, NULL};
    /* OpenSTA times a copy in the form it reads (synth.h) */
    mp_sta_netlist nl = {"sta_netlist.v", "given"};
    int rc = mp_synth_sta_netlist(netlist, c->top, lib, work, nl.path, d);
    if (!rc)
        rc = run_sta(c, &mod, 1, &nl, lib, work, &a, &s, d);
    mp_outfile of;
    if (!rc && !(rc = mp_out_open(&of, c->out, d))) {
        if (is_json(c)) {
            mp_json w;
            mp_json_init(&w, of.fp);
            mp_json_object(&w, NULL, MP_JSON_LINES);
            mp_json_str(&w, "netlist", c->netlist);
            mp_json_str(&w, "module", c->top);
            mp_json_str(&w, "arch", c->gen.arch);
            if (s.timing)
                mp_synth_timing_json(&w, s.timing);
            if (s.power)
                mp_synth_power_json(&w, s.power);
            mp_json_end(&w);
        } else {
            fprintf(of.fp, "netlist       %s (module %s, clock and node of "
                    "%s)\n", c->netlist, c->top, c->gen.arch);
            sta_tables(of.fp, &s);
        }
        rc = mp_out_commit(&of, d);
    }
    free(s.timing);
    free(s.power);
    mp_arch_free(&a);
    return rc;
}

static int run(const synth_cli *c, mp_diag *d)
{
    char cache[MP_DIAG_FILE_MAX], work[MP_DIAG_FILE_MAX + 32];
    mp_liberty lib = {.node_nm = MP_LIBERTY_OSU_NODE_NM}; /* xcup: unused */
    mp_cosim_default_cache(cache, sizeof cache);
    if (c->target == MP_SYNTH_ASIC &&
        mp_liberty_find(&lib, c->liberty, c->liberty_node, "--liberty-node",
                        0, d))
        return -1;
    if (c->workdir)
        snprintf(work, sizeof work, "%s", c->workdir);
    else
        snprintf(work, sizeof work, "%s/synth-%d", cache, (int)getpid());
    int rc = c->netlist ? run_netlist(c, &lib, work, d)
                        : run_design(c, &lib, work, cache, d);
    if (!c->workdir)
        mp_rmtree(work);
    return rc;
}

/* A Verilog identifier (the module name goes into OpenSTA's Tcl). */
static int is_identifier(const char *s)
{
    if (!isalpha((unsigned char)*s) && *s != '_')
        return 0;
    while (*++s)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '$')
            return 0;
    return 1;
}

/* The checks of option combinations: 0, or 2 after one usage line. */
static int check_options(const synth_cli *c)
{
    const char *bad = NULL, *field = NULL;
    const mp_cosim_gen *g = &c->gen;
    if (c->top && !c->netlist)
        field = "--top", bad = "only with --netlist FILE";
    else if (c->netlist && c->rtl)
        field = "--netlist", bad = "not with --rtl (a netlist is synthesized "
                                   "already)";
    else if (c->netlist && !c->top)
        field = "--top", bad = "required with --netlist (the module to "
                               "analyse)";
    else if (c->netlist && !is_identifier(c->top))
        field = "--top", bad = "not a Verilog module name";
    else if (c->netlist && !g->arch)
        field = "--arch", bad = "required with --netlist (its clock and "
                                "node)";
    else if (c->netlist && mp_cosim_gen_overrides(g))
        field = "--netlist", bad = "takes no design option but --arch";
    else if (c->netlist && c->map == MP_SYNTH_MAP_DELAY)
        field = "--timing-driven", bad = "not with --netlist (a netlist "
                                         "is mapped already)";
    else if (c->netlist && !c->timing && c->power < 0)
        field = "--netlist", bad = "needs --timing or --power A";
    else if ((c->liberty || c->liberty_node) && c->target != MP_SYNTH_ASIC)
        field = c->liberty ? "--liberty" : "--liberty-node",
        bad = "only for the ASIC target (xcup maps to the FPGA's cells)";
    else if (c->liberty_node && !c->liberty)
        field = "--liberty-node", bad = "only with --liberty FILE (the "
                                        "node of that library)";
    else if (c->map == MP_SYNTH_MAP_DELAY && c->target != MP_SYNTH_ASIC)
        field = "--timing-driven", bad = "only for the ASIC target (ABC's "
                                         "buffering and sizing of cells)";
    else if ((c->timing || c->power >= 0) && c->target != MP_SYNTH_ASIC)
        field = c->timing ? "--timing" : "--power",
        bad = "OpenSTA needs the ASIC target (OSU 0.18 um cells)";
    if (!bad)
        return 0;
    fprintf(stderr, "mpsim: %s: %s: %s\n", MP_CMDLINE, field, bad);
    return 2;
}

int cmd_synth(int argc, char **argv)
{
    static const mp_option *const groups[] = {
        mp_cli_gen_options, synth_own, mp_cli_help_options, NULL};
    synth_cli c;
    memset(&c, 0, sizeof c);
    c.gen.group = -1;
    c.out = "-";
    c.target = MP_SYNTH_ASIC;
    c.power = -1;
    mp_diag d;
    memset(&d, 0, sizeof d);
    mp_cli_parser p;
    const mp_option *o;
    int opt, bad = 0;
    mp_cli_parser_init(&p, groups);
    while (!bad && (opt = mp_cli_next(&p, argc, argv, &o)) != -1) {
        int gen = mp_cli_gen_option(opt, optarg, MP_COSIM_DIM_MAX, &c.gen,
                                    &d);
        bad = gen < 0;
        switch (gen == 1 ? opt : 0) {
        case 0: break; /* a design option (mp_cli_gen_option) */
        case OPT_RTL: c.rtl = optarg; break;
        case OPT_TARGET:
            if (mp_synth_target_parse(optarg, &c.target)) {
                fprintf(stderr, "mpsim: %s: --target: unknown target '%s' "
                        "(asic|xcup)\n", MP_CMDLINE, optarg);
                return 2;
            }
            break;
        case OPT_LIBERTY: c.liberty = optarg; break;
        case OPT_LIBERTY_NODE:
            bad = mp_cli_double(optarg, "--liberty-node", MP_LIBERTY_NODE_MIN,
                                MP_LIBERTY_NODE_MAX, &c.liberty_node, &d) < 0;
            break;
        case OPT_WORKDIR: c.workdir = optarg; break;
        case OPT_FORMAT: c.format = optarg; break;
        case OPT_TIMING: c.timing = 1; break;
        case OPT_TIMING_DRIVEN: c.map = MP_SYNTH_MAP_DELAY; break;
        case OPT_POWER:
            bad = mp_cli_double(optarg, "--power", 0, MP_POWER_ACTIVITY_MAX,
                                &c.power, &d) < 0;
            break;
        case OPT_NETLIST: c.netlist = optarg; break;
        case OPT_TOP: c.top = optarg; break;
        case 'o': c.out = optarg; break;
        case 'h': usage(stdout); return 0;
        default: return mp_cli_bad_option(opt, "synth", argv);
        }
    }
    if (bad) {
        mp_diag_print(&d, stderr);
        return 1;
    }
    if (mp_cli_no_extra_args(argc, argv, optind))
        return 2;
    if (!c.gen.arch && !c.rtl && !c.netlist)
        return mp_cli_missing("--arch", "or --rtl DIR", "synth");
    if (mp_cli_gen_not_with_rtl(c.rtl, &c.gen))
        return 2;
    if (mp_cli_table_or_json(c.format))
        return 2;
    if (check_options(&c))
        return 2;
    if (run(&c, &d)) {
        mp_diag_print(&d, stderr);
        return 1;
    }
    return 0;
}
