/*
 * dsp_chain.c - Verilog generator of the FPGA DSP chain (FlightLLM-style
 * cascaded DSP48E2 slices, 1, 2 or 4 products per slice).
 *
 * Micro-architecture (docs/rtl.md, "dsp-chain"):
 *   - the array is rows x cols DSP48E2 slices; each column holds
 *     rows / chain_len chains of chain_len slices cascaded PCOUT -> PCIN
 *     along K (one chain of all the rows when rows < chain_len: the chain
 *     is then `rows` slices long, as the engine's span); a chain covers
 *     rows_per_chain output rows and
 *     cols_per_chain output columns (pack 1: 1 x 1, pack 2: 2 x 1, pack 4:
 *     2 x 2), so M_TILE = rows_per_chain * (rows / chain_len) and N_TILE =
 *     cols_per_chain * cols;
 *   - pack 1: P += a * w (A port, no pre-adder);
 *     pack 2 (Xilinx WP486): P += ((a << 18) + d) * w, a = x[2r][k] (high
 *     lane), d = x[2r+1][k] (low lane);
 *     pack 4 (INT4 x <=4-bit codes, docs/model.md 9.3): P += ((a << 22) +
 *     d) * ((w_hi << 11) + w_lo), a 2x2 outer product in four lanes 11 bits
 *     apart, w_hi = wq[k][2q], w_lo = wq[k][2q+1];
 *   - the in-place limit: a cascade holds at most `lane_limit` products
 *     before a lane could leave its field (7 for INT8 x INT8 pairs, 15 for
 *     INT4 x INT4 quads), so a longer chain is cut into balanced segments,
 *     each ending in a correction unit (the edge unit "pack_correction":
 *     each lane is its sign-extended field plus the borrow of the lane
 *     below, as pe_models/dsp_chain.c); the corrected lanes of a segment are
 *     added to those of the segment before it (a reduction pipeline along
 *     the chain) and the chain's last sums go into the per-output group
 *     accumulators;
 *   - N:M sparse weights (pack 1 or 2): per column a compressor picks the
 *     nonzero codes of each M-block and their indices; per slice M:1 muxes
 *     select the activations of the chain's rows that match the index;
 *   - operands enter skewed, slice i one cycle after slice i-1 (shift
 *     registers at the array edge), so the cascade needs no extra registers
 *     (the "chain fill" latency);
 *   - a group (per channel: k-max) that is no whole number of fetches has
 *     a partial last fetch: the block top masks it and stops its sparse
 *     sub-steps early (rtl_gen/block_top.h, `partial`), ceil(G*N/(M*len))
 *     steps a group, as the engine's k_group rule.
 * Every DSP48E2 is instantiated directly (Yosys 0.23 does not pack chains):
 * pack 2/4 with AREG=1, BREG=2, DREG=1, ADREG=1, MREG=1, PREG=1 (four
 * cycles from operands to P), pack 1 with AREG=BREG=MREG=PREG=1 and the
 * pre-adder off (three cycles).
 */
#include "rtl_gen/dsp_chain.h"

#include <stdio.h>
#include <string.h>

#include "pe_models/pe.h"
#include "rtl_gen/block_top.h"
#include "rtl_gen/dsp48e2_model.h"
#include "rtl_gen/rtl.h"

#define P_BITS 48
#define PAIR_SHIFT 18     /* pack 2: low lane P[17:0], high lane P[47:18] */
#define PAIR_HIGH_BITS 30
#define QUAD_SHIFT 11     /* pack 4: lanes 11 bits apart, lane 3 P[47:33] */
#define QUAD_TOP_BITS 15
#define QUAD_MAX_BITS 4   /* operands of pack 4 (two codes on 18-bit B)   */
#define B_BITS 18
#define A_BITS 30
#define D_BITS 27
#define LIMIT_CAP (1 << 20)

/* ---- configuration ---------------------------------------------------- */

static int gcd(int a, int b)
{
    while (b) {
        int t = a % b;
        a = b;
        b = t;
    }
    return a;
}

/* Largest number of a*w products a lane holding [-half, half) takes in
 * place, whatever their signs. */
static int lane_limit(int act_bits, int w_min, int w_max, int64_t half)
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
    int64_t n_hi = hi > 0 ? (half - 1) / hi : LIMIT_CAP;
    int64_t n_lo = lo < 0 ? half / -lo : LIMIT_CAP;
    int64_t n = n_hi < n_lo ? n_hi : n_lo;
    return n > LIMIT_CAP ? LIMIT_CAP : (int)n;
}

/* The tightest lane of the packing. */
static int pack_limit(const mp_dsp_cfg *c)
{
    int ab = c->act_bits;
    if (c->pack == 1)
        return lane_limit(ab, c->w_min, c->w_max, (int64_t)1 << (P_BITS - 1));
    if (c->pack == 2) {
        int low = lane_limit(ab, c->w_min, c->w_max,
                             (int64_t)1 << (PAIR_SHIFT - 1));
        int high = lane_limit(ab, c->w_min, c->w_max,
                              (int64_t)1 << (PAIR_HIGH_BITS - 1));
        return low < high ? low : high;
    }
    int low = lane_limit(ab, c->w_min, c->w_max,
                         (int64_t)1 << (QUAD_SHIFT - 1));
    int top = lane_limit(ab, c->w_min, c->w_max,
                         (int64_t)1 << (QUAD_TOP_BITS - 1));
    return low < top ? low : top;
}

int mp_dsp_layout(mp_dsp_cfg *c)
{
    if (c->pack == 0)
        c->pack = 2;
    if (c->pack != 1 && c->pack != 2 && c->pack != 4)
        return -1;
    if (c->sparse_n == 0) {
        c->sparse_n = 1;
        c->sparse_m = 1;
    }
    if (c->chain_len < 1 || c->chain_len > MP_DSP_MAX_SEG)
        return -1;
    c->w_bits = c->w_min < 0 ? mp_sbits_for(c->w_min, c->w_max)
                             : mp_clog2((int64_t)c->w_max + 1);
    if (c->w_bits < 1)
        c->w_bits = 1;
    if (c->pack == 4 && (c->sparse_m > 1 || c->act_bits > QUAD_MAX_BITS ||
                         c->w_bits > QUAD_MAX_BITS))
        return -1;
    /* a fetch holds lcm(chain_len, N) nonzero slots: lcm/N whole blocks,
     * taken by the chain over lcm/chain_len steps */
    int len = c->chain_len, nz = c->sparse_n;
    int64_t slots = (int64_t)len / gcd(len, nz) * nz;
    c->fetch_k = (int)(slots / nz * c->sparse_m);
    c->steps_per_fetch = (int)(slots / len);
    c->rows_per_chain = c->pack == 1 ? 1 : 2;
    c->cols_per_chain = c->pack == 4 ? 2 : 1;
    c->lanes = c->pack;
    c->lane_limit = pack_limit(c);
    int segs = (len + c->lane_limit - 1) / c->lane_limit;
    c->segments = segs;
    for (int s = 0, start = 0; s < segs; s++) {
        int size = len / segs + (s < len % segs);
        c->seg_first[s] = start;
        c->seg_last[s] = start + size - 1;
        start += size;
    }
    c->dsp_latency = c->pack == 1 ? 3 : 4;
    /* skew (chain fill), the slice, correction, accumulator */
    c->latency = len + c->dsp_latency + 1;
    /* accumulators: the group's exact sum, and at least the widest lane
     * field the correction hands over whole */
    int64_t most = (int64_t)1 << (c->act_bits - 1);
    most *= c->w_max > -c->w_min ? c->w_max : -c->w_min;
    c->acc_bits = mp_sbits_for(-most * c->span, most * c->span);
    int least = c->pack == 2 ? PAIR_HIGH_BITS : c->pack == 4 ? QUAD_TOP_BITS
                                                             : 2;
    if (c->acc_bits < least)
        c->acc_bits = least;
    return 0;
}

static int dense(const mp_dsp_cfg *c) { return c->sparse_m == 1; }

/* Nonzero slot of the fetch slice i takes at sub-step u, and its M-block
 * and rank within the block. */
static int slot_of(const mp_dsp_cfg *c, int u, int i)
{
    return u * c->chain_len + i;
}

static int slot_block(const mp_dsp_cfg *c, int u, int i)
{
    return slot_of(c, u, i) / c->sparse_n;
}

/* The M-blocks slice i reads over the sub-steps of a fetch (ascending, as
 * the slots are): its candidate blocks; returns how many. */
static int slice_blocks(const mp_dsp_cfg *c, int i, int blk[MP_DSP_MAX_SUBS])
{
    int n = 0;
    for (int u = 0; u < c->steps_per_fetch; u++) {
        int b = slot_block(c, u, i);
        if (!n || blk[n - 1] != b)
            blk[n++] = b;
    }
    return n;
}

/* Activations slice i chooses from (its candidate blocks x M), and the
 * width of its select: block position above the rank within the block. */
static int slice_inputs(const mp_dsp_cfg *c, int i)
{
    int blk[MP_DSP_MAX_SUBS];
    return slice_blocks(c, i, blk) * c->sparse_m;
}

static int slice_idx_bits(const mp_dsp_cfg *c, int i)
{
    return mp_idx_bits(slice_inputs(c, i));
}

/* Lane j of a chain: offsets of its output row and column within the
 * chain's rows_per_chain x cols_per_chain (pe_models/dsp_chain.c order:
 * pack 2 lane 0 = low = second row; pack 4 lane = 2*row_high + col_high). */
static int lane_row(const mp_dsp_cfg *c, int j)
{
    return c->pack == 1 ? 0 : c->pack == 2 ? 1 - j : 1 - (j >> 1);
}

static int lane_col(const mp_dsp_cfg *c, int j)
{
    return c->pack == 4 ? 1 - (j & 1) : 0;
}

/* "{{N{sign}}, src}" extending src (from bits, sign bit expression) to
 * `to` bits, or src itself. */
static const char *sext(char *buf, size_t cap, const char *src,
                        const char *sign, int from, int to)
{
    if (to <= from)
        snprintf(buf, cap, "%s", src);
    else
        snprintf(buf, cap, "{{%d{%s}}, %s}", to - from, sign, src);
    return buf;
}

/* Tap of a packed shift register `reg` of `bits`-wide stages at delay t
 * (t >= 1); delay 0 is the register's input `in`. */
static const char *tap(char *buf, size_t cap, const char *reg,
                       const char *in, int bits, int t)
{
    if (t == 0)
        snprintf(buf, cap, "%s", in);
    else
        snprintf(buf, cap, "%s[%d:%d]", reg, bits * t - 1, bits * (t - 1));
    return buf;
}

/* Declare `reg` as a shift register of `depth` stages of `bits` fed by
 * `in` (nothing for depth 0); the shift goes into the caller's always. */
static void shift_decl(mp_vmod *m, const char *reg, int bits, int depth)
{
    if (depth > 0)
        mp_vline(m, "reg [%d:0] %s;", bits * depth - 1, reg);
}

static void shift_step(mp_vmod *m, const char *reg, const char *in, int bits,
                       int depth)
{
    if (depth == 1)
        mp_vline(m, "%s <= %s;", reg, in);
    else if (depth > 1)
        mp_vline(m, "%s <= {%s[%d:0], %s};", reg, reg, bits * (depth - 1) - 1,
                 in);
}

/* ---- one chain -------------------------------------------------------- */

static void emit_chain_ports(mp_vmod *m, const mp_dsp_cfg *c)
{
    mp_vopen(m, "module %s (", m->name);
    mp_vline(m, "input  wire clk,");
    for (int i = 0; i < c->chain_len; i++) {
        mp_vline(m, "input  wire [%d:0] b_%d,", B_BITS - 1, i);
        if (!dense(c))
            mp_vline(m, "input  wire [%d:0] idx_%d,", slice_idx_bits(c, i) - 1,
                     i);
        for (int e = 0; e < slice_inputs(c, i); e++) {
            mp_vline(m, "input  wire [%d:0] xa_%d_%d,", c->act_bits - 1, i, e);
            if (c->rows_per_chain == 2)
                mp_vline(m, "input  wire [%d:0] xd_%d_%d,", c->act_bits - 1, i,
                         e);
        }
    }
    for (int j = 0; j < c->lanes; j++)
        mp_vline(m, "output wire [%d:0] lane_%d%s", c->acc_bits - 1, j,
                 j + 1 < c->lanes ? "," : "");
    mp_vclose(m, ");");
}

/* The activation a slice multiplies: a mux by index over its inputs
 * (candidate block * M + rank), or the only one. */
static void emit_chain_mux(mp_vmod *m, const mp_dsp_cfg *c, int i,
                           const char *port)
{
    int ab = c->act_bits, ib = slice_idx_bits(c, i), n = slice_inputs(c, i);
    if (dense(c)) {
        mp_vline(m, "wire [%d:0] %s_%d = x%s_%d_0;", ab - 1, port, i, port, i);
        return;
    }
    mp_vline(m, "wire [%d:0] %s_%d =", ab - 1, port, i);
    for (int e = 0; e < n; e++)
        mp_vline(m, "    (idx_%d == %d'd%d ? x%s_%d_%d : %d'd0)%s", i, ib, e,
                 port, i, e, ab, e + 1 < n ? " |" : ";");
}

static void emit_chain_slice(mp_vmod *m, const mp_dsp_cfg *c, int i,
                             int first_in_segment)
{
    int ab = c->act_bits, pre = c->pack > 1;
    char sign[32], buf[96];
    snprintf(sign, sizeof sign, "a_%d[%d]", i, ab - 1);
    mp_vopen(m, "DSP48E2 #(");
    if (pre)
        mp_vline(m, ".AREG(1), .BREG(2), .DREG(1), .ADREG(1), .MREG(1), "
                    ".PREG(1),");
    else
        mp_vline(m, ".AREG(1), .BREG(1), .DREG(0), .ADREG(0), .MREG(1), "
                    ".PREG(1),");
    mp_vline(m, ".INMODEREG(0), .OPMODEREG(0), .ALUMODEREG(0), "
                ".CARRYINREG(0), .CARRYINSELREG(0),");
    mp_vline(m, ".AMULTSEL(\"%s\"), .USE_MULT(\"MULTIPLY\")", pre ? "AD" : "A");
    mp_vclose(m, ") dsp_%d (", i);
    m->indent++;
    mp_vline(m, ".CLK(clk),");
    if (pre) {
        /* the first row on A, shifted up to its lane; the second on D */
        int shift = c->pack == 4 ? 2 * QUAD_SHIFT : PAIR_SHIFT;
        int pad = A_BITS - shift - ab;
        if (pad > 0)
            mp_vline(m, ".A({{%d{%s}}, a_%d, %d'd0}),", pad, sign, i, shift);
        else
            mp_vline(m, ".A({a_%d, %d'd0}),", i, shift);
        char dn[16], ds[32];
        snprintf(dn, sizeof dn, "d_%d", i);
        snprintf(ds, sizeof ds, "d_%d[%d]", i, ab - 1);
        mp_vline(m, ".D(%s),", sext(buf, sizeof buf, dn, ds, ab, D_BITS));
    } else {
        char an[16];
        snprintf(an, sizeof an, "a_%d", i);
        mp_vline(m, ".A(%s),", sext(buf, sizeof buf, an, sign, ab, A_BITS));
        mp_vline(m, ".D(%d'd0),", D_BITS);
    }
    mp_vline(m, ".B(b_%d),", i);
    if (i == 0)
        mp_vline(m, ".PCIN(%d'd0),", P_BITS);
    else
        mp_vline(m, ".PCIN(pcout_%d),", i - 1);
    /* INMODE 00100: A2 + D on the pre-adder, B2 to the multiplier;
     * 00000: A2 straight to the multiplier (AMULTSEL "A") */
    mp_vline(m, ".INMODE(5'b00%d00),", pre);
    /* OPMODE W=0, Z=PCIN (0 at a segment start), Y=M, X=M */
    mp_vline(m, ".OPMODE(9'b00%s0101),", first_in_segment ? "000" : "001");
    mp_vline(m, ".ALUMODE(4'b0000), .CARRYIN(1'b0), .CARRYINSEL(3'b000),");
    mp_vline(m, ".CEA2(1'b1), .CEB1(1'b1), .CEB2(1'b1), .CED(1'b%d), "
                ".CEAD(1'b%d), .CEM(1'b1), .CEP(1'b1),", pre, pre);
    mp_vline(m, ".RSTA(1'b0), .RSTB(1'b0), .RSTD(1'b0), .RSTM(1'b0), "
                ".RSTP(1'b0),");
    mp_vline(m, ".P(p_%d),", i);
    mp_vline(m, ".PCOUT(pcout_%d)", i);
    m->indent--;
    mp_vline(m, ");");
}

/* Correction of segment s ending in slice e: wires cl_<s>_<lane>
 * (acc_bits) with each lane's exact value, as mp_dsp_unpack() and
 * mp_dsp_quad_unpack(): the sign-extended field plus the borrow (top bit)
 * of the field below, carried through the rest of P. */
static void emit_correction(mp_vmod *m, const mp_dsp_cfg *c, int s, int e)
{
    int A = c->acc_bits;
    char buf[128], src[48], sg[48];
    if (c->pack == 1) {
        /* the whole of P; its value fits the accumulator */
        if (A < P_BITS)
            mp_vline(m, "wire [%d:0] cl_%d_0 = p_%d[%d:0];", A - 1, s, e,
                     A - 1);
        else
            mp_vline(m, "wire [%d:0] cl_%d_0 = {{%d{p_%d[47]}}, p_%d};", A - 1,
                     s, A - P_BITS, e, e);
        return;
    }
    if (c->pack == 2) {
        snprintf(src, sizeof src, "p_%d[%d:0]", e, PAIR_SHIFT - 1);
        snprintf(sg, sizeof sg, "p_%d[%d]", e, PAIR_SHIFT - 1);
        mp_vline(m, "wire [%d:0] cl_%d_0 = %s;", A - 1, s,
                 sext(buf, sizeof buf, src, sg, PAIR_SHIFT, A));
        snprintf(src, sizeof src, "p_%d[47:%d]", e, PAIR_SHIFT);
        snprintf(sg, sizeof sg, "p_%d[47]", e);
        mp_vline(m, "wire [%d:0] cl_%d_1 = %s + {%d'd0, p_%d[%d]};", A - 1, s,
                 sext(buf, sizeof buf, src, sg, PAIR_HIGH_BITS, A), A - 1, e,
                 PAIR_SHIFT - 1);
        return;
    }
    /* pack 4: rest_j = (rest_{j-1} >>> 11) + borrow_{j-1}, kept modulo
     * the bits the lanes above still need */
    int w1 = P_BITS - QUAD_SHIFT, w2 = w1 - QUAD_SHIFT, w3 = w2 - QUAD_SHIFT;
    mp_vline(m, "wire [%d:0] r1_%d = p_%d[47:%d] + {%d'd0, p_%d[%d]};", w1 - 1,
             s, e, QUAD_SHIFT, w1 - 1, e, QUAD_SHIFT - 1);
    mp_vline(m, "wire [%d:0] r2_%d = r1_%d[%d:%d] + {%d'd0, r1_%d[%d]};",
             w2 - 1, s, s, w1 - 1, QUAD_SHIFT, w2 - 1, s, QUAD_SHIFT - 1);
    mp_vline(m, "wire [%d:0] r3_%d = r2_%d[%d:%d] + {%d'd0, r2_%d[%d]};",
             w3 - 1, s, s, w2 - 1, QUAD_SHIFT, w3 - 1, s, QUAD_SHIFT - 1);
    static const char *const field[3] = {"p_%d", "r1_%d", "r2_%d"};
    for (int j = 0; j < 3; j++) {
        char name[16];
        snprintf(name, sizeof name, field[j], j ? s : e);
        snprintf(src, sizeof src, "%s[%d:0]", name, QUAD_SHIFT - 1);
        snprintf(sg, sizeof sg, "%s[%d]", name, QUAD_SHIFT - 1);
        mp_vline(m, "wire [%d:0] cl_%d_%d = %s;", A - 1, s, j,
                 sext(buf, sizeof buf, src, sg, QUAD_SHIFT, A));
    }
    snprintf(src, sizeof src, "r3_%d", s);
    snprintf(sg, sizeof sg, "r3_%d[%d]", s, w3 - 1);
    mp_vline(m, "wire [%d:0] cl_%d_3 = %s;", A - 1, s,
             sext(buf, sizeof buf, src, sg, w3, A));
}

/* Segment ends: correction, then part_<s>_<lane> = the lanes of segments
 * 0..s, registered in the cycle after slice seg_last[s]'s P; the previous
 * segment's part waits in a shift register until then.  lane_<j> is the
 * last segment's part. */
static void emit_chain_segments(mp_vmod *m, const mp_dsp_cfg *c)
{
    int A = c->acc_bits;
    char reg[48], in[48], t[96];
    for (int s = 0; s < c->segments; s++) {
        int e = c->seg_last[s];
        mp_vline(m, "// segment %d: slices %d..%d", s, c->seg_first[s], e);
        emit_correction(m, c, s, e);
        int delay = s ? e - c->seg_last[s - 1] - 1 : 0;
        for (int j = 0; j < c->lanes; j++) {
            mp_vline(m, "reg [%d:0] part_%d_%d;", A - 1, s, j);
            snprintf(reg, sizeof reg, "pd_%d_%d", s, j);
            if (s)
                shift_decl(m, reg, A, delay);
        }
        mp_vopen(m, "always @(posedge clk) begin");
        for (int j = 0; j < c->lanes; j++) {
            if (!s) {
                mp_vline(m, "part_0_%d <= cl_0_%d;", j, j);
                continue;
            }
            snprintf(reg, sizeof reg, "pd_%d_%d", s, j);
            snprintf(in, sizeof in, "part_%d_%d", s - 1, j);
            shift_step(m, reg, in, A, delay);
            mp_vline(m, "part_%d_%d <= cl_%d_%d + %s;", s, j, s, j,
                     tap(t, sizeof t, reg, in, A, delay));
        }
        mp_vclose(m, "end");
    }
    for (int j = 0; j < c->lanes; j++)
        mp_vline(m, "assign lane_%d = part_%d_%d;", j, c->segments - 1, j);
}

static int is_segment_end(const mp_dsp_cfg *c, int i)
{
    for (int s = 0; s < c->segments; s++)
        if (c->seg_last[s] == i)
            return 1;
    return 0;
}

/* Outputs a slice has but this chain does not route on: P inside a
 * segment (only PCOUT continues), the last PCOUT (end of the column) and,
 * with pack 1, the bits of a segment end's P above the accumulator (its
 * value fits it).  Named *unused* so that Verilator's default
 * --unused-regexp recognises them: a primitive's outputs must be connected
 * for -Wall (PINMISSING, PINCONNECTEMPTY). */
static void emit_unused(mp_vmod *m, const mp_dsp_cfg *c)
{
    mp_vline(m, "wire unused_dsp_outputs = ^{");
    for (int i = 0; i < c->chain_len; i++) {
        if (!is_segment_end(c, i))
            mp_vline(m, "    p_%d,", i);
        else if (c->pack == 1 && c->acc_bits < P_BITS)
            mp_vline(m, "    p_%d[47:%d],", i, c->acc_bits);
    }
    mp_vline(m, "    pcout_%d};", c->chain_len - 1);
}

static int emit_chain(mp_rtl_out *out, const mp_dsp_cfg *c, char *name,
                      mp_diag *d)
{
    mp_rtl_leaf_name(out, name, "dsp_chain");
    if (mp_rtl_emit_dsp48e2(out, d))
        return -1;
    mp_vmod m;
    char what[96];
    snprintf(what, sizeof what, "one cascaded DSP48E2 chain: %d product%s "
             "per slice", c->pack, c->pack > 1 ? "s" : "");
    int rc = mp_vmod_begin(&m, out, name, what, d);
    if (rc)
        return rc < 0 ? -1 : 0;
    emit_chain_ports(&m, c);
    m.indent = 1;
    for (int i = 0; i < c->chain_len; i++) {
        emit_chain_mux(&m, c, i, "a");
        if (c->rows_per_chain == 2)
            emit_chain_mux(&m, c, i, "d");
        mp_vline(&m, "wire [47:0] p_%d, pcout_%d;", i, i);
    }
    for (int s = 0; s < c->segments; s++)
        for (int i = c->seg_first[s]; i <= c->seg_last[s]; i++)
            emit_chain_slice(&m, c, i, i == c->seg_first[s]);
    emit_chain_segments(&m, c);
    emit_unused(&m, c);
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

/* Slice i's weight wslot_<n>_<i> (and select islot_<n>_<i>: its
 * candidate block's position above the rank in the block) of column n at
 * the array edge, before the skew; sub-step u takes slot u*len + i. */
static void emit_slot_operand(mp_vmod *m, const mp_dsp_cfg *c, int n, int i)
{
    int wb = c->w_bits, ib = slice_idx_bits(c, i);
    int rb = mp_idx_bits(c->sparse_m), spf = c->steps_per_fetch;
    if (dense(c)) {
        mp_vline(m, "wire [%d:0] wslot_%d_%d = w_%d_%d;", wb - 1, n, i, n, i);
        return;
    }
    int blk[MP_DSP_MAX_SUBS];
    slice_blocks(c, i, blk);
    char val[MP_DSP_MAX_SUBS][48], sel[MP_DSP_MAX_SUBS][64];
    for (int u = 0, cand = 0; u < spf; u++) {
        int b = slot_block(c, u, i), p = slot_of(c, u, i) % c->sparse_n;
        while (blk[cand] != b)
            cand++;
        snprintf(val[u], sizeof val[u], "val_%d_%d_%d", n, b, p);
        if (ib > rb)
            snprintf(sel[u], sizeof sel[u], "{%d'd%d, pos_%d_%d_%d}", ib - rb,
                     cand, n, b, p);
        else
            snprintf(sel[u], sizeof sel[u], "pos_%d_%d_%d", n, b, p);
    }
    if (spf == 1) {
        mp_vline(m, "wire [%d:0] wslot_%d_%d = %s;", wb - 1, n, i, val[0]);
        mp_vline(m, "wire [%d:0] islot_%d_%d = %s;", ib - 1, n, i, sel[0]);
        return;
    }
    int ub = mp_idx_bits(spf);
    mp_vline(m, "wire [%d:0] wslot_%d_%d =", wb - 1, n, i);
    for (int u = 0; u < spf; u++)
        mp_vline(m, "    (in_sub == %d'd%d ? %s : %d'd0)%s", ub, u, val[u], wb,
                 u + 1 < spf ? " |" : ";");
    mp_vline(m, "wire [%d:0] islot_%d_%d =", ib - 1, n, i);
    for (int u = 0; u < spf; u++)
        mp_vline(m, "    (in_sub == %d'd%d ? %s : %d'd0)%s", ub, u, sel[u], ib,
                 u + 1 < spf ? " |" : ";");
}

/* The largest delay at which a slice taps fetch offset o (-1: none). */
static int x_delay_max(const mp_dsp_cfg *c, int o)
{
    int max = -1;
    for (int i = 0; i < c->chain_len; i++)
        for (int u = 0; u < c->steps_per_fetch; u++)
            if (o / c->sparse_m == slot_block(c, u, i) && i > max)
                max = i;
    return max;
}

/* Skew: slice i sees its operands i cycles late.  Weights (and indices)
 * per column and slice go through a shift register of i stages, tapped
 * at its end (wt_<n>_<i>, it_<n>_<i>); activations per row and fetch
 * offset through one shift register shared by every chain of the row,
 * tapped at each slice's delay (x_tap()). */
static void emit_skew(mp_vmod *m, const mp_dsp_cfg *c, int m_tile, int n_tile)
{
    int wb = c->w_bits, ab = c->act_bits;
    char reg[48], in[48], t[96];
    for (int n = 0; n < n_tile; n++)
        for (int i = 1; i < c->chain_len; i++) {
            snprintf(reg, sizeof reg, "wsk_%d_%d", n, i);
            shift_decl(m, reg, wb, i);
            if (!dense(c)) {
                snprintf(reg, sizeof reg, "isk_%d_%d", n, i);
                shift_decl(m, reg, slice_idx_bits(c, i), i);
            }
        }
    for (int r = 0; r < m_tile; r++)
        for (int o = 0; o < c->fetch_k; o++) {
            snprintf(reg, sizeof reg, "xsk_%d_%d", r, o);
            shift_decl(m, reg, ab, x_delay_max(c, o));
        }
    mp_vopen(m, "always @(posedge clk) begin");
    for (int n = 0; n < n_tile; n++)
        for (int i = 1; i < c->chain_len; i++) {
            snprintf(reg, sizeof reg, "wsk_%d_%d", n, i);
            snprintf(in, sizeof in, "wslot_%d_%d", n, i);
            shift_step(m, reg, in, wb, i);
            if (!dense(c)) {
                snprintf(reg, sizeof reg, "isk_%d_%d", n, i);
                snprintf(in, sizeof in, "islot_%d_%d", n, i);
                shift_step(m, reg, in, slice_idx_bits(c, i), i);
            }
        }
    for (int r = 0; r < m_tile; r++)
        for (int o = 0; o < c->fetch_k; o++) {
            snprintf(reg, sizeof reg, "xsk_%d_%d", r, o);
            snprintf(in, sizeof in, "x_%d_%d", r, o);
            shift_step(m, reg, in, ab, x_delay_max(c, o));
        }
    mp_vclose(m, "end");
    for (int n = 0; n < n_tile; n++)
        for (int i = 0; i < c->chain_len; i++) {
            snprintf(reg, sizeof reg, "wsk_%d_%d", n, i);
            snprintf(in, sizeof in, "wslot_%d_%d", n, i);
            mp_vline(m, "wire [%d:0] wt_%d_%d = %s;", wb - 1, n, i,
                     tap(t, sizeof t, reg, in, wb, i));
            if (!dense(c)) {
                snprintf(reg, sizeof reg, "isk_%d_%d", n, i);
                snprintf(in, sizeof in, "islot_%d_%d", n, i);
                int ib = slice_idx_bits(c, i);
                mp_vline(m, "wire [%d:0] it_%d_%d = %s;", ib - 1, n, i,
                         tap(t, sizeof t, reg, in, ib, i));
            }
        }
}

/* Activation o of row r as slice i sees it (delay i). */
static const char *x_tap(char *buf, size_t cap, const mp_dsp_cfg *c, int r,
                         int o, int i)
{
    char reg[48], in[48];
    snprintf(reg, sizeof reg, "xsk_%d_%d", r, o);
    snprintf(in, sizeof in, "x_%d_%d", r, o);
    return tap(buf, cap, reg, in, c->act_bits, i);
}

/* The B port of column group q's slice i: the code sign- or zero-extended
 * (pack 1, 2), or (w_hi << 11) + w_lo of the group's two columns (pack 4),
 * shared by every chain of the group. */
static void emit_b_port(mp_vmod *m, const mp_dsp_cfg *c, int q, int i)
{
    int wb = c->w_bits, sgn = c->w_min < 0;
    char buf[96], src[32], sg[32];
    int hi = q * c->cols_per_chain;
    snprintf(src, sizeof src, "wt_%d_%d", hi, i);
    snprintf(sg, sizeof sg, sgn ? "wt_%d_%d[%d]" : "1'b0", hi, i, wb - 1);
    if (c->pack != 4) {
        mp_vline(m, "wire [%d:0] bq_%d_%d = %s;", B_BITS - 1, q, i,
                 sext(buf, sizeof buf, src, sg, wb, B_BITS));
        return;
    }
    char buf2[96], src2[32], sg2[32];
    snprintf(src2, sizeof src2, "wt_%d_%d", hi + 1, i);
    snprintf(sg2, sizeof sg2, sgn ? "wt_%d_%d[%d]" : "1'b0", hi + 1, i,
             wb - 1);
    sext(buf, sizeof buf, src, sg, wb, B_BITS - QUAD_SHIFT);
    mp_vline(m, "wire [%d:0] bq_%d_%d = {%s, %d'd0} + %s;", B_BITS - 1, q, i,
             buf, QUAD_SHIFT, sext(buf2, sizeof buf2, src2, sg2, wb, B_BITS));
}

static void emit_core_chain(mp_vmod *m, const mp_dsp_cfg *c, const char *chain,
                            int r, int q)
{
    for (int j = 0; j < c->lanes; j++)
        mp_vline(m, "wire [%d:0] ln_%d_%d_%d;", c->acc_bits - 1, r, q, j);
    mp_vopen(m, "%s chain_%d_%d (", chain, r, q);
    mp_vline(m, ".clk(clk),");
    int top = r * c->rows_per_chain;
    for (int i = 0; i < c->chain_len; i++) {
        mp_vline(m, ".b_%d(bq_%d_%d),", i, q, i);
        if (!dense(c))
            mp_vline(m, ".idx_%d(it_%d_%d),", i, q, i);
        int blk[MP_DSP_MAX_SUBS], nb = slice_blocks(c, i, blk);
        for (int e = 0; e < nb * c->sparse_m; e++) {
            char a[96], dd[96];
            int o = blk[e / c->sparse_m] * c->sparse_m + e % c->sparse_m;
            /* the even row on A (high lane), as pe_models/dsp_chain.c */
            x_tap(a, sizeof a, c, top, o, i);
            if (c->rows_per_chain == 2)
                mp_vline(m, ".xa_%d_%d(%s), .xd_%d_%d(%s),", i, e, a, i, e,
                         x_tap(dd, sizeof dd, c, top + 1, o, i));
            else
                mp_vline(m, ".xa_%d_%d(%s),", i, e, a);
        }
    }
    for (int j = 0; j < c->lanes; j++)
        mp_vline(m, ".lane_%d(ln_%d_%d_%d)%s", j, r, q, j,
                 j + 1 < c->lanes ? "," : "");
    mp_vclose(m, ");");
}

static void emit_core_ports(mp_vmod *m, const mp_dsp_cfg *c, const char *name,
                            int m_tile, int n_tile)
{
    mp_vopen(m, "module %s (", name);
    mp_vline(m, "input  wire clk,");
    mp_vline(m, "input  wire rst_n,");
    mp_vline(m, "input  wire in_valid,  // a step's operands are offered");
    mp_vline(m, "input  wire in_first,  // first step of a group");
    mp_vline(m, "input  wire in_last,   // last step of a group");
    if (c->steps_per_fetch > 1)
        mp_vline(m, "input  wire [%d:0] in_sub, // step within the fetch",
                 mp_idx_bits(c->steps_per_fetch) - 1);
    for (int r = 0; r < m_tile; r++)
        for (int o = 0; o < c->fetch_k; o++)
            mp_vline(m, "input  wire [%d:0] x_%d_%d,", c->act_bits - 1, r, o);
    for (int n = 0; n < n_tile; n++)
        for (int o = 0; o < c->fetch_k; o++)
            mp_vline(m, "input  wire [%d:0] w_%d_%d,", c->w_bits - 1, n, o);
    for (int r = 0; r < m_tile; r++)
        for (int n = 0; n < n_tile; n++)
            mp_vline(m, "output reg  [%d:0] p_%d_%d,", c->acc_bits - 1, r, n);
    mp_vline(m, "output reg  out_valid  // p_* hold a group's sums");
    mp_vclose(m, ");");
}

/* Control travels with the data: latency-1 stages to the acc stage, where
 * every chain's lanes go into their outputs' group sums. */
static void emit_core_acc(mp_vmod *m, const mp_dsp_cfg *c, int chain_rows,
                          int col_groups)
{
    int lat = c->latency;
    mp_vline(m, "reg [%d:0] v_pipe, f_pipe, l_pipe;", lat - 2);
    mp_vopen(m, "always @(posedge clk) begin");
    mp_vopen(m, "if (!rst_n) begin");
    mp_vline(m, "v_pipe <= %d'd0;", lat - 1);
    mp_vline(m, "out_valid <= 1'b0;");
    mp_vclose(m, "end else begin");
    m->indent++;
    shift_step(m, "v_pipe", "in_valid", 1, lat - 1);
    mp_vline(m, "out_valid <= v_pipe[%d] & l_pipe[%d];", lat - 2, lat - 2);
    mp_vclose(m, "end");
    shift_step(m, "f_pipe", "in_first", 1, lat - 1);
    shift_step(m, "l_pipe", "in_last", 1, lat - 1);
    mp_vopen(m, "if (v_pipe[%d]) begin", lat - 2);
    for (int r = 0; r < chain_rows; r++)
        for (int q = 0; q < col_groups; q++)
            for (int j = 0; j < c->lanes; j++) {
                int row = r * c->rows_per_chain + lane_row(c, j);
                int col = q * c->cols_per_chain + lane_col(c, j);
                mp_vline(m, "p_%d_%d <= (f_pipe[%d] ? %d'd0 : p_%d_%d) + "
                            "ln_%d_%d_%d;", row, col, lat - 2, c->acc_bits,
                         row, col, r, q, j);
            }
    mp_vclose(m, "end");
    mp_vclose(m, "end");
}

int mp_dsp_emit_core(mp_rtl_out *out, const mp_dsp_cfg *c, int chain_rows,
                     int col_groups, char *name, mp_diag *d)
{
    char chain[MP_RTL_NAME_MAX];
    if (emit_chain(out, c, chain, d))
        return -1;
    int m_tile = chain_rows * c->rows_per_chain;
    int n_tile = col_groups * c->cols_per_chain;
    mp_rtl_leaf_name(out, name, "dsp_core");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "array of DSP48E2 chains: skew, sparse select, "
                           "lane accumulation per output",
                           d);
    if (rc)
        return rc < 0 ? -1 : 0;
    emit_core_ports(&m, c, name, m_tile, n_tile);
    m.indent = 1;
    if (!dense(c))
        for (int n = 0; n < n_tile; n++)
            for (int b = 0; b < c->fetch_k / c->sparse_m; b++)
                emit_compress(&m, c, n, b);
    for (int n = 0; n < n_tile; n++)
        for (int i = 0; i < c->chain_len; i++)
            emit_slot_operand(&m, c, n, i);
    emit_skew(&m, c, m_tile, n_tile);
    for (int q = 0; q < col_groups; q++)
        for (int i = 0; i < c->chain_len; i++)
            emit_b_port(&m, c, q, i);
    for (int r = 0; r < chain_rows; r++)
        for (int q = 0; q < col_groups; q++)
            emit_core_chain(&m, c, chain, r, q);
    emit_core_acc(&m, c, chain_rows, col_groups);
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
    if (p->act != MP_ACT_INT8 && p->act != MP_ACT_INT4) /* as the model */
        return mp_fail(d, MP_CMDLINE, 0, "act",
                       "dsp-chain RTL takes int8 or int4 activations, got %s",
                       mp_act_name(p->act));
    memset(c, 0, sizeof *c);
    /* an array of fewer rows than chain_len cascades all of its rows, as
     * the engine's span (sim/engine.h) */
    c->chain_len = p->chain_len < cfg->rows ? p->chain_len : cfg->rows;
    c->pack = p->pack_products;
    c->sparse_n = p->sparse_n;
    c->sparse_m = p->sparse_m;
    c->act_bits = mp_act_bits(p->act);
    c->w_min = mp_wfmt_min(p->wfmt);
    c->w_max = mp_wfmt_max(p->wfmt);
    c->span = info->group ? info->group : cfg->k_max;
    char wname[32];
    if (mp_dsp_layout(c)) /* the model's check() admits no such case */
        return mp_fail(d, MP_CMDLINE, 0, "pack_products",
                       "dsp-chain RTL has no layout for %d products per DSP "
                       "with %s activations and %s codes", p->pack_products,
                       mp_act_name(p->act),
                       mp_wfmt_name(p->wfmt, wname, sizeof wname));
    /* a group (per channel: k-max) of whole fetches needs no mask */
    c->partial = c->span % c->fetch_k != 0;
    return 0;
}

/* |a * w| at most. */
static int64_t most_product(const mp_dsp_cfg *c)
{
    int64_t most = (int64_t)1 << (c->act_bits - 1);
    return most * (c->w_max > -c->w_min ? c->w_max : -c->w_min);
}

static void dsp_spec(const mp_dsp_cfg *c, mp_block_spec *s)
{
    memset(s, 0, sizeof *s);
    s->fetch_k = c->fetch_k;
    s->passes = 1;
    s->subs = c->steps_per_fetch;
    s->core_latency = c->latency;
    s->p_bits = c->acc_bits;
    s->p_max = most_product(c) * c->span;
    s->x_bits = c->act_bits;
    s->w_bits = c->w_bits;
    s->zero_mul = 1;
    s->partial = c->partial;
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
    int64_t most = most_product(&c);
    if (mp_sbits_for(-most * cfg->k_max, most * cfg->k_max) > 31)
        return mp_fail(d, MP_CMDLINE, 0, "k-max",
                       "sums over k-max %d do not fit int32", cfg->k_max);
    /* rows x cols DSP48E2 slices (the PE model's PE): each column of the
     * array holds rows / chain_len chains (one chain of all the rows when
     * rows < chain_len); rows beyond a multiple of chain_len idle, as in
     * the engine */
    info->m_tile = c.rows_per_chain * (cfg->rows / c.chain_len);
    info->n_tile = c.cols_per_chain * cfg->cols;
    /* per channel: whole fetches when k-max has them (no mask), else any
     * K of whole N:M blocks (the last fetch masked) */
    info->k_step = info->group ? info->group
                   : c.partial ? c.sparse_m : c.fetch_k;
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
    if (mp_dsp_emit_core(out, &c, info->m_tile / c.rows_per_chain,
                         info->n_tile / c.cols_per_chain, s.core, d))
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
