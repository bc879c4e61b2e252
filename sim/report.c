/* report.c - see report.h. */
#include "sim/report.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "golden/outfile.h"

int mp_report_fmt_parse(const char *name, mp_report_fmt *out)
{
    static const struct { const char *n; mp_report_fmt f; } tab[] = {
        {"table", MP_FMT_TABLE}, {"csv", MP_FMT_CSV}, {"json", MP_FMT_JSON},
        {"scalesim", MP_FMT_SCALESIM}};
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (!strcmp(name, tab[i].n)) {
            *out = tab[i].f;
            return 0;
        }
    return -1;
}

/* "compute" or "memory"; vector ops are bound by the vector unit, i.e.
 * compute (their kind says "vector"). */
static const char *bound_name(const mp_layer *L)
{
    return L->memory_bound ? "memory" : "compute";
}

static const char *kind_name(mp_op_kind k)
{
    switch (k) {
    case MP_OP_GEMM_WEIGHT: return "gemm_weight";
    case MP_OP_GEMM_ACT: return "gemm_act";
    default: return "vector";
    }
}

/* ---- JSON ------------------------------------------------------------- */

static void json_energy(mp_json *w, const mp_energy *e)
{
    mp_json_break(w);
    mp_json_num(w, "energy_pj", e->total, MP_JSON_EXACT);
    mp_json_break(w);
    mp_json_object(w, "energy_breakdown_pj", MP_JSON_FLOW);
    const struct { const char *name; double pj; } parts[] = {
        {"pe", e->pe}, {"edge", e->edge}, {"vector", e->vector},
        {"sram", e->sram}, {"dram", e->dram}, {"leakage", e->leakage},
    };
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        mp_json_num(w, parts[i].name, parts[i].pj, MP_JSON_EXACT);
    mp_json_end(w);
}

/* The two figures pe.energy gate-level may take from gate level. */
enum { SRC_PE, SRC_EDGE };
static const char *const src_key[] = {"pe_energy_source",
                                       "edge_energy_source"};

/* What a layer's PE (SRC_PE) or edge-unit (SRC_EDGE) energy comes from
 * (sim/energy_cal.h): NULL when the arch keeps the model's (pe.energy
 * model: nothing printed); "" for a vector op, which runs no PE, and for
 * the edge units of a layer without any (JSON null, CSV empty). */
static const char *layer_source(const mp_arch *a, const mp_layer *L,
                                int part)
{
    const char *src = part == SRC_PE ? mp_energy_source(a, L->pe_act)
                                     : mp_energy_edge_source(a, L->pe_act);
    if (src && (L->kind == MP_OP_VECTOR ||
                (part == SRC_EDGE && !(L->e.edge > 0))))
        return "";
    return src;
}

/* The arch's sources (its default precision's), NULL as above. */
static const char *arch_source(const mp_arch *a, int part)
{
    return part == SRC_PE ? mp_energy_source(a, a->pe_params.act)
                          : mp_energy_edge_source(a, a->pe_params.act);
}

/* The dataflow a layer used, printed when the arch searches it. */
static const char *layer_df(const mp_layer *L)
{
    return L->kind == MP_OP_VECTOR ? "-" : mp_dataflow_name(L->dataflow);
}

/* name: value pairs of one row of a record */
typedef struct { const char *name; double v; } json_num;
typedef struct { const char *name; int64_t v; } json_int;
#define COUNT(a) (sizeof (a) / sizeof (a)[0])

static void json_nums(mp_json *w, const json_num *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mp_json_num(w, f[i].name, f[i].v, MP_JSON_EXACT);
}

static void json_ints(mp_json *w, const json_int *f, size_t n)
{
    for (size_t i = 0; i < n; i++)
        mp_json_int(w, f[i].name, f[i].v);
}

/* The array a layer ran on, as sim/simulate.c routed it. */
static const char *layer_array(const mp_layer *L)
{
    return L->on_attention ? "attention" : "main";
}

static void json_layer(mp_json *w, const mp_arch *a, const mp_layer *L,
                       int show_df)
{
    mp_json_object(w, NULL, MP_JSON_ROWS);
    mp_json_str(w, "name", L->name);
    if (show_df)
        mp_json_str(w, "dataflow", layer_df(L));
    mp_json_break(w);
    mp_json_str(w, "kind", kind_name(L->kind));
    if (a->attn_pe)
        mp_json_str(w, "array", layer_array(L));
    const json_int shape[] = {{"m", L->m}, {"n", L->n}, {"k", L->k},
                              {"repeat", L->repeat}};
    json_ints(w, shape, COUNT(shape));
    mp_json_break(w);
    mp_json_num(w, "macs", L->macs, MP_JSON_EXACT);
    const json_int cycles[] = {
        {"folds", L->folds}, {"cycles", L->cycles},
        {"compute_cycles", L->compute_cycles},
        {"edge_cycles", L->edge_cycles},
        {"vector_cycles", L->vector_cycles},
        {"stall_cycles", L->stall_cycles},
    };
    json_ints(w, cycles, COUNT(cycles));
    mp_json_break(w);
    const json_num time[] = {{"seconds", L->seconds}, {"util", L->util},
                             {"peak_macs_per_cycle", L->peak_macs_per_cycle}};
    json_nums(w, time, COUNT(time));
    mp_json_str(w, "bound", bound_name(L));
    mp_json_break(w);
    const json_num bytes[] = {
        {"dram_read_bytes", L->dram_read_bytes},
        {"dram_write_bytes", L->dram_write_bytes},
        {"sram_read_bytes", L->sram_read_bytes},
        {"sram_write_bytes", L->sram_write_bytes},
    };
    json_nums(w, bytes, COUNT(bytes));
    json_energy(w, &L->e);
    for (int part = SRC_PE; part <= SRC_EDGE; part++) {
        const char *src = layer_source(a, L, part);
        if (!src)
            continue;
        if (part == SRC_PE)
            mp_json_break(w);
        if (src[0])
            mp_json_str(w, src_key[part], src);
        else
            mp_json_null(w, src_key[part]);
    }
    mp_json_end(w);
}

static void json_arch(mp_json *w, const mp_arch *a, const mp_run *r)
{
    char dfl[32];
    mp_json_object(w, "arch", MP_JSON_FLOW);
    mp_json_str(w, "name", a->name);
    mp_json_str(w, "pe", a->pe ? a->pe->name : a->pe_name);
    const json_int size[] = {{"rows", a->rows}, {"cols", a->cols},
                             {"cores", a->cores}};
    json_ints(w, size, COUNT(size));
    mp_json_str(w, "dataflow", mp_arch_dataflow_label(a, dfl, sizeof dfl));
    mp_json_num(w, "clock_hz", a->clock_hz, MP_JSON_EXACT);
    mp_json_num(w, "peak_macs_per_cycle", r->peak_macs_per_cycle,
                MP_JSON_EXACT);
    mp_json_str(w, "tech", a->tech_name);
    if (r->timing_checked && r->timing_known) {
        mp_json_num(w, "fmax_hz", r->fmax_hz, MP_JSON_EXACT);
        mp_json_bool(w, "timing_ok", r->timing_ok);
    } else if (r->timing_checked) {
        mp_json_null(w, "fmax_hz");
        mp_json_null(w, "timing_ok");
    }
    if (arch_source(a, SRC_PE)) {
        mp_json_str(w, "pe_energy", "gate-level");
        for (int part = SRC_PE; part <= SRC_EDGE; part++)
            mp_json_str(w, src_key[part], arch_source(a, part));
    }
    if (a->attn_pe) {
        mp_json_object(w, "attention", MP_JSON_FLOW);
        mp_json_str(w, "pe", a->attn_pe->name);
        const json_int attn[] = {{"rows", a->attn_rows},
                                 {"cols", a->attn_cols},
                                 {"cores", a->attn_cores}};
        json_ints(w, attn, COUNT(attn));
        mp_json_end(w);
    }
    mp_json_end(w);
}

/* true / false, or null when the capacity is not known (<= 0) */
static int fits(double capacity, int exceeded)
{
    return capacity <= 0 ? -1 : !exceeded;
}

static void json_total(mp_json *w, const mp_run *r)
{
    mp_json_object(w, "total", MP_JSON_ROWS);
    const json_num run[] = {{"macs", r->macs}, {"cycles", r->cycles},
                            {"latency_s", r->latency_s}, {"util", r->util}};
    json_nums(w, run, COUNT(run));
    json_energy(w, &r->e);
    mp_json_break(w);
    const json_num area[] = {
        {"area_mm2", r->area_mm2}, {"pe_area_mm2", r->pe_area_mm2},
        {"edge_area_mm2", r->edge_area_mm2},
        {"sram_area_mm2", r->sram_area_mm2},
    };
    json_nums(w, area, COUNT(area));
    if (r->attn_area_mm2 > 0) /* an attention array (ASIC) */
        mp_json_num(w, "attention_area_mm2", r->attn_area_mm2, MP_JSON_EXACT);
    if (r->is_fpga) {
        mp_json_break(w);
        mp_json_object(w, "fpga", MP_JSON_FLOW);
        const json_num fpga[] = {{"dsp", r->dsp}, {"lut", r->lut},
                                 {"ff", r->ff}, {"bram", r->bram},
                                 {"uram", r->uram}};
        json_nums(w, fpga, COUNT(fpga));
        mp_json_end(w);
    }
    mp_json_break(w);
    mp_json_int(w, "pes", r->pes);
    mp_json_num(w, "dram_bytes", r->dram_bytes, MP_JSON_EXACT);
    mp_json_int(w, "tokens", r->tokens);
    const json_num tokens[] = {{"tokens_per_s", r->tokens_per_s},
                               {"tokens_per_j", r->tokens_per_j}};
    json_nums(w, tokens, COUNT(tokens));
    mp_json_break(w);
    const json_num tops[] = {{"tops", r->tops}, {"tops_per_w", r->tops_per_w},
                             {"tops_per_mm2", r->tops_per_mm2}};
    json_nums(w, tops, COUNT(tops));
    mp_json_break(w);
    mp_json_int(w, "compute_bound_layers", r->compute_layers);
    mp_json_int(w, "memory_bound_layers", r->memory_layers);
    mp_json_break(w);
    mp_json_object(w, "capacity", MP_JSON_FLOW);
    const json_num bytes[] = {
        {"weight_store_bytes", r->weight_store_bytes},
        {"kv_cache_bytes", r->kv_cache_bytes},
        {"activation_bytes", r->activation_bytes},
        {"capacity_bytes", r->capacity_bytes},
    };
    json_nums(w, bytes, COUNT(bytes));
    mp_json_tristate(w, "fits", fits(r->capacity_bytes,
                                     r->capacity_exceeded));
    mp_json_num(w, "onchip_capacity_bytes", r->onchip_capacity_bytes,
                MP_JSON_EXACT);
    mp_json_tristate(w, "onchip_fits", fits(r->onchip_capacity_bytes,
                                            r->onchip_exceeded));
    mp_json_end(w);
    mp_json_end(w);
}

static void write_json(FILE *fp, const mp_arch *a, const char *workload,
                       const mp_run *r)
{
    mp_json w;
    mp_json_init(&w, fp);
    mp_json_object(&w, NULL, MP_JSON_LINES);
    json_arch(&w, a, r);
    mp_json_str(&w, "workload", workload);
    mp_json_array(&w, "layers", MP_JSON_LINES);
    for (size_t i = 0; i < r->count; i++)
        json_layer(&w, a, &r->layers[i], a->dataflow_auto != 0);
    mp_json_end(&w);
    json_total(&w, r);
    mp_json_end(&w);
}

/* ---- CSV -------------------------------------------------------------- */

static void csv_field(FILE *fp, const char *s)
{
    if (!strpbrk(s, ",\"\n")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

/* ",SOURCE" when there is one */
static void csv_source(FILE *fp, const char *src)
{
    if (!src)
        return;
    fputc(',', fp);
    csv_field(fp, src);
}

/* One row per trace op: figures of ONE instance (suffix _per_instance;
 * util and bound are ratios/labels of that instance), then the op's
 * figures over all its repeats (suffix _total); a last row "total" holds
 * the run's totals, so summing a _total column gives the total row.  With
 * dataflow: auto a last column names the dataflow each op was mapped with. */
static void write_csv(FILE *fp, const mp_arch *a, const mp_run *r)
{
    static const char *const per[] = {"macs", "folds", "cycles",
        "compute_cycles", "edge_cycles", "vector_cycles", "stall_cycles",
        "seconds"};
    static const char *const per2[] = {"dram_read_bytes", "dram_write_bytes",
        "sram_read_bytes", "sram_write_bytes", "energy_pj", "pe_pj",
        "edge_pj", "vector_pj", "sram_pj", "dram_pj", "leakage_pj"};
    fprintf(fp, "layer,kind,m,n,k,repeat");
    for (size_t i = 0; i < sizeof per / sizeof per[0]; i++)
        fprintf(fp, ",%s_per_instance", per[i]);
    fprintf(fp, ",util,bound");
    for (size_t i = 0; i < sizeof per2 / sizeof per2[0]; i++)
        fprintf(fp, ",%s_per_instance", per2[i]);
    /* pe.energy gate-level: last columns name each row's PE and edge
     * energy sources (the total row: the arch's default precision's) */
    const char *src = arch_source(a, SRC_PE);
    fprintf(fp, ",macs_total,cycles_total,seconds_total,dram_read_bytes_total,"
                "dram_write_bytes_total,energy_pj_total,peak_macs_per_cycle%s%s"
                "%s\n",
            a->dataflow_auto ? ",dataflow" : "",
            src ? ",pe_energy_source,edge_energy_source" : "",
            a->attn_pe ? ",array" : "");
    double rd = 0, wr = 0;
    for (size_t i = 0; i < r->count; i++) {
        const mp_layer *L = &r->layers[i];
        double rep = (double)L->repeat;
        csv_field(fp, L->name);
        fprintf(fp, ",%s,%lld,%lld,%lld,%lld,%.17g,%lld,%lld,%lld,%lld,%lld,"
                    "%lld,%.17g,%.17g,%s,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,"
                    "%.17g,%.17g,%.17g,%.17g,%.17g",
                kind_name(L->kind), (long long)L->m, (long long)L->n,
                (long long)L->k, (long long)L->repeat, L->macs,
                (long long)L->folds, (long long)L->cycles,
                (long long)L->compute_cycles, (long long)L->edge_cycles,
                (long long)L->vector_cycles, (long long)L->stall_cycles,
                L->seconds, L->util, bound_name(L), L->dram_read_bytes,
                L->dram_write_bytes, L->sram_read_bytes, L->sram_write_bytes,
                L->e.total, L->e.pe, L->e.edge, L->e.vector, L->e.sram,
                L->e.dram, L->e.leakage);
        fprintf(fp, ",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g",
                L->macs * rep, (double)L->cycles * rep, L->seconds * rep,
                L->dram_read_bytes * rep, L->dram_write_bytes * rep,
                L->e.total * rep, L->peak_macs_per_cycle);
        fprintf(fp, "%s%s", a->dataflow_auto ? "," : "",
                a->dataflow_auto ? layer_df(L) : "");
        csv_source(fp, layer_source(a, L, SRC_PE));
        csv_source(fp, layer_source(a, L, SRC_EDGE));
        if (a->attn_pe)
            fprintf(fp, ",%s", layer_array(L));
        fputc('\n', fp);
        rd += L->dram_read_bytes * rep;
        wr += L->dram_write_bytes * rep;
    }
    fprintf(fp, "total,,,,,");
    for (size_t i = 0; i < sizeof per / sizeof per[0] + 2 +
                           sizeof per2 / sizeof per2[0]; i++)
        fputc(',', fp);
    fprintf(fp, ",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g%s", r->macs,
            r->cycles, r->latency_s, rd, wr, r->e.total,
            r->peak_macs_per_cycle, a->dataflow_auto ? "," : "");
    csv_source(fp, src);
    csv_source(fp, arch_source(a, SRC_EDGE));
    if (a->attn_pe)
        fputc(',', fp); /* the total spans both arrays */
    fputc('\n', fp);
}

/* ---- SCALE-Sim COMPUTE_REPORT ------------------------------------------ */

/* SCALE-Sim v2 reports as Total Cycles the cycle index at which the last
 * output row is written (memory/double_buffered_scratchpad_mem.py:
 * total_cycles = last serviced OFMAP cycle), i.e. one less than the
 * number of cycles mpsim counts; Overall Util divides by that figure. */
static void write_scalesim(FILE *fp, const mp_arch *a, const mp_run *r)
{
    fprintf(fp, "LayerID, Total Cycles, Stall Cycles, Overall Util %%, "
                "Mapping Efficiency %%, Compute Util %%,\n");
    double pes = (double)a->rows * a->cols * a->cores;
    for (size_t i = 0; i < r->count; i++) {
        const mp_layer *L = &r->layers[i];
        int64_t total = L->cycles > 0 ? L->cycles - 1 : 0;
        double overall = total > 0
            ? 100.0 * L->macs / ((double)total * pes) : 0;
        fprintf(fp, "%zu, %lld, %lld, %.6f, %.6f, %.6f,\n", i,
                (long long)total, (long long)L->stall_cycles, overall,
                100.0 * L->mapping_eff, 100.0 * L->compute_util);
    }
}

/* ---- table ------------------------------------------------------------ */

/* pe.energy gate-level: "pe energy: SOURCE: N layers; ..." and "edge
 * energy: ..." once per distinct source of the layers that have that
 * part, in order of first use */
static void table_sources(FILE *fp, const mp_arch *a, const mp_run *r,
                          int part)
{
    if (!arch_source(a, part))
        return;
    fprintf(fp, "%s energy:", part == SRC_PE ? "pe" : "edge");
    const char *sep = " ";
    for (size_t i = 0; i < r->count; i++) {
        const char *src = layer_source(a, &r->layers[i], part);
        if (!src[0])
            continue; /* a vector op: no PE; a layer without edge units */
        int seen = 0, n = 0;
        for (size_t j = 0; j < r->count; j++) {
            const char *other = layer_source(a, &r->layers[j], part);
            seen |= j < i && !strcmp(other, src);
            n += !strcmp(other, src);
        }
        if (!seen) {
            fprintf(fp, "%s%s: %d layer%s", sep, src, n, n == 1 ? "" : "s");
            sep = "; ";
        }
    }
    fprintf(fp, "%s\n", sep[0] == ' ' ? " none" : "");
}

static void write_table(FILE *fp, const mp_arch *a, const char *workload,
                        const mp_run *r)
{
    char dfl[32];
    fprintf(fp, "arch %s: %s %dx%d x%d cores, %s, %.0f MHz, peak %.0f "
                "MACs/cycle\n",
            a->name, a->pe ? a->pe->name : a->pe_name, a->rows, a->cols,
            a->cores, mp_arch_dataflow_label(a, dfl, sizeof dfl),
            a->clock_hz / 1e6, r->peak_macs_per_cycle);
    if (a->attn_pe)
        fprintf(fp, "attention array: %s %dx%d x%d cores, runs the "
                    "activation x activation GEMMs (rows marked *)\n",
                a->attn_pe->name, a->attn_rows, a->attn_cols, a->attn_cores);
    fprintf(fp, "workload %s\n\n", workload);
    /* the name column is as wide as the longest name: never truncated */
    int w = 5;
    for (size_t i = 0; i < r->count; i++)
        if ((int)strlen(r->layers[i].name) > w)
            w = (int)strlen(r->layers[i].name);
    fprintf(fp, "%-*s %7s %7s %7s %6s %14s %6s %-7s %11s %11s%s\n", w, "layer",
            "m", "n", "k", "repeat", "cycles", "util%", "bound", "DRAM MB",
            "energy uJ", a->dataflow_auto ? " dataflow" : "");
    for (size_t i = 0; i < r->count; i++) {
        const mp_layer *L = &r->layers[i];
        fprintf(fp, "%-*s %7lld %7lld %7lld %6lld %14lld %6.1f %-7s "
                    "%11.3f %11.3f",
                w, L->name, (long long)L->m, (long long)L->n, (long long)L->k,
                (long long)L->repeat, (long long)L->cycles, 100.0 * L->util,
                bound_name(L),
                (L->dram_read_bytes + L->dram_write_bytes) / 1e6,
                L->e.total * 1e-6);
        fprintf(fp, "%s%s%s\n", a->dataflow_auto ? " " : "",
                a->dataflow_auto ? layer_df(L) : "",
                L->on_attention ? " *" : "");
    }
    fprintf(fp, "\ntotal: %.0f cycles, latency %.6f ms, energy %.6f mJ "
                "(pe %.3f, edge %.3f, vector %.3f, sram %.3f, dram %.3f, "
                "leakage %.3f)\n",
            r->cycles, r->latency_s * 1e3, r->e.total * 1e-9, r->e.pe * 1e-9,
            r->e.edge * 1e-9, r->e.vector * 1e-9, r->e.sram * 1e-9,
            r->e.dram * 1e-9, r->e.leakage * 1e-9);
    table_sources(fp, a, r, SRC_PE);
    table_sources(fp, a, r, SRC_EDGE);
    if (r->is_fpga)
        fprintf(fp, "resources: %.0f DSP, %.0f LUT, %.0f FF, %.1f BRAM, "
                    "%.1f URAM\n", r->dsp, r->lut, r->ff, r->bram, r->uram);
    else if (r->sram_area_mm2 > 0)
        fprintf(fp, "area: %.4f mm^2 (PEs %.4f, edge %.4f, SRAM %.4f)\n",
                r->area_mm2, r->pe_area_mm2, r->edge_area_mm2,
                r->sram_area_mm2);
    else /* no sourced SRAM density in the tech tables: say so */
        fprintf(fp, "area: %.4f mm^2 (PEs %.4f, edge %.4f; SRAM not "
                    "included: buffers.area_mm2 not given)\n",
                r->area_mm2, r->pe_area_mm2, r->edge_area_mm2);
    if (r->attn_area_mm2 > 0)
        fprintf(fp, "of which the attention array: %.4f mm^2 (its PEs and "
                    "edge units)\n", r->attn_area_mm2);
    fprintf(fp, "throughput: %.3f TOPS, %.3f TOPS/W, %.3f TOPS/mm^2; "
                "%lld tokens, %.3f tokens/s, %.3f tokens/J\n",
            r->tops, r->tops_per_w, r->tops_per_mm2, (long long)r->tokens,
            r->tokens_per_s, r->tokens_per_j);
    fprintf(fp, "layers: %d compute-bound, %d memory-bound\n",
            r->compute_layers, r->memory_layers);
    fprintf(fp, "utilisation: %.1f%% of the peak at each layer's precision "
                "(nominal peak %.0f MACs/cycle at the arch's default "
                "precision)\n", 100.0 * r->util, r->peak_macs_per_cycle);
    if (r->onchip_capacity_bytes > 0)
        fprintf(fp, "on chip: weights %.3f MB in a %.3f MB weight buffer: "
                    "%s\n", r->weight_store_bytes / 1e6,
                r->onchip_capacity_bytes / 1e6,
                r->onchip_exceeded ? "EXCEEDS CAPACITY (figures assume it "
                                     "fits)" : "fits");
    double wgt = r->onchip_capacity_bytes > 0 ? 0 : r->weight_store_bytes;
    double need = wgt + r->kv_cache_bytes + r->activation_bytes;
    fprintf(fp, "memory: weights %.3f GB + KV cache %.3f GB + activations "
                "%.3f GB = %.3f GB; ", wgt / 1e9, r->kv_cache_bytes / 1e9,
            r->activation_bytes / 1e9, need / 1e9);
    if (r->capacity_bytes > 0)
        fprintf(fp, "%s %.3f GB: %s\n", a->dram.kind, r->capacity_bytes / 1e9,
                r->capacity_exceeded ? "EXCEEDS CAPACITY (figures assume it "
                                       "fits)" : "fits");
    else
        fprintf(fp, "%s capacity not given in the arch (not checked)\n",
                a->dram.kind);
}

void mp_report_write(FILE *fp, mp_report_fmt fmt, const mp_arch *a,
                     const char *workload, const mp_run *r)
{
    switch (fmt) {
    case MP_FMT_JSON: write_json(fp, a, workload, r); break;
    case MP_FMT_CSV: write_csv(fp, a, r); break;
    case MP_FMT_SCALESIM: write_scalesim(fp, a, r); break;
    default: write_table(fp, a, workload, r); break;
    }
}

/* ---- every printed figure is finite ------------------------------------ */

typedef struct figure { const char *name; double v; } figure;

static int check_figures(const mp_arch *a, const char *where,
                         const figure *f, size_t n, mp_diag *d)
{
    char field[MP_DIAG_FIELD_MAX];
    for (size_t i = 0; i < n; i++)
        if (!isfinite(f[i].v)) {
            snprintf(field, sizeof field, "%.60s.%.30s", where, f[i].name);
            return mp_fail(d, a->file, 0, field, "is %g: the architecture's "
                           "figures (clock_hz, bandwidths, energies) are too "
                           "extreme to report", f[i].v);
        }
    return 0;
}

static int check_energy(const mp_arch *a, const char *where,
                        const mp_energy *e, mp_diag *d)
{
    const figure f[] = {{"energy_pj", e->total}, {"pe_pj", e->pe},
                        {"edge_pj", e->edge}, {"vector_pj", e->vector},
                        {"sram_pj", e->sram}, {"dram_pj", e->dram},
                        {"leakage_pj", e->leakage}};
    return check_figures(a, where, f, sizeof f / sizeof *f, d);
}

int mp_report_check(const mp_arch *a, const mp_run *r, mp_diag *d)
{
    char where[80];
    for (size_t i = 0; i < r->count; i++) {
        const mp_layer *L = &r->layers[i];
        snprintf(where, sizeof where, "%s", L->name);
        const figure f[] = {
            {"macs", L->macs}, {"seconds", L->seconds}, {"util", L->util},
            {"mapping_eff", L->mapping_eff},
            {"compute_util", L->compute_util},
            {"dram_read_bytes", L->dram_read_bytes},
            {"dram_write_bytes", L->dram_write_bytes},
            {"sram_read_bytes", L->sram_read_bytes},
            {"sram_write_bytes", L->sram_write_bytes}};
        if (check_figures(a, where, f, sizeof f / sizeof *f, d) ||
            check_energy(a, where, &L->e, d))
            return -1;
    }
    const figure t[] = {
        {"clock_hz", a->clock_hz}, {"macs", r->macs}, {"cycles", r->cycles},
        {"latency_s", r->latency_s}, {"dram_bytes", r->dram_bytes},
        {"peak_macs_per_cycle", r->peak_macs_per_cycle},
        {"area_mm2", r->area_mm2}, {"pe_area_mm2", r->pe_area_mm2},
        {"edge_area_mm2", r->edge_area_mm2},
        {"sram_area_mm2", r->sram_area_mm2}, {"dsp", r->dsp},
        {"lut", r->lut}, {"ff", r->ff}, {"bram", r->bram},
        {"uram", r->uram}, {"tokens_per_s", r->tokens_per_s},
        {"tokens_per_j", r->tokens_per_j}, {"tops", r->tops},
        {"tops_per_w", r->tops_per_w}, {"tops_per_mm2", r->tops_per_mm2}};
    return check_figures(a, "total", t, sizeof t / sizeof *t, d) ||
           check_energy(a, "total", &r->e, d) ? -1 : 0;
}

int mp_report_save(const char *path, mp_report_fmt fmt, const mp_arch *a,
                   const char *workload, const mp_run *r, mp_diag *d)
{
    mp_outfile of;
    if (mp_report_check(a, r, d) || mp_out_open(&of, path, d))
        return -1;
    mp_report_write(of.fp, fmt, a, workload, r);
    if (ferror(of.fp)) {
        mp_out_abort(&of);
        return mp_fail(d, path, 0, "output", "write error");
    }
    return mp_out_commit(&of, d);
}
