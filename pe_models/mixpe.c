/*
 * mixpe.c - MixPE (arXiv 2411.16158): shift&add PEs with per-group
 * dequantization at the array edge.
 *
 * Datapath of one PE (output stationary; one MAC per cycle, or
 * pack_products lanes, below):
 *   INT8 activations:  w*a = sum_i w_i (a << i), the MSB term subtracted
 *                      for two's complement codes; the terms go through an
 *                      adder tree into the integer group accumulator.
 *   FP16 activations:  the same shift&add on the 11-bit significand (an
 *                      integer 11 x B product), then one alignment by the
 *                      exponent into a fixed-point group accumulator (grid
 *                      2^-24 holds every FP16 value exactly: golden
 *                      MP_ACC_FIXED, frac_bits 24).
 * At a group boundary the partial sum P leaves the PE; the edge dequant
 * unit does y += s * (P - z*S) once per group (pe_common.c), with S the
 * per-group activation sum shared by every column.
 *
 * Operand packing (pack_products L > 1): the PE's weight operand is P bits
 * wide, P = the activation operand's width (8 for INT8, 16 for FP16), and
 * carries L <= floor(P / B) codes of B bits for L adjacent output columns;
 * L shift&add lanes (own adder tree, aligner and group register each)
 * share the activation, so a PE does 1 x L x 1 MACs per cycle.  This is
 * the MixPE artifact's rule (github.com/yuzhang712/mixpe_simulator,
 * commit 7e0d42c, bitfusion/src/simulator/accelerator.py, get_perf_factor:
 * int(P/p) products per operand dimension); its W4A8 setting is L = 2.
 * 0 or 1: no packing (one lane; the default).
 */
#include "pe_models/pe_common.h"

#define FAMILY "mixpe"
extern const mp_pe_ops mp_pe_mixpe_ops; /* below; registry.c lists it */
#define DEFAULT_CLOCK_HZ 500e6 /* MixPE artifact */

static const mp_act_fmt acts[] = {MP_ACT_INT8, MP_ACT_FP16, MP_ACT_COUNT};
static const char *const unused[] = {"tile", "table_fmt", "table_fused",
                                     "chain_len", "fma_stages", NULL};

/* Lanes of one PE: pack_products, 0 meaning 1. */
static int lanes_of(const mp_pe_params *p)
{
    return p->pack_products > 1 ? p->pack_products : 1;
}

/* The packed codes must fit a weight operand as wide as the activation
 * (the P of the artifact's int(P/p)). */
static int check_pack(const mp_pe_params *p, mp_diag *d)
{
    int bits = mp_pe_code_bits(p->wfmt), width = mp_act_bits(p->act);
    int most = width / bits;
    if (p->pack_products < 0 || p->pack_products > most)
        return mp_fail(d, MP_CMDLINE, 0, "pack_products",
                       "mixpe packs 1..%d %d-bit codes into its %d-bit "
                       "weight operand (%s activations), not %d", most, bits,
                       width, mp_act_name(p->act), p->pack_products);
    return 0;
}

static void mixpe_timing(const mp_pe_params *p, mp_pe_timing *out);

static int mixpe_check(mp_pe_params *p, mp_diag *d)
{
    if (mp_pe_check_common(FAMILY, p, 0, d) ||
        mp_pe_check_unused(FAMILY, p, unused, d) ||
        mp_pe_check_act(FAMILY, p->act, acts, d) ||
        mp_pe_check_wfmt(FAMILY, p->wfmt, 1, 8, 8, 1, d) ||
        check_pack(p, d))
        return -1;
    mp_acc_fmt natural = p->act == MP_ACT_INT8 ? MP_ACC_INT : MP_ACC_FIXED;
    if (p->acc != MP_ACC_INT && p->acc != natural)
        return mp_fail(d, MP_CMDLINE, 0, "acc",
                       "mixpe accumulates a group in %s for %s activations, "
                       "not %s", mp_acc_fmt_name(natural),
                       mp_act_name(p->act), mp_acc_fmt_name(p->acc));
    p->acc = natural;
    mp_pe_timing tm;
    mixpe_timing(p, &tm);
    if (mp_pe_check_dequant_stages(p, &tm, d))
        return -1;
    if (p->clock_hz == 0)
        p->clock_hz = DEFAULT_CLOCK_HZ;
    return 0;
}

static void mixpe_arith(const mp_pe_params *p, mp_arith *out)
{
    mp_pe_arith_group_exact(p, out);
}

/* sum over the code's bits of +-(v << i): the shift&add multiplier. */
static int64_t shift_add(mp_wfmt w, int code, int64_t v)
{
    int bits = mp_pe_code_bits(w);
    int64_t sum = 0;
    for (int i = 0; i < bits; i++) {
        if (!mp_pe_code_bit(w, code, i))
            continue;
        int64_t term = v * ((int64_t)1 << i); /* v << i, sign kept */
        if (i == bits - 1 && mp_pe_msb_negative(w))
            sum -= term;
        else
            sum += term;
    }
    return sum;
}

static void mixpe_group(void *state, const mp_pe_ctx *c, int m, int n, int g,
                        mp_pe_greg *p)
{
    (void)state;
    const mp_gemm_in *in = c->in;
    const double *x = in->x + (size_t)m * in->k;
    for (int k = g * in->group_size; k < (g + 1) * in->group_size; k++) {
        int code = mp_pe_code(in, k, n);
        if (!mp_act_is_float(in->act)) {
            p->exact += shift_add(in->wfmt, code, (int64_t)x[k]);
            continue;
        }
        int neg, exp2;
        int64_t sig;
        mp_pe_fp_fields(in->act, x[k], &neg, &sig, &exp2);
        int64_t product = shift_add(in->wfmt, code, neg ? -sig : sig);
        p->exact += mp_pe_align(product, exp2 + c->frac_bits);
    }
}

static int mixpe_compute(const mp_pe_params *p, const mp_gemm_in *in,
                         double *y, mp_diag *d)
{
    mp_pe_group_model model = {.group = mixpe_group};
    return mp_pe_compute(&mp_pe_mixpe_ops, p, in, &model, y, d);
}

static void mixpe_timing(const mp_pe_params *p, mp_pe_timing *out)
{
    /* systolic, as the generated RTL: the shift&add tree (and the FP
     * aligner) sit before the accumulate in the same cycle, so a fold is
     * K + R + C - 2 plus the dequant edge's drain (docs/rtl.md, mixpe);
     * packed lanes cover adjacent columns in the same cycle */
    *out = (mp_pe_timing){.tile_m = 1, .tile_n = lanes_of(p), .tile_k = 1,
                          .cycles_per_tile = 1, .pipeline_depth = 0,
                          .density = 1.0};
}

/* The same parts price an FPGA PE (docs/model.md section 5).
 * Per lane: B gated copies of the (significand of the) activation, a
 * (B-1)-adder tree, the FP aligner and the group accumulator; registers
 * for the activation, the L codes and the L group sums.  One micro-tile
 * (1 x L x 1) uses every lane once. */
static int mixpe_cost(const mp_pe_params *p, const mp_tech *t,
                      mp_pe_cost *out, mp_diag *d)
{
    mp_prims pr;
    if (mp_prims_load(t, &pr, d))
        return -1;
    mp_arith ar;
    mixpe_arith(p, &ar);
    int bits = mp_pe_code_bits(p->wfmt);
    int lanes = lanes_of(p);
    int operand = 8; /* integer activation, or FP significand */
    mp_parts c = {0, 0};
    if (p->act == MP_ACT_FP16) {
        const mp_float_layout *l = mp_float_layout_of(p->act);
        operand = l->man_bits + 1;
        int exp_range = (1 << l->exp_bits) - 2; /* normal exponents */
        mp_parts_shifter(&c, &pr, lanes, ar.acc_bits, exp_range);
    }
    mp_parts_and(&c, &pr, (double)lanes * bits, operand);
    if (bits > 1)
        mp_parts_adder(&c, &pr, (double)lanes * (bits - 1), operand + bits);
    mp_parts_adder(&c, &pr, lanes, ar.acc_bits);
    mp_parts_reg(&c, &pr, 1,
                 mp_act_bits(p->act) + lanes * (bits + ar.acc_bits));
    mp_parts_to_cost(&c, &pr, 1,
                     p->clock_hz > 0 ? p->clock_hz : DEFAULT_CLOCK_HZ, out);
    return 0;
}

static int mixpe_edge(const mp_pe_params *p, const mp_tech *t,
                      const mp_gemm_shape *shape, int rows, int cols,
                      mp_edge_cost *out, mp_diag *d)
{
    mp_pe_timing tm;
    mixpe_timing(p, &tm);
    return mp_pe_edge_group_dequant(p, &tm, t, shape, rows, cols, out, d);
}

const mp_pe_ops mp_pe_mixpe_ops = {
    .name = FAMILY,
    .summary = "MixPE: shift&add INTk x INT8/FP16, per-group dequant at the "
               "edge",
    .acts = acts,
    .check = mixpe_check,
    .arith = mixpe_arith,
    .compute = mixpe_compute,
    .timing = mixpe_timing,
    .cost = mixpe_cost,
    .edge = mixpe_edge,
};
