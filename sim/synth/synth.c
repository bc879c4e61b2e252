/*
 * synth.c - Yosys runs and their `stat` reports; see synth.h.
 */
#include "sim/synth/synth.h"

#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "golden/datadir.h"
#include "golden/outfile.h"
#include "rtl_gen/rtl.h"
#include "sim/synth/liberty.h"
#include "sim/tech_load.h"

#define PATH_CAP 1024
#define MAX_DEPTH 32
#define OSU018_REL "usr/share/qflow/tech/osu018/osu018_stdcells.lib"

int mp_synth_target_parse(const char *name, mp_synth_target *out)
{
    if (!strcmp(name, "asic"))
        return *out = MP_SYNTH_ASIC, 0;
    if (!strcmp(name, "xcup"))
        return *out = MP_SYNTH_XCUP, 0;
    return -1;
}

int mp_synth_find_liberty(char *out, size_t cap, mp_diag *d)
{
    snprintf(out, cap, "/%s", OSU018_REL);
    if (access(out, R_OK) == 0)
        return 0;
    char exe[PATH_CAP];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = 0;
        snprintf(out, cap, "%s/osu018/%s", dirname(exe), OSU018_REL);
        if (access(out, R_OK) == 0)
            return 0;
    }
    return mp_fail(d, MP_CMDLINE, 0, "--liberty", "the OSU 0.18 um liberty "
                   "is not installed: run 'bash scripts/get_osu018.sh build' "
                   "(or apt-get install qflow-tech-osu018, or give --liberty)");
}

/* ---- the script ------------------------------------------------------- */

/* A module instantiated with parameters is derived as
 * "$paramod$<hash>\NAME" (the DSP48E2 model): a name OpenSTA's Tcl and
 * file names cannot carry.  This Tcl, run by Yosys after `hierarchy`,
 * renames each back to NAME (NAME_1, NAME_2... when NAME is taken or has
 * several derivations; `ls` order) and retypes its instances. */
#define RENAME_TCL "rename_params.tcl"
static const char rename_tcl[] =
    "# written by mpsim synth: $paramod...\\NAME modules -> NAME\n"
    "yosys tee -q -o modules.txt ls\n"
    "set f [open modules.txt r]\n"
    "set mods [lrange [split [string trim [read $f]] \"\\n\"] 1 end]\n"
    "close $f\n"
    "set names {}\n"
    "foreach m $mods { lappend names [string trim $m] }\n"
    "foreach m $names {\n"
    "  if {![regexp {^\\$paramod.*\\\\([A-Za-z_][A-Za-z0-9_]*)$} $m -> base]} "
    "continue\n"
    "  lappend derived($base) $m\n"
    "}\n"
    "foreach base [lsort [array names derived]] {\n"
    "  set n 0\n"
    "  foreach m $derived($base) {\n"
    "    set to $base\n"
    "    if {[llength $derived($base)] > 1 || [lsearch -exact $names $base] "
    ">= 0} {\n"
    "      set to ${base}_[incr n]\n"
    "    }\n"
    "    yosys rename $m $to\n"
    "    yosys chtype -map $m $to\n"
    "  }\n"
    "}\n";

const char *mp_synth_map_name(mp_synth_map m)
{
    return m == MP_SYNTH_MAP_DELAY ? "timing-driven" : "area-mapped";
}

/* ABC's constraints for MP_SYNTH_MAP_DELAY (synth.h): no output load and
 * no driving cell, i.e. ideal ports, as OpenSTA times a module alone */
#define CONSTR_FILE "abc.constr"

static int write_constr(const char *workdir, mp_diag *d)
{
    char path[PATH_CAP];
    snprintf(path, sizeof path, "%s/%s", workdir, CONSTR_FILE);
    return mp_out_write_text(path, "synth", "set_load 0\n", d);
}

/* Yosys steps writing the mapped design in memory as `out`, the netlist
 * OpenSTA reads (sim/synth/timing.h).  OpenSTA 0~20191111 takes no
 * concatenation on the left of an assign, and silently: it drops the
 * connection (or misreads it), so paths vanish or come out false (Yosys
 * 0.23's write_verilog of the generator's FP16 adder and its rounding
 * core: 21.8 ns through 320 cells, against 11.3 ns through 61 once
 * rewritten; docs/validation.md "Netlists OpenSTA reads").  So: one wire
 * per bit, and the library's buffer cell (OSU: BUFX2) for each remaining
 * wire-to-wire alias (a port that copies another net): no assign. */
static void write_sta_netlist(FILE *fp, const mp_liberty *lib,
                              const char *out)
{
    fprintf(fp, "opt_clean -purge\n");
    fprintf(fp, "splitnets -ports\n");
    fprintf(fp, "opt_clean -purge\n");
    fprintf(fp, "insbuf -buf %s %s %s\n", lib->buffer, lib->buffer_in,
            lib->buffer_out);
    fprintf(fp, "write_verilog -noattr -noexpr %s\n", out);
}

/* The steps above remove every alias Yosys 0.23 leaves; this says so if
 * another version does not (synth.h). */
int mp_synth_check_sta_netlist(const char *path, mp_diag *d)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return mp_fail(d, path, 0, "synth", "cannot read the netlist Yosys "
                       "wrote");
    char line[4096];
    int line_no = 0, bad = 0, at_start = 1;
    while (!bad && fgets(line, sizeof line, fp)) {
        if (at_start) {
            line_no++;
            const char *s = line + strspn(line, " \t");
            bad = !strncmp(s, "assign", 6) &&
                  s[6 + strspn(s + 6, " \t")] == '{';
        }
        at_start = strchr(line, '\n') != NULL; /* a long line goes on */
    }
    fclose(fp);
    if (bad)
        return mp_fail(d, path, line_no, "synth", "an assign with a "
                       "concatenation on its left, which OpenSTA misreads "
                       "(docs/validation.md \"Netlists OpenSTA reads\")");
    return 0;
}

static int write_script(const char *path, const mp_rtl_src *src,
                        mp_synth_target t, mp_synth_map map,
                        const mp_liberty *lib, mp_diag *d)
{
    const char *liberty = lib ? lib->path : "";
    FILE *fp = fopen(path, "w");
    if (!fp)
        return mp_fail(d, path, 0, "synth", "cannot write the Yosys script");
    fprintf(fp, "# written by mpsim synth\n");
    /* asic: standard cells have no vendor primitive, so the behavioural
     * models shipped for simulation (`ifndef SYNTHESIS, e.g. DSP48E2) are
     * synthesized as logic */
    for (int i = 0; i < src->nfiles; i++)
        fprintf(fp, "read_verilog %s\"%s\"\n",
                t == MP_SYNTH_ASIC ? "-nosynthesis " : "", src->files[i]);
    if (t == MP_SYNTH_ASIC) {
        /* (synth_xilinx runs its own hierarchy pass once the Xilinx cell
         * library is loaded: a DSP48E2 instance is unknown before) */
        fprintf(fp, "hierarchy -check -top %s\n", src->top);
        fprintf(fp, "tcl %s\n", RENAME_TCL);
        fprintf(fp, "synth -top %s\n", src->top);
        fprintf(fp, "design -save generic\n");
        fprintf(fp, "dfflibmap -liberty \"%s\"\n", liberty);
        fprintf(fp, "abc %s-liberty \"%s\"\n",
                map == MP_SYNTH_MAP_DELAY ? "-constr " CONSTR_FILE " " : "",
                liberty);
        fprintf(fp, "opt_clean\n");
        fprintf(fp, "tee -q -o stat_lib.txt stat -liberty \"%s\"\n", liberty);
        write_sta_netlist(fp, lib, "netlist.v");
        /* full transistor count: legalize every flip-flop to a plain DFF */
        fprintf(fp, "design -load generic\n");
        fprintf(fp, "async2sync\n");
        fprintf(fp, "dfflegalize -cell $_DFF_P_ 01\n");
        fprintf(fp, "abc -g cmos2\n");
        fprintf(fp, "opt_clean\n");
        fprintf(fp, "tee -q -o stat_cmos.txt stat -tech cmos\n");
    } else {
        fprintf(fp, "synth_xilinx -family xcup -noiopad -top %s\n", src->top);
        fprintf(fp, "tee -q -o stat_fpga.txt stat\n");
    }
    int bad = ferror(fp);
    if (fclose(fp) || bad)
        return mp_fail(d, path, 0, "synth", "write error");
    return 0;
}

/* ---- reading `stat` --------------------------------------------------- */

static mp_synth_module *module_named(mp_synth_result *r, const char *name)
{
    for (int i = 0; i < r->nmods; i++)
        if (!strcmp(r->mods[i].name, name))
            return &r->mods[i];
    if (r->nmods >= MP_SYNTH_MAX_MODULES)
        return NULL;
    mp_synth_module *m = &r->mods[r->nmods++];
    memset(m, 0, sizeof *m);
    m->parent = -1;
    snprintf(m->name, sizeof m->name, "%s", name);
    return m;
}

/* FPGA primitive classes (UltraScale+ names as synth_xilinx emits them). */
typedef enum { FPGA_OTHER, FPGA_LUT, FPGA_FF, FPGA_DSP, FPGA_BRAM18,
               FPGA_BRAM36, FPGA_LUTRAM, FPGA_CARRY } fpga_class;

static fpga_class classify_fpga_cell(const char *cell)
{
    if (!strncmp(cell, "LUT", 3) && cell[3] >= '1' && cell[3] <= '6')
        return FPGA_LUT;
    if (!strcmp(cell, "FDRE") || !strcmp(cell, "FDSE") ||
        !strcmp(cell, "FDCE") || !strcmp(cell, "FDPE"))
        return FPGA_FF;
    if (!strncmp(cell, "DSP48E2", 7))
        return FPGA_DSP;
    if (!strcmp(cell, "RAMB18E2"))
        return FPGA_BRAM18;
    if (!strcmp(cell, "RAMB36E2"))
        return FPGA_BRAM36;
    if (!strncmp(cell, "RAM", 3) || !strncmp(cell, "SRL", 3))
        return FPGA_LUTRAM;
    if (!strcmp(cell, "CARRY8"))
        return FPGA_CARRY;
    return FPGA_OTHER;
}

static void count_fpga_cell(mp_synth_result *r, const char *cell, long n)
{
    switch (classify_fpga_cell(cell)) {
    case FPGA_LUT: r->lut += n; break;
    case FPGA_FF: r->ff += n; break;
    case FPGA_DSP: r->dsp += n; break;
    case FPGA_BRAM18: r->bram18 += n; break;
    case FPGA_BRAM36: r->bram18 += 2 * n; break;
    case FPGA_LUTRAM: r->lutram += n; break;
    case FPGA_CARRY: r->carry += n; break;
    case FPGA_OTHER: break;
    }
}

/* A module's own LUT / FF / DSP (its section of the stat report). */
static void count_module_cell(mp_synth_module *m, const char *cell, long n)
{
    switch (classify_fpga_cell(cell)) {
    case FPGA_LUT: m->lut += n; break;
    case FPGA_FF: m->ff += n; break;
    case FPGA_DSP: m->dsp += n; break;
    default: break;
    }
}

/* The instantiation graph of the hierarchy tree: module `child` is
 * instantiated `n` times in each instance of `parent`.  A module shared
 * by several parents (an FP32 adder in the dequantizer, the core and the
 * unit) has one edge from each, so it counts in every parent's subtree,
 * not only in the first one's `parent`. */
typedef struct { int parent, child; long n; } inst_edge;
typedef struct {
    int n;
    inst_edge e[MP_SYNTH_MAX_MODULES * MP_SYNTH_MAX_MODULES]; /* every pair */
} inst_graph;

/* Adds parent -> child (n per parent) once; the tree repeats a shared
 * parent's children under each of its occurrences. */
static void graph_add(inst_graph *g, int parent, int child, long n)
{
    for (int i = 0; i < g->n; i++)
        if (g->e[i].parent == parent && g->e[i].child == child)
            return;
    if (g->n < (int)(sizeof g->e / sizeof g->e[0]))
        g->e[g->n++] = (inst_edge){parent, child, n};
}

/* Subtree area and cells of module i: its own plus n x the subtree of
 * every module it instantiates (n per instance of i). */
static void subtree(mp_synth_result *r, const inst_graph *g, int i,
                    int depth)
{
    mp_synth_module *m = &r->mods[i];
    m->subtree_um2 = m->area_um2;
    m->subtree_cells = m->cells;
    m->subtree_lut = m->lut;
    m->subtree_ff = m->ff;
    m->subtree_dsp = m->dsp;
    if (depth >= MAX_DEPTH)
        return;
    for (int k = 0; k < g->n; k++) {
        if (g->e[k].parent != i || g->e[k].child == i)
            continue;
        long n = g->e[k].n;
        const mp_synth_module *c = &r->mods[g->e[k].child];
        subtree(r, g, g->e[k].child, depth + 1);
        m->subtree_um2 += (double)n * c->subtree_um2;
        m->subtree_cells += n * c->subtree_cells;
        m->subtree_lut += n * c->subtree_lut;
        m->subtree_ff += n * c->subtree_ff;
        m->subtree_dsp += n * c->subtree_dsp;
    }
}

static void subtrees(mp_synth_result *r, const inst_graph *g)
{
    for (int i = 0; i < r->nmods; i++)
        subtree(r, g, i, 0);
}

/* One stat report.  Sections start with "=== NAME ==="; the last one,
 * "design hierarchy", holds instance counts and whole-design totals (a
 * single-module design has no such section: its module is the total). */
static int parse_stat(const char *path, mp_synth_result *r, int pass,
                      mp_diag *d)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return mp_fail(d, path, 0, "synth", "Yosys wrote no statistics");
    char line[512], section[128] = "";
    int in_hier = 0, in_cells = 0, saw_hier = 0;
    long total_cells = 0, total_tr = -1, module_tr = -1;
    double total_area = -1, module_area = -1;
    long fpga_seen = 0, per_level[MAX_DEPTH] = {0};
    int level_mod[MAX_DEPTH] = {0};
    mp_synth_result fpga_module; /* single-module FPGA counts */
    memset(&fpga_module, 0, sizeof fpga_module);
    inst_graph graph; /* 64 KB */
    graph.n = 0;
    while (fgets(line, sizeof line, fp)) {
        char name[128];
        long n;
        double x;
        if (sscanf(line, " === %127[^=] ===", name) == 1) {
            name[strcspn(name, " ")] = 0;
            in_hier = !strcmp(name, "design");
            saw_hier |= in_hier;
            snprintf(section, sizeof section, "%s", name);
            in_cells = 0;
            continue;
        }
        if (sscanf(line, " Number of cells: %ld", &n) == 1) {
            in_cells = 1;
            if (in_hier)
                total_cells = n;
            else if (pass == 0 && module_named(r, section))
                module_named(r, section)->cells = n;
            continue;
        }
        if (sscanf(line, " Chip area for top module '\\%*[^']': %lf", &x) ==
            1) {
            total_area = x;
            continue;
        }
        if (sscanf(line, " Chip area for module '\\%*[^']': %lf", &x) == 1) {
            module_area = x;
            if (module_named(r, section))
                module_named(r, section)->area_um2 = x;
            continue;
        }
        if (sscanf(line, " Estimated number of transistors: %ld", &n) == 1) {
            if (in_hier)
                total_tr = n;
            else
                module_tr = n;
            continue;
        }
        if (sscanf(line, " %127s %ld", name, &n) == 2 && !strchr(line, ':')) {
            if (in_hier && !in_cells) {
                /* a tree: two spaces per level, counts per parent */
                int depth = ((int)strspn(line, " ") - 3) / 2;
                if (depth < 0 || depth >= MAX_DEPTH)
                    depth = MAX_DEPTH - 1;
                per_level[depth] = n * (depth ? per_level[depth - 1] : 1);
                mp_synth_module *m = pass == 0 ? module_named(r, name) : NULL;
                if (m) {
                    if (!m->instances) { /* first occurrence: tree edge */
                        m->parent = depth ? level_mod[depth - 1] : -1;
                        m->per_parent = n;
                    }
                    if (depth)
                        graph_add(&graph, level_mod[depth - 1],
                                  (int)(m - r->mods), n);
                    m->instances += per_level[depth];
                    level_mod[depth] = (int)(m - r->mods);
                }
            } else if (in_cells && r->target == MP_SYNTH_XCUP) {
                count_fpga_cell(in_hier ? r : &fpga_module, name, n);
                if (!in_hier && pass == 0 && module_named(r, section))
                    count_module_cell(module_named(r, section), name, n);
                fpga_seen++;
            }
        }
    }
    fclose(fp);
    if (!saw_hier) { /* one module: it is the whole design */
        if (pass == 0 && r->nmods == 1)
            r->mods[0].instances = 1;
        if (pass == 0) {
            total_area = module_area;
            total_cells = r->nmods ? r->mods[0].cells : 0;
        }
        total_tr = module_tr;
        if (r->target == MP_SYNTH_XCUP) {
            r->lut = fpga_module.lut;
            r->ff = fpga_module.ff;
            r->dsp = fpga_module.dsp;
            r->bram18 = fpga_module.bram18;
            r->lutram = fpga_module.lutram;
            r->carry = fpga_module.carry;
        }
    }
    if (pass == 0) {
        subtrees(r, &graph);
        r->cells = total_cells;
        if (r->target == MP_SYNTH_ASIC) {
            if (total_area < 0)
                return mp_fail(d, path, 0, "synth", "no chip area in the "
                               "Yosys statistics");
            r->area_um2 = total_area;
        }
    } else {
        if (total_tr < 0)
            return mp_fail(d, path, 0, "synth", "no transistor count in the "
                           "Yosys statistics");
        r->transistors = total_tr;
    }
    (void)fpga_seen;
    return 0;
}

/* ---- running ---------------------------------------------------------- */

/* The first "ERROR: ..." line of a Yosys log (an FPGA primitive in an ASIC
 * flow, a syntax error...), for a one-line diagnostic. */
static void first_error(const char *log, char *out, size_t cap)
{
    snprintf(out, cap, "see the log");
    FILE *fp = fopen(log, "r");
    if (!fp)
        return;
    char line[512];
    while (fgets(line, sizeof line, fp))
        if (!strncmp(line, "ERROR: ", 7)) {
            line[strcspn(line, "\n")] = 0;
            snprintf(out, cap, "%.150s", line + 7);
            break;
        }
    fclose(fp);
}

/* Run `yosys -q -s script` in workdir, its log in workdir/log; *seconds
 * (unless NULL) takes the wall time.  A failure says "<what> failed",
 * names `blame` and quotes the log's first error. */
static int run_yosys(const char *workdir, const char *script,
                     const char *log, const char *what, const char *blame,
                     double *seconds, mp_diag *d)
{
    char log_path[PATH_CAP];
    snprintf(log_path, sizeof log_path, "%s/%s", workdir, log);
    remove(log_path);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char *argv[] = {"yosys", "-q", "-s", (char *)script, NULL};
    int rc = mp_tool_exec(argv, workdir, log_path, log_path, d);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (seconds)
        *seconds = (double)(t1.tv_sec - t0.tv_sec) +
                   (double)(t1.tv_nsec - t0.tv_nsec) * 1e-9;
    if (rc < 0)
        return -1;
    if (rc) {
        char why[200];
        first_error(log_path, why, sizeof why);
        return mp_fail(d, blame, 0, "yosys", "%s failed: %s (log: %s)",
                       what, why, log_path);
    }
    return 0;
}

int mp_synth_run(const mp_rtl_src *src, mp_synth_target t, mp_synth_map map,
                 const mp_liberty *lib, const char *workdir,
                 mp_synth_result *r, mp_diag *d)
{
    memset(r, 0, sizeof *r);
    r->target = t;
    r->map = map;
    snprintf(r->top, sizeof r->top, "%s", src->top);
    if (t == MP_SYNTH_ASIC && (!lib || access(lib->path, R_OK)))
        return mp_fail(d, lib ? lib->path : MP_CMDLINE, 0, "--liberty",
                       "cannot read the liberty file");
    if (mp_mkdirs(workdir, d))
        return -1;
    char script[PATH_CAP], path[PATH_CAP + 16];
    snprintf(script, sizeof script, "%s/synth.ys", workdir);
    snprintf(path, sizeof path, "%s/%s", workdir, RENAME_TCL);
    if (write_script(script, src, t, map, lib, d) ||
        (t == MP_SYNTH_ASIC &&
         (mp_out_write_text(path, "synth", rename_tcl, d) ||
          (map == MP_SYNTH_MAP_DELAY && write_constr(workdir, d)))))
        return -1;
    if (run_yosys(workdir, "synth.ys", "yosys.log", "synthesis",
                  src->files[src->nfiles - 1], &r->seconds, d))
        return -1;
    snprintf(path, sizeof path, "%s/netlist.v", workdir);
    if (t == MP_SYNTH_ASIC && mp_synth_check_sta_netlist(path, d))
        return -1;
    char cmos[PATH_CAP];
    snprintf(path, sizeof path, "%s/%s", workdir,
             t == MP_SYNTH_ASIC ? "stat_lib.txt" : "stat_fpga.txt");
    snprintf(cmos, sizeof cmos, "%s/stat_cmos.txt", workdir);
    return mp_synth_parse(path, t == MP_SYNTH_ASIC ? cmos : NULL, r, d);
}

int mp_synth_sta_netlist(const char *netlist, const char *top,
                         const mp_liberty *lib, const char *workdir,
                         const char *out, mp_diag *d)
{
    if (mp_mkdirs(workdir, d))
        return -1;
    char script[PATH_CAP];
    snprintf(script, sizeof script, "%s/sta_netlist.ys", workdir);
    FILE *fp = fopen(script, "w");
    if (!fp)
        return mp_fail(d, script, 0, "synth", "cannot write the Yosys script");
    fprintf(fp, "# written by mpsim synth --netlist: the netlist as OpenSTA "
                "reads it\n");
    fprintf(fp, "read_liberty -lib \"%s\"\n", lib->path);
    fprintf(fp, "read_verilog \"%s\"\n", netlist);
    fprintf(fp, "hierarchy -check -top %s\n", top);
    write_sta_netlist(fp, lib, out);
    int bad = ferror(fp);
    if (fclose(fp) || bad)
        return mp_fail(d, script, 0, "synth", "write error");
    if (run_yosys(workdir, "sta_netlist.ys", "sta_netlist.log",
                  "reading the netlist", netlist, NULL, d))
        return -1;
    snprintf(script, sizeof script, "%s/%s", workdir, out);
    return mp_synth_check_sta_netlist(script, d);
}

/* A module that is primitive p's model: p, or p_N (RENAME_TCL). */
static int is_model_of(const char *module, const char *p)
{
    size_t n = strlen(p);
    if (strncmp(module, p, n))
        return 0;
    if (!module[n])
        return 1;
    return module[n] == '_' && module[n + 1] &&
           strspn(module + n + 1, "0123456789") == strlen(module + n + 1);
}

/* The primitives of the design synthesized from their models. */
static void find_models(mp_synth_result *r)
{
    r->std_cell_models[0] = 0;
    if (r->target != MP_SYNTH_ASIC)
        return;
    for (int k = 0; mp_rtl_primitives[k]; k++)
        for (int i = 0; i < r->nmods; i++)
            if (is_model_of(r->mods[i].name, mp_rtl_primitives[k])) {
                size_t len = strlen(r->std_cell_models);
                snprintf(r->std_cell_models + len,
                         sizeof r->std_cell_models - len, "%s%s",
                         len ? " " : "", mp_rtl_primitives[k]);
                break;
            }
}

int mp_synth_parse(const char *stat_path, const char *cmos_path,
                   mp_synth_result *r, mp_diag *d)
{
    r->nmods = 0;
    if (parse_stat(stat_path, r, 0, d))
        return -1;
    find_models(r);
    return cmos_path ? parse_stat(cmos_path, r, 1, d) : 0;
}

int mp_synth_pe_module(const mp_synth_result *r, long pes)
{
    int best = -1;
    for (int i = 0; i < r->nmods; i++) {
        const mp_synth_module *m = &r->mods[i];
        if (m->instances != pes || !strcmp(m->name, r->top))
            continue;
        double size = r->target == MP_SYNTH_ASIC ? m->subtree_um2
                                                 : (double)m->subtree_cells;
        double best_size = best < 0 ? -1
                           : r->target == MP_SYNTH_ASIC
                               ? r->mods[best].subtree_um2
                               : (double)r->mods[best].subtree_cells;
        if (size > best_size)
            best = i;
    }
    return best;
}

mp_synth_area mp_synth_area_split(const mp_synth_result *r, int pe)
{
    mp_synth_area a = {0, 0, 0};
    for (int i = 0; i < r->nmods; i++)
        if (!strcmp(r->mods[i].name, r->top))
            a.top_own = r->mods[i].area_um2;
    if (pe >= 0)
        a.pes = r->mods[pe].subtree_um2 * (double)r->mods[pe].instances;
    /* the remainder of the whole, not a sum over the top's children: a
     * child holding the PEs (a core module) would count them again */
    a.edge = r->area_um2 - a.top_own - a.pes;
    return a;
}

int mp_synth_is_edge(const mp_synth_result *r, int i, int pe)
{
    const mp_synth_module *m = &r->mods[i];
    if (i == pe || m->parent < 0 || strcmp(r->mods[m->parent].name, r->top))
        return 0;
    for (int up = pe, n = 0; up >= 0 && n < r->nmods;
         up = r->mods[up].parent, n++)
        if (up == i)
            return 0;
    return 1;
}

int mp_synth_model_tech(const mp_tech *arch_tech, mp_synth_target t,
                        mp_tech *out, mp_diag *d)
{
    char path[PATH_CAP];
    if (t == MP_SYNTH_XCUP)
        return arch_tech->is_fpga ? 0
               : mp_tech_load_builtin("xcup", out, d) ? -1
                                                      : 1;
    /* a calibration table missing is a fallback, a broken one an error */
    if (!mp_data_path("pe_models/tech", MP_SYNTH_CAL_TECH, ".yaml", path,
                      sizeof path))
        return mp_tech_load_builtin(MP_SYNTH_CAL_TECH, out, d) ? -1 : 1;
    if (!arch_tech->is_fpga)
        return 0;
    return mp_tech_load_builtin("asic-45nm", out, d) ? -1 : 1;
}
