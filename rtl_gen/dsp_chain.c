/*
 * dsp_chain.c - Verilog generator of the FPGA DSP chain (FlightLLM-style
 * cascaded DSP48E2 slices, two INT8 products per slice).
 *
 * Micro-architecture (docs/rtl.md, "dsp-chain"):
 *   - the array is rows x cols DSP48E2 slices; each column holds
 *     rows / chain_len chains of chain_len slices cascaded PCOUT -> PCIN
 *     along K (M_TILE = 2 * rows / chain_len, N_TILE = cols);
 *     chain (r, n) computes rows 2r (high lane) and 2r+1 (low lane) of
 *     column n: each slice forms P = ((a << 18) + d) * w on its pre-adder
 *     and multiplier, a = x[2r][k], d = x[2r+1][k], w = wq[k][n];
 *   - the in-place limit: a cascade holds at most `lane_limit` products (7
 *     for INT8 x INT8) before its low 18-bit lane could overflow, so a chain
 *     longer than that is cut into balanced segments, each ending in a
 *     correction unit (low = sext(P[17:0]), high = P[47:18] + P[17]); the
 *     corrected segment lanes are aligned and summed in fabric (the
 *     reduction node) and accumulated into 32-bit per-output registers;
 *   - N:M sparse weights: per column a compressor picks the nonzero codes
 *     of each M-block and their indices; per slice two M:1 muxes select the
 *     activations of the two rows that match the index;
 *   - operands enter skewed, slice i one cycle after slice i-1, so the
 *     cascade needs no extra registers (the "chain fill" latency).
 * Every DSP48E2 is instantiated directly (Yosys 0.23 does not pack chains)
 * with AREG=1, BREG=2, DREG=1, ADREG=1, MREG=1, PREG=1: four cycles from
 * operands to P.
 */
#include "rtl_gen/dsp_chain.h"

#include <stdio.h>
#include <string.h>

#include "pe_models/pe.h"
#include "rtl_gen/block_top.h"
#include "rtl_gen/dsp48e2_model.h"
#include "rtl_gen/rtl.h"

/* Low lane of the packed product: P[17:0]; high lane starts at bit 18. */
#define LANE_SHIFT 18
#define DSP_LATENCY 4 /* A/D/B1 -> AD/B2 -> M -> P */
#define LANE_HIGH_BITS 30 /* P[47:18] */

/* ---- configuration ---------------------------------------------------- */

/* Largest number of d*w products the 18-bit low lane holds in place:
 * every partial sum must stay in [-2^17, 2^17 - 1]. */
static int lane_limit(int act_bits, int w_min, int w_max)
{
    int64_t a_min = -((int64_t)1 << (act_bits - 1));
    int64_t a_max = ((int64_t)1 << (act_bits - 1)) - 1;
    int64_t c[4] = {a_min * w_min, a_min * w_max, a_max * w_min,
                    a_max * w_max};
    int64_t lo = 0, hi = 0;
    for (int i = 0; i < 4; i++) {
        if (c[i] < lo)
            lo = c[i];
        if (c[i] > hi)
            hi = c[i];
    }
    int64_t lane_max = ((int64_t)1 << (LANE_SHIFT - 1)) - 1;
    int64_t n_hi = hi > 0 ? lane_max / hi : 1 << 20;
    int64_t n_lo = lo < 0 ? (lane_max + 1) / -lo : 1 << 20;
    int64_t n = n_hi < n_lo ? n_hi : n_lo;
    return n > 1 << 20 ? 1 << 20 : (int)n;
}

int mp_dsp_layout(mp_dsp_cfg *c)
{
    if (c->sparse_n == 0) {
        c->sparse_n = 1;
        c->sparse_m = 1;
    }
    int len = c->chain_len, nz = c->sparse_n;
    if (len % nz == 0) {
        c->fetch_k = len / nz * c->sparse_m; /* whole blocks per step */
        c->steps_per_fetch = 1;
    } else if (nz % len == 0) {
        c->fetch_k = c->sparse_m; /* one block over nz/len steps */
        c->steps_per_fetch = nz / len;
    } else {
        return -1;
    }
    c->lane_limit = lane_limit(c->act_bits, c->w_min, c->w_max);
    int segs = (len + c->lane_limit - 1) / c->lane_limit;
    if (segs > MP_DSP_MAX_SEG)
        return -1;
    c->segments = segs;
    for (int s = 0, start = 0; s < segs; s++) {
        int size = len / segs + (s < len % segs);
        c->seg_first[s] = start;
        c->seg_last[s] = start + size - 1;
        start += size;
    }
    c->w_bits = c->w_min < 0 ? mp_sbits_for(c->w_min, c->w_max)
                             : mp_clog2((int64_t)c->w_max + 1);
    if (c->w_bits < 1)
        c->w_bits = 1;
    c->latency = len + DSP_LATENCY + 1; /* skew, DSP, correction, acc */
    /* accumulators: the group's exact sum, and at least the high lane */
    int64_t most = (int64_t)1 << (c->act_bits - 1);
    most *= c->w_max > -c->w_min ? c->w_max : -c->w_min;
    c->acc_bits = mp_sbits_for(-most * c->span, most * c->span);
    if (c->acc_bits < LANE_HIGH_BITS)
        c->acc_bits = LANE_HIGH_BITS;
    return 0;
}

/* Which slot a slice fills at sub-step u: block and nonzero index. */
static int slot_block(const mp_dsp_cfg *c, int slice)
{
    return c->steps_per_fetch > 1 ? 0 : slice / c->sparse_n;
}

static int dense(const mp_dsp_cfg *c) { return c->sparse_m == 1; }

/* ---- one chain -------------------------------------------------------- */

static void emit_chain_ports(mp_vmod *m, const mp_dsp_cfg *c)
{
    int ib = mp_idx_bits(c->sparse_m);
    mp_vopen(m, "module %s (", m->name);
    mp_vline(m, "input  wire clk,");
    for (int i = 0; i < c->chain_len; i++) {
        mp_vline(m, "input  wire [%d:0] w_%d,", c->w_bits - 1, i);
        if (!dense(c))
            mp_vline(m, "input  wire [%d:0] idx_%d,", ib - 1, i);
        for (int e = 0; e < c->sparse_m; e++) {
            mp_vline(m, "input  wire [%d:0] xlo_%d_%d,", c->act_bits - 1, i, e);
            mp_vline(m, "input  wire [%d:0] xhi_%d_%d,", c->act_bits - 1, i, e);
        }
    }
    mp_vline(m, "output wire [%d:0] lane_lo,", c->acc_bits - 1);
    mp_vline(m, "output wire [%d:0] lane_hi", c->acc_bits - 1);
    mp_vclose(m, ");");
}

/* The activation a slice multiplies: a mux by index, or the only one. */
static void emit_chain_mux(mp_vmod *m, const mp_dsp_cfg *c, int i,
                           const char *lane)
{
    int ab = c->act_bits, ib = mp_idx_bits(c->sparse_m);
    if (dense(c)) {
        mp_vline(m, "wire [%d:0] a%s_%d = x%s_%d_0;", ab - 1, lane, i, lane, i);
        return;
    }
    mp_vline(m, "wire [%d:0] a%s_%d =", ab - 1, lane, i);
    for (int e = 0; e < c->sparse_m; e++)
        mp_vline(m, "    (idx_%d == %d'd%d ? x%s_%d_%d : %d'd0)%s", i, ib, e,
                 lane, i, e, ab, e + 1 < c->sparse_m ? " |" : ";");
}

static void emit_chain_slice(mp_vmod *m, const mp_dsp_cfg *c, int i,
                             int first_in_segment)
{
    int ab = c->act_bits, wb = c->w_bits;
    char bext[64];
    if (c->w_min < 0)
        snprintf(bext, sizeof bext, "{{%d{w_%d[%d]}}, w_%d}", 18 - wb, i,
                 wb - 1, i);
    else
        snprintf(bext, sizeof bext, "{%d'd0, w_%d}", 18 - wb, i);
    mp_vopen(m, "DSP48E2 #(");
    mp_vline(m, ".AREG(1), .BREG(2), .DREG(1), .ADREG(1), .MREG(1), "
                ".PREG(1),");
    mp_vline(m, ".INMODEREG(0), .OPMODEREG(0), .ALUMODEREG(0), "
                ".CARRYINREG(0), .CARRYINSELREG(0),");
    mp_vline(m, ".AMULTSEL(\"AD\"), .USE_MULT(\"MULTIPLY\")");
    mp_vclose(m, ") dsp_%d (", i);
    m->indent++;
    mp_vline(m, ".CLK(clk),");
    /* high lane on A (shifted 18 up), low lane on D, the weight on B */
    mp_vline(m, ".A({{%d{ahi_%d[%d]}}, ahi_%d, %d'd0}),", 30 - LANE_SHIFT - ab,
             i, ab - 1, i, LANE_SHIFT);
    mp_vline(m, ".D({{%d{alo_%d[%d]}}, alo_%d}),", 27 - ab, i, ab - 1, i);
    mp_vline(m, ".B(%s),", bext);
    if (i == 0)
        mp_vline(m, ".PCIN(48'd0),");
    else
        mp_vline(m, ".PCIN(pcout_%d),", i - 1);
    /* INMODE 00100: A2 + D on the pre-adder, B2 to the multiplier */
    mp_vline(m, ".INMODE(5'b00100),");
    /* OPMODE W=0, Z=PCIN (0 at a segment start), Y=M, X=M */
    mp_vline(m, ".OPMODE(9'b00%s0101),", first_in_segment ? "000" : "001");
    mp_vline(m, ".ALUMODE(4'b0000), .CARRYIN(1'b0), .CARRYINSEL(3'b000),");
    mp_vline(m, ".CEA2(1'b1), .CEB1(1'b1), .CEB2(1'b1), .CED(1'b1), "
                ".CEAD(1'b1), .CEM(1'b1), .CEP(1'b1),");
    mp_vline(m, ".RSTA(1'b0), .RSTB(1'b0), .RSTD(1'b0), .RSTM(1'b0), "
                ".RSTP(1'b0),");
    mp_vline(m, ".P(p_%d),", i);
    mp_vline(m, ".PCOUT(pcout_%d)", i);
    m->indent--;
    mp_vline(m, ");");
}

/* Segment ends: correction into two lanes, then delay to the chain's end
 * so that every segment's lanes meet the last one's. */
static void emit_chain_segments(mp_vmod *m, const mp_dsp_cfg *c)
{
    int last = c->chain_len - 1;
    for (int s = 0; s < c->segments; s++) {
        int e = c->seg_last[s], delay = last - e;
        mp_vline(m, "// segment %d: slices %d..%d", s, c->seg_first[s], e);
        mp_vline(m, "reg [%d:0] lo_%d_0, hi_%d_0;", c->acc_bits - 1, s, s);
        for (int t = 1; t <= delay; t++)
            mp_vline(m, "reg [%d:0] lo_%d_%d, hi_%d_%d;", c->acc_bits - 1, s, t,
                     s, t);
        mp_vopen(m, "always @(posedge clk) begin");
        mp_vline(m, "lo_%d_0 <= {{%d{p_%d[17]}}, p_%d[17:0]};", s,
                 c->acc_bits - LANE_SHIFT, e, e);
        char high[64];
        if (c->acc_bits == LANE_HIGH_BITS)
            snprintf(high, sizeof high, "p_%d[47:18]", e);
        else
            snprintf(high, sizeof high, "{{%d{p_%d[47]}}, p_%d[47:18]}",
                     c->acc_bits - LANE_HIGH_BITS, e, e);
        mp_vline(m, "hi_%d_0 <= %s + {%d'd0, p_%d[17]};", s, high,
                 c->acc_bits - 1, e);
        for (int t = 1; t <= delay; t++) {
            mp_vline(m, "lo_%d_%d <= lo_%d_%d;", s, t, s, t - 1);
            mp_vline(m, "hi_%d_%d <= hi_%d_%d;", s, t, s, t - 1);
        }
        mp_vclose(m, "end");
    }
    char sum_lo[1024] = "", sum_hi[1024] = "";
    for (int s = 0; s < c->segments; s++) {
        int delay = last - c->seg_last[s];
        size_t l = strlen(sum_lo), h = strlen(sum_hi);
        snprintf(sum_lo + l, sizeof sum_lo - l, "%slo_%d_%d", s ? " + " : "",
                 s, delay);
        snprintf(sum_hi + h, sizeof sum_hi - h, "%shi_%d_%d", s ? " + " : "",
                 s, delay);
    }
    mp_vline(m, "assign lane_lo = %s;", sum_lo);
    mp_vline(m, "assign lane_hi = %s;", sum_hi);
}

static int emit_chain(mp_rtl_out *out, const mp_dsp_cfg *c, char *name,
                      mp_diag *d)
{
    mp_rtl_leaf_name(out, name, "dsp_chain");
    if (mp_rtl_emit_dsp48e2(out, d))
        return -1;
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "one cascaded DSP48E2 chain: two INT8 lanes "
                           "sharing each weight",
                           d);
    if (rc)
        return rc < 0 ? -1 : 0;
    emit_chain_ports(&m, c);
    m.indent = 1;
    for (int i = 0; i < c->chain_len; i++) {
        emit_chain_mux(&m, c, i, "lo");
        emit_chain_mux(&m, c, i, "hi");
        mp_vline(&m, "wire [47:0] p_%d, pcout_%d;", i, i);
    }
    for (int s = 0; s < c->segments; s++)
        for (int i = c->seg_first[s]; i <= c->seg_last[s]; i++)
            emit_chain_slice(&m, c, i, i == c->seg_first[s]);
    emit_chain_segments(&m, c);
    /* Outputs a slice has but this chain does not route on: P inside a
     * segment (only PCOUT continues) and the last PCOUT (end of column).
     * Named *unused* so Verilator's --unused-regexp recognises them. */
    char list[2048] = "";
    for (int i = 0; i < c->chain_len; i++) {
        int end = 0;
        for (int s = 0; s < c->segments; s++)
            end |= c->seg_last[s] == i;
        size_t l = strlen(list);
        if (!end)
            snprintf(list + l, sizeof list - l, "p_%d, ", i);
    }
    size_t l = strlen(list);
    snprintf(list + l, sizeof list - l, "pcout_%d", c->chain_len - 1);
    mp_vline(&m, "wire unused_dsp_outputs = ^{%s};", list);
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

/* ---- the array core --------------------------------------------------- */

/* Nonzero compressor of column n, block b: pair p = the p-th nonzero code
 * of the block and its index (zero code and index 0 when absent). */
static void emit_compress(mp_vmod *m, const mp_dsp_cfg *c, int n, int b)
{
    int wb = c->w_bits, ib = mp_idx_bits(c->sparse_m), M = c->sparse_m;
    int cb = mp_idx_bits(M + 1);
    for (int e = 0; e < M; e++) {
        int o = b * M + e;
        mp_vline(m, "wire nz_%d_%d_%d = |w_%d_%d;", n, b, e, n, o);
    }
    for (int e = 0; e < M; e++) {
        /* count of nonzeros before e */
        char expr[1024] = "";
        for (int f = 0; f < e; f++) {
            size_t l = strlen(expr);
            snprintf(expr + l, sizeof expr - l, " + {%d'd0, nz_%d_%d_%d}",
                     cb - 1, n, b, f);
        }
        mp_vline(m, "wire [%d:0] cnt_%d_%d_%d = %d'd0%s;", cb - 1, n, b, e, cb,
                 expr);
    }
    for (int p = 0; p < c->sparse_n; p++) {
        for (int e = 0; e < M; e++)
            mp_vline(m, "wire sel_%d_%d_%d_%d = nz_%d_%d_%d && "
                        "cnt_%d_%d_%d == %d'd%d;",
                     n, b, p, e, n, b, e, n, b, e, cb, p);
        mp_vline(m, "wire [%d:0] val_%d_%d_%d =", wb - 1, n, b, p);
        for (int e = 0; e < M; e++)
            mp_vline(m, "    (sel_%d_%d_%d_%d ? w_%d_%d : %d'd0)%s", n, b, p,
                     e, n, b * M + e, wb, e + 1 < M ? " |" : ";");
        mp_vline(m, "wire [%d:0] pos_%d_%d_%d =", ib - 1, n, b, p);
        for (int e = 0; e < M; e++)
            mp_vline(m, "    (sel_%d_%d_%d_%d ? %d'd%d : %d'd0)%s", n, b, p,
                     e, ib, e, ib, e + 1 < M ? " |" : ";");
    }
}

/* Slice i's weight (and index) at the array edge, before the skew. */
static void emit_slot_operand(mp_vmod *m, const mp_dsp_cfg *c, int n, int i)
{
    int wb = c->w_bits, ib = mp_idx_bits(c->sparse_m);
    if (dense(c)) {
        mp_vline(m, "wire [%d:0] ws_%d_%d_0 = w_%d_%d;", wb - 1, n, i, n, i);
        return;
    }
    int spf = c->steps_per_fetch;
    if (spf == 1) {
        int b = slot_block(c, i), p = i % c->sparse_n;
        mp_vline(m, "wire [%d:0] ws_%d_%d_0 = val_%d_%d_%d;", wb - 1, n, i, n,
                 b, p);
        mp_vline(m, "wire [%d:0] is_%d_%d_0 = pos_%d_%d_%d;", ib - 1, n, i, n,
                 b, p);
        return;
    }
    /* one block over spf steps: sub-step u takes pairs u*len .. */
    int ub = mp_idx_bits(spf);
    mp_vline(m, "wire [%d:0] ws_%d_%d_0 =", wb - 1, n, i);
    for (int u = 0; u < spf; u++)
        mp_vline(m, "    (in_sub == %d'd%d ? val_%d_0_%d : %d'd0)%s", ub, u, n,
                 u * c->chain_len + i, wb, u + 1 < spf ? " |" : ";");
    mp_vline(m, "wire [%d:0] is_%d_%d_0 =", ib - 1, n, i);
    for (int u = 0; u < spf; u++)
        mp_vline(m, "    (in_sub == %d'd%d ? pos_%d_0_%d : %d'd0)%s", ub, u, n,
                 u * c->chain_len + i, ib, u + 1 < spf ? " |" : ";");
}

/* Skew: slice i sees its operands i cycles late.  Weights are delayed per
 * column and slice, activations per row and fetch offset (shared by every
 * chain of the row, tapped at each slice's delay). */
static int x_delay_max(const mp_dsp_cfg *c, int o)
{
    int max = -1;
    for (int i = 0; i < c->chain_len; i++) {
        int first = slot_block(c, i) * c->sparse_m;
        if (o >= first && o < first + c->sparse_m && i > max)
            max = i;
    }
    return max;
}

static void emit_skew(mp_vmod *m, const mp_dsp_cfg *c, int m_tile, int n_tile)
{
    int wb = c->w_bits, ib = mp_idx_bits(c->sparse_m), ab = c->act_bits;
    for (int n = 0; n < n_tile; n++)
        for (int i = 1; i < c->chain_len; i++)
            for (int t = 1; t <= i; t++) {
                mp_vline(m, "reg [%d:0] ws_%d_%d_%d;", wb - 1, n, i, t);
                if (!dense(c))
                    mp_vline(m, "reg [%d:0] is_%d_%d_%d;", ib - 1, n, i, t);
            }
    for (int r = 0; r < m_tile; r++)
        for (int o = 0; o < c->fetch_k; o++)
            for (int t = 1; t <= x_delay_max(c, o); t++)
                mp_vline(m, "reg [%d:0] xs_%d_%d_%d;", ab - 1, r, o, t);
    mp_vopen(m, "always @(posedge clk) begin");
    for (int n = 0; n < n_tile; n++)
        for (int i = 1; i < c->chain_len; i++)
            for (int t = 1; t <= i; t++) {
                mp_vline(m, "ws_%d_%d_%d <= ws_%d_%d_%d;", n, i, t, n, i,
                         t - 1);
                if (!dense(c))
                    mp_vline(m, "is_%d_%d_%d <= is_%d_%d_%d;", n, i, t, n, i,
                             t - 1);
            }
    for (int r = 0; r < m_tile; r++)
        for (int o = 0; o < c->fetch_k; o++)
            for (int t = 1; t <= x_delay_max(c, o); t++) {
                if (t == 1)
                    mp_vline(m, "xs_%d_%d_1 <= x_%d_%d;", r, o, r, o);
                else
                    mp_vline(m, "xs_%d_%d_%d <= xs_%d_%d_%d;", r, o, t, r, o,
                             t - 1);
            }
    mp_vclose(m, "end");
}

/* Activation o of row r as slice i sees it (delay i). */
static void x_tap(char *buf, size_t cap, int r, int o, int i)
{
    if (i == 0)
        snprintf(buf, cap, "x_%d_%d", r, o);
    else
        snprintf(buf, cap, "xs_%d_%d_%d", r, o, i);
}

static void emit_core_chain(mp_vmod *m, const mp_dsp_cfg *c, const char *chain,
                            int r, int n)
{
    mp_vline(m, "wire [%d:0] lo_%d_%d, hi_%d_%d;", c->acc_bits - 1, r, n, r, n);
    mp_vopen(m, "%s chain_%d_%d (", chain, r, n);
    mp_vline(m, ".clk(clk),");
    for (int i = 0; i < c->chain_len; i++) {
        mp_vline(m, ".w_%d(ws_%d_%d_%d),", i, n, i, i);
        if (!dense(c))
            mp_vline(m, ".idx_%d(is_%d_%d_%d),", i, n, i, i);
        int first = slot_block(c, i) * c->sparse_m;
        for (int e = 0; e < c->sparse_m; e++) {
            char lo[48], hi[48];
            /* the even row rides the high lane, as pe_models/dsp_chain.c */
            x_tap(lo, sizeof lo, 2 * r + 1, first + e, i);
            x_tap(hi, sizeof hi, 2 * r, first + e, i);
            mp_vline(m, ".xlo_%d_%d(%s), .xhi_%d_%d(%s),", i, e, lo, i, e, hi);
        }
    }
    mp_vline(m, ".lane_lo(lo_%d_%d),", r, n);
    mp_vline(m, ".lane_hi(hi_%d_%d)", r, n);
    mp_vclose(m, ");");
}

int mp_dsp_emit_core(mp_rtl_out *out, const mp_dsp_cfg *c, int chain_rows,
                     int n_tile, char *name, mp_diag *d)
{
    char chain[MP_RTL_NAME_MAX];
    if (emit_chain(out, c, chain, d))
        return -1;
    int m_tile = 2 * chain_rows, lat = c->latency;
    mp_rtl_leaf_name(out, name, "dsp_core");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "array of DSP48E2 chains: skew, sparse select, "
                           "lane accumulation per output",
                           d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    mp_vline(&m, "input  wire clk,");
    mp_vline(&m, "input  wire rst_n,");
    mp_vline(&m, "input  wire in_valid,  // a step's operands are offered");
    mp_vline(&m, "input  wire in_first,  // first step of a group");
    mp_vline(&m, "input  wire in_last,   // last step of a group");
    if (c->steps_per_fetch > 1)
        mp_vline(&m, "input  wire [%d:0] in_sub, // step within the fetch",
                 mp_idx_bits(c->steps_per_fetch) - 1);
    for (int r = 0; r < m_tile; r++)
        for (int o = 0; o < c->fetch_k; o++)
            mp_vline(&m, "input  wire [%d:0] x_%d_%d,", c->act_bits - 1, r, o);
    for (int n = 0; n < n_tile; n++)
        for (int o = 0; o < c->fetch_k; o++)
            mp_vline(&m, "input  wire [%d:0] w_%d_%d,", c->w_bits - 1, n, o);
    for (int r = 0; r < m_tile; r++)
        for (int n = 0; n < n_tile; n++)
            mp_vline(&m, "output reg  [%d:0] p_%d_%d,", c->acc_bits - 1, r, n);
    mp_vline(&m, "output reg  out_valid  // p_* hold a group's sums");
    mp_vclose(&m, ");");
    m.indent = 1;
    if (!dense(c))
        for (int n = 0; n < n_tile; n++)
            for (int b = 0; b < c->fetch_k / c->sparse_m; b++)
                emit_compress(&m, c, n, b);
    for (int n = 0; n < n_tile; n++)
        for (int i = 0; i < c->chain_len; i++)
            emit_slot_operand(&m, c, n, i);
    emit_skew(&m, c, m_tile, n_tile);
    for (int r = 0; r < chain_rows; r++)
        for (int n = 0; n < n_tile; n++)
            emit_core_chain(&m, c, chain, r, n);
    /* control travels with the data: latency-1 stages to the acc stage */
    mp_vline(&m, "reg [%d:0] v_pipe, f_pipe, l_pipe;", lat - 2);
    mp_vopen(&m, "always @(posedge clk) begin");
    mp_vopen(&m, "if (!rst_n) begin");
    mp_vline(&m, "v_pipe <= %d'd0;", lat - 1);
    mp_vline(&m, "out_valid <= 1'b0;");
    mp_vclose(&m, "end else begin");
    m.indent++;
    if (lat - 1 > 1) {
        mp_vline(&m, "v_pipe <= {v_pipe[%d:0], in_valid};", lat - 3);
    } else {
        mp_vline(&m, "v_pipe <= in_valid;");
    }
    mp_vline(&m, "out_valid <= v_pipe[%d] & l_pipe[%d];", lat - 2, lat - 2);
    mp_vclose(&m, "end");
    if (lat - 1 > 1) {
        mp_vline(&m, "f_pipe <= {f_pipe[%d:0], in_first};", lat - 3);
        mp_vline(&m, "l_pipe <= {l_pipe[%d:0], in_last};", lat - 3);
    } else {
        mp_vline(&m, "f_pipe <= in_first;");
        mp_vline(&m, "l_pipe <= in_last;");
    }
    mp_vopen(&m, "if (v_pipe[%d]) begin", lat - 2);
    for (int r = 0; r < chain_rows; r++)
        for (int n = 0; n < n_tile; n++) {
            mp_vline(&m, "p_%d_%d <= (f_pipe[%d] ? %d'd0 : p_%d_%d) + hi_%d_%d;",
                     2 * r, n, lat - 2, c->acc_bits, 2 * r, n, r, n);
            mp_vline(&m, "p_%d_%d <= (f_pipe[%d] ? %d'd0 : p_%d_%d) + lo_%d_%d;",
                     2 * r + 1, n, lat - 2, c->acc_bits, 2 * r + 1, n, r, n);
        }
    mp_vclose(&m, "end");
    mp_vclose(&m, "end");
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

/* ---- the generator ops -------------------------------------------------- */

/* The PE parameters with the family defaults filled in, and the layout. */
static int dsp_setup(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                     mp_pe_params *p, mp_dsp_cfg *c, mp_diag *d)
{
    const mp_pe_ops *pe = mp_pe_find(cfg->family);
    *p = cfg->pe;
    if (!pe || pe->check(p, d))
        return -1;
    if (p->pack_products != 2)
        return mp_fail(d, MP_CMDLINE, 0, "pack_products",
                       "dsp-chain RTL packs 2 INT8 products per DSP48E2, "
                       "got %d", p->pack_products);
    if (p->act != MP_ACT_INT8) /* the model also takes int4 */
        return mp_fail(d, MP_CMDLINE, 0, "act",
                       "dsp-chain RTL takes int8 activations, got %s",
                       mp_act_name(p->act));
    memset(c, 0, sizeof *c);
    c->chain_len = p->chain_len;
    c->sparse_n = p->sparse_n;
    c->sparse_m = p->sparse_m;
    c->act_bits = 8;
    c->w_min = mp_wfmt_min(p->wfmt);
    c->w_max = mp_wfmt_max(p->wfmt);
    c->span = info->group ? info->group : cfg->k_max;
    if (mp_dsp_layout(c))
        return mp_fail(d, MP_CMDLINE, 0, "chain_len",
                       "chain of %d DSPs and %d nonzeros per block: one must "
                       "divide the other (at most %d cascade segments)",
                       p->chain_len, p->sparse_n ? p->sparse_n : 1,
                       MP_DSP_MAX_SEG);
    return 0;
}

static void dsp_spec(const mp_dsp_cfg *c, mp_block_spec *s)
{
    memset(s, 0, sizeof *s);
    s->fetch_k = c->fetch_k;
    s->passes = 1;
    s->subs = c->steps_per_fetch;
    s->core_latency = c->latency;
    s->p_bits = c->acc_bits;
    int64_t most = (int64_t)1 << (c->act_bits - 1);
    s->p_max = most * (c->w_max > -c->w_min ? c->w_max : -c->w_min) * c->span;
    s->x_bits = c->act_bits;
    s->w_bits = c->w_bits;
    s->zero_mul = 1;
}

static int dsp_rtl_check(const mp_rtl_cfg *cfg, mp_rtl_info *info, mp_diag *d)
{
    mp_pe_params p;
    mp_dsp_cfg c;
    if (dsp_setup(cfg, info, &p, &c, d))
        return -1;
    if (info->arith.dequant != MP_DEQ_PER_GROUP ||
        info->arith.group_acc != MP_ACC_INT)
        return mp_fail(d, MP_CMDLINE, 0, "acc",
                       "dsp-chain RTL sums groups as exact integers");
    if (c.chain_len > 64 || c.fetch_k > 64)
        return mp_fail(d, MP_CMDLINE, 0, "chain_len",
                       "dsp-chain RTL is generated for chains of at most 64 "
                       "DSPs reading at most 64 K per step (got %d, %d)",
                       c.chain_len, c.fetch_k);
    int span = info->group ? info->group : cfg->k_max;
    if (span % c.fetch_k)
        return mp_fail(d, MP_CMDLINE, 0, "group",
                       "a step takes %d K values (chain_len %d, sparsity "
                       "%d:%d), which must divide the group %d",
                       c.fetch_k, c.chain_len, c.sparse_n, c.sparse_m, span);
    int64_t most = 128 * (int64_t)(c.w_max > -c.w_min ? c.w_max : -c.w_min);
    if (mp_sbits_for(-most * cfg->k_max, most * cfg->k_max) > 31)
        return mp_fail(d, MP_CMDLINE, 0, "k-max",
                       "sums over k-max %d do not fit int32", cfg->k_max);
    /* rows x cols DSP48E2 slices (the PE model's PE): each column of the
     * array holds rows / chain_len chains, one row pair each */
    if (cfg->rows % c.chain_len)
        return mp_fail(d, MP_CMDLINE, 0, "rows",
                       "dsp-chain rows count DSP48E2 slices along K: %d is "
                       "not a multiple of chain_len %d", cfg->rows,
                       c.chain_len);
    info->m_tile = 2 * (cfg->rows / c.chain_len);
    info->n_tile = cfg->cols;
    info->k_step = info->group ? info->group : c.fetch_k;
    return 0;
}

static int dsp_rtl_emit(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                        mp_rtl_out *out, mp_diag *d)
{
    mp_pe_params p;
    mp_dsp_cfg c;
    mp_block_spec s;
    if (dsp_setup(cfg, info, &p, &c, d))
        return -1;
    dsp_spec(&c, &s);
    if (mp_dsp_emit_core(out, &c, info->m_tile / 2, info->n_tile, s.core, d))
        return -1;
    return mp_block_emit_top(cfg, info, &s, out, d);
}

static int64_t dsp_rtl_cycles(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                              int k)
{
    mp_pe_params p;
    mp_dsp_cfg c;
    mp_block_spec s;
    if (dsp_setup(cfg, info, &p, &c, NULL))
        return -1;
    dsp_spec(&c, &s);
    return mp_block_cycles(cfg, info, &s, k);
}

const mp_rtl_ops mp_rtl_dsp_chain_ops = {
    .family = "dsp-chain",
    .check = dsp_rtl_check,
    .emit = dsp_rtl_emit,
    .cycles = dsp_rtl_cycles,
};
