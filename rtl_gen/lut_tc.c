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
 * This file is the INT8 datapath (exact integer tables and sums, so any
 * order equals mp_gemm_hw()); the FP16 datapath, whose rounding follows
 * the golden's step order, is lut_fp.c.  Both share the block-step top
 * (block_top.h) and these generator ops.
 */
#include "rtl_gen/lut_tc.h"

#include <stdio.h>
#include <string.h>
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
    c->entry_bits = c->act_bits + 2;
    /* a looked-up value is +-entry: one bit more (-(-2^(A+1))) */
    c->tree_bits = c->entry_bits + 1 + mp_clog2(groups4);
    int64_t x_max = (int64_t)1 << (c->act_bits - 1);
    int64_t p_max = (int64_t)c->group * x_max * (((int64_t)1 << c->planes) - 1);
    c->acc_bits = mp_sbits_for(-p_max, p_max);
    c->sum_bits = mp_sbits_for(-(int64_t)c->group * x_max,
                               (int64_t)c->group * x_max);
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

static int emit_table(mp_rtl_out *out, const mp_lut_cfg *c, char *name,
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
    int ab = c->act_bits, eb = c->entry_bits;
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
                             const char *table, int r)
{
    int g4 = c->tile_k / 4, eb = c->entry_bits;
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
static void emit_core_planes(mp_vmod *m, const mp_lut_cfg *c, int n)
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
    int g4 = c->tile_k / 4;
    mp_vopen(m, "%s unit_%d_%d (", unit, ur, uc);
    mp_vline(m, ".clk(clk), .en(v1), .first(f1),");
    if (use_plane(c))
        mp_vline(m, ".plane(b1),");
    for (int r = 0; r < c->tile_m; r++)
        for (int g = 0; g < g4; g++)
            for (int i = 0; i < 8; i++)
                mp_vline(m, ".t_%d_%d_%d(t_%d_%d_%d),", r, g, i,
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

int mp_lut_emit_core(mp_rtl_out *out, const mp_lut_cfg *c, char *name,
                     mp_diag *d)
{
    char table[MP_RTL_NAME_MAX], unit[MP_RTL_NAME_MAX];
    if (emit_table(out, c, table, d) || emit_unit(out, c, unit, d))
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
        emit_core_tables(&m, c, table, r);
    for (int n = 0; n < c->n_tile; n++)
        emit_core_planes(&m, c, n);
    for (int ur = 0; ur < c->m_tile / c->tile_m; ur++)
        for (int uc = 0; uc < c->n_tile / c->tile_n; uc++)
            emit_core_unit(&m, c, unit, ur, uc);
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

static int lut_setup(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                     mp_lut_cfg *c, mp_diag *d)
{
    const mp_pe_ops *pe = mp_pe_find(cfg->family);
    mp_pe_params p = cfg->pe;
    if (!pe || pe->check(&p, d))
        return -1;
    int fp = p.act == MP_ACT_FP16 && p.table_fmt == MP_ACT_FP16 &&
             p.acc == MP_ACC_FP16;
    if (!fp && (mp_act_is_float(p.act) || p.table_fmt != MP_ACT_INT16))
        return mp_fail(d, MP_CMDLINE, 0, "act",
                       "lut-tc RTL is generated for int8 activations with "
                       "exact (int16) tables, or fp16 activations with fp16 "
                       "tables and an fp16 group accumulator");
    memset(c, 0, sizeof *c);
    c->fp16 = fp;
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
    return 0;
}

static void lut_spec(const mp_lut_cfg *c, mp_block_spec *s)
{
    memset(s, 0, sizeof *s);
    s->fetch_k = c->tile_k;
    s->passes = c->planes;
    s->subs = 1;
    s->core_latency = c->latency;
    s->block_port = c->fp16 ? c->blocks > 1 : use_block(c);
    s->p_float = c->fp16;
    s->blast_port = c->fp16;
    s->p_bits = c->fp16 ? 16 : c->acc_bits;
    s->p_max = (int64_t)c->group << (c->act_bits - 1);
    s->p_max *= ((int64_t)1 << c->planes) - 1;
    s->s_from_core = 1;
    s->s_bits = c->fp16 ? 16 : c->sum_bits;
    s->x_bits = c->act_bits;
    s->w_bits = c->planes;
    /* s' = s/2, z' = 2(z + offset) + 1 - 2^B: r = (P' - z' S) / 2 */
    int offset = c->msb_flip ? 1 << (c->planes - 1) : 0;
    s->zero_mul = 2;
    s->zero_add = 2 * (int64_t)offset + 1 - ((int64_t)1 << c->planes);
    s->r_shift = 1;
}

static int lut_rtl_check(const mp_rtl_cfg *cfg, mp_rtl_info *info, mp_diag *d)
{
    mp_lut_cfg c;
    if (lut_setup(cfg, info, &c, d))
        return -1;
    if (info->arith.order != MP_ORDER_BIT_SERIAL ||
        info->arith.group_acc != (c.fp16 ? MP_ACC_FP16 : MP_ACC_INT))
        return mp_fail(d, MP_CMDLINE, 0, "acc",
                       "lut-tc RTL sums planes as exact integers (int8) or "
                       "in fp16 (fp16 activations)");
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
    if (c.fp16 ? mp_lut_emit_fcore(out, &c, s.core, d)
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
