/* fp_units.c - see fp_units.h.  The rounding core (round) does all the
 * IEEE work; the other units form an exact sign/magnitude/exponent triple
 * (or a jammed one for add, see add) and hand it to round. */
#include "rtl_gen/fp_units.h"

#include <stdio.h>
#include <string.h>

int mp_fpf_of(mp_act_fmt fmt, mp_fpf *out)
{
    const mp_float_layout *l = mp_float_layout_of(fmt);
    if (!l)
        return -1;
    out->e = l->exp_bits;
    out->m = l->man_bits;
    out->fn = !l->ieee_specials;
    return 0;
}

const char *mp_fpf_tag(mp_fpf f, char *buf)
{
    snprintf(buf, 24, "e%dm%d%s", f.e, f.m, f.fn ? "fn" : "");
    return buf;
}

static int bias_of(mp_fpf f) { return (1 << (f.e - 1)) - 1; }
static int max_i(int a, int b) { return a > b ? a : b; }

/* A two's complement constant of `width` bits (value may be negative). */
static const char *tc_const(char *buf, int width, int64_t value)
{
    uint64_t mask = width >= 64 ? ~(uint64_t)0 : ((uint64_t)1 << width) - 1;
    return mp_vconst(buf, width, (uint64_t)value & mask);
}

/* Decode operand `v` of format f into wires v_s, v_e, v_f, v_nan, v_inf,
 * v_ee (biased exponent, 1 for subnormals), v_sig (with the hidden bit),
 * and v_zero when want_zero. */
static void emit_unpack(mp_vmod *m, const char *v, mp_fpf f, int want_zero)
{
    int e = f.e, mb = f.m;
    char c1[32];
    mp_vline(m, "wire %s_s = %s[%d];", v, v, e + mb);
    mp_vline(m, "wire [%d:0] %s_e = %s[%d:%d];", e - 1, v, v, e + mb - 1, mb);
    mp_vline(m, "wire [%d:0] %s_f = %s[%d:0];", mb - 1, v, v, mb - 1);
    mp_vline(m, "wire %s_max = &%s_e;", v, v);
    if (f.fn) { /* E4M3: only S.1111.111 is special (NaN) */
        mp_vline(m, "wire %s_nan = %s_max & (&%s_f);", v, v, v);
        mp_vline(m, "wire %s_inf = 1'b0;", v);
    } else {
        mp_vline(m, "wire %s_nan = %s_max & (|%s_f);", v, v, v);
        mp_vline(m, "wire %s_inf = %s_max & ~(|%s_f);", v, v, v);
    }
    if (want_zero)
        mp_vline(m, "wire %s_zero = ~(|%s_e) & ~(|%s_f);", v, v, v);
    mp_vline(m, "wire [%d:0] %s_ee = (|%s_e) ? %s_e : %s;", e - 1, v, v, v,
             mp_vconst(c1, e, 1));
    mp_vline(m, "wire [%d:0] %s_sig = {|%s_e, %s_f};", mb, v, v, v);
}

/* Wire `out` (xw bits, two's complement): the unbiased exponent of the LSB
 * of a significand whose biased exponent is wire `ee` (f.e bits), scaled by
 * 2^-extra: ee - bias - m - extra. */
static void emit_lsb_exp(mp_vmod *m, const char *out, const char *ee,
                         mp_fpf f, int xw, int extra)
{
    char c1[32];
    mp_vline(m, "wire [%d:0] %s = {%d'd0, %s} - %s;", xw - 1, out, xw - f.e,
             ee, tc_const(c1, xw, bias_of(f) + f.m + extra));
}

/* Operands a (format fa) and b (fb) unpacked as by emit_unpack, plus the
 * exponents a_x, b_x (xw bits) of their significands' LSBs. */
static void emit_unpack_ab(mp_vmod *m, mp_fpf fa, mp_fpf fb, int xw,
                           int want_zero)
{
    emit_unpack(m, "a", fa, want_zero);
    emit_unpack(m, "b", fb, want_zero);
    emit_lsb_exp(m, "a_x", "a_ee", fa, xw, 0);
    emit_lsb_exp(m, "b_x", "b_ee", fb, xw, 0);
}

/* Open unit module `name` (header comment `doc`) with input ports `in1`
 * and, unless NULL, `in2` (top bit indices msb1, msb2) and output y (top
 * bit y_msb), the body indented; a piped unit (fp_units.h) also takes clk.
 * Returns as mp_vmod_begin: 0 to write the body, > 0 when the module is
 * already written, -1 on error. */
static int begin_unit(mp_vmod *m, mp_rtl_out *out, const char *name,
                      const char *doc, int piped, const char *in1, int msb1,
                      const char *in2, int msb2, int y_msb, mp_diag *d)
{
    int rc = mp_vmod_begin(m, out, name, doc, d);
    if (rc)
        return rc;
    mp_vopen(m, "module %s (", name);
    if (piped)
        mp_vline(m, "input  wire clk,");
    mp_vline(m, "input  wire [%d:0] %s,", msb1, in1);
    if (in2)
        mp_vline(m, "input  wire [%d:0] %s,", msb2, in2);
    mp_vline(m, "output wire [%d:0] y", y_msb);
    mp_vclose(m, ");");
    m->indent++;
    return 0;
}

/* Instance of the rounding core `rname` driving the module's output y from
 * the given sign, nan, inf, mag (mag_bits) and exp (exp_bits)
 * expressions; piped: from registers that take them on the clock edge
 * (the unit's second stage, fp_units.h). */
static void emit_round_inst(mp_vmod *m, const char *rname, int piped,
                            int mag_bits, int exp_bits, const char *sign,
                            const char *nan, const char *inf, const char *mag,
                            const char *exp)
{
    static const char *const port[5] = {"sign", "nan", "inf", "mag", "exp"};
    const char *val[5] = {sign, nan, inf, mag, exp};
    char q[5][8];
    if (piped) {
        mp_vline(m, "// stage register: the exact result before rounding");
        mp_vline(m, "reg  q_sign, q_nan, q_inf;");
        mp_vline(m, "reg  [%d:0] q_mag;", mag_bits - 1);
        mp_vline(m, "reg  [%d:0] q_exp;", exp_bits - 1);
        mp_vopen(m, "always @(posedge clk) begin");
        for (int i = 0; i < 5; i++) {
            mp_vline(m, "q_%s <= %s;", port[i], val[i]);
            snprintf(q[i], sizeof q[i], "q_%s", port[i]);
            val[i] = q[i];
        }
        mp_vclose(m, "end");
    }
    mp_vline(m, "%s u_round (", rname);
    if (piped > 1) /* the core is piped too */
        mp_vline(m, "    .clk(clk),");
    for (int i = 0; i < 5; i++)
        mp_vline(m, "    .%s(%s),", port[i], val[i]);
    mp_vline(m, "    .y(y));");
}

/* The instance fed by the calling module's wires sign_w, nan_w, inf_w,
 * mag_w, x_w. */
static void emit_round_inst_w(mp_vmod *m, const char *rname, int piped,
                              int mag_bits, int exp_bits)
{
    emit_round_inst(m, rname, piped, mag_bits, exp_bits, "sign_w", "nan_w",
                    "inf_w", "mag_w", "x_w");
}

/* The rounding core; piped: clk port, the normalized magnitude, the
 * leading one's exponent and the flags registered after the normalizing
 * shift (fp_units.h, mul_int_piped3). */
static int emit_round(mp_rtl_out *out, int mag_bits, int exp_bits, mp_fpf o,
                      int piped, char *name, mp_diag *d)
{
    int w = mag_bits, x = exp_bits, e = o.e, mb = o.m;
    char tag[24];
    mp_rtl_leaf_name(out, name, "fp_round_w%d_x%d_%s%s", w, x,
                     mp_fpf_tag(o, tag), piped ? "_p2" : "");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "y = round_RNE(mag * 2^exp) into the float "
                           "format, IEEE overflow/subnormals (fp_units.h)",
                           d);
    if (rc)
        return rc < 0 ? -1 : 0;
    int pad = max_i(0, mb + 3 - w);  /* room for kept, round, sticky     */
    int w2 = w + pad;
    int lzw = mp_idx_bits(w2);       /* holds 0..w2-1                    */
    int shw = mp_idx_bits(mb + 3);   /* subnormal shift 0..mb+2          */
    int xi = max_i(max_i(x, lzw + 1), e + 1) + 3;
    char c1[32], c2[32], c3[32];

    mp_vopen(&m, "module %s (", name);
    if (piped)
        mp_vline(&m, "input  wire clk,");
    mp_vline(&m, "input  wire sign,");
    mp_vline(&m, "input  wire nan,");
    mp_vline(&m, "input  wire inf,");
    mp_vline(&m, "input  wire [%d:0] mag,", w - 1);
    mp_vline(&m, "input  wire [%d:0] exp,   // two's complement", x - 1);
    mp_vline(&m, "output wire [%d:0] y", e + mb);
    mp_vclose(&m, ");");
    m.indent++;
    if (pad)
        mp_vline(&m, "wire [%d:0] mag2 = {mag, %d'd0};", w2 - 1, pad);
    else
        mp_vline(&m, "wire [%d:0] mag2 = mag;", w2 - 1);
    /* leading zeros: a priority chain (mag == 0 is handled at the end) */
    mp_vline(&m, "wire [%d:0] lz =", lzw - 1);
    for (int i = w2 - 1; i >= 1; i--)
        mp_vline(&m, "    mag2[%d] ? %s :", i, mp_vconst(c1, lzw, (uint64_t)(w2 - 1 - i)));
    mp_vline(&m, "    %s;", mp_vconst(c1, lzw, (uint64_t)(w2 - 1)));
    const char *a = piped ? "_a" : "";
    mp_vline(&m, "wire [%d:0] norm%s = mag2 << lz;", w2 - 1, a);
    /* biased exponent of the leading one: (w2-1-lz) + exp - pad + bias */
    mp_vline(&m, "wire [%d:0] lead%s = {%d'd0, %s - lz} + {{%d{exp[%d]}}, exp} + %s;",
             xi - 1, a, xi - lzw, mp_vconst(c1, lzw, (uint64_t)(w2 - 1)),
             xi - x, x - 1, tc_const(c2, xi, bias_of(o) - pad));
    /* the flags and |mag as the rest of the core sees them */
    const char *sg = "sign", *nn = "nan", *nf = "inf", *nz = "|mag";
    if (piped) {
        mp_vline(&m, "// stage register: the normalized magnitude");
        mp_vline(&m, "reg  [%d:0] norm;", w2 - 1);
        mp_vline(&m, "reg  [%d:0] lead;", xi - 1);
        mp_vline(&m, "reg  q_sign, q_nan, q_inf, q_nz;");
        mp_vopen(&m, "always @(posedge clk) begin");
        mp_vline(&m, "norm <= norm_a;");
        mp_vline(&m, "lead <= lead_a;");
        mp_vline(&m, "q_sign <= sign;");
        mp_vline(&m, "q_nan <= nan;");
        mp_vline(&m, "q_inf <= inf;");
        mp_vline(&m, "q_nz <= |mag;");
        mp_vclose(&m, "end");
        sg = "q_sign", nn = "q_nan", nf = "q_inf", nz = "q_nz";
    }
    mp_vline(&m, "wire normal = ~lead[%d] & (|lead);", xi - 1);
    /* below the normal range: shift right by 1 - lead, at most mb+2 */
    mp_vline(&m, "wire [%d:0] under = %s - lead;", xi - 1, mp_vconst(c1, xi, 1));
    mp_vline(&m, "wire [%d:0] sh = normal ? %s : (under > %s) ? %s : under[%d:0];",
             shw - 1, mp_vconst(c1, shw, 0), mp_vconst(c2, xi, (uint64_t)(mb + 2)),
             mp_vconst(c3, shw, (uint64_t)(mb + 2)), shw - 1);
    mp_vline(&m, "wire [%d:0] den = norm >> sh;", w2 - 1);
    mp_vline(&m, "wire lost = |(norm & ~({%d{1'b1}} << sh));", w2);
    mp_vline(&m, "wire [%d:0] kept = den[%d:%d];", mb, w2 - 1, w2 - 1 - mb);
    mp_vline(&m, "wire rbit = den[%d];", w2 - 2 - mb);
    if (w2 - 3 - mb >= 0)
        mp_vline(&m, "wire sticky = (|den[%d:0]) | lost;", w2 - 3 - mb);
    else
        mp_vline(&m, "wire sticky = lost;");
    mp_vline(&m, "wire [%d:0] kr = {1'b0, kept} + {%d'd0, rbit & (sticky | kept[0])};",
             mb + 1, mb + 1);
    /* encoding = ((field - 1) << mb) + kr covers normals, subnormals and
     * the carry of rounding up (mp_rtl docs/rtl.md, FP units) */
    mp_vline(&m, "wire [%d:0] field = normal ? lead - %s : %s;", xi - 1,
             mp_vconst(c1, xi, 1), mp_vconst(c2, xi, 0));
    mp_vline(&m, "wire [%d:0] enc = {field, %d'd0} + {%d'd0, kr};", xi + mb - 1,
             mb, xi - 2);
    if (o.fn) {
        /* E4M3: the all-ones encoding is NaN, and so is an overflow or an
         * Inf (there is none): golden MP_OVF_IEEE */
        mp_vline(&m, "wire ovf = enc >= {%d'd%d, %d'd%d};", xi, (1 << e) - 1,
                 mb, (1 << mb) - 1);
        mp_vline(&m, "assign y = %s ? {1'b0, {%d{1'b1}}} :", nn, e + mb);
        mp_vline(&m, "          (%s | (ovf & (%s))) ? {%s, {%d{1'b1}}} :", nf,
                 nz, sg, e + mb);
    } else {
        mp_vline(&m, "wire ovf = enc >= {%d'd%d, %d'd0};", xi, (1 << e) - 1,
                 mb);
        mp_vline(&m, "assign y = %s ? {1'b0, {%d{1'b1}}, 1'b1, %d'd0} :", nn,
                 e, mb - 1);
        mp_vline(&m, "          (%s | (ovf & (%s))) ? {%s, {%d{1'b1}}, "
                     "%d'd0} :", nf, nz, sg, e, mb);
    }
    mp_vline(&m, "          (~%s) ? {%s, %d'd0} : {%s, enc[%d:0]};", nz, sg,
             e + mb, sg, e + mb - 1);
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

int mp_fp_emit_round(mp_rtl_out *out, int mag_bits, int exp_bits, mp_fpf o,
                     char *name, mp_diag *d)
{
    return emit_round(out, mag_bits, exp_bits, o, 0, name, d);
}

/* A piped unit's name: its combinational twin's with "_p2". */
static void piped_name(char *name, int piped)
{
    if (piped && strlen(name) + 3 < MP_RTL_NAME_MAX)
        strcat(name, "_p2");
}

static int emit_add(mp_rtl_out *out, mp_fpf f, int piped, char *name,
                    mp_diag *d)
{
    int e = f.e, mb = f.m;
    int sw = mb + 5; /* sum: carry + hidden + mb + guard, round, sticky */
    int xw = e + 2;
    int dw = mp_idx_bits(mb + 5); /* clamped alignment shift 0..mb+4 */
    char rname[MP_RTL_NAME_MAX], c1[32], c2[32], tag[24];
    if (mp_fp_emit_round(out, sw, xw, f, rname, d))
        return -1;
    mp_rtl_leaf_name(out, name, "fp_add_%s", mp_fpf_tag(f, tag));
    piped_name(name, piped);
    mp_vmod m;
    int rc = begin_unit(&m, out, name,
                        "y = round_RNE(a + b): align with 3 guard bits and "
                        "a jammed sticky, then the rounding core",
                        piped, "a", e + mb, "b", e + mb, e + mb, d);
    if (rc)
        return rc < 0 ? -1 : 0;
    emit_unpack(&m, "a", f, 0);
    emit_unpack(&m, "b", f, 0);
    /* the operand of larger magnitude first, so the difference is >= 0 */
    mp_vline(&m, "wire a_big = a[%d:0] >= b[%d:0];", e + mb - 1, e + mb - 1);
    mp_vline(&m, "wire s_big = a_big ? a_s : b_s;");
    mp_vline(&m, "wire s_sml = a_big ? b_s : a_s;");
    mp_vline(&m, "wire [%d:0] ee_big = a_big ? a_ee : b_ee;", e - 1);
    mp_vline(&m, "wire [%d:0] ee_sml = a_big ? b_ee : a_ee;", e - 1);
    mp_vline(&m, "wire [%d:0] sig_big = a_big ? a_sig : b_sig;", mb);
    mp_vline(&m, "wire [%d:0] sig_sml = a_big ? b_sig : a_sig;", mb);
    mp_vline(&m, "wire [%d:0] dexp = ee_big - ee_sml;", e - 1);
    /* beyond mb+4 the smaller operand is only a sticky bit */
    mp_vline(&m, "wire [%d:0] dsh = (dexp > %s) ? %s : dexp[%d:0];", dw - 1,
             mp_vconst(c1, e, (uint64_t)(mb + 4)),
             mp_vconst(c2, dw, (uint64_t)(mb + 4)), dw - 1);
    mp_vline(&m, "wire [%d:0] sml_ext = {sig_sml, 3'b000};", mb + 3);
    mp_vline(&m, "wire [%d:0] sml_sh = sml_ext >> dsh;", mb + 3);
    mp_vline(&m, "wire lost = |(sml_ext & ~({%d{1'b1}} << dsh));", mb + 4);
    mp_vline(&m, "wire [%d:0] big_ext = {1'b0, sig_big, 3'b000};", sw - 1);
    mp_vline(&m, "wire [%d:0] sml_j = {1'b0, sml_sh[%d:1], sml_sh[0] | lost};",
             sw - 1, mb + 3);
    mp_vline(&m, "wire [%d:0] sum = (s_big == s_sml) ? big_ext + sml_j : big_ext - sml_j;",
             sw - 1);
    mp_vline(&m, "wire zero_sign = (~|sum) ? (a_s & b_s) : s_big;");
    emit_lsb_exp(&m, "x_lsb", "ee_big", f, xw, 3);
    emit_round_inst(&m, rname, piped, sw, xw, "zero_sign",
                    "a_nan | b_nan | (a_inf & b_inf & (a_s ^ b_s))",
                    "a_inf | b_inf", "sum", "x_lsb");
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

int mp_fp_emit_add(mp_rtl_out *out, mp_fpf f, char *name, mp_diag *d)
{
    return emit_add(out, f, 0, name, d);
}

int mp_fp_emit_add_piped(mp_rtl_out *out, mp_fpf f, char *name, mp_diag *d)
{
    return emit_add(out, f, 1, name, d);
}

static int emit_mul_shift(mp_rtl_out *out, mp_fpf a, mp_fpf b, mp_fpf o,
                          int shift, int piped, char *name, mp_diag *d);

int mp_fp_emit_mul(mp_rtl_out *out, mp_fpf a, mp_fpf b, mp_fpf o, char *name,
                   mp_diag *d)
{
    return emit_mul_shift(out, a, b, o, 0, 0, name, d);
}

int mp_fp_emit_mul_piped(mp_rtl_out *out, mp_fpf a, mp_fpf b, mp_fpf o,
                         char *name, mp_diag *d)
{
    return emit_mul_shift(out, a, b, o, 0, 1, name, d);
}

static int emit_mul_shift(mp_rtl_out *out, mp_fpf a, mp_fpf b, mp_fpf o,
                          int shift, int piped, char *name, mp_diag *d)
{
    int pw = a.m + b.m + 2;
    int xw = max_i(max_i(a.e, b.e), mp_idx_bits(shift + 1)) + 3;
    char rname[MP_RTL_NAME_MAX], ta[24], tb[24], to[24], sh[24] = "";
    if (mp_fp_emit_round(out, pw, xw, o, rname, d))
        return -1;
    if (shift)
        snprintf(sh, sizeof sh, "_h%d", shift);
    mp_rtl_leaf_name(out, name, "fp_mul_%s_%s_%s%s", mp_fpf_tag(a, ta),
                     mp_fpf_tag(b, tb), mp_fpf_tag(o, to), sh);
    piped_name(name, piped);
    mp_vmod m;
    int rc = begin_unit(&m, out, name,
                        "y = round_RNE(a * b): exact significand product, "
                        "then the rounding core",
                        piped, "a", a.e + a.m, "b", b.e + b.m, o.e + o.m, d);
    if (rc)
        return rc < 0 ? -1 : 0;
    emit_unpack_ab(&m, a, b, xw, 1);
    mp_vline(&m, "wire sign_w = a_s ^ b_s;");
    mp_vline(&m, "wire nan_w = a_nan | b_nan | (a_inf & b_zero) | (a_zero & b_inf);");
    mp_vline(&m, "wire inf_w = a_inf | b_inf;");
    mp_vline(&m, "wire [%d:0] mag_w = {%d'd0, a_sig} * {%d'd0, b_sig};", pw - 1,
             b.m + 1, a.m + 1);
    if (shift) {
        char c1[32];
        mp_vline(&m, "wire [%d:0] x_w = a_x + b_x - %s;", xw - 1,
                 mp_vconst(c1, xw, (uint64_t)shift));
    } else {
        mp_vline(&m, "wire [%d:0] x_w = a_x + b_x;", xw - 1);
    }
    emit_round_inst_w(&m, rname, piped, pw, xw);
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

int mp_fp_emit_mul_shift(mp_rtl_out *out, mp_fpf a, mp_fpf b, mp_fpf o,
                         int shift, char *name, mp_diag *d)
{
    return emit_mul_shift(out, a, b, o, shift, 0, name, d);
}

/* piped: 0 combinational, 1 two stages (product | rounding), 2 three
 * (product | normalize | round: the core piped too). */
static int emit_mul_int(mp_rtl_out *out, mp_fpf s, int int_bits,
                        int frac_bits, mp_fpf o, int piped, char *name,
                        mp_diag *d)
{
    int w = int_bits;
    int pw = s.m + 1 + w;
    int xw = max_i(s.e, mp_idx_bits(frac_bits + 1)) + 3;
    char rname[MP_RTL_NAME_MAX], ts[24], to[24];
    if (emit_round(out, pw, xw, o, piped > 1, rname, d))
        return -1;
    mp_rtl_leaf_name(out, name, "fp_mul_int_i%d_f%d_%s_%s%s", w, frac_bits,
                     mp_fpf_tag(s, ts), mp_fpf_tag(o, to),
                     piped > 1 ? "_p3" : piped ? "_p2" : "");
    mp_vmod m;
    int rc = begin_unit(&m, out, name,
                        "y = round_RNE(s * r * 2^-frac): r signed integer, "
                        "exact product, one rounding",
                        piped, "s", s.e + s.m, "r", w - 1, o.e + o.m, d);
    if (rc)
        return rc < 0 ? -1 : 0;
    emit_unpack(&m, "s", s, 0);
    emit_lsb_exp(&m, "x_w", "s_ee", s, xw, frac_bits);
    mp_vline(&m, "wire r_neg = r[%d];", w - 1);
    mp_vline(&m, "wire [%d:0] r_mag = r_neg ? -r : r;", w - 1);
    mp_vline(&m, "wire sign_w = s_s ^ r_neg;");
    mp_vline(&m, "wire nan_w = s_nan | (s_inf & ~(|r));");
    mp_vline(&m, "wire inf_w = s_inf;");
    mp_vline(&m, "wire [%d:0] mag_w = {%d'd0, s_sig} * {%d'd0, r_mag};", pw - 1,
             w, s.m + 1);
    emit_round_inst_w(&m, rname, piped, pw, xw);
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

int mp_fp_emit_mul_int(mp_rtl_out *out, mp_fpf s, int int_bits, int frac_bits,
                       mp_fpf o, char *name, mp_diag *d)
{
    return emit_mul_int(out, s, int_bits, frac_bits, o, 0, name, d);
}

int mp_fp_emit_mul_int_piped(mp_rtl_out *out, mp_fpf s, int int_bits,
                             int frac_bits, mp_fpf o, char *name, mp_diag *d)
{
    return emit_mul_int(out, s, int_bits, frac_bits, o, 1, name, d);
}

int mp_fp_emit_mul_int_piped3(mp_rtl_out *out, mp_fpf s, int int_bits,
                              int frac_bits, mp_fpf o, char *name, mp_diag *d)
{
    return emit_mul_int(out, s, int_bits, frac_bits, o, 2, name, d);
}

int mp_fp_emit_conv(mp_rtl_out *out, mp_fpf a, mp_fpf o, char *name,
                    mp_diag *d)
{
    int xw = a.e + 3;
    char rname[MP_RTL_NAME_MAX], ta[24], to[24];
    if (mp_fp_emit_round(out, a.m + 1, xw, o, rname, d))
        return -1;
    mp_rtl_leaf_name(out, name, "fp_conv_%s_%s", mp_fpf_tag(a, ta),
                     mp_fpf_tag(o, to));
    mp_vmod m;
    int rc = begin_unit(&m, out, name,
                        "y = round_RNE(a) in another float format "
                        "(exact when widening)",
                        0, "a", a.e + a.m, NULL, 0, o.e + o.m, d);
    if (rc)
        return rc < 0 ? -1 : 0;
    emit_unpack(&m, "a", a, 0);
    emit_lsb_exp(&m, "x_w", "a_ee", a, xw, 0);
    mp_vline(&m, "wire sign_w = a_s;");
    mp_vline(&m, "wire nan_w = a_nan;");
    mp_vline(&m, "wire inf_w = a_inf;");
    mp_vline(&m, "wire [%d:0] mag_w = a_sig;", a.m);
    emit_round_inst_w(&m, rname, 0, a.m + 1, xw);
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

void mp_fp_emit_grid_decode(mp_vmod *m, const char *in, mp_fpf f,
                            const char *pfx)
{
    int e = f.e, mb = f.m;
    mp_vline(m, "wire [%d:0] %s_e = %s[%d:%d];", e - 1, pfx, in, e + mb - 1, mb);
    mp_vline(m, "wire [%d:0] %s_mag = {1'b0, |%s_e, %s[%d:0]};", mb + 1, pfx,
             pfx, in, mb - 1);
    mp_vline(m, "wire [%d:0] %s_sv = %s[%d] ? -%s_mag : %s_mag;", mb + 1, pfx,
             in, e + mb, pfx, pfx);
    mp_vline(m, "wire [%d:0] %s_sh = (|%s_e) ? %s_e - %d'd1 : %d'd0;", e - 1,
             pfx, pfx, pfx, e, e);
}

/* Priority encoder: wire <dst> = leading zeros of <src> (w bits; w when
 * src == 0), lzw bits. */
static void emit_lzc(mp_vmod *m, const char *dst, const char *src, int w,
                     int lzw)
{
    char c1[32];
    mp_vline(m, "wire [%d:0] %s =", lzw - 1, dst);
    for (int i = w - 1; i >= 0; i--)
        mp_vline(m, "    %s[%d] ? %s :", src, i, mp_vconst(c1, lzw, (uint64_t)(w - 1 - i)));
    mp_vline(m, "    %s;", mp_vconst(c1, lzw, (uint64_t)w));
}

/* Mixed-format add.  The operand with the larger (or equal) leading-one
 * exponent, X, is normalized to bit wd-2 of a wd-bit window (bit wd-1
 * takes the carry); Y is placed by its exponent, bits below the window
 * jammed into a sticky LSB.  wd >= max(S + 2, p + 4) keeps every
 * cancellation exact (Y within one binade of X lies wholly inside) and
 * the jam below the round bit of any far-path result (see add).  Nothing
 * here needs a normalized significand, so b may also be an exact
 * product z * b (add_zmul) or carry a larger exponent (add_shift). */
typedef struct addm_spec {
    mp_fpf a, b, o;
    int shift_bits; /* > 0: port sh, b's exponent + sh                */
    int z_bits;     /* > 0: port z (signed), the term is -(z * b)      */
} addm_spec;

/* The unit's body after the operands' wires a_s, a_nan, a_inf, a_v, a_x
 * and b_* (s-bit significands, xw-bit LSB exponents) are declared. */
static void emit_addm_body(mp_vmod *m, int s, int xw, int wd,
                           const char *rname)
{
    int lzw = mp_idx_bits(s + 1);
    int pw = xw + 2;                         /* signed Y position          */
    int rw = mp_idx_bits(s + 1);             /* clamped right shift        */
    char c1[32], c2[32];
    emit_lzc(m, "a_lz", "a_v", s, lzw);
    emit_lzc(m, "b_lz", "b_v", s, lzw);
    mp_vline(m, "wire a_z = ~|a_v;");
    mp_vline(m, "wire b_z = ~|b_v;");
    /* leading-one exponents: x + (s - 1 - lz) */
    mp_vline(m, "wire [%d:0] a_top = a_x + {%d'd0, %s - a_lz};", xw - 1, xw - lzw,
             mp_vconst(c1, lzw, (uint64_t)(s - 1)));
    mp_vline(m, "wire [%d:0] b_top = b_x + {%d'd0, %s - b_lz};", xw - 1, xw - lzw,
             mp_vconst(c1, lzw, (uint64_t)(s - 1)));
    /* signed compare of two's complement values: flip the sign bits */
    mp_vline(m, "wire a_ge = {~a_top[%d], a_top[%d:0]} >= {~b_top[%d], b_top[%d:0]};",
             xw - 1, xw - 2, xw - 1, xw - 2);
    mp_vline(m, "wire x_is_a = b_z | (~a_z & a_ge);");
    mp_vline(m, "wire x_s = x_is_a ? a_s : b_s;");
    mp_vline(m, "wire y_s = x_is_a ? b_s : a_s;");
    mp_vline(m, "wire [%d:0] x_v = x_is_a ? a_v : b_v;", s - 1);
    mp_vline(m, "wire [%d:0] y_v = x_is_a ? b_v : a_v;", s - 1);
    mp_vline(m, "wire [%d:0] x_lz = x_is_a ? a_lz : b_lz;", lzw - 1);
    mp_vline(m, "wire [%d:0] x_top = x_is_a ? a_top : b_top;", xw - 1);
    mp_vline(m, "wire [%d:0] y_x = x_is_a ? b_x : a_x;", xw - 1);
    /* X normalized to bit wd-2 */
    mp_vline(m, "wire [%d:0] x_n = x_v << x_lz;", s - 1);
    mp_vline(m, "wire [%d:0] x_w = {1'b0, x_n, %d'd0};", wd - 1, wd - 1 - s);
    /* frame LSB exponent: x_top - (wd - 2); Y's LSB position in it */
    mp_vline(m, "wire [%d:0] f_x = {x_top[%d], x_top} - %s;", xw, xw - 1,
             mp_vconst(c1, xw + 1, (uint64_t)(wd - 2)));
    mp_vline(m, "wire [%d:0] y_pos = {{%d{y_x[%d]}}, y_x} - {{%d{f_x[%d]}}, f_x};",
             pw - 1, pw - xw, xw - 1, pw - xw - 1, xw);
    mp_vline(m, "wire y_left = ~y_pos[%d];", pw - 1);
    mp_vline(m, "wire [%d:0] y_neg = %s - y_pos;", pw - 1, mp_vconst(c1, pw, 0));
    /* left: y_v << y_pos (< wd - 1 by choice of X); right: clamp to s */
    mp_vline(m, "wire [%d:0] y_lw = {%d'd0, y_v} << y_pos;", wd - 1, wd - s);
    mp_vline(m, "wire [%d:0] y_rsh = (y_neg > %s) ? %s : y_neg[%d:0];", rw - 1,
             mp_vconst(c1, pw, (uint64_t)s), mp_vconst(c2, rw, (uint64_t)s), rw - 1);
    mp_vline(m, "wire [%d:0] y_r = y_v >> y_rsh;", s - 1);
    mp_vline(m, "wire y_lost = |(y_v & ~({%d{1'b1}} << y_rsh));", s);
    mp_vline(m, "wire [%d:0] y_w = y_left ? y_lw : {%d'd0, y_r[%d:1], y_r[0] | y_lost};",
             wd - 1, wd - s, s - 1);
    mp_vline(m, "wire [%d:0] sum = (x_s == y_s) ? x_w + y_w : x_w - y_w;", wd - 1);
    mp_vline(m, "wire neg = (x_s != y_s) & sum[%d];", wd - 1);
    mp_vline(m, "wire [%d:0] mag_w = neg ? -sum : sum;", wd - 1);
    mp_vline(m, "wire sign_w = (~|sum) ? (a_s & b_s) : (x_s ^ neg);");
    mp_vline(m, "wire nan_w = a_nan | b_nan | (a_inf & b_inf & (a_s ^ b_s));");
    mp_vline(m, "wire inf_w = a_inf | b_inf;");
    mp_vline(m, "wire inf_s = a_inf ? a_s : b_s;");
    mp_vline(m, "wire [%d:0] x_w2 = f_x;", xw);
    emit_round_inst(m, rname, 0, wd, xw + 1, "inf_w ? inf_s : sign_w",
                    "nan_w", "inf_w", "mag_w", "x_w2");
}

static int emit_addm(mp_rtl_out *out, const addm_spec *sp, char *name,
                     mp_diag *d)
{
    mp_fpf a = sp->a, b = sp->b, o = sp->o;
    int zb = sp->z_bits;
    int sa = a.m + 1, sb = b.m + 1 + zb, s = max_i(sa, sb);
    int wd = max_i(s + 2, o.m + 1 + 4);
    /* LSB exponents, plus room for the shift and a wide product */
    int xw = max_i(a.e, b.e) + 3 + sp->shift_bits + (zb ? 1 : 0);
    char rname[MP_RTL_NAME_MAX], e1[128], ta[24], tb[24], to[24], kind[24] = "";
    if (mp_fp_emit_round(out, wd, xw + 1, o, rname, d))
        return -1;
    if (sp->shift_bits)
        snprintf(kind, sizeof kind, "_sh%d", sp->shift_bits);
    else if (zb)
        snprintf(kind, sizeof kind, "_z%d", zb);
    mp_rtl_leaf_name(out, name, "fp_addm_%s_%s_%s%s", mp_fpf_tag(a, ta),
                     mp_fpf_tag(b, tb), mp_fpf_tag(o, to), kind);
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           sp->z_bits ? "y = round_RNE(a - z * b), z*b exact: "
                                        "normalize the larger, jam the smaller"
                           : sp->shift_bits
                               ? "y = round_RNE(a + b * 2^sh), operands of two "
                                 "formats: normalize the larger, jam the smaller"
                               : "y = round_RNE(a + b), operands of two "
                                 "formats: normalize the larger, jam the smaller",
                           d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    mp_vline(&m, "input  wire [%d:0] a,", a.e + a.m);
    mp_vline(&m, "input  wire [%d:0] b,", b.e + b.m);
    if (sp->shift_bits)
        mp_vline(&m, "input  wire [%d:0] sh,", sp->shift_bits - 1);
    if (zb)
        mp_vline(&m, "input  wire [%d:0] z,", zb - 1);
    mp_vline(&m, "output wire [%d:0] y", o.e + o.m);
    mp_vclose(&m, ");");
    m.indent++;
    /* the product term unpacks b as c, then forms its own b_* wires */
    const char *bn = zb ? "c" : "b";
    emit_unpack(&m, "a", a, 0);
    if (zb)
        mp_vline(&m, "wire [%d:0] c = b;", b.e + b.m);
    emit_unpack(&m, bn, b, 0);
    emit_lsb_exp(&m, "a_x", "a_ee", a, xw, 0);
    if (zb) {
        emit_lsb_exp(&m, "b_x", "c_ee", b, xw, 0);
    } else if (sp->shift_bits) {
        emit_lsb_exp(&m, "b_x0", "b_ee", b, xw, 0);
        mp_vline(&m, "wire [%d:0] b_x = b_x0 + {%d'd0, sh};", xw - 1,
                 xw - sp->shift_bits);
    } else {
        emit_lsb_exp(&m, "b_x", "b_ee", b, xw, 0);
    }
    mp_vline(&m, "wire [%d:0] a_v = %s;", s - 1,
             mp_vresize(e1, "a_sig", sa, s));
    if (zb) {
        /* -(z * b): |z| times b's significand, the sign flipped */
        mp_vline(&m, "wire z_neg = z[%d];", zb - 1);
        mp_vline(&m, "wire [%d:0] z_mag = z_neg ? -z : z;", zb - 1);
        mp_vline(&m, "wire [%d:0] b_v = {%d'd0, c_sig} * {%d'd0, z_mag};",
                 s - 1, s - b.m - 1, s - zb);
        mp_vline(&m, "wire b_s = c_s ^ ~z_neg;");
        mp_vline(&m, "wire b_nan = c_nan | (c_inf & ~(|z));");
        mp_vline(&m, "wire b_inf = c_inf;");
    } else {
        mp_vline(&m, "wire [%d:0] b_v = %s;", s - 1,
                 mp_vresize(e1, "b_sig", sb, s));
    }
    emit_addm_body(&m, s, xw, wd, rname);
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

int mp_fp_emit_add_mixed(mp_rtl_out *out, mp_fpf a, mp_fpf b, mp_fpf o,
                         char *name, mp_diag *d)
{
    if (a.e == b.e && a.m == b.m && a.fn == b.fn && a.e == o.e &&
        a.m == o.m && a.fn == o.fn)
        return mp_fp_emit_add(out, a, name, d);
    addm_spec sp = {a, b, o, 0, 0};
    return emit_addm(out, &sp, name, d);
}

int mp_fp_emit_add_shift(mp_rtl_out *out, mp_fpf a, mp_fpf b, mp_fpf o,
                         int shift_bits, char *name, mp_diag *d)
{
    if (!shift_bits)
        return mp_fp_emit_add_mixed(out, a, b, o, name, d);
    addm_spec sp = {a, b, o, shift_bits, 0};
    return emit_addm(out, &sp, name, d);
}

int mp_fp_emit_add_zmul(mp_rtl_out *out, mp_fpf a, mp_fpf b, int z_bits,
                        mp_fpf o, char *name, mp_diag *d)
{
    addm_spec sp = {a, b, o, 0, z_bits};
    return emit_addm(out, &sp, name, d);
}

int mp_fp_emit_from_int(mp_rtl_out *out, int int_bits, int frac_bits,
                        mp_fpf o, char *name, mp_diag *d)
{
    int w = int_bits;
    int xw = mp_idx_bits(frac_bits + 1) + 2;
    char rname[MP_RTL_NAME_MAX], c1[32], to[24];
    if (mp_fp_emit_round(out, w, xw, o, rname, d))
        return -1;
    mp_rtl_leaf_name(out, name, "fp_from_int_i%d_f%d_%s", w, frac_bits,
                     mp_fpf_tag(o, to));
    mp_vmod m;
    int rc = begin_unit(&m, out, name,
                        "y = round_RNE(r * 2^-frac), r a signed integer",
                        0, "r", w - 1, NULL, 0, o.e + o.m, d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vline(&m, "wire sign_w = r[%d];", w - 1);
    mp_vline(&m, "wire nan_w = 1'b0;");
    mp_vline(&m, "wire inf_w = 1'b0;");
    mp_vline(&m, "wire [%d:0] mag_w = sign_w ? -r : r;", w - 1);
    mp_vline(&m, "wire [%d:0] x_w = %s;", xw - 1,
             tc_const(c1, xw, -(int64_t)frac_bits));
    emit_round_inst_w(&m, rname, 0, w, xw);
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

/* to_grid: a = sig * 2^(ee - bias - m), so a * 2^frac = sig shifted left
 * by t = ee - bias - m + frac, or right by -t with round-to-nearest-even
 * on the bits shifted out (clamped at m + 2: beyond it |a| < 1/2). */
int mp_fp_emit_to_grid(mp_rtl_out *out, mp_fpf a, int frac_bits, int int_bits,
                       char *name, mp_diag *d)
{
    int w = int_bits, mb = a.m;
    int off = bias_of(a) + mb - frac_bits;   /* t = ee - off              */
    int tmax = (1 << a.e) - 1 - off;         /* largest left shift        */
    int iw = max_i(w, mb + 2) + 1;           /* left-shift window         */
    int xw = max_i(a.e, mp_idx_bits(off < 0 ? -off : off)) + 3;
    int rw = mp_idx_bits(mb + 3);            /* clamped right shift       */
    int lw = mp_idx_bits(iw);                /* clamped left shift        */
    char c1[32], c2[32], ta[24];
    mp_rtl_leaf_name(out, name, "fp_to_grid_%s_f%d_i%d", mp_fpf_tag(a, ta),
                     frac_bits, w);
    mp_vmod m;
    int rc = begin_unit(&m, out, name,
                        "y = round_RNE(a * 2^frac) as a signed integer "
                        "(NaN/Inf: 0)", 0, "a", a.e + a.m, NULL, 0, w - 1, d);
    if (rc)
        return rc < 0 ? -1 : 0;
    emit_unpack(&m, "a", a, 0);
    mp_vline(&m, "wire [%d:0] t = {%d'd0, a_ee} - %s;", xw - 1, xw - a.e,
             tc_const(c1, xw, off));
    mp_vline(&m, "wire t_neg = t[%d];", xw - 1);
    mp_vline(&m, "wire [%d:0] t_abs = t_neg ? -t : t;", xw - 1);
    /* left: exact (the caller sized y) */
    if (tmax > 0) {
        mp_vline(&m, "wire [%d:0] lsh = (t_abs > %s) ? %s : t_abs[%d:0];",
                 lw - 1, mp_vconst(c1, xw, (uint64_t)(iw - 1)),
                 mp_vconst(c2, lw, (uint64_t)(iw - 1)), lw - 1);
        mp_vline(&m, "wire [%d:0] lv = {%d'd0, a_sig} << lsh;", iw - 1,
                 iw - mb - 1);
    } else {
        mp_vline(&m, "wire [%d:0] lv = {%d'd0, a_sig};", iw - 1, iw - mb - 1);
    }
    /* right: keep the integer part, round on the rest */
    mp_vline(&m, "wire [%d:0] rsh = (t_abs > %s) ? %s : t_abs[%d:0];", rw - 1,
             mp_vconst(c1, xw, (uint64_t)(mb + 2)),
             mp_vconst(c2, rw, (uint64_t)(mb + 2)), rw - 1);
    mp_vline(&m, "wire [%d:0] rx = {a_sig, %d'd0} >> rsh;", 2 * mb + 2,
             mb + 2);
    mp_vline(&m, "wire [%d:0] rq = rx[%d:%d];", mb, 2 * mb + 2, mb + 2);
    mp_vline(&m, "wire rb = rx[%d];", mb + 1);
    mp_vline(&m, "wire rs = |rx[%d:0];", mb);
    mp_vline(&m, "wire [%d:0] rv = {%d'd0, rq} + {%d'd0, rb & (rs | rq[0])};",
             iw - 1, iw - mb - 1, iw - 1);
    mp_vline(&m, "wire [%d:0] mag = t_neg ? rv : lv;", iw - 1);
    /* the caller bounds |y|: the window's top bits are zero */
    mp_vline(&m, "wire unused_top = ^mag[%d:%d];", iw - 1, w);
    mp_vline(&m, "wire [%d:0] sv = a_s ? -mag[%d:0] : mag[%d:0];", w - 1,
             w - 1, w - 1);
    mp_vline(&m, "assign y = (a_nan | a_inf) ? %s : sv;", mp_vconst(c1, w, 0));
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}
