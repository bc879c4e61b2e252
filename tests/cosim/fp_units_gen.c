/*
 * fp_units_gen.c - emit the FP units of rtl_gen/fp_units.h plus a wrapper
 * module `fpt_top` exposing each one on narrow ports, for the Verilator test
 * tests/cosim/fp_units_tb.cpp (driven by tests/cli/test_fp_units.sh).
 *
 *   usage: fp_units_gen DIR     (DIR exists; writes *.v and files.f)
 */
#include <stdio.h>
#include "rtl_gen/emit.h"
#include "rtl_gen/fp_units.h"

static const mp_fpf fp32 = {8, 23}, fp16 = {5, 10}, bf16 = {8, 7};
static const mp_fpf e4m3 = {4, 3, 1}, e5m2 = {5, 2, 0};

/* The units under test: the name of each instance and its ports. */
typedef struct unit {
    char name[MP_RTL_NAME_MAX];
} unit;

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: fp_units_gen DIR\n");
        return 2;
    }
    mp_rtl_out out;
    mp_diag d;
    unit add32, add16, addb16, mul32, mul16, mul1632, mi32, mi16, mi32f, conv;
    unit addm16, addm32, mulbb, fromi32, fromi16;
    unit conv8a, conv8b, addsh16, addz32, mulh, grid16, gridb, addm8, fromi8;
    static const mp_fpf wide_prod = {9, 15}; /* exact BF16 x BF16 products */
    if (mp_rtl_out_init(&out, argv[1], "fpt", &d) ||
        mp_fp_emit_add(&out, fp32, add32.name, &d) ||
        mp_fp_emit_add(&out, fp16, add16.name, &d) ||
        mp_fp_emit_add(&out, bf16, addb16.name, &d) ||
        mp_fp_emit_mul(&out, fp32, fp32, fp32, mul32.name, &d) ||
        mp_fp_emit_mul(&out, fp16, fp16, fp32, mul16.name, &d) ||
        mp_fp_emit_mul(&out, fp16, fp32, fp16, mul1632.name, &d) ||
        mp_fp_emit_mul_int(&out, fp32, 40, 0, fp32, mi32.name, &d) ||
        mp_fp_emit_mul_int(&out, fp32, 9, 0, fp16, mi16.name, &d) ||
        mp_fp_emit_mul_int(&out, fp32, 40, 12, fp32, mi32f.name, &d) ||
        mp_fp_emit_conv(&out, fp16, fp32, conv.name, &d) ||
        mp_fp_emit_add_mixed(&out, fp16, fp32, fp16, addm16.name, &d) ||
        mp_fp_emit_mul(&out, bf16, bf16, wide_prod, mulbb.name, &d) ||
        mp_fp_emit_add_mixed(&out, fp32, wide_prod, fp32, addm32.name, &d) ||
        mp_fp_emit_from_int(&out, 40, 0, fp32, fromi32.name, &d) ||
        mp_fp_emit_from_int(&out, 40, 30, fp16, fromi16.name, &d) ||
        mp_fp_emit_conv(&out, fp16, e4m3, conv8a.name, &d) ||
        mp_fp_emit_conv(&out, fp16, e5m2, conv8b.name, &d) ||
        mp_fp_emit_add_shift(&out, fp16, fp16, fp16, 2, addsh16.name, &d) ||
        mp_fp_emit_add_zmul(&out, fp32, fp32, 5, fp32, addz32.name, &d) ||
        mp_fp_emit_mul_shift(&out, fp32, bf16, fp32, 1, mulh.name, &d) ||
        mp_fp_emit_to_grid(&out, fp16, 24, 42, grid16.name, &d) ||
        mp_fp_emit_to_grid(&out, bf16, 0, 12, gridb.name, &d) ||
        mp_fp_emit_add_mixed(&out, fp32, e4m3, fp32, addm8.name, &d) ||
        mp_fp_emit_from_int(&out, 10, 0, e4m3, fromi8.name, &d))
        goto fail;
    mp_vmod m;
    if (mp_vmod_begin(&m, &out, "fpt_top", "FP unit test wrapper", &d) < 0)
        goto fail;
    mp_vopen(&m, "module fpt_top (");
    mp_vline(&m, "input  wire [31:0] a32,");
    mp_vline(&m, "input  wire [31:0] b32,");
    mp_vline(&m, "input  wire [15:0] a16,");
    mp_vline(&m, "input  wire [15:0] b16,");
    mp_vline(&m, "input  wire [39:0] r40,");
    mp_vline(&m, "input  wire [8:0] r9,");
    mp_vline(&m, "input  wire [7:0] a8,");
    mp_vline(&m, "input  wire [9:0] r10,");
    mp_vline(&m, "input  wire [4:0] z5,");
    mp_vline(&m, "input  wire [1:0] sh2,");
    mp_vline(&m, "output wire [7:0] y_conv8a,");
    mp_vline(&m, "output wire [7:0] y_conv8b,");
    mp_vline(&m, "output wire [15:0] y_addsh16,");
    mp_vline(&m, "output wire [31:0] y_addz32,");
    mp_vline(&m, "output wire [31:0] y_mulh,");
    mp_vline(&m, "output wire [41:0] y_grid16,");
    mp_vline(&m, "output wire [11:0] y_gridb,");
    mp_vline(&m, "output wire [31:0] y_addm8,");
    mp_vline(&m, "output wire [7:0] y_fromi8,");
    mp_vline(&m, "output wire [31:0] y_add32,");
    mp_vline(&m, "output wire [15:0] y_add16,");
    mp_vline(&m, "output wire [15:0] y_addb16,");
    mp_vline(&m, "output wire [31:0] y_mul32,");
    mp_vline(&m, "output wire [31:0] y_mul16,");
    mp_vline(&m, "output wire [15:0] y_mul1632,");
    mp_vline(&m, "output wire [31:0] y_mi32,");
    mp_vline(&m, "output wire [15:0] y_mi16,");
    mp_vline(&m, "output wire [31:0] y_mi32f,");
    mp_vline(&m, "output wire [31:0] y_conv,");
    mp_vline(&m, "output wire [15:0] y_addm16,");
    mp_vline(&m, "output wire [31:0] y_addm32,");
    mp_vline(&m, "output wire [31:0] y_fromi32,");
    mp_vline(&m, "output wire [15:0] y_fromi16");
    mp_vclose(&m, ");");
    m.indent++;
    mp_vline(&m, "%s u_add32 (.a(a32), .b(b32), .y(y_add32));", add32.name);
    mp_vline(&m, "%s u_add16 (.a(a16), .b(b16), .y(y_add16));", add16.name);
    mp_vline(&m, "%s u_addb16 (.a(a32[31:16]), .b(b32[31:16]), .y(y_addb16));",
             addb16.name);
    mp_vline(&m, "%s u_mul32 (.a(a32), .b(b32), .y(y_mul32));", mul32.name);
    mp_vline(&m, "%s u_mul16 (.a(a16), .b(b16), .y(y_mul16));", mul16.name);
    mp_vline(&m, "%s u_mul1632 (.a(a16), .b(b32), .y(y_mul1632));",
             mul1632.name);
    mp_vline(&m, "%s u_mi32 (.s(a32), .r(r40), .y(y_mi32));", mi32.name);
    mp_vline(&m, "%s u_mi16 (.s(b32), .r(r9), .y(y_mi16));", mi16.name);
    mp_vline(&m, "%s u_mi32f (.s(b32), .r(r40), .y(y_mi32f));", mi32f.name);
    mp_vline(&m, "%s u_conv (.a(a16), .y(y_conv));", conv.name);
    /* fused FP16 MAC step: a16 + (exact FP32 product b32) -> FP16 */
    mp_vline(&m, "%s u_addm16 (.a(a16), .b(b32), .y(y_addm16));", addm16.name);
    /* fused BF16 MAC step into FP32: a32 + bf16(a32[31:16]) * bf16(b32[15:0]) */
    mp_vline(&m, "wire [24:0] prod_bb;");
    mp_vline(&m, "%s u_mulbb (.a(a32[31:16]), .b(b32[15:0]), .y(prod_bb));", mulbb.name);
    mp_vline(&m, "%s u_addm32 (.a(a32), .b(prod_bb), .y(y_addm32));", addm32.name);
    mp_vline(&m, "%s u_fromi32 (.r(r40), .y(y_fromi32));", fromi32.name);
    mp_vline(&m, "%s u_fromi16 (.r(r40), .y(y_fromi16));", fromi16.name);
    mp_vline(&m, "%s u_conv8a (.a(a16), .y(y_conv8a));", conv8a.name);
    mp_vline(&m, "%s u_conv8b (.a(b16), .y(y_conv8b));", conv8b.name);
    mp_vline(&m, "%s u_addsh16 (.a(a16), .b(b16), .sh(sh2), .y(y_addsh16));",
             addsh16.name);
    mp_vline(&m, "%s u_addz32 (.a(a32), .b(b32), .z(z5), .y(y_addz32));",
             addz32.name);
    mp_vline(&m, "%s u_mulh (.a(a32), .b(b32[31:16]), .y(y_mulh));", mulh.name);
    mp_vline(&m, "%s u_grid16 (.a(a16), .y(y_grid16));", grid16.name);
    mp_vline(&m, "%s u_gridb (.a(b32[31:16]), .y(y_gridb));", gridb.name);
    mp_vline(&m, "%s u_addm8 (.a(a32), .b(a8), .y(y_addm8));", addm8.name);
    mp_vline(&m, "%s u_fromi8 (.r(r10), .y(y_fromi8));",
             fromi8.name);
    mp_vclose(&m, "endmodule");
    if (mp_vmod_end(&m, &d) || mp_rtl_write_files_f(&out, &d))
        goto fail;
    return 0;
fail:
    mp_rtl_out_abort(&out);
    mp_diag_print(&d, stderr);
    return 1;
}
