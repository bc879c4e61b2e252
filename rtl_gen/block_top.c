/* block_top.c - see block_top.h. */
#include "rtl_gen/block_top.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rtl_gen/dequant_unit.h"
#include "rtl_gen/top_common.h"

#define KW 17 /* k positions: up to 65535 + fetch_k */

/* Everything the top needs, derived once. */
typedef struct geom {
    int rows, cols, group;        /* group 0: per-channel (runtime K)     */
    int groups;                   /* groups at k_max                       */
    int blocks_max;               /* blocks per group at most             */
    int par_int;                  /* integer output, no zeros             */
    int need_s;                   /* r uses S                             */
    int s_bits;
    int zz_bits;                  /* z' = zero_mul * z + zero_add          */
    int r_bits;                   /* r = (P - z' S) >> shift, full width  */
    int unit_cols, units;         /* dequant units per row, their columns */
    int sz_bits;                  /* scale/zero address bits (0: one)     */
    int done_delay;               /* final step -> done edge              */
} geom;

static int64_t imax(int64_t a, int64_t b) { return a > b ? a : b; }

/* Whole fetches take every sub-step; a partial last one (spec->partial)
 * the sub-steps up to its last valid slot. */
static int64_t steps_per_group(const mp_block_spec *s, int64_t group)
{
    int64_t rest = group % s->fetch_k;
    return (int64_t)s->passes *
           (group / s->fetch_k * s->subs +
            (rest * s->subs + s->fetch_k - 1) / s->fetch_k);
}

static void geom_init(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                      const mp_block_spec *s, const mp_top_bufs *bufs,
                      geom *g)
{
    memset(g, 0, sizeof *g);
    g->rows = info->m_tile;
    g->cols = info->n_tile;
    g->group = info->group;
    g->groups = info->group ? cfg->k_max / info->group : 1;
    g->blocks_max = ((info->group ? info->group : cfg->k_max) + s->fetch_k -
                     1) / s->fetch_k;
    g->par_int = !cfg->has_scales && !cfg->pe.has_zeros;
    g->need_s = cfg->pe.has_zeros || s->zero_add != 0;
    int64_t span = info->group ? info->group : cfg->k_max;
    int64_t x_hi = s->x_max ? s->x_max : (int64_t)1 << (s->x_bits - 1);
    g->s_bits = s->s_from_core ? s->s_bits
                               : mp_sbits_for(-span * x_hi, span * x_hi);
    int64_t zz_max = s->zero_add < 0 ? -s->zero_add : s->zero_add;
    if (cfg->pe.has_zeros) {
        int zb = bufs->b[MP_BUF_Z].bits;
        zz_max += ((int64_t)1 << (zb - 1)) * s->zero_mul;
    }
    g->zz_bits = mp_sbits_for(-zz_max, zz_max);
    /* r = P - z' S exactly: bounded by the values, at least as wide as
     * every operand so that nothing is truncated */
    int64_t r_max = s->p_max + (g->need_s ? zz_max * span * x_hi : 0);
    g->r_bits = mp_sbits_for(-r_max, r_max);
    if (g->r_bits < s->p_bits)
        g->r_bits = s->p_bits;
    if (g->need_s && g->r_bits <= g->zz_bits)
        g->r_bits = g->zz_bits + 1;
    if (g->need_s && g->r_bits <= g->s_bits)
        g->r_bits = g->s_bits + 1;
    if (g->par_int) {
        g->done_delay = s->core_latency + 1;
    } else {
        /* as few units as keep up (one per row and spg columns), or as
         * many as the PE's edge_units asks for */
        int64_t spg = info->group ? steps_per_group(s, info->group) : g->cols;
        g->unit_cols = (int)(spg < g->cols ? spg : g->cols);
        int units = cfg->pe.edge_units;
        if (units > 0) {
            int64_t outs = (int64_t)g->rows * g->cols;
            int64_t want = (outs + units - 1) / units;
            if (want < g->unit_cols)
                g->unit_cols = (int)want;
        }
        g->units = (g->cols + g->unit_cols - 1) / g->unit_cols;
        g->done_delay = s->core_latency + 1 + g->unit_cols;
        if (cfg->has_scales && cfg->pe.dequant_stages > 1)
            g->done_delay += cfg->pe.dequant_stages - 1; /* pipelined units */
    }
    int64_t sz = imax(bufs->b[MP_BUF_S].depth, bufs->b[MP_BUF_Z].depth);
    g->sz_bits = sz > 1 ? mp_idx_bits(sz) : 0;
}

int64_t mp_block_cycles(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                        const mp_block_spec *spec, int k)
{
    mp_top_bufs bufs;
    mp_top_bufs_default(cfg, info, &bufs);
    geom g;
    geom_init(cfg, info, spec, &bufs, &g);
    int64_t steps = info->group ? k / info->group *
                                      steps_per_group(spec, info->group)
                                : steps_per_group(spec, k);
    return steps - 1 + g.done_delay;
}

/* ---- controller and step sequencer ------------------------------------- */

static void emit_control(mp_vmod *m, const mp_block_spec *s, const geom *g)
{
    int dw = mp_idx_bits(g->done_delay);
    int jb = mp_idx_bits(g->blocks_max), pb = mp_idx_bits(s->passes);
    int ub = mp_idx_bits(s->subs);
    char c1[32];
    mp_vline(m, "// controller: steps (group, pass b, block j, sub-step u), one");
    mp_vline(m, "// per cycle from the cycle after the start edge; done %d",
             g->done_delay);
    mp_vline(m, "// edges after the cycle of the final step");
    mp_vline(m, "reg  [15:0] kq;");
    mp_vline(m, "reg  run;");
    mp_vline(m, "reg  [%d:0] dc;", dw - 1);
    mp_vline(m, "reg  [%d:0] k0, gstart;", KW - 1);
    if (s->block_port)
        mp_vline(m, "reg  [%d:0] j;", jb - 1);
    if (s->passes > 1)
        mp_vline(m, "reg  [%d:0] b;", pb - 1);
    if (s->subs > 1)
        mp_vline(m, "reg  [%d:0] u;", ub - 1);
    mp_vline(m, "wire go = start & ~busy;");
    mp_vline(m, "assign ld_ready = ~busy;");
    if (g->group)
        mp_vline(m, "wire [%d:0] gend = gstart + %s;", KW - 1,
                 mp_vconst(c1, KW, (uint64_t)g->group));
    else
        mp_vline(m, "wire [%d:0] gend = {1'b0, kq};", KW - 1);
    mp_vline(m, "wire blk_last = k0 + %s >= gend;",
             mp_vconst(c1, KW, (uint64_t)s->fetch_k));
    mp_vline(m, "wire b_last = %s;",
             s->passes > 1 ? (snprintf(c1, sizeof c1, "b == %d'd%d", pb,
                                       s->passes - 1), c1)
                           : "1'b1");
    char ul[32];
    snprintf(ul, sizeof ul, "u == %d'd%d", ub, s->subs - 1);
    if (s->subs > 1 && s->partial) {
        /* a partial block stops after its last valid slot */
        mp_vline(m, "wire [31:0] k_left = {%d'd0, gend - k0};", 32 - KW);
        mp_vline(m, "wire u_last = %s | (({%d'd0, u} + 32'd1) * 32'd%d >= "
                    "k_left * 32'd%d);", ul, 32 - ub, s->fetch_k, s->subs);
    } else {
        mp_vline(m, "wire u_last = %s;", s->subs > 1 ? ul : "1'b1");
    }
    mp_vline(m, "wire g_last = blk_last & b_last & u_last;");
    mp_vline(m, "wire final_step = run & g_last & (gend >= {1'b0, kq});");
    mp_vline(m, "wire in_first = k0 == gstart%s%s;",
             s->passes > 1 ? (snprintf(c1, sizeof c1, " && b == %d'd0", pb), c1)
                           : "",
             s->subs > 1 ? (snprintf(ul, sizeof ul, " && u == %d'd0", ub), ul)
                         : "");
    mp_vopen(m, "always @(posedge clk) begin");
    mp_vopen(m, "if (!rst_n) begin");
    mp_vline(m, "busy <= 1'b0;");
    mp_vline(m, "done <= 1'b0;");
    mp_vline(m, "run <= 1'b0;");
    mp_vline(m, "dc <= %d'd0;", dw);
    mp_vline(m, "kq <= 16'd0;");
    mp_vclose(m, "end else begin");
    m->indent++;
    mp_vline(m, "done <= 1'b0;");
    mp_vopen(m, "if (go) begin");
    mp_vline(m, "busy <= 1'b1;");
    mp_vline(m, "run <= 1'b1;");
    mp_vline(m, "kq <= cfg_k;");
    mp_vclose(m, "end else if (final_step) begin");
    m->indent++;
    mp_vline(m, "run <= 1'b0;");
    mp_vline(m, "dc <= %s;",
             mp_vconst(c1, dw, (uint64_t)(g->done_delay - 1)));
    mp_vclose(m, "end else if (busy && !run) begin");
    m->indent++;
    mp_vline(m, "dc <= dc - %d'd1;", dw);
    mp_vopen(m, "if (dc == %d'd1) begin", dw);
    mp_vline(m, "busy <= 1'b0;");
    mp_vline(m, "done <= 1'b1;");
    mp_vclose(m, "end");
    mp_vclose(m, "end");
    mp_vclose(m, "end");
    /* the step counters need no reset: go loads them */
    mp_vopen(m, "if (go) begin");
    mp_vline(m, "k0 <= %d'd0;", KW);
    mp_vline(m, "gstart <= %d'd0;", KW);
    if (s->block_port)
        mp_vline(m, "j <= %d'd0;", jb);
    if (s->passes > 1)
        mp_vline(m, "b <= %d'd0;", pb);
    if (s->subs > 1)
        mp_vline(m, "u <= %d'd0;", ub);
    mp_vclose(m, "end else if (run) begin");
    m->indent++;
    if (s->subs > 1) {
        mp_vline(m, "u <= u_last ? %d'd0 : u + %d'd1;", ub, ub);
        mp_vopen(m, "if (u_last) begin");
    } else {
        mp_vopen(m, "begin");
    }
    mp_vopen(m, "if (!blk_last) begin");
    mp_vline(m, "k0 <= k0 + %s;", mp_vconst(c1, KW, (uint64_t)s->fetch_k));
    if (s->block_port)
        mp_vline(m, "j <= j + %d'd1;", jb);
    if (s->passes > 1) {
        mp_vclose(m, "end else if (!b_last) begin");
        m->indent++;
        mp_vline(m, "b <= b + %d'd1;", pb);
        mp_vline(m, "k0 <= gstart;");
        if (s->block_port)
            mp_vline(m, "j <= %d'd0;", jb);
    }
    mp_vclose(m, "end else begin");
    m->indent++;
    if (s->passes > 1)
        mp_vline(m, "b <= %d'd0;", pb);
    if (s->block_port)
        mp_vline(m, "j <= %d'd0;", jb);
    mp_vline(m, "k0 <= gend;");
    mp_vline(m, "gstart <= gend;");
    mp_vclose(m, "end");
    mp_vclose(m, "end");
    mp_vclose(m, "end");
    mp_vclose(m, "end");
}

/* ---- operand fetch ------------------------------------------------------ */

/* log2(n) for a power of two n > 1, else 0. */
static int pow2_bits(int64_t n)
{
    return n > 1 && !(n & (n - 1)) ? mp_clog2(n) : 0;
}

static void emit_fetch(mp_vmod *m, const mp_block_spec *s, const geom *g,
                       const mp_top_bufs *bufs)
{
    int xa = mp_idx_bits(bufs->b[MP_BUF_X].depth);
    int wa = mp_idx_bits(bufs->b[MP_BUF_W].depth);
    char e1[128], e2[128], e3[MP_VEXPR], addr[300], c1[32];
    mp_vline(m, "// fetch: X[r][k0 + o] at r*K + k0 + o, Wq[k0 + o][n] at "
                "(k0 + o)*N + n");
    if (bufs->b[MP_BUF_X].depth == g->rows) { /* k_max 1: constant addresses */
        for (int r = 0; r < g->rows; r++)
            mp_vline(m, "wire [%d:0] x_%d_0 = %s;", s->x_bits - 1, r,
                     mp_top_mem_read(bufs, MP_BUF_X,
                                     mp_vconst(c1, xa, (uint64_t)r), e3));
        for (int n = 0; n < g->cols; n++)
            mp_vline(m, "wire [%d:0] w_%d_0 = %s;", s->w_bits - 1, n,
                     mp_top_mem_read(bufs, MP_BUF_W,
                                     mp_vconst(c1, wa, (uint64_t)n), e3));
        /* a fetch wider than the tile (partial): the rest reads 0 */
        for (int o = 1; o < s->fetch_k; o++) {
            for (int r = 0; r < g->rows; r++)
                mp_vline(m, "wire [%d:0] x_%d_%d = %d'd0;", s->x_bits - 1, r,
                         o, s->x_bits);
            for (int n = 0; n < g->cols; n++)
                mp_vline(m, "wire [%d:0] w_%d_%d = %d'd0;", s->w_bits - 1, n,
                         o, s->w_bits);
        }
        return;
    }
    /* N a power of two: Wq[k][n] at {k, n}, the same address as k*N + n,
     * but each read port's column bits are constants Yosys prunes the
     * read mux by (K:1 per port, not K*N:1: the N x fetch_k ports of a
     * wide array, e.g. lut-tc's N64 units, otherwise cost N^2 K muxes) */
    int nb = pow2_bits(g->cols), kb = wa - nb;
    for (int o = 0; o < s->fetch_k; o++) {
        mp_vline(m, "wire [%d:0] kx_%d = %s + %s;", xa - 1, o,
                 mp_vresize(e1, "k0", KW, xa), mp_vconst(c1, xa, (uint64_t)o));
        if (nb)
            mp_vline(m, "wire [%d:0] kw_%d = %s + %s;", kb - 1, o,
                     mp_vresize(e2, "k0", KW, kb),
                     mp_vconst(c1, kb, (uint64_t)o));
        else
            mp_vline(m, "wire [%d:0] kw_%d = (%s + %s) * %s;", wa - 1, o,
                     mp_vresize(e2, "k0", KW, wa),
                     mp_vconst(c1, wa, (uint64_t)o),
                     mp_vconst(c1 + 16, wa, (uint64_t)g->cols));
    }
    for (int r = 1; r < g->rows; r++)
        mp_vline(m, "wire [%d:0] xrow_%d = %s * %s;", xa - 1, r,
                 mp_vresize(e1, "kq", 16, xa), mp_vconst(c1, xa, (uint64_t)r));
    /* a partial block: offsets at or past the group's end read 0 (offset
     * 0 is always inside: k0 < gend) */
    if (s->partial)
        for (int o = 1; o < s->fetch_k; o++)
            mp_vline(m, "wire kin_%d = k0 + %s < gend;", o,
                     mp_vconst(c1, KW, (uint64_t)o));
    for (int r = 0; r < g->rows; r++)
        for (int o = 0; o < s->fetch_k; o++) {
            if (r == 0)
                snprintf(addr, sizeof addr, "kx_%d", o);
            else
                snprintf(addr, sizeof addr, "xrow_%d + kx_%d", r, o);
            mp_top_mem_read(bufs, MP_BUF_X, addr, e3);
            if (s->partial && o > 0)
                mp_vline(m, "wire [%d:0] x_%d_%d = kin_%d ? %s : %d'd0;",
                         s->x_bits - 1, r, o, o, e3, s->x_bits);
            else
                mp_vline(m, "wire [%d:0] x_%d_%d = %s;", s->x_bits - 1, r, o,
                         e3);
        }
    for (int n = 0; n < g->cols; n++)
        for (int o = 0; o < s->fetch_k; o++) {
            if (nb)
                snprintf(addr, sizeof addr, "{kw_%d, %s}", o,
                         mp_vconst(c1, nb, (uint64_t)n));
            else if (n == 0)
                snprintf(addr, sizeof addr, "kw_%d", o);
            else
                snprintf(addr, sizeof addr, "kw_%d + %s", o,
                         mp_vconst(c1, wa, (uint64_t)n));
            mp_vline(m, "wire [%d:0] w_%d_%d = %s;", s->w_bits - 1, n, o,
                     mp_top_mem_read(bufs, MP_BUF_W, addr, e3));
        }
}

static void emit_core(mp_vmod *m, const mp_block_spec *s, const geom *g)
{
    for (int r = 0; r < g->rows; r++)
        for (int n = 0; n < g->cols; n++)
            mp_vline(m, "wire [%d:0] p_%d_%d;", s->p_bits - 1, r, n);
    if (s->s_from_core)
        for (int r = 0; r < g->rows; r++)
            mp_vline(m, "wire [%d:0] s_%d;", s->s_bits - 1, r);
    mp_vline(m, "wire out_valid;");
    mp_vopen(m, "%s u_core (", s->core);
    mp_vline(m, ".clk(clk), .rst_n(rst_n), .in_valid(run),");
    mp_vline(m, ".in_first(in_first), .in_last(g_last),");
    if (s->blast_port)
        mp_vline(m, ".in_blast(blk_last),");
    if (s->passes > 1)
        mp_vline(m, ".in_plane(b),");
    if (s->block_port)
        mp_vline(m, ".in_block(j),");
    if (s->subs > 1)
        mp_vline(m, ".in_sub(u),");
    for (int r = 0; r < g->rows; r++)
        for (int o = 0; o < s->fetch_k; o++)
            mp_vline(m, ".x_%d_%d(x_%d_%d),", r, o, r, o);
    for (int n = 0; n < g->cols; n++)
        for (int o = 0; o < s->fetch_k; o++)
            mp_vline(m, ".w_%d_%d(w_%d_%d),", n, o, n, o);
    for (int r = 0; r < g->rows; r++)
        for (int n = 0; n < g->cols; n++)
            mp_vline(m, ".p_%d_%d(p_%d_%d),", r, n, r, n);
    if (s->s_from_core)
        for (int r = 0; r < g->rows; r++)
            mp_vline(m, ".s_%d(s_%d),", r, r);
    mp_vline(m, ".out_valid(out_valid)");
    mp_vclose(m, ");");
}

/* S formed from the fetch when the core has none: the step's activation
 * sums delayed to meet the core's group sums (first sub-step of a fetch,
 * first pass only). */
static void emit_row_sums(mp_vmod *m, const mp_block_spec *s, const geom *g)
{
    int sb = g->s_bits, xb = s->x_bits, lat = s->core_latency;
    char cond[96] = "run";
    if (s->subs > 1)
        snprintf(cond, sizeof cond, "run && u == %d'd0",
                 mp_idx_bits(s->subs));
    mp_vline(m, "// activation sums S, aligned with the core's group sums");
    mp_vline(m, "wire sv_0 = %s;", cond);
    mp_vline(m, "wire sf_0 = in_first;");
    /* one term per fetch offset: up to 4096 of them (dsp-chain chains) */
    size_t cap = (size_t)s->fetch_k * 80 + 1;
    char *sum = malloc(cap);
    for (int r = 0; sum && r < g->rows; r++) {
        size_t l = 0;
        sum[0] = 0;
        for (int o = 0; o < s->fetch_k; o++)
            l += (size_t)snprintf(sum + l, cap - l,
                                  "%s{{%d{x_%d_%d[%d]}}, x_%d_%d}",
                                  o ? " + " : "", sb - xb, r, o, xb - 1, r, o);
        mp_vline(m, "wire [%d:0] sx_%d_0 = %s;", sb - 1, r, sum);
    }
    free(sum);
    for (int t = 1; t < lat; t++) {
        mp_vline(m, "reg  sv_%d, sf_%d;", t, t);
        for (int r = 0; r < g->rows; r++)
            mp_vline(m, "reg  [%d:0] sx_%d_%d;", sb - 1, r, t);
    }
    for (int r = 0; r < g->rows; r++)
        mp_vline(m, "reg  [%d:0] s_%d;", sb - 1, r);
    mp_vopen(m, "always @(posedge clk) begin");
    for (int t = 1; t < lat; t++) {
        mp_vline(m, "sv_%d <= rst_n & sv_%d;", t, t - 1);
        mp_vline(m, "sf_%d <= sf_%d;", t, t - 1);
        for (int r = 0; r < g->rows; r++)
            mp_vline(m, "sx_%d_%d <= sx_%d_%d;", r, t, r, t - 1);
    }
    for (int r = 0; r < g->rows; r++)
        mp_vline(m, "if (sv_%d) s_%d <= (sf_%d ? %d'd0 : s_%d) + sx_%d_%d;",
                 lat - 1, r, lat - 1, sb, r, r, lat - 1);
    mp_vclose(m, "end");
}

/* Sign-extend wire `name` of `from` bits to `to` >= from bits. */
static const char *sext(char *buf, size_t cap, const char *name, int from,
                        int to)
{
    if (to == from)
        snprintf(buf, cap, "%s", name);
    else
        snprintf(buf, cap, "{{%d{%s[%d]}}, %s}", to - from, name, from - 1,
                 name);
    return buf;
}

/* zs = z' * S in r_bits (exact: the bound on r covers it). */
static void emit_zs(mp_vmod *m, const geom *g, const char *dst,
                    const char *zz, const char *sum)
{
    char e1[128], e2[128];
    int rb = g->r_bits;
    mp_vline(m, "wire [%d:0] %s = %s * %s;", rb - 1, dst,
             sext(e1, sizeof e1, zz, g->zz_bits, rb),
             sext(e2, sizeof e2, sum, g->s_bits, rb));
}

/* r = (P - zs) >> shift for group sum `p` (zs in r_bits, or none). */
static void emit_r(mp_vmod *m, const mp_block_spec *s, const geom *g,
                   const char *dst, const char *p, const char *zs)
{
    int rb = g->r_bits;
    char e1[128], e2[128];
    sext(e1, sizeof e1, p, s->p_bits, rb);
    if (zs)
        snprintf(e2, sizeof e2, " - %s", zs);
    else
        e2[0] = 0;
    if (s->r_shift) {
        mp_vline(m, "wire [%d:0] %s_f = %s%s;", rb - 1, dst, e1, e2);
        mp_vline(m, "wire [%d:0] %s = $signed(%s_f) >>> %d;", rb - 1, dst, dst,
                 s->r_shift);
    } else {
        mp_vline(m, "wire [%d:0] %s = %s%s;", rb - 1, dst, e1, e2);
    }
}

/* z' = zero_mul * z + zero_add as zz_bits, from the zero expression z. */
static void emit_zz(mp_vmod *m, const mp_block_spec *s, const geom *g,
                    const mp_top_bufs *bufs, const char *dst, const char *z)
{
    char c1[40];
    int zb = g->zz_bits;
    if (!z) {
        mp_vline(m, "wire [%d:0] %s = %s;", zb - 1, dst,
                 mp_vsconst(c1, zb, s->zero_add));
        return;
    }
    int b = bufs->b[MP_BUF_Z].bits;
    char ze[160];
    sext(ze, sizeof ze, z, b, zb);
    char mul[200];
    if (s->zero_mul == 1)
        snprintf(mul, sizeof mul, "%s", ze);
    else
        snprintf(mul, sizeof mul, "(%s << %d)", ze, s->zero_mul == 2 ? 1 : 0);
    if (s->zero_add)
        mp_vline(m, "wire [%d:0] %s = %s + %s;", zb - 1, dst, mul,
                 mp_vsconst(c1, zb, s->zero_add));
    else
        mp_vline(m, "wire [%d:0] %s = %s;", zb - 1, dst, mul);
}

/* Integer output without zeros: every output adds its r in parallel. */
static void emit_par_int(mp_vmod *m, const mp_block_spec *s, const geom *g)
{
    if (g->need_s) {
        emit_zz(m, s, g, NULL, "zc", NULL);
        for (int r = 0; r < g->rows; r++) {
            char dst[32], sum[32];
            snprintf(dst, sizeof dst, "zs_%d", r);
            snprintf(sum, sizeof sum, "s_%d", r);
            emit_zs(m, g, dst, "zc", sum);
        }
    }
    for (int r = 0; r < g->rows; r++)
        for (int n = 0; n < g->cols; n++) {
            char dst[32], p[32], zs[32];
            snprintf(dst, sizeof dst, "r_%d_%d", r, n);
            snprintf(p, sizeof p, "p_%d_%d", r, n);
            snprintf(zs, sizeof zs, "zs_%d", r);
            emit_r(m, s, g, dst, p, g->need_s ? zs : NULL);
            mp_vline(m, "reg  [31:0] res_%d;", r * g->cols + n);
        }
    mp_vopen(m, "always @(posedge clk) begin");
    for (int r = 0; r < g->rows; r++)
        for (int n = 0; n < g->cols; n++) {
            int i = r * g->cols + n;
            char add[96];
            if (g->r_bits < 32)
                snprintf(add, sizeof add, "{{%d{r_%d_%d[%d]}}, r_%d_%d}",
                         32 - g->r_bits, r, n, g->r_bits - 1, r, n);
            else
                snprintf(add, sizeof add, "r_%d_%d", r, n);
            mp_vline(m, "if (go) res_%d <= 32'd0;", i);
            mp_vline(m, "else if (out_valid) res_%d <= res_%d + %s;", i, i,
                     add);
        }
    mp_vclose(m, "end");
}

/* The group edge's front: on out_valid, registers hold_R_N (hold_bits)
 * take the finished group sums p_R_N and, when s_bits > 0, shold_R the
 * row's activation sum s_R; token tok_J (one per unit column) rises J + 1
 * cycles later, so each unit takes one column per cycle. */
static void emit_group_hold(mp_vmod *m, const geom *g, const char *comment,
                            int hold_bits, int s_bits)
{
    mp_vline(m, "%s", comment);
    for (int r = 0; r < g->rows; r++) {
        for (int n = 0; n < g->cols; n++)
            mp_vline(m, "reg  [%d:0] hold_%d_%d;", hold_bits - 1, r, n);
        if (s_bits)
            mp_vline(m, "reg  [%d:0] shold_%d;", s_bits - 1, r);
    }
    for (int j = 0; j < g->unit_cols; j++)
        mp_vline(m, "reg  tok_%d;", j);
    mp_vopen(m, "always @(posedge clk) begin");
    mp_vline(m, "tok_0 <= rst_n & out_valid;");
    for (int j = 1; j < g->unit_cols; j++)
        mp_vline(m, "tok_%d <= rst_n & tok_%d;", j, j - 1);
    mp_vopen(m, "if (out_valid) begin");
    for (int r = 0; r < g->rows; r++) {
        for (int n = 0; n < g->cols; n++)
            mp_vline(m, "hold_%d_%d <= p_%d_%d;", r, n, r, n);
        if (s_bits)
            mp_vline(m, "shold_%d <= s_%d;", r, r);
    }
    mp_vclose(m, "end");
    mp_vclose(m, "end");
}

/* Column j of a unit's `cols` on row r (integer or float edge alike): the
 * value <p_prefix>_<r>_<base+j>, the column token tok_j and the result
 * res_<index>; the last column closes the instance. */
static void emit_unit_column(mp_vmod *m, const geom *g, const char *p_prefix,
                             int r, int base, int j, int cols)
{
    mp_vline(m, "    .p%d(%s_%d_%d),", j, p_prefix, r, base + j);
    mp_vline(m, "    .gd%d(tok_%d),", j, j);
    mp_vline(m, "    .acc%d(res_%d)%s", j, r * g->cols + base + j,
             j + 1 < cols ? "," : ");");
}

/* The tail of the integer edge's unit u on row r: its scale/zero address
 * output, then its columns (emit_unit_column). */
static void emit_unit_columns(mp_vmod *m, const geom *g, const char *p_prefix,
                              int r, int u, int base, int cols)
{
    if (g->sz_bits)
        mp_vline(m, "    .sz_addr(sza_%d_%d),", r, u);
    for (int j = 0; j < cols; j++)
        emit_unit_column(m, g, p_prefix, r, base, j, cols);
}

/* Hold a finished group, then hand it column by column to the units. */
static int emit_dequant(mp_vmod *m, mp_rtl_out *out, const mp_rtl_cfg *cfg,
                        const mp_rtl_info *info, const mp_block_spec *s,
                        const geom *g, const mp_top_bufs *bufs, mp_diag *d)
{
    static const mp_fpf fp32 = {8, 23};
    mp_fpf ofmt = fp32;
    if (cfg->has_scales &&
        mp_fpf_of(mp_acc_float_fmt(info->arith.out_acc), &ofmt))
        return mp_fail(d, MP_CMDLINE, 0, "acc", "output accumulator format "
                       "has no RTL unit");
    emit_group_hold(m, g, "// group edge: hold the finished group, one column "
                    "per cycle to each dequant unit", s->p_bits,
                    g->need_s ? g->s_bits : 0);
    mp_deq_spec ds = {
        .p_bits = g->r_bits,
        .r_bits = g->r_bits,
        .scaled = cfg->has_scales,
        .out_fmt = ofmt,
        .acc_bits = 32,
        .frac_bits = s->frac_bits,
        .groups = g->groups,
        .n_tile = g->cols,
        .addr_bits = g->sz_bits,
        .stages = cfg->pe.dequant_stages,
    };
    int ab = cfg->has_scales ? mp_fpf_bits(ofmt) : 32;
    char e1[MP_VEXPR], e2[MP_VEXPR], addr[200] = "";
    char name[MP_RTL_NAME_MAX];
    for (int r = 0; r < g->rows; r++)
        for (int u = 0; u < g->units; u++) {
            int base = u * g->unit_cols;
            int cols = g->cols - base < g->unit_cols ? g->cols - base
                                                     : g->unit_cols;
            ds.cols = cols;
            if (mp_deq_emit(out, &ds, name, d))
                return -1;
            if (g->sz_bits) {
                char sza[32];
                snprintf(sza, sizeof sza, "sza_%d_%d", r, u);
                mp_top_unit_addr(m, sza, g->sz_bits, base, addr, sizeof addr);
            }
            char zz[32], zs[32];
            snprintf(zz, sizeof zz, "zz_%d_%d", r, u);
            snprintf(zs, sizeof zs, "zs_%d_%d", r, u);
            if (g->need_s) {
                emit_zz(m, s, g, bufs, zz,
                        cfg->pe.has_zeros
                            ? mp_top_mem_read(bufs, MP_BUF_Z, addr, e1)
                            : NULL);
                char sum[32];
                snprintf(sum, sizeof sum, "shold_%d", r);
                emit_zs(m, g, zs, zz, sum);
            }
            for (int j = 0; j < cols; j++) {
                char dst[32], p[32];
                snprintf(dst, sizeof dst, "r_%d_%d", r, base + j);
                snprintf(p, sizeof p, "hold_%d_%d", r, base + j);
                emit_r(m, s, g, dst, p, g->need_s ? zs : NULL);
                mp_vline(m, "wire [%d:0] res_%d;", ab - 1,
                         r * g->cols + base + j);
            }
            mp_vline(m, "%s u_deq_%d_%d (", name, r, u);
            mp_vline(m, "    .clk(clk),");
            mp_vline(m, "    .clr(go),");
            if (cfg->has_scales)
                mp_vline(m, "    .s(%s),",
                         mp_top_mem_read(bufs, MP_BUF_S, addr, e2));
            emit_unit_columns(m, g, "r", r, u, base, cols);
        }
    return 0;
}

/* ---- float group edge (FP16 group values) ------------------------------- */

/* dst = the input <in><j> of the column whose gd<j> is set (0: none). */
static void emit_onehot(mp_vmod *m, const char *dst, const char *in, int bits,
                        int cols, const char *tok)
{
    mp_vline(m, "wire [%d:0] %s =", bits - 1, dst);
    for (int j = 0; j < cols; j++)
        mp_vline(m, "    ({%d{%s%d}} & %s%d)%s", bits, tok, j, in, j,
                 j + 1 < cols ? " |" : ";");
}

/* Group counter width of a float unit: its group index g selects the
 * scale/zero entry g*N_TILE + n of each of its columns n. */
static int fdeq_group_bits(const geom *g)
{
    return g->sz_bits && g->groups > 1 ? mp_idx_bits(g->groups) : 0;
}

/* One unit: the finishing column's P', scale and zero (one-hot gd), r =
 * round_g(P' - z' S), d = round_out(s * r * 2^-shift), acc = round_out(acc
 * + d).  Pipelined (`stages` S = dequant_stages, 1..3): S >= 2 registers
 * r with the column's scale and token, S = 3 also d, so the running sum,
 * loop-carried per column, stays whole in the last stage; each column
 * is written S - 1 cycles later (mp_block_cycles' done_delay).  Each column has its own scale/zero inputs, read by the top at
 * the unit's group index sz_g: the column part of the address is a
 * constant there, so the top's read mux is groups:1 per column instead of
 * (groups * N_TILE):1 per unit (rows x N_TILE^2 x groups mux inputs in
 * all: about 1.0M mux bits on a 2x2 lut-tc array, N_TILE 128). */
static int emit_fdeq(mp_rtl_out *out, const mp_block_spec *s, const geom *g,
                     const mp_top_bufs *bufs, mp_fpf ofmt, int zeros, int cols,
                     int stages, char *name, mp_diag *d)
{
    static const mp_fpf fp32 = {8, 23};
    mp_fpf gf = s->g_fmt;
    int gb = mp_fpf_bits(gf), ob = mp_fpf_bits(ofmt);
    int zb = bufs->b[MP_BUF_Z].bits;
    char fin[MP_RTL_NAME_MAX], scl[MP_RTL_NAME_MAX], add[MP_RTL_NAME_MAX];
    char tg[24], to[24];
    if (mp_fp_emit_add_zmul(out, gf, gf, g->zz_bits, gf, fin, d) ||
        mp_fp_emit_mul_shift(out, fp32, gf, ofmt, s->r_shift, scl, d) ||
        mp_fp_emit_add(out, ofmt, add, d))
        return -1;
    char ps[16] = "";
    if (stages > 1)
        snprintf(ps, sizeof ps, "_p%d", stages);
    mp_rtl_leaf_name(out, name, "fdeq_%s_%s_c%d%s", mp_fpf_tag(gf, tg),
                     mp_fpf_tag(ofmt, to), cols, ps);
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "float group edge: acc += round(s * round_fp16(P' "
                           "- z' S) * 2^-shift)", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    int gw = fdeq_group_bits(g);
    char c1[32];
    mp_vopen(&m, "module %s (", name);
    mp_vline(&m, "input  wire clk,");
    mp_vline(&m, "input  wire clr,");
    mp_vline(&m, "input  wire [%d:0] s,", gb - 1);
    if (gw)
        mp_vline(&m, "output wire [%d:0] sz_g,", gw - 1);
    for (int j = 0; j < cols; j++) {
        if (zeros)
            mp_vline(&m, "input  wire [%d:0] z%d,", zb - 1, j);
        mp_vline(&m, "input  wire [31:0] sc%d,", j);
        mp_vline(&m, "input  wire [%d:0] p%d,", gb - 1, j);
        mp_vline(&m, "input  wire gd%d,", j);
        mp_vline(&m, "output reg  [%d:0] acc%d%s", ob - 1, j,
                 j + 1 < cols ? "," : "");
    }
    mp_vclose(&m, ");");
    m.indent++;
    emit_onehot(&m, "p_sel", "p", gb, cols, "gd");
    if (stages < 2)
        emit_onehot(&m, "acc_sel", "acc", ob, cols, "gd");
    emit_onehot(&m, "sc_sel", "sc", 32, cols, "gd");
    if (zeros)
        emit_onehot(&m, "z_sel", "z", zb, cols, "gd");
    emit_zz(&m, s, g, bufs, "zz", zeros ? "z_sel" : NULL);
    mp_vline(&m, "wire [%d:0] r;", gb - 1);
    mp_vline(&m, "wire [%d:0] dq, acc_new;", ob - 1);
    mp_vline(&m, "%s u_fin (.a(p_sel), .b(s), .z(zz), .y(r));", fin);
    const char *tok = "gd", *r_in = "r", *sc_in = "sc_sel", *dq_in = "dq";
    if (stages >= 2) {
        /* stage 2: r, the column's scale and its token */
        mp_vline(&m, "reg  [%d:0] r_q;", gb - 1);
        mp_vline(&m, "reg  [31:0] sc_q;");
        for (int j = 0; j < cols; j++)
            mp_vline(&m, "reg  gq%d;", j);
        mp_vopen(&m, "always @(posedge clk) begin");
        mp_vline(&m, "r_q <= r;");
        mp_vline(&m, "sc_q <= sc_sel;");
        for (int j = 0; j < cols; j++)
            mp_vline(&m, "gq%d <= gd%d & ~clr;", j, j);
        mp_vclose(&m, "end");
        tok = "gq", r_in = "r_q", sc_in = "sc_q";
    }
    mp_vline(&m, "%s u_scale (.a(%s), .b(%s), .y(dq));", scl, sc_in, r_in);
    if (stages >= 3) {
        /* stage 3: d */
        mp_vline(&m, "reg  [%d:0] dq_q;", ob - 1);
        for (int j = 0; j < cols; j++)
            mp_vline(&m, "reg  gw%d;", j);
        mp_vopen(&m, "always @(posedge clk) begin");
        mp_vline(&m, "dq_q <= dq;");
        for (int j = 0; j < cols; j++)
            mp_vline(&m, "gw%d <= gq%d & ~clr;", j, j);
        mp_vclose(&m, "end");
        tok = "gw", dq_in = "dq_q";
    }
    if (stages >= 2)
        emit_onehot(&m, "acc_sel", "acc", ob, cols, tok);
    mp_vline(&m, "%s u_acc (.a(acc_sel), .b(%s), .y(acc_new));", add, dq_in);
    if (gw) {
        mp_vline(&m, "reg  [%d:0] grp;", gw - 1);
        mp_vopen(&m, "always @(posedge clk) begin");
        mp_vline(&m, "if (clr) grp <= %s;", mp_vconst(c1, gw, 0));
        mp_vline(&m, "else if (gd%d) grp <= grp + %s;", cols - 1,
                 mp_vconst(c1, gw, 1));
        mp_vclose(&m, "end");
        mp_vline(&m, "assign sz_g = grp;");
    }
    mp_vopen(&m, "always @(posedge clk) begin");
    for (int j = 0; j < cols; j++) {
        mp_vline(&m, "if (clr) acc%d <= %d'd0;", j, ob);
        mp_vline(&m, "else if (%s%d) acc%d <= acc_new;", tok, j, j);
    }
    mp_vclose(&m, "end");
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

/* The scale/zero address of column n at group index `grp` (gw bits): g*N
 * + n as {g, n} when N is a power of two (the column bits constant:
 * wiring, not a mux), else computed. */
static const char *fdeq_col_addr(char *buf, size_t cap, const geom *g,
                                 const char *grp, int gw, int n)
{
    char c1[32], c2[32], e1[128];
    int aw = g->sz_bits, nb = pow2_bits(g->cols);
    if (!gw)
        snprintf(buf, cap, "%s", mp_vconst(c1, aw, (uint64_t)n));
    else if (g->cols == 1)
        snprintf(buf, cap, "%s", mp_vresize(e1, grp, gw, aw));
    else if (nb)
        snprintf(buf, cap, "{%s, %s}", grp, mp_vconst(c1, nb, (uint64_t)n));
    else
        snprintf(buf, cap, "%s * %s + %s", mp_vresize(e1, grp, gw, aw),
                 mp_vconst(c1, aw, (uint64_t)g->cols),
                 mp_vconst(c2, aw, (uint64_t)n));
    return buf;
}

static int emit_float_edge(mp_vmod *m, mp_rtl_out *out, const mp_rtl_cfg *cfg,
                           const mp_rtl_info *info, const mp_block_spec *s,
                           const geom *g, const mp_top_bufs *bufs, mp_diag *d)
{
    mp_fpf ofmt;
    int gb = mp_fpf_bits(s->g_fmt);
    if (mp_fpf_of(mp_acc_float_fmt(info->arith.out_acc), &ofmt))
        return mp_fail(d, MP_CMDLINE, 0, "acc", "output accumulator format "
                       "has no RTL unit");
    emit_group_hold(m, g, "// group edge: hold the finished float group, one "
                    "column per cycle to each float unit", gb, gb);
    char e1[MP_VEXPR], addr[200], grp[32], name[MP_RTL_NAME_MAX];
    int zeros = cfg->pe.has_zeros, gw = fdeq_group_bits(g);
    for (int r = 0; r < g->rows; r++)
        for (int u = 0; u < g->units; u++) {
            int base = u * g->unit_cols;
            int cols = g->cols - base < g->unit_cols ? g->cols - base
                                                     : g->unit_cols;
            if (emit_fdeq(out, s, g, bufs, ofmt, zeros, cols,
                          cfg->pe.dequant_stages, name, d))
                return -1;
            snprintf(grp, sizeof grp, "szg_%d_%d", r, u);
            if (gw)
                mp_vline(m, "wire [%d:0] %s;", gw - 1, grp);
            for (int j = 0; j < cols; j++)
                mp_vline(m, "wire [%d:0] res_%d;", mp_fpf_bits(ofmt) - 1,
                         r * g->cols + base + j);
            mp_vline(m, "%s u_fdeq_%d_%d (", name, r, u);
            mp_vline(m, "    .clk(clk),");
            mp_vline(m, "    .clr(go),");
            mp_vline(m, "    .s(shold_%d),", r);
            if (gw)
                mp_vline(m, "    .sz_g(%s),", grp);
            for (int j = 0; j < cols; j++) {
                int n = base + j;
                fdeq_col_addr(addr, sizeof addr, g, grp, gw, n);
                if (zeros)
                    mp_vline(m, "    .z%d(%s),", j,
                             mp_top_mem_read(bufs, MP_BUF_Z, addr, e1));
                mp_vline(m, "    .sc%d(%s),", j,
                         mp_top_mem_read(bufs, MP_BUF_S, addr, e1));
                emit_unit_column(m, g, "hold", r, base, j, cols);
            }
        }
    return 0;
}

int mp_block_emit_top(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                      const mp_block_spec *spec, mp_rtl_out *out, mp_diag *d)
{
    mp_top_bufs bufs;
    mp_top_bufs_default(cfg, info, &bufs);
    if (bufs.b[MP_BUF_W].bits != spec->w_bits ||
        bufs.b[MP_BUF_X].bits != spec->x_bits)
        return mp_fail(d, MP_CMDLINE, 0, "rtl",
                       "internal: core operand widths %d/%d differ from the "
                       "buffers' %d/%d", spec->x_bits, spec->w_bits,
                       bufs.b[MP_BUF_X].bits, bufs.b[MP_BUF_W].bits);
    geom g;
    geom_init(cfg, info, spec, &bufs, &g);
    if (spec->p_float && !cfg->has_scales)
        return mp_fail(d, MP_CMDLINE, 0, "acc",
                       "internal: float group values need scales");
    if (spec->p_float && cfg->pe.dequant_stages > MP_FDEQ_STAGES_MAX)
        return mp_fail(d, MP_CMDLINE, 0, "dequant_stages",
                       "the float group edge takes 1..%d stages, got %d",
                       MP_FDEQ_STAGES_MAX, cfg->pe.dequant_stages);
    if (g.par_int && g.r_bits > 32)
        return mp_fail(d, MP_CMDLINE, 0, "k-max",
                       "group sums need %d bits, more than int32", g.r_bits);
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, info->top,
                           "block-step array top (docs/rtl.md)", d);
    if (rc)
        return rc < 0 ? -1 : mp_fail(d, out->dir, 0, "top",
                                     "module name %s used twice", info->top);
    mp_top_ports_load(&m, info->top, &bufs);
    emit_control(&m, spec, &g);
    mp_top_buffers(&m, &bufs);
    emit_fetch(&m, spec, &g, &bufs);
    emit_core(&m, spec, &g);
    if (g.need_s && !spec->s_from_core && !spec->p_float)
        emit_row_sums(&m, spec, &g);
    if (spec->p_float) {
        if (emit_float_edge(&m, out, cfg, info, spec, &g, &bufs, d))
            goto fail;
    } else if (g.par_int)
        emit_par_int(&m, spec, &g);
    else if (emit_dequant(&m, out, cfg, info, spec, &g, &bufs, d))
        goto fail;
    mp_top_rd rd = {
        .count = g.rows * g.cols,
        .n_tile = g.cols,
        .res_fmt = "res_%d",
        .res_bits = g.par_int || !cfg->has_scales ? 32 : 0,
        .out_float = cfg->has_scales,
        .has_act_scale = cfg->has_act_scale,
        .piped = cfg->pe.scale_stages > 1, /* no float weights here:
                                              out_float = float_out() */
    };
    if (cfg->has_scales) {
        if (mp_fpf_of(mp_acc_float_fmt(info->arith.out_acc), &rd.out_fmt))
            goto fail;
        rd.res_bits = mp_fpf_bits(rd.out_fmt);
    }
    if (mp_top_read_port(&m, out, &bufs, &rd, d))
        goto fail;
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
fail:
    mp_vmod_abort(&m);
    return -1;
}
