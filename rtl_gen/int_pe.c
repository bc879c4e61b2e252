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

static void value_range(const mp_rtl_cfg *cfg, int64_t *xlo, int64_t *xhi,
                        int64_t *plo, int64_t *phi)
{
    *xlo = cfg->pe.act == MP_ACT_INT16 ? -32768 : -128;
    *xhi = cfg->pe.act == MP_ACT_INT16 ? 32767 : 127;
    int64_t qlo = mp_wfmt_min(cfg->pe.wfmt), qhi = mp_wfmt_max(cfg->pe.wfmt);
    int64_t c[4] = {qlo * *xlo, qlo * *xhi, qhi * *xlo, qhi * *xhi};
    *plo = *phi = c[0];
    for (int i = 1; i < 4; i++) {
        *plo = c[i] < *plo ? c[i] : *plo;
        *phi = c[i] > *phi ? c[i] : *phi;
    }
}

int mp_int_os_check(const mp_rtl_cfg *cfg, mp_rtl_info *info, mp_diag *d)
{
    if (mp_act_is_float(cfg->pe.act))
        return mp_fail(d, MP_CMDLINE, 0, "act",
                       "%s RTL is generated for integer activations only",
                       cfg->family);
    if (info->arith.dequant != MP_DEQ_PER_GROUP ||
        info->arith.group_acc != MP_ACC_INT)
        return mp_fail(d, MP_CMDLINE, 0, "acc",
                       "%s RTL sums groups as exact integers", cfg->family);
    int64_t xlo, xhi, plo, phi;
    value_range(cfg, &xlo, &xhi, &plo, &phi);
    int64_t span = uses_edge(cfg) && info->group ? info->group : cfg->k_max;
    if (mp_sbits_for(plo * span, phi * span) > 32 ||
        (!cfg->has_scales &&
         mp_sbits_for(plo * cfg->k_max * 2, phi * cfg->k_max * 2) > 32))
        return mp_fail(d, MP_CMDLINE, 0, "k-max",
                       "sums over k-max %d do not fit 32 bits", cfg->k_max);
    return 0;
}

static int emit_pe(const mp_rtl_cfg *cfg, mp_rtl_out *out, const mp_int_pe *ip,
                   int p_bits, int edge, mp_int_product_fn product,
                   const char *comment, char *name, mp_diag *d)
{
    mp_rtl_leaf_name(out, name, "pe");
    (void)cfg;
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name, comment, d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    mp_vline(&m, "input  wire clk,");
    if (edge)
        mp_vline(&m, "input  wire rst_n,");
    mp_vline(&m, "input  wire [%d:0] x,", ip->x_bits - 1);
    mp_vline(&m, "input  wire v,       // x, w are operand pair k");
    mp_vline(&m, "input  wire f,       // k starts a new sum");
    if (edge)
        mp_vline(&m, "input  wire l,       // k ends a group");
    mp_vline(&m, "input  wire [%d:0] w,", ip->w_bits - 1);
    if (edge) {
        mp_vline(&m, "output reg  [%d:0] p,", p_bits - 1);
        mp_vline(&m, "output reg  gdone    // p holds a finished group sum");
    } else {
        mp_vline(&m, "output reg  [%d:0] p", p_bits - 1);
    }
    mp_vclose(&m, ");");
    m.indent++;
    product(&m, ip);
    char ext[128];
    if (p_bits > ip->prod_bits)
        snprintf(ext, sizeof ext, "{{%d{prod[%d]}}, prod}",
                 p_bits - ip->prod_bits, ip->prod_bits - 1);
    else
        snprintf(ext, sizeof ext, "prod");
    mp_vline(&m, "always @(posedge clk) if (v) p <= (f ? %d'd0 : p) + %s;",
             p_bits, ext);
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
    int64_t xlo, xhi, plo, phi;
    value_range(cfg, &xlo, &xhi, &plo, &phi);
    int edge = uses_edge(cfg);
    int64_t span = edge && info->group ? info->group : cfg->k_max;
    mp_int_pe ip = {.x_bits = mp_act_bits(cfg->pe.act)};
    mp_top_wcode(cfg->pe.wfmt, &ip.w_bits, &ip.w_signed);
    ip.prod_bits = mp_sbits_for(plo, phi);
    if (ip.prod_bits < ip.x_bits)
        ip.prod_bits = ip.x_bits;
    int p_bits = mp_sbits_for(plo * span, phi * span);
    if (p_bits < ip.prod_bits)
        p_bits = ip.prod_bits;
    mp_os_spec spec = {
        .x_bits = ip.x_bits,
        .w_bits = ip.w_bits,
        .p_bits = p_bits,
        .group_edge = edge,
        .out_fmt = {8, 23},
        .out_int_bits = 32,
    };
    if (info->arith.out_acc == MP_ACC_FP16)
        spec.out_fmt = (mp_fpf){5, 10};
    if (emit_pe(cfg, out, &ip, p_bits, edge, product, pe_comment,
                spec.pe_module, d))
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
