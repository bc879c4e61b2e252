/*
 * int8_mac.c - Verilog for the INT8 MAC baseline (pe_models/int8_mac.c):
 * an output-stationary array of multiply-accumulate PEs, one exact
 * INT8 x code product per cycle into an integer group sum; scales and zero
 * points applied once per group by the shared dequant edge units
 * (int_pe.h, dequant_unit.h).
 */
#include <stdio.h>
#include "rtl_gen/int_pe.h"

/* prod = x * w with a multiplier: both operands extended to the product
 * width, whose low bits are the exact two's complement product. */
static void mac_product(mp_vmod *m, const mp_int_pe *pe)
{
    int pb = pe->prod_bits;
    char xe[96], we[96];
    if (pb > pe->x_bits)
        snprintf(xe, sizeof xe, "{{%d{%s[%d]}}, %s}", pb - pe->x_bits,
                 pe->x_name, pe->x_bits - 1, pe->x_name);
    else
        snprintf(xe, sizeof xe, "%s", pe->x_name);
    if (pb == pe->w_bits)
        snprintf(we, sizeof we, "w");
    else if (pe->w_signed)
        snprintf(we, sizeof we, "{{%d{w[%d]}}, w}", pb - pe->w_bits,
                 pe->w_bits - 1);
    else
        snprintf(we, sizeof we, "{%d'd0, w}", pb - pe->w_bits);
    mp_vline(m, "wire [%d:0] prod = %s * %s;  // multiplier", pb - 1, xe, we);
}

static int mac_check(const mp_rtl_cfg *cfg, mp_rtl_info *info, mp_diag *d)
{
    return mp_int_os_check(cfg, info, d);
}

static int mac_emit(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                    mp_rtl_out *out, mp_diag *d)
{
    return mp_int_os_emit(cfg, info, out, mac_product,
                          "INT8 MAC PE: p += x * w (exact integer)", d);
}

const mp_rtl_ops mp_rtl_int8_mac_ops = {
    .family = "int8-mac",
    .check = mac_check,
    .emit = mac_emit,
    .cycles = mp_int_os_cycles,
};
