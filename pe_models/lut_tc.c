/*
 * lut_tc.c - LUT Tensor Core (Mo et al., ISCA 2025, arXiv 2408.06003).
 *
 * Weights are fed one bit plane per cycle.  Every code is first biased onto
 * [0, 2^B) (signed: + 2^(B-1); ternary as INT2) and each plane bit u is read
 * as t = 2u - 1 in {-1, +1}.  Four activations form a table of their signed
 * sums; with t in {-1,+1} the 16 sums are symmetric (T(-t) = -T(t)), so the
 * table keeps the 8 with t0 = +1 and a sign flip selects the other half:
 *
 *     entry(i) = x0 + sum_{c=1..3} (bit c-1 of i ? -x_c : +x_c)
 *     plane b:  index bits u_c XOR u_0,  negated when u_0 = 0
 *     P' = sum_b 2^b L_b (lowest plane first),  s' = s/2,
 *     z' = 2(z + offset) + 1 - 2^B,  y += s' * (P' - z' * S).
 *
 * Tables are precomputed per row and 4-group (on the vector unit, fused
 * with the previous operator when table_fused), held in registers and
 * broadcast along N: an elongated tile M2 N64 K4 reuses each table 64 times.
 * A tile takes B cycles (one per plane).  Entries are rounded to table_fmt,
 * the group register is INT (integer activations), FP16 (the RTL's choice
 * for float activations), FP32 or exact fixed point.
 */
#include "pe_models/pe_common.h"

#include <math.h>
#include <stdlib.h>

#define FAMILY "lut-tc"
extern const mp_pe_ops mp_pe_lut_tc_ops; /* below; registry.c lists it */
#define DEFAULT_CLOCK_HZ 1e9 /* LUT TC synthesis: 1 GHz */
#define TABLE_K 4            /* activations per table       */
#define TABLE_ENTRIES 8      /* symmetrized: 16 sums -> 8    */
#define CORE_LATENCY 2       /* generated core: tables/plane bits, then the
                                accumulators (docs/rtl.md, lut-tc)     */
#define ADDS_PER_TABLE 10    /* 3 for x0+x1+x2+x3, then one signed add per
                                further entry (Gray order, +-2x_c)    */

static const mp_act_fmt acts[] = {MP_ACT_INT8, MP_ACT_FP16, MP_ACT_FP8_E4M3,
                                  MP_ACT_FP8_E5M2, MP_ACT_COUNT};
static const char *const unused[] = {"chain_len", "pack_products",
                                     "fma_stages", NULL};

static int plane_bits(const mp_pe_params *p)
{
    return mp_pe_code_bits(p->wfmt);
}

static int check_table(mp_pe_params *p, mp_diag *d)
{
    int int_act = !mp_act_is_float(p->act);
    if (p->table_fmt == MP_ACT_INT8) /* 0: the family default */
        p->table_fmt = int_act ? MP_ACT_INT16 : MP_ACT_FP16;
    int ok = p->table_fmt == MP_ACT_FP16 || p->table_fmt == MP_ACT_FP32 ||
             p->table_fmt == MP_ACT_BF16 ||
             (int_act && p->table_fmt == MP_ACT_INT16) ||
             (!int_act && (p->table_fmt == MP_ACT_FP8_E4M3 ||
                           p->table_fmt == MP_ACT_FP8_E5M2));
    if (!ok)
        return mp_fail(d, MP_CMDLINE, 0, "table_fmt",
                       "lut-tc tables of %s activations can be %s, not %s",
                       mp_act_name(p->act),
                       int_act ? "int16 (exact), fp16, bf16 or fp32"
                               : "fp16, bf16, fp32, fp8e4m3 or fp8e5m2",
                       mp_act_name(p->table_fmt));
    return 0;
}

static int check_acc(mp_pe_params *p, mp_diag *d)
{
    int int_act = !mp_act_is_float(p->act);
    if ((int)p->acc < MP_ACC_INT || (int)p->acc > MP_ACC_FP32)
        return mp_fail(d, MP_CMDLINE, 0, "acc", "unknown accumulator %d",
                       (int)p->acc);
    if (p->acc == MP_ACC_INT) { /* 0: the family default */
        p->acc = int_act ? MP_ACC_INT : MP_ACC_FP16;
        return 0;
    }
    if (p->acc == MP_ACC_FIXED && int_act)
        return mp_fail(d, MP_CMDLINE, 0, "acc",
                       "lut-tc with int8 activations accumulates in int "
                       "(default), fp16 or fp32, not fixed");
    /* an exact fixed-point sum cannot hold an entry that rounds to Inf or
     * (E4M3) NaN: round(4 max|x|) must be finite */
    if (p->acc == MP_ACC_FIXED &&
        !isfinite(mp_round_to(p->table_fmt, 4.0 * mp_act_max(p->act))))
        return mp_fail(d, MP_CMDLINE, 0, "table_fmt",
                       "%s table entries of 4 %s activations can overflow "
                       "to Inf/NaN, which a fixed group sum cannot hold",
                       mp_act_name(p->table_fmt), mp_act_name(p->act));
    return 0;
}

static void lut_timing(const mp_pe_params *p, mp_pe_timing *out);

static int lut_check(mp_pe_params *p, mp_diag *d)
{
    if (mp_pe_check_common(FAMILY, p, 0, d) ||
        mp_pe_check_unused(FAMILY, p, unused, d) ||
        mp_pe_check_act(FAMILY, p->act, acts, d) ||
        mp_pe_check_wfmt(FAMILY, p->wfmt, 1, 4, 4, 1, d))
        return -1;
    if (p->group_size % TABLE_K)
        return mp_fail(d, MP_CMDLINE, 0, "group_size",
                       "lut-tc tables take %d activations: the group size "
                       "must be a multiple of %d, got %d",
                       TABLE_K, TABLE_K, p->group_size);
    if (p->tile_k && p->tile_k != TABLE_K)
        return mp_fail(d, MP_CMDLINE, 0, "tile_k",
                       "lut-tc tiles are K%d (one table per row), got %d",
                       TABLE_K, p->tile_k);
    if (check_table(p, d) || check_acc(p, d))
        return -1;
    p->tile_m = p->tile_m ? p->tile_m : 2;   /* M2N64K4 (paper's choice) */
    p->tile_n = p->tile_n ? p->tile_n : 64;
    p->tile_k = TABLE_K;
    if (p->clock_hz == 0)
        p->clock_hz = DEFAULT_CLOCK_HZ;
    /* float group sums: the float edge (rtl_gen/block_top.c fdeq) keeps
     * its running sum in one stage; integer sums: the shared unit */
    if ((p->acc == MP_ACC_FP16 || p->acc == MP_ACC_FP32) &&
        p->dequant_stages > MP_FDEQ_STAGES_MAX)
        return mp_fail(d, MP_CMDLINE, 0, "dequant_stages",
                       "lut-tc's float group edge takes 1..%d stages, got %d",
                       MP_FDEQ_STAGES_MAX, p->dequant_stages);
    mp_pe_timing tm;
    lut_timing(p, &tm);
    return mp_pe_check_dequant_stages(p, &tm, d);
}

static void lut_arith(const mp_pe_params *p, mp_arith *out)
{
    mp_pe_arith_group_exact(p, out);
    out->order = MP_ORDER_BIT_SERIAL;
    out->table_fmt = p->table_fmt == MP_ACT_INT8
                         ? (mp_act_is_float(p->act) ? MP_ACT_FP16
                                                    : MP_ACT_INT16)
                         : p->table_fmt;
    if (p->acc == MP_ACC_FP16 || p->acc == MP_ACC_FP32) {
        out->group_acc = p->acc;
        out->acc_bits = 0;
        out->frac_bits = 0;
    } else if (p->acc == MP_ACC_INT && mp_act_is_float(p->act)) {
        out->group_acc = MP_ACC_FP16; /* unchecked params: the default */
        out->acc_bits = 0;
        out->frac_bits = 0;
    } else {
        out->acc_bits = 64;
        int need = mp_pe_group_acc_bits(p, out);
        out->acc_bits = need < 2 ? 2 : need > 64 ? 64 : need;
    }
}

/* ---- functional model ------------------------------------------------- */

typedef struct lut_state {
    double *tables; /* [K/4][8] entries of the current row */
} lut_state;

/* The table builder: 8 symmetrized sums of each 4 activations, rounded to
 * the table format. */
static int build_row_tables(void *state, const mp_pe_ctx *c, int m,
                            mp_diag *d)
{
    (void)d;
    lut_state *s = state;
    const mp_gemm_in *in = c->in;
    const double *x = in->x + (size_t)m * in->k;
    for (int j = 0; j < in->k / TABLE_K; j++) {
        const double *a = x + TABLE_K * j;
        for (int i = 0; i < TABLE_ENTRIES; i++) {
            double sum = a[0];
            for (int col = 1; col < TABLE_K; col++)
                sum += (i >> (col - 1) & 1) ? -a[col] : a[col];
            s->tables[TABLE_ENTRIES * j + i] =
                mp_round_to(c->ar->table_fmt, sum);
        }
    }
    return 0;
}

static void reg_accumulate(const mp_pe_ctx *c, mp_pe_greg *r, double v)
{
    if (!c->exact)
        r->rounded = mp_round_sum(c->group_fmt, r->rounded, v);
    else if (c->frac_bits)
        r->exact += mp_to_grid(v, c->frac_bits);
    else
        r->exact += (int64_t)v;
}

/* One cycle's worth per 4-group: the lookup of plane b, sign-flipped. */
static double lookup(const lut_state *s, const mp_gemm_in *in, int j, int n,
                     int b, int offset)
{
    int u[TABLE_K];
    for (int col = 0; col < TABLE_K; col++)
        u[col] = (mp_pe_code(in, TABLE_K * j + col, n) + offset) >> b & 1;
    int index = 0;
    for (int col = 1; col < TABLE_K; col++)
        index |= (u[col] ^ u[0]) << (col - 1);
    double entry = s->tables[TABLE_ENTRIES * j + index];
    return u[0] ? entry : -entry;
}

static int code_offset(mp_wfmt w)
{
    return w.kind == MP_W_UNSIGNED ? 0 : 1 << (mp_pe_code_bits(w) - 1);
}

static void lut_group(void *state, const mp_pe_ctx *c, int m, int n, int g,
                      mp_pe_greg *p)
{
    (void)m;
    const mp_gemm_in *in = c->in;
    int offset = code_offset(in->wfmt);
    int first = g * in->group_size / TABLE_K;
    int last = (g + 1) * in->group_size / TABLE_K;
    for (int b = 0; b < mp_pe_code_bits(in->wfmt); b++) {
        mp_pe_greg plane = {0, 0.0};
        for (int j = first; j < last; j++)
            reg_accumulate(c, &plane, lookup(state, in, j, n, b, offset));
        /* x 2^b: a shift of an integer, an exponent add of a float */
        if (c->exact)
            p->exact += plane.exact * ((int64_t)1 << b);
        else
            p->rounded = mp_round_sum(c->group_fmt, p->rounded,
                                      ldexp(plane.rounded, b));
    }
}

static int lut_compute(const mp_pe_params *p, const mp_gemm_in *in,
                       double *y, mp_diag *d)
{
    if (in->k <= 0 || in->k % TABLE_K)
        return mp_fail(d, "<gemm input>", 0, "k",
                       "lut-tc needs K a multiple of %d, got %d", TABLE_K,
                       in->k);
    lut_state s = {malloc((size_t)in->k / TABLE_K * TABLE_ENTRIES *
                          sizeof(double))};
    if (!s.tables)
        return mp_fail(d, "<memory>", 0, "gemm", "out of memory");
    int bits = mp_pe_code_bits(in->wfmt);
    mp_pe_group_model model = {
        .state = &s,
        .row = build_row_tables,
        .group = lut_group,
        .zero_mul = 2,
        .zero_off = code_offset(in->wfmt),
        .zero_add = 1 - ((int64_t)1 << bits),
        .scale_shift = 1,
    };
    int rc = mp_pe_compute(&mp_pe_lut_tc_ops, p, in, &model, y, d);
    free(s.tables);
    return rc;
}

/* ---- timing and cost -------------------------------------------------- */

static void lut_timing(const mp_pe_params *p, mp_pe_timing *out)
{
    /* tables and weights are broadcast to every unit (no systolic skew);
     * the generated core registers tables/plane bits, then the
     * accumulators: latency 2 after the last step (docs/rtl.md, lut-tc) */
    *out = (mp_pe_timing){.tile_m = p->tile_m ? p->tile_m : 2,
                          .tile_n = p->tile_n ? p->tile_n : 64,
                          .tile_k = TABLE_K,
                          .cycles_per_tile = plane_bits(p),
                          .pipeline_depth = CORE_LATENCY,
                          .density = 1.0,
                          .operand_broadcast = 1};
}

/* Width of a stored table entry: exact integer sums of 4 INT8 values need
 * 8 + 2 bits; float tables their format. */
static int entry_bits(const mp_pe_params *p, const mp_arith *ar)
{
    if (!mp_act_is_float(ar->table_fmt))
        return mp_act_bits(p->act) + 2;
    return mp_act_bits(ar->table_fmt);
}

/* Per tile unit: tables in registers (written once per tile), per output
 * an 8:1 mux, a sign flip, the plane shift and an accumulate, per cycle;
 * the weight-plane and accumulator registers. */
static int lut_cost(const mp_pe_params *p, const mp_tech *t, mp_pe_cost *out,
                    mp_diag *d)
{
    mp_prims pr;
    if (mp_prims_load(t, &pr, d))
        return -1;
    mp_arith ar;
    lut_arith(p, &ar);
    mp_pe_timing tm;
    lut_timing(p, &tm);
    double outputs = (double)tm.tile_m * tm.tile_n;
    int entry = entry_bits(p, &ar);
    int float_acc = ar.group_acc == MP_ACC_FP16 || ar.group_acc == MP_ACC_FP32;
    int acc = float_acc ? (ar.group_acc == MP_ACC_FP16 ? 16 : 32)
                        : ar.acc_bits;
    mp_parts cycle = {0, 0}, table = {0, 0};
    mp_parts_mux(&cycle, &pr, outputs, TABLE_ENTRIES, entry);
    if (float_acc) {
        mp_parts_adder(&cycle, &pr, outputs, 8);  /* exponent + b      */
        mp_parts_fp_acc_add(&cycle, &pr, outputs, acc, ar.table_fmt);
    } else {
        mp_parts_adder(&cycle, &pr, outputs, entry); /* conditional negate */
        mp_parts_shifter(&cycle, &pr, outputs, acc, plane_bits(p) - 1);
        mp_parts_adder(&cycle, &pr, outputs, acc);
    }
    mp_parts_reg(&cycle, &pr, outputs, acc);
    mp_parts_reg(&cycle, &pr, 1, tm.tile_k * tm.tile_n);   /* weight plane */
    mp_parts_reg(&table, &pr, tm.tile_m, TABLE_ENTRIES * entry);
    mp_parts total = {cycle.pj * tm.cycles_per_tile + table.pj,
                      cycle.um2 + table.um2, cycle.lut + table.lut,
                      cycle.ff + table.ff, cycle.dsp + table.dsp};
    mp_parts_to_cost(&total, &pr, tm.cycles_per_tile,
                     p->clock_hz > 0 ? p->clock_hz : DEFAULT_CLOCK_HZ, out);
    return 0;
}

/* Dequant and activation sums as every per-group family, plus the table
 * precompute: one table of 8 entries per row and 4-group, built once per
 * GEMM and reused along N.  Fused, it runs on the vector unit inside the
 * previous operator (overlapped); unfused, it precedes the GEMM. */
static int lut_edge(const mp_pe_params *p, const mp_tech *t,
                    const mp_gemm_shape *s, int rows, int cols,
                    mp_edge_cost *out, mp_diag *d)
{
    mp_pe_timing tm;
    lut_timing(p, &tm);
    int count = mp_pe_edge_group_dequant(p, &tm, t, s, rows, cols, out, d);
    if (count < 0)
        return -1;
    if (s->k % TABLE_K)
        return mp_fail(d, MP_CMDLINE, 0, "shape",
                       "lut-tc needs K a multiple of %d, got %lld", TABLE_K,
                       (long long)s->k);
    mp_prims pr;
    if (mp_prims_load(t, &pr, d))
        return -1;
    mp_arith ar;
    lut_arith(p, &ar);
    int entry = entry_bits(p, &ar);
    mp_parts c = {0, 0};
    if (mp_act_is_float(ar.table_fmt))
        mp_parts_fp_add(&c, &pr, ADDS_PER_TABLE, mp_act_bits(ar.table_fmt));
    else
        mp_parts_adder(&c, &pr, ADDS_PER_TABLE, entry);
    mp_parts_reg(&c, &pr, 1, TABLE_ENTRIES * entry); /* write the table */
    mp_edge_cost *e = &out[count];
    double units = (double)rows * tm.tile_m; /* one builder per row */
    mp_edge_set(e, "table_precompute", (double)s->m * (double)(s->k / TABLE_K),
                units, c.pj, p->table_fused ? 1 : 0);
    mp_parts_to_edge(e, &c, p->table_fused ? 0.0 : units);
    return count + 1;
}

const mp_pe_ops mp_pe_lut_tc_ops = {
    .name = FAMILY,
    .summary = "LUT Tensor Core: bit-serial weight planes, symmetrized 8-entry "
               "tables, M2N64K4",
    .acts = acts,
    .check = lut_check,
    .arith = lut_arith,
    .compute = lut_compute,
    .timing = lut_timing,
    .cost = lut_cost,
    .edge = lut_edge,
};
