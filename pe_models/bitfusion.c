/*
 * bitfusion.c - BitFusion-style bit-brick array (Sharma et al., ISCA 2018)
 * as a baseline.
 *
 * A fusion unit holds 16 BitBricks, each a 2-bit x 2-bit multiplier (signed
 * or unsigned per brick); operands are split into 2-bit bricks and the
 * brick products are shifted by 2(i+j) and summed.  With wb weight bricks
 * and ab activation bricks a unit completes 16 / (wb * ab) MACs per cycle:
 * W4A8 -> 2, W8A8 -> 1, W2A2 -> 16.  Brick counts are powers of two
 * (1, 2, 4, 8 bricks = 2, 4, 8, 16 bits), as the fusion tree is binary;
 * a 3-bit weight runs as 4 bits.  The fusion tree sums the products of
 * the K values a unit takes per cycle into an integer group accumulator;
 * groups are dequantized at the edge (pe_common.c).
 */
#include "pe_models/pe_common.h"

#define FAMILY "bitfusion"
extern const mp_pe_ops mp_pe_bitfusion_ops; /* below; registry.c lists it */
#define DEFAULT_CLOCK_HZ 500e6 /* BitFusion 45 nm synthesis clock */
#define BRICKS_PER_UNIT 16      /* BitFusion: 16 BitBricks per fusion unit */

static const mp_act_fmt acts[] = {MP_ACT_INT8, MP_ACT_INT16, MP_ACT_COUNT};
static const char *const unused[] = {"tile", "table_fmt", "table_fused",
                                     "chain_len", "pack_products", "acc",
                                     NULL};

static int weight_bricks(const mp_pe_params *p)
{
    return mp_pe_bricks(mp_pe_code_bits(p->wfmt));
}

static void bf_timing(const mp_pe_params *p, mp_pe_timing *out);

static int bf_check(mp_pe_params *p, mp_diag *d)
{
    if (mp_pe_check_common(FAMILY, p, 0, d) ||
        mp_pe_check_unused(FAMILY, p, unused, d) ||
        mp_pe_check_act(FAMILY, p->act, acts, d) ||
        mp_pe_check_wfmt(FAMILY, p->wfmt, 1, 8, 8, 1, d))
        return -1;
    mp_pe_timing tm;
    bf_timing(p, &tm);
    if (mp_pe_check_dequant_stages(p, &tm, d))
        return -1;
    if (p->clock_hz == 0)
        p->clock_hz = DEFAULT_CLOCK_HZ;
    return 0;
}

static void bf_arith(const mp_pe_params *p, mp_arith *out)
{
    mp_pe_arith_group_exact(p, out);
}

/* Brick j of v held in 2*count bits (sign-extended): the top brick is
 * signed when v's format is, the others unsigned. */
static int brick(int64_t v, int j, int count, int is_signed)
{
    int piece = (int)((uint64_t)v >> (2 * j) & 3u);
    if (is_signed && j == count - 1 && piece >= 2)
        piece -= 4;
    return piece;
}

/* The fused product: sum_{i,j} wbrick_i * abrick_j << 2(i+j). */
static int64_t fused_product(const mp_pe_params *p, int code, int64_t a)
{
    int wb = weight_bricks(p), ab = mp_pe_bricks(mp_act_bits(p->act));
    int w_signed = p->wfmt.kind != MP_W_UNSIGNED;
    int64_t sum = 0;
    for (int i = 0; i < wb; i++)
        for (int j = 0; j < ab; j++) {
            int64_t part = (int64_t)brick(code, i, wb, w_signed) *
                           brick(a, j, ab, 1);
            sum += part * ((int64_t)1 << (2 * (i + j)));
        }
    return sum;
}

static void bf_group(void *state, const mp_pe_ctx *c, int m, int n, int g,
                     mp_pe_greg *p)
{
    (void)state;
    const mp_gemm_in *in = c->in;
    const double *x = in->x + (size_t)m * in->k;
    for (int k = g * in->group_size; k < (g + 1) * in->group_size; k++)
        p->exact += fused_product(c->params, mp_pe_code(in, k, n),
                                  (int64_t)x[k]);
}

static int bf_compute(const mp_pe_params *p, const mp_gemm_in *in, double *y,
                      mp_diag *d)
{
    mp_pe_group_model model = {.group = bf_group};
    return mp_pe_compute(&mp_pe_bitfusion_ops, p, in, &model, y, d);
}

/* Products a unit fuses per step: 16 / (wb * ab), at least 1, halved
 * until it divides the group (a fused sum never spans two groups). */
static int fused_k(const mp_pe_params *p, int used)
{
    int k = used < BRICKS_PER_UNIT ? BRICKS_PER_UNIT / used : 1;
    if (p->group_size > 0)
        while (p->group_size % k)
            k /= 2;
    return k;
}

/* As the generated RTL (docs/rtl.md, bitfusion): a unit sums the
 * 16 / (wb * ab) products of consecutive K in its fusion tree each cycle
 * (tile_k); below one MAC per cycle (16-bit activations with 8-bit
 * weights) a MAC takes wb * ab / 16 cycles.  Operands are broadcast along
 * rows and columns (no systolic skew); pipeline_depth 3 = the operand
 * registers, the fused-sum register and the group accumulator. */
static void bf_timing(const mp_pe_params *p, mp_pe_timing *out)
{
    int used = weight_bricks(p) * mp_pe_bricks(mp_act_bits(p->act));
    int cycles = used <= BRICKS_PER_UNIT ? 1 : used / BRICKS_PER_UNIT;
    *out = (mp_pe_timing){.tile_m = 1, .tile_n = 1,
                          .tile_k = fused_k(p, used),
                          .cycles_per_tile = cycles, .pipeline_depth = 3,
                          .density = 1.0, .operand_broadcast = 1};
}

/* ASIC or FPGA (docs/model.md section 5), the same parts:
 * 16 brick multipliers (3b x 3b signed), 16 shifters of the 6-bit brick
 * product (by 0..2*(wb+ab-2)), a 15-adder tree, one group accumulator
 * (the tree fuses the tile_k products of a step into one sum, as the
 * generated RTL), and operand registers (16 brick pairs). */
static int bf_cost(const mp_pe_params *p, const mp_tech *t, mp_pe_cost *out,
                   mp_diag *d)
{
    mp_prims pr;
    if (mp_prims_load(t, &pr, d))
        return -1;
    mp_arith ar;
    bf_arith(p, &ar);
    mp_pe_timing tm;
    bf_timing(p, &tm);
    int product_bits = 2 * mp_act_bits(p->act); /* widest fused product */
    mp_parts c = {0, 0};
    mp_parts_mult(&c, &pr, BRICKS_PER_UNIT, 3, 3);
    mp_parts_shifter(&c, &pr, BRICKS_PER_UNIT, 6, 12);
    mp_parts_adder(&c, &pr, BRICKS_PER_UNIT - 1, product_bits);
    mp_parts_adder(&c, &pr, 1, ar.acc_bits);
    mp_parts_reg(&c, &pr, BRICKS_PER_UNIT, 4);
    mp_parts_reg(&c, &pr, 1, ar.acc_bits);
    c.pj *= tm.cycles_per_tile; /* one micro-tile */
    mp_parts_to_cost(&c, &pr, tm.cycles_per_tile,
                     p->clock_hz > 0 ? p->clock_hz : DEFAULT_CLOCK_HZ, out);
    return 0;
}

static int bf_edge(const mp_pe_params *p, const mp_tech *t,
                   const mp_gemm_shape *shape, int rows, int cols,
                   mp_edge_cost *out, mp_diag *d)
{
    mp_pe_timing tm;
    bf_timing(p, &tm);
    return mp_pe_edge_group_dequant(p, &tm, t, shape, rows, cols, out, d);
}

const mp_pe_ops mp_pe_bitfusion_ops = {
    .name = FAMILY,
    .summary = "BitFusion bit-brick fusion unit: 16/(wb*ab) MACs per cycle",
    .acts = acts,
    .check = bf_check,
    .arith = bf_arith,
    .compute = bf_compute,
    .timing = bf_timing,
    .cost = bf_cost,
    .edge = bf_edge,
};
