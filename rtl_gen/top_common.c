/* top_common.c - see top_common.h. */
#include "rtl_gen/top_common.h"

#include <stdio.h>
#include <string.h>
#include "rtl_gen/dequant_unit.h"


void mp_top_wcode(mp_wfmt w, int *bits, int *is_signed)
{
    if (w.kind == MP_W_UNSIGNED || w.kind == MP_W_FP16) { /* FP16: pattern */
        *bits = w.bits;
        *is_signed = 0;
    } else {
        *bits = mp_sbits_for(mp_wfmt_min(w), mp_wfmt_max(w));
        *is_signed = 1;
    }
}

void mp_top_bufs_default(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                         mp_top_bufs *bufs)
{
    memset(bufs, 0, sizeof *bufs);
    int64_t groups = info->group ? cfg->k_max / info->group : 1;
    mp_top_buf *x = &bufs->b[MP_BUF_X], *w = &bufs->b[MP_BUF_W];
    x->bits = mp_act_bits(cfg->pe.act);
    x->is_signed = !mp_act_is_float(cfg->pe.act);
    x->depth = (int64_t)info->m_tile * cfg->k_max;
    mp_top_wcode(cfg->pe.wfmt, &w->bits, &w->is_signed);
    w->depth = (int64_t)cfg->k_max * info->n_tile;
    if (cfg->has_scales)
        bufs->b[MP_BUF_S] = (mp_top_buf){32, groups * info->n_tile, 0};
    if (cfg->pe.has_zeros)
        bufs->b[MP_BUF_Z] = (mp_top_buf){
            mp_sbits_for(mp_wfmt_min(cfg->pe.wfmt), mp_wfmt_max(cfg->pe.wfmt)),
            groups * info->n_tile, 1};
    if (cfg->has_act_scale)
        bufs->b[MP_BUF_A] = (mp_top_buf){32, info->m_tile, 0};
    bufs->load_bits = mp_rtl_load_bits(cfg);
    bufs->addr_bits = info->addr_bits;
    bufs->idx_bits = info->idx_bits;
}

/* Port widths of bufs: the protocol's defaults unless set wider. */
static int addr_bits(const mp_top_bufs *bufs)
{
    return bufs->addr_bits > MP_RTL_ADDR_BITS ? bufs->addr_bits
                                              : MP_RTL_ADDR_BITS;
}

static int idx_bits(const mp_top_bufs *bufs)
{
    return bufs->idx_bits > MP_RTL_IDX_BITS ? bufs->idx_bits : MP_RTL_IDX_BITS;
}

int mp_rtl_read_latency(const mp_rtl_cfg *cfg)
{
    return mp_rtl_float_out(cfg) && cfg->has_act_scale &&
                   cfg->pe.scale_stages > 1
               ? 2
               : 1;
}

int mp_rtl_load_bits(const mp_rtl_cfg *cfg)
{
    return cfg->load_bits > 0 ? cfg->load_bits : MP_RTL_LOAD_BITS;
}

void mp_rtl_load_widths(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                        int widths[5])
{
    mp_top_bufs bufs;
    mp_top_bufs_default(cfg, info, &bufs);
    for (int i = 0; i < MP_BUF_COUNT; i++)
        widths[i] = bufs.b[i].bits;
}

int mp_top_count_bits(int load_bits)
{
    return mp_idx_bits((int64_t)load_bits + 1); /* up to load_bits 1-bit codes */
}

void mp_top_ports(mp_vmod *m, const char *name)
{
    mp_top_bufs narrow;
    memset(&narrow, 0, sizeof narrow);
    narrow.load_bits = MP_RTL_LOAD_BITS;
    mp_top_ports_load(m, name, &narrow);
}

void mp_top_ports_load(mp_vmod *m, const char *name, const mp_top_bufs *bufs)
{
    int lb = bufs->load_bits;
    mp_vopen(m, "module %s (", name);
    mp_vline(m, "input  wire        clk,");
    mp_vline(m, "input  wire        rst_n,");
    mp_vline(m, "input  wire        ld_valid,");
    mp_vline(m, "output wire        ld_ready,");
    mp_vline(m, "input  wire [2:0]  ld_buf,");
    mp_vline(m, "input  wire [%d:0] ld_addr,", addr_bits(bufs) - 1);
    if (lb <= MP_RTL_LOAD_BITS) {
        mp_vline(m, "input  wire [31:0] ld_data,");
    } else {
        mp_vline(m, "input  wire [%d:0] ld_data,", lb - 1);
        mp_vline(m, "input  wire [%d:0] ld_count,", mp_top_count_bits(lb) - 1);
    }
    mp_vline(m, "input  wire        start,");
    mp_vline(m, "input  wire [15:0] cfg_k,");
    mp_vline(m, "output reg         busy,");
    mp_vline(m, "output reg         done,");
    mp_vline(m, "input  wire [%d:0] rd_idx,", idx_bits(bufs) - 1);
    mp_vline(m, "output reg  [31:0] rd_data");
    mp_vclose(m, ");");
    m->indent++;
}

int mp_top_t_bits(const mp_top_ctl *ctl)
{
    return mp_idx_bits(ctl->t_max + 2);
}

/* Width in which t and kq are compared. */
static int cmp_bits(const mp_top_ctl *ctl)
{
    int tw = mp_top_t_bits(ctl);
    return (tw > MP_RTL_K_BITS ? tw : MP_RTL_K_BITS) + 1;
}

void mp_top_controller(mp_vmod *m, const mp_top_ctl *ctl)
{
    int tw = mp_top_t_bits(ctl), cw = cmp_bits(ctl);
    char e1[128], e2[128], c1[32];
    uint64_t mask = ((uint64_t)1 << cw) - 1;
    mp_vline(m, "// controller: t = cycles since the start edge; done on the");
    mp_vline(m, "// edge where t == K + %lld - 1 (rtl_cycles = K + %lld)",
             (long long)ctl->latency, (long long)ctl->latency);
    mp_vline(m, "reg  [15:0] kq;");
    mp_vline(m, "reg  [%d:0] t;", tw - 1);
    mp_vline(m, "wire go = start & ~busy;");
    mp_vline(m, "assign ld_ready = ~busy;");
    mp_vline(m, "wire [%d:0] t_cmp = %s;", cw - 1, mp_vresize(e1, "t", tw, cw));
    mp_vline(m, "wire [%d:0] k_cmp = %s;", cw - 1, mp_vresize(e2, "kq", 16, cw));
    mp_vline(m, "wire [%d:0] t_end = k_cmp + %s;", cw - 1,
             mp_vconst(c1, cw, (uint64_t)(ctl->latency - 1) & mask));
    mp_vopen(m, "always @(posedge clk) begin");
    mp_vopen(m, "if (!rst_n) begin");
    mp_vline(m, "busy <= 1'b0;");
    mp_vline(m, "done <= 1'b0;");
    mp_vline(m, "kq <= 16'd0;");
    mp_vline(m, "t <= %d'd0;", tw);
    mp_vclose(m, "end else begin");
    m->indent++;
    mp_vline(m, "done <= 1'b0;");
    mp_vopen(m, "if (go) begin");
    mp_vline(m, "busy <= 1'b1;");
    mp_vline(m, "kq <= cfg_k;");
    mp_vline(m, "t <= %d'd0;", tw);
    mp_vclose(m, "end else if (busy) begin");
    m->indent++;
    mp_vline(m, "t <= t + %d'd1;", tw);
    mp_vopen(m, "if (t_cmp == t_end) begin");
    mp_vline(m, "busy <= 1'b0;");
    mp_vline(m, "done <= 1'b1;");
    mp_vclose(m, "end");
    mp_vclose(m, "end");
    mp_vclose(m, "end");
    mp_vclose(m, "end");
}

static const char *const mem_names[MP_BUF_COUNT] = {"xmem", "wmem", "smem",
                                                    "zmem", "amem"};

const char *mp_top_mem_read(const mp_top_bufs *bufs, int which,
                            const char *addr, char *buf)
{
    if (bufs->b[which].depth <= 1)
        snprintf(buf, MP_VEXPR, "%s", mem_names[which]);
    else
        snprintf(buf, MP_VEXPR, "%s[%s]", mem_names[which], addr);
    return buf;
}

void mp_top_unit_addr(mp_vmod *m, const char *sza, int addr_bits, int base,
                      char *addr, size_t cap)
{
    char c1[32];
    mp_vline(m, "wire [%d:0] %s;", addr_bits - 1, sza);
    if (base)
        snprintf(addr, cap, "%s + %s", sza,
                 mp_vconst(c1, addr_bits, (uint64_t)base));
    else
        snprintf(addr, cap, "%s", sza);
}

/* One element per 32-bit word, extended to 32 bits (the default port). */
static void narrow_buffer(mp_vmod *m, const mp_top_bufs *bufs, int i,
                          const mp_top_buf *b)
{
    const char *mem = mem_names[i];
    char ok[160], c1[32];
    if (b->bits == 32)
        snprintf(ok, sizeof ok, "1'b1");
    else if (b->is_signed)
        snprintf(ok, sizeof ok, "(&ld_data[31:%d]) | ~(|ld_data[31:%d])",
                 b->bits - 1, b->bits - 1);
    else
        snprintf(ok, sizeof ok, "~(|ld_data[31:%d])", b->bits);
    mp_vline(m, "wire %s_we = ld_fire & (ld_buf == 3'd%d) & (ld_addr <= %s) & (%s);",
             mem, i, mp_vconst(c1, addr_bits(bufs), (uint64_t)(b->depth - 1)),
             ok);
    if (b->depth <= 1) {
        mp_vline(m, "reg  [%d:0] %s;", b->bits - 1, mem);
        mp_vline(m, "always @(posedge clk) if (%s_we) %s <= ld_data[%d:0];",
                 mem, mem, b->bits - 1);
    } else {
        char addr[128];
        mp_vresize(addr, "ld_addr", addr_bits(bufs), mp_idx_bits(b->depth));
        mp_vline(m, "reg  [%d:0] %s [0:%lld];", b->bits - 1, mem,
                 (long long)b->depth - 1);
        mp_vline(m, "always @(posedge clk) if (%s_we) %s[%s] <= ld_data[%d:0];",
                 mem, mem, addr, b->bits - 1);
    }
}

int mp_top_lanes(int load_bits, int bits)
{
    int lanes = 1;
    while (bits > 0 && 2 * lanes * bits <= load_bits)
        lanes *= 2;
    return lanes;
}

/* Lanes a buffer really has: no more than its depth. */
static int64_t buffer_lanes(const mp_top_bufs *bufs, const mp_top_buf *b)
{
    int64_t lanes = mp_top_lanes(bufs->load_bits, b->bits);
    return lanes < b->depth ? lanes : b->depth;
}

/* A beat of up to P = mp_top_lanes() elements at an address that is a
 * multiple of P: lane j writes element j of the beat to ld_addr + j when
 * j < ld_count and that is in range.  Aligned beats give every buffer
 * word a single lane (its address's low log2(P) bits), so a word has one
 * write port, not P. */
static void wide_buffer(mp_vmod *m, const mp_top_bufs *bufs, int i,
                        const mp_top_buf *b)
{
    const char *mem = mem_names[i];
    int64_t lanes = buffer_lanes(bufs, b);
    int lane_bits = mp_idx_bits(mp_top_lanes(bufs->load_bits, b->bits));
    int cb = mp_top_count_bits(bufs->load_bits);
    int aw = b->depth > 1 ? mp_idx_bits(b->depth) : 0;
    char c1[32], c2[32], c3[32], aligned[64] = "";
    if (mp_top_lanes(bufs->load_bits, b->bits) > 1)
        snprintf(aligned, sizeof aligned, " & ~(|ld_addr[%d:0])",
                 lane_bits - 1);
    mp_vline(m, "wire %s_sel = ld_fire & (ld_buf == 3'd%d)%s;", mem, i,
             aligned);
    if (aw)
        mp_vline(m, "reg  [%d:0] %s [0:%lld];", b->bits - 1, mem,
                 (long long)b->depth - 1);
    else
        mp_vline(m, "reg  [%d:0] %s;", b->bits - 1, mem);
    for (int64_t j = 0; j < lanes; j++)
        mp_vline(m, "wire %s_we%lld = %s_sel & (ld_count > %s) & (ld_addr <= %s);",
                 mem, (long long)j, mem, mp_vconst(c1, cb, (uint64_t)j),
                 mp_vconst(c2, addr_bits(bufs),
                           (uint64_t)(b->depth - 1 - j)));
    mp_vopen(m, "always @(posedge clk) begin");
    for (int64_t j = 0; j < lanes; j++) {
        long long lo = (long long)(j * b->bits);
        char addr[96];
        if (!aw)
            addr[0] = 0;
        else if (aw <= lane_bits || lanes == 1) /* one row of lanes */
            snprintf(addr, sizeof addr, "[%s]",
                     lanes == 1 ? (mp_vresize(c3, "ld_addr", addr_bits(bufs),
                                              aw), c3)
                                : mp_vconst(c3, aw, (uint64_t)j));
        else
            snprintf(addr, sizeof addr, "[{ld_addr[%d:%d], %s}]", aw - 1,
                     lane_bits, mp_vconst(c3, lane_bits, (uint64_t)j));
        mp_vline(m, "if (%s_we%lld) %s%s <= ld_data[%lld:%lld];", mem,
                 (long long)j, mem, addr, lo + b->bits - 1, lo);
    }
    mp_vclose(m, "end");
}

void mp_top_buffers(mp_vmod *m, const mp_top_bufs *bufs)
{
    int wide = bufs->load_bits > MP_RTL_LOAD_BITS;
    mp_vline(m, "// load buffers (docs/rtl.md); malformed words are dropped");
    if (!wide) {
        mp_vline(m, "wire ld_fire = ld_valid & ld_ready;");
    } else {
        /* bits no buffer's lanes read must be zero: every port bit is used
         * and a beat wider than this design's buffers is malformed */
        int64_t used = 0;
        for (int i = 0; i < MP_BUF_COUNT; i++)
            if (bufs->b[i].bits) {
                int64_t u = buffer_lanes(bufs, &bufs->b[i]) * bufs->b[i].bits;
                used = u > used ? u : used;
            }
        if (used < bufs->load_bits)
            mp_vline(m, "wire ld_fire = ld_valid & ld_ready & ~(|ld_data[%d:%lld]);",
                     bufs->load_bits - 1, (long long)used);
        else
            mp_vline(m, "wire ld_fire = ld_valid & ld_ready;");
    }
    for (int i = 0; i < MP_BUF_COUNT; i++) {
        const mp_top_buf *b = &bufs->b[i];
        if (!b->bits)
            continue;
        if (wide)
            wide_buffer(m, bufs, i, b);
        else
            narrow_buffer(m, bufs, i, b);
    }
}

int mp_top_read_port(mp_vmod *m, mp_rtl_out *out, const mp_top_bufs *bufs,
                     const mp_top_rd *rd, mp_diag *d)
{
    static const mp_fpf fp32 = {8, 23};
    int rb = rd->res_bits;
    int rows = rd->count / rd->n_tile;
    int act = rd->out_float && rd->has_act_scale;
    int msel = act && bufs->b[MP_BUF_A].depth > 1;
    int mw = mp_idx_bits(rows), iw = idx_bits(bufs);
    int fp32_out = rd->out_fmt.e == 8 && rd->out_fmt.m == 23;
    char mul[MP_RTL_NAME_MAX], conv[MP_RTL_NAME_MAX], c1[32], e1[MP_VEXPR];
    int piped = act && rd->piped;
    if (act && (piped ? mp_fp_emit_mul_piped : mp_fp_emit_mul)(
                   out, rd->out_fmt, fp32, rd->out_fmt, mul, d))
        return -1;
    if (rd->out_float && !fp32_out &&
        mp_fp_emit_conv(out, rd->out_fmt, fp32, conv, d))
        return -1;
    if (piped)
        mp_vline(m, "// read port: rd_data <= result[rd_idx] * act_scale, "
                 "two cycles latency (the product registered before its "
                 "rounding)");
    else
        mp_vline(m, "// read port: rd_data <= result[rd_idx], one cycle "
                 "latency");
    mp_vline(m, "reg  [%d:0] rsel;", rb - 1);
    if (msel)
        mp_vline(m, "reg  [%d:0] msel;", mw - 1);
    mp_vopen(m, "always @* begin");
    mp_vline(m, "rsel = %d'd0;", rb);
    if (msel)
        mp_vline(m, "msel = %d'd0;", mw);
    mp_vopen(m, "case (rd_idx)");
    for (int i = 0; i < rd->count; i++) {
        char res[64];
        snprintf(res, sizeof res, rd->res_fmt, i);
        if (msel)
            mp_vline(m, "%d'd%d: begin rsel = %s; msel = %s; end", iw, i,
                     res, mp_vconst(c1, mw, (uint64_t)(i / rd->n_tile)));
        else
            mp_vline(m, "%d'd%d: rsel = %s;", iw, i, res);
    }
    mp_vline(m, "default: ;");
    mp_vclose(m, "endcase");
    mp_vclose(m, "end");
    if (!rd->out_float) {
        char e2[128];
        if (rb == 32)
            snprintf(e2, sizeof e2, "rsel");
        else
            snprintf(e2, sizeof e2, "{{%d{rsel[%d]}}, rsel}", 32 - rb, rb - 1);
        mp_vline(m, "always @(posedge clk) rd_data <= %s;", e2);
        return 0;
    }
    const char *y = "rsel";
    if (act) {
        mp_vline(m, "wire [%d:0] yscaled;", rb - 1);
        mp_vline(m, "%s " MP_RTL_ACT_SCALE_INST " (%s.a(rsel), .b(%s), "
                 ".y(yscaled));", mul, piped ? ".clk(clk), " : "",
                 mp_top_mem_read(bufs, MP_BUF_A, "msel", e1));
        y = "yscaled";
    }
    if (!fp32_out) {
        mp_vline(m, "wire [31:0] y32;");
        mp_vline(m, "%s " MP_RTL_WIDEN_INST " (.a(%s), .y(y32));", conv, y);
        y = "y32";
    }
    mp_vline(m, "always @(posedge clk) rd_data <= %s;", y);
    return 0;
}

/* ---- the output-stationary array top ----------------------------------- */

/* Per-column weight dequantization (dequantize-first families):
 * w = round_wfmt(s * (q - z)), the product exact, one rounding. */
static int emit_wdeq(mp_rtl_out *out, const mp_top_bufs *bufs,
                     const mp_os_spec *spec, char *name, mp_diag *d)
{
    static const mp_fpf fp32 = {8, 23};
    const mp_top_buf *w = &bufs->b[MP_BUF_W], *z = &bufs->b[MP_BUF_Z];
    int qb = w->bits + !w->is_signed; /* as a signed value */
    int rb = z->bits ? (qb > z->bits ? qb : z->bits) + 1 : qb;
    char mul[MP_RTL_NAME_MAX];
    if (mp_fp_emit_mul_int(out, fp32, rb, 0, spec->w_fmt, mul, d))
        return -1;
    mp_rtl_leaf_name(out, name, "wdeq");
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, name,
                           "weight dequantization at the array edge: "
                           "w = round(s * (q - z))", d);
    if (rc)
        return rc < 0 ? -1 : 0;
    mp_vopen(&m, "module %s (", name);
    mp_vline(&m, "input  wire [%d:0] q,", w->bits - 1);
    mp_vline(&m, "input  wire [31:0] s,");
    if (z->bits)
        mp_vline(&m, "input  wire [%d:0] z,", z->bits - 1);
    mp_vline(&m, "output wire [%d:0] w", mp_fpf_bits(spec->w_fmt) - 1);
    mp_vclose(&m, ");");
    m.indent++;
    char qe[128];
    if (rb == w->bits)
        snprintf(qe, sizeof qe, "q");
    else if (w->is_signed)
        snprintf(qe, sizeof qe, "{{%d{q[%d]}}, q}", rb - w->bits, w->bits - 1);
    else
        snprintf(qe, sizeof qe, "{%d'd0, q}", rb - w->bits);
    if (z->bits)
        mp_vline(&m, "wire [%d:0] r = %s - {{%d{z[%d]}}, z};", rb - 1, qe,
                 rb - z->bits, z->bits - 1);
    else
        mp_vline(&m, "wire [%d:0] r = %s;", rb - 1, qe);
    mp_vline(&m, "%s u_mul (.s(s), .r(r), .y(w));", mul);
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
}

/* Everything the OS top needs to know, derived once. */
typedef struct os_geom {
    int rows, cols, group, groups;  /* group 0: per-channel               */
    int lanes;                      /* result columns per PE (packing)     */
    int ncols;                      /* result columns: cols * lanes        */
    int edge;                       /* dequant edge units                  */
    int units;                      /* edge units per row and lane         */
    int64_t latency;
    mp_top_ctl ctl;
    int tw;                         /* t bits                              */
    int need_gpos, need_g;          /* group position / index counters    */
    int gpw, gw;
    int sz_addr_bits;               /* 0: one scale/zero entry             */
} os_geom;

static int64_t os_latency(const mp_rtl_cfg *cfg, const mp_os_spec *spec)
{
    /* the last PE (R-1, C-1) takes its last pair on edge K + R + C - 2
     * (plus its own extra stages); an edge unit adds the edge that folds
     * that group into the output, a scaled one dequant_stages - 1 more */
    int64_t edge = 0;
    if (spec->group_edge)
        edge = 1 + (cfg->has_scales && cfg->pe.dequant_stages > 1
                        ? cfg->pe.dequant_stages - 1
                        : 0);
    return cfg->rows + cfg->cols - 2 + spec->pe_stages + edge;
}

int64_t mp_top_os_cycles(const mp_rtl_cfg *cfg, const mp_os_spec *spec,
                         int k)
{
    return k + os_latency(cfg, spec);
}

static void os_geom_init(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                         const mp_os_spec *spec, const mp_top_bufs *bufs,
                         os_geom *g)
{
    memset(g, 0, sizeof *g);
    g->rows = cfg->rows;
    g->cols = cfg->cols;
    g->lanes = spec->lanes > 1 ? spec->lanes : 1;
    g->ncols = g->cols * g->lanes;
    g->group = info->group;
    g->groups = info->group ? cfg->k_max / info->group : 1;
    g->edge = spec->group_edge;
    g->units = g->edge && g->group ? (g->cols + g->group - 1) / g->group : 1;
    g->latency = os_latency(cfg, spec);
    g->ctl.latency = g->latency;
    g->ctl.t_max = cfg->k_max + g->latency + 1;
    g->tw = mp_top_t_bits(&g->ctl);
    g->need_g = spec->w_dequant && g->groups > 1;
    g->need_gpos = g->group > 1 && (g->edge || g->need_g);
    g->gpw = mp_idx_bits(g->group);
    g->gw = mp_idx_bits(g->groups);
    int64_t sz_depth = bufs->b[MP_BUF_S].depth > bufs->b[MP_BUF_Z].depth
                           ? bufs->b[MP_BUF_S].depth
                           : bufs->b[MP_BUF_Z].depth;
    g->sz_addr_bits = sz_depth > 1 ? mp_idx_bits(sz_depth) : 0;
}

/* The row-0 flags and their anti-diagonal delay lines v_dD, f_dD, l_dD:
 * PE(r, c) sees the flags of d = r + c. */
static void emit_flags(mp_vmod *m, const os_geom *g)
{
    int cw = cmp_bits(&g->ctl);
    char c1[32];
    mp_vline(m, "// flags of operand pair k = t at (0,0); PE(r,c) sees them at d = r + c");
    mp_vline(m, "wire v_d0 = t_cmp < k_cmp;");
    if (g->need_gpos) {
        mp_vline(m, "reg  [%d:0] gpos;", g->gpw - 1);
        mp_vline(m, "wire gpos_last = gpos == %s;",
                 mp_vconst(c1, g->gpw, (uint64_t)(g->group - 1)));
        mp_vopen(m, "always @(posedge clk) begin");
        mp_vline(m, "if (go) gpos <= %d'd0;", g->gpw);
        mp_vline(m, "else if (busy) gpos <= gpos_last ? %d'd0 : gpos + %d'd1;",
                 g->gpw, g->gpw);
        mp_vclose(m, "end");
    }
    const char *glast = g->group == 1 ? "1'b1" : "gpos_last";
    if (g->edge) {
        if (g->group == 0) {
            mp_vline(m, "wire f_d0 = t == %d'd0;", g->tw);
            mp_vline(m, "wire l_d0 = t_cmp == k_cmp - %s;", mp_vconst(c1, cw, 1));
        } else if (g->group == 1) {
            mp_vline(m, "wire f_d0 = 1'b1;");
            mp_vline(m, "wire l_d0 = 1'b1;");
        } else {
            mp_vline(m, "wire f_d0 = gpos == %d'd0;", g->gpw);
            mp_vline(m, "wire l_d0 = gpos_last;");
        }
    } else {
        mp_vline(m, "wire f_d0 = t == %d'd0;", g->tw);
    }
    if (g->need_g) {
        mp_vline(m, "reg  [%d:0] g_c0;", g->gw - 1);
        mp_vopen(m, "always @(posedge clk) begin");
        mp_vline(m, "if (go) g_c0 <= %d'd0;", g->gw);
        mp_vline(m, "else if (v_d0 & %s) g_c0 <= g_c0 + %d'd1;", glast, g->gw);
        mp_vclose(m, "end");
    }
    int dmax = g->rows + g->cols - 2;
    for (int k = 1; k <= dmax; k++) {
        mp_vline(m, "reg v_d%d, f_d%d;", k, k);
        if (g->edge)
            mp_vline(m, "reg l_d%d;", k);
    }
    if (dmax >= 1) {
        mp_vopen(m, "always @(posedge clk) begin");
        for (int k = 1; k <= dmax; k++) {
            mp_vline(m, "v_d%d <= rst_n & v_d%d;", k, k - 1);
            mp_vline(m, "f_d%d <= f_d%d;", k, k - 1);
            if (g->edge)
                mp_vline(m, "l_d%d <= l_d%d;", k, k - 1);
        }
        mp_vclose(m, "end");
    }
}

/* Row feeders and the x pipeline: x_rR_cC is the activation at PE(R,C). */
static void emit_x(mp_vmod *m, const os_geom *g, const mp_top_bufs *bufs,
                   const mp_os_spec *spec)
{
    int aw = mp_idx_bits(bufs->b[MP_BUF_X].depth);
    char addr[256], e1[128], e2[128], e3[MP_VEXPR], c1[32];
    mp_vline(m, "// activations: row r reads X[r][t - r] (address r*K + t - r)");
    for (int r = 0; r < g->rows; r++) {
        mp_vresize(e1, "t", g->tw, aw);
        if (r == 0)
            snprintf(addr, sizeof addr, "%s", e1);
        else
            snprintf(addr, sizeof addr, "%s * %s + %s - %s",
                     mp_vresize(e2, "kq", 16, aw), mp_vconst(c1, aw, (uint64_t)r),
                     e1, mp_vconst(c1 + 16, aw, (uint64_t)r));
        mp_vline(m, "wire [%d:0] x_r%d_c0 = %s;", spec->x_bits - 1, r,
                 mp_top_mem_read(bufs, MP_BUF_X, addr, e3));
        for (int c = 1; c < g->cols; c++)
            mp_vline(m, "reg  [%d:0] x_r%d_c%d;", spec->x_bits - 1, r, c);
    }
    if (g->cols > 1) {
        mp_vopen(m, "always @(posedge clk) begin");
        for (int r = 0; r < g->rows; r++)
            for (int c = 1; c < g->cols; c++)
                mp_vline(m, "x_r%d_c%d <= x_r%d_c%d;", r, c, r, c - 1);
        mp_vclose(m, "end");
    }
}

/* Column feeders and the w pipeline: w_rR_cN is the weight of result
 * column N at array row R (N = c * lanes + lane: PE column c, lane). */
static int emit_w(mp_vmod *m, mp_rtl_out *out, const os_geom *g,
                  const mp_top_bufs *bufs, const mp_os_spec *spec, mp_diag *d)
{
    int aw = mp_idx_bits(bufs->b[MP_BUF_W].depth);
    int n = g->ncols;
    char addr[256], e1[128], e3[MP_VEXPR], c1[32], c2[32], wdeq[MP_RTL_NAME_MAX];
    if (spec->w_dequant && emit_wdeq(out, bufs, spec, wdeq, d))
        return -1;
    if (g->lanes > 1)
        mp_vline(m, "// weights: result column n of PE column c = n / %d "
                 "reads Wq[t - c][n] (address (t - c)*N + n)", g->lanes);
    else
        mp_vline(m, "// weights: column c reads Wq[t - c][c] (address (t - c)*N + c)");
    if (g->need_g) {
        for (int c = 1; c < g->cols; c++)
            mp_vline(m, "reg  [%d:0] g_c%d;", g->gw - 1, c);
        if (g->cols > 1) {
            mp_vopen(m, "always @(posedge clk) begin");
            for (int c = 1; c < g->cols; c++)
                mp_vline(m, "g_c%d <= g_c%d;", c, c - 1);
            mp_vclose(m, "end");
        }
    }
    for (int c = 0; c < n; c++) {
        int pc = c / g->lanes; /* the PE column: its skew */
        mp_vresize(e1, "t", g->tw, aw);
        char kexpr[160];
        if (pc == 0)
            snprintf(kexpr, sizeof kexpr, "%s", e1);
        else
            snprintf(kexpr, sizeof kexpr, "(%s - %s)", e1,
                     mp_vconst(c1, aw, (uint64_t)pc));
        if (n == 1)
            snprintf(addr, sizeof addr, "%s", kexpr);
        else if (bufs->b[MP_BUF_W].depth == n) /* k_max 1: k is always 0 */
            snprintf(addr, sizeof addr, "%s", mp_vconst(c2, aw, (uint64_t)c));
        else
            snprintf(addr, sizeof addr, "%s * %s + %s", kexpr,
                     mp_vconst(c1, aw, (uint64_t)n), mp_vconst(c2, aw, (uint64_t)c));
        if (!spec->w_dequant) {
            mp_vline(m, "wire [%d:0] w_r0_c%d = %s;", spec->w_bits - 1, c,
                     mp_top_mem_read(bufs, MP_BUF_W, addr, e3));
            continue;
        }
        mp_vline(m, "wire [%d:0] q_c%d = %s;", bufs->b[MP_BUF_W].bits - 1, c,
                 mp_top_mem_read(bufs, MP_BUF_W, addr, e3));
        /* scale/zero of this column's group: g*N + c */
        char sz[256];
        int saw = g->sz_addr_bits;
        if (saw) {
            char gname[16], e2[128];
            snprintf(gname, sizeof gname, "g_c%d", pc);
            if (g->need_g && n > 1)
                snprintf(sz, sizeof sz, "%s * %s + %s",
                         mp_vresize(e2, gname, g->gw, saw),
                         mp_vconst(c1, saw, (uint64_t)n),
                         mp_vconst(c2, saw, (uint64_t)c));
            else if (g->need_g)
                snprintf(sz, sizeof sz, "%s", mp_vresize(e2, gname, g->gw, saw));
            else
                snprintf(sz, sizeof sz, "%s", mp_vconst(c2, saw, (uint64_t)c));
        }
        mp_vline(m, "wire [%d:0] w_r0_c%d;", spec->w_bits - 1, c);
        mp_vline(m, "%s u_wdeq_c%d (", wdeq, c);
        mp_vline(m, "    .q(q_c%d),", c);
        mp_vline(m, "    .s(%s),", mp_top_mem_read(bufs, MP_BUF_S, sz, e3));
        if (bufs->b[MP_BUF_Z].bits)
            mp_vline(m, "    .z(%s),", mp_top_mem_read(bufs, MP_BUF_Z, sz, e3));
        mp_vline(m, "    .w(w_r0_c%d));", c);
    }
    for (int r = 1; r < g->rows; r++)
        for (int c = 0; c < n; c++)
            mp_vline(m, "reg  [%d:0] w_r%d_c%d;", spec->w_bits - 1, r, c);
    if (g->rows > 1) {
        mp_vopen(m, "always @(posedge clk) begin");
        for (int r = 1; r < g->rows; r++)
            for (int c = 0; c < n; c++)
                mp_vline(m, "w_r%d_c%d <= w_r%d_c%d;", r, c, r - 1, c);
        mp_vclose(m, "end");
    }
    return 0;
}

/* PE(r, c) is `lanes` instances of the PE module, one per result column
 * c * lanes + j, sharing the PE's activation register and flags. */
static void emit_pes(mp_vmod *m, const os_geom *g, const mp_os_spec *spec)
{
    int pb = spec->p_bits;
    if (g->lanes > 1)
        mp_vline(m, "// the PE array: PE(r,c) = %d lanes (result columns "
                 "c*%d .. c*%d+%d) sharing x_r_c and the flags", g->lanes,
                 g->lanes, g->lanes, g->lanes - 1);
    else
        mp_vline(m, "// the PE array");
    for (int r = 0; r < g->rows; r++)
        for (int c = 0; c < g->ncols; c++) {
            int pc = c / g->lanes, dd = r + pc;
            mp_vline(m, "wire [%d:0] p_r%d_c%d;", pb - 1, r, c);
            if (g->edge)
                mp_vline(m, "wire gd_r%d_c%d;", r, c);
            mp_vline(m, "%s u_pe_r%d_c%d (", spec->pe_module, r, c);
            mp_vline(m, "    .clk(clk),");
            if (g->edge)
                mp_vline(m, "    .rst_n(rst_n),");
            mp_vline(m, "    .x(x_r%d_c%d),", r, pc);
            mp_vline(m, "    .v(v_d%d),", dd);
            mp_vline(m, "    .f(f_d%d),", dd);
            if (g->edge)
                mp_vline(m, "    .l(l_d%d),", dd);
            mp_vline(m, "    .w(w_r%d_c%d),", r, c);
            if (g->edge) {
                mp_vline(m, "    .p(p_r%d_c%d),", r, c);
                mp_vline(m, "    .gdone(gd_r%d_c%d));", r, c);
            } else {
                mp_vline(m, "    .p(p_r%d_c%d));", r, c);
            }
        }
}

static int emit_edge(mp_vmod *m, mp_rtl_out *out, const mp_rtl_cfg *cfg,
                     const os_geom *g, const mp_top_bufs *bufs,
                     const mp_os_spec *spec, mp_diag *d)
{
    mp_deq_spec ds = {
        .p_bits = spec->p_bits,
        .zeros = cfg->pe.has_zeros,
        .x_bits = spec->x_bits,
        .x_fp16 = spec->x_fp16,
        .s_bits = spec->s_bits,
        .z_bits = bufs->b[MP_BUF_Z].bits,
        .r_bits = spec->r_bits,
        .scaled = cfg->has_scales,
        .frac_bits = spec->frac_bits,
        .out_fmt = spec->out_fmt,
        .acc_bits = spec->out_int_bits,
        .groups = g->groups,
        .n_tile = g->ncols,
        .col_stride = g->lanes,
        .addr_bits = g->sz_addr_bits,
        .stages = cfg->pe.dequant_stages,
    };
    if (ds.r_bits < ds.p_bits)
        ds.r_bits = ds.p_bits;
    if (!ds.scaled && ds.acc_bits < ds.r_bits)
        return mp_fail(d, MP_CMDLINE, 0, "k_max",
                       "integer output needs %d bits, more than int32",
                       ds.r_bits);
    int ab = ds.scaled ? mp_fpf_bits(ds.out_fmt) : ds.acc_bits;
    char e1[160], e2[160], addr[200];
    mp_vline(m, "// dequant edge units: one per row%s and block of <= G columns",
             g->lanes > 1 ? ", lane" : "");
    for (int r = 0; r < g->rows; r++)
        for (int ul = 0; ul < g->units * g->lanes; ul++) {
            /* unit u of lane j serves result columns (pb + i) * lanes + j,
             * i < cols: PE columns pb.. finish on consecutive cycles */
            int u = ul / g->lanes, lane = ul % g->lanes;
            int pb = g->group ? u * g->group : 0;
            int cols = g->group ? g->cols - pb : g->cols;
            if (g->group && cols > g->group)
                cols = g->group;
            int base = pb * g->lanes + lane;
            ds.cols = cols;
            char name[MP_RTL_NAME_MAX];
            if (mp_deq_emit(out, &ds, name, d))
                return -1;
            for (int j = 0; j < cols; j++)
                mp_vline(m, "wire [%d:0] acc_r%d_c%d;", ab - 1, r,
                         base + j * g->lanes);
            if (ds.addr_bits) {
                char sza[32];
                snprintf(sza, sizeof sza, "sza_r%d_u%d", r, ul);
                mp_top_unit_addr(m, sza, ds.addr_bits, base, addr, sizeof addr);
            }
            mp_vline(m, "%s u_deq_r%d_u%d (", name, r, ul);
            mp_vline(m, "    .clk(clk),");
            mp_vline(m, "    .clr(go),");
            if (ds.zeros) {
                mp_vline(m, "    .x(x_r%d_c%d),", r, pb);
                mp_vline(m, "    .v(v_d%d),", r + pb);
                mp_vline(m, "    .f(f_d%d),", r + pb);
                mp_vline(m, "    .l(l_d%d),", r + pb);
                mp_vline(m, "    .z(%s),", mp_top_mem_read(bufs, MP_BUF_Z, addr, e1));
            }
            if (ds.scaled)
                mp_vline(m, "    .s(%s),", mp_top_mem_read(bufs, MP_BUF_S, addr, e2));
            if (ds.addr_bits)
                mp_vline(m, "    .sz_addr(sza_r%d_u%d),", r, ul);
            for (int j = 0; j < cols; j++) {
                int col = base + j * g->lanes;
                mp_vline(m, "    .p%d(p_r%d_c%d),", j, r, col);
                mp_vline(m, "    .gd%d(gd_r%d_c%d),", j, r, col);
                mp_vline(m, "    .acc%d(acc_r%d_c%d)%s", j, r, col,
                         j + 1 < cols ? "," : ");");
            }
        }
    return 0;
}

int mp_top_emit_os(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                   const mp_os_spec *spec, mp_rtl_out *out, mp_diag *d)
{
    mp_top_bufs bufs;
    mp_top_bufs_default(cfg, info, &bufs);
    os_geom g;
    os_geom_init(cfg, info, spec, &bufs, &g);
    mp_vmod m;
    /* leaves used by the top are emitted while it is being written, into
     * their own files; the top's file is committed last */
    int rc = mp_vmod_begin(&m, out, info->top,
                           "output-stationary array top (docs/rtl.md)", d);
    if (rc)
        return rc < 0 ? -1 : mp_fail(d, out->dir, 0, "top",
                                     "module name %s used twice", info->top);
    mp_top_ports_load(&m, info->top, &bufs);
    mp_top_controller(&m, &g.ctl);
    mp_top_buffers(&m, &bufs);
    emit_flags(&m, &g);
    emit_x(&m, &g, &bufs, spec);
    if (emit_w(&m, out, &g, &bufs, spec, d))
        goto fail;
    emit_pes(&m, &g, spec);
    if (g.edge && emit_edge(&m, out, cfg, &g, &bufs, spec, d))
        goto fail;
    int rb = g.edge ? (mp_rtl_float_out(cfg) ? mp_fpf_bits(spec->out_fmt)
                                       : spec->out_int_bits)
                    : spec->p_bits;
    for (int r = 0; r < g.rows; r++)
        for (int c = 0; c < g.ncols; c++)
            mp_vline(&m, "wire [%d:0] res_%d = %s_r%d_c%d;", rb - 1,
                     r * g.ncols + c, g.edge ? "acc" : "p", r, c);
    mp_top_rd rd = {
        .count = g.rows * g.ncols,
        .n_tile = g.ncols,
        .res_fmt = "res_%d",
        .res_bits = rb,
        .out_float = mp_rtl_float_out(cfg),
        .out_fmt = spec->out_fmt,
        .has_act_scale = cfg->has_act_scale,
        .piped = cfg->pe.scale_stages > 1,
    };
    if (mp_top_read_port(&m, out, &bufs, &rd, d))
        goto fail;
    mp_vclose(&m, "endmodule");
    return mp_vmod_end(&m, d);
fail:
    mp_vmod_abort(&m);
    return -1;
}
