/*
 * top_common.h - the parts of a generated top that every family shares:
 * the protocol ports (docs/rtl.md), the load buffers, the controller FSM,
 * the result read port, and the whole output-stationary (OS) array top
 * with skewed operand feeding that the MAC-style families plug a PE into.
 *
 * Contract.  All functions write into a top module being emitted (mp_vmod)
 * and declare fixed wire/reg names that later pieces use:
 *
 *   mp_top_ports()       the module header with the protocol ports;
 *   mp_top_controller()  go (= start & ~busy), busy, done, kq (cfg_k held),
 *                        t (cycles since go: 0 in the cycle after the start
 *                        edge), ld_ready; done rises on the edge where
 *                        t == kq + latency - 1, so rtl_cycles = K + latency;
 *   mp_top_buffers()     xmem, wmem, smem, zmem, amem (each only when its
 *                        width is non-zero) and their write ports.  A load
 *                        word is taken when ld_valid & ld_ready; it is
 *                        stored only if ld_buf names a used buffer, ld_addr
 *                        is in range and ld_data is a proper sign (signed
 *                        integers) or zero (unsigned, floats) extension of
 *                        the element; otherwise it is dropped.  A wider
 *                        port (bufs->load_bits > 32) takes beats at
 *                        ld_addr a multiple of P = mp_top_lanes(): element
 *                        i of the beat (bits [i*w +: w], w the buffer's
 *                        width) goes to ld_addr + i for i < ld_count, if
 *                        in range; bits no buffer's lanes read must be 0;
 *   mp_top_mem_read()    the Verilog expression reading one element
 *                        (a 1-deep buffer is a plain register);
 *   mp_top_read_port()   rd_data <= result[rd_idx] one cycle later (two
 *                        with a piped act_scale multiplier), with the
 *                        per-token scale multiply / float widening.
 *
 * Widths are concrete; addresses of a buffer are mp_idx_bits(depth) wide.
 * ld_addr and rd_idx are as wide as the configuration needs, never below
 * the protocol's 20 and 16 bits (info->addr_bits, info->idx_bits).
 */
#ifndef MP_RTL_TOP_COMMON_H
#define MP_RTL_TOP_COMMON_H

#include "rtl_gen/emit.h"
#include "rtl_gen/fp_units.h"
#include "rtl_gen/rtl.h"

enum { MP_BUF_X, MP_BUF_W, MP_BUF_S, MP_BUF_Z, MP_BUF_A, MP_BUF_COUNT };

/* One load buffer: element width (0 = unused), depth, whether ld_data
 * must be a sign extension (1) or a zero extension (0) of the element. */
typedef struct mp_top_buf {
    int bits;
    int64_t depth;
    int is_signed;
} mp_top_buf;

typedef struct mp_top_bufs {
    mp_top_buf b[MP_BUF_COUNT];
    int load_bits;      /* ld_data width (mp_rtl_load_bits())              */
    int addr_bits;      /* ld_addr width (info->addr_bits; 0 = default)   */
    int idx_bits;       /* rd_idx width (info->idx_bits; 0 = default)     */
} mp_top_bufs;

/* Buffers of the protocol for a configuration: X [m_tile][k_max] of the
 * activation format, Wq [k_max][n_tile] as signed (or unsigned) codes of
 * w_bits, scales FP32 [groups][n_tile], zeros [groups][n_tile] (signed, the
 * code range), act_scale FP32 [m_tile].  groups = k_max / group (1 for
 * per-channel).  The caller may change widths afterwards. */
void mp_top_bufs_default(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                         mp_top_bufs *bufs);
/* Weight code storage: bits and signedness (unsigned codes stay unsigned). */
void mp_top_wcode(mp_wfmt w, int *bits, int *is_signed);

/* Controller: t counts to t_max at most (sets the counter width). */
typedef struct mp_top_ctl {
    int64_t latency;    /* rtl_cycles = K + latency (>= 0)            */
    int64_t t_max;      /* largest t the datapath looks at           */
} mp_top_ctl;

/* The module header with a 32-bit load port (the default protocol). */
void mp_top_ports(mp_vmod *m, const char *name);
/* The module header with the load port of bufs->load_bits: above 32 bits
 * ld_data is a beat of packed elements and ld_count says how many
 * (mp_top_count_bits() wide).  The top must use this one for its buffers
 * to accept wide beats; at 32 bits it is mp_top_ports(). */
void mp_top_ports_load(mp_vmod *m, const char *name, const mp_top_bufs *bufs);
int mp_top_count_bits(int load_bits);
/* Elements of `bits` one beat of a load_bits port carries: the largest
 * power of two P with P * bits <= load_bits (beats start at multiples of
 * P, so each buffer word has one write lane). */
int mp_top_lanes(int load_bits, int bits);
void mp_top_controller(mp_vmod *m, const mp_top_ctl *ctl);
int mp_top_t_bits(const mp_top_ctl *ctl);
void mp_top_buffers(mp_vmod *m, const mp_top_bufs *bufs);
/* Expression reading buffer `which` at address expression `addr` (which
 * must already be mp_idx_bits(depth) wide, < 256 chars); buf holds
 * MP_VEXPR bytes. */
#define MP_VEXPR 320
const char *mp_top_mem_read(const mp_top_bufs *bufs, int which,
                            const char *addr, char *buf);
/* A dequant unit's scale/zero address: declares wire `sza` (addr_bits, the
 * unit drives it with the address of its first column) and writes to addr
 * (cap bytes) the address of column `base` of the unit: sza + base. */
void mp_top_unit_addr(mp_vmod *m, const char *sza, int addr_bits, int base,
                      char *addr, size_t cap);


/* Read port over count results named by res_fmt (printf with the index,
 * e.g. "res_%d"), each res_bits wide: integers (sign-extended to 32) when
 * out_float is 0, else floats of out_fmt, multiplied by act_scale[index /
 * n_tile] when has_act_scale, widened to FP32. */
typedef struct mp_top_rd {
    int count, n_tile;
    const char *res_fmt;
    int res_bits;
    int out_float;
    mp_fpf out_fmt;
    int has_act_scale;
    int piped;           /* act_scale multiplier in two stages: read
                            latency 2 (mp_rtl_read_latency)              */
} mp_top_rd;
int mp_top_read_port(mp_vmod *m, mp_rtl_out *out, const mp_top_bufs *bufs,
                     const mp_top_rd *rd, mp_diag *d);

/* ---- the output-stationary array top ------------------------------------
 *
 * Row r receives X[r][k] at t = k + r from the left, column c receives
 * W[k][c] at t = k + c from the top; both move one PE per cycle through
 * registers, so PE(r,c) sees operand pair k in the cycle t = k + r + c and
 * accumulates it on the next edge.  Flags v (valid), f (first of a sum)
 * and l (last of a group) travel with x.  The family supplies the PE: */
typedef struct mp_os_spec {
    char pe_module[MP_RTL_NAME_MAX];
    /* PE ports: clk, rst_n, x[x_bits], v, f, [l], w[w_bits], p[p_bits],
     * [gdone].  f clears the sum: first k of a group when group_edge, else
     * k == 0.  With group_edge the PE also takes l and raises gdone for the
     * one cycle in which p holds a finished group sum. */
    int x_bits, w_bits, p_bits;
    int group_edge;      /* per-group sums finished by the dequant units  */
    /* Weights dequantized on their way into the array (dequantize-first):
     * w = round_wfmt(s * (q - z)), one unit per column. */
    int w_dequant;
    mp_fpf w_fmt;
    mp_fpf out_fmt;      /* output accumulator format (floats)             */
    int out_int_bits;    /* integer output accumulator width (no scales)   */
    int frac_bits;       /* fixed-point group sums                         */
    /* group_edge: widths of the activation sum S and of r = P - z*S, and
     * whether x is FP16 (S formed on the grid 2^-24, see dequant_unit.h) */
    int s_bits, r_bits, x_fp16;
    /* Operand packing: PE(r,c) holds `lanes` result columns c*lanes + j
     * (one PE module instance each, sharing the activation register and
     * the flags; their weights arrive together, skewed by c).  0 or 1:
     * one.  N_TILE = cols * lanes; the edge gets units per lane. */
    int lanes;
    /* Register stages inside the PE beyond the accumulator (fp16-mac
     * fma_stages 2: the product): p is final that many cycles after the
     * edge that would otherwise finish it; the PE delays v and f itself.
     * Only without group_edge. */
    int pe_stages;
} mp_os_spec;

/* Emit the top (the PE and every leaf must already be written). */
int mp_top_emit_os(const mp_rtl_cfg *cfg, const mp_rtl_info *info,
                   const mp_os_spec *spec, mp_rtl_out *out, mp_diag *d);
/* rtl_cycles of that top for a tile of depth k. */
int64_t mp_top_os_cycles(const mp_rtl_cfg *cfg, const mp_os_spec *spec,
                         int k);

#endif
