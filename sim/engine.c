/* engine.c - see engine.h.  Closed-form fold counting, no cycle loops. */
#include "sim/engine.h"

#include <assert.h>
#include <math.h>
#include <string.h>

/* Shapes above this make fold products risk int64 overflow. */
#define MP_DIM_MAX ((int64_t)1 << 40)

static int64_t ceil_div(int64_t a, int64_t b)
{
    return (a + b - 1) / b;
}

static int clamp_tile(int v)
{
    return v > 0 ? v : 1;
}

/* Streaming steps over `dim_t` (= K_eff in OS) of tile_t per step.  A PE
 * that sums quantization groups apart (t->k_group) cannot let a step of
 * more than one K straddle two groups: each group of G rounds up on its
 * own, ceil(ceil(G * density) / tile_t) steps (a last partial group of K
 * mod G likewise).  With one K per step, or no group, the whole K rounds
 * up once. */
static int64_t stream_steps(const mp_pe_timing *t, const mp_gemm_map *g,
                            int64_t k, double density, int os)
{
    int64_t group = t->k_group;
    if (!os || g->tile_t <= 1 || group <= 0 || group >= k)
        return ceil_div(g->dim_t, g->tile_t);
    int64_t per_group = ceil_div((int64_t)ceil((double)group * density),
                                 g->tile_t);
    int64_t steps = k / group * per_group;
    int64_t rest = k % group;
    if (rest)
        steps += ceil_div((int64_t)ceil((double)rest * density), g->tile_t);
    return steps;
}

int64_t mp_engine_folds_cycles(const mp_arch *a, const mp_gemm_map *g,
                               int64_t folds)
{
    if (folds <= 0)
        return 0;
    if (!a->fold_overlap)
        return folds * g->fold_cycles;
    int64_t step = g->stream_cycles > g->load_cycles ? g->stream_cycles
                                                     : g->load_cycles;
    return g->load_cycles + folds * step + g->skew_cycles + g->drain_cycles;
}

/* fold_cycles, compute_cycles and util from the fields they depend on. */
static void fold_totals(const mp_arch *a, mp_gemm_map *g)
{
    g->fold_cycles = g->load_cycles + g->stream_cycles + g->skew_cycles +
                     g->drain_cycles;
    g->compute_cycles = mp_engine_folds_cycles(a, g, g->folds_per_core);
    g->util = g->macs_eff / ((double)g->compute_cycles * g->peak);
}

int mp_engine_map(const mp_arch *a, const mp_pe_timing *t, int64_t m,
                  int64_t n, int64_t k, mp_gemm_map *out, mp_diag *d)
{
    if (!t)
        t = &a->timing;
    memset(out, 0, sizeof *out);
    if (m < 1 || n < 1 || k < 1 || m > MP_DIM_MAX || n > MP_DIM_MAX ||
        k > MP_DIM_MAX)
        return mp_fail(d, MP_CMDLINE, 0, "shape",
                       "GEMM %lld x %lld x %lld: each dimension must be in "
                       "1..2^40", (long long)m, (long long)n, (long long)k);
    int tm = clamp_tile(t->tile_m), tn = clamp_tile(t->tile_n);
    int tk = clamp_tile(t->tile_k);
    int cpt = t->cycles_per_tile > 0 ? t->cycles_per_tile : 1;
    double density = (t->density > 0 && t->density <= 1) ? t->density : 1.0;
    int64_t k_eff = (int64_t)ceil((double)k * density);
    if (k_eff < 1)
        k_eff = 1;
    out->k_eff = k_eff;
    int64_t R = a->rows, C = a->cols;
    /* A cascade of k_span rows along K is one PE group (OS only: WS/IS
     * put K on the rows anyway); rows beyond a multiple of it idle. */
    int span = t->k_span > 1 ? (t->k_span < R ? t->k_span : (int)R) : 1;
    out->k_span = span;
    int64_t rows_r = R; /* PE groups along the array-row dimension */
    switch (a->dataflow) {
    case MP_DF_OS:
        rows_r = R / span;
        out->dim_r = m, out->tile_r = tm;
        out->dim_c = n, out->tile_c = tn;
        out->dim_t = k_eff, out->tile_t = tk * span;
        break;
    case MP_DF_WS:
        out->dim_r = k_eff, out->tile_r = tk;
        out->dim_c = n, out->tile_c = tn;
        out->dim_t = m, out->tile_t = tm;
        break;
    case MP_DF_IS:
    default:
        out->dim_r = k_eff, out->tile_r = tk;
        out->dim_c = m, out->tile_c = tm;
        out->dim_t = n, out->tile_t = tn;
        break;
    }
    assert(rows_r >= 1); /* span <= R, and the arch reader's R >= 1 */
    out->cover_r = rows_r * out->tile_r;
    out->cover_c = C * out->tile_c;
    out->folds_r = ceil_div(out->dim_r, out->cover_r);
    out->folds_c = ceil_div(out->dim_c, out->cover_c);
    /* Every product below stays far from int64 limits when the total
     * cycle count (bounded by folds x (stream + skew)) is below 2^62. */
    double stream_d = (double)out->dim_t * cpt + R + C + t->pipeline_depth;
    if ((double)out->folds_r * (double)out->folds_c * (stream_d + R) >
        (double)((int64_t)1 << 62))
        return mp_fail(d, MP_CMDLINE, 0, "shape",
                       "GEMM %lld x %lld x %lld: cycle count would overflow",
                       (long long)m, (long long)n, (long long)k);
    out->folds = out->folds_r * out->folds_c;
    out->folds_per_core = ceil_div(out->folds, a->cores > 0 ? a->cores : 1);
    out->stream_cycles = stream_steps(t, out, k, density,
                                      a->dataflow == MP_DF_OS) * cpt;
    out->load_cycles = a->dataflow == MP_DF_OS ? 0
                       : a->load_cycles > 0 ? a->load_cycles : R;
    /* pipeline_depth counts the cascade fill of a whole k_span group;
     * fewer rows cascade only `span` of them (pe.h) */
    int64_t depth = (int64_t)t->pipeline_depth -
                    (t->k_span > span ? t->k_span - span : 0);
    out->skew_cycles = depth + (t->operand_broadcast ? 0 : R + C - 2);
    out->tiles = (double)ceil_div(m, tm) * (double)ceil_div(n, tn) *
                 (double)ceil_div(k_eff, tk);
    out->macs = (double)m * (double)n * (double)k;
    out->macs_eff = (double)m * (double)n * (double)k_eff;
    out->peak = (double)tm * tn * tk / cpt * (double)(R * C) *
                (a->cores > 0 ? a->cores : 1);
    fold_totals(a, out);
    /* Used PEs per fold summed over the grid of folds is dim_r/tile x
     * dim_c/tile (in PE units, partial tiles rounded up). */
    double used_r = (double)ceil_div(out->dim_r, out->tile_r) *
                    (a->dataflow == MP_DF_OS ? span : 1);
    double used_c = (double)ceil_div(out->dim_c, out->tile_c);
    out->mapping_eff = used_r * used_c /
                       ((double)out->folds * (double)(R * C));
    /* a mapped GEMM has work: at least one fold of at least one step,
     * never a negative latency term, and it never uses more PEs than exist */
    assert(out->folds >= 1 && out->stream_cycles >= 1);
    assert(out->skew_cycles >= 0 && out->compute_cycles >= 1);
    assert(out->mapping_eff > 0 && out->mapping_eff <= 1 + 1e-12);
    return 0;
}

void mp_engine_set_drain(const mp_arch *a, mp_gemm_map *g, int64_t drain)
{
    g->drain_cycles = drain > 0 && !a->scalesim ? drain : 0;
    fold_totals(a, g);
}

int mp_engine_drain(const mp_arch *a, const mp_pe_params *p, int64_t m,
                    int64_t n, int64_t k, int64_t *drain, mp_diag *d)
{
    *drain = 0;
    if (!a->pe || !a->pe->edge || a->scalesim)
        return 0;
    mp_edge_cost ec[MP_MAX_EDGE];
    memset(ec, 0, sizeof ec);
    mp_gemm_shape shape = {m, n, k};
    int count = a->pe->edge(p ? p : &a->pe_params, &a->tech, &shape, a->rows,
                            a->cols, ec, d);
    if (count < 0)
        return -1;
    for (int i = 0; i < count && i < MP_MAX_EDGE; i++)
        if (ec[i].drain_cycles > *drain)
            *drain = ec[i].drain_cycles;
    return 0;
}

/* The arch's default-precision map of one tile, drain included. */
static int tile_map(const mp_arch *a, int64_t m, int64_t n, int64_t k,
                    mp_gemm_map *g)
{
    int64_t drain;
    if (mp_engine_map(a, NULL, m, n, k, g, NULL) ||
        mp_engine_drain(a, NULL, m, n, k, &drain, NULL))
        return -1;
    mp_engine_set_drain(a, g, drain);
    return 0;
}

int64_t mp_engine_fold_cycles(const mp_arch *a, int64_t m, int64_t n,
                              int64_t k)
{
    mp_gemm_map g;
    if (tile_map(a, m, n, k, &g))
        return -1;
    return g.fold_cycles;
}

int64_t mp_engine_seq_cycles(const mp_arch *a, int64_t folds, int64_t m,
                             int64_t n, int64_t k)
{
    mp_gemm_map g;
    if (folds < 0 || tile_map(a, m, n, k, &g))
        return -1;
    return mp_engine_folds_cycles(a, &g, folds);
}
