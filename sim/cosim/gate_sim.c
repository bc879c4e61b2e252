/*
 * gate_sim.c - one module instance's gate-level netlist under iverilog,
 * driven by the inputs the RTL co-simulation gave it; see gate_sim.h.
 */
#include "sim/cosim/gate_sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtl_gen/rtl.h"
#include "sim/cosim/vcd.h"
#include "sim/synth/timing.h"
#include "sim/tools.h"

#define TB "mpsim_gate_tb"
#define STIM_MAX 65536 /* cycles of one tile the testbench holds */
#define NAME_MAX_ 96
#define INST_MAX 65536 /* module instance lines of one netlist */

/* ---- the instance: the netlist's hierarchy ---------------------------- */

/* One line "  CHILD INST (" in the body of module PARENT (netlist order). */
typedef struct inst_line {
    char parent[NAME_MAX_], child[NAME_MAX_], inst[NAME_MAX_];
} inst_line;

typedef struct hier {
    int n, cap;
    inst_line *v;
} hier;

/* "module NAME(" -> NAME; 0 if line is not a module header. */
static int module_head(const char *line, char *name)
{
    if (strncmp(line, "module ", 7))
        return 0;
    size_t n = strcspn(line + 7, "( ");
    if (!n || n >= NAME_MAX_)
        return 0;
    memcpy(name, line + 7, n);
    name[n] = 0;
    return 1;
}

/* A module of the generated design, not a cell: a lower-case identifier
 * (cells are upper case, NAND2X1), or a vendor primitive whose
 * behavioural model was synthesized as a module (DSP48E2, upper case as
 * its data sheet names it: mp_rtl_primitives). */
static int is_module_type(const char *type)
{
    if (type[0] >= 'a' && type[0] <= 'z')
        return 1;
    for (int i = 0; mp_rtl_primitives[i]; i++)
        if (!strcmp(type, mp_rtl_primitives[i]))
            return 1;
    return 0;
}

/* Every "  TYPE INST (" line whose TYPE is a module (is_module_type). */
static int read_hier(const char *netlist, hier *h, mp_diag *d)
{
    FILE *fp = fopen(netlist, "r");
    if (!fp)
        return mp_fail(d, netlist, 0, "netlist", "cannot read");
    char line[4096], cur[NAME_MAX_] = "", type[NAME_MAX_], inst[NAME_MAX_];
    int rc = 0;
    while (!rc && fgets(line, sizeof line, fp)) {
        if (module_head(line, type)) {
            memcpy(cur, type, sizeof cur);
            continue;
        }
        if (strncmp(line, "  ", 2) || line[2] == ' ' ||
            sscanf(line, " %95s %95s (", type, inst) != 2 ||
            !is_module_type(type) ||
            !strchr(line, '(') || !strcmp(type, "input") ||
            !strcmp(type, "output") || !strcmp(type, "wire") ||
            !strcmp(type, "assign") || !strcmp(type, "inout") || !cur[0])
            continue;
        if (h->n == h->cap) {
            int cap = h->cap ? 2 * h->cap : 64;
            inst_line *v = cap <= INST_MAX ? realloc(h->v, (size_t)cap *
                                                     sizeof *v)
                                           : NULL;
            if (!v) {
                rc = mp_fail(d, netlist, 0, "netlist", "more than %d "
                             "module instances", INST_MAX);
                break;
            }
            h->v = v;
            h->cap = cap;
        }
        inst_line *e = &h->v[h->n++];
        memcpy(e->parent, cur, sizeof e->parent);
        memcpy(e->child, type, sizeof e->child);
        snprintf(e->inst, sizeof e->inst, "%s", inst[0] == '\\' ? inst + 1
                                                                : inst);
    }
    fclose(fp);
    return rc;
}

/* The last instance of module below parent, depth-first: its path
 * ("a/b") into path, 1; 0 if none.  depth bounds a cycle. */
static int find_inst(const hier *h, const char *parent, const char *module,
                     const char *prefix, char *path, size_t cap, int depth)
{
    int found = 0;
    for (int i = 0; depth < 32 && i < h->n; i++) {
        const inst_line *e = &h->v[i];
        if (strcmp(e->parent, parent))
            continue;
        char here[MP_GATE_PATH_MAX];
        if (snprintf(here, sizeof here, "%s%s%s", prefix, *prefix ? "/" : "",
                     e->inst) >= (int)sizeof here)
            continue;
        if (!strcmp(e->child, module)) {
            snprintf(path, cap, "%s", here);
            found = 1;
        } else if (find_inst(h, e->child, module, here, path, cap,
                             depth + 1))
            found = 1;
    }
    return found;
}

static int instance_path(mp_gate *g, const char *netlist, const char *top,
                         const char *module, mp_diag *d)
{
    hier h = {0, 0, NULL};
    int rc = read_hier(netlist, &h, d);
    if (!rc && !find_inst(&h, top, module, "", g->path, sizeof g->path, 0))
        rc = mp_fail(d, netlist, 0, "netlist", "no instance of %s below %s",
                     module, top);
    free(h.v);
    return rc;
}

/* Is the instance one of the top's read-port units (rtl_gen/rtl.h)? */
static int is_read_unit(const char *path)
{
    for (int i = 0; mp_rtl_read_units[i]; i++)
        if (!strcmp(path, mp_rtl_read_units[i]))
            return 1;
    return 0;
}

/* ---- the module: ports, testbench ------------------------------------- */

/* "\x[3] " / "clk" after `input`: base name and bit (-1: scalar). */
static int port_name(const char *s, char *base, size_t cap, int *bit)
{
    if (*s == '\\')
        s++;
    size_t n = strcspn(s, " ;");
    if (!n || n >= cap)
        return -1;
    memcpy(base, s, n);
    base[n] = 0;
    *bit = -1;
    char *br = strchr(base, '[');
    if (br) {
        char *end;
        long b = strtol(br + 1, &end, 10);
        if (end == br + 1 || strcmp(end, "]") || b < 0 || b > 4095)
            return -1;
        *bit = (int)b;
        *br = 0;
    }
    return 0;
}

static int add_port(mp_gate *g, const char *base, int bit, const char *path,
                    int line, mp_diag *d)
{
    int i = 0;
    while (i < g->nports && strcmp(g->port[i], base))
        i++;
    if (i == g->nports) {
        if (i == MP_GATE_PORTS_MAX || strlen(base) >= sizeof g->port[0])
            return mp_fail(d, path, line, "netlist", "more than %d input "
                           "ports or a name too long", MP_GATE_PORTS_MAX);
        snprintf(g->port[i], sizeof g->port[i], "%s", base);
        g->width[i] = 0;
        g->nports++;
    }
    if (bit + 1 > g->width[i])
        g->width[i] = bit + 1;
    return 0;
}

/* An op strobe: MP_GATE_OP_PORT and decimal digits. */
static int is_op_port(const char *name)
{
    size_t n = strlen(MP_GATE_OP_PORT);
    return !strncmp(name, MP_GATE_OP_PORT, n) && name[n] &&
           strspn(name + n, "0123456789") == strlen(name + n);
}

/* The input ports of module in netlist (but its clock, MP_CLOCK_PORTS,
 * whose name goes to g->clock), in declaration order. */
static int read_ports(mp_gate *g, const char *netlist, const char *module,
                      mp_diag *d)
{
    FILE *fp = fopen(netlist, "r");
    if (!fp)
        return mp_fail(d, netlist, 0, "netlist", "cannot read");
    char line[4096], head[160], base[64];
    snprintf(head, sizeof head, "module %.140s(", module);
    int in = 0, lineno = 0, rc = 0, done = 0;
    while (!rc && !done && fgets(line, sizeof line, fp)) {
        lineno++;
        if (!in) {
            in = !strncmp(line, head, strlen(head));
            continue;
        }
        const char *s = line + strspn(line, " ");
        int bit;
        if (!strncmp(s, "endmodule", 9))
            done = 1;
        else if (!strncmp(s, "input ", 6)) {
            if (port_name(s + 6, base, sizeof base, &bit))
                rc = mp_fail(d, netlist, lineno, "netlist", "input '%.60s' "
                             "is not a scalar or a bit-blasted bus bit",
                             s + 6);
            else if (bit < 0 && mp_is_clock_port(base))
                snprintf(g->clock, sizeof g->clock, "%s", base);
            else
                rc = add_port(g, base, bit, netlist, lineno, d);
        }
    }
    fclose(fp);
    if (!rc && !done)
        rc = mp_fail(d, netlist, lineno, "netlist", "no module %s", module);
    for (int i = 0; !rc && i < g->nports; i++) {
        if (!g->width[i] && is_op_port(g->port[i]))
            g->op_bit[g->nops++] = g->bits;
        g->bits += g->width[i] ? g->width[i] : 1;
    }
    return rc;
}

/* tb.v: the module under the stimulus; see gate_sim.h. */
static int write_tb(const mp_gate *g, const char *module, const char *path,
                    mp_diag *d)
{
    FILE *fp = fopen(path, "w");
    if (!fp)
        return mp_fail(d, path, 0, "gate", "cannot create");
    double half = MP_GATE_PERIOD_NS / 2;
    fprintf(fp, "// written by mpsim cosim --activity --gate "
            "(sim/cosim/gate_sim.h)\n`timescale 1ns/10ps\nmodule " TB ";\n"
            "  reg clk = 0;\n  reg [%ld:0] in;\n  reg [%ld:0] stim [0:%d];\n"
            "  integer n, i;\n  reg [8*1024-1:0] stimf, vcdf;\n"
            "  %s dut (", g->bits - 1, g->bits - 1, STIM_MAX - 1, module);
    if (g->clock[0])
        fprintf(fp, ".%s(clk)", g->clock);
    long at = g->bits; /* line position 0 is in[bits-1] */
    const char *sep = g->clock[0] ? ",\n    " : "\n    ";
    for (int i = 0; i < g->nports; i++) {
        if (!g->width[i]) {
            fprintf(fp, "%s.%s(in[%ld])", sep, g->port[i], --at);
            sep = ",\n    ";
            continue;
        }
        for (int b = g->width[i] - 1; b >= 0; b--) {
            fprintf(fp, "%s.\\%s[%d] (in[%ld])", sep, g->port[i], b, --at);
            sep = ",\n    ";
        }
    }
    fprintf(fp, ");\n  initial begin\n"
            "    if (!$value$plusargs(\"n=%%d\", n) ||\n"
            "        !$value$plusargs(\"stim=%%s\", stimf) ||\n"
            "        !$value$plusargs(\"vcd=%%s\", vcdf)) $fatal(1, "
            "\"usage: +n=N +stim=F +vcd=F\");\n"
            "    $readmemb(stimf, stim, 0, n - 1);\n    in = stim[0];\n"
            "    $dumpfile(vcdf);\n    $dumpvars(0, dut);\n"
            "    for (i = 1; i <= n; i = i + 1) begin\n"
            "      #%g clk = 1;\n      #%g if (i < n) in = stim[i];\n"
            "      #%g clk = 0;\n    end\n    #%g $finish;\n  end\n"
            "endmodule\n", half, MP_GATE_CLK_Q_NS, half - MP_GATE_CLK_Q_NS,
            half);
    if (fclose(fp))
        return mp_fail(d, path, 0, "gate", "write error");
    return 0;
}

static void work_path(const mp_gate *g, const char *name, char *out,
                      size_t cap)
{
    snprintf(out, cap, "%s/%s", g->work, name);
}

int mp_gate_open(mp_gate *g, const char *netlist, const char *top,
                 const char *module, const char *liberty, const char *work,
                 int zero_delay, mp_diag *d)
{
    char tb[MP_DIAG_FILE_MAX + 64], vvp[MP_DIAG_FILE_MAX + 64],
        log[MP_DIAG_FILE_MAX + 64], cells[MP_DIAG_FILE_MAX + 8];
    g->nports = 0;
    g->nops = 0;
    g->bits = 0;
    g->clock[0] = 0;
    snprintf(g->work, sizeof g->work, "%s", work);
    snprintf(g->module, sizeof g->module, "%s", module);
    snprintf(g->scope, sizeof g->scope, "TOP.%.100s", top);
    size_t n = strlen(liberty);
    if (n < 4 || strcmp(liberty + n - 4, ".lib") || n + 1 > sizeof cells)
        return mp_fail(d, liberty, 0, "gate", "the cell models are looked "
                       "for beside a .lib liberty");
    memcpy(cells, liberty, n - 3);
    memcpy(cells + n - 3, "v", 2);
    if (instance_path(g, netlist, top, module, d) ||
        read_ports(g, netlist, module, d) || mp_mkdirs(work, d))
        return -1;
    g->per_result = is_read_unit(g->path);
    work_path(g, "tb.v", tb, sizeof tb);
    work_path(g, "tb.vvp", vvp, sizeof vvp);
    work_path(g, "iverilog.log", log, sizeof log);
    if (write_tb(g, module, tb, d))
        return -1;
    char *argv[] = {"iverilog", "-s", TB, "-o", vvp, tb, (char *)netlist,
                    cells, "-gspecify", NULL};
    if (zero_delay)
        argv[8] = NULL;
    int st = mp_tool_exec(argv, NULL, NULL, log, d);
    if (st < 0)
        return -1;
    if (st)
        return mp_fail(d, tb, 0, "iverilog", "exit status %d (see %s)", st,
                       log);
    return 0;
}

/* Add the counts of src to dst's (same netlist: same names in the same
 * order). */
static int add_counts(mp_toggles *t, const mp_toggles *one, const char *path,
                      mp_diag *d)
{
    if (t->count != one->count)
        return mp_fail(d, path, 0, "vcd", "%d signal bits, an earlier tile "
                       "had %d", one->count, t->count);
    for (int i = 0; i < t->count; i++) {
        if (strcmp(t->v[i].name, one->v[i].name))
            return mp_fail(d, path, 0, "vcd", "signal '%s' where an earlier "
                           "tile had '%s'", one->v[i].name, t->v[i].name);
        t->v[i].count += one->v[i].count;
    }
    return 0;
}

/* Merge the counts of one run into the total (taken over when the total
 * is empty). */
static int merge(mp_toggles *t, mp_toggles *one, const char *path,
                 mp_diag *d)
{
    if (!t->count) {
        *t = *one;
        one->v = NULL;
        one->count = 0;
        return 0;
    }
    return add_counts(t, one, path, d);
}

/* rtl.vcd -> stim.mem; the number of rising edges. */
static long sample(const mp_gate *g, const char *rtl, const char *stim,
                   mp_diag *d)
{
    char name[MP_GATE_PORTS_MAX][MP_GATE_PATH_MAX + 64];
    const char *sig[MP_GATE_PORTS_MAX];
    for (int i = 0; i < g->nports; i++) {
        snprintf(name[i], sizeof name[i], "%s/%s", g->path, g->port[i]);
        sig[i] = name[i];
    }
    FILE *fp = fopen(stim, "w+");
    if (!fp)
        return mp_fail(d, stim, 0, "gate", "cannot create");
    mp_vcd_req q = {g->scope, NULL, "clk", g->nports, sig, fp, 0};
    long rc = mp_vcd_read(rtl, &q, d);
    char first[1024] = "";
    rewind(fp);
    if (!rc && (q.edges < 1 || q.edges > STIM_MAX))
        rc = mp_fail(d, rtl, 0, "gate", "%ld rising edges of %s.clk (1..%d)",
                     q.edges, g->scope, STIM_MAX);
    if (!rc && (!fgets(first, sizeof first, fp) ||
                (long)strlen(first) != g->bits + 1))
        rc = mp_fail(d, stim, 1, "gate", "the RTL inputs of %s are %ld bits "
                     "wide, the netlist's %ld", g->path,
                     (long)strlen(first) - 1, g->bits);
    if (fclose(fp) && !rc)
        rc = mp_fail(d, stim, 0, "gate", "write error");
    return rc ? -1 : q.edges;
}

int mp_gate_rtl(const char *bench, const char *tiles, int tile,
                const char *rtl, mp_diag *d)
{
    char out[MP_DIAG_FILE_MAX + 64], log[MP_DIAG_FILE_MAX + 64], only[16];
    snprintf(out, sizeof out, "%s.out", rtl);
    snprintf(log, sizeof log, "%s.log", rtl);
    snprintf(only, sizeof only, "%d", tile);
    char *hv[] = {(char *)bench, (char *)tiles, "--only", only, "--trace",
                  (char *)rtl, NULL};
    int st = mp_tool_exec(hv, NULL, out, log, d);
    if (st < 0)
        return -1;
    if (st)
        return mp_fail(d, bench, 0, "gate", "harness exit status %d (see "
                       "%s)", st, log);
    return 0;
}

/* A read-port unit's reads: the top's MP_GATE_READ_INDEX sampled as
 * stim.mem is, one line a cycle, into `reads`; its width into *bits.
 * 0, or -1 with d (not the n cycles of stim.mem). */
static int sample_reads(const mp_gate *g, const char *rtl, const char *reads,
                        long n, long *bits, mp_diag *d)
{
    const char *sig[1] = {MP_GATE_READ_INDEX};
    FILE *fp = fopen(reads, "w+");
    if (!fp)
        return mp_fail(d, reads, 0, "gate", "cannot create");
    mp_vcd_req q = {g->scope, NULL, "clk", 1, sig, fp, 0};
    int rc = mp_vcd_read(rtl, &q, d);
    char first[128] = "";
    rewind(fp);
    if (!rc && q.edges != n)
        rc = mp_fail(d, rtl, 0, "gate", "%ld rising edges of %s.clk, %ld "
                     "before", q.edges, g->scope, n);
    if (!rc && (!fgets(first, sizeof first, fp) || strlen(first) < 2 ||
                first[strlen(first) - 1] != '\n'))
        rc = mp_fail(d, reads, 1, "gate", "no %s line", MP_GATE_READ_INDEX);
    *bits = (long)strlen(first) - 1;
    if (fclose(fp) && !rc)
        rc = mp_fail(d, reads, 0, "gate", "write error");
    return rc;
}

/* Does line j (prev: line j - 1) start an op?  An op strobe high in the
 * unit's inputs; for a read-port unit (its reads' lines), the read index
 * changed: a read (the first tile's read of the index's reset value
 * looks like none). */
static int op_starts(const mp_gate *g, const char *line, const char *prev,
                     long j)
{
    if (g->per_result)
        return j > 0 && strcmp(line, prev) != 0;
    for (int i = 0; i < g->nops; i++)
        if (line[g->op_bit[i]] == '1')
            return 1;
    return 0;
}

/* busy[w] for the n cycles of file (lines of `bits` characters: stim.mem,
 * a read-port unit's reads; windows 1..n, see gate_sim.h): an op started
 * in line w - C + 1 .. w (0-based lines, the inputs applied after rising
 * edge w; line 0 before the first, its settling part of window 1; C the
 * cycles an op is in flight: MP_GATE_OP_CYCLES, a read-port unit's
 * MP_GATE_RESULT_CYCLES).  The number of idle windows. */
static long busy_windows(const mp_gate *g, const char *file, long bits,
                         long n, unsigned char *busy, mp_diag *d)
{
    FILE *fp = fopen(file, "r");
    if (!fp)
        return mp_fail(d, file, 0, "gate", "cannot read");
    long flight = g->per_result ? MP_GATE_RESULT_CYCLES : MP_GATE_OP_CYCLES;
    char *buf = malloc(2 * ((size_t)bits + 2));
    char *line = buf, *prev = buf ? buf + bits + 2 : NULL;
    long last = -flight, idle = 0; /* line of the last op */
    int rc = buf ? 0 : mp_fail(d, file, 0, "gate", "out of memory");
    memset(busy, 0, (size_t)n + 1);
    for (long j = 0; !rc && j < n; j++) {
        if (!fgets(line, (int)bits + 2, fp) ||
            (long)strlen(line) != bits + 1) {
            rc = mp_fail(d, file, j + 1, "gate", "short line");
            break;
        }
        if (op_starts(g, line, prev, j))
            last = j;
        if (j >= 1)
            busy[j] = j - last < flight;
        char *t = prev;
        prev = line;
        line = t;
    }
    busy[n] = n - last < flight; /* past the last line */
    for (long w = 1; !rc && w <= n; w++)
        idle += !busy[w];
    free(buf);
    fclose(fp);
    return rc ? -1 : idle;
}

int mp_gate_tile(const mp_gate *g, const char *rtl, mp_toggles *t,
                 double *cycles, mp_toggles *idle, double *idle_cycles,
                 mp_diag *d)
{
    char stim[MP_DIAG_FILE_MAX + 64], gate[MP_DIAG_FILE_MAX + 64],
        vvp[MP_DIAG_FILE_MAX + 64], log[MP_DIAG_FILE_MAX + 64],
        out[MP_DIAG_FILE_MAX + 64], narg[32], sarg[MP_DIAG_FILE_MAX + 80],
        varg[MP_DIAG_FILE_MAX + 80];
    work_path(g, "stim.mem", stim, sizeof stim);
    work_path(g, "gate.vcd", gate, sizeof gate);
    work_path(g, "tb.vvp", vvp, sizeof vvp);
    work_path(g, "gate.log", log, sizeof log);
    work_path(g, "gate.out", out, sizeof out);
    long n = sample(g, rtl, stim, d);
    if (n < 0)
        return -1;
    snprintf(narg, sizeof narg, "+n=%ld", n);
    snprintf(sarg, sizeof sarg, "+stim=%s", stim);
    snprintf(varg, sizeof varg, "+vcd=%s", gate);
    char *vv[] = {"vvp", "-n", vvp, narg, sarg, varg, NULL};
    int st = mp_tool_exec(vv, NULL, out, log, d);
    if (st < 0)
        return -1;
    if (st)
        return mp_fail(d, vvp, 0, "vvp", "exit status %d (see %s)", st, log);
    /* the cycles an op is in flight: by the unit's op strobes, or a
     * read-port unit's by the top's reads */
    char reads[MP_DIAG_FILE_MAX + 64];
    long bits = g->bits;
    work_path(g, "reads.mem", reads, sizeof reads);
    if (g->per_result && sample_reads(g, rtl, reads, n, &bits, d))
        return -1;
    unsigned char *busy = malloc((size_t)n + 1);
    if (!busy)
        return mp_fail(d, stim, 0, "gate", "out of memory");
    long n_idle = busy_windows(g, g->per_result ? reads : stim, bits, n, busy,
                               d);
    mp_toggles one = {0, NULL}, one_idle = {0, NULL};
    char scope[64];
    snprintf(scope, sizeof scope, "%s.dut", TB);
    /* windows: the testbench's clock periods from its first rising edge,
     * at half a period (write_tb) */
    mp_vcd_req q = {scope, &one, NULL, 0, NULL, NULL, 0, &one_idle,
                    MP_GATE_PERIOD_NS, MP_GATE_PERIOD_NS / 2, busy, n + 1};
    int rc = n_idle < 0 ? -1 : mp_vcd_read(gate, &q, d);
    free(busy);
    /* one holds the busy windows' counts: its total adds the idle ones */
    if (!rc)
        rc = add_counts(&one, &one_idle, gate, d);
    if (!rc)
        rc = merge(idle, &one_idle, gate, d);
    if (!rc)
        rc = merge(t, &one, gate, d);
    mp_toggles_free(&one);
    mp_toggles_free(&one_idle);
    if (!rc) {
        *cycles += (double)n;
        *idle_cycles += (double)n_idle;
    }
    remove(gate);
    return rc;
}
