/*
 * fp16_mac.c - FP16 MAC with dequantize-before-MAC (W4A16 on a GPU-like
 * tensor core): the baseline every W4A16 kernel is.
 *
 * The edge dequant unit turns each weight code into an FP16 weight once per
 * weight-tile load, w = round_fp16(s * (q - z)) (one rounding of the exact
 * product), and the PE multiplies FP16 x FP16 exactly and adds into an FP32
 * accumulator with one rounding per add (tensor-core style, fused), K
 * ascending.  BF16 activations work the same way with BF16 weights.
 *
 * FP16 weights (`weights: fp16`, the plain FP16 GEMM of a GPU tensor core)
 * enter the PE as they are: no scale, no zero point, no dequant unit, 16
 * bits each in DRAM and buffers; they need FP16 activations.
 */
#include "pe_models/pe_common.h"

#include <stdlib.h>

#define FAMILY "fp16-mac"
extern const mp_pe_ops mp_pe_fp16_mac_ops; /* below; registry.c lists it */
#define DEFAULT_CLOCK_HZ 500e6 /* MixPE artifact */

static const mp_act_fmt acts[] = {MP_ACT_FP16, MP_ACT_BF16, MP_ACT_COUNT};
/* dequant_stages: no group edge (the weight dequant unit sits on the
 * feeding path) */
static const char *const unused[] = {"tile", "table_fmt", "table_fused",
                                     "chain_len", "pack_products",
                                     "dequant_stages", NULL};

/* FP16 weights: FP16 x FP16 products, nothing to dequantize; no scales,
 * so no groups either (group_size becomes 0, per channel: nothing a
 * group size could split). */
static int check_fp16_weights(mp_pe_params *p, mp_diag *d)
{
    if (mp_wfmt_check(p->wfmt, MP_CMDLINE, "wbits", d))
        return -1;
    if (p->act != MP_ACT_FP16)
        return mp_fail(d, MP_CMDLINE, 0, "act",
                       "fp16-mac runs fp16 weights with fp16 activations, "
                       "not %s", mp_act_name(p->act));
    if (p->has_zeros)
        return mp_fail(d, MP_CMDLINE, 0, "zeros",
                       "fp16 weights have no zero points");
    p->group_size = 0;
    return 0;
}

static int fp_check(mp_pe_params *p, mp_diag *d)
{
    /* formats first: an integer-activation arch (e.g. a sweep over
     * families from a pipelined MixPE preset) is refused for its format,
     * the more basic mismatch, before any knob fp16-mac lacks */
    if (mp_pe_check_common(FAMILY, p, 0, d) ||
        mp_pe_check_act(FAMILY, p->act, acts, d) ||
        (mp_wfmt_is_float(p->wfmt) ? check_fp16_weights(p, d)
                                   : mp_pe_check_wfmt(FAMILY, p->wfmt, 1, 8,
                                                      8, 1, d)) ||
        mp_pe_check_unused(FAMILY, p, unused, d))
        return -1;
    if (p->acc != MP_ACC_INT && p->acc != MP_ACC_FP32 &&
        p->acc != MP_ACC_FP16)
        return mp_fail(d, MP_CMDLINE, 0, "acc",
                       "fp16-mac accumulates in fp32 (default) or fp16, not "
                       "%s", mp_acc_fmt_name(p->acc));
    if (p->acc == MP_ACC_INT)
        p->acc = MP_ACC_FP32;
    if (p->clock_hz == 0)
        p->clock_hz = DEFAULT_CLOCK_HZ;
    return 0;
}

static void fp_arith(const mp_pe_params *p, mp_arith *out)
{
    *out = (mp_arith){
        .dequant = MP_DEQ_PER_WEIGHT,
        .group_acc = MP_ACC_FP32,
        .out_acc = p->acc == MP_ACC_FP16 ? MP_ACC_FP16 : MP_ACC_FP32,
        .weight_fmt = p->act, /* weights dequantized to the activation
                                 format (FP16 weights: already FP16) */
        .order = MP_ORDER_K_ASCENDING,
        .table_fmt = MP_ACT_FP16,
        .fused = 1,
    };
}

/* The edge unit: one FP weight per code, rounded once (an FP16 weight is
 * its value: no unit). */
static void dequant_weights(const mp_gemm_in *in, const mp_arith *ar,
                            double *w)
{
    for (int k = 0; k < in->k; k++)
        for (int n = 0; n < in->n; n++) {
            size_t at = (size_t)(k / in->group_size) * in->n + n;
            int64_t zero = in->zeros ? in->zeros[at] : 0;
            double v = mp_wcode_weight(in->wfmt, mp_pe_code(in, k, n)) -
                       (double)zero;
            w[(size_t)k * in->n + n] =
                in->scales ? mp_round_to(ar->weight_fmt,
                                         (double)in->scales[at] * v)
                           : v;
        }
}

/* The PE: exact FP16 x FP16 product, fused FP32 accumulate. */
static double mac_column(const mp_gemm_in *in, const mp_arith *ar,
                         const double *w, int m, int n)
{
    mp_act_fmt acc_fmt = mp_acc_float_fmt(ar->out_acc);
    const double *x = in->x + (size_t)m * in->k;
    int integer = mp_gemm_int_output(in);
    double acc = 0.0;
    int64_t total = 0;
    for (int k = 0; k < in->k; k++) {
        double product = w[(size_t)k * in->n + n] * x[k];
        if (integer)
            total += (int64_t)product;
        else
            acc = mp_round_sum(acc_fmt, acc, product);
    }
    if (integer)
        return (double)total;
    if (in->act_scale)
        acc = mp_round_to(acc_fmt, acc * (double)in->act_scale[m]);
    return acc;
}

static int fp_compute(const mp_pe_params *p, const mp_gemm_in *in, double *y,
                      mp_diag *d)
{
    mp_pe_params local = *p;
    if (fp_check(&local, d))
        return -1;
    mp_arith ar;
    mp_pe_arith_for(&mp_pe_fp16_mac_ops, &local, in, &ar);
    if (mp_pe_check_input(&local, in, &ar, d))
        return -1;
    double *w = malloc((size_t)in->k * in->n * sizeof *w);
    if (!w)
        return mp_fail(d, "<memory>", 0, "gemm", "out of memory");
    dequant_weights(in, &ar, w);
    for (int m = 0; m < in->m; m++)
        for (int n = 0; n < in->n; n++)
            y[(size_t)m * in->n + n] = mac_column(in, &ar, w, m, n);
    free(w);
    return 0;
}

static void fp_timing(const mp_pe_params *p, mp_pe_timing *out)
{
    /* systolic, as the generated RTL: the fused multiply-add is one
     * cycle (fma_stages 2: the exact product is registered first, one
     * more) and the weight dequant unit is combinational on the feeding
     * path, so a fold is K + fma_stages - 1 + R + C - 2 (docs/rtl.md,
     * fp16-mac) */
    *out = (mp_pe_timing){.tile_m = 1, .tile_n = 1, .tile_k = 1,
                          .cycles_per_tile = 1,
                          .pipeline_depth = p->fma_stages > 1
                                                ? p->fma_stages - 1
                                                : 0,
                          .density = 1.0};
}

/* FP16 multiplier, FP32 (or FP16) adder, operand and accumulator
 * registers (fma_stages 2 adds the product register: exact FP32 product
 * and the v, f flags, rtl_gen/fp16_mac.c); on an FPGA the same parts
 * (docs/model.md section 5). */
static int fp_cost(const mp_pe_params *p, const mp_tech *t, mp_pe_cost *out,
                   mp_diag *d)
{
    mp_prims pr;
    if (mp_prims_load(t, &pr, d))
        return -1;
    int acc_bits = p->acc == MP_ACC_FP16 ? 16 : 32;
    mp_parts c = {0, 0};
    mp_parts_fp_mult(&c, &pr, 1, 16);
    mp_parts_fp_add(&c, &pr, 1, acc_bits);
    mp_parts_reg(&c, &pr, 1, 16 + 16 + acc_bits);
    if (p->fma_stages > 1)
        mp_parts_reg(&c, &pr, 1, 32 + 2);
    mp_parts_to_cost(&c, &pr, 1,
                     p->clock_hz > 0 ? p->clock_hz : DEFAULT_CLOCK_HZ, out);
    return 0;
}

/* The weight dequant unit: each weight once per load of its tile, i.e.
 * K*N per pass over M (ceil(M / rows) passes for an array of `rows`). */
static int fp_edge(const mp_pe_params *p, const mp_tech *t,
                   const mp_gemm_shape *s, int rows, int cols,
                   mp_edge_cost *out, mp_diag *d)
{
    mp_prims pr;
    if (mp_pe_check_shape(p, s, rows, cols, d) ||
        mp_prims_load(t, &pr, d))
        return -1;
    if (mp_wfmt_is_float(p->wfmt))
        return 0; /* FP16 weights enter the array as they are */
    double passes = (double)((s->m + rows - 1) / rows);
    double units = p->edge_units > 0 ? p->edge_units : cols;
    mp_parts c = {0, 0};
    int bits = mp_pe_code_bits(p->wfmt);
    if (p->has_zeros)
        mp_parts_adder(&c, &pr, 1, bits + 1); /* q - z        */
    mp_parts_fp_add(&c, &pr, 1, 16);          /* int -> fp16  */
    mp_parts_fp_mult(&c, &pr, 1, 16);         /* s * (q - z)  */
    mp_parts_reg(&c, &pr, 1, 16 + bits);
    mp_edge_set(&out[0], "weight_dequant", (double)s->k * (double)s->n * passes,
                units, c.pj, 1);
    mp_parts_to_edge(&out[0], &c, units);
    return 1;
}

const mp_pe_ops mp_pe_fp16_mac_ops = {
    .name = FAMILY,
    .summary = "FP16 MAC, weights dequantized before the MAC (GPU W4A16 path)",
    .acts = acts,
    .check = fp_check,
    .arith = fp_arith,
    .compute = fp_compute,
    .timing = fp_timing,
    .cost = fp_cost,
    .edge = fp_edge,
};
