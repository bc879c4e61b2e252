/* lut_fp.c - see lut_fp.h. */
#include "rtl_gen/lut_fp.h"

#include <stdio.h>
#include <string.h>

static int use_plane(const mp_lut_cfg *c) { return c->planes > 1; }
static int use_block(const mp_lut_cfg *c) { return c->blocks > 1; }

/* ---- exact 4-term sums of float activations ------------------------------ */

/* Grid of a format: the exponent of its smallest subnormal is -frac. */
static int grid_frac(mp_fpf f) { return (1 << (f.e - 1)) - 2 + f.m; }
/* Bits of |finite value| on that grid: significand << (largest ee - 1). */
static int grid_bits(mp_fpf f)
{
    return f.m + (1 << f.e) - (f.fn ? 1 : 2);
}

/* Operand v of format f: v_s, v_nan, v_inf and v_mag, its magnitude on
 * the grid (meaningless for NaN/Inf, which the flags override). */
static void unpack_grid(mp_vmod *m, const char *v, mp_fpf f)
{
    int e = f.e, mb = f.m, fb = grid_bits(f);
    mp_vline(m, "wire %s_s = %s[%d];", v, v, e + mb);
    mp_vline(m, "wire [%d:0] %s_e = %s[%d:%d];", e - 1, v, v, e + mb - 1, mb);
    if (f.fn) {
        mp_vline(m, "wire %s_nan = (&%s_e) & (&%s[%d:0]);", v, v, v, mb - 1);
        mp_vline(m, "wire %s_inf = 1'b0;", v);
    } else {
        mp_vline(m, "wire %s_nan = (&%s_e) & (|%s[%d:0]);", v, v, v, mb - 1);
        mp_vline(m, "wire %s_inf = (&%s_e) & ~(|%s[%d:0]);", v, v, v, mb - 1);
    }
    mp_vline(m, "wire [%d:0] %s_sh = (|%s_e) ? %s_e - %d'd1 : %d'd0;", e - 1,
             v, v, v, e, e);
    mp_vline(m, "wire [%d:0] %s_mag = {%d'd0, |%s_e, %s[%d:0]} << %s_sh;",
             fb - 1, v, fb - mb - 1, v, v, mb - 1, v);
}

/* y = round_t(x0 + (neg_x1 ? -x1 : x1) + ...), the sum exact on the grid. */
static int emit_sum4(mp_rtl_out *out, mp_fpf a, mp_fpf t, char *name,
                     mp_diag *d)
{
    int fb = grid_bits(a), sw = fb + 3, frac = grid_frac(a);
    int xb = mp_idx_bits(frac + 1) + 2;
    char rname[MP_RTL_NAME_MAX], ta[24], tt[24], c1[32];
    if (mp_fp_emit_round(out, sw, xb, t, rname, d))
        return -1;
    mp_rtl_leaf_name(out, name, "lut_fsum4_%s_%s", mp_fpf_tag(a, ta),
                     mp_fpf_tag(t, tt));
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "exact sum of 4 signed float terms on their grid, "
                           "rounded once (rtl_gen/lut_fp.h)", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    for (int i = 0; i < 4; i++)
        mp_vline(&m, "input  wire [%d:0] x%d,", a.e + a.m, i);
    for (int i = 1; i < 4; i++)
        mp_vline(&m, "input  wire neg_x%d,", i);
    mp_vline(&m, "output wire [%d:0] y", t.e + t.m);
    mp_vclose(&m, ");");
    m.indent++;
    char nan[256] = "", inf[256] = "", ipos[256] = "", ineg[256] = "";
    char nz[256] = "", sum[256] = "";
    for (int i = 0; i < 4; i++) {
        char v[4];
        snprintf(v, sizeof v, "x%d", i);
        unpack_grid(&m, v, a);
        if (i)
            mp_vline(&m, "wire %s_sg = %s_s ^ neg_%s;", v, v, v);
        else
            mp_vline(&m, "wire %s_sg = %s_s;", v, v);
        mp_vline(&m, "wire %s_z = ~(|%s_mag);", v, v);
        mp_vline(&m, "wire [%d:0] %s_val = %s_sg ? -{3'd0, %s_mag} : "
                     "{3'd0, %s_mag};", sw - 1, v, v, v, v);
        size_t l;
#define APPEND(buf, ...) (l = strlen(buf), snprintf(buf + l, sizeof buf - l, __VA_ARGS__))
        APPEND(nan, "%s%s_nan", i ? " | " : "", v);
        APPEND(inf, "%s%s_inf", i ? " | " : "", v);
        APPEND(ipos, "%s(%s_inf & ~%s_sg)", i ? " | " : "", v, v);
        APPEND(ineg, "%s(%s_inf & %s_sg)", i ? " | " : "", v, v);
        APPEND(nz, "%s(%s_z & %s_sg)", i ? " & " : "", v, v);
        APPEND(sum, "%s%s_val", i ? " + " : "", v);
#undef APPEND
    }
    mp_vline(&m, "wire [%d:0] total = %s;", sw - 1, sum);
    mp_vline(&m, "wire tneg = total[%d];", sw - 1);
    mp_vline(&m, "wire [%d:0] tmag = tneg ? -total : total;", sw - 1);
    mp_vline(&m, "wire inf_pos = %s;", ipos);
    mp_vline(&m, "wire inf_neg = %s;", ineg);
    mp_vline(&m, "wire all_neg_zero = %s;", nz);
    mp_vline(&m, "wire sign_w = (%s) ? inf_neg : (~|tmag) ? all_neg_zero : "
                 "tneg;", inf);
    mp_vline(&m, "%s u_round (", rname);
    mp_vline(&m, "    .sign(sign_w),");
    mp_vline(&m, "    .nan(%s | (inf_pos & inf_neg)),", nan);
    mp_vline(&m, "    .inf(%s),", inf);
    mp_vline(&m, "    .mag(tmag),");
    mp_vline(&m, "    .exp(%s),", mp_vconst(c1, xb,
                                          ((uint64_t)1 << xb) - (uint64_t)frac));
    mp_vline(&m, "    .y(y));");
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

int mp_lut_emit_fsum_table(mp_rtl_out *out, mp_fpf a, mp_fpf t, char *name,
                           mp_diag *d)
{
    char sum4[MP_RTL_NAME_MAX], ta[24], tt[24];
    if (emit_sum4(out, a, t, sum4, d))
        return -1;
    mp_rtl_leaf_name(out, name, "lut_ftable_%s_%s", mp_fpf_tag(a, ta),
                     mp_fpf_tag(t, tt));
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "float symmetrized table: T[i] = round(x0 +- x1 +- "
                           "x2 +- x3), bit c-1 of i = minus", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    for (int i = 0; i < 4; i++)
        mp_vline(&m, "input  wire [%d:0] x%d,", a.e + a.m, i);
    for (int i = 0; i < 8; i++)
        mp_vline(&m, "output wire [%d:0] t%d%s", t.e + t.m, i, i < 7 ? "," : "");
    mp_vclose(&m, ");");
    m.indent++;
    for (int i = 0; i < 8; i++)
        mp_vline(&m, "%s u_t%d (.x0(x0), .x1(x1), .x2(x2), .x3(x3), "
                     ".neg_x1(1'b%d), .neg_x2(1'b%d), .neg_x3(1'b%d), "
                     ".y(t%d));",
                 sum4, i, i & 1, i >> 1 & 1, i >> 2 & 1, i);
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

/* ---- the float core ------------------------------------------------------ */

/* The format the units add: the table's, or (exact INT16 entries) the
 * group's, each entry converted exactly once per row. */
static mp_fpf unit_fmt(const mp_lut_cfg *c)
{
    return c->table_float ? c->tfmt : c->gfmt;
}

/* Columns of a float unit whose enables, first-block and plane share
 * one copy of the step's control registers (lut_fctl): each copy drives
 * CTL_COLS x tile_m outputs' flip-flop enables and selects (4 x 2 x 16 =
 * 128 enables on the M2N64 FP16 unit) instead of one register driving the
 * 4,096 flip-flop enables of a unit and four units (16k) from the core,
 * which the area-mapped netlist leaves unbuffered (docs/validation.md
 * "Timing"). */
#define CTL_COLS 4

static int ctl_groups(const mp_lut_cfg *c)
{
    return (c->tile_n + CTL_COLS - 1) / CTL_COLS;
}

/* One copy of the step's control, registered from the core's inputs as
 * the core's own v1/pf1/pl1/b1 are: en (a valid step), wr (a valid step
 * that is a plane's last block: the accumulators' write), pfirst, plane.
 * A module of its own so that synthesis keeps the copies (opt_merge would
 * merge identical flip-flops of one module, keep or not). */
static int emit_fctl(mp_rtl_out *out, const mp_lut_cfg *c, char *name,
                     mp_diag *d)
{
    int pb = mp_idx_bits(c->planes);
    mp_rtl_leaf_name(out, name, "lut_fctl");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "one copy of a float LUT unit's step control "
                           "(rtl_gen/lut_fp.c CTL_COLS)", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    mp_vline(&m, "input  wire clk,");
    mp_vline(&m, "input  wire rst_n,");
    mp_vline(&m, "input  wire in_valid,");
    mp_vline(&m, "input  wire in_pfirst,");
    mp_vline(&m, "input  wire in_blast,");
    if (use_plane(c))
        mp_vline(&m, "input  wire [%d:0] in_plane,", pb - 1);
    mp_vline(&m, "output reg  en,");
    mp_vline(&m, "output reg  wr,");
    mp_vline(&m, "output reg  pfirst%s", use_plane(c) ? "," : "");
    if (use_plane(c))
        mp_vline(&m, "output reg  [%d:0] plane", pb - 1);
    mp_vclose(&m, ");");
    m.indent++;
    mp_vopen(&m, "always @(posedge clk) begin");
    mp_vline(&m, "en <= rst_n & in_valid;");
    mp_vline(&m, "wr <= rst_n & in_valid & in_blast;");
    mp_vline(&m, "pfirst <= in_pfirst;");
    if (use_plane(c))
        mp_vline(&m, "plane <= in_plane;");
    mp_vclose(&m, "end");
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

/* The LUT unit: per output L = round_g(L +- T) per 4-group, and at a
 * plane's last block P' = round_g(P' + L * 2^b). */
static int emit_funit(mp_rtl_out *out, const mp_lut_cfg *c, char *name,
                      mp_diag *d)
{
    char add[MP_RTL_NAME_MAX], plane[MP_RTL_NAME_MAX], tg[24], tu[24];
    int pb = mp_idx_bits(c->planes);
    mp_fpf g = c->gfmt, u = unit_fmt(c);
    int gb = mp_fpf_bits(g), ub = mp_fpf_bits(u);
    if (mp_fp_emit_add_mixed(out, g, u, g, add, d) ||
        mp_fp_emit_add_shift(out, g, g, g, use_plane(c) ? pb : 0, plane, d))
        return -1;
    mp_rtl_leaf_name(out, name, "lut_funit_%s_%s", mp_fpf_tag(u, tu),
                     mp_fpf_tag(g, tg));
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "float LUT unit: lookup with sign flip, rounded "
                           "plane sum, P' += L << b rounded once", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    int g4 = c->tile_k / 4;
    mp_vopen(&m, "module %s (", name);
    int cg = ctl_groups(c);
    mp_vline(&m, "input  wire clk,");
    mp_vline(&m, "// per CTL_COLS columns: a valid step, its accumulator write");
    mp_vline(&m, "// (a plane's last block), the first block of a plane, the plane");
    mp_vline(&m, "input  wire [%d:0] en,", cg - 1);
    mp_vline(&m, "input  wire [%d:0] wr,", cg - 1);
    mp_vline(&m, "input  wire [%d:0] pfirst,", cg - 1);
    if (use_plane(c))
        mp_vline(&m, "input  wire [%d:0] plane,  // copy i: [i*%d +: %d]",
                 cg * pb - 1, pb, pb);
    mp_lut_emit_unit_data_ports(&m, c, ub, gb);
    m.indent++;
    for (int i = 0; use_plane(c) && i < cg; i++) {
        mp_vline(&m, "wire [%d:0] plane_%d = plane[%d:%d];", pb - 1, i,
                 (i + 1) * pb - 1, i * pb);
        mp_vline(&m, "wire pz_%d = plane_%d == %d'd0;", i, i, pb);
    }
    for (int r = 0; r < c->tile_m; r++)
        for (int n = 0; n < c->tile_n; n++) {
            int ci = n / CTL_COLS;
            char fp0[32] = "1'b1", sh[32] = "";
            if (use_plane(c)) {
                snprintf(fp0, sizeof fp0, "pz_%d", ci);
                snprintf(sh, sizeof sh, " .sh(plane_%d),", ci);
            }
            mp_vline(&m, "reg  [%d:0] l_%d_%d;", gb - 1, r, n);
            mp_vline(&m, "wire [%d:0] lc_%d_%d_0 = pfirst[%d] ? %d'd0 : "
                         "l_%d_%d;", gb - 1, r, n, ci, gb, r, n);
            for (int q = 0; q < g4; q++) {
                int k = 4 * q;
                mp_vline(&m, "wire [2:0] ix_%d_%d_%d = {wp_%d[%d] ^ wp_%d[%d], "
                             "wp_%d[%d] ^ wp_%d[%d], wp_%d[%d] ^ wp_%d[%d]};",
                         r, n, q, n, k + 3, n, k, n, k + 2, n, k, n, k + 1, n,
                         k);
                mp_vline(&m, "wire [%d:0] te_%d_%d_%d =", ub - 1, r, n, q);
                for (int i = 0; i < 8; i++)
                    mp_vline(&m, "    (ix_%d_%d_%d == 3'd%d ? t_%d_%d_%d : "
                                 "%d'd0)%s",
                             r, n, q, i, r, q, i, ub, i < 7 ? " |" : ";");
                /* u0 = 0: the negated entry (a sign flip, exact) */
                mp_vline(&m, "wire [%d:0] lv_%d_%d_%d = {te_%d_%d_%d[%d] ^ "
                             "~wp_%d[%d], te_%d_%d_%d[%d:0]};",
                         ub - 1, r, n, q, r, n, q, ub - 1, n, k, r, n, q,
                         ub - 2);
                mp_vline(&m, "wire [%d:0] lc_%d_%d_%d;", gb - 1, r, n, q + 1);
                mp_vline(&m, "%s u_add_%d_%d_%d (.a(lc_%d_%d_%d), "
                             ".b(lv_%d_%d_%d), .y(lc_%d_%d_%d));",
                         add, r, n, q, r, n, q, r, n, q, r, n, q + 1);
            }
            /* Operand isolation: the plane add's result is kept only at
             * a plane's last block (wr), while the lookup chain feeding
             * it changes every step.  Its other operands (acc, the
             * plane) change only at writes and plane starts, so forcing
             * this one to zero outside wr holds the adder still in the
             * other steps (docs/validation.md, the lut-tc PE bullet). */
            mp_vline(&m, "wire [%d:0] po_%d_%d = lc_%d_%d_%d & {%d{wr[%d]}};",
                     gb - 1, r, n, r, n, g4, gb, ci);
            mp_vline(&m, "wire [%d:0] pn_%d_%d;", gb - 1, r, n);
            mp_vline(&m, "%s u_plane_%d_%d (.a(%s ? %d'd0 : acc_%d_%d), "
                         ".b(po_%d_%d),%s .y(pn_%d_%d));",
                     plane, r, n, fp0, gb, r, n, r, n, sh, r, n);
        }
    mp_vopen(&m, "always @(posedge clk) begin");
    for (int r = 0; r < c->tile_m; r++)
        for (int n = 0; n < c->tile_n; n++) {
            mp_vline(&m, "if (en[%d]) l_%d_%d <= lc_%d_%d_%d;", n / CTL_COLS,
                     r, n, r, n, g4);
            mp_vline(&m, "if (wr[%d]) acc_%d_%d <= pn_%d_%d;", n / CTL_COLS, r,
                     n, r, n);
        }
    mp_vclose(&m, "end");
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

/* The units' modules of the core's rows: the S adder (and, for integer
 * activations, the exact int -> group conversion), the entry conversion
 * of exact INT16 tables. */
typedef struct frow_units {
    char table[MP_RTL_NAME_MAX], sadd[MP_RTL_NAME_MAX];
    char xconv[MP_RTL_NAME_MAX], tconv[MP_RTL_NAME_MAX];
} frow_units;

static int emit_frow_units(mp_rtl_out *out, const mp_lut_cfg *c,
                           frow_units *u, mp_diag *d)
{
    mp_fpf g = c->gfmt;
    if (mp_lut_emit_table(out, c, u->table, d))
        return -1;
    if (c->act_float)
        return mp_fp_emit_add_mixed(out, g, c->afmt, g, u->sadd, d);
    if (mp_fp_emit_add(out, g, u->sadd, d) ||
        mp_fp_emit_from_int(out, c->act_bits, 0, g, u->xconv, d))
        return -1;
    if (!c->table_float &&
        mp_fp_emit_from_int(out, c->store_bits, 0, g, u->tconv, d))
        return -1;
    return 0;
}

/* Tables of row r (as the integer core: plane 0 computes and stores them,
 * later planes read them back), and S, k ascending on plane 0. */
static void emit_fcore_row(mp_vmod *m, const mp_lut_cfg *c,
                           const frow_units *u, const char *trf, int r)
{
    int g4 = c->tile_k / 4, sb = c->store_bits, gb = mp_fpf_bits(c->gfmt);
    for (int q = 0; q < g4; q++) {
        for (int i = 0; i < 8; i++)
            mp_vline(m, "wire [%d:0] tc_%d_%d_%d;", sb - 1, r, q, i);
        mp_vline(m, "%s table_%d_%d (.x0(x_%d_%d), .x1(x_%d_%d), .x2(x_%d_%d), "
                    ".x3(x_%d_%d), .t0(tc_%d_%d_0), .t1(tc_%d_%d_1), "
                    ".t2(tc_%d_%d_2), .t3(tc_%d_%d_3), .t4(tc_%d_%d_4), "
                    ".t5(tc_%d_%d_5), .t6(tc_%d_%d_6), .t7(tc_%d_%d_7));",
                 u->table, r, q, r, 4 * q, r, 4 * q + 1, r, 4 * q + 2, r,
                 4 * q + 3, r, q, r, q, r, q, r, q, r, q, r, q, r, q, r, q);
    }
    mp_lut_emit_table_word(m, c, sb, r, trf);
    if (!c->table_float)
        for (int q = 0; q < g4; q++)
            for (int i = 0; i < 8; i++) {
                mp_vline(m, "wire [%d:0] tu_%d_%d_%d;", gb - 1, r, q, i);
                mp_vline(m, "%s u_tconv_%d_%d_%d (.r(t_%d_%d_%d), "
                            ".y(tu_%d_%d_%d));",
                         u->tconv, r, q, i, r, q, i, r, q, i);
            }
    for (int o = 0; o < c->tile_k; o++)
        mp_vline(m, "reg  [%d:0] xr_%d_%d;", c->act_bits - 1, r, o);
    mp_vopen(m, "always @(posedge clk) begin");
    for (int o = 0; o < c->tile_k; o++)
        mp_vline(m, "xr_%d_%d <= x_%d_%d;", r, o, r, o);
    mp_vclose(m, "end");
    mp_vline(m, "wire [%d:0] sa_%d_0 = f1 ? %d'd0 : s_%d;", gb - 1, r, gb, r);
    for (int o = 0; o < c->tile_k; o++) {
        char x[32];
        snprintf(x, sizeof x, "xr_%d_%d", r, o);
        if (!c->act_float) {
            mp_vline(m, "wire [%d:0] xf_%d_%d;", gb - 1, r, o);
            mp_vline(m, "%s u_xconv_%d_%d (.r(xr_%d_%d), .y(xf_%d_%d));",
                     u->xconv, r, o, r, o, r, o);
            snprintf(x, sizeof x, "xf_%d_%d", r, o);
        }
        mp_vline(m, "wire [%d:0] sa_%d_%d;", gb - 1, r, o + 1);
        mp_vline(m, "%s u_sadd_%d_%d (.a(sa_%d_%d), .b(%s), .y(sa_%d_%d));",
                 u->sadd, r, o, r, o, x, r, o + 1);
    }
}

/* Unit (ur, uc) and its copies of the step control (emit_fctl), one per
 * CTL_COLS columns. */
static void emit_funit_inst(mp_vmod *m, const mp_lut_cfg *c, const char *unit,
                            const char *ctl, int ur, int uc)
{
    int cg = ctl_groups(c), pb = mp_idx_bits(c->planes);
    char id[32];
    snprintf(id, sizeof id, "%d_%d", ur, uc);
    mp_vline(m, "wire [%d:0] cen_%s, cwr_%s, cpf_%s;", cg - 1, id, id, id);
    if (use_plane(c))
        mp_vline(m, "wire [%d:0] cpl_%s;", cg * pb - 1, id);
    for (int i = 0; i < cg; i++) {
        char pl[64] = "";
        if (use_plane(c))
            snprintf(pl, sizeof pl, ", .plane(cpl_%s[%d:%d])", id,
                     (i + 1) * pb - 1, i * pb);
        mp_vline(m, "%s ctl_%s_%d (.clk(clk), .rst_n(rst_n), "
                    ".in_valid(in_valid), .in_pfirst(pfirst_0), "
                    ".in_blast(in_blast),%s .en(cen_%s[%d]), .wr(cwr_%s[%d]), "
                    ".pfirst(cpf_%s[%d])%s);",
                 ctl, id, i, use_plane(c) ? " .in_plane(in_plane)," : "", id,
                 i, id, i, id, i, pl);
    }
    char pl[96] = "", conn[320];
    if (use_plane(c))
        snprintf(pl, sizeof pl, " .plane(cpl_%s),", id);
    snprintf(conn, sizeof conn, ".en(cen_%s), .wr(cwr_%s), .pfirst(cpf_%s),%s",
             id, id, id, pl);
    mp_lut_emit_unit_inst(m, c, unit, c->table_float ? "t" : "tu", ur, uc,
                          conn);
}

int mp_lut_emit_fcore(mp_rtl_out *out, const mp_lut_cfg *c, char *name,
                      mp_diag *d)
{
    char unit[MP_RTL_NAME_MAX], ctl[MP_RTL_NAME_MAX], trf[MP_RTL_NAME_MAX];
    frow_units u;
    if (emit_frow_units(out, c, &u, d) || emit_funit(out, c, unit, d) ||
        emit_fctl(out, c, ctl, d) ||
        mp_lut_emit_trf(out, c, c->store_bits, trf, d))
        return -1;
    mp_rtl_leaf_name(out, name, "lut_fcore");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "LUT Tensor Core array, float group sums "
                           "(rtl_gen/lut_fp.h)", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    int gb = mp_fpf_bits(c->gfmt);
    mp_lut_core_io io = {.x_bits = c->act_bits, .p_bits = gb, .s_bits = gb,
                         .blast = 1, .plane = use_plane(c),
                         .block = use_block(c)};
    mp_lut_emit_core_ports(&m, c, &io);
    m.indent = 1;
    int pb = mp_idx_bits(c->planes), jb = mp_idx_bits(c->blocks);
    mp_vline(&m, "reg v1, f1, l1;");
    if (use_plane(c))
        mp_vline(&m, "reg [%d:0] b1;", pb - 1);
    /* a plane's first block; a per-channel group ends with the tile's K,
     * hence in_blast for its last */
    if (use_block(c))
        mp_vline(&m, "wire pfirst_0 = in_block == %d'd0;", jb);
    else
        mp_vline(&m, "wire pfirst_0 = 1'b1;");
    mp_vopen(&m, "always @(posedge clk) begin");
    mp_vline(&m, "v1 <= rst_n & in_valid;");
    mp_vline(&m, "out_valid <= rst_n & v1 & l1;");
    mp_vline(&m, "f1 <= in_first;");
    mp_vline(&m, "l1 <= in_last;");
    if (use_plane(c))
        mp_vline(&m, "b1 <= in_plane;");
    mp_vclose(&m, "end");
    for (int r = 0; r < c->m_tile; r++)
        emit_fcore_row(&m, c, &u, trf, r);
    for (int n = 0; n < c->n_tile; n++)
        mp_lut_emit_planes(&m, c, n);
    for (int ur = 0; ur < c->m_tile / c->tile_m; ur++)
        for (int uc = 0; uc < c->n_tile / c->tile_n; uc++)
            emit_funit_inst(&m, c, unit, ctl, ur, uc);
    mp_vopen(&m, "always @(posedge clk) begin");
    for (int r = 0; r < c->m_tile; r++) {
        char cond[64] = "";
        if (use_plane(c))
            snprintf(cond, sizeof cond, " && b1 == %d'd0", pb);
        mp_vline(&m, "if (v1%s) s_%d <= sa_%d_%d;", cond, r, r, c->tile_k);
    }
    mp_vclose(&m, "end");
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}
