/* lut_fp.c - see lut_fp.h. */
#include "rtl_gen/lut_fp.h"

#include <stdio.h>
#include <string.h>
#include "rtl_gen/fp_units.h"

#define FIX_BITS 40   /* |finite FP16| * 2^24 < 2^40                      */
#define GRID_EXP -24  /* 2^(1 - bias - m): the LSB of every FP16 value    */
#define GRID_XBITS 6  /* two's complement width holding GRID_EXP          */

static const mp_fpf fp16 = {5, 10};
static const mp_fpf fp32 = {8, 23};

/* FP16 operand v: v_s, v_nan, v_inf, v_zero and v_mag, its magnitude on
 * the 2^-24 grid (meaningless for NaN/Inf, which the flags override). */
static void unpack16(mp_vmod *m, const char *v)
{
    mp_vline(m, "wire %s_s = %s[15];", v, v);
    mp_vline(m, "wire [4:0] %s_e = %s[14:10];", v, v);
    mp_vline(m, "wire %s_nan = (&%s_e) & (|%s[9:0]);", v, v, v);
    mp_vline(m, "wire %s_inf = (&%s_e) & ~(|%s[9:0]);", v, v, v);
    mp_vline(m, "wire [4:0] %s_sh = (|%s_e) ? %s_e - 5'd1 : 5'd0;", v, v, v);
    mp_vline(m, "wire [%d:0] %s_mag = {%d'd0, |%s_e, %s[9:0]} << %s_sh;",
             FIX_BITS - 1, v, FIX_BITS - 11, v, v, v);
}

/* One term of an exact sum: an FP16 input, optionally negated (by a port
 * or always), shifted left by a port, multiplied by a signed integer. */
typedef struct fx_term {
    const char *name;
    int neg;          /* 0 none, 1 port neg_<name>, 2 always negated     */
    int shift_bits;   /* > 0: port sh_<name>, at most max_shift          */
    int max_shift;
    int mul_bits;     /* > 0: signed port z_<name>                       */
} fx_term;

static int term_bits(const fx_term *t)
{
    return FIX_BITS + t->max_shift + t->mul_bits;
}

/* y = round_fp16(sum of the terms), the sum exact. */
static int emit_fxsum(mp_rtl_out *out, const char *leaf, const fx_term *t,
                      int n, char *name, mp_diag *d)
{
    int tmax = 0;
    for (int i = 0; i < n; i++)
        tmax = term_bits(&t[i]) > tmax ? term_bits(&t[i]) : tmax;
    int sw = tmax + 1 + mp_clog2(n); /* signed sum */
    char rname[MP_RTL_NAME_MAX];
    if (mp_fp_emit_round(out, sw, GRID_XBITS, fp16, rname, d))
        return -1;
    mp_rtl_leaf_name(out, name, "%s", leaf);
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "exact sum of FP16 terms on the 2^-24 grid, "
                           "rounded once to FP16 (rtl_gen/lut_fp.h)", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    for (int i = 0; i < n; i++) {
        mp_vline(&m, "input  wire [15:0] %s,", t[i].name);
        if (t[i].neg == 1)
            mp_vline(&m, "input  wire neg_%s,", t[i].name);
        if (t[i].shift_bits)
            mp_vline(&m, "input  wire [%d:0] sh_%s,", t[i].shift_bits - 1,
                     t[i].name);
        if (t[i].mul_bits)
            mp_vline(&m, "input  wire [%d:0] z_%s,", t[i].mul_bits - 1,
                     t[i].name);
    }
    mp_vline(&m, "output wire [15:0] y");
    mp_vclose(&m, ");");
    m.indent++;
    char nan[512] = "", inf[512] = "", ipos[512] = "", ineg[512] = "";
    char nz[512] = "", sum[1024] = "";
    for (int i = 0; i < n; i++) {
        const char *v = t[i].name;
        int tb = term_bits(&t[i]);
        unpack16(&m, v);
        char mag[64], sign[96], zero[32] = "1'b0";
        snprintf(mag, sizeof mag, "%s_mag", v);
        if (t[i].shift_bits) {
            mp_vline(&m, "wire [%d:0] %s_shd = {%d'd0, %s} << sh_%s;",
                     FIX_BITS + t[i].max_shift - 1, v, t[i].max_shift, mag, v);
            snprintf(mag, sizeof mag, "%s_shd", v);
        }
        snprintf(sign, sizeof sign, "%s_s%s", v,
                 t[i].neg == 2 ? " ^ 1'b1" : "");
        if (t[i].neg == 1) {
            size_t sl = strlen(sign);
            snprintf(sign + sl, sizeof sign - sl, " ^ neg_%s", v);
        }
        if (t[i].mul_bits) {
            int zb = t[i].mul_bits, mb = FIX_BITS + t[i].max_shift;
            mp_vline(&m, "wire %s_zneg = z_%s[%d];", v, v, zb - 1);
            mp_vline(&m, "wire [%d:0] %s_zabs = %s_zneg ? -z_%s : z_%s;", zb - 1,
                     v, v, v, v);
            mp_vline(&m, "wire [%d:0] %s_mz = {%d'd0, %s} * {%d'd0, %s_zabs};",
                     tb - 1, v, zb, mag, mb, v);
            snprintf(mag, sizeof mag, "%s_mz", v);
            size_t sl = strlen(sign);
            snprintf(sign + sl, sizeof sign - sl, " ^ %s_zneg", v);
            snprintf(zero, sizeof zero, "~(|z_%s)", v);
        }
        mp_vline(&m, "wire %s_sg = %s;", v, sign);
        mp_vline(&m, "wire %s_z = ~(|%s);", v, mag);
        char ext[128];
        if (tb < sw)
            snprintf(ext, sizeof ext, "{%d'd0, %s}", sw - tb, mag);
        else
            snprintf(ext, sizeof ext, "%s", mag);
        mp_vline(&m, "wire [%d:0] %s_val = %s_sg ? -%s : %s;", sw - 1, v, v,
                 ext, ext);
        size_t l;
#define APPEND(buf, ...) (l = strlen(buf), snprintf(buf + l, sizeof buf - l, __VA_ARGS__))
        APPEND(nan, "%s%s_nan | (%s_inf & %s)", i ? " | " : "", v, v, zero);
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
    mp_vline(&m, "    .exp(%d'b%s),", GRID_XBITS, "101000"); /* -24 */
    mp_vline(&m, "    .y(y));");
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

int mp_lut_emit_ffinish(mp_rtl_out *out, int zz_bits, char *name, mp_diag *d)
{
    fx_term t[2] = {{"p", 0, 0, 0, 0}, {"s", 2, 0, 0, zz_bits}};
    char leaf[48];
    snprintf(leaf, sizeof leaf, "lut_ffinish_z%d", zz_bits);
    char inner[MP_RTL_NAME_MAX];
    if (emit_fxsum(out, leaf, t, 2, inner, d))
        return -1;
    /* the generic ports renamed for the edge: p, s, zz, r */
    mp_rtl_leaf_name(out, name, "lut_ffin_z%d", zz_bits);
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "group finish: r = round_fp16(P' - z' * S)", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    mp_vline(&m, "input  wire [15:0] p,");
    mp_vline(&m, "input  wire [15:0] s,");
    mp_vline(&m, "input  wire [%d:0] zz,", zz_bits - 1);
    mp_vline(&m, "output wire [15:0] r");
    mp_vclose(&m, ");");
    m.indent++;
    mp_vline(&m, "%s u_sum (.p(p), .s(s), .z_s(zz), .y(r));", inner);
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

int mp_lut_emit_fscale(mp_rtl_out *out, int shift, char *name, mp_diag *d)
{
    int xw = 11;
    char rname[MP_RTL_NAME_MAX];
    if (mp_fp_emit_round(out, 35, xw, fp32, rname, d))
        return -1;
    mp_rtl_leaf_name(out, name, "lut_fscale_h%d", shift);
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "y = round_fp32(s * r * 2^-shift): FP32 scale times "
                           "FP16 group value, exact product, one rounding", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    mp_vline(&m, "input  wire [31:0] s,");
    mp_vline(&m, "input  wire [15:0] r,");
    mp_vline(&m, "output wire [31:0] y");
    mp_vclose(&m, ");");
    m.indent++;
    mp_vline(&m, "wire [7:0] s_e = s[30:23];");
    mp_vline(&m, "wire s_nan = (&s_e) & (|s[22:0]);");
    mp_vline(&m, "wire s_inf = (&s_e) & ~(|s[22:0]);");
    mp_vline(&m, "wire s_zero = ~(|s[30:0]);");
    mp_vline(&m, "wire [23:0] s_sig = {|s_e, s[22:0]};");
    mp_vline(&m, "wire [4:0] r_e = r[14:10];");
    mp_vline(&m, "wire r_nan = (&r_e) & (|r[9:0]);");
    mp_vline(&m, "wire r_inf = (&r_e) & ~(|r[9:0]);");
    mp_vline(&m, "wire r_zero = ~(|r[14:0]);");
    mp_vline(&m, "wire [10:0] r_sig = {|r_e, r[9:0]};");
    /* LSB exponents: max(e,1) - bias - m, and the 2^-shift */
    mp_vline(&m, "wire [%d:0] s_x = {3'd0, (|s_e) ? s_e : 8'd1} - "
                 "%d'd150;", xw - 1, xw);
    mp_vline(&m, "wire [%d:0] r_x = {6'd0, (|r_e) ? r_e : 5'd1} - %d'd%d;",
             xw - 1, xw, 25 + shift);
    mp_vline(&m, "%s u_round (", rname);
    mp_vline(&m, "    .sign(s[31] ^ r[15]),");
    mp_vline(&m, "    .nan(s_nan | r_nan | (s_inf & r_zero) | (s_zero & r_inf)),");
    mp_vline(&m, "    .inf(s_inf | r_inf),");
    mp_vline(&m, "    .mag({11'd0, s_sig} * {24'd0, r_sig}),");
    mp_vline(&m, "    .exp(s_x + r_x),");
    mp_vline(&m, "    .y(y));");
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

/* ---- the float core ------------------------------------------------------ */

static int use_plane(const mp_lut_cfg *c) { return c->planes > 1; }
static int use_block(const mp_lut_cfg *c) { return c->blocks > 1; }

/* Table of 4 activations: T[i] = round_fp16(x0 + sum_c (bit c-1 of i ?
 * -x_c : x_c)), eight exact 4-term sums. */
static int emit_ftable(mp_rtl_out *out, char *name, mp_diag *d)
{
    fx_term t[4] = {{"x0", 0, 0, 0, 0}, {"x1", 1, 0, 0, 0},
                    {"x2", 1, 0, 0, 0}, {"x3", 1, 0, 0, 0}};
    char sum4[MP_RTL_NAME_MAX];
    if (emit_fxsum(out, "lut_fsum4", t, 4, sum4, d))
        return -1;
    mp_rtl_leaf_name(out, name, "lut_ftable");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "FP16 symmetrized table: T[i] = round(x0 +- x1 +- "
                           "x2 +- x3), bit c-1 of i = minus", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    for (int i = 0; i < 4; i++)
        mp_vline(&m, "input  wire [15:0] x%d,", i);
    for (int i = 0; i < 8; i++)
        mp_vline(&m, "output wire [15:0] t%d%s", i, i < 7 ? "," : "");
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

/* The LUT unit: per output L = round(L + +-T) per 4-group, and at a
 * plane's last block P' = round(P' + L * 2^b). */
static int emit_funit(mp_rtl_out *out, const mp_lut_cfg *c, char *name,
                      mp_diag *d)
{
    char add[MP_RTL_NAME_MAX], plane[MP_RTL_NAME_MAX];
    int pb = mp_idx_bits(c->planes);
    fx_term t[2] = {{"a", 0, 0, 0, 0},
                    {"b", 0, use_plane(c) ? pb : 0, c->planes - 1, 0}};
    char leaf[48];
    snprintf(leaf, sizeof leaf, "lut_fplane_b%d", c->planes);
    if (mp_fp_emit_add(out, fp16, add, d) ||
        emit_fxsum(out, leaf, t, 2, plane, d))
        return -1;
    mp_rtl_leaf_name(out, name, "lut_funit");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "FP16 LUT unit: lookup with sign flip, FP16 plane "
                           "sum, exact P' += L << b rounded to FP16", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    int g4 = c->tile_k / 4;
    mp_vopen(&m, "module %s (", name);
    mp_vline(&m, "input  wire clk,");
    mp_vline(&m, "input  wire en,");
    mp_vline(&m, "input  wire pfirst,  // first block of a plane");
    mp_vline(&m, "input  wire plast,   // last block of a plane");
    if (use_plane(c))
        mp_vline(&m, "input  wire [%d:0] plane,", pb - 1);
    mp_lut_emit_unit_data_ports(&m, c, 16, 16);
    m.indent++;
    const char *first_plane = use_plane(c) ? "plane == 0" : "1'b1";
    char fp0[48];
    if (use_plane(c)) {
        snprintf(fp0, sizeof fp0, "plane == %d'd0", pb);
        first_plane = fp0;
    }
    for (int r = 0; r < c->tile_m; r++)
        for (int n = 0; n < c->tile_n; n++) {
            mp_vline(&m, "reg  [15:0] l_%d_%d;", r, n);
            mp_vline(&m, "wire [15:0] lc_%d_%d_0 = pfirst ? 16'h0000 : "
                         "l_%d_%d;", r, n, r, n);
            for (int g = 0; g < g4; g++) {
                int k = 4 * g;
                mp_vline(&m, "wire [2:0] ix_%d_%d_%d = {wp_%d[%d] ^ wp_%d[%d], "
                             "wp_%d[%d] ^ wp_%d[%d], wp_%d[%d] ^ wp_%d[%d]};",
                         r, n, g, n, k + 3, n, k, n, k + 2, n, k, n, k + 1, n,
                         k);
                mp_vline(&m, "wire [15:0] te_%d_%d_%d =", r, n, g);
                for (int i = 0; i < 8; i++)
                    mp_vline(&m, "    (ix_%d_%d_%d == 3'd%d ? t_%d_%d_%d : "
                                 "16'd0)%s",
                             r, n, g, i, r, g, i, i < 7 ? " |" : ";");
                /* u0 = 0: the negated entry (a sign flip, exact) */
                mp_vline(&m, "wire [15:0] lv_%d_%d_%d = {te_%d_%d_%d[15] ^ "
                             "~wp_%d[%d], te_%d_%d_%d[14:0]};",
                         r, n, g, r, n, g, n, k, r, n, g);
                mp_vline(&m, "wire [15:0] lc_%d_%d_%d;", r, n, g + 1);
                mp_vline(&m, "%s u_add_%d_%d_%d (.a(lc_%d_%d_%d), "
                             ".b(lv_%d_%d_%d), .y(lc_%d_%d_%d));",
                         add, r, n, g, r, n, g, r, n, g, r, n, g + 1);
            }
            mp_vline(&m, "wire [15:0] pn_%d_%d;", r, n);
            mp_vline(&m, "%s u_plane_%d_%d (.a(%s ? 16'h0000 : acc_%d_%d), "
                         ".b(lc_%d_%d_%d),%s .y(pn_%d_%d));",
                     plane, r, n, first_plane, r, n, r, n, g4,
                     use_plane(c) ? " .sh_b(plane)," : "", r, n);
        }
    mp_vopen(&m, "always @(posedge clk) begin");
    mp_vopen(&m, "if (en) begin");
    for (int r = 0; r < c->tile_m; r++)
        for (int n = 0; n < c->tile_n; n++) {
            mp_vline(&m, "l_%d_%d <= lc_%d_%d_%d;", r, n, r, n, g4);
            mp_vline(&m, "if (plast) acc_%d_%d <= pn_%d_%d;", r, n, r, n);
        }
    mp_vclose(&m, "end");
    mp_vclose(&m, "end");
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

static void emit_fcore_ports(mp_vmod *m, const mp_lut_cfg *c)
{
    mp_lut_core_io io = {.x_bits = 16, .p_bits = 16, .s_bits = 16,
                         .blast = 1, .plane = use_plane(c),
                         .block = use_block(c)};
    mp_lut_emit_core_ports(m, c, &io);
}

/* Tables of row r (as the integer core: plane 0 computes and stores them,
 * later planes read them back), and the row's activations for S. */
static void emit_fcore_row(mp_vmod *m, const mp_lut_cfg *c, const char *table,
                           const char *add, int r)
{
    int g4 = c->tile_k / 4;
    for (int g = 0; g < g4; g++) {
        for (int i = 0; i < 8; i++)
            mp_vline(m, "wire [15:0] tc_%d_%d_%d;", r, g, i);
        mp_vline(m, "%s table_%d_%d (.x0(x_%d_%d), .x1(x_%d_%d), .x2(x_%d_%d), "
                    ".x3(x_%d_%d), .t0(tc_%d_%d_0), .t1(tc_%d_%d_1), "
                    ".t2(tc_%d_%d_2), .t3(tc_%d_%d_3), .t4(tc_%d_%d_4), "
                    ".t5(tc_%d_%d_5), .t6(tc_%d_%d_6), .t7(tc_%d_%d_7));",
                 table, r, g, r, 4 * g, r, 4 * g + 1, r, 4 * g + 2, r,
                 4 * g + 3, r, g, r, g, r, g, r, g, r, g, r, g, r, g, r, g);
    }
    /* the table RF is the integer core's: in_block is used when planes > 1
     * (the only case with an RF), as there */
    mp_lut_emit_table_word(m, c, 16, r);
    /* S: the activations of the step, registered, then k-ascending FP16
     * adds onto the row sum (plane 0 only) */
    for (int o = 0; o < c->tile_k; o++)
        mp_vline(m, "reg  [15:0] xr_%d_%d;", r, o);
    mp_vopen(m, "always @(posedge clk) begin");
    for (int o = 0; o < c->tile_k; o++)
        mp_vline(m, "xr_%d_%d <= x_%d_%d;", r, o, r, o);
    mp_vclose(m, "end");
    mp_vline(m, "wire [15:0] sa_%d_0 = f1 ? 16'h0000 : s_%d;", r, r);
    for (int o = 0; o < c->tile_k; o++) {
        mp_vline(m, "wire [15:0] sa_%d_%d;", r, o + 1);
        mp_vline(m, "%s u_sadd_%d_%d (.a(sa_%d_%d), .b(xr_%d_%d), "
                    ".y(sa_%d_%d));",
                 add, r, o, r, o, r, o, r, o + 1);
    }
}

int mp_lut_emit_fcore(mp_rtl_out *out, const mp_lut_cfg *c, char *name,
                      mp_diag *d)
{
    char table[MP_RTL_NAME_MAX], unit[MP_RTL_NAME_MAX], add[MP_RTL_NAME_MAX];
    if (emit_ftable(out, table, d) || emit_funit(out, c, unit, d) ||
        mp_fp_emit_add(out, fp16, add, d))
        return -1;
    mp_rtl_leaf_name(out, name, "lut_fcore");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "LUT Tensor Core array, FP16 tables and group sums "
                           "(rtl_gen/lut_fp.h)", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    emit_fcore_ports(&m, c);
    m.indent = 1;
    int pb = mp_idx_bits(c->planes), jb = mp_idx_bits(c->blocks);
    mp_vline(&m, "reg v1, f1, l1, pf1, pl1;");
    if (use_plane(c))
        mp_vline(&m, "reg [%d:0] b1;", pb - 1);
    mp_vopen(&m, "always @(posedge clk) begin");
    mp_vline(&m, "v1 <= rst_n & in_valid;");
    mp_vline(&m, "out_valid <= rst_n & v1 & l1;");
    mp_vline(&m, "f1 <= in_first;");
    mp_vline(&m, "l1 <= in_last;");
    /* a per-channel group ends with the tile's K, hence in_blast */
    if (use_block(c))
        mp_vline(&m, "pf1 <= in_block == %d'd0;", jb);
    else
        mp_vline(&m, "pf1 <= 1'b1;");
    mp_vline(&m, "pl1 <= in_blast;");
    if (use_plane(c))
        mp_vline(&m, "b1 <= in_plane;");
    mp_vclose(&m, "end");
    for (int r = 0; r < c->m_tile; r++)
        emit_fcore_row(&m, c, table, add, r);
    /* plane bits (offset binary), as the integer core */
    for (int n = 0; n < c->n_tile; n++) {
        char bits[4096] = "";
        for (int o = c->tile_k - 1; o >= 0; o--) {
            size_t l = strlen(bits);
            snprintf(bits + l, sizeof bits - l, "%sw_%d_%d%s",
                     *bits ? ", " : "", n, o, use_plane(c) ? "[in_plane]" : "");
        }
        mp_vline(&m, "reg  [%d:0] wp_%d;", c->tile_k - 1, n);
        if (!c->msb_flip)
            mp_vline(&m, "always @(posedge clk) wp_%d <= {%s};", n, bits);
        else if (use_plane(c))
            mp_vline(&m, "always @(posedge clk) wp_%d <= {%s} ^ "
                         "{%d{in_plane == %d'd%d}};",
                     n, bits, c->tile_k, pb, c->planes - 1);
        else
            mp_vline(&m, "always @(posedge clk) wp_%d <= ~{%s};", n, bits);
    }
    int g4 = c->tile_k / 4;
    for (int ur = 0; ur < c->m_tile / c->tile_m; ur++)
        for (int uc = 0; uc < c->n_tile / c->tile_n; uc++) {
            mp_vopen(&m, "%s unit_%d_%d (", unit, ur, uc);
            mp_vline(&m, ".clk(clk), .en(v1), .pfirst(pf1), .plast(pl1),");
            if (use_plane(c))
                mp_vline(&m, ".plane(b1),");
            for (int r = 0; r < c->tile_m; r++)
                for (int g = 0; g < g4; g++)
                    for (int i = 0; i < 8; i++)
                        mp_vline(&m, ".t_%d_%d_%d(t_%d_%d_%d),", r, g, i,
                                 ur * c->tile_m + r, g, i);
            for (int n = 0; n < c->tile_n; n++)
                mp_vline(&m, ".wp_%d(wp_%d),", n, uc * c->tile_n + n);
            for (int r = 0; r < c->tile_m; r++)
                for (int n = 0; n < c->tile_n; n++)
                    mp_vline(&m, ".acc_%d_%d(p_%d_%d)%s", r, n,
                             ur * c->tile_m + r, uc * c->tile_n + n,
                             r == c->tile_m - 1 && n == c->tile_n - 1 ? ""
                                                                      : ",");
            mp_vclose(&m, ");");
        }
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
