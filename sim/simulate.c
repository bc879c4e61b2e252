/* simulate.c - see simulate.h. */
#include "sim/simulate.h"

#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim/engine.h"
#include "sim/memory.h"

/* PE timing and cost at one operand precision. */
typedef struct op_pe {
    mp_wfmt wfmt;
    mp_act_fmt act;
    int group_size, has_zeros;
    mp_pe_params p;
    mp_pe_timing t;
    mp_pe_cost c;
} op_pe;

#define PE_CACHE 16
typedef struct pe_cache {
    op_pe e[PE_CACHE];
    int n;
} pe_cache;

/* Edge-unit hardware seen over the run: the largest instance counts. */
typedef struct edge_hw {
    double area_um2, lut, ff, dsp;
} edge_hw;

static int bind_precision(const mp_arch *a, pe_cache *cache, mp_wfmt w,
                          mp_act_fmt act, int group, int zeros,
                          const char *opname, const op_pe **out, mp_diag *d)
{
    for (int i = 0; i < cache->n; i++) {
        const op_pe *e = &cache->e[i];
        if (e->wfmt.kind == w.kind && e->wfmt.bits == w.bits &&
            e->act == act && e->group_size == group && e->has_zeros == zeros) {
            *out = e;
            return 0;
        }
    }
    op_pe tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.wfmt = w, tmp.act = act, tmp.group_size = group;
    tmp.has_zeros = zeros;
    /* another precision gets its own family defaults (mp_arch_pe_at) */
    mp_arch_pe_at(a, mp_arch_datapath_wfmt(a, w), act, &tmp.p);
    tmp.p.group_size = group;
    tmp.p.has_zeros = zeros;
    tmp.p.clock_hz = a->clock_hz;
    mp_diag pd;
    memset(&pd, 0, sizeof pd);
    if (a->pe->check(&tmp.p, &pd))
        return mp_arch_refuse(a, w, act, opname, &pd, d);
    a->pe->timing(&tmp.p, &tmp.t);
    if (tmp.p.wfmt.bits != w.bits && !(tmp.t.stored_wbits > 0))
        tmp.t.stored_wbits = tmp.p.wfmt.bits; /* stored as the datapath */
    if (a->scalesim)
        tmp.t.pipeline_depth = 0;
    if (mp_arch_pe_cost(a, &tmp.p, &tmp.c, d))
        return -1;
    op_pe *slot = &cache->e[cache->n < PE_CACHE ? cache->n++ : PE_CACHE - 1];
    *slot = tmp;
    *out = slot;
    return 0;
}

/* The precision a GEMM_ACT op runs at: its second operand (KV cache or
 * activations) is b_bits wide, a signed integer without group scales (the
 * group size passed to the PE is the arch's default, which it accepts).
 * If the PE does not take b_bits (LUT TC: at most 4), the operand is split
 * into `passes` slices of the widest width w < b_bits it takes, each slice
 * a full pass over the array (bit-slicing with shifted accumulation, an
 * mpsim assumption, docs/model.md).  A 16-bit operand (FP16 KV) runs as
 * FP16 weights in one pass where the PE takes them (fp16-mac with FP16
 * activations), else as 8-bit slices. */
static int bind_op(const mp_arch *a, pe_cache *cache, const mp_trace_op *op,
                   const op_pe **out, int *passes, mp_diag *d)
{
    *passes = 1;
    /* A per-channel group is the whole of K, and the PE sizes its group
     * accumulator for the group it is given: beyond 2^31 - 1 terms no
     * register the golden allows (<= 64 bits) is guaranteed to hold the
     * sum, so the shape is refused rather than truncated. */
    if (op->kind == MP_OP_GEMM_WEIGHT && op->group_size <= 0 &&
        op->k > INT_MAX)
        return mp_fail(d, MP_CMDLINE, 0, op->name, "per-channel group of "
                       "K = %lld terms overflows the group accumulator "
                       "(at most %d terms)", (long long)op->k, INT_MAX);
    int group = op->group_size > 0 ? op->group_size : (int)op->k;
    if (op->kind == MP_OP_GEMM_WEIGHT)
        return bind_precision(a, cache, op->wfmt, op->act, group,
                              op->has_zeros, op->name, out, d);
    int bits = op->b_bits > 0 ? op->b_bits : mp_act_bits(op->act);
    /* no scales on this operand: the group only has to satisfy the PE */
    int kgroup = a->pe_params.group_size;
    mp_diag first;
    mp_wfmt fp16 = {MP_W_FP16, 16};
    if (bits == 16 && mp_act_is_float(op->act) &&
        bind_precision(a, cache, fp16, op->act, kgroup, 0, op->name, out,
                       &first) == 0)
        return 0;
    for (int w = bits > 8 ? 8 : bits; w >= 1; w--) {
        mp_wfmt wf = {MP_W_SIGNED, w};
        mp_diag *dd = w == (bits > 8 ? 8 : bits) ? &first : d;
        if (bind_precision(a, cache, wf, op->act, kgroup, 0, op->name, out,
                           dd) == 0) {
            *passes = (bits + w - 1) / w;
            return 0;
        }
    }
    (void)first;
    return -1;
}

/* Bits per element of the second operand in DRAM and buffers: a weight's
 * stored width as the PE keeps it (compressed N:M codes with their index,
 * pe.h stored_wbits) plus its amortized group scale and zero point (the
 * zero point at the code width); the KV / activation operand at its
 * width (docs/model.md, "DRAM layout"). */
static double weight_bits(const mp_arch *a, const mp_trace_op *op,
                          const mp_pe_timing *t)
{
    if (op->kind == MP_OP_GEMM_ACT)
        return op->b_bits > 0 ? op->b_bits : mp_act_bits(op->act);
    double wb = op->wfmt.bits;
    double stored = t->stored_wbits > 0 ? t->stored_wbits : wb;
    if (mp_wfmt_is_float(op->wfmt))
        return stored; /* FP16 weights: values, no scale or zero point */
    double g = op->group_size > 0 ? op->group_size : (double)op->k;
    double meta = a->scale_bits;
    if (op->has_zeros)
        meta += a->zero_bits > 0 ? a->zero_bits : wb;
    return stored + meta / g;
}

static int64_t to_cycles(double s, double clock)
{
    double c = ceil(s * clock - 1e-6);
    return c > 0 ? (int64_t)c : 0;
}

/* Controller cycles of one trace op (docs/model.md, "Control
 * overheads"): `insts` instructions issued, each costing the array
 * ctrl_issue_cycles, and one synchronisation / layer switch. */
static int64_t control_cycles(const mp_arch *a, double insts)
{
    double c = a->ctrl_issue_cycles * insts + a->ctrl_sync_cycles;
    return c > 0 ? (int64_t)ceil(c) : 0;
}

static void leakage_and_total(const mp_arch *a, mp_layer *L)
{
    double pes = (double)a->rows * a->cols * a->cores;
    double leak_w = a->cost.leakage_uw * 1e-6 * pes + a->idle_leak_w +
                    a->sram_leakage_w + a->static_w;
    L->e.leakage = leak_w * L->seconds * 1e12;
    L->e.sram += a->buffer_w * L->seconds * 1e12;
    L->e.dram += a->dram.background_w * L->seconds * 1e12;
    L->e.total = L->e.pe + L->e.edge + L->e.vector + L->e.sram + L->e.dram +
                 L->e.leakage;
}

static void vector_op(const mp_arch *a, const mp_trace_op *op, mp_layer *L)
{
    double ops = (double)op->m * (op->ops_per_element > 0
                                      ? op->ops_per_element : 1.0);
    L->vector_cycles = (int64_t)ceil(ops / a->vector_ops_per_cycle);
    L->control_cycles = control_cycles(a, 1);
    L->cycles = L->vector_cycles + L->control_cycles;
    L->peak_macs_per_cycle = mp_arch_peak_macs_per_cycle(a); /* array idle */
    L->seconds = (double)L->cycles / a->clock_hz;
    L->e.vector = ops * a->vector_pj_op;
    leakage_and_total(a, L);
}

/* Edge units of this GEMM: their costs ec[0..*n) (the energy follows
 * from them once the GEMM's cycles are known: mp_arch_edge_pj), serial
 * cycles, the longest overlapped run, the drain they add after a fold's
 * last array output, and the hardware they occupy. */
static int edge_units(const mp_arch *a, const op_pe *pe, const mp_trace_op *op,
                      int64_t *serial, int64_t *overlapped, int64_t *drain,
                      mp_edge_cost *ec, int *n_out, edge_hw *hw, mp_diag *d)
{
    *serial = *overlapped = *drain = 0;
    *n_out = 0;
    memset(hw, 0, sizeof *hw);
    if (!a->pe->edge)
        return 0;
    memset(ec, 0, MP_MAX_EDGE * sizeof *ec);
    mp_gemm_shape shape = {op->m, op->n, op->k};
    int n = a->pe->edge(&pe->p, &a->tech, &shape, a->rows, a->cols, ec, d);
    if (n < 0)
        return -1;
    *n_out = n;
    for (int i = 0; i < n && i < MP_MAX_EDGE; i++) {
        double rate = ec[i].ops_per_cycle * a->cores;
        int64_t cyc = rate > 0 ? (int64_t)ceil(ec[i].ops / rate) : 0;
        if (ec[i].overlaps_compute)
            *overlapped = cyc > *overlapped ? cyc : *overlapped;
        else
            *serial += cyc;
        if (ec[i].drain_cycles > *drain)
            *drain = ec[i].drain_cycles;
        hw->area_um2 += ec[i].area_um2 * a->cores;
        hw->lut += ec[i].lut * a->cores;
        hw->ff += ec[i].ff * a->cores;
        hw->dsp += ec[i].dsp * a->cores;
    }
    return 0;
}

/* The memory side of one GEMM: blocking, SRAM traffic, overlap. */
typedef struct gemm_memory {
    mp_mem_plan plan;
    mp_sram_traffic sram;
    mp_overlap overlap;
} gemm_memory;

static void gemm_memory_side(const mp_arch *a, const op_pe *pe,
                             const mp_trace_op *op, const mp_gemm_map *g,
                             double compute_s, gemm_memory *m)
{
    mp_operand_bits b = {mp_act_bits(op->act), weight_bits(a, op, &pe->t),
                         a->out_bits, a->acc_bits};
    int64_t m_align, n_align; /* the array's coverage of M and N */
    switch (a->dataflow) {
    case MP_DF_OS: m_align = g->cover_r, n_align = g->cover_c; break;
    case MP_DF_WS: m_align = g->tile_t, n_align = g->cover_c; break;
    default:       m_align = g->cover_c, n_align = g->tile_t; break;
    }
    mp_memory_plan(a, op->m, op->n, op->k, &b, m_align, n_align, &m->plan);
    if (a->weights_on_chip && op->kind == MP_OP_GEMM_WEIGHT) {
        /* resident weights never cross from DRAM (capacity() checks that
         * they fit the weight buffer) */
        m->plan.dram_read_bytes -= m->plan.w_reads * m->plan.w_bytes;
        m->plan.w_reads = 0;
    }
    mp_memory_sram(a, g, &m->plan, &b, &m->sram);
    /* SCALE-Sim CALC mode: the interface never stalls */
    double transfer_s = a->scalesim_calc_bw
        ? 0 : mp_memory_transfer_s(&a->dram, m->plan.dram_read_bytes +
                                                 m->plan.dram_write_bytes);
    mp_memory_overlap(compute_s, transfer_s, m->plan.steps,
                      a->scalesim_calc_bw ? 0 : a->dram.latency_s,
                      a->wbuf.double_buffered && a->abuf.double_buffered,
                      &m->overlap);
}

static void gemm_energy(const mp_arch *a, const op_pe *pe,
                        const mp_gemm_map *g, const gemm_memory *m,
                        double edge_pj, double compute_s, mp_layer *L)
{
    double pes = (double)a->rows * a->cols * a->cores;
    /* Tile energy when the PE model gives it; otherwise (FPGA models
     * that give only watts) active power x busy time. */
    L->e.pe = pe->c.energy_pj_tile > 0
        ? g->tiles * pe->c.energy_pj_tile
        : pe->c.fpga_dynamic_w * pes * compute_s * 1e12;
    L->e.edge = edge_pj;
    L->e.sram = m->sram.energy_pj;
    L->e.dram = mp_memory_dram_pj(&a->dram, m->plan.dram_read_bytes,
                                  m->plan.dram_write_bytes);
    leakage_and_total(a, L);
}

static int gemm_op(const mp_arch *a, pe_cache *cache, const mp_trace_op *op,
                   mp_layer *L, edge_hw *hw, mp_diag *d)
{
    const op_pe *pe;
    int passes;
    if (bind_op(a, cache, op, &pe, &passes, d))
        return -1;
    mp_gemm_map g;
    if (mp_engine_map(a, &pe->t, op->m, op->n, op->k, &g, d)) {
        if (d)
            snprintf(d->field, sizeof d->field, "%s", op->name);
        return -1;
    }
    /* Edge units (group dequant, tables, packing correction) serve the
     * quantized-weight GEMMs; an activation x activation GEMM has no group
     * scales (mpsim assumption, docs/model.md), so integer output and no
     * dequant drain. */
    int64_t serial = 0, overlapped = 0, drain = 0;
    mp_edge_cost ec[MP_MAX_EDGE];
    int n_edge = 0;
    if (op->kind == MP_OP_GEMM_WEIGHT &&
        edge_units(a, pe, op, &serial, &overlapped, &drain, ec, &n_edge, hw,
                   d))
        return -1;
    mp_engine_set_drain(a, &g, drain);
    g.compute_cycles *= passes;
    g.tiles *= passes;
    int64_t busy = g.compute_cycles > overlapped ? g.compute_cycles
                                                 : overlapped;
    int64_t compute = busy + serial;
    double compute_s = (double)compute / a->clock_hz;
    /* every pass reads its M x N results out through the read port */
    double results = (double)op->m * (double)op->n * passes;
    double edge_pj = n_edge > 0 ? mp_arch_edge_pj(a, pe->p.act, ec, n_edge,
                                                  (double)compute, results)
                                : 0;
    gemm_memory m;
    gemm_memory_side(a, pe, op, &g, compute_s, &m);
    if (m.overlap.total_s * a->clock_hz > (double)((int64_t)1 << 62))
        return mp_fail(d, a->file, 0, op->name, "layer takes more than 2^62 "
                       "cycles (memory far too slow for the shape?)");

    L->w_bits = weight_bits(a, op, &pe->t);
    L->pe_act = pe->p.act;
    L->macs = g.macs;
    L->folds = g.folds;
    L->compute_cycles = g.compute_cycles;
    L->edge_cycles = compute - g.compute_cycles;
    L->stall_cycles = to_cycles(m.overlap.total_s - compute_s, a->clock_hz);
    L->control_cycles =
        control_cycles(a, a->ctrl_insts_per_chunk * m.plan.steps);
    L->cycles = compute + L->stall_cycles + L->control_cycles;
    L->seconds = (double)L->cycles / a->clock_hz;
    double peak = (double)pe->t.tile_m * pe->t.tile_n * pe->t.tile_k /
                  (pe->t.cycles_per_tile > 0 ? pe->t.cycles_per_tile : 1) *
                  (double)a->rows * a->cols * a->cores;
    L->peak_macs_per_cycle = peak;
    L->util = (double)op->m * op->n * g.k_eff / ((double)L->cycles * peak);
    L->mapping_eff = g.mapping_eff;
    L->compute_util = g.mapping_eff * (double)g.dim_t / (double)g.fold_cycles;
    L->memory_bound = m.overlap.memory_bound;
    L->dram_read_bytes = m.plan.dram_read_bytes;
    L->dram_write_bytes = m.plan.dram_write_bytes;
    L->sram_read_bytes = m.sram.w_read + m.sram.x_read + m.sram.o_read;
    L->sram_write_bytes = m.sram.w_write + m.sram.x_write + m.sram.o_write;
    gemm_energy(a, pe, &g, &m, edge_pj, compute_s, L);
    return 0;
}

static void add_energy(mp_energy *t, const mp_energy *e, double times)
{
    t->pe += e->pe * times;
    t->edge += e->edge * times;
    t->vector += e->vector * times;
    t->sram += e->sram * times;
    t->dram += e->dram * times;
    t->leakage += e->leakage * times;
    t->total += e->total * times;
}

static void add_energy_scaled(mp_energy *e, double x)
{
    mp_energy one = *e;
    memset(e, 0, sizeof *e);
    add_energy(e, &one, x);
}

/* Scale every additive quantity of one instance by `x`. */
static void scale_layer(mp_layer *L, double x)
{
    L->compute_cycles = (int64_t)ceil((double)L->compute_cycles * x);
    L->edge_cycles = (int64_t)ceil((double)L->edge_cycles * x);
    L->stall_cycles = (int64_t)ceil((double)L->stall_cycles * x);
    L->control_cycles = (int64_t)ceil((double)L->control_cycles * x);
    L->cycles = L->compute_cycles + L->edge_cycles + L->stall_cycles +
                L->control_cycles;
    L->seconds *= x;
    L->folds = (int64_t)ceil((double)L->folds * x);
    L->dram_read_bytes *= x, L->dram_write_bytes *= x;
    L->sram_read_bytes *= x, L->sram_write_bytes *= x;
    add_energy_scaled(&L->e, x);
}

/* MoE experts (op->experts > 0): the routed rows are spread evenly over
 * the experts touched; one expert's GEMM (ceil(m / experts) rows) is
 * costed and scaled by the expected expert count, so each touched
 * expert's weights cross from DRAM once (docs/workloads.md). */
static int expert_op(const mp_arch *a, pe_cache *cache, const mp_trace_op *op,
                     mp_layer *L, edge_hw *hw, mp_diag *d)
{
    mp_trace_op one = *op;
    one.experts = 0;
    one.m = (int64_t)ceil((double)op->m / op->experts - 1e-9);
    if (one.m < 1)
        one.m = 1;
    if (gemm_op(a, cache, &one, L, hw, d))
        return -1;
    double per_cycle = L->util * (double)L->cycles / L->macs;
    scale_layer(L, op->experts);
    L->macs = (double)op->m * (double)op->n * (double)op->k;
    L->util = L->cycles > 0 ? L->macs * per_cycle / (double)L->cycles : 0;
    return 0;
}

/* One GEMM op at the arch's dataflow: MoE experts or a plain GEMM. */
static int one_mapping(const mp_arch *a, pe_cache *cache,
                       const mp_trace_op *op, mp_layer *L, edge_hw *hw,
                       mp_diag *d)
{
    if (op->kind == MP_OP_GEMM_WEIGHT && op->experts > 0)
        return expert_op(a, cache, op, L, hw, d);
    return gemm_op(a, cache, op, L, hw, d);
}

/* array.dataflow auto: every dataflow of the set, the least cycles
 * winning, ties to the least energy, then the set's order (os, ws, is). */
static int gemm_op_search(const mp_arch *a, pe_cache *cache,
                          const mp_trace_op *op, mp_layer *L, edge_hw *hw,
                          mp_diag *d)
{
    if (!a->dataflow_auto) {
        L->dataflow = a->dataflow;
        return one_mapping(a, cache, op, L, hw, d);
    }
    mp_arch try = *a;
    mp_layer best = *L, cand;
    edge_hw best_hw, cand_hw;
    int found = 0;
    for (int df = MP_DF_OS; df <= MP_DF_IS; df++) {
        if (!(a->dataflow_auto & (1 << df)))
            continue;
        try.dataflow = (mp_dataflow)df;
        cand = *L;
        memset(&cand_hw, 0, sizeof cand_hw);
        if (one_mapping(&try, cache, op, &cand, &cand_hw, d))
            return -1;
        cand.dataflow = (mp_dataflow)df;
        if (!found || cand.cycles < best.cycles ||
            (cand.cycles == best.cycles && cand.e.total < best.e.total)) {
            best = cand;
            best_hw = cand_hw;
            found = 1;
        }
    }
    *L = best;
    *hw = best_hw;
    return 0;
}

static int simulate_op(const mp_arch *a, pe_cache *cache,
                       const mp_trace_op *op, mp_layer *L, edge_hw *hw,
                       mp_diag *d)
{
    memset(L, 0, sizeof *L);
    memset(hw, 0, sizeof *hw);
    snprintf(L->name, sizeof L->name, "%s", op->name);
    L->kind = op->kind;
    L->m = op->m, L->n = op->n, L->k = op->k;
    L->repeat = op->repeat;
    if (op->repeat < 0)
        return mp_fail(d, a->file, 0, op->name, "repeat must be >= 0");
    if (op->kind == MP_OP_VECTOR) {
        if (op->m < 0)
            return mp_fail(d, a->file, 0, op->name, "elements must be >= 0");
        vector_op(a, op, L);
        return 0;
    }
    return gemm_op_search(a, cache, op, L, hw, d);
}

/* Where an op runs: activation x activation GEMMs on the attention
 * array when the arch has one (docs/model.md, "Attention array"), every
 * other op on the array.  Each array has its own PE cache. */
typedef struct op_router {
    const mp_arch *array;
    mp_arch attn;          /* the attention view, when has_attn        */
    int has_attn;
    pe_cache cache, attn_cache;
} op_router;

static void router_init(op_router *r, const mp_arch *a)
{
    r->array = a;
    r->has_attn = a->attn_pe != NULL;
    if (r->has_attn)
        mp_arch_attention_view(a, &r->attn);
    r->cache.n = r->attn_cache.n = 0;
}

static int route_op(op_router *r, const mp_trace_op *op, mp_layer *L,
                    edge_hw *hw, mp_diag *d)
{
    int attn = r->has_attn && op->kind == MP_OP_GEMM_ACT;
    int rc = attn ? simulate_op(&r->attn, &r->attn_cache, op, L, hw, d)
                  : simulate_op(r->array, &r->cache, op, L, hw, d);
    L->on_attention = attn;
    return rc;
}

int mp_simulate_op(const mp_arch *a, const mp_trace_op *op, mp_layer *out,
                   mp_diag *d)
{
    op_router *r = malloc(sizeof *r); /* two caches: keep them off the stack */
    if (!r)
        return mp_fail(d, MP_CMDLINE, 0, "workload", "out of memory");
    router_init(r, a);
    edge_hw hw;
    int rc = route_op(r, op, out, &hw, d);
    free(r);
    return rc;
}


/* The edge units the chip is built with: those of the arch's own design
 * point (pe_params: its default precision and group), sized for one
 * array-sized tile of one group.  Area and resources are the hardware's,
 * not the workload's (a run at another --quant reuses them). */
static int arch_edge_hw(const mp_arch *a, edge_hw *hw, mp_diag *d)
{
    memset(hw, 0, sizeof *hw);
    if (!a->pe->edge)
        return 0;
    int64_t g = a->pe_params.group_size > 0 ? a->pe_params.group_size : 128;
    mp_gemm_shape shape = {a->rows, a->cols, g};
    mp_edge_cost ec[MP_MAX_EDGE];
    memset(ec, 0, sizeof ec);
    int n = a->pe->edge(&a->pe_params, &a->tech, &shape, a->rows, a->cols,
                        ec, d);
    if (n < 0)
        return -1;
    for (int i = 0; i < n && i < MP_MAX_EDGE; i++) {
        hw->area_um2 += ec[i].area_um2 * a->cores;
        hw->lut += ec[i].lut * a->cores;
        hw->ff += ec[i].ff * a->cores;
        hw->dsp += ec[i].dsp * a->cores;
    }
    return 0;
}

static void hardware_totals(const mp_arch *a, const edge_hw *edge, mp_run *r)
{
    r->pes = (int64_t)a->rows * a->cols * a->cores;
    r->peak_macs_per_cycle = mp_arch_peak_macs_per_cycle(a);
    r->is_fpga = a->tech.is_fpga;
    r->pe_area_mm2 = a->cost.area_um2 * (double)r->pes * 1e-6;
    r->edge_area_mm2 = edge->area_um2 * 1e-6;
    r->sram_area_mm2 = a->sram_area_mm2;
    r->area_mm2 = r->pe_area_mm2 + r->edge_area_mm2 + r->sram_area_mm2;
    r->dsp = a->cost.dsp * (double)r->pes + edge->dsp;
    r->lut = a->cost.lut * (double)r->pes + edge->lut;
    r->ff = a->cost.ff * (double)r->pes + edge->ff;
    r->bram = a->cost.bram * (double)r->pes;
    r->uram = a->cost.uram * (double)r->pes;
    if (r->is_fpga) /* on-chip buffers in UltraRAM */
        r->uram += mp_arch_fpga_buffer_blocks(a);
}

/* The attention array is hardware of the chip: its PEs count in the PE
 * area, its edge units in the edge area (docs/model.md). */
static void attention_totals(const mp_arch *view, const edge_hw *edge,
                             mp_run *r)
{
    double pes = (double)view->rows * view->cols * view->cores;
    double pe_mm2 = view->cost.area_um2 * pes * 1e-6;
    r->pe_area_mm2 += pe_mm2;
    r->edge_area_mm2 += edge->area_um2 * 1e-6;
    r->area_mm2 += pe_mm2 + edge->area_um2 * 1e-6;
    r->attn_area_mm2 = pe_mm2 + edge->area_um2 * 1e-6;
    r->dsp += view->cost.dsp * pes + edge->dsp;
    r->lut += view->cost.lut * pes + edge->lut;
    r->ff += view->cost.ff * pes + edge->ff;
}

static void rates(mp_run *r)
{
    double joules = r->e.total * 1e-12;
    if (r->latency_s > 0) {
        r->tokens_per_s = (double)r->tokens / r->latency_s;
        r->tops = 2.0 * r->macs / r->latency_s / 1e12;
    }
    if (joules > 0) {
        r->tokens_per_j = (double)r->tokens / joules;
        r->tops_per_w = 2.0 * r->macs / joules / 1e12;
    }
    if (r->area_mm2 > 0)
        r->tops_per_mm2 = r->tops / r->area_mm2;
}

/* Weights + KV cache + activations against the off-chip capacity
 * (docs/model.md, "Capacity"): refused or flagged per dram.capacity. */
static int capacity(const mp_arch *a, const mp_trace *t, mp_run *r,
                    mp_diag *d)
{
    for (size_t i = 0; i < t->count; i++) {
        const mp_trace_op *op = &t->ops[i];
        if (op->kind == MP_OP_GEMM_WEIGHT && op->stored > 0)
            r->weight_store_bytes += (double)op->stored * (double)op->k *
                                     (double)op->n * r->layers[i].w_bits / 8.0;
    }
    r->weight_store_bytes += t->table_bytes;
    r->kv_cache_bytes = t->kv_cache_bytes;
    r->activation_bytes = t->activation_bytes;
    r->capacity_bytes = a->dram.capacity_bytes;
    if (a->weights_on_chip) {
        r->onchip_capacity_bytes = (double)a->wbuf.bytes;
        r->onchip_exceeded = r->weight_store_bytes > r->onchip_capacity_bytes;
        if (r->onchip_exceeded && a->dram.capacity_refuse)
            return mp_fail(d, a->file, 0, "buffers.weights_on_chip", "%s "
                           "keeps %.3f MB of weights on chip but the weight "
                           "buffer holds %.3f MB (dram.capacity: refuse)",
                           t->model, r->weight_store_bytes / 1e6,
                           r->onchip_capacity_bytes / 1e6);
    }
    double need = (a->weights_on_chip ? 0 : r->weight_store_bytes) +
                  r->kv_cache_bytes + r->activation_bytes;
    r->capacity_exceeded = r->capacity_bytes > 0 && need > r->capacity_bytes;
    if (r->capacity_exceeded && a->dram.capacity_refuse)
        return mp_fail(d, a->file, 0, "dram.gbytes", "%s needs %.3f GB "
                       "(weights %.3f + KV cache %.3f + activations %.3f) "
                       "but %s holds %.3f GB (dram.capacity: refuse)",
                       t->model, need / 1e9, r->weight_store_bytes / 1e9,
                       r->kv_cache_bytes / 1e9, r->activation_bytes / 1e9,
                       a->dram.kind, r->capacity_bytes / 1e9);
    return 0;
}

int mp_simulate_trace(const mp_arch *a, const mp_trace *t, mp_run *out,
                      mp_diag *d)
{
    memset(out, 0, sizeof *out);
    if (t->count == 0)
        return mp_fail(d, MP_CMDLINE, 0, "workload", "trace has no "
                       "operations");
    out->layers = calloc(t->count, sizeof *out->layers);
    if (!out->layers)
        return mp_fail(d, MP_CMDLINE, 0, "workload", "out of memory");
    out->count = t->count;
    op_router *router = malloc(sizeof *router);
    if (!router) {
        mp_run_free(out);
        return mp_fail(d, MP_CMDLINE, 0, "workload", "out of memory");
    }
    router_init(router, a);
    edge_hw edge_max, hw;
    memset(&edge_max, 0, sizeof edge_max);
    double peak_cycles = 0; /* sum of cycles x the peak they could reach */
    for (size_t i = 0; i < t->count; i++) {
        mp_layer *L = &out->layers[i];
        if (route_op(router, &t->ops[i], L, &hw, d)) {
            free(router);
            mp_run_free(out);
            return -1;
        }
        double rep = (double)L->repeat;
        out->macs += L->macs * rep;
        peak_cycles += (double)L->cycles * rep * L->peak_macs_per_cycle;
        out->cycles += (double)L->cycles * rep;
        out->latency_s += L->seconds * rep;
        out->dram_bytes += (L->dram_read_bytes + L->dram_write_bytes) * rep;
        add_energy(&out->e, &L->e, rep);
        if (L->kind != MP_OP_VECTOR) {
            if (L->memory_bound)
                out->memory_layers++;
            else
                out->compute_layers++;
        }
    }
    edge_hw attn_edge;
    memset(&attn_edge, 0, sizeof attn_edge);
    int rc = capacity(a, t, out, d) || arch_edge_hw(a, &edge_max, d) ||
             (router->has_attn && arch_edge_hw(&router->attn, &attn_edge, d));
    if (!rc) {
        out->util = peak_cycles > 0 ? out->macs / peak_cycles : 0;
        hardware_totals(a, &edge_max, out);
        if (router->has_attn)
            attention_totals(&router->attn, &attn_edge, out);
    }
    free(router);
    if (rc) {
        mp_run_free(out);
        return -1;
    }
    /* prefill: prompt tokens processed; decode/request: tokens produced */
    out->tokens = !strcmp(t->phase, "prefill") || t->tokens_out <= 0
                      ? t->tokens_in : t->tokens_out;
    rates(out);
    return 0;
}

void mp_run_free(mp_run *r)
{
    free(r->layers);
    r->layers = NULL;
    r->count = 0;
}
