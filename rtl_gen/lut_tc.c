/*
 * lut_tc.c - Verilog generator of the LUT Tensor Core (Mo et al., ISCA'25).
 *
 * Micro-architecture (docs/rtl.md, "LUT Tensor Core"):
 *   - table precompute at the array edge: for every row and 4-activation
 *     group the 8 symmetrized entries T[i] = x0 + sum_c (bit c-1 of i ?
 *     -x_c : +x_c) (x0's sign fixed; the other 8 sums are their negations),
 *     12 adders per group; entry 0 is the group's activation sum, so the
 *     row sums S the zero point needs come for free;
 *   - a table RF per row stores the tables of one quantization group: plane
 *     0 writes them, planes 1..B-1 read them back, and every table is
 *     broadcast along N to all the columns of its row;
 *   - LUT units of tile_m x tile_n x tile_k: per output and 4-group an 8:1
 *     entry mux indexed by the plane bits u_c XOR u_0 and a negation when
 *     u_0 = 0, an adder tree over the tile_k/4 groups, and the plane
 *     accumulator P' += tree << b (lowest plane first);
 *   - weights enter as offset-binary planes: signed and ternary codes get
 *     their MSB flipped (q + 2^(B-1)), so the group result is
 *     s' (P' - z' S) with s' = s/2 and z' = 2(z + offset) + 1 - 2^B, which
 *     the edge folds into r = (P' - z' S) / 2 exactly.
 * This file is the exact-sum datapath: integer group sums of exact INT16
 * tables (int8), or of float table entries (rounded once to table_fmt)
 * converted onto the grid 2^-frac_bits (int8 with int sums, float
 * activations with fixed sums), where any order equals mp_gemm_hw().  The
 * float group sums (fp16/fp32), whose rounding follows the golden's step
 * order, and the float tables are lut_fp.c.  Both share the block-step top
 * (block_top.h) and these generator ops, which pick the datapath from the
 * golden arithmetic of the configuration.
 */
#include "rtl_gen/lut_tc.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include "golden/mpgemm.h"
#include "pe_models/pe.h"
#include "rtl_gen/block_top.h"
#include "rtl_gen/lut_fp.h"
#include "rtl_gen/rtl.h"

int mp_lut_layout(mp_lut_cfg *c)
{
    if (c->tile_k < 4 || c->tile_k % 4 || c->group % c->tile_k ||
        c->m_tile % c->tile_m || c->n_tile % c->tile_n || c->planes < 1)
        return -1;
    int groups4 = c->tile_k / 4;
    c->rounded = c->table_float && !c->group_float;
    /* grid bounds: exact group sums only (float sums have none) */
    if (!c->act_float)
        c->x_max = (int64_t)1 << (c->act_bits - 1);
    else if (!c->group_float)
        c->x_max = (int64_t)ldexp(mp_act_max(c->act), c->frac_bits);
    if (c->group_float) {
        c->store_bits = c->table_float ? mp_fpf_bits(c->tfmt)
                                       : c->act_bits + 2;
        c->entry_bits = c->store_bits;
        c->entry_max = c->act_float ? 0 : 4 * c->x_max;
    } else if (!c->table_float) {
        c->store_bits = c->act_bits + 2;
        c->entry_bits = c->store_bits;
        c->entry_max = 4 * c->x_max;
    } else {
        /* the extreme entry rounds to at most round(4 max|x|) */
        double x_abs = c->act_float ? mp_act_max(c->act)
                                    : (double)((int64_t)1 << (c->act_bits - 1));
        double t = mp_round_to(c->table_fmt, 4.0 * x_abs);
        c->store_bits = mp_fpf_bits(c->tfmt);
        c->entry_max = (int64_t)ldexp(t, c->frac_bits);
        c->entry_bits = mp_sbits_for(-c->entry_max, c->entry_max);
    }
    /* a looked-up value is +-entry: one bit more (-(-2^(A+1))) */
    c->tree_bits = c->entry_bits + 1 + mp_clog2(groups4);
    int64_t p_max = (int64_t)c->group / 4 * c->entry_max *
                    (((int64_t)1 << c->planes) - 1);
    c->acc_bits = mp_sbits_for(-p_max, p_max);
    c->sum_bits = mp_sbits_for(-(int64_t)c->group * c->x_max,
                               (int64_t)c->group * c->x_max);
    /* one step adds tree << (B-1) at most */
    if (c->acc_bits < c->tree_bits + c->planes - 1)
        c->acc_bits = c->tree_bits + c->planes - 1;
    if (c->sum_bits <= c->entry_bits)
        c->sum_bits = c->entry_bits + 1;
    c->blocks = c->group / c->tile_k;
    c->latency = 2; /* table/plane registers, then the accumulators */
    return 0;
}

static int use_plane(const mp_lut_cfg *c) { return c->planes > 1; }
static int use_rf(const mp_lut_cfg *c) { return c->planes > 1; }
static int use_block(const mp_lut_cfg *c) { return use_rf(c) && c->blocks > 1; }

/* ---- table precompute: one 4-activation group ------------------------- */

static int emit_int_table(mp_rtl_out *out, const mp_lut_cfg *c, char *name,
                          mp_diag *d)
{
    mp_rtl_leaf_name(out, name, "lut_table");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "symmetrized table of 4 activations: "
                           "T[i] = x0 +- x1 +- x2 +- x3, bit c-1 of i = minus",
                           d);
    if (rc)
        return rc < 0 ? -1 : 0;
    int ab = c->act_bits, eb = c->act_bits + 2;
    mp_vopen(&m, "module %s (", name);
    for (int i = 0; i < 4; i++)
        mp_vline(&m, "input  wire [%d:0] x%d,", ab - 1, i);
    for (int i = 0; i < 8; i++)
        mp_vline(&m, "output wire [%d:0] t%d%s", eb - 1, i, i < 7 ? "," : "");
    mp_vclose(&m, ");");
    m.indent = 1;
    for (int i = 0; i < 4; i++)
        mp_vline(&m, "wire [%d:0] e%d = {{2{x%d[%d]}}, x%d};", eb - 1, i, i,
                 ab - 1, i);
    /* shared pre-sums: 4 adders, then one adder per entry */
    mp_vline(&m, "wire [%d:0] s01 = e0 + e1, d01 = e0 - e1;", eb - 1);
    mp_vline(&m, "wire [%d:0] s23 = e2 + e3, d23 = e2 - e3;", eb - 1);
    static const char *const entry[8] = {
        "s01 + s23", "d01 + s23", "s01 - d23", "d01 - d23",
        "s01 + d23", "d01 + d23", "s01 - s23", "d01 - s23"};
    for (int i = 0; i < 8; i++)
        mp_vline(&m, "assign t%d = %s;", i, entry[i]);
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

/* Integer activations, float tables: the exact entries rounded once. */
static int emit_rounded_int_table(mp_rtl_out *out, const mp_lut_cfg *c,
                                  char *name, mp_diag *d)
{
    char inner[MP_RTL_NAME_MAX], conv[MP_RTL_NAME_MAX], tag[24];
    int eb = c->act_bits + 2, tb = mp_fpf_bits(c->tfmt);
    if (emit_int_table(out, c, inner, d) ||
        mp_fp_emit_from_int(out, eb, 0, c->tfmt, conv, d))
        return -1;
    mp_rtl_leaf_name(out, name, "lut_table_%s", mp_fpf_tag(c->tfmt, tag));
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "symmetrized table of 4 integer activations, each "
                           "exact entry rounded once to the table format", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    for (int i = 0; i < 4; i++)
        mp_vline(&m, "input  wire [%d:0] x%d,", c->act_bits - 1, i);
    for (int i = 0; i < 8; i++)
        mp_vline(&m, "output wire [%d:0] t%d%s", tb - 1, i, i < 7 ? "," : "");
    mp_vclose(&m, ");");
    m.indent = 1;
    for (int i = 0; i < 8; i++)
        mp_vline(&m, "wire [%d:0] e%d;", eb - 1, i);
    mp_vline(&m, "%s u_exact (.x0(x0), .x1(x1), .x2(x2), .x3(x3), .t0(e0), "
                 ".t1(e1), .t2(e2), .t3(e3), .t4(e4), .t5(e5), .t6(e6), "
                 ".t7(e7));", inner);
    for (int i = 0; i < 8; i++)
        mp_vline(&m, "%s u_round%d (.r(e%d), .y(t%d));", conv, i, i, i);
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

int mp_lut_emit_table(mp_rtl_out *out, const mp_lut_cfg *c, char *name,
                      mp_diag *d)
{
    if (c->act_float)
        return mp_lut_emit_fsum_table(out, c->afmt, c->tfmt, name, d);
    if (c->table_float)
        return emit_rounded_int_table(out, c, name, d);
    return emit_int_table(out, c, name, d);
}

/* ---- one LUT unit: tile_m x tile_n outputs ---------------------------- */

static void emit_unit_ports(mp_vmod *m, const mp_lut_cfg *c)
{
    mp_vopen(m, "module %s (", m->name);
    mp_vline(m, "input  wire clk,");
    mp_vline(m, "input  wire en,      // a step's table and plane are valid");
    mp_vline(m, "input  wire first,   // first step of a group: restart");
    if (use_plane(c))
        mp_vline(m, "input  wire [%d:0] plane, // b: the step adds tree << b",
                 mp_idx_bits(c->planes) - 1);
    mp_lut_emit_unit_data_ports(m, c, c->entry_bits, c->acc_bits);
}

void mp_lut_emit_unit_data_ports(mp_vmod *m, const mp_lut_cfg *c,
                                 int entry_bits, int acc_bits)
{
    int g4 = c->tile_k / 4;
    for (int r = 0; r < c->tile_m; r++)
        for (int g = 0; g < g4; g++)
            for (int i = 0; i < 8; i++)
                mp_vline(m, "input  wire [%d:0] t_%d_%d_%d,", entry_bits - 1,
                         r, g, i);
    for (int n = 0; n < c->tile_n; n++)
        mp_vline(m, "input  wire [%d:0] wp_%d,", c->tile_k - 1, n);
    for (int r = 0; r < c->tile_m; r++)
        for (int n = 0; n < c->tile_n; n++)
            mp_vline(m, "output reg  [%d:0] acc_%d_%d%s", acc_bits - 1, r, n,
                     r == c->tile_m - 1 && n == c->tile_n - 1 ? "" : ",");
    mp_vclose(m, ");");
}

/* The lookup of output (r, n), 4-group g: entry index u_c ^ u_0, negated
 * when u_0 = 0 (the table holds only the x0-positive half). */
static void emit_unit_lookup(mp_vmod *m, const mp_lut_cfg *c, int r, int n,
                             int g)
{
    int eb = c->entry_bits, k = 4 * g;
    mp_vline(m, "wire [2:0] ix_%d_%d_%d = {wp_%d[%d] ^ wp_%d[%d], "
                "wp_%d[%d] ^ wp_%d[%d], wp_%d[%d] ^ wp_%d[%d]};",
             r, n, g, n, k + 3, n, k, n, k + 2, n, k, n, k + 1, n, k);
    mp_vline(m, "wire [%d:0] te_%d_%d_%d =", eb - 1, r, n, g);
    for (int i = 0; i < 8; i++)
        mp_vline(m, "    (ix_%d_%d_%d == 3'd%d ? t_%d_%d_%d : %d'd0)%s", r, n,
                 g, i, r, g, i, eb, i < 7 ? " |" : ";");
    mp_vline(m, "wire [%d:0] tx_%d_%d_%d = {te_%d_%d_%d[%d], te_%d_%d_%d};",
             eb, r, n, g, r, n, g, eb - 1, r, n, g);
    mp_vline(m, "wire [%d:0] lv_%d_%d_%d = wp_%d[%d] ? tx_%d_%d_%d : "
                "-tx_%d_%d_%d;",
             eb, r, n, g, n, k, r, n, g, r, n, g);
}

static int emit_unit(mp_rtl_out *out, const mp_lut_cfg *c, char *name,
                     mp_diag *d)
{
    mp_rtl_leaf_name(out, name, "lut_unit");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "LUT unit: per output an 8:1 lookup with sign flip "
                           "per 4-group, adder tree, plane accumulator",
                           d);
    if (rc)
        return rc < 0 ? -1 : 0;
    emit_unit_ports(&m, c);
    m.indent = 1;
    int g4 = c->tile_k / 4, tb = c->tree_bits, ab = c->acc_bits;
    int lb = c->entry_bits + 1;
    for (int r = 0; r < c->tile_m; r++)
        for (int n = 0; n < c->tile_n; n++) {
            char sum[4096] = "";
            for (int g = 0; g < g4; g++) {
                emit_unit_lookup(&m, c, r, n, g);
                size_t l = strlen(sum);
                snprintf(sum + l, sizeof sum - l, "%s{{%d{lv_%d_%d_%d[%d]}}, "
                         "lv_%d_%d_%d}", g ? "\n        + " : "", tb - lb, r,
                         n, g, lb - 1, r, n, g);
            }
            if (tb == lb)
                mp_vline(&m, "wire [%d:0] tree_%d_%d = lv_%d_%d_0;", tb - 1, r,
                         n, r, n);
            else
                mp_vline(&m, "wire [%d:0] tree_%d_%d = %s;", tb - 1, r, n, sum);
            if (ab == tb)
                mp_vline(&m, "wire [%d:0] ext_%d_%d = tree_%d_%d;", ab - 1, r,
                         n, r, n);
            else
                mp_vline(&m, "wire [%d:0] ext_%d_%d = {{%d{tree_%d_%d[%d]}}, "
                             "tree_%d_%d};",
                         ab - 1, r, n, ab - tb, r, n, tb - 1, r, n);
        }
    mp_vopen(&m, "always @(posedge clk) begin");
    mp_vopen(&m, "if (en) begin");
    for (int r = 0; r < c->tile_m; r++)
        for (int n = 0; n < c->tile_n; n++)
            mp_vline(&m, "acc_%d_%d <= (first ? %d'd0 : acc_%d_%d) + "
                         "(ext_%d_%d%s);",
                     r, n, ab, r, n, r, n, use_plane(c) ? " << plane" : "");
    mp_vclose(&m, "end");
    mp_vclose(&m, "end");
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

/* ---- the core ---------------------------------------------------------- */

void mp_lut_emit_core_ports(mp_vmod *m, const mp_lut_cfg *c,
                            const mp_lut_core_io *io)
{
    mp_vopen(m, "module %s (", m->name);
    mp_vline(m, "input  wire clk,");
    mp_vline(m, "input  wire rst_n,");
    mp_vline(m, "input  wire in_valid,");
    mp_vline(m, "input  wire in_first,");
    mp_vline(m, "input  wire in_last,");
    if (io->blast)
        mp_vline(m, "input  wire in_blast,  // last block of the group (a pass)");
    if (io->plane)
        mp_vline(m, "input  wire [%d:0] in_plane,", mp_idx_bits(c->planes) - 1);
    if (io->block)
        mp_vline(m, "input  wire [%d:0] in_block,", mp_idx_bits(c->blocks) - 1);
    for (int r = 0; r < c->m_tile; r++)
        for (int o = 0; o < c->tile_k; o++)
            mp_vline(m, "input  wire [%d:0] x_%d_%d,", io->x_bits - 1, r, o);
    for (int n = 0; n < c->n_tile; n++)
        for (int o = 0; o < c->tile_k; o++)
            mp_vline(m, "input  wire [%d:0] w_%d_%d,", c->planes - 1, n, o);
    for (int r = 0; r < c->m_tile; r++)
        for (int n = 0; n < c->n_tile; n++)
            mp_vline(m, "output wire [%d:0] p_%d_%d,", io->p_bits - 1, r, n);
    for (int r = 0; r < c->m_tile; r++)
        mp_vline(m, "output reg  [%d:0] s_%d,", io->s_bits - 1, r);
    mp_vline(m, "output reg  out_valid");
    mp_vclose(m, ");");
}

static void emit_core_ports(mp_vmod *m, const mp_lut_cfg *c)
{
    mp_lut_core_io io = {.x_bits = c->act_bits, .p_bits = c->acc_bits,
                         .s_bits = c->sum_bits, .plane = use_plane(c),
                         .block = use_block(c)};
    mp_lut_emit_core_ports(m, c, &io);
}

/* Tables of row r: computed (plane 0) into tc_*, registered into tr_*,
 * stored in the row's table RF for the other planes. */
static void emit_core_tables(mp_vmod *m, const mp_lut_cfg *c,
                             const char *table, const char *grid, int r)
{
    int g4 = c->tile_k / 4, eb = c->store_bits;
    for (int g = 0; g < g4; g++) {
        for (int i = 0; i < 8; i++)
            mp_vline(m, "wire [%d:0] tc_%d_%d_%d;", eb - 1, r, g, i);
        mp_vopen(m, "%s table_%d_%d (", table, r, g);
        for (int i = 0; i < 4; i++)
            mp_vline(m, ".x%d(x_%d_%d),", i, r, 4 * g + i);
        for (int i = 0; i < 8; i++)
            mp_vline(m, ".t%d(tc_%d_%d_%d)%s", i, r, g, i, i < 7 ? "," : "");
        mp_vclose(m, ");");
    }
    mp_lut_emit_table_word(m, c, eb, r);
    if (!c->rounded)
        return;
    /* rounded float entries onto the group sums' grid, once per row */
    for (int g = 0; g < g4; g++)
        for (int i = 0; i < 8; i++) {
            mp_vline(m, "wire [%d:0] tg_%d_%d_%d;", c->entry_bits - 1, r, g, i);
            mp_vline(m, "%s u_grid_%d_%d_%d (.a(t_%d_%d_%d), .y(tg_%d_%d_%d));",
                     grid, r, g, i, r, g, i, r, g, i);
        }
}

void mp_lut_emit_table_word(mp_vmod *m, const mp_lut_cfg *c, int entry_bits,
                            int r)
{
    int g4 = c->tile_k / 4, eb = entry_bits, wb = 8 * g4 * eb;
    /* the RF word of row r: all entries of the step's tile_k/4 groups */
    char word[8192] = "";
    for (int g = g4 - 1; g >= 0; g--)
        for (int i = 7; i >= 0; i--) {
            size_t l = strlen(word);
            snprintf(word + l, sizeof word - l, "%stc_%d_%d_%d",
                     *word ? ", " : "", r, g, i);
        }
    mp_vline(m, "wire [%d:0] tw_%d = {%s};", wb - 1, r, word);
    mp_vline(m, "reg  [%d:0] tr_%d;", wb - 1, r);
    if (use_rf(c)) {
        mp_vline(m, "reg  [%d:0] trf_%d [0:%d];", wb - 1, r, c->blocks - 1);
        const char *addr = use_block(c) ? "in_block" : "0";
        mp_vopen(m, "always @(posedge clk) begin");
        mp_vline(m, "if (in_valid && in_plane == %d'd0) trf_%d[%s] <= tw_%d;",
                 mp_idx_bits(c->planes), r, addr, r);
        mp_vline(m, "tr_%d <= in_plane == %d'd0 ? tw_%d : trf_%d[%s];", r,
                 mp_idx_bits(c->planes), r, r, addr);
        mp_vclose(m, "end");
    } else {
        mp_vline(m, "always @(posedge clk) tr_%d <= tw_%d;", r, r);
    }
    for (int g = 0; g < g4; g++)
        for (int i = 0; i < 8; i++) {
            int lsb = (8 * g + i) * eb;
            mp_vline(m, "wire [%d:0] t_%d_%d_%d = tr_%d[%d:%d];", eb - 1, r, g,
                     i, r, lsb + eb - 1, lsb);
        }
}

/* Plane bits of column n: bit b of the offset-binary code (MSB flipped for
 * signed and ternary codes). */
void mp_lut_emit_planes(mp_vmod *m, const mp_lut_cfg *c, int n)
{
    int top = c->planes - 1;
    char bits[4096] = "";
    for (int o = c->tile_k - 1; o >= 0; o--) {
        size_t l = strlen(bits);
        if (use_plane(c))
            snprintf(bits + l, sizeof bits - l, "%sw_%d_%d[in_plane]",
                     *bits ? ", " : "", n, o);
        else
            snprintf(bits + l, sizeof bits - l, "%sw_%d_%d", *bits ? ", " : "",
                     n, o);
    }
    mp_vline(m, "reg  [%d:0] wp_%d;", c->tile_k - 1, n);
    if (!c->msb_flip) {
        mp_vline(m, "always @(posedge clk) wp_%d <= {%s};", n, bits);
    } else if (use_plane(c)) {
        mp_vline(m, "always @(posedge clk) wp_%d <= {%s} ^ "
                    "{%d{in_plane == %d'd%d}};",
                 n, bits, c->tile_k, mp_idx_bits(c->planes), top);
    } else {
        mp_vline(m, "always @(posedge clk) wp_%d <= ~{%s};", n, bits);
    }
}

static void emit_core_unit(mp_vmod *m, const mp_lut_cfg *c, const char *unit,
                           int ur, int uc)
{
    mp_lut_emit_unit_inst(m, c, unit, c->rounded ? "tg" : "t", ur, uc,
                          use_plane(c) ? ".en(v1), .first(f1), .plane(b1),"
                                       : ".en(v1), .first(f1),");
}

void mp_lut_emit_unit_inst(mp_vmod *m, const mp_lut_cfg *c, const char *unit,
                           const char *tab, int ur, int uc, const char *ctl)
{
    int g4 = c->tile_k / 4;
    mp_vopen(m, "%s unit_%d_%d (", unit, ur, uc);
    mp_vline(m, ".clk(clk), %s", ctl);
    for (int r = 0; r < c->tile_m; r++)
        for (int g = 0; g < g4; g++)
            for (int i = 0; i < 8; i++)
                mp_vline(m, ".t_%d_%d_%d(%s_%d_%d_%d),", r, g, i, tab,
                         ur * c->tile_m + r, g, i);
    for (int n = 0; n < c->tile_n; n++)
        mp_vline(m, ".wp_%d(wp_%d),", n, uc * c->tile_n + n);
    for (int r = 0; r < c->tile_m; r++)
        for (int n = 0; n < c->tile_n; n++)
            mp_vline(m, ".acc_%d_%d(p_%d_%d)%s", r, n, ur * c->tile_m + r,
                     uc * c->tile_n + n,
                     r == c->tile_m - 1 && n == c->tile_n - 1 ? "" : ",");
    mp_vclose(m, ");");
}

/* Bits of an activation on the grid (rounded tables). */
static int xgrid_bits(const mp_lut_cfg *c)
{
    return mp_sbits_for(-c->x_max, c->x_max);
}

/* Row sums S of rounded-table cores: entry 0 is rounded, so S sums the
 * activations themselves on the grid (exact, any order), on plane 0. */
static void emit_core_xsums(mp_vmod *m, const mp_lut_cfg *c,
                            const char *xgrid)
{
    int sb = c->sum_bits, xb = xgrid_bits(c);
    for (int r = 0; r < c->m_tile; r++) {
        char sum[4096] = "";
        for (int o = 0; o < c->tile_k; o++) {
            mp_vline(m, "reg  [%d:0] xr_%d_%d;", c->act_bits - 1, r, o);
            mp_vline(m, "always @(posedge clk) xr_%d_%d <= x_%d_%d;", r, o, r,
                     o);
            if (c->act_float) {
                mp_vline(m, "wire [%d:0] xg_%d_%d;", xb - 1, r, o);
                mp_vline(m, "%s u_xgrid_%d_%d (.a(xr_%d_%d), .y(xg_%d_%d));",
                         xgrid, r, o, r, o, r, o);
            } else {
                xb = c->act_bits;
                mp_vline(m, "wire [%d:0] xg_%d_%d = xr_%d_%d;", xb - 1, r, o,
                         r, o);
            }
            size_t l = strlen(sum);
            snprintf(sum + l, sizeof sum - l, " + {{%d{xg_%d_%d[%d]}}, "
                     "xg_%d_%d}", sb - xb, r, o, xb - 1, r, o);
        }
        char cond[64] = "";
        if (use_plane(c))
            snprintf(cond, sizeof cond, " && b1 == %d'd0",
                     mp_idx_bits(c->planes));
        mp_vline(m, "always @(posedge clk) if (v1%s) s_%d <= (f1 ? %d'd0 : "
                    "s_%d)%s;", cond, r, sb, r, sum);
    }
}

int mp_lut_emit_core(mp_rtl_out *out, const mp_lut_cfg *c, char *name,
                     mp_diag *d)
{
    char table[MP_RTL_NAME_MAX], unit[MP_RTL_NAME_MAX];
    char grid[MP_RTL_NAME_MAX] = "", xgrid[MP_RTL_NAME_MAX] = "";
    if (mp_lut_emit_table(out, c, table, d) || emit_unit(out, c, unit, d))
        return -1;
    if (c->rounded &&
        (mp_fp_emit_to_grid(out, c->tfmt, c->frac_bits, c->entry_bits, grid,
                            d) ||
         (c->act_float && mp_fp_emit_to_grid(out, c->afmt, c->frac_bits,
                                             xgrid_bits(c), xgrid, d))))
        return -1;
    mp_rtl_leaf_name(out, name, "lut_core");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "LUT Tensor Core array: table precompute and RF, "
                           "plane registers, LUT units, row sums",
                           d);
    if (rc)
        return rc < 0 ? -1 : 0;
    emit_core_ports(&m, c);
    m.indent = 1;
    /* step control, one stage behind the inputs (with tables and planes) */
    mp_vline(&m, "reg v1, f1, l1;");
    if (use_plane(c))
        mp_vline(&m, "reg [%d:0] b1;", mp_idx_bits(c->planes) - 1);
    mp_vopen(&m, "always @(posedge clk) begin");
    mp_vline(&m, "v1 <= rst_n & in_valid;");
    mp_vline(&m, "out_valid <= rst_n & v1 & l1;");
    mp_vline(&m, "f1 <= in_first;");
    mp_vline(&m, "l1 <= in_last;");
    if (use_plane(c))
        mp_vline(&m, "b1 <= in_plane;");
    mp_vclose(&m, "end");
    for (int r = 0; r < c->m_tile; r++)
        emit_core_tables(&m, c, table, grid, r);
    for (int n = 0; n < c->n_tile; n++)
        mp_lut_emit_planes(&m, c, n);
    for (int ur = 0; ur < c->m_tile / c->tile_m; ur++)
        for (int uc = 0; uc < c->n_tile / c->tile_n; uc++)
            emit_core_unit(&m, c, unit, ur, uc);
    if (c->rounded) {
        emit_core_xsums(&m, c, xgrid);
        mp_vclose(&m, "endmodule");
        return mp_vmod_end(&m, d);
    }
    /* row sums S: entry 0 of every table, on plane 0 */
    int sb = c->sum_bits, eb = c->entry_bits;
    mp_vopen(&m, "always @(posedge clk) begin");
    for (int r = 0; r < c->m_tile; r++) {
        char sum[4096] = "";
        for (int g = 0; g < c->tile_k / 4; g++) {
            size_t l = strlen(sum);
            snprintf(sum + l, sizeof sum - l, " + {{%d{t_%d_%d_0[%d]}}, "
                     "t_%d_%d_0}", sb - eb, r, g, eb - 1, r, g);
        }
        char cond[64] = "";
        if (use_plane(c))
            snprintf(cond, sizeof cond, " && b1 == %d'd0",
                     mp_idx_bits(c->planes));
        mp_vline(&m, "if (v1%s) s_%d <= (f1 ? %d'd0 : s_%d)%s;", cond, r, sb,
                 r, sum);
    }
    mp_vclose(&m, "end");
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

/* ---- the generator ops -------------------------------------------------- */

/* The datapath of a checked configuration, from the golden arithmetic
 * (info->arith): integer output (no scales) is exact whatever the tables'
 * format, so the golden and the RTL keep exact integer tables then. */
static int lut_setup(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                     mp_lut_cfg *c, mp_diag *d)
{
    const mp_pe_ops *pe = mp_pe_find(cfg->family);
    mp_pe_params p = cfg->pe;
    if (!pe || pe->check(&p, d))
        return -1;
    const mp_arith *ar = &info->arith;
    memset(c, 0, sizeof *c);
    c->act = p.act;
    c->act_float = mp_act_is_float(p.act);
    if (c->act_float)
        mp_fpf_of(p.act, &c->afmt);
    c->table_fmt = ar->table_fmt;
    if (!cfg->has_scales)
        c->table_fmt = MP_ACT_INT16;
    c->table_float = mp_act_is_float(c->table_fmt);
    if (c->table_float)
        mp_fpf_of(c->table_fmt, &c->tfmt);
    c->group_float = cfg->has_scales && (ar->group_acc == MP_ACC_FP16 ||
                                         ar->group_acc == MP_ACC_FP32);
    if (c->group_float)
        mp_fpf_of(mp_acc_float_fmt(ar->group_acc), &c->gfmt);
    else if (ar->group_acc == MP_ACC_FIXED)
        c->frac_bits = ar->frac_bits;
    c->tile_m = p.tile_m;
    c->tile_n = p.tile_n;
    c->tile_k = p.tile_k;
    c->m_tile = cfg->rows * p.tile_m;
    c->n_tile = cfg->cols * p.tile_n;
    c->act_bits = mp_act_bits(p.act);
    c->planes = p.wfmt.kind == MP_W_TERNARY ? 2 : p.wfmt.bits;
    c->msb_flip = p.wfmt.kind != MP_W_UNSIGNED;
    c->group = info->group ? info->group : cfg->k_max;
    if (mp_lut_layout(c))
        return mp_fail(d, MP_CMDLINE, 0, "tile_k",
                       "tile_k %d must be a multiple of 4 dividing the group "
                       "%d", c->tile_k, c->group);
    if (!c->group_float && c->acc_bits > 62)
        return mp_fail(d, MP_CMDLINE, 0, "k-max",
                       "lut-tc group sums need %d bits, more than 62",
                       c->acc_bits);
    return 0;
}

static void lut_spec(const mp_lut_cfg *c, mp_block_spec *s)
{
    memset(s, 0, sizeof *s);
    s->fetch_k = c->tile_k;
    s->passes = c->planes;
    s->subs = 1;
    s->core_latency = c->latency;
    s->block_port = c->group_float ? c->blocks > 1 : use_block(c);
    s->p_float = c->group_float;
    s->g_fmt = c->gfmt;
    s->blast_port = c->group_float;
    s->p_bits = c->group_float ? mp_fpf_bits(c->gfmt) : c->acc_bits;
    s->p_max = (int64_t)c->group / 4 * c->entry_max *
               (((int64_t)1 << c->planes) - 1);
    s->x_max = c->x_max;
    s->s_from_core = 1;
    s->s_bits = c->group_float ? mp_fpf_bits(c->gfmt) : c->sum_bits;
    s->x_bits = c->act_bits;
    s->w_bits = c->planes;
    /* s' = s/2, z' = 2(z + offset) + 1 - 2^B: y = s' (P' - z' S); with
     * exact tables P' - z' S is even, r = (P' - z' S) / 2; with rounded
     * entries it need not be, and the scale takes the 1/2 (frac + 1) */
    int offset = c->msb_flip ? 1 << (c->planes - 1) : 0;
    s->zero_mul = 2;
    s->zero_add = 2 * (int64_t)offset + 1 - ((int64_t)1 << c->planes);
    s->r_shift = c->rounded ? 0 : 1;
    s->frac_bits = c->rounded ? c->frac_bits + 1 : 0;
}

static int lut_rtl_check(const mp_rtl_cfg *cfg, mp_rtl_info *info, mp_diag *d)
{
    mp_lut_cfg c;
    if (lut_setup(cfg, info, &c, d))
        return -1;
    if (info->arith.order != MP_ORDER_BIT_SERIAL)
        return mp_fail(d, MP_CMDLINE, 0, "acc",
                       "lut-tc RTL sums weight planes bit-serially");
    info->m_tile = c.m_tile;
    info->n_tile = c.n_tile;
    info->k_step = info->group ? info->group : c.tile_k;
    return 0;
}

static int lut_rtl_emit(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                        mp_rtl_out *out, mp_diag *d)
{
    mp_lut_cfg c;
    mp_block_spec s;
    if (lut_setup(cfg, info, &c, d))
        return -1;
    lut_spec(&c, &s);
    if (c.group_float ? mp_lut_emit_fcore(out, &c, s.core, d)
                      : mp_lut_emit_core(out, &c, s.core, d))
        return -1;
    return mp_block_emit_top(cfg, info, &s, out, d);
}

static int64_t lut_rtl_cycles(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                              int k)
{
    mp_lut_cfg c;
    mp_block_spec s;
    if (lut_setup(cfg, info, &c, NULL))
        return -1;
    lut_spec(&c, &s);
    return mp_block_cycles(cfg, info, &s, k);
}

const mp_rtl_ops mp_rtl_lut_tc_ops = {
    .family = "lut-tc",
    .check = lut_rtl_check,
    .emit = lut_rtl_emit,
    .cycles = lut_rtl_cycles,
};
