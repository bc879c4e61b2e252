/*
 * bitfusion.c - Verilog for the BitFusion baseline (pe_models/bitfusion.c,
 * Sharma et al., ISCA 2018): an array of fusion units, each built of
 * 2-bit x 2-bit BitBricks whose products are shifted by 2(i+j) and summed
 * by a binary adder tree (spatial fusion).
 *
 * A B-bit weight code is split into wb = pow2ceil(ceil(B/2)) bricks, an
 * A-bit activation into ab = A/2 bricks (INT8: 4, INT16: 8); the top brick
 * of a signed operand is signed, the others unsigned (the BitBrick's sign
 * inputs).  One MAC uses wb*ab bricks, so a unit of 16 bricks fuses
 * fetch_k = 16/(wb*ab) products of consecutive K into one sum per cycle
 * (halved until it divides the group); with wb*ab > 16 (W8A16) one MAC
 * takes subs = wb*ab/16 cycles, sub-step u covering activation bricks
 * u*ab/subs.. of it (the fused partial shifted by 2*u*ab/subs).
 *
 * The array core is rows x cols units, operands broadcast along rows (x)
 * and columns (w) by the block-step top (block_top.h): stage 1 registers
 * the fetched operands (one copy per row and column), stage 2 the fused
 * tree sum per unit, stage 3 the exact integer group accumulator; groups
 * are finished by the shared dequant edge (r = P - z S, scale, FP32
 * accumulate).  Every sum is exact (two's complement widths from the
 * formats' extreme values; a tree of a width that holds its result may
 * wrap inside, which modular addition makes harmless), so the RTL equals
 * golden per-group integer arithmetic.
 *
 *     rtl_cycles = (K / fetch_k) * subs + 3 + E          (docs/rtl.md)
 */
#include <stdio.h>
#include <string.h>
#include "pe_models/pe_common.h"
#include "rtl_gen/block_top.h"
#include "rtl_gen/top_common.h"

#define CORE_LATENCY 3     /* operand regs, fused sum, accumulator */

/* The layout of one configuration. */
typedef struct bf_layout {
    int wb, ab;             /* weight / activation bricks                 */
    int subs;               /* cycles per MAC (W8A16: 2)                  */
    int hb;                 /* activation bricks per sub-step: ab / subs  */
    int fetch_k;            /* products fused per step                    */
    int x_bits;             /* activation width (2 * ab)                  */
    int w_bits, w_signed;   /* weight code buffer width and signedness    */
    int64_t w_min, w_max;   /* code range                                  */
    int tree_bits;          /* the fused tree of one sub-step             */
    int fs_bits;            /* the step's sum, sub-step shift applied     */
    int p_bits;             /* group accumulator                          */
    int64_t p_max;          /* |P| of a group at most                     */
    int span;               /* K values of a group (per channel: k_max)  */
} bf_layout;

/* Smallest and largest of {a,b} x {c,d}. */
static void range_mul(int64_t alo, int64_t ahi, int64_t blo, int64_t bhi,
                      int64_t *lo, int64_t *hi)
{
    int64_t v[4] = {alo * blo, alo * bhi, ahi * blo, ahi * bhi};
    *lo = *hi = v[0];
    for (int i = 1; i < 4; i++) {
        if (v[i] < *lo)
            *lo = v[i];
        if (v[i] > *hi)
            *hi = v[i];
    }
}

/* The activation value range of sub-step u before its shift: the low
 * halves are unsigned bricks, the top half holds the signed brick. */
static void sub_range(const bf_layout *l, int u, int64_t *lo, int64_t *hi)
{
    int bits = 2 * l->hb;
    if (u == l->subs - 1) {
        *lo = -((int64_t)1 << (bits - 1));
        *hi = ((int64_t)1 << (bits - 1)) - 1;
    } else {
        *lo = 0;
        *hi = ((int64_t)1 << bits) - 1;
    }
}

static void bf_layout_of(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                         bf_layout *l)
{
    memset(l, 0, sizeof *l);
    const mp_pe_params *p = &info->pe;
    l->x_bits = mp_act_bits(p->act);
    l->ab = l->x_bits / 2;
    l->wb = mp_pe_bricks(mp_pe_code_bits(p->wfmt));
    /* the PE model's timing is the one definition of the products fused
     * per step (tile_k) and the cycles per MAC (cycles_per_tile), so the
     * RTL and the engine cannot drift apart */
    mp_pe_timing tm;
    mp_pe_find(cfg->family)->timing(p, &tm);
    l->subs = tm.cycles_per_tile;
    l->fetch_k = tm.tile_k;
    l->hb = l->ab / l->subs;
    l->span = info->group ? info->group : cfg->k_max;
    mp_top_wcode(p->wfmt, &l->w_bits, &l->w_signed);
    l->w_min = mp_wfmt_min(p->wfmt);
    l->w_max = mp_wfmt_max(p->wfmt);
    int64_t xlo = -((int64_t)1 << (l->x_bits - 1)), xhi = -xlo - 1;
    for (int u = 0; u < l->subs; u++) {
        int64_t alo, ahi, lo, hi;
        sub_range(l, u, &alo, &ahi);
        range_mul(alo, ahi, l->w_min, l->w_max, &lo, &hi);
        lo *= l->fetch_k;
        hi *= l->fetch_k;
        int tb = mp_sbits_for(lo, hi);
        int shift = 2 * l->hb * u;
        int fb = mp_sbits_for(lo * ((int64_t)1 << shift),
                              hi * ((int64_t)1 << shift));
        /* every shifted brick product whole (no bit of it dropped) */
        int whole = 6 + 2 * (l->wb - 1 + l->hb - 1);
        tb = tb > whole ? tb : whole;
        l->tree_bits = tb > l->tree_bits ? tb : l->tree_bits;
        fb = fb > tb ? fb : tb;
        l->fs_bits = fb > l->fs_bits ? fb : l->fs_bits;
    }
    int64_t plo, phi;
    range_mul(xlo, xhi, l->w_min, l->w_max, &plo, &phi);
    l->p_max = (phi > -plo ? phi : -plo) * l->span;
    l->p_bits = mp_sbits_for(plo * l->span, phi * l->span);
    if (l->p_bits < l->fs_bits)
        l->p_bits = l->fs_bits;
}

/* ---- the BitBrick ------------------------------------------------------- */

/* A 2-bit x 2-bit multiplier, each operand signed or unsigned by its sign
 * input: the operands are extended to 3 bits, the product is 6 bits. */
static int emit_bitbrick(mp_rtl_out *out, char *name, mp_diag *d)
{
    mp_rtl_leaf_name(out, name, "bitbrick");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "BitBrick: 2b x 2b multiplier, signed or unsigned "
                           "per operand (BitFusion, ISCA 2018)", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    mp_vline(&m, "input  wire [1:0] a,");
    mp_vline(&m, "input  wire       sa,  // a is signed");
    mp_vline(&m, "input  wire [1:0] b,");
    mp_vline(&m, "input  wire       sb,  // b is signed");
    mp_vline(&m, "output wire [5:0] p");
    mp_vclose(&m, ");");
    m.indent++;
    mp_vline(&m, "wire [2:0] ae = {sa & a[1], a};");
    mp_vline(&m, "wire [2:0] be = {sb & b[1], b};");
    mp_vline(&m, "assign p = {{3{ae[2]}}, ae} * {{3{be[2]}}, be};");
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

/* ---- the fusion unit ----------------------------------------------------- */

/* Term wire: brick product bp (6 bits, signed) times 2^shift, sign-
 * extended to bits (>= 6 + shift). */
static void emit_term(mp_vmod *m, const char *dst, const char *bp, int shift,
                      int bits)
{
    char lowz[32] = "", ext[64] = "";
    if (shift)
        snprintf(lowz, sizeof lowz, ", %d'd0", shift);
    if (bits > 6 + shift)
        snprintf(ext, sizeof ext, "{%d{%s[5]}}, ", bits - 6 - shift, bp);
    mp_vline(m, "wire [%d:0] %s = {%s%s%s};", bits - 1, dst, ext, bp, lowz);
}

/* Name of node i of tree level `level` (level 0: the terms t_i). */
static const char *tree_node(char *buf, size_t cap, int level, int i)
{
    if (level)
        snprintf(buf, cap, "s%d_%d", level, i);
    else
        snprintf(buf, cap, "t_%d", i);
    return buf;
}

/* A binary adder tree over terms t_0..t_{n-1} (bits wide) into `dst`. */
static void emit_tree(mp_vmod *m, int n, int bits, const char *dst)
{
    int level = 0;
    char a[32], b[32];
    while (n > 1) {
        int next = (n + 1) / 2;
        for (int i = 0; i < next; i++) {
            tree_node(a, sizeof a, level, 2 * i);
            if (2 * i + 1 < n)
                mp_vline(m, "wire [%d:0] s%d_%d = %s + %s;", bits - 1,
                         level + 1, i, a,
                         tree_node(b, sizeof b, level, 2 * i + 1));
            else
                mp_vline(m, "wire [%d:0] s%d_%d = %s;", bits - 1, level + 1, i,
                         a);
        }
        n = next;
        level++;
    }
    mp_vline(m, "wire [%d:0] %s = %s;", bits - 1, dst,
             tree_node(a, sizeof a, level, 0));
}

static void emit_unit_ports(mp_vmod *m, const bf_layout *l)
{
    mp_vline(m, "input  wire clk,");
    mp_vline(m, "input  wire v1,       // stage-1 operands valid");
    if (l->subs > 1)
        mp_vline(m, "input  wire [%d:0] u1, // their sub-step",
                 mp_idx_bits(l->subs) - 1);
    for (int o = 0; o < l->fetch_k; o++)
        mp_vline(m, "input  wire [%d:0] x_%d,", l->x_bits - 1, o);
    for (int o = 0; o < l->fetch_k; o++)
        mp_vline(m, "input  wire [%d:0] w_%d,", l->w_bits - 1, o);
    mp_vline(m, "input  wire v2,       // stage-2 sum valid");
    mp_vline(m, "input  wire f2,       // it starts a group");
    mp_vline(m, "output reg  [%d:0] p", l->p_bits - 1);
}

/* Activation half of sub-step u1 (W8A16), or the whole activation. */
static void emit_act_select(mp_vmod *m, const bf_layout *l, int o)
{
    int hbits = 2 * l->hb, ub = mp_idx_bits(l->subs);
    if (l->subs == 1) {
        mp_vline(m, "wire [%d:0] xa_%d = x_%d;", hbits - 1, o, o);
        return;
    }
    mp_vline(m, "reg  [%d:0] xa_%d;", hbits - 1, o);
    mp_vopen(m, "always @* begin");
    mp_vline(m, "xa_%d = x_%d[%d:0];", o, o, hbits - 1);
    mp_vopen(m, "case (u1)");
    for (int u = 1; u < l->subs; u++)
        mp_vline(m, "%d'd%d: xa_%d = x_%d[%d:%d];", ub, u, o, o,
                 hbits * (u + 1) - 1, hbits * u);
    mp_vline(m, "default: ;");
    mp_vclose(m, "endcase");
    mp_vclose(m, "end");
}

static int emit_unit(mp_rtl_out *out, const bf_layout *l, const char *brick,
                     char *name, mp_diag *d)
{
    mp_rtl_leaf_name(out, name, "fusion_unit");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "BitFusion fusion unit: BitBricks, shift by "
                           "2(i+j), binary adder tree, group accumulator", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    int tb = l->tree_bits, wx = 2 * l->wb, ub = mp_idx_bits(l->subs);
    char e1[64];
    mp_vopen(&m, "module %s (", name);
    emit_unit_ports(&m, l);
    mp_vclose(&m, ");");
    m.indent++;
    if (l->subs > 1)
        mp_vline(&m, "wire top_sub = u1 == %s;  // top brick signed",
                 mp_vconst(e1, ub, (uint64_t)(l->subs - 1)));
    int n = 0;
    for (int o = 0; o < l->fetch_k; o++) {
        emit_act_select(&m, l, o);
        /* the code as wb bricks: sign- or zero-extended */
        if (wx == l->w_bits)
            mp_vline(&m, "wire [%d:0] wx_%d = w_%d;", wx - 1, o, o);
        else if (l->w_signed)
            mp_vline(&m, "wire [%d:0] wx_%d = {{%d{w_%d[%d]}}, w_%d};", wx - 1,
                     o, wx - l->w_bits, o, l->w_bits - 1, o);
        else
            mp_vline(&m, "wire [%d:0] wx_%d = {%d'd0, w_%d};", wx - 1, o,
                     wx - l->w_bits, o);
        for (int i = 0; i < l->wb; i++)
            for (int j = 0; j < l->hb; j++, n++) {
                const char *sa = l->subs > 1 && j == l->hb - 1 ? "top_sub"
                                 : j == l->hb - 1             ? "1'b1"
                                                              : "1'b0";
                const char *sb = l->w_signed && i == l->wb - 1 ? "1'b1"
                                                               : "1'b0";
                mp_vline(&m, "wire [5:0] bp_%d;", n);
                mp_vline(&m, "%s u_bb_%d (.a(xa_%d[%d:%d]), .sa(%s), "
                         ".b(wx_%d[%d:%d]), .sb(%s), .p(bp_%d));",
                         brick, n, o, 2 * j + 1, 2 * j, sa, o, 2 * i + 1,
                         2 * i, sb, n);
                char t[16], bp[16];
                snprintf(t, sizeof t, "t_%d", n);
                snprintf(bp, sizeof bp, "bp_%d", n);
                emit_term(&m, t, bp, 2 * (i + j), tb);
            }
    }
    emit_tree(&m, n, tb, "tree");
    /* the step's sum: the sub-step's shift, extended to fs_bits */
    int fb = l->fs_bits;
    char ext[96];
    if (fb > tb)
        snprintf(ext, sizeof ext, "{{%d{tree[%d]}}, tree}", fb - tb, tb - 1);
    else
        snprintf(ext, sizeof ext, "tree");
    mp_vline(&m, "wire [%d:0] tree_x = %s;", fb - 1, ext);
    mp_vline(&m, "reg  [%d:0] fs;", fb - 1);
    if (l->subs == 1) {
        mp_vline(&m, "always @(posedge clk) if (v1) fs <= tree_x;");
    } else {
        mp_vopen(&m, "always @(posedge clk) begin");
        mp_vopen(&m, "if (v1) case (u1)");
        for (int u = 1; u < l->subs; u++)
            mp_vline(&m, "%d'd%d: fs <= tree_x << %d;", ub, u, 2 * l->hb * u);
        mp_vline(&m, "default: fs <= tree_x;");
        mp_vclose(&m, "endcase");
        mp_vclose(&m, "end");
    }
    if (l->p_bits > fb)
        snprintf(ext, sizeof ext, "{{%d{fs[%d]}}, fs}", l->p_bits - fb, fb - 1);
    else
        snprintf(ext, sizeof ext, "fs");
    mp_vline(&m, "always @(posedge clk) if (v2) p <= (f2 ? %d'd0 : p) + %s;",
             l->p_bits, ext);
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

/* ---- the array core ------------------------------------------------------ */

static void emit_core_ports(mp_vmod *m, const bf_layout *l, int rows, int cols)
{
    mp_vline(m, "input  wire clk,");
    mp_vline(m, "input  wire rst_n,");
    mp_vline(m, "input  wire in_valid,");
    mp_vline(m, "input  wire in_first,");
    mp_vline(m, "input  wire in_last,");
    if (l->subs > 1)
        mp_vline(m, "input  wire [%d:0] in_sub,", mp_idx_bits(l->subs) - 1);
    for (int r = 0; r < rows; r++)
        for (int o = 0; o < l->fetch_k; o++)
            mp_vline(m, "input  wire [%d:0] x_%d_%d,", l->x_bits - 1, r, o);
    for (int n = 0; n < cols; n++)
        for (int o = 0; o < l->fetch_k; o++)
            mp_vline(m, "input  wire [%d:0] w_%d_%d,", l->w_bits - 1, n, o);
    for (int r = 0; r < rows; r++)
        for (int n = 0; n < cols; n++)
            mp_vline(m, "output wire [%d:0] p_%d_%d,", l->p_bits - 1, r, n);
    mp_vline(m, "output reg  out_valid");
}

static int emit_core(mp_rtl_out *out, const bf_layout *l, int rows, int cols,
                     char *name, mp_diag *d)
{
    char brick[MP_RTL_NAME_MAX], unit[MP_RTL_NAME_MAX];
    if (emit_bitbrick(out, brick, d) || emit_unit(out, l, brick, unit, d))
        return -1;
    mp_rtl_leaf_name(out, name, "bf_core");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "BitFusion array core: rows x cols fusion units, "
                           "operands broadcast per row and column", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    int ub = mp_idx_bits(l->subs);
    mp_vopen(&m, "module %s (", name);
    emit_core_ports(&m, l, rows, cols);
    mp_vclose(&m, ");");
    m.indent++;
    mp_vline(&m, "// stage 1: the step's operands, one register per row/column");
    mp_vline(&m, "reg  v1, f1, l1, v2, f2, l2;");
    if (l->subs > 1)
        mp_vline(&m, "reg  [%d:0] u1;", ub - 1);
    for (int r = 0; r < rows; r++)
        for (int o = 0; o < l->fetch_k; o++)
            mp_vline(&m, "reg  [%d:0] xr_%d_%d;", l->x_bits - 1, r, o);
    for (int n = 0; n < cols; n++)
        for (int o = 0; o < l->fetch_k; o++)
            mp_vline(&m, "reg  [%d:0] wr_%d_%d;", l->w_bits - 1, n, o);
    mp_vopen(&m, "always @(posedge clk) begin");
    mp_vline(&m, "v1 <= rst_n & in_valid;");
    mp_vline(&m, "f1 <= in_first;");
    mp_vline(&m, "l1 <= in_last;");
    if (l->subs > 1)
        mp_vline(&m, "u1 <= in_sub;");
    mp_vline(&m, "// stage 2: the fused sums (in the units)");
    mp_vline(&m, "v2 <= rst_n & v1;");
    mp_vline(&m, "f2 <= f1;");
    mp_vline(&m, "l2 <= l1;");
    mp_vline(&m, "// stage 3: the group accumulators (in the units)");
    mp_vline(&m, "out_valid <= rst_n & v2 & l2;");
    for (int r = 0; r < rows; r++)
        for (int o = 0; o < l->fetch_k; o++)
            mp_vline(&m, "xr_%d_%d <= x_%d_%d;", r, o, r, o);
    for (int n = 0; n < cols; n++)
        for (int o = 0; o < l->fetch_k; o++)
            mp_vline(&m, "wr_%d_%d <= w_%d_%d;", n, o, n, o);
    mp_vclose(&m, "end");
    for (int r = 0; r < rows; r++)
        for (int n = 0; n < cols; n++) {
            mp_vline(&m, "%s u_fu_%d_%d (", unit, r, n);
            mp_vline(&m, "    .clk(clk), .v1(v1),%s", l->subs > 1 ? " .u1(u1)," : "");
            for (int o = 0; o < l->fetch_k; o++)
                mp_vline(&m, "    .x_%d(xr_%d_%d), .w_%d(wr_%d_%d),", o, r, o,
                         o, n, o);
            mp_vline(&m, "    .v2(v2), .f2(f2), .p(p_%d_%d));", r, n);
        }
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

/* ---- the generator ops --------------------------------------------------- */

static void bf_spec(const bf_layout *l, mp_block_spec *s)
{
    memset(s, 0, sizeof *s);
    s->fetch_k = l->fetch_k;
    s->passes = 1;
    s->subs = l->subs;
    s->core_latency = CORE_LATENCY;
    s->p_bits = l->p_bits;
    s->p_max = l->p_max;
    s->x_bits = l->x_bits;
    s->w_bits = l->w_bits;
    s->zero_mul = 1;
}

static int bf_rtl_check(const mp_rtl_cfg *cfg, mp_rtl_info *info, mp_diag *d)
{
    if (info->arith.dequant != MP_DEQ_PER_GROUP ||
        info->arith.group_acc != MP_ACC_INT)
        return mp_fail(d, MP_CMDLINE, 0, "acc",
                       "bitfusion RTL sums groups as exact integers");
    bf_layout l;
    bf_layout_of(cfg, info, &l);
    if (l.p_bits > 64)
        return mp_fail(d, MP_CMDLINE, 0, "group",
                       "group sums need %d bits, more than 64", l.p_bits);
    if (!cfg->has_scales) {
        /* integer output: every group's r = P - z S summed into int32 */
        int64_t xmax = (int64_t)1 << (l.x_bits - 1);
        /* the bound block_top.c uses: a zero point of the buffer width */
        int64_t zmax = cfg->pe.has_zeros
                           ? (int64_t)1 << (mp_sbits_for(l.w_min, l.w_max) - 1)
                           : 0;
        int64_t total = (l.p_max / l.span + zmax * xmax) * cfg->k_max;
        if (mp_sbits_for(-total, total) > 32)
            return mp_fail(d, MP_CMDLINE, 0, "k-max",
                           "integer sums over k-max %d do not fit the int32 "
                           "output", cfg->k_max);
    }
    if (!info->group && cfg->k_max < l.fetch_k)
        return mp_fail(d, MP_CMDLINE, 0, "k-max",
                       "a fusion unit takes %d K values per cycle; per "
                       "channel k-max %d holds no tile of such steps",
                       l.fetch_k, cfg->k_max);
    info->k_step = info->group ? info->group : l.fetch_k;
    return 0;
}

static int bf_rtl_emit(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                       mp_rtl_out *out, mp_diag *d)
{
    bf_layout l;
    mp_block_spec s;
    bf_layout_of(cfg, info, &l);
    bf_spec(&l, &s);
    if (emit_core(out, &l, info->m_tile, info->n_tile, s.core, d))
        return -1;
    return mp_block_emit_top(cfg, info, &s, out, d);
}

static int64_t bf_rtl_cycles(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                             int k)
{
    bf_layout l;
    mp_block_spec s;
    bf_layout_of(cfg, info, &l);
    bf_spec(&l, &s);
    return mp_block_cycles(cfg, info, &s, k);
}

const mp_rtl_ops mp_rtl_bitfusion_ops = {
    .family = "bitfusion",
    .check = bf_rtl_check,
    .emit = bf_rtl_emit,
    .cycles = bf_rtl_cycles,
};
