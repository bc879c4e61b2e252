/* memory.c - see memory.h. */
#include "sim/memory.h"

#include <assert.h>
#include <math.h>
#include <string.h>

static double usable(const mp_buffer *b)
{
    return b->double_buffered ? (double)b->bytes / 2.0 : (double)b->bytes;
}

static int64_t ceil_div(int64_t a, int64_t b)
{
    return (a + b - 1) / b;
}

/* Evaluate one (Mt, Nt) block choice in both loop orders; keep the best. */
static void try_block(const mp_arch *a, int64_t m, int64_t n, int64_t k,
                      const mp_operand_bits *b, int64_t mt, int64_t nt,
                      mp_mem_plan *best, int *have)
{
    double xB = b->x_bits / 8.0, wB = b->w_bits / 8.0;
    double cap_x = usable(&a->abuf), cap_w = usable(&a->wbuf);
    double x_all = (double)m * k * xB, w_all = (double)k * n * wB;
    int64_t nm = ceil_div(m, mt), nn = ceil_div(n, nt);
    int x_panel = (double)mt * k * xB <= cap_x;
    int w_panel = (double)k * nt * wB <= cap_w;
    for (int m_outer = 1; m_outer >= 0; m_outer--) {
        double xr, wr;
        if (m_outer) {
            xr = x_panel ? 1 : (double)nn;
            wr = w_all <= cap_w ? 1 : (double)nm;
        } else {
            wr = w_panel ? 1 : (double)nm;
            xr = x_all <= cap_x ? 1 : (double)nn;
        }
        double traffic = xr * x_all + wr * w_all;
        if (*have && traffic >= best->x_reads * best->x_bytes +
                                    best->w_reads * best->w_bytes)
            continue;
        *have = 1;
        best->mt = mt, best->nt = nt, best->nm = nm, best->nn = nn;
        best->m_outer = m_outer;
        best->x_reads = xr, best->w_reads = wr;
        best->x_bytes = x_all, best->w_bytes = w_all;
    }
}

int mp_memory_plan(const mp_arch *a, int64_t m, int64_t n, int64_t k,
                   const mp_operand_bits *b, int64_t m_align,
                   int64_t n_align, mp_mem_plan *out)
{
    memset(out, 0, sizeof *out);
    assert(m >= 1 && n >= 1 && k >= 1); /* the engine mapped the shape */
    if (m_align < 1)
        m_align = 1;
    if (n_align < 1)
        n_align = 1;
    double accB = b->acc_bits / 8.0;
    double cap_o = usable(&a->obuf);
    int have = 0;
    for (int64_t mt = m_align;; mt *= 2) {
        if (mt > m)
            mt = m;
        double fit = floor(cap_o / ((double)mt * accB));
        int64_t nt = fit >= (double)n ? n : (int64_t)fit;
        if (nt > n_align)
            nt -= nt % n_align;
        if (nt >= 1)
            try_block(a, m, n, k, b, mt, nt, out, &have);
        if (mt == m)
            break;
    }
    if (!have) /* output buffer smaller than one column: 1 x 1 blocks */
        try_block(a, m, n, k, b, 1, 1, out, &have);
    /* a 1 x 1 block always exists; each operand is read at least once */
    assert(have && out->mt >= 1 && out->nt >= 1);
    assert(out->x_reads >= 1 && out->w_reads >= 1);
    /* K chunk: the X and W chunks of one step fit their (half) buffers. */
    double xB = b->x_bits / 8.0, wB = b->w_bits / 8.0;
    double kx = floor(usable(&a->abuf) / ((double)out->mt * xB));
    double kw = floor(usable(&a->wbuf) / ((double)out->nt * wB));
    double kt = kx < kw ? kx : kw;
    out->kt = kt >= (double)k ? k : (kt < 1 ? 1 : (int64_t)kt);
    out->nk = ceil_div(k, out->kt);
    assert(out->kt >= 1 && out->kt <= k && out->nk >= 1);
    out->o_bytes = (double)m * n * b->o_bits / 8.0;
    out->dram_read_bytes = out->x_reads * out->x_bytes +
                           out->w_reads * out->w_bytes;
    out->dram_write_bytes = out->o_bytes;
    out->steps = (double)out->nm * (double)out->nn * (double)out->nk;
    return 0;
}

void mp_memory_sram(const mp_arch *a, const mp_gemm_map *g,
                    const mp_mem_plan *p, const mp_operand_bits *b,
                    mp_sram_traffic *out)
{
    memset(out, 0, sizeof *out);
    double m, n;
    /* Recover M and N from the mapping (the dims the dataflow placed). */
    switch (a->dataflow) {
    case MP_DF_OS: m = (double)g->dim_r, n = (double)g->dim_c; break;
    case MP_DF_WS: m = (double)g->dim_t, n = (double)g->dim_c; break;
    default:       m = (double)g->dim_c, n = (double)g->dim_t; break;
    }
    double psum = m * n * b->acc_bits / 8.0;
    switch (a->dataflow) {
    case MP_DF_OS: /* each X row panel once per column fold, W per row fold */
        out->x_read = p->x_bytes * (double)g->folds_c;
        out->w_read = p->w_bytes * (double)g->folds_r;
        out->o_write = p->o_bytes;
        break;
    case MP_DF_WS: /* W loaded once; X streamed once per column (N) fold;
                      partial sums round-trip once per K fold */
        out->w_read = p->w_bytes;
        out->x_read = p->x_bytes * (double)g->folds_c;
        out->o_write = psum * (double)g->folds_r;
        out->o_read = psum * (double)(g->folds_r - 1);
        break;
    default:       /* IS: X loaded once; W streamed once per M fold */
        out->x_read = p->x_bytes;
        out->w_read = p->w_bytes * (double)g->folds_c;
        out->o_write = psum * (double)g->folds_r;
        out->o_read = psum * (double)(g->folds_r - 1);
        break;
    }
    out->x_write = p->x_reads * p->x_bytes; /* DRAM fills */
    out->w_write = p->w_reads * p->w_bytes;
    out->o_read += p->o_bytes;              /* write-back drain */
    out->energy_pj =
        8.0 * (out->w_read * a->wbuf.read_pj_bit +
               out->w_write * a->wbuf.write_pj_bit +
               out->x_read * a->abuf.read_pj_bit +
               out->x_write * a->abuf.write_pj_bit +
               out->o_read * a->obuf.read_pj_bit +
               out->o_write * a->obuf.write_pj_bit);
}

double mp_memory_transfer_s(const mp_dram *m, double bytes)
{
    return bytes / (m->bytes_per_s * m->efficiency);
}

double mp_memory_transfer_cycles(double bytes, double bytes_per_cycle,
                                 double efficiency, double latency_cycles)
{
    if (!(bytes > 0))
        return 0;
    return latency_cycles + bytes / (bytes_per_cycle * efficiency);
}

void mp_memory_overlap(double compute_s, double transfer_s, double steps,
                       double latency_s, int double_buffered,
                       mp_overlap *out)
{
    memset(out, 0, sizeof *out);
    if (!(transfer_s > 0)) {
        out->total_s = compute_s;
        return;
    }
    if (!double_buffered) {
        out->total_s = latency_s + transfer_s + compute_s;
        out->exposed_transfer_s = latency_s + transfer_s;
        out->memory_bound = transfer_s > compute_s;
        return;
    }
    double first = transfer_s / (steps >= 1 ? steps : 1);
    double rest = transfer_s - first;
    double body = compute_s > rest ? compute_s : rest;
    out->total_s = latency_s + first + body;
    out->exposed_transfer_s = out->total_s - compute_s;
    out->memory_bound = rest > compute_s;
}

double mp_memory_dram_pj(const mp_dram *m, double read_bytes,
                         double write_bytes)
{
    return 8.0 * (read_bytes * m->read_pj_bit + write_bytes * m->write_pj_bit);
}
