/*
 * dsp_chain.c - FPGA DSP48E2 chain (FlightLLM, FPGA'24, arXiv 2401.03868).
 *
 * One PE is one DSP48E2 slice.  Two INT8 products share one weight (Xilinx
 * WP486 packing): the pre-adder forms (a << 18) + d from the activations of
 * two rows, the 27x18 multiplier multiplies by the weight code, and the
 * 48-bit P register accumulates in place.  Slices are cascaded PCOUT->PCIN
 * into chains of chain_len along K, so a chain sums chain_len packed
 * products; the low lane may only accumulate a bounded number of products
 * (mp_dsp_pack_limit: 7 for full-range int8 x int8), so the chain is
 * flushed at least that often: the lanes are separated with the exact
 * correction (low = sext P[17:0], high = P[47:18] + P[17]) and added into
 * wide fabric accumulators (edge unit "pack_correction").
 *
 * INT4 activations with weights of at most 4 bits pack four products per
 * slice (pack_products 4): two activation rows on the pre-adder, 22 bits
 * apart, times two weight columns on B, 11 bits apart, give a 2x2 outer
 * product in four 11-bit lanes of P (lane 3 takes the top 15 bits).
 * Lanes are separated like the pair, each one adding the borrow of the one
 * below; they hold at most mp_dsp_quad_limit products (15 for int4 x int4).
 * A PE then covers 2 rows x 2 columns (tile_m = tile_n = 2).
 *
 * N:M sparsity (FlightLLM: M = 16): in each block of M weights along K at
 * most N codes are nonzero; a mux in front of each DSP picks the
 * activations of the nonzero weights, so only density = N/M of K is
 * multiplied.  compute() rejects weights that break the pattern.
 */
#include "pe_models/pe_common.h"

#include <math.h>
#include <string.h>

#define FAMILY "dsp-chain"
extern const mp_pe_ops mp_pe_dsp_chain_ops; /* below; registry.c lists it */
#define DEFAULT_CLOCK_HZ 225e6  /* FlightLLM artifact: 225 MHz           */
#define DEFAULT_CHAIN_LEN 8     /* FlightLLM: overflow adjust skipped for
                                   chains of 8 DSPs or fewer            */
#define MAX_CLOCK_HZ 891e6      /* DSP48E2 Fmax, -3 speed grade (UG579)   */
#define LATENCY_AMP 3           /* UG579: A/B, M, P registers             */
#define LATENCY_PREADD 4        /* UG579: + AD register with pre-adder    */
#define LOW_LANE_LIMIT (1 << 17) /* the low lane is an 18-bit signed field */
#define QUAD_LANE_LIMIT (1 << 10) /* lanes 0..2 of INT4 packing: 11 bits  */
#define QUAD_TOP_LIMIT (1 << 14)  /* lane 3: P[47:33], 15 bits            */
#define QUAD_MAX_WBITS 4          /* B = (w_hi << 11) + w_lo in 18 bits   */
/* Correction adders at a chain's end (edge unit "pack_correction"):
 * a borrow add on every lane above the lowest one; mpsim assumption,
 * one LUT per adder bit (carry chain). */
#define PAIR_BORROW_LUTS 30             /* P[47:18] + P[17]               */
#define QUAD_BORROW_LUTS (11 + 11 + 15) /* lanes 1, 2 (11 bits), 3 (15)   */

static const mp_act_fmt acts[] = {MP_ACT_INT8, MP_ACT_INT4, MP_ACT_COUNT};
static const char *const unused[] = {"tile", "table_fmt", "table_fused",
                                     "acc", "fma_stages", NULL};

/* ---- the packed arithmetic ------------------------------------------- */

int64_t mp_dsp_wrap48(int64_t v)
{
    uint64_t u = (uint64_t)v & ((1ull << MP_DSP_P_BITS) - 1);
    if (u >> (MP_DSP_P_BITS - 1))
        u |= ~((1ull << MP_DSP_P_BITS) - 1);
    return (int64_t)u;
}

int64_t mp_dsp_packed_mac(int64_t p, int a, int d, int w)
{
    int64_t preadd = (int64_t)a * (1 << MP_DSP_LANE_SHIFT) + d; /* 27 bits */
    return mp_dsp_wrap48(p + preadd * w);
}

void mp_dsp_unpack(int64_t p, int64_t *high, int64_t *low)
{
    int64_t field = p & ((1 << MP_DSP_LANE_SHIFT) - 1);
    int borrow = (int)(field >> (MP_DSP_LANE_SHIFT - 1)); /* P[17] */
    *low = borrow ? field - (1 << MP_DSP_LANE_SHIFT) : field;
    /* P[47:18] is an arithmetic shift of the 48-bit register */
    *high = (p >> MP_DSP_LANE_SHIFT) + borrow;
}

/* How many products of activations in [a_lo, a_hi] and codes of w a lane
 * holding [-half, half) can sum without leaving it, whatever their signs:
 * n * most_pos <= half - 1 and n * most_neg >= -half. */
static int lane_limit(int64_t a_lo, int64_t a_hi, mp_wfmt w, int64_t half)
{
    int64_t q_lo = mp_wfmt_min(w), q_hi = mp_wfmt_max(w);
    int64_t most_pos = a_lo * q_lo > a_hi * q_hi ? a_lo * q_lo : a_hi * q_hi;
    int64_t most_neg = a_lo * q_hi < a_hi * q_lo ? a_lo * q_hi : a_hi * q_lo;
    int64_t by_pos = most_pos > 0 ? (half - 1) / most_pos : 1 << 30;
    int64_t by_neg = most_neg < 0 ? half / -most_neg : 1 << 30;
    int64_t limit = by_pos < by_neg ? by_pos : by_neg;
    return limit > (1 << 30) ? 1 << 30 : (int)limit;
}

int mp_dsp_pack_limit(mp_wfmt w, int full_range)
{
    return lane_limit(full_range ? -128 : -127, 127, w, LOW_LANE_LIMIT);
}

int64_t mp_dsp_quad_mac(int64_t p, int a_hi, int a_lo, int w_hi, int w_lo)
{
    int64_t preadd = (int64_t)a_hi * (1 << (2 * MP_DSP4_LANE_SHIFT)) + a_lo;
    int64_t b = (int64_t)w_hi * (1 << MP_DSP4_LANE_SHIFT) + w_lo;
    return mp_dsp_wrap48(p + preadd * b);
}

void mp_dsp_quad_unpack(int64_t p, int64_t lane[MP_DSP4_LANES])
{
    const int64_t mask = (1 << MP_DSP4_LANE_SHIFT) - 1;
    for (int i = 0; i < MP_DSP4_LANES - 1; i++) {
        int64_t field = p & mask;
        int borrow = (int)(field >> (MP_DSP4_LANE_SHIFT - 1));
        lane[i] = borrow ? field - (1 << MP_DSP4_LANE_SHIFT) : field;
        /* the rest is an arithmetic shift, plus the borrow lane i took */
        p = (p >> MP_DSP4_LANE_SHIFT) + borrow;
    }
    lane[MP_DSP4_LANES - 1] = p;
}

int mp_dsp_quad_limit(mp_wfmt w, int full_range)
{
    int64_t a_lo = full_range ? -8 : -7;
    int low = lane_limit(a_lo, 7, w, QUAD_LANE_LIMIT);
    int top = lane_limit(a_lo, 7, w, QUAD_TOP_LIMIT);
    return low < top ? low : top;
}

/* Products a chain accumulates before its lanes are separated. */
static int segment(const mp_pe_params *p)
{
    if (p->pack_products == 1)
        return p->chain_len;
    int limit = p->pack_products == 4 ? mp_dsp_quad_limit(p->wfmt, 1)
                                      : mp_dsp_pack_limit(p->wfmt, 1);
    return p->chain_len < limit ? p->chain_len : limit;
}

/* INT4 activations and weights that fit two to the B port. */
static int quad_ok(const mp_pe_params *p)
{
    return p->act == MP_ACT_INT4 &&
           (p->wfmt.kind == MP_W_TERNARY || p->wfmt.bits <= QUAD_MAX_WBITS);
}

/* pack_products with the default filled in: 4 where the operands allow
 * it (not with N:M sparsity, see dsp_check), else the INT8 pair. */
static int pack_of(const mp_pe_params *p)
{
    if (p->pack_products)
        return p->pack_products;
    return quad_ok(p) && !p->sparse_m ? 4 : 2;
}

/* Rows and columns one slice covers. */
static int rows_per_pe(int pack) { return pack == 1 ? 1 : 2; }
static int cols_per_pe(int pack) { return pack == 4 ? 2 : 1; }

/* ---- check ------------------------------------------------------------ */

static int check_sparsity(const mp_pe_params *p, mp_diag *d)
{
    if (!p->sparse_n && !p->sparse_m)
        return 0;
    int m = p->sparse_m;
    if (m != 2 && m != 4 && m != 8 && m != 16)
        return mp_fail(d, MP_CMDLINE, 0, "sparse_m",
                       "dsp-chain N:M sparsity takes M in 2, 4, 8, 16 "
                       "(FlightLLM: 16), got %d", m);
    if (p->sparse_n < 1 || p->sparse_n > m)
        return mp_fail(d, MP_CMDLINE, 0, "sparse_n",
                       "N must be in 1..M = %d, got %d", m, p->sparse_n);
    if (p->group_size % m)
        return mp_fail(d, MP_CMDLINE, 0, "group_size",
                       "N:M blocks of %d must tile the group size %d", m,
                       p->group_size);
    return 0;
}

static void dsp_timing(const mp_pe_params *p, mp_pe_timing *out);

static int dsp_check(mp_pe_params *p, mp_diag *d)
{
    if (mp_pe_check_common(FAMILY, p, 1, d) ||
        mp_pe_check_unused(FAMILY, p, unused, d) ||
        mp_pe_check_act(FAMILY, p->act, acts, d) ||
        mp_pe_check_wfmt(FAMILY, p->wfmt, 1, 8, 8, 1, d) ||
        check_sparsity(p, d))
        return -1;
    if (p->pack_products == 4 && p->act != MP_ACT_INT4)
        return mp_fail(d, MP_CMDLINE, 0, "pack_products",
                       "4 products per DSP need 4-bit activations (INT4 x "
                       "INT4 lanes 11 bits apart); with %s activations a "
                       "DSP48E2 packs 1 or 2", mp_act_name(p->act));
    if (p->pack_products == 4 && !quad_ok(p))
        return mp_fail(d, MP_CMDLINE, 0, "pack_products",
                       "4 products per DSP need weights of at most 4 bits "
                       "(two codes 11 bits apart on the 18-bit B port), "
                       "got %d", p->wfmt.bits);
    if (p->pack_products == 4 && p->sparse_m)
        return mp_fail(d, MP_CMDLINE, 0, "pack_products",
                       "4 products per DSP serve two weight columns with one "
                       "activation mux, so N:M sparsity needs 1 or 2");
    if (p->pack_products != 0 && p->pack_products != 1 &&
        p->pack_products != 2 && p->pack_products != 4)
        return mp_fail(d, MP_CMDLINE, 0, "pack_products",
                       "dsp-chain packs 1, 2 or 4 products per DSP, got %d",
                       p->pack_products);
    if (p->chain_len < 0 || p->chain_len > 4096)
        return mp_fail(d, MP_CMDLINE, 0, "chain_len",
                       "must be in 1..4096 DSPs, got %d", p->chain_len);
    if (p->clock_hz > MAX_CLOCK_HZ)
        return mp_fail(d, MP_CMDLINE, 0, "clock_hz",
                       "%.0f MHz is above the DSP48E2 Fmax (891 MHz, -3 "
                       "speed grade)", p->clock_hz / 1e6);
    p->pack_products = pack_of(p);
    p->chain_len = p->chain_len ? p->chain_len : DEFAULT_CHAIN_LEN;
    p->acc = MP_ACC_INT;
    mp_pe_timing tm;
    dsp_timing(p, &tm);
    if (mp_pe_check_dequant_stages(p, &tm, d))
        return -1;
    if (p->clock_hz == 0)
        p->clock_hz = DEFAULT_CLOCK_HZ;
    return 0;
}

static void dsp_arith(const mp_pe_params *p, mp_arith *out)
{
    mp_pe_arith_group_exact(p, out);
}

/* ---- functional model ------------------------------------------------- */

/* Every block of sparse_m codes along K of every column has at most
 * sparse_n nonzero codes. */
static int check_pattern(const mp_pe_params *p, const mp_gemm_in *in,
                         mp_diag *d)
{
    if (!p->sparse_m)
        return 0;
    for (int n = 0; n < in->n; n++)
        for (int k0 = 0; k0 < in->k; k0 += p->sparse_m) {
            int nonzero = 0;
            for (int k = k0; k < k0 + p->sparse_m && k < in->k; k++)
                nonzero += mp_pe_code(in, k, n) != 0;
            if (nonzero > p->sparse_n)
                return mp_fail(d, "<gemm input>", 0, "wq",
                               "column %d, k %d..%d: %d nonzero weights "
                               "break %d:%d sparsity",
                               n, k0, k0 + p->sparse_m - 1, nonzero,
                               p->sparse_n, p->sparse_m);
        }
    return 0;
}

/* End of a chain segment: separate the lanes of P and add each one into
 * its fabric accumulator.  Lane numbering: pack 1 -> lane 0; pack 2 ->
 * 0 = low (d), 1 = high (a); pack 4 -> mp_dsp_quad_unpack's order. */
static void flush(const mp_pe_params *p, int64_t acc_p,
                  int64_t sum[MP_DSP4_LANES])
{
    int64_t lane[MP_DSP4_LANES] = {acc_p, 0, 0, 0};
    if (p->pack_products == 2)
        mp_dsp_unpack(acc_p, &lane[1], &lane[0]);
    else if (p->pack_products == 4)
        mp_dsp_quad_unpack(acc_p, lane);
    for (int i = 0; i < MP_DSP4_LANES; i++)
        sum[i] += lane[i];
}

/* Row m's partial sum for column n, group g, computed for the slice's
 * rows (top = m & ~1 on the high activation, top + 1 on the low one) and
 * columns (left = n & ~1 on the high weight, left + 1 on the low) as the
 * chain does: one packed product per slice, P cascaded along the chain, a
 * flush every segment() products and at the group's end.  A missing last
 * row or column packs as 0. */
static void dsp_group(void *state, const mp_pe_ctx *c, int m, int n, int g,
                      mp_pe_greg *out)
{
    (void)state;
    const mp_pe_params *p = c->params;
    const mp_gemm_in *in = c->in;
    int pack = p->pack_products;
    int top = rows_per_pe(pack) == 2 ? m & ~1 : m;
    int left = cols_per_pe(pack) == 2 ? n & ~1 : n;
    int has_low_row = rows_per_pe(pack) == 2 && top + 1 < in->m;
    int has_low_col = cols_per_pe(pack) == 2 && left + 1 < in->n;
    const double *xa = in->x + (size_t)top * in->k;
    const double *xd = has_low_row ? xa + in->k : NULL;
    int seg = segment(p), in_chain = 0;
    int64_t acc_p = 0, sum[MP_DSP4_LANES] = {0, 0, 0, 0};
    for (int k = g * in->group_size; k < (g + 1) * in->group_size; k++) {
        int w = mp_pe_code(in, k, left);
        int w_lo = has_low_col ? mp_pe_code(in, k, left + 1) : 0;
        if (p->sparse_m && w == 0)
            continue; /* the mux skips zero weights (pack 1 or 2 only) */
        int a = (int)xa[k], dd = xd ? (int)xd[k] : 0;
        if (pack == 4)
            acc_p = mp_dsp_quad_mac(acc_p, a, dd, w, w_lo);
        else if (pack == 2)
            acc_p = mp_dsp_packed_mac(acc_p, a, dd, w);
        else
            acc_p = mp_dsp_wrap48(acc_p + (int64_t)a * w);
        if (++in_chain == seg) {
            flush(p, acc_p, sum);
            acc_p = 0;
            in_chain = 0;
        }
    }
    if (in_chain)
        flush(p, acc_p, sum);
    int row_high = m == top, col_high = n == left;
    if (pack == 4)
        out->exact = sum[2 * row_high + col_high];
    else if (pack == 2)
        out->exact = sum[row_high];
    else
        out->exact = sum[0];
}

static int dsp_compute(const mp_pe_params *p, const mp_gemm_in *in,
                       double *y, mp_diag *d)
{
    mp_pe_params local = *p;
    if (dsp_check(&local, d))
        return -1;
    if (in->wq && in->k > 0 && in->n > 0 && check_pattern(&local, in, d))
        return -1;
    mp_pe_group_model model = {.group = dsp_group};
    return mp_pe_compute(&mp_pe_dsp_chain_ops, &local, in, &model, y, d);
}

/* ---- timing and cost -------------------------------------------------- */

/* Bits per weight position in memory.  N:M sparse weights are stored
 * compressed, as FlightLLM does: the N kept codes of each block of M plus
 * a log2(M)-bit position for each (the artifact, FlightLLM/
 * flightllm_test_demo 4a96251, profile/inst_gen/layer_support/
 * IR_linear_mv.py, loads a "meta" array of half the kept INT8 values'
 * bytes: 4 bits per kept value at M = 16).  Dense (N = M or no sparsity):
 * the code width. */
static double stored_wbits(const mp_pe_params *p)
{
    double code = p->wfmt.bits;
    if (!p->sparse_m || p->sparse_n >= p->sparse_m)
        return code;
    return (double)p->sparse_n / p->sparse_m *
           (code + mp_pe_ceil_log2(p->sparse_m));
}

static void dsp_timing(const mp_pe_params *p, mp_pe_timing *out)
{
    int pack = pack_of(p);
    int chain = p->chain_len ? p->chain_len : DEFAULT_CHAIN_LEN;
    /* A chain of `chain` slices along K holds `pack` output rows
     * stationary and takes chain_len K per step; the fetch is broadcast
     * to every chain (no R + C skew).  Latency after the last step, as
     * the generated RTL (docs/rtl.md, dsp-chain): cascade fill chain - 1,
     * the slice's registers, the lane correction, the accumulator
     * (chain_len + 5 with the pre-adder). */
    int latency = pack >= 2 ? LATENCY_PREADD : LATENCY_AMP;
    *out = (mp_pe_timing){.tile_m = rows_per_pe(pack),
                          .tile_n = cols_per_pe(pack), .tile_k = 1,
                          .cycles_per_tile = 1,
                          .pipeline_depth = chain - 1 + latency + 1 + 1,
                          .density = p->sparse_m ? (double)p->sparse_n /
                                                       p->sparse_m
                                                 : 1.0,
                          .operand_broadcast = 1,
                          .k_span = chain,
                          /* each group is corrected and dequantized
                           * apart: a step never straddles two */
                          .k_group = p->group_size,
                          .stored_wbits = stored_wbits(p)};
}

/* One slice: the packed products accumulate in its P register (1 DSP48E2,
 * UG579); N:M sparsity adds an M:1 mux per activation bit of the pack
 * lanes and registers for them and the index (docs/model.md section 5
 * prices the mux: LUT6 4:1, F7/F8/F9 wider). */
static int dsp_cost(const mp_pe_params *p, const mp_tech *t, mp_pe_cost *out,
                    mp_diag *d)
{
    mp_prims pr;
    if (mp_pe_want_tech(FAMILY, t, 1, d) || mp_prims_load(t, &pr, d))
        return -1;
    int pack = pack_of(p);
    mp_parts c = {0, 0};
    mp_parts_mac(&c, &pr, 1, (int)pr.rules.dsp_a_bits,
                 (int)pr.rules.dsp_b_bits, (int)pr.rules.dsp_acc_bits, 0);
    if (p->sparse_m) {
        int lanes_bits = pack * 8;
        mp_parts_mux(&c, &pr, 1, p->sparse_m, lanes_bits);
        mp_parts_reg(&c, &pr, 1, lanes_bits + mp_pe_ceil_log2(p->sparse_m));
    }
    mp_parts_to_cost(&c, &pr, 1,
                     p->clock_hz > 0 ? p->clock_hz : DEFAULT_CLOCK_HZ, out);
    return 0;
}

static int dsp_edge(const mp_pe_params *p, const mp_tech *t,
                    const mp_gemm_shape *s, int rows, int cols,
                    mp_edge_cost *out, mp_diag *d)
{
    if (mp_pe_want_tech(FAMILY, t, 1, d))
        return -1;
    mp_pe_params q = *p;
    q.pack_products = pack_of(&q);
    q.chain_len = q.chain_len ? q.chain_len : DEFAULT_CHAIN_LEN;
    /* an array of fewer rows than chain_len cascades all of its rows:
     * chains of `rows` slices (the engine's span, sim/engine.h) */
    if (rows > 0 && q.chain_len > rows)
        q.chain_len = rows;
    mp_pe_timing tm;
    dsp_timing(&q, &tm);
    int count = mp_pe_edge_group_dequant(&q, &tm, t, s, rows, cols, out, d);
    mp_fpga_prims f;
    if (count < 0 || mp_fpga_prims_load(t, &f, d))
        return -1;
    mp_arith ar;
    dsp_arith(&q, &ar);
    double seg = segment(&q);
    /* one flush per slice output tile (tile_m rows x tile_n columns) */
    double slice_tiles = (double)((s->m + tm.tile_m - 1) / tm.tile_m) *
                         (double)((s->n + tm.tile_n - 1) / tm.tile_n);
    double group = mp_pe_group_len(&q, s);
    double flushes = slice_tiles * ((double)s->k / group) *
                     ceil(group * tm.density / seg);
    double chains = (double)rows * cols / q.chain_len;
    if (chains < 1)
        chains = 1;
    /* lane split (borrow adds) and one wide accumulator per lane */
    double borrow_luts = q.pack_products == 4   ? QUAD_BORROW_LUTS
                         : q.pack_products == 2 ? PAIR_BORROW_LUTS
                                                : 0;
    double lut = borrow_luts + q.pack_products * ar.acc_bits;
    double ff = q.pack_products * ar.acc_bits;
    mp_edge_cost *e = &out[count];
    mp_edge_set(e, "pack_correction", flushes, chains,
                mp_fpga_pj_cycle(&f, 0, lut, ff, 0, 0), 1);
    e->lut = chains * lut;
    e->ff = chains * ff;
    return count + 1;
}

const mp_pe_ops mp_pe_dsp_chain_ops = {
    .name = FAMILY,
    .summary = "FPGA DSP48E2 chain: 2 packed INT8 (4 INT4) products/DSP, "
               "cascaded chains, N:M sparse muxes",
    .acts = acts,
    .check = dsp_check,
    .arith = dsp_arith,
    .compute = dsp_compute,
    .timing = dsp_timing,
    .cost = dsp_cost,
    .edge = dsp_edge,
};
