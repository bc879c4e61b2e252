/*
 * cmd_cosim.c - `mpsim cosim`: co-simulate generated (or given) RTL in
 * Verilator against the bit-exact golden and the simulator's cycle model.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "rtl_gen/rtl.h"
#include "golden/json.h"
#include "sim/cli/cli_util.h"
#include "sim/cli/commands.h"
#include "sim/cosim/cosim.h"
#include "sim/synth/liberty.h"
#include "sim/workload_src.h"

enum { OPT_RTL = 256, OPT_TILES,
       OPT_SEED, OPT_LAYER, OPT_WORKLOAD, OPT_SYSTEMC, OPT_BW,
       OPT_LATENCY, OPT_TOL, OPT_WAVE, OPT_CACHE, OPT_FORMAT, OPT_ACTIVITY,
       OPT_LIBERTY, OPT_GATE, OPT_ZERO_DELAY };

static const mp_option cosim_own[] = {
    {"rtl", OPT_RTL, "DIR", "co-simulate this RTL directory instead of "
     "generating"},
    {"tiles", OPT_TILES, "N", "tiles to run (default 8: 3 extreme, then "
     "random)"},
    {"seed", OPT_SEED, "S", "random seed (default 1)"},
    {"trace-layer", OPT_LAYER, "L", "alternate random tiles with tiles shaped "
     "like GEMM\nlayer L (0-based, vector ops skipped) of the workload"},
    {"workload", OPT_WORKLOAD, "W", "the workload of --trace-layer: trace "
     "YAML, topology\nCSV or model (or the trace options)"},
    {"systemc", OPT_SYSTEMC, NULL, "run the SystemC testbench with the arch's "
     "memory\nbandwidth and latency feeding the load port"},
    {"bw", OPT_BW, "B", "SystemC memory bytes/cycle (default: the arch's)"},
    {"latency", OPT_LATENCY, "L", "SystemC memory latency cycles (default: "
     "the arch's)"},
    {"cycle-tol", OPT_TOL, "T", "relative cycle error allowed (default 0.02)"},
    {"wave", OPT_WAVE, "FILE", "waveform of the first failing tile "
     "(default\nmpsim-cosim-fail.fst)"},
    {"cache", OPT_CACHE, "DIR", "Verilator build cache (default "
     "build/cosim-cache)"},
    {"format", OPT_FORMAT, "F", "table (default) or json"},
    {"activity", OPT_ACTIVITY, "FILE", "after a clean run, count every PE "
     "signal's toggles\non the same tiles (Verilator --coverage-toggle),\n"
     "synthesize the design (OSU 0.18 um) and let\nOpenSTA turn the PE's "
     "port toggle rates into power\n(probabilistic propagation inside the "
     "PE);\nFILE gets the rates and the energy per MAC per tile\nkind "
     "(random, extreme, trace)"},
    {"liberty", OPT_LIBERTY, "L", "liberty for --activity (default: OSU 0.18 "
     "um;\nanother copy of OSU's only: the activity figures\nare OSU's)"},
    {"gate", OPT_GATE, NULL, "--activity from a gate-level simulation of the "
     "PE\nand of every edge unit (iverilog on its mapped\nnetlist, fed its "
     "inputs of the RTL run cycle by\ncycle): every cell output pin's "
     "toggles, glitches\nincluded, into OpenSTA; adds the edge units' "
     "energy\nper dequantization op (the committed table's method)"},
    {"zero-delay", OPT_ZERO_DELAY, NULL, "--gate without the cells' delays: "
     "functional\ntoggles only (the glitches' share by difference)"},
    {NULL, 0, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out,
        "usage: mpsim cosim (--arch NAME|FILE.yaml | --rtl DIR [--arch A])\n"
        "                   [design options as for mpsim rtl] [--tiles N]\n"
        "                   [--seed S] [--trace-layer L --workload W|--model M\n"
        "                   [trace options]] [--systemc [--bw B] [--latency L]]\n"
        "                   [--cycle-tol T] [--wave FILE] [--cache DIR]\n"
        "                   [--format table|json] [--activity FILE [--liberty L]\n"
        "                   [--gate [--zero-delay]]]\n\n"
        "Generate the architecture's RTL (or take DIR, written by mpsim rtl and\n"
        "possibly hand-edited), build it with Verilator (cached by content),\n"
        "stream extreme, random and workload-shaped tiles through it and compare\n"
        "every result bit for bit with the golden mp_gemm_hw() using the PE\n"
        "family's arithmetic; compare its cycles per tile with the simulator's\n"
        "model.  Exit 1 on any mismatch or a cycle error above the tolerance.  The\n"
        "design options give the design mpsim rtl and mpsim synth give.\n\n");
    mp_options_help(out, mp_cli_gen_options, MP_CLI_HELP_COL);
    mp_options_help(out, cosim_own, MP_CLI_HELP_COL);
    mp_options_help(out, mp_cli_help_options, MP_CLI_HELP_COL);
    fprintf(out, "trace options (as for mpsim trace):\n");
    mp_options_help(out, mp_trace_options, 24);
}

typedef struct cosim_cli {
    const char *rtl, *format, *wave, *activity, *liberty;
    mp_liberty lib;    /* --activity: the resolved liberty (OSU's) */
    int64_t layer;
    mp_cosim_gen gen;  /* --arch and what to generate */
    double tol;
    mp_workload_opts wo;
    mp_cosim_opts run;
} cosim_cli;

/* ---- the GEMM layer a --trace-layer names ------------------------------ */

static int layer_k(const cosim_cli *c, int64_t *k, char *name, size_t cap,
                   mp_diag *d)
{
    mp_trace t;
    char label[256];
    int rc = mp_workload_open(&c->wo, &t, label, sizeof label, d);
    if (rc) {
        mp_trace_free(&t);
        return rc;
    }
    int64_t index = 0;
    rc = mp_fail(d, MP_CMDLINE, 0, "--trace-layer", "%lld is past the last "
                 "GEMM layer of %s", (long long)c->layer, label);
    for (size_t i = 0; i < t.count; i++) {
        if (t.ops[i].kind == MP_OP_VECTOR)
            continue;
        if (index++ == c->layer) {
            *k = t.ops[i].k;
            snprintf(name, cap, "%s (K=%lld)", t.ops[i].name,
                     (long long)t.ops[i].k);
            rc = 0;
            break;
        }
    }
    mp_trace_free(&t);
    return rc;
}

/* ---- reports ---------------------------------------------------------- */

static void print_table(const mp_cosim_design *dz, const mp_cosim_result *r,
                        double tol, const char *layer)
{
    char arith[160];
    printf("design        %s (%s, %dx%d array, tile %dx%d, K_MAX %d)\n",
           dz->dir, dz->family, dz->rows, dz->cols, dz->hdr.m_tile,
           dz->hdr.n_tile, dz->hdr.k_max);
    printf("arithmetic    %s\n",
           mp_arith_describe(&dz->hdr.arith, arith, sizeof arith));
    printf("load port     %d bits%s\n", dz->hdr.load_bits,
           dz->hdr.load_bits > 32 ? " (packed beats)" : " (one element a word)");
    if (layer[0])
        printf("trace layer   %s\n", layer);
    printf("tiles         %d%s\n", r->tiles,
           r->cached ? " (cached build)" : "");
    printf("%-5s %-12s %6s %8s %10s %10s %10s %9s\n", "tile", "kind", "k",
           "load", "rtl", "model", "formula", "mismatch");
    for (int i = 0; i < r->tiles; i++) {
        const mp_cosim_tile_result *t = &r->per_tile[i];
        printf("%-5d %-12s %6d %8lld %10lld %10lld %10lld %9d\n", i, t->kind,
               t->k, (long long)t->load_cycles, (long long)t->rtl_cycles,
               (long long)t->model_cycles, (long long)t->formula_cycles,
               t->mm.count);
    }
    printf("mismatches    %d in %d tiles\n", r->mismatches, r->bad_tiles);
    if (r->first_bad >= 0)
        printf("first         tile %d m %d n %d expected 0x%08x got 0x%08x\n",
               r->first_bad, r->first.m, r->first.n, r->first.expected,
               r->first.got);
    if (r->wave[0])
        printf("waveform      %s\n", r->wave);
    printf("rtl_cycles    %lld\n", (long long)r->rtl_cycles);
    printf("model_cycles  %lld (simulator engine)\n",
           (long long)r->model_cycles);
    printf("formula       %lld (the generator's documented closed form)\n",
           (long long)r->formula_cycles);
    printf("cycle_error   %.4f (tolerance %.4f)\n", r->cycle_error, tol);
    if (r->systemc) {
        printf("systemc       memory %.4g bytes/cycle, latency %.4g cycles\n",
               r->bytes_per_cycle, r->latency_cycles);
        printf("  measured    %lld cycles (load + compute)\n",
               (long long)r->measured_cycles);
        printf("  predicted   %.1f cycles (memory model + engine)\n",
               r->predicted_cycles);
        printf("  ratio       %.4f\n", r->systemc_ratio);
    }
}

static void print_json(const mp_cosim_design *dz, const mp_cosim_result *r,
                       double tol)
{
    mp_json w;
    mp_json_init(&w, stdout);
    mp_json_object(&w, NULL, MP_JSON_LINES);
    mp_json_str(&w, "design", dz->dir);
    mp_json_str(&w, "family", dz->family);
    const struct { const char *name; int64_t v; } ints[] = {
        {"rows", dz->rows}, {"cols", dz->cols}, {"m_tile", dz->hdr.m_tile},
        {"n_tile", dz->hdr.n_tile}, {"k_max", dz->hdr.k_max},
        {"load_bits", dz->hdr.load_bits}, {"tiles", r->tiles},
        {"mismatches", r->mismatches}, {"bad_tiles", r->bad_tiles},
    };
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++)
        mp_json_int(&w, ints[i].name, ints[i].v);
    if (r->first_bad >= 0) {
        char word[16];
        mp_json_object(&w, "first_mismatch", MP_JSON_FLOW);
        mp_json_int(&w, "tile", r->first_bad);
        mp_json_int(&w, "m", r->first.m);
        mp_json_int(&w, "n", r->first.n);
        snprintf(word, sizeof word, "0x%08x", r->first.expected);
        mp_json_str(&w, "expected", word);
        snprintf(word, sizeof word, "0x%08x", r->first.got);
        mp_json_str(&w, "got", word);
        mp_json_end(&w);
    } else {
        mp_json_null(&w, "first_mismatch");
    }
    mp_json_str(&w, "waveform", r->wave[0] ? r->wave : NULL);
    mp_json_int(&w, "rtl_cycles", r->rtl_cycles);
    mp_json_int(&w, "model_cycles", r->model_cycles);
    mp_json_int(&w, "formula_cycles", r->formula_cycles);
    mp_json_num(&w, "cycle_error", r->cycle_error, MP_JSON_G6);
    mp_json_num(&w, "cycle_tol", tol, MP_JSON_G6);
    if (r->systemc) {
        mp_json_object(&w, "systemc", MP_JSON_FLOW);
        mp_json_num(&w, "bytes_per_cycle", r->bytes_per_cycle, MP_JSON_G6);
        mp_json_num(&w, "latency_cycles", r->latency_cycles, MP_JSON_G6);
        mp_json_int(&w, "measured_cycles", r->measured_cycles);
        mp_json_num(&w, "predicted_cycles", r->predicted_cycles, MP_JSON_G6);
        mp_json_num(&w, "ratio", r->systemc_ratio, MP_JSON_G6);
        mp_json_end(&w);
    }
    mp_json_array(&w, "per_tile", MP_JSON_LINES);
    for (int i = 0; i < r->tiles; i++) {
        const mp_cosim_tile_result *t = &r->per_tile[i];
        mp_json_object(&w, NULL, MP_JSON_FLOW);
        mp_json_str(&w, "kind", t->kind);
        mp_json_int(&w, "k", t->k);
        mp_json_int(&w, "load_cycles", t->load_cycles);
        mp_json_int(&w, "rtl_cycles", t->rtl_cycles);
        mp_json_int(&w, "model_cycles", t->model_cycles);
        mp_json_int(&w, "formula_cycles", t->formula_cycles);
        mp_json_int(&w, "mismatches", t->mm.count);
        mp_json_end(&w);
    }
    mp_json_end(&w);
    mp_json_end(&w);
}

/* ---- the command ------------------------------------------------------ */

/* The liberty of --activity, resolved before the co-simulation runs: OSU
 * 0.18 um only (the activity report prices its toggles as OSU's, and the
 * gate-level energy tables it calibrates are 180 nm figures). */
static int activity(const cosim_cli *c, mp_cosim_design *dz,
                    const mp_cosim_result *r, mp_diag *d)
{
    return mp_cosim_activity(dz, &c->run, r, &c->lib, c->activity, d);
}

static int run(cosim_cli *c, mp_diag *d)
{
    char gen[MP_DIAG_FILE_MAX + 32] = "", layer[160] = "";
    const char *dir;
    if (c->layer >= 0 && layer_k(c, &c->run.trace_k, layer, sizeof layer, d))
        return -1;
    if (c->activity &&
        mp_liberty_find(&c->lib, c->liberty, 0, "--liberty", 1, d))
        return -1;
    dir = mp_cli_design_dir(c->rtl, &c->gen, c->run.cache_dir, "gen", gen,
                            sizeof gen, d);
    if (!dir)
        return -1;
    mp_cosim_design dz;
    int rc = mp_cosim_design_read(dir, c->gen.arch, &dz, d);
    if (!rc && c->run.systemc && !(dz.arch.dram.bytes_per_s > 0) &&
        !(c->run.bytes_per_cycle > 0))
        rc = mp_fail(d, MP_CMDLINE, 0, "--bw", "the design has no memory "
                     "system (give --arch or --bw)");
    mp_cosim_result r;
    memset(&r, 0, sizeof r);
    if (!rc)
        rc = mp_cosim_run(&dz, &c->run, &r, d);
    if (!rc) {
        if (gen[0])
            snprintf(dz.dir, sizeof dz.dir, "%s", c->gen.arch);
        if (c->format && !strcmp(c->format, "json"))
            print_json(&dz, &r, c->tol);
        else
            print_table(&dz, &r, c->tol, layer);
        fflush(stdout);
        if (r.mismatches)
            rc = mp_fail(d, dz.dir, 0, "cosim", "%d mismatching results; "
                         "first: tile %d m %d n %d expected 0x%08x got "
                         "0x%08x%s%s", r.mismatches, r.first_bad, r.first.m,
                         r.first.n, r.first.expected, r.first.got,
                         r.wave[0] ? ", waveform " : "", r.wave);
        else if (r.cycle_error > c->tol)
            rc = mp_fail(d, dz.dir, 0, "cycles", "RTL %lld cycles vs model "
                         "%lld: error %.4f above the tolerance %.4f",
                         (long long)r.rtl_cycles, (long long)r.model_cycles,
                         r.cycle_error, c->tol);
    }
    if (!rc && c->activity)
        rc = activity(c, &dz, &r, d);
    mp_cosim_result_free(&r);
    mp_cosim_design_free(&dz);
    if (gen[0])
        mp_rmtree(gen);
    return rc;
}

static int parse_number(int opt, const char *arg, cosim_cli *c, mp_diag *d)
{
    int64_t v;
    switch (opt) {
    case OPT_LAYER: return mp_cli_i64(arg, "--trace-layer", 0, 1 << 30,
                                      &c->layer, d);
    case OPT_TILES: return mp_cli_int(arg, "--tiles", 1, 1 << 20,
                                      &c->run.tiles, d);
    case OPT_SEED:
        if (mp_cli_i64(arg, "--seed", 0, INT64_MAX, &v, d))
            return -1;
        c->run.seed = (uint64_t)v;
        return 0;
    case OPT_BW:
        return mp_cli_double(arg, "--bw", 1e-6, 1e9, &c->run.bytes_per_cycle,
                             d);
    case OPT_LATENCY:
        return mp_cli_double(arg, "--latency", 0, 1e9, &c->run.latency_cycles,
                             d);
    case OPT_TOL: return mp_cli_double(arg, "--cycle-tol", 0, 1e9, &c->tol, d);
    default: return 0;
    }
}

int cmd_cosim(int argc, char **argv)
{
    static const mp_option *const groups[] = {
        mp_cli_gen_options, cosim_own, mp_cli_help_options, mp_trace_options,
        NULL};
    cosim_cli c;
    memset(&c, 0, sizeof c);
    c.layer = -1;
    c.gen.group = -1;
    c.tol = 0.02;
    c.wave = "mpsim-cosim-fail.fst";
    mp_workload_opts_init(&c.wo);
    mp_cosim_opts_init(&c.run);
    mp_diag d;
    memset(&d, 0, sizeof d);
    mp_cli_parser p;
    const mp_option *o;
    int opt;
    mp_cli_parser_init(&p, groups);
    while ((opt = mp_cli_next(&p, argc, argv, &o)) != -1) {
        int gen = mp_cli_gen_option(opt, optarg, MP_COSIM_DIM_MAX, &c.gen,
                                    &d);
        int bad = gen < 0;
        switch (gen == 1 ? opt : 0) {
        case 0: break; /* a design option (mp_cli_gen_option) */
        case OPT_RTL: c.rtl = optarg; break;
        case OPT_WORKLOAD: c.wo.workload = optarg; break;
        case MP_TRACE_OPTION:
            bad = mp_trace_opts_set(&c.wo.trace, o->name, optarg, &d) < 0;
            break;
        case OPT_SYSTEMC: c.run.systemc = 1; break;
        case OPT_WAVE: c.wave = optarg; break;
        case OPT_ACTIVITY: c.activity = optarg; break;
        case OPT_LIBERTY: c.liberty = optarg; break;
        case OPT_GATE: c.run.gate = 1; break;
        case OPT_ZERO_DELAY: c.run.zero_delay = 1; break;
        case OPT_CACHE:
            snprintf(c.run.cache_dir, sizeof c.run.cache_dir, "%s", optarg);
            break;
        case OPT_FORMAT: c.format = optarg; break;
        case 'h': usage(stdout); return 0;
        case ':': case '?': return mp_cli_bad_option(opt, "cosim", argv);
        default: bad = parse_number(opt, optarg, &c, &d) != 0; break;
        }
        if (bad) {
            mp_diag_print(&d, stderr);
            return 1;
        }
    }
    if (mp_cli_no_extra_args(argc, argv, optind))
        return 2;
    if (!c.gen.arch && !c.rtl)
        return mp_cli_missing("--arch", "or --rtl DIR", "cosim");
    if (mp_cli_table_or_json(c.format))
        return 2;
    if (c.layer >= 0 && !c.wo.workload &&
        !(c.wo.trace.given & MP_TOPT_MODEL)) {
        fprintf(stderr, "mpsim: %s: --trace-layer: needs --workload or "
                "--model\n", MP_CMDLINE);
        return 2;
    }
    if ((c.run.gate && !c.activity) || (c.run.zero_delay && !c.run.gate)) {
        fprintf(stderr, "mpsim: %s: %s\n", MP_CMDLINE, c.run.gate
                ? "--gate: needs --activity" : "--zero-delay: needs --gate");
        return 2;
    }
    if (mp_cli_gen_not_with_rtl(c.rtl, &c.gen))
        return 2;
    if (!c.gen.load_bits && c.run.systemc)
        c.gen.load_bits = -1; /* cover the memory the testbench models */
    c.gen.bytes_per_cycle = c.run.bytes_per_cycle;
    c.run.wave = c.wave;
    int rc = run(&c, &d);
    if (rc) {
        mp_diag_print(&d, stderr);
        return rc == -2 ? 2 : 1;
    }
    return 0;
}
