/*
 * cmd_report.c - `mpsim report RESULTS.csv`: analyse a sweep's results.
 *
 * Feasible points are status "ok" rows that meet every --budget.  Among
 * them: the Pareto front of 2 or 3 objectives, the best point of each
 * group (--by, default pe.family) by one objective, iso-area and
 * iso-throughput comparisons between groups; tables in Markdown, CSV and
 * LaTeX (sim/analysis/table.h), figures with gnuplot (scripts/report/NAME.gp)
 * in PNG, SVG and PDF.  Every output records the command, the FNV-1a hash
 * of the results file and the mpsim version.  docs/model.md, section 8.4.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "golden/datadir.h"
#include "golden/outfile.h"
#include "sim/analysis/pareto.h"
#include "sim/analysis/results.h"
#include "sim/analysis/table.h"
#include "sim/cli/cli_util.h"
#include "sim/cli/commands.h"
#include "sim/tools.h"
#include "sim/simulate.h"
#include "sim/sweep/expr.h"
#include "sim/sweep/point.h"
#include "sim/version.h"

#define MAX_BUDGETS 8
#define PLOT_MAX 100000 /* background points per scatter (every k-th) */

enum { OPT_PARETO = 256, OPT_BUDGET, OPT_BEST, OPT_BY, OPT_ISO_AREA,
       OPT_ISO_TPUT, OPT_X, OPT_NO_FIG, OPT_SWEEP };

static const mp_option report_own[] = {
    {"pareto", OPT_PARETO, "A,B[,C]", "objectives (default latency_s,energy_j)"},
    {"budget", OPT_BUDGET, "EXPR", "e.g. 'area_mm2 <= 4' (repeatable)"},
    {"best", OPT_BEST, "OBJ", "per-group best (default tokens_per_s)"},
    {"by", OPT_BY, "COLUMN", "groups (default pe.family)"},
    {"iso-area", OPT_ISO_AREA, "MM2", "per group, best tokens/s within this "
     "area"},
    {"iso-throughput", OPT_ISO_TPUT, "T", "per group, least area reaching T "
     "tokens/s"},
    {"x", OPT_X, "COLUMN", "latency and energy vs this column (default\n"
     "workload.batch or workload.seq when swept)"},
    {"sweep", OPT_SWEEP, "SWEEP.yaml", "the sweep that made RESULTS: the "
     "roofline then\nalso places each group's best point's layers"},
    {"no-figures", OPT_NO_FIG, NULL, "tables only"},
    {"output", 'o', "DIR", "tables and figures here (default report)"},
    {NULL, 0, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out,
        "usage: mpsim report RESULTS.csv [-o DIR] [--pareto A,B[,C]]\n"
        "                   [--budget EXPR]... [--best OBJ] [--by COLUMN]\n"
        "                   [--iso-area MM2] [--iso-throughput TOKENS_S]\n"
        "                   [--x COLUMN] [--sweep SWEEP.yaml] [--no-figures]\n\n"
        "Analyse a sweep's results (mpsim sweep): Pareto front, best point\n"
        "per group under budgets, iso-area / iso-throughput comparisons;\n"
        "tables (.md, .csv, .tex) and gnuplot figures (.png, .svg, .pdf) in\n"
        "DIR (default report).  An objective is a column, minimised, or\n"
        "max:COLUMN (columns per_s, per_j, tops, util are maximised by\n"
        "default); min:COLUMN forces minimising.\n\n");
    mp_options_help(out, report_own, 21);
    mp_options_help(out, mp_cli_help_options, 21);
}

typedef struct objective {
    char name[64];
    int max;  /* maximise */
    int col;  /* wanted-number index */
} objective;

typedef struct report {
    mp_results r;
    const char *dir;
    char stamp[1024];
    objective obj[3], best;
    int nobj;
    int nbudget;
    char budget_text[MAX_BUDGETS][128];
    mp_expr budget[MAX_BUDGETS];
    int c_lat, c_energy, c_area, c_power, c_tps, c_e[6];
    int c_macs, c_bytes, c_peak, c_clock, c_bw, c_x, c_batch, c_seq;
    char x[64];
    double iso_area, iso_tput;
    const char *sweep;        /* --sweep: re-run best points for layers */
    unsigned char *feasible;
    size_t *best_row; /* per group, or SIZE_MAX */
} report;

static const char *const energy_cols[6] = {
    "e_pe_pj", "e_edge_pj", "e_vector_pj", "e_sram_pj", "e_dram_pj",
    "e_leakage_pj"};

static int parse_objective(const char *text, objective *o, mp_diag *d)
{
    memset(o, 0, sizeof *o);
    const char *name = text;
    static const char *const maxed[] = {"per_s", "per_j", "tops", "util",
                                        NULL};
    if (!strncmp(text, "max:", 4) || !strncmp(text, "min:", 4)) {
        o->max = text[1] == 'a';
        name += 4;
    } else {
        for (int i = 0; maxed[i]; i++)
            o->max |= strstr(name, maxed[i]) != NULL;
    }
    if (!name[0] || strlen(name) >= sizeof o->name)
        return mp_fail(d, MP_CMDLINE, 0, "objective", "bad objective '%s'",
                       text);
    snprintf(o->name, sizeof o->name, "%s", name);
    return 0;
}

static int need(report *p, const char *name, mp_diag *d)
{
    int c = mp_results_want(&p->r, name);
    if (c < 0)
        mp_fail(d, p->r.file, 1, name, "no such column in the results");
    return c;
}

static int lookup(void *ctx, const char *name)
{
    return mp_results_want(&((report *)ctx)->r, name);
}

static double num(const report *p, size_t row, int col)
{
    return col < 0 ? NAN : mp_results_num(&p->r, row, col);
}

static double signed_obj(const report *p, size_t row, const objective *o)
{
    double v = num(p, row, o->col);
    return o->max ? -v : v;
}

static void fmt(char *out, double v)
{
    if (isfinite(v))
        snprintf(out, MP_TABLE_CELL, "%.4g", v);
    else
        snprintf(out, MP_TABLE_CELL, "-");
}

/* ---- analysis ------------------------------------------------------------ */

static void find_feasible(report *p)
{
    for (size_t i = 0; i < p->r.nrows; i++) {
        int ok = p->r.ok[i];
        const double *v = p->r.num + i * (size_t)p->r.nwant;
        for (int b = 0; b < p->nbudget && ok; b++)
            ok = mp_expr_eval(&p->budget[b], v) != 0;
        for (int j = 0; j < p->nobj && ok; j++)
            ok = isfinite(num(p, i, p->obj[j].col));
        p->feasible[i] = (unsigned char)ok;
    }
}

static void find_best(report *p)
{
    for (int g = 0; g < p->r.ngroups; g++)
        p->best_row[g] = SIZE_MAX;
    for (size_t i = 0; i < p->r.nrows; i++) {
        if (!p->feasible[i] || !isfinite(num(p, i, p->best.col)))
            continue;
        size_t *b = &p->best_row[p->r.group[i]];
        if (*b == SIZE_MAX ||
            signed_obj(p, i, &p->best) < signed_obj(p, *b, &p->best))
            *b = i;
    }
}

/* ---- tables ---------------------------------------------------------------- */

static void row_common(const report *p, char (*row)[MP_TABLE_CELL],
                       size_t i)
{
    snprintf(row[0], MP_TABLE_CELL, "%s", p->r.groups[p->r.group[i]]);
    snprintf(row[1], MP_TABLE_CELL, "%lld", (long long)p->r.point[i]);
    snprintf(row[2], MP_TABLE_CELL, "%016llx",
             (unsigned long long)p->r.hash[i]);
    fmt(row[3], num(p, i, p->c_lat));
    fmt(row[4], num(p, i, p->c_energy));
    fmt(row[5], num(p, i, p->c_area));
    fmt(row[6], num(p, i, p->c_power));
    fmt(row[7], num(p, i, p->c_tps));
}

static const char *const common_head[] = {
    "group", "point", "hash", "latency_s", "energy_j", "area_mm2",
    "power_w", "tokens_per_s"};
#define N_COMMON 8

static int table_of_rows(report *p, const size_t *rows, size_t n,
                         const char *stem, mp_diag *d)
{
    mp_table t;
    const char *head[MP_TABLE_COLS];
    int nc = N_COMMON;
    memcpy(head, common_head, sizeof common_head);
    for (int j = 0; j < p->nobj; j++) /* objectives not shown already */
        if (mp_results_want(&p->r, p->obj[j].name) >= 0 &&
            strcmp(p->obj[j].name, "latency_s") &&
            strcmp(p->obj[j].name, "energy_j") &&
            strcmp(p->obj[j].name, "area_mm2") &&
            strcmp(p->obj[j].name, "power_w") &&
            strcmp(p->obj[j].name, "tokens_per_s"))
            head[nc++] = p->obj[j].name;
    mp_table_init(&t, nc, head);
    int rc = 0;
    for (size_t k = 0; k < n && !rc; k++) {
        char (*row)[MP_TABLE_CELL] = mp_table_row(&t);
        if (!row) {
            rc = mp_fail(d, p->dir, 0, stem, "out of memory");
            break;
        }
        row_common(p, row, rows[k]);
        for (int c = N_COMMON; c < nc; c++)
            fmt(row[c], num(p, rows[k], mp_results_want(&p->r, head[c])));
    }
    if (!rc)
        rc = mp_table_write(&t, p->dir, stem, p->stamp, d);
    mp_table_free(&t);
    return rc;
}

/* iso-area: per group the most tokens/s within the area; iso-throughput:
 * the least area reaching the rate. */
static int iso_tables(report *p, mp_diag *d)
{
    for (int kind = 0; kind < 2; kind++) {
        double lim = kind ? p->iso_tput : p->iso_area;
        if (!(lim > 0))
            continue;
        size_t rows[MP_RESULTS_MAX_GROUPS], n = 0;
        for (int g = 0; g < p->r.ngroups; g++) {
            size_t b = SIZE_MAX;
            for (size_t i = 0; i < p->r.nrows; i++) {
                if (!p->feasible[i] || p->r.group[i] != g)
                    continue;
                double a = num(p, i, p->c_area), t = num(p, i, p->c_tps);
                if (kind ? !(t >= lim) : !(a <= lim))
                    continue;
                if (b == SIZE_MAX ||
                    (kind ? a < num(p, b, p->c_area)
                          : t > num(p, b, p->c_tps)))
                    b = i;
            }
            if (b != SIZE_MAX)
                rows[n++] = b;
        }
        if (table_of_rows(p, rows, n, kind ? "iso_throughput" : "iso_area",
                          d))
            return -1;
    }
    return 0;
}

/* ---- figures --------------------------------------------------------------- */

static FILE *open_dat(report *p, const char *name, char *path, mp_diag *d)
{
    snprintf(path, MP_DIAG_FILE_MAX, "%s/%s.dat", p->dir, name);
    FILE *fp = fopen(path, "w");
    if (!fp)
        mp_fail(d, path, 0, "output", "cannot write: %s", strerror(errno));
    else
        fprintf(fp, "# %s\n", p->stamp);
    return fp;
}

static int plot(report *p, const char *script, const char *vars,
                const char *stem, mp_diag *d)
{
    char gp[4096], term_gp[4096];
    if (mp_data_path("scripts/report", script, ".gp", gp, sizeof gp) ||
        mp_data_path("scripts/report", "term", ".gp", term_gp,
                     sizeof term_gp))
        return mp_fail(d, script, 0, "figure", "gnuplot script not found "
                       "(scripts/report/%s.gp, term.gp)", script);
    static const char *const terms[] = {"png", "svg", "pdf"};
    for (int t = 0; t < 3; t++) {
        char all[8192], out[MP_DIAG_FILE_MAX + 8];
        snprintf(out, sizeof out, "%s/%s.%s", p->dir, stem, terms[t]);
        snprintf(all, sizeof all, "%s; term='%s'; out='%s'; stamp='%s'; "
                 "term_gp='%s'", vars, terms[t], out, p->stamp, term_gp);
        char *argv[] = {"gnuplot", "-e", all, gp, NULL};
        char log[MP_DIAG_FILE_MAX + 16];
        snprintf(log, sizeof log, "%s/gnuplot.log", p->dir);
        int rc = mp_tool_exec(argv, NULL, log, log, d);
        if (rc > 0)
            return mp_fail(d, out, 0, "figure", "gnuplot failed (exit %d; "
                           "see %s)", rc, log);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static void group_words(const report *p, char *out, size_t cap)
{
    size_t n = 0;
    out[0] = '\0';
    for (int g = 0; g < p->r.ngroups && n < cap; g++) {
        n += (size_t)snprintf(out + n, cap - n, "%s%s", g ? " " : "",
                              p->r.groups[g]);
    }
    for (char *c = out; *c; c++)
        if (*c == '\'' || *c == '"')
            *c = '_';
}

static int fig_pareto(report *p, const size_t *front, size_t nf,
                      mp_diag *d)
{
    char path[MP_DIAG_FILE_MAX], path2[MP_DIAG_FILE_MAX];
    FILE *fp = open_dat(p, "pareto_points", path, d);
    if (!fp)
        return -1;
    size_t nfeas = 0;
    for (size_t i = 0; i < p->r.nrows; i++)
        nfeas += p->feasible[i];
    size_t stride = nfeas > PLOT_MAX ? (nfeas + PLOT_MAX - 1) / PLOT_MAX : 1;
    for (int g = 0; g < p->r.ngroups; g++) {
        size_t k = 0;
        fprintf(fp, "%s\n", g ? "\n" : "");
        for (size_t i = 0; i < p->r.nrows; i++)
            if (p->feasible[i] && p->r.group[i] == g && k++ % stride == 0)
                fprintf(fp, "%.10g %.10g\n", num(p, i, p->obj[0].col),
                        num(p, i, p->obj[1].col));
        if (k == 0)
            fprintf(fp, "NaN NaN\n"); /* keep the block (index) */
    }
    fclose(fp);
    if (!(fp = open_dat(p, "pareto_front", path2, d)))
        return -1;
    for (size_t k = 0; k < nf; k++)
        fprintf(fp, "%.10g %.10g\n", num(p, front[k], p->obj[0].col),
                num(p, front[k], p->obj[1].col));
    fclose(fp);
    char groups[2048], vars[4096];
    group_words(p, groups, sizeof groups);
    snprintf(vars, sizeof vars, "pts='%s'; front='%s'; groups='%s'; "
             "xl='%s%s'; yl='%s%s'", path, path2, groups, p->obj[0].name,
             p->obj[0].max ? " (max)" : "", p->obj[1].name,
             p->obj[1].max ? " (max)" : "");
    return plot(p, "pareto", vars, "pareto", d);
}

/* GEMM layers of point `row` re-run from the sweep file: one block of
 * "intensity performance" (one instance: 2 MACs per op).  The row's hash
 * must be the point's, so the results belong to this sweep. */
static int layer_block(report *p, mp_sweep_eval *e, size_t row, FILE *fp,
                       mp_diag *d)
{
    mp_arch a;
    mp_run run;
    uint64_t hash;
    int64_t idx = p->r.point[row];
    if (idx < 0 || idx >= e->s->points)
        return mp_fail(d, p->sweep, 0, "point", "results point %lld is not "
                       "in this sweep (%lld points)", (long long)idx,
                       (long long)e->s->points);
    if (mp_sweep_eval_run(e, idx, &a, &run, &hash, d))
        return -1;
    if (hash != p->r.hash[row]) {
        mp_run_free(&run);
        return mp_fail(d, p->sweep, 0, "hash", "point %lld has hash %016llx "
                       "here and %016llx in %s: not the sweep of these "
                       "results", (long long)idx, (unsigned long long)hash,
                       (unsigned long long)p->r.hash[row], p->r.file);
    }
    for (size_t l = 0; l < run.count; l++) {
        const mp_layer *L = &run.layers[l];
        double bytes = L->dram_read_bytes + L->dram_write_bytes;
        if (L->kind != MP_OP_VECTOR && L->macs > 0 && bytes > 0 &&
            L->seconds > 0)
            fprintf(fp, "%.10g %.10g\n", 2 * L->macs / bytes,
                    2 * L->macs / L->seconds);
    }
    fprintf(fp, "NaN NaN\n\n\n");
    mp_run_free(&run);
    return 0;
}

static int layer_data(report *p, char *path, mp_diag *d)
{
    mp_sweep *s = mp_sweep_new(p->sweep, d);
    if (!s)
        return -1;
    mp_sweep_eval e;
    mp_sweep_eval_init(&e, s);
    FILE *fp = open_dat(p, "roofline_layers", path, d);
    int rc = fp ? 0 : -1;
    for (int g = 0; g < p->r.ngroups && !rc; g++)
        if (p->best_row[g] != SIZE_MAX)
            rc = layer_block(p, &e, p->best_row[g], fp, d);
    if (fp)
        fclose(fp);
    mp_sweep_eval_free(&e);
    mp_sweep_delete(s);
    return rc;
}

static int fig_best(report *p, mp_diag *d)
{
    char path[MP_DIAG_FILE_MAX], path2[MP_DIAG_FILE_MAX];
    FILE *fe = open_dat(p, "energy_breakdown", path, d);
    if (!fe)
        return -1;
    FILE *fr = open_dat(p, "roofline", path2, d);
    if (!fr) {
        fclose(fe);
        return -1;
    }
    fprintf(fe, "group pe edge vector sram dram leakage\n");
    int n = 0;
    char names[2048];
    size_t nn = 0;
    names[0] = '\0';
    for (int g = 0; g < p->r.ngroups; g++) {
        size_t i = p->best_row[g];
        if (i == SIZE_MAX)
            continue;
        n++;
        if (nn < sizeof names)
            nn += (size_t)snprintf(names + nn, sizeof names - nn, "%s%s",
                                   nn ? " " : "", p->r.groups[g]);
        fprintf(fe, "%s", p->r.groups[g]);
        for (int k = 0; k < 6; k++)
            fprintf(fe, " %.10g", num(p, i, p->c_e[k]) * 1e-12);
        fputc('\n', fe);
        double macs = num(p, i, p->c_macs), lat = num(p, i, p->c_lat);
        double bytes = num(p, i, p->c_bytes);
        fprintf(fr, "%s %.10g %.10g %.10g %.10g\n", p->r.groups[g],
                bytes > 0 ? 2 * macs / bytes : NAN,
                lat > 0 ? 2 * macs / lat : NAN,
                2 * num(p, i, p->c_peak) * num(p, i, p->c_clock),
                num(p, i, p->c_bw) * 1e9);
    }
    fclose(fe);
    fclose(fr);
    if (n == 0)
        return 0;
    char vars[4096];
    snprintf(vars, sizeof vars, "dat='%s'; best='%s'", path, p->best.name);
    if (plot(p, "energy", vars, "energy_breakdown", d))
        return -1;
    for (char *c = names; *c; c++)
        if (*c == '\'' || *c == '"')
            *c = '_';
    size_t nv = (size_t)snprintf(vars, sizeof vars, "dat='%s'; names='%s'",
                                 path2, names);
    if (p->sweep) {
        char path3[MP_DIAG_FILE_MAX];
        if (layer_data(p, path3, d))
            return -1;
        snprintf(vars + nv, sizeof vars - nv, "; layers='%s'", path3);
    }
    return plot(p, "roofline", vars, "roofline", d);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* Per group and x value the least latency and the least energy. */
static int fig_vs_x(report *p, mp_diag *d)
{
    if (p->c_x < 0)
        return 0;
    size_t nx = 0;
    double xs[256];
    for (size_t i = 0; i < p->r.nrows; i++) {
        double x = num(p, i, p->c_x);
        if (!p->feasible[i] || !isfinite(x))
            continue;
        size_t k = 0;
        while (k < nx && xs[k] != x)
            k++;
        if (k == nx && nx < 256)
            xs[nx++] = x;
    }
    if (nx < 2)
        return 0;
    qsort(xs, nx, sizeof xs[0], cmp_double);
    char path[MP_DIAG_FILE_MAX];
    FILE *fp = open_dat(p, "vs_x", path, d);
    if (!fp)
        return -1;
    for (int g = 0; g < p->r.ngroups; g++) {
        fprintf(fp, "%s", g ? "\n\n" : "");
        for (size_t k = 0; k < nx; k++) {
            double lat = INFINITY, en = INFINITY;
            for (size_t i = 0; i < p->r.nrows; i++)
                if (p->feasible[i] && p->r.group[i] == g &&
                    num(p, i, p->c_x) == xs[k]) {
                    lat = fmin(lat, num(p, i, p->c_lat));
                    en = fmin(en, num(p, i, p->c_energy));
                }
            if (isfinite(lat))
                fprintf(fp, "%.10g %.10g %.10g\n", xs[k], lat, en);
        }
        fprintf(fp, "NaN NaN NaN\n");
    }
    fclose(fp);
    char groups[2048], vars[4096];
    group_words(p, groups, sizeof groups);
    snprintf(vars, sizeof vars, "dat='%s'; groups='%s'; xl='%s'", path,
             groups, p->x);
    return plot(p, "vs_x", vars, "vs_x", d);
}

/* 1 when column c takes more than one value. */
static int varies(const report *p, int c)
{
    for (size_t i = 1; c >= 0 && i < p->r.nrows; i++)
        if (num(p, i, c) != num(p, 0, c) && isfinite(num(p, i, c)))
            return 1;
    return 0;
}

static void pick_x(report *p)
{
    if (varies(p, p->c_batch))
        p->c_x = p->c_batch, snprintf(p->x, sizeof p->x, "workload.batch");
    else if (varies(p, p->c_seq))
        p->c_x = p->c_seq, snprintf(p->x, sizeof p->x, "workload.seq");
}

/* ---- the command ----------------------------------------------------------- */

static int analyse(report *p, int figures, mp_diag *d)
{
    size_t n = p->r.nrows;
    p->feasible = calloc(n ? n : 1, 1);
    p->best_row = calloc(MP_RESULTS_MAX_GROUPS, sizeof *p->best_row);
    size_t *idx = malloc((n ? n : 1) * sizeof *idx);
    size_t *front = malloc((n ? n : 1) * sizeof *front);
    double *v = malloc((n ? n : 1) * 3 * sizeof *v);
    int rc = -1;
    if (!p->feasible || !p->best_row || !idx || !front || !v) {
        mp_fail(d, p->r.file, 0, "report", "out of memory");
        goto out;
    }
    find_feasible(p);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (!p->feasible[i])
            continue;
        for (int j = 0; j < p->nobj; j++)
            v[m * (size_t)p->nobj + (size_t)j] = signed_obj(p, i, &p->obj[j]);
        idx[m++] = i;
    }
    if (m == 0) { /* nothing to rank or plot: say so before writing */
        mp_fail(d, p->r.file, 0, p->nbudget ? "--budget" : "status",
                "no row of %zu is ok%s and finite in every objective", n,
                p->nbudget ? ", within the budget" : "");
        goto out;
    }
    size_t nf = mp_pareto(v, p->nobj, m, front);
    if (nf == (size_t)-1) {
        mp_fail(d, p->r.file, 0, "report", "out of memory");
        goto out;
    }
    for (size_t k = 0; k < nf; k++)
        front[k] = idx[front[k]];
    find_best(p);
    size_t best[MP_RESULTS_MAX_GROUPS], nb = 0;
    for (int g = 0; g < p->r.ngroups; g++)
        if (p->best_row[g] != SIZE_MAX)
            best[nb++] = p->best_row[g];
    if (mkdir(p->dir, 0777) && errno != EEXIST) {
        mp_fail(d, p->dir, 0, "output", "cannot create: %s", strerror(errno));
        goto out;
    }
    if (table_of_rows(p, front, nf, "pareto", d) ||
        table_of_rows(p, best, nb, "best", d) || iso_tables(p, d))
        goto out;
    if (figures && (fig_pareto(p, front, nf, d) || fig_best(p, d) ||
                    fig_vs_x(p, d)))
        goto out;
    printf("%zu rows, %zu feasible, %zu on the Pareto front of", n, m, nf);
    for (int j = 0; j < p->nobj; j++)
        printf(" %s%s", p->obj[j].max ? "max:" : "", p->obj[j].name);
    printf("; tables%s in %s/\n", figures ? " and figures" : "", p->dir);
    rc = 0;
out:
    free(idx);
    free(front);
    free(v);
    free(p->feasible);
    free(p->best_row);
    return rc;
}

/* The numbers every table and figure uses, then the objectives and
 * budgets; a missing column is an error only where it is needed. */
static int want_columns(report *p, mp_diag *d)
{
    mp_results *r = &p->r;
    if ((p->c_lat = need(p, "latency_s", d)) < 0 ||
        (p->c_energy = need(p, "energy_j", d)) < 0 ||
        (p->c_area = need(p, "area_mm2", d)) < 0 ||
        (p->c_power = need(p, "power_w", d)) < 0 ||
        (p->c_tps = need(p, "tokens_per_s", d)) < 0)
        return -1;
    for (int k = 0; k < 6; k++)
        p->c_e[k] = mp_results_want(r, energy_cols[k]);
    p->c_macs = mp_results_want(r, "macs");
    p->c_bytes = mp_results_want(r, "dram_bytes");
    p->c_peak = mp_results_want(r, "peak_macs_per_cycle");
    p->c_clock = mp_results_want(r, "array.clock_hz");
    p->c_bw = mp_results_want(r, "dram.gbytes_per_s");
    p->c_x = p->x[0] ? need(p, p->x, d) : -1;
    if (p->x[0] && p->c_x < 0)
        return -1;
    p->c_batch = mp_results_want(r, "workload.batch");
    p->c_seq = mp_results_want(r, "workload.seq");
    for (int j = 0; j < p->nobj; j++)
        if ((p->obj[j].col = need(p, p->obj[j].name, d)) < 0)
            return -1;
    if ((p->best.col = need(p, p->best.name, d)) < 0)
        return -1;
    for (int b = 0; b < p->nbudget; b++) {
        char msg[200];
        if (mp_expr_compile(p->budget_text[b], lookup, p, &p->budget[b], msg,
                            sizeof msg))
            return mp_fail(d, MP_CMDLINE, 0, "--budget", "%s", msg);
        if (!p->budget[b].is_cmp)
            return mp_fail(d, MP_CMDLINE, 0, "--budget", "not a comparison "
                           "(e.g. area_mm2 <= 4)");
    }
    return 0;
}

static int parse_pareto(report *p, const char *spec, mp_diag *d)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", spec);
    p->nobj = 0;
    for (char *s = strtok(buf, ","); s; s = strtok(NULL, ",")) {
        if (p->nobj == 3)
            return mp_fail(d, MP_CMDLINE, 0, "--pareto", "2 or 3 "
                           "objectives");
        if (parse_objective(s, &p->obj[p->nobj++], d))
            return -1;
    }
    if (p->nobj < 2)
        return mp_fail(d, MP_CMDLINE, 0, "--pareto", "2 or 3 objectives");
    return 0;
}

static void make_stamp(report *p, int argc, char **argv)
{
    size_t n = (size_t)snprintf(p->stamp, sizeof p->stamp,
                                "mpsim %s; results %s fnv1a %016llx; "
                                "command: mpsim", MP_VERSION, p->r.file,
                                (unsigned long long)p->r.file_hash);
    for (int i = 0; i < argc && n < sizeof p->stamp; i++)
        n += (size_t)snprintf(p->stamp + n, sizeof p->stamp - n, " %s",
                              argv[i]);
    for (char *c = p->stamp; *c; c++) /* safe inside gnuplot '...' */
        if (*c == '\'' || *c == '\n' ||
            (*c == '-' && c[1] == '-' && c[2] == '>'))
            *c = '"';
}

int cmd_report(int argc, char **argv)
{
    static const mp_option *const groups[] = {
        report_own, mp_cli_help_options, NULL};
    static report rep;
    report *p = &rep;
    memset(p, 0, sizeof *p);
    p->dir = "report";
    const char *pareto = "latency_s,energy_j", *best = "tokens_per_s";
    const char *by = "pe.family";
    int figures = 1;
    mp_diag d;
    memset(&d, 0, sizeof d);
    mp_cli_parser parser;
    const mp_option *e;
    int c;
    mp_cli_parser_init(&parser, groups);
    while ((c = mp_cli_next(&parser, argc, argv, &e)) != -1) {
        switch (c) {
        case OPT_PARETO: pareto = optarg; break;
        case OPT_BUDGET:
            if (p->nbudget == MAX_BUDGETS) {
                mp_fail(&d, MP_CMDLINE, 0, "--budget", "at most %d",
                        MAX_BUDGETS);
                goto bad;
            }
            snprintf(p->budget_text[p->nbudget++], 128, "%s", optarg);
            break;
        case OPT_BEST: best = optarg; break;
        case OPT_BY: by = optarg; break;
        case OPT_ISO_AREA:
            if (mp_cli_double(optarg, "--iso-area", 0, 1e12, &p->iso_area,
                              &d))
                goto bad;
            break;
        case OPT_ISO_TPUT:
            if (mp_cli_double(optarg, "--iso-throughput", 0, 1e18,
                              &p->iso_tput, &d))
                goto bad;
            break;
        case OPT_X: snprintf(p->x, sizeof p->x, "%s", optarg); break;
        case OPT_NO_FIG: figures = 0; break;
        case OPT_SWEEP: p->sweep = optarg; break;
        case 'o': p->dir = optarg; break;
        case 'h': usage(stdout); return 0;
        default: return mp_cli_bad_option(c, "report", argv);
        }
    }
    if (optind + 1 != argc) {
        if (optind < argc)
            return mp_cli_no_extra_args(argc, argv, optind + 1);
        return mp_cli_missing("RESULTS.csv", NULL, "report");
    }
    if (parse_pareto(p, pareto, &d) || parse_objective(best, &p->best, &d))
        goto bad;
    if (mp_results_open(argv[optind], &p->r, &d))
        goto bad;
    int rc = -1;
    if (want_columns(p, &d) == 0 &&
        mp_results_load(&p->r, by, &d) == 0) {
        if (!p->x[0]) /* latency/energy vs batch, or seq, when swept */
            pick_x(p);
        make_stamp(p, argc, argv);
        rc = analyse(p, figures, &d);
    }
    mp_results_free(&p->r);
    if (rc == 0)
        return 0;
bad:
    mp_diag_print(&d, stderr);
    return 1;
}
