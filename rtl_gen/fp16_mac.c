/*
 * fp16_mac.c - Verilog for the FP16 MAC dequantize-first baseline
 * (pe_models/fp16_mac.c): weights are dequantized on their way into the
 * array, one unit per column, w = round_act(s * (q - z)) (top_common.h
 * w_dequant, weights in the activation format); each PE forms the exact
 * product x*w (FP16 x FP16 fits FP32; BF16 x BF16 needs a 9-bit exponent,
 * carried as e9m15) and accumulates fused, acc = round_acc(acc + x*w) with
 * one rounding, K ascending from +0, as golden gemm_per_weight().  The
 * accumulator is FP32 or FP16 (the PE's acc knob).  fma_stages 2
 * registers the exact product (with v and f) before the accumulation:
 * the same bits one cycle later (docs/rtl.md, fp16-mac).  The per-token
 * scale is applied at the read port.  FP16 weights (no scales) skip the
 * dequant units: the W buffer holds their patterns and feeds the array
 * directly.
 */
#include "rtl_gen/top_common.h"

static const mp_fpf fp16 = {5, 10}, bf16 = {8, 7}, fp32 = {8, 23};
static const mp_fpf bf16_prod = {9, 15}; /* every BF16 x BF16 product */

/* The formats of one configuration. */
typedef struct fp_fmts {
    mp_fpf act, prod, acc;
    int fp16_weights; /* weights are FP16 values, not codes */
} fp_fmts;

static fp_fmts fmts_of(const mp_rtl_cfg *cfg, const mp_rtl_info *info)
{
    fp_fmts f;
    f.act = cfg->pe.act == MP_ACT_BF16 ? bf16 : fp16;
    f.prod = cfg->pe.act == MP_ACT_BF16 ? bf16_prod : fp32;
    f.acc = info->arith.out_acc == MP_ACC_FP16 ? fp16 : fp32;
    f.fp16_weights = mp_wfmt_is_float(cfg->pe.wfmt);
    return f;
}

static int fp_rtl_check(const mp_rtl_cfg *cfg, mp_rtl_info *info, mp_diag *d)
{
    if (cfg->pe.act != MP_ACT_FP16 && cfg->pe.act != MP_ACT_BF16)
        return mp_fail(d, MP_CMDLINE, 0, "act",
                       "fp16-mac RTL is generated for fp16 and bf16 "
                       "activations, not %s", mp_act_name(cfg->pe.act));
    if (!mp_rtl_float_out(cfg))
        return mp_fail(d, MP_CMDLINE, 0, "scales",
                       "fp16-mac needs weight scales (float activations give "
                       "float output)");
    if ((info->arith.out_acc != MP_ACC_FP32 &&
         info->arith.out_acc != MP_ACC_FP16) || !info->arith.fused ||
        info->arith.weight_fmt != cfg->pe.act)
        return mp_fail(d, MP_CMDLINE, 0, "acc",
                       "fp16-mac RTL accumulates fused in fp32 or fp16 with "
                       "weights in the activation format");
    return 0;
}

static int emit_pe(mp_rtl_out *out, const fp_fmts *f, int stages,
                   char *name, mp_diag *d)
{
    char mul[MP_RTL_NAME_MAX], add[MP_RTL_NAME_MAX];
    int ab = mp_fpf_bits(f->acc), xb = mp_fpf_bits(f->act);
    if (mp_fp_emit_mul(out, f->act, f->act, f->prod, mul, d) ||
        mp_fp_emit_add_mixed(out, f->acc, f->prod, f->acc, add, d))
        return -1;
    mp_rtl_leaf_name(out, name, "pe");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "FP MAC PE: p = round(p + x*w), the product exact, "
                           "one rounding per step (fused)", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    mp_vline(&m, "input  wire clk,");
    mp_vline(&m, "input  wire [%d:0] x,", xb - 1);
    mp_vline(&m, "input  wire v,       // x, w are operand pair k");
    mp_vline(&m, "input  wire f,       // k == 0: start from +0");
    mp_vline(&m, "input  wire [%d:0] w,", xb - 1);
    mp_vline(&m, "output reg  [%d:0] p", ab - 1);
    mp_vclose(&m, ");");
    m.indent++;
    int pb = mp_fpf_bits(f->prod);
    mp_vline(&m, "wire [%d:0] prod;", pb - 1);
    const char *pv = "v", *pf = "f", *pp = "prod";
    if (stages > 1) {
        mp_vline(&m, "%s u_mul (.a(x), .b(w), .y(prod));", mul);
        mp_vline(&m, "// stage register: the exact product and its flags");
        mp_vline(&m, "reg  [%d:0] prod_q;", pb - 1);
        mp_vline(&m, "reg  v_q, f_q;");
        mp_vopen(&m, "always @(posedge clk) begin");
        mp_vline(&m, "prod_q <= prod;");
        mp_vline(&m, "v_q <= v;");
        mp_vline(&m, "f_q <= f;");
        mp_vclose(&m, "end");
        pv = "v_q", pf = "f_q", pp = "prod_q";
    }
    mp_vline(&m, "wire [%d:0] acc_in = %s ? %d'd0 : p;", ab - 1, pf, ab);
    mp_vline(&m, "wire [%d:0] sum;", ab - 1);
    if (stages <= 1)
        mp_vline(&m, "%s u_mul (.a(x), .b(w), .y(prod));", mul);
    mp_vline(&m, "%s u_add (.a(acc_in), .b(%s), .y(sum));", add, pp);
    mp_vline(&m, "always @(posedge clk) if (%s) p <= sum;", pv);
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

static mp_os_spec fp_spec(const mp_rtl_cfg *cfg, const fp_fmts *f)
{
    mp_os_spec spec = {
        .pe_stages = cfg->pe.fma_stages > 1 ? cfg->pe.fma_stages - 1 : 0,
        .x_bits = mp_fpf_bits(f->act),
        .w_bits = mp_fpf_bits(f->act),
        .p_bits = mp_fpf_bits(f->acc),
        .w_dequant = !f->fp16_weights, /* FP16 weights: no unit */
        .w_fmt = f->act,
        .out_fmt = f->acc,
    };
    return spec;
}

static int fp_emit(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                   mp_rtl_out *out, mp_diag *d)
{
    fp_fmts f = fmts_of(cfg, info);
    mp_os_spec spec = fp_spec(cfg, &f);
    if (emit_pe(out, &f, cfg->pe.fma_stages, spec.pe_module, d))
        return -1;
    return mp_top_emit_os(cfg, info, &spec, out, d);
}

static int64_t fp_cycles(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                         int k)
{
    fp_fmts f = fmts_of(cfg, info);
    mp_os_spec spec = fp_spec(cfg, &f);
    return mp_top_os_cycles(cfg, &spec, k);
}

const mp_rtl_ops mp_rtl_fp16_mac_ops = {
    .family = "fp16-mac",
    .check = fp_rtl_check,
    .emit = fp_emit,
    .cycles = fp_cycles,
};
