/* dequant_unit.c - see dequant_unit.h. */
#include "rtl_gen/dequant_unit.h"

#include <stdio.h>

/* Sign-extend wire `name` (from bits) to `to` bits: expression in buf. */
static const char *sext(char *buf, const char *name, int from, int to)
{
    if (to == from)
        snprintf(buf, 128, "%s", name);
    else
        snprintf(buf, 128, "{{%d{%s[%d]}}, %s}", to - from, name, from - 1,
                 name);
    return buf;
}

static void emit_ports(mp_vmod *m, const mp_deq_spec *s)
{
    mp_vline(m, "input  wire clk,");
    mp_vline(m, "input  wire clr,");
    if (s->zeros) {
        mp_vline(m, "input  wire [%d:0] x,", s->x_bits - 1);
        mp_vline(m, "input  wire v,");
        mp_vline(m, "input  wire f,");
        mp_vline(m, "input  wire l,");
        mp_vline(m, "input  wire [%d:0] z,", s->z_bits - 1);
    }
    if (s->scaled)
        mp_vline(m, "input  wire [31:0] s,");
    if (s->addr_bits)
        mp_vline(m, "output wire [%d:0] sz_addr,", s->addr_bits - 1);
    int ab = s->scaled ? mp_fpf_bits(s->out_fmt) : s->acc_bits;
    for (int j = 0; j < s->cols; j++) {
        mp_vline(m, "input  wire [%d:0] p%d,", s->p_bits - 1, j);
        mp_vline(m, "input  wire gd%d,", j);
        mp_vline(m, "output reg  [%d:0] acc%d%s", ab - 1, j,
                 j + 1 < s->cols ? "," : "");
    }
}

/* The activation sum of the current group, held (s_hold) from the cycle
 * its last activation passes the block's first column until the next
 * group's last one: exactly the cycles in which the block's columns finish
 * that group. */
static void emit_act_sum(mp_vmod *m, const mp_deq_spec *s)
{
    char e1[128];
    mp_vline(m, "reg  [%d:0] s_run;", s->s_bits - 1);
    mp_vline(m, "reg  [%d:0] s_hold;", s->s_bits - 1);
    const char *xv = "x";
    if (s->x_fp16) {
        static const mp_fpf fp16 = {5, 10};
        mp_fp_emit_grid_decode(m, "x", fp16, "xg");
        mp_vline(m, "wire [%d:0] x_fix = %s << xg_sh;", s->s_bits - 1,
                 sext(e1, "xg_sv", 12, s->s_bits));
        xv = "x_fix";
    }
    mp_vline(m, "wire [%d:0] s_next = (f ? %d'd0 : s_run) + %s;", s->s_bits - 1,
             s->s_bits, s->x_fp16 ? xv : sext(e1, "x", s->x_bits, s->s_bits));
    mp_vopen(m, "always @(posedge clk) begin");
    mp_vopen(m, "if (v) begin");
    mp_vline(m, "s_run <= s_next;");
    mp_vline(m, "if (l) s_hold <= s_next;");
    mp_vclose(m, "end");
    mp_vclose(m, "end");
}

/* p_sel: the finishing column's sum (one-hot gd), and unless
 * pipelined its accumulator acc_sel; j: its index, for the scale/zero
 * address. */
static void emit_select(mp_vmod *m, const mp_deq_spec *s, int ab, int piped)
{
    mp_vline(m, "wire [%d:0] p_sel =", s->p_bits - 1);
    for (int j = 0; j < s->cols; j++)
        mp_vline(m, "    ({%d{gd%d}} & p%d)%s", s->p_bits, j, j,
                 j + 1 < s->cols ? " |" : ";");
    if (!piped) {
        mp_vline(m, "wire [%d:0] acc_sel =", ab - 1);
        for (int j = 0; j < s->cols; j++)
            mp_vline(m, "    ({%d{gd%d}} & acc%d)%s", ab, j, j,
                     j + 1 < s->cols ? " |" : ";");
    }
    if (!s->addr_bits)
        return;
    int aw = s->addr_bits;
    char c1[32];
    uint64_t stride = s->col_stride > 1 ? (uint64_t)s->col_stride : 1;
    if (s->cols > 1) {
        mp_vline(m, "wire [%d:0] j =", aw - 1);
        for (int j = s->cols - 1; j >= 1; j--)
            mp_vline(m, "    gd%d ? %s :", j,
                     mp_vconst(c1, aw, (uint64_t)j * stride));
        mp_vline(m, "    %s;", mp_vconst(c1, aw, 0));
    }
    if (s->groups > 1) {
        mp_vline(m, "reg  [%d:0] gbase;", aw - 1);
        mp_vopen(m, "always @(posedge clk) begin");
        mp_vline(m, "if (clr) gbase <= %s;", mp_vconst(c1, aw, 0));
        mp_vline(m, "else if (gd%d) gbase <= gbase + %s;", s->cols - 1,
                 mp_vconst(c1, aw, (uint64_t)s->n_tile));
        mp_vclose(m, "end");
    }
    if (s->groups > 1 && s->cols > 1)
        mp_vline(m, "assign sz_addr = gbase + j;");
    else if (s->groups > 1)
        mp_vline(m, "assign sz_addr = gbase;");
    else if (s->cols > 1)
        mp_vline(m, "assign sz_addr = j;");
    else /* one column, one group: the top adds the column */
        mp_vline(m, "assign sz_addr = %s;", mp_vconst(c1, aw, 0));
}

/* The gd one-hot delayed by 1..n cycles: gd_d<i> (cleared on clr). */
static void emit_gd_delays(mp_vmod *m, const mp_deq_spec *s, int n)
{
    mp_vline(m, "wire [%d:0] gd_d0 = {", s->cols - 1);
    for (int j = s->cols - 1; j >= 0; j--)
        mp_vline(m, "    gd%d%s", j, j ? "," : "};");
    for (int i = 1; i <= n; i++)
        mp_vline(m, "reg  [%d:0] gd_d%d;", s->cols - 1, i);
    mp_vopen(m, "always @(posedge clk) begin");
    for (int i = 1; i <= n; i++)
        mp_vline(m, "gd_d%d <= clr ? %d'd0 : gd_d%d;", i, s->cols, i - 1);
    mp_vclose(m, "end");
}

/* Scaled: d = round(s * r), acc_new = round(acc_sel + d) over s->stages
 * (dequant_unit.h); acc_sel selects by gd_d<a>, a the stage that reads
 * acc, the write by gd_d<stages - 1> (*wr_stage). */
static void emit_scaled(mp_vmod *m, const mp_deq_spec *s, int ab,
                        const char *mul, const char *add, int *wr_stage)
{
    int st = s->stages > 1 ? s->stages : 1;
    int o = st >= 5;                         /* r, s registered first */
    int ml = (st >= 3) + (st >= 6);          /* the multiplier's stages */
    int a = o + ml + (st >= 2);
    emit_gd_delays(m, s, st - 1);
    mp_vline(m, "wire [%d:0] acc_sel =", ab - 1);
    for (int j = 0; j < s->cols; j++)
        mp_vline(m, "    ({%d{gd_d%d[%d]}} & acc%d)%s", ab, a, j, j,
                 j + 1 < s->cols ? " |" : ";");
    const char *rr = "r", *ss = "s";
    if (o) {
        mp_vline(m, "reg  [%d:0] r_q;", s->r_bits - 1);
        mp_vline(m, "reg  [31:0] s_q;");
        mp_vopen(m, "always @(posedge clk) begin");
        mp_vline(m, "r_q <= r;");
        mp_vline(m, "s_q <= s;");
        mp_vclose(m, "end");
        rr = "r_q", ss = "s_q";
    }
    mp_vline(m, "wire [%d:0] dq;", ab - 1);
    mp_vline(m, "wire [%d:0] acc_new;", ab - 1);
    mp_vline(m, "%s u_scale (%s.s(%s), .r(%s), .y(dq));", mul,
             st >= 3 ? ".clk(clk), " : "", ss, rr);
    const char *dqa = "dq";
    if (st >= 2) {
        mp_vline(m, "reg  [%d:0] dq_q;", ab - 1);
        mp_vline(m, "always @(posedge clk) dq_q <= dq;");
        dqa = "dq_q";
    }
    mp_vline(m, "%s u_acc (%s.a(acc_sel), .b(%s), .y(acc_new));", add,
             st >= 4 ? ".clk(clk), " : "", dqa);
    *wr_stage = st - 1;
}

int mp_deq_emit(mp_rtl_out *out, const mp_deq_spec *s, char *name, mp_diag *d)
{
    char mul[MP_RTL_NAME_MAX], add[MP_RTL_NAME_MAX];
    static const mp_fpf fp32 = {8, 23};
    int st = s->scaled && s->stages > 1 ? s->stages : 1;
    if (s->scaled &&
        ((st >= 6   ? mp_fp_emit_mul_int_piped3
          : st >= 3 ? mp_fp_emit_mul_int_piped
                    : mp_fp_emit_mul_int)(out, fp32, s->r_bits, s->frac_bits,
                                          s->out_fmt, mul, d) ||
         (st >= 4 ? mp_fp_emit_add_piped : mp_fp_emit_add)(out, s->out_fmt,
                                                           add, d)))
        return -1;
    char pipe[16] = "";
    if (st > 1)
        snprintf(pipe, sizeof pipe, "_p%d", st);
    if (s->col_stride > 1)
        mp_rtl_leaf_name(out, name, "deq_c%d_s%d%s", s->cols, s->col_stride,
                         pipe);
    else
        mp_rtl_leaf_name(out, name, "deq_c%d%s", s->cols, pipe);
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "per-group dequant edge unit: acc += round(s * "
                           "(P - z*S)) (rtl_gen/dequant_unit.h)", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    int ab = s->scaled ? mp_fpf_bits(s->out_fmt) : s->acc_bits;
    char e1[128], e2[128], e3[128];
    mp_vopen(&m, "module %s (", name);
    emit_ports(&m, s);
    mp_vclose(&m, ");");
    m.indent++;
    if (s->zeros)
        emit_act_sum(&m, s);
    emit_select(&m, s, ab, st > 1);
    /* r = P - z*S, exact in r_bits (bounds computed by the generator) */
    if (s->zeros)
        mp_vline(&m, "wire [%d:0] r = %s - %s * %s;", s->r_bits - 1,
                 sext(e1, "p_sel", s->p_bits, s->r_bits),
                 sext(e2, "z", s->z_bits, s->r_bits),
                 sext(e3, "s_hold", s->s_bits, s->r_bits));
    else
        mp_vline(&m, "wire [%d:0] r = %s;", s->r_bits - 1,
                 sext(e1, "p_sel", s->p_bits, s->r_bits));
    int wr = 0;
    if (s->scaled && st > 1) {
        emit_scaled(&m, s, ab, mul, add, &wr);
    } else if (s->scaled) {
        mp_vline(&m, "wire [%d:0] dq;", ab - 1);
        mp_vline(&m, "wire [%d:0] acc_new;", ab - 1);
        mp_vline(&m, "%s u_scale (.s(s), .r(r), .y(dq));", mul);
        mp_vline(&m, "%s u_acc (.a(acc_sel), .b(dq), .y(acc_new));", add);
    } else {
        mp_vline(&m, "wire [%d:0] acc_new = acc_sel + %s;", ab - 1,
                 sext(e1, "r", s->r_bits, ab));
    }
    mp_vopen(&m, "always @(posedge clk) begin");
    for (int j = 0; j < s->cols; j++) {
        mp_vline(&m, "if (clr) acc%d <= %d'd0;", j, ab);
        if (wr)
            mp_vline(&m, "else if (gd_d%d[%d]) acc%d <= acc_new;", wr, j, j);
        else
            mp_vline(&m, "else if (gd%d) acc%d <= acc_new;", j, j);
    }
    mp_vclose(&m, "end");
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}
