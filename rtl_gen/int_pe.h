/*
 * int_pe.h - what the integer output-stationary families (INT8 MAC, MixPE
 * with integer activations) share: the PE shell (operands, valid/first/last
 * handling, the exact integer sum, gdone), the widths derived from the
 * formats, and the top (top_common.h) with dequant edge units.
 *
 * A family supplies only how the PE forms the product q*x: a function that
 * emits `wire [prod_bits-1:0] prod = ...;` from the operand x_name
 * (x_bits, signed) and w (w_bits, signed or unsigned codes).  FP16
 * activations (MixPE W4A16): the operand is the signed 11-bit significand
 * and the shell aligns the product once by the exponent onto the grid
 * 2^-24, so group sums are exact fixed point (golden MP_ACC_FIXED, 24).  The product
 * and every sum are exact (two's complement of a width that holds every
 * value the formats allow), so the RTL equals golden MP_ACC_INT paths.
 *
 * Cycles (docs/rtl.md): rtl_cycles = K + R + C - 2 for integer output
 * without zero points, K + R + C - 1 with the dequant edge units.
 */
#ifndef MP_RTL_INT_PE_H
#define MP_RTL_INT_PE_H

#include "rtl_gen/rtl.h"

typedef struct mp_int_pe {
    const char *x_name; /* the integer operand: "x", or the signed FP16
                           significand "xg_sv" (FP16 activations)       */
    int x_bits;
    int w_bits, w_signed;
    int prod_bits;
} mp_int_pe;

typedef void (*mp_int_product_fn)(mp_vmod *m, const mp_int_pe *pe);

/* check(): the activations the PE model accepts (its ops->acts, checked
 * before this), if integer or FP16; group sums within 64 bits, integer
 * output within int32. */
int mp_int_os_check(const mp_rtl_cfg *cfg, mp_rtl_info *info, mp_diag *d);
/* emit(): the PE (module <top>_pe) with the family's product, the top. */
int mp_int_os_emit(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                   mp_rtl_out *out, mp_int_product_fn product,
                   const char *pe_comment, mp_diag *d);
int64_t mp_int_os_cycles(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                         int k);

#endif
