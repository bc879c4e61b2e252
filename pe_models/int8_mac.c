/*
 * int8_mac.c - the INT8 multiply-accumulate baseline (W8A8).
 *
 * One PE: an 8x8 (or narrower weight) multiplier and an integer group
 * accumulator, one MAC per cycle, output stationary.  Integer group sums
 * are dequantized at the array edge like every per-group family
 * (pe_common.c), so the baseline differs from MixPE only in how a product
 * is formed: a multiplier instead of shift&add.
 */
#include "pe_models/pe_common.h"

#define FAMILY "int8-mac"
extern const mp_pe_ops mp_pe_int8_mac_ops; /* below; registry.c lists it */
#define DEFAULT_CLOCK_HZ 500e6 /* MixPE artifact / BitFusion synthesis */

static const mp_act_fmt acts[] = {MP_ACT_INT8, MP_ACT_COUNT};
static const char *const unused[] = {"tile", "table_fmt", "table_fused",
                                     "chain_len", "pack_products", "acc",
                                     "fma_stages", NULL};

static void mac_timing(const mp_pe_params *p, mp_pe_timing *out);

static int mac_check(mp_pe_params *p, mp_diag *d)
{
    if (mp_pe_check_common(FAMILY, p, 0, d) ||
        mp_pe_check_unused(FAMILY, p, unused, d) ||
        mp_pe_check_act(FAMILY, p->act, acts, d) ||
        mp_pe_check_wfmt(FAMILY, p->wfmt, 1, 8, 8, 1, d))
        return -1;
    mp_pe_timing tm;
    mac_timing(p, &tm);
    if (mp_pe_check_dequant_stages(p, &tm, d))
        return -1;
    if (p->clock_hz == 0)
        p->clock_hz = DEFAULT_CLOCK_HZ;
    return 0;
}

static void mac_arith(const mp_pe_params *p, mp_arith *out)
{
    mp_pe_arith_group_exact(p, out);
}

/* P = sum q * a: the multiplier's exact product, k ascending. */
static void mac_group(void *state, const mp_pe_ctx *c, int m, int n, int g,
                      mp_pe_greg *p)
{
    (void)state;
    const mp_gemm_in *in = c->in;
    const double *x = in->x + (size_t)m * in->k;
    for (int k = g * in->group_size; k < (g + 1) * in->group_size; k++)
        p->exact += (int64_t)mp_pe_code(in, k, n) * (int64_t)x[k];
}

static int mac_compute(const mp_pe_params *p, const mp_gemm_in *in,
                       double *y, mp_diag *d)
{
    mp_pe_group_model model = {.group = mac_group};
    return mp_pe_compute(&mp_pe_int8_mac_ops, p, in, &model, y, d);
}

static void mac_timing(const mp_pe_params *p, mp_pe_timing *out)
{
    (void)p;
    /* systolic: the generated RTL's PE adds a pair on the edge after it
     * arrives, so a fold is K + R + C - 2, plus the dequant edge's
     * drain (docs/rtl.md, int8-mac) */
    *out = (mp_pe_timing){.tile_m = 1, .tile_n = 1, .tile_k = 1,
                          .cycles_per_tile = 1, .pipeline_depth = 0,
                          .density = 1.0};
}

/* Multiplier (8 x weight bits) accumulating into the group register,
 * and the operand registers.  On an FPGA the multiply-accumulate is one
 * DSP48E2 slice (27 x 18 multiplier, 48-bit ALU and P register: AMD/Xilinx
 * UG579) and the operands forwarded to the next PE of the systolic array
 * are fabric flip-flops (docs/model.md section 5). */
static int mac_cost(const mp_pe_params *p, const mp_tech *t, mp_pe_cost *out,
                    mp_diag *d)
{
    int wbits = mp_pe_code_bits(p->wfmt) +
                (p->wfmt.kind == MP_W_UNSIGNED); /* sign bit for unsigned */
    mp_prims pr;
    if (mp_prims_load(t, &pr, d))
        return -1;
    mp_arith ar;
    mac_arith(p, &ar);
    mp_parts c = {0, 0};
    mp_parts_mac(&c, &pr, 1, 8, wbits, ar.acc_bits, 8 + wbits);
    mp_parts_to_cost(&c, &pr, 1,
                     p->clock_hz > 0 ? p->clock_hz : DEFAULT_CLOCK_HZ, out);
    return 0;
}

static int mac_edge(const mp_pe_params *p, const mp_tech *t,
                    const mp_gemm_shape *shape, int rows, int cols,
                    mp_edge_cost *out, mp_diag *d)
{
    mp_pe_timing tm;
    mac_timing(p, &tm);
    return mp_pe_edge_group_dequant(p, &tm, t, shape, rows, cols, out, d);
}

const mp_pe_ops mp_pe_int8_mac_ops = {
    .name = FAMILY,
    .summary = "INT8 MAC baseline (W8A8): multiplier + integer accumulator",
    .acts = acts,
    .widens_weights = 1,
    .check = mac_check,
    .arith = mac_arith,
    .compute = mac_compute,
    .timing = mac_timing,
    .cost = mac_cost,
    .edge = mac_edge,
};
