/*
 * fp16_mac.c - Verilog for the FP16 MAC dequantize-first baseline
 * (pe_models/fp16_mac.c): weights are dequantized on their way into the
 * array, one unit per column, w = round_fp16(s * (q - z)) (top_common.h
 * w_dequant); each PE multiplies FP16 x FP16 exactly (a 22-bit significand
 * always fits FP32, so the product is exact in FP32 and "fused" and
 * "unfused" coincide) and accumulates acc = round_fp32(acc + x*w), K
 * ascending from +0, as golden gemm_per_weight().  The per-token scale is
 * applied at the read port.
 */
#include "rtl_gen/top_common.h"

static const mp_fpf fp16 = {5, 10}, fp32 = {8, 23};

static int fp_rtl_check(const mp_rtl_cfg *cfg, mp_rtl_info *info, mp_diag *d)
{
    if (cfg->pe.act != MP_ACT_FP16)
        return mp_fail(d, MP_CMDLINE, 0, "act",
                       "fp16-mac RTL is generated for fp16 activations only, "
                       "got %s", mp_act_name(cfg->pe.act));
    if (!cfg->has_scales)
        return mp_fail(d, MP_CMDLINE, 0, "scales",
                       "fp16-mac needs weight scales (float activations give "
                       "float output)");
    if (info->arith.out_acc != MP_ACC_FP32)
        return mp_fail(d, MP_CMDLINE, 0, "acc",
                       "fp16-mac RTL accumulates in fp32 only");
    return 0;
}

static int emit_pe(mp_rtl_out *out, char *name, mp_diag *d)
{
    char mul[MP_RTL_NAME_MAX], add[MP_RTL_NAME_MAX];
    if (mp_fp_emit_mul(out, fp16, fp16, fp32, mul, d) ||
        mp_fp_emit_add(out, fp32, add, d))
        return -1;
    mp_rtl_leaf_name(out, name, "pe");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "FP16 MAC PE: p = round_fp32(p + x*w), the FP16 "
                           "product exact", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    mp_vline(&m, "input  wire clk,");
    mp_vline(&m, "input  wire [15:0] x,");
    mp_vline(&m, "input  wire v,       // x, w are operand pair k");
    mp_vline(&m, "input  wire f,       // k == 0: start from +0");
    mp_vline(&m, "input  wire [15:0] w,");
    mp_vline(&m, "output reg  [31:0] p");
    mp_vclose(&m, ");");
    m.indent++;
    mp_vline(&m, "wire [31:0] prod;");
    mp_vline(&m, "wire [31:0] acc_in = f ? 32'd0 : p;");
    mp_vline(&m, "wire [31:0] sum;");
    mp_vline(&m, "%s u_mul (.a(x), .b(w), .y(prod));", mul);
    mp_vline(&m, "%s u_add (.a(acc_in), .b(prod), .y(sum));", add);
    mp_vline(&m, "always @(posedge clk) if (v) p <= sum;");
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

static mp_os_spec fp_spec(void)
{
    mp_os_spec spec = {
        .x_bits = 16,
        .w_bits = 16,
        .p_bits = 32,
        .w_dequant = 1,
        .w_fmt = fp16,
        .out_fmt = fp32,
    };
    return spec;
}

static int fp_emit(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                   mp_rtl_out *out, mp_diag *d)
{
    mp_os_spec spec = fp_spec();
    if (emit_pe(out, spec.pe_module, d))
        return -1;
    return mp_top_emit_os(cfg, info, &spec, out, d);
}

static int64_t fp_cycles(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                         int k)
{
    (void)info;
    mp_os_spec spec = fp_spec();
    return mp_top_os_cycles(cfg, &spec, k);
}

const mp_rtl_ops mp_rtl_fp16_mac_ops = {
    .family = "fp16-mac",
    .check = fp_rtl_check,
    .emit = fp_emit,
    .cycles = fp_cycles,
};
