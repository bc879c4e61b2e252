/* int_pe.c - see int_pe.h. */
#include "rtl_gen/int_pe.h"

#include <stdio.h>
#include "rtl_gen/top_common.h"

/* Edge units finish groups when there is anything to finish: scales or
 * zero points.  Plain integer output sums the whole K in the PE. */
static int uses_edge(const mp_rtl_cfg *cfg)
{
    return cfg->has_scales || cfg->pe.has_zeros;
}

typedef __int128 wide;

/* Two's complement bits for [lo, hi]. */
static int sbits(wide lo, wide hi)
{
    int bits = 1;
    while (bits < 126 && (lo < -((wide)1 << (bits - 1)) ||
                          hi > ((wide)1 << (bits - 1)) - 1))
        bits++;
    return bits;
}

static void iv_mul(wide alo, wide ahi, wide blo, wide bhi, wide *lo, wide *hi)
{
    wide c[4] = {alo * blo, alo * bhi, ahi * blo, ahi * bhi};
    *lo = *hi = c[0];
    for (int i = 1; i < 4; i++) {
        *lo = c[i] < *lo ? c[i] : *lo;
        *hi = c[i] > *hi ? c[i] : *hi;
    }
}

/* Every width of the datapath, from the formats' extreme values. */
typedef struct int_widths {
    int x_bits, xv_bits, shift_max; /* operand: xv << (0..shift_max)       */
    int prod_bits;                  /* q * xv                               */
    int p_bits;                     /* the PE sum (group or whole K)        */
    int s_bits, r_bits;             /* S, r = P - z*S (edge units)          */
    int out_bits;                   /* integer output total                 */
} int_widths;

static void widths_of(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                      int_widths *w)
{
    int fp = cfg->pe.act == MP_ACT_FP16;
    wide olo = fp ? -2047 : cfg->pe.act == MP_ACT_INT16 ? -32768 : -128;
    wide ohi = fp ? 2047 : cfg->pe.act == MP_ACT_INT16 ? 32767 : 127;
    w->x_bits = mp_act_bits(cfg->pe.act);
    w->xv_bits = fp ? 12 : w->x_bits;
    w->shift_max = fp ? 29 : 0; /* FP16 exponent field 30 -> 2^29 on 2^-24 */
    wide qlo = mp_wfmt_min(cfg->pe.wfmt), qhi = mp_wfmt_max(cfg->pe.wfmt);
    wide plo, phi;
    iv_mul(qlo, qhi, olo, ohi, &plo, &phi);
    w->prod_bits = sbits(plo, phi);
    if (w->prod_bits < w->xv_bits)
        w->prod_bits = w->xv_bits;
    wide scale = (wide)1 << w->shift_max;
    wide span = uses_edge(cfg) && info->group ? info->group : cfg->k_max;
    w->p_bits = sbits(plo * scale * span, phi * scale * span);
    wide slo = olo * scale * span, shi = ohi * scale * span;
    w->s_bits = sbits(slo, shi);
    wide zlo = cfg->pe.has_zeros ? qlo : 0, zhi = cfg->pe.has_zeros ? qhi : 0;
    wide zslo, zshi;
    iv_mul(zlo, zhi, slo, shi, &zslo, &zshi);
    wide rlo = plo * scale * span - zshi, rhi = phi * scale * span - zslo;
    w->r_bits = sbits(rlo, rhi);
    if (w->r_bits < w->p_bits)
        w->r_bits = w->p_bits;
    wide groups = info->group && uses_edge(cfg) ? cfg->k_max / info->group : 1;
    w->out_bits = sbits(rlo * groups, rhi * groups);
}

int mp_int_os_check(const mp_rtl_cfg *cfg, mp_rtl_info *info, int fp16_ok,
                    mp_diag *d)
{
    if (cfg->pe.act != MP_ACT_INT8 &&
        !(fp16_ok && cfg->pe.act == MP_ACT_FP16))
        return mp_fail(d, MP_CMDLINE, 0, "act",
                       "%s RTL is generated for int8%s activations, not %s",
                       cfg->family, fp16_ok ? " and fp16" : "",
                       mp_act_name(cfg->pe.act));
    int fp = cfg->pe.act == MP_ACT_FP16;
    if (fp && !cfg->has_scales) /* as the simulator: float in, float out */
        return mp_fail(d, MP_CMDLINE, 0, "scales",
                       "%s with fp16 activations needs weight scales (float "
                       "activations give float output)", cfg->family);
    if (info->arith.dequant != MP_DEQ_PER_GROUP ||
        info->arith.group_acc != (fp ? MP_ACC_FIXED : MP_ACC_INT) ||
        (fp && info->arith.frac_bits != 24))
        return mp_fail(d, MP_CMDLINE, 0, "acc",
                       "%s RTL sums groups exactly (%s)", cfg->family,
                       fp ? "fixed point, grid 2^-24" : "integers");
    /* packed lanes (mixpe pack_products): N_TILE = cols * lanes */
    if (info->pe.pack_products > 1)
        info->n_tile = cfg->cols * info->pe.pack_products;
    int_widths w;
    widths_of(cfg, info, &w);
    if (w.r_bits > 64)
        return mp_fail(d, MP_CMDLINE, 0, "group",
                       "group sums need %d bits, more than 64", w.r_bits);
    if (!cfg->has_scales && w.out_bits > 32)
        return mp_fail(d, MP_CMDLINE, 0, "k-max",
                       "integer sums over k-max %d need %d bits, more than "
                       "the int32 output", cfg->k_max, w.out_bits);
    return 0;
}

static void emit_pe_ports(mp_vmod *m, const int_widths *w,
                          const mp_int_pe *ip, int edge)
{
    mp_vline(m, "input  wire clk,");
    if (edge)
        mp_vline(m, "input  wire rst_n,");
    mp_vline(m, "input  wire [%d:0] x,", w->x_bits - 1);
    mp_vline(m, "input  wire v,       // x, w are operand pair k");
    mp_vline(m, "input  wire f,       // k starts a new sum");
    if (edge)
        mp_vline(m, "input  wire l,       // k ends a group");
    mp_vline(m, "input  wire [%d:0] w,", ip->w_bits - 1);
    if (edge) {
        mp_vline(m, "output reg  [%d:0] p,", w->p_bits - 1);
        mp_vline(m, "output reg  gdone    // p holds a finished group sum");
    } else {
        mp_vline(m, "output reg  [%d:0] p", w->p_bits - 1);
    }
}

static int emit_pe(const mp_rtl_cfg *cfg, mp_rtl_out *out, const int_widths *w,
                   mp_int_pe *ip, int edge, mp_int_product_fn product,
                   const char *comment, char *name, mp_diag *d)
{
    static const mp_fpf fp16 = {5, 10};
    int fp = cfg->pe.act == MP_ACT_FP16;
    mp_rtl_leaf_name(out, name, "pe");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name, comment, d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    emit_pe_ports(&m, w, ip, edge);
    mp_vclose(&m, ");");
    m.indent++;
    if (fp)
        mp_fp_emit_grid_decode(&m, "x", fp16, "xg");
    product(&m, ip);
    char ext[160];
    if (w->p_bits > ip->prod_bits)
        snprintf(ext, sizeof ext, "{{%d{prod[%d]}}, prod}",
                 w->p_bits - ip->prod_bits, ip->prod_bits - 1);
    else
        snprintf(ext, sizeof ext, "prod");
    if (fp) {
        /* one alignment per product onto the 2^-24 grid: exact */
        mp_vline(&m, "wire [%d:0] term = %s << xg_sh;", w->p_bits - 1, ext);
        snprintf(ext, sizeof ext, "term");
    }
    mp_vline(&m, "always @(posedge clk) if (v) p <= (f ? %d'd0 : p) + %s;",
             w->p_bits, ext);
    if (edge) {
        mp_vopen(&m, "always @(posedge clk) begin");
        mp_vline(&m, "if (!rst_n) gdone <= 1'b0;");
        mp_vline(&m, "else gdone <= v & l;");
        mp_vclose(&m, "end");
    }
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

int mp_int_os_emit(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                   mp_rtl_out *out, mp_int_product_fn product,
                   const char *pe_comment, mp_diag *d)
{
    int_widths w;
    widths_of(cfg, info, &w);
    int edge = uses_edge(cfg);
    int fp = cfg->pe.act == MP_ACT_FP16;
    mp_int_pe ip = {.x_name = fp ? "xg_sv" : "x", .x_bits = w.xv_bits,
                    .prod_bits = w.prod_bits};
    mp_top_wcode(cfg->pe.wfmt, &ip.w_bits, &ip.w_signed);
    mp_os_spec spec = {
        .x_bits = w.x_bits,
        .w_bits = ip.w_bits,
        .p_bits = w.p_bits,
        .group_edge = edge,
        .out_fmt = {8, 23},
        .out_int_bits = 32,
        .frac_bits = fp ? info->arith.frac_bits : 0,
        .s_bits = w.s_bits,
        .r_bits = w.r_bits,
        .x_fp16 = fp,
        .lanes = info->pe.pack_products,
    };
    if (info->arith.out_acc == MP_ACC_FP16)
        spec.out_fmt = (mp_fpf){5, 10};
    if (emit_pe(cfg, out, &w, &ip, edge, product, pe_comment, spec.pe_module,
                d))
        return -1;
    return mp_top_emit_os(cfg, info, &spec, out, d);
}

int64_t mp_int_os_cycles(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                         int k)
{
    (void)info;
    mp_os_spec spec = {.group_edge = uses_edge(cfg)};
    return mp_top_os_cycles(cfg, &spec, k);
}
