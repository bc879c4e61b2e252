/*
 * mixpe.c - Verilog for MixPE (pe_models/mixpe.c, arXiv 2411.16158): an
 * output-stationary array of shift&add PEs.  The product of a B-bit code
 * and an INT8 activation is sum_i w_i * (x << i), the MSB term subtracted
 * for two's complement codes: B shifted copies of x gated by the weight
 * bits and one adder tree, no multiplier.  Group sums stay integers in the
 * PE and are dequantized once per group by the shared edge units
 * (int_pe.h, dequant_unit.h).  FP16 activations (W4A16): the same shift&add
 * on the signed 11-bit significand, one alignment by the exponent into an
 * exact fixed-point (2^-24) group sum (int_pe.h).
 */
#include <stdio.h>
#include "rtl_gen/int_pe.h"

static void shift_add_product(mp_vmod *m, const mp_int_pe *pe)
{
    int pb = pe->prod_bits, bits = pe->w_bits;
    const char *x = pe->x_name;
    if (pb > pe->x_bits)
        mp_vline(m, "wire [%d:0] xs = {{%d{%s[%d]}}, %s};", pb - 1,
                 pb - pe->x_bits, x, pe->x_bits - 1, x);
    else
        mp_vline(m, "wire [%d:0] xs = %s;", pb - 1, x);
    for (int i = 0; i < bits; i++) {
        if (i == 0)
            mp_vline(m, "wire [%d:0] t0 = {%d{w[0]}} & xs;", pb - 1, pb);
        else
            mp_vline(m, "wire [%d:0] t%d = {%d{w[%d]}} & (xs << %d);", pb - 1,
                     i, pb, i, i);
    }
    /* sum of the terms; the MSB of a two's complement code weighs -2^(B-1) */
    char line[1024];
    int len = snprintf(line, sizeof line, "wire [%d:0] prod = ", pb - 1);
    int msb_neg = pe->w_signed;
    int first = 1;
    for (int i = 0; i < bits; i++) {
        if (i == bits - 1 && msb_neg)
            continue;
        len += snprintf(line + len, sizeof line - (size_t)len, "%st%d",
                        first ? "" : " + ", i);
        first = 0;
    }
    if (msb_neg)
        len += snprintf(line + len, sizeof line - (size_t)len, "%s - t%d",
                        first ? "{%d'd0}" : "", bits - 1);
    snprintf(line + len, sizeof line - (size_t)len, ";  // shift&add");
    if (msb_neg && first) {
        /* a 1-bit signed code: prod = -t0 */
        mp_vline(m, "wire [%d:0] prod = %d'd0 - t0;  // shift&add", pb - 1, pb);
        return;
    }
    mp_vline(m, "%s", line);
}

static int mixpe_rtl_check(const mp_rtl_cfg *cfg, mp_rtl_info *info,
                           mp_diag *d)
{
    return mp_int_os_check(cfg, info, d);
}

static int mixpe_emit(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                      mp_rtl_out *out, mp_diag *d)
{
    return mp_int_os_emit(cfg, info, out, shift_add_product,
                          "MixPE PE: p += sum_i w_i (x << i), MSB "
                          "subtracted (shift&add, exact)", d);
}

const mp_rtl_ops mp_rtl_mixpe_ops = {
    .family = "mixpe",
    .check = mixpe_rtl_check,
    .emit = mixpe_emit,
    .cycles = mp_int_os_cycles,
};
