/*
 * pe_common.h - what the PE families share, so that no family repeats
 * another's code:
 *
 *  - weight codes and their bits (two's complement MSB, ternary as INT2),
 *  - the group view of a GEMM (P and S per group, activation sums) and the
 *    one dequantization step y += s * (P - z*S) every per-group family ends
 *    with, evaluated exactly as the golden hardware reference does,
 *  - check() helpers that name the field and list what is supported,
 *  - cost composition from technology primitives (adders, multipliers,
 *    registers, muxes, FP units) and FPGA resources,
 *  - the edge units every per-group family needs (dequant, activation sums).
 *
 * Contract: helpers never print; failures fill an mp_diag and return -1.
 */
#ifndef MP_PE_COMMON_H
#define MP_PE_COMMON_H

#include <stdint.h>
#include "pe_models/pe.h"

/* ---- weight codes ----------------------------------------------------- */

/* Code of wq[k][n] as an integer (unsigned codes read as uint8). */
int mp_pe_code(const mp_gemm_in *in, int k, int n);
/* Bits the hardware stores per code (ternary: 2, as INT2). */
int mp_pe_code_bits(mp_wfmt w);
/* BitFusion 2-bit bricks of a `bits`-wide operand: ceil(bits/2) rounded
 * up to a power of two (the fusion tree is binary; a 3-bit code runs as
 * 4 bits).  The PE model and its generator share it. */
int mp_pe_bricks(int bits);
/* 1 if the top bit has weight -2^(B-1) (signed and ternary codes). */
int mp_pe_msb_negative(mp_wfmt w);
/* Bit b (0 = LSB) of the B-bit pattern of code. */
int mp_pe_code_bit(mp_wfmt w, int code, int b);

/* ---- group view ------------------------------------------------------- */

/* How a GEMM's in-group registers hold values for this arithmetic (the
 * golden's rule): exact integers on the grid 2^-frac_bits when the group
 * accumulator is INT/FIXED or the output is integer, else rounded floats of
 * group_fmt. */
typedef struct mp_pe_ctx {
    const mp_gemm_in *in;
    const mp_arith *ar;
    int exact;            /* group registers are exact integers          */
    int frac_bits;        /* grid of exact registers (0: integers)       */
    mp_act_fmt group_fmt; /* float group register format                 */
    mp_act_fmt out_fmt;   /* float output accumulator format             */
    int groups;           /* K / group_size                              */
    const mp_pe_params *params; /* the checked params (mp_pe_compute)    */
} mp_pe_ctx;
void mp_pe_ctx_init(mp_pe_ctx *c, const mp_gemm_in *in, const mp_arith *ar);

/* One in-group register: exact (grid units) or rounded. */
typedef struct mp_pe_greg {
    int64_t exact;
    double rounded;
} mp_pe_greg;

/* The activation sum S[m][g] as the edge adder forms it (k ascending). */
void mp_pe_act_sum(const mp_pe_ctx *c, int m, int g, mp_pe_greg *s);

/* A family's per-group datapath, driven by mp_pe_run_groups(). */
typedef struct mp_pe_group_model {
    void *state;
    /* Optional per-row setup (LUT TC builds its tables here). */
    int (*row)(void *state, const mp_pe_ctx *c, int m, mp_diag *d);
    /* P[m][n][g] in the register representation of c (c->exact). */
    void (*group)(void *state, const mp_pe_ctx *c, int m, int n, int g,
                  mp_pe_greg *p);
    /* Zero-point rewrite applied by the dequant unit:
     * z' = zero_mul * (z + zero_off) + zero_add, s' = s * 2^-scale_shift,
     * and the integer result is divided by 2^scale_shift (LUT TC: 2,
     * offset, 1 - 2^B, 1).  All zero means z' = z, s' = s. */
    int zero_mul;
    int64_t zero_off, zero_add;
    int scale_shift;
} mp_pe_group_model;

/* Runs the GEMM through the model: per row the activation sums, per
 * column and group the family's P, then the dequant unit (r = P - z*S,
 * one scale multiply, cross-group accumulation, per-token scale) exactly
 * as mp_gemm_hw() rounds them.  y[M][N]. */
int mp_pe_run_groups(const mp_pe_ctx *c, const mp_pe_group_model *model,
                     double *y, mp_diag *d);

/* The common compute() of per-group families: check a copy of the params
 * with ops->check (defaults filled), take ops->arith for this GEMM, check
 * the input against both, then mp_pe_run_groups(). */
int mp_pe_compute(const mp_pe_ops *ops, const mp_pe_params *p,
                  const mp_gemm_in *in, mp_pe_group_model *model, double *y,
                  mp_diag *d);

/* A float activation as the datapath sees it: x = (-1)^neg * sig * 2^exp2
 * with sig the integer significand (hidden bit included for normals). */
void mp_pe_fp_fields(mp_act_fmt fmt, double x, int *neg, int64_t *sig,
                     int *exp2);
/* v * 2^shift as an integer: left shift, or right shift rounding to
 * nearest even (the aligner of a fixed-point accumulator). */
int64_t mp_pe_align(int64_t v, int shift);

/* Does `in` match the params the PE was built for (formats, group size,
 * zero points)?  Then check it against the golden's own rules with the
 * PE's arithmetic.  -1 with d naming the field. */
int mp_pe_check_input(const mp_pe_params *p, const mp_gemm_in *in,
                      const mp_arith *ar, mp_diag *d);

/* ---- check() helpers ------------------------------------------------- */

/* act must be one of allowed[] (ending with MP_ACT_COUNT: the family's
 * ops->acts); else -1 naming "act" and the list. */
int mp_pe_check_act(const char *family, mp_act_fmt act,
                    const mp_act_fmt *allowed, mp_diag *d);
/* Weight format: signed codes up to max_signed bits, unsigned up to
 * max_unsigned (0: none), ternary if ternary_ok; else -1 naming "wbits". */
int mp_pe_check_wfmt(const char *family, mp_wfmt w, int min_bits,
                     int max_signed, int max_unsigned, int ternary_ok,
                     mp_diag *d);
/* Knobs every family shares: group_size >= 0, clock >= 0, tile and
 * edge_units >= 0, dequant_stages and fma_stages in 0..their maximum;
 * sparsity only where sparse_ok. */
int mp_pe_check_common(const char *family, const mp_pe_params *p,
                       int sparse_ok, mp_diag *d);
/* The micro-architecture knobs a family ignores must be left at 0. */
int mp_pe_check_unused(const char *family, const mp_pe_params *p,
                       const char *const *unused, mp_diag *d);

/* The integer group accumulator width the golden needs for these params
 * (mp_gemm_acc_bits_needed on a one-group GEMM). */
int mp_pe_group_acc_bits(const mp_pe_params *p, const mp_arith *ar);
/* Fill the per-group INT (integer activations) or exact FIXED (FP16/FP8
 * activations) arithmetic with FP32 cross-group accumulation. */
void mp_pe_arith_group_exact(const mp_pe_params *p, mp_arith *ar);

/* Group length for a GEMM shape: group_size, or K when per-channel. */
double mp_pe_group_len(const mp_pe_params *p, const mp_gemm_shape *s);

/* ---- cost composition ------------------------------------------------- */

/* FPGA power per resource, uW per MHz (= pJ per cycle at full activity). */
typedef struct mp_fpga_prims {
    double dsp, lut, ff, bram, uram;
} mp_fpga_prims;
int mp_fpga_prims_load(const mp_tech *t, mp_fpga_prims *f, mp_diag *d);
/* pJ per cycle of a resource bundle. */
double mp_fpga_pj_cycle(const mp_fpga_prims *f, double dsp, double lut,
                        double ff, double bram, double uram);

/* How FPGA fabric implements the parts (xcup.yaml, docs/model.md section
 * 5): AMD/Xilinx UG574 (CLB) and UG579 (DSP48E2), and the rule Yosys
 * synth_xilinx uses to put a multiplier on a DSP. */
typedef struct mp_fpga_rules {
    double lut_mux_ways;     /* ways of a mux one LUT6 holds (4)        */
    double clb_mux_ways;     /* widest mux LUTs + F7/F8/F9 give (32)    */
    double dual_bits_per_lut;/* 2-input bits per LUT6 as LUT6_2 (2)     */
    double adder_bits_per_lut; /* carry-chain adder bits per LUT (1)    */
    double dsp_a_bits, dsp_b_bits, dsp_acc_bits; /* 27 x 18, 48        */
    double dsp_min_product_bits; /* smaller products stay in LUTs (9)   */
} mp_fpga_rules;

/* Primitive costs of one technology: ASIC energies and areas (names in
 * docs/model.md (section 9)), or on an FPGA table (fpga = 1) the fabric
 * rules and power per resource, so that the same parts description of a
 * PE is priced in area on an ASIC and in LUT/FF/DSP on an FPGA. */
typedef struct mp_prims {
    double add8_pj, add32_pj, mult8_pj, add8_um2, mult8_um2;
    double fp16_add_pj, fp32_add_pj, fp16_mult_pj, fp32_mult_pj;
    double fp16_add_um2, fp32_add_um2, fp16_mult_um2, fp32_mult_um2;
    double reg_pj_bit, reg_um2_bit, mux2_pj_bit, mux2_um2_bit;
    double and2_pj_bit, and2_um2_bit, leak_uw_um2;
    /* optional (0 = not in the table): synthesized FP16 += narrow-operand
     * adders, indexed by mp_prims_narrow_fp_add() */
    double fp16_add_narrow_um2[3];
    int fpga;             /* 1: the fields below price the parts       */
    mp_fpga_prims power;
    mp_fpga_rules rules;
} mp_prims;
int mp_prims_load(const mp_tech *t, mp_prims *pr, mp_diag *d);

/* Energy (pJ per use) and area (um2) of a bundle of primitives; on an
 * FPGA table the LUT/FF/DSP it maps to and pJ per cycle at full activity. */
typedef struct mp_parts {
    double pj, um2;
    double lut, ff, dsp;
} mp_parts;

void mp_parts_adder(mp_parts *c, const mp_prims *pr, double count, int bits);
void mp_parts_mult(mp_parts *c, const mp_prims *pr, double count, int abits,
                   int bbits);
void mp_parts_reg(mp_parts *c, const mp_prims *pr, double count, int bits);
void mp_parts_mux(mp_parts *c, const mp_prims *pr, double count, int ways,
                  int bits);
void mp_parts_and(mp_parts *c, const mp_prims *pr, double count, int bits);
/* Variable shifter of `bits` by 0..max_shift: log2 stages of 2:1 muxes. */
void mp_parts_shifter(mp_parts *c, const mp_prims *pr, double count,
                      int bits, int max_shift);
/* Float add / multiply of a float format of `bits` (8, 16 or 32). */
void mp_parts_fp_add(mp_parts *c, const mp_prims *pr, double count, int bits);
/* An FP accumulator of acc_bits adding an operand of format `operand`
 * (a LUT TC table entry): the table's synthesized FP16 += BF16/FP8 adder
 * area when it has one (fp16_add_{bf16,fp8e4m3,fp8e5m2}_um2), else an
 * acc_bits FP adder; energy is always the acc_bits adder's. */
void mp_parts_fp_acc_add(mp_parts *c, const mp_prims *pr, double count,
                         int acc_bits, mp_act_fmt operand);
void mp_parts_fp_mult(mp_parts *c, const mp_prims *pr, double count,
                      int bits);
/* A multiply-accumulate: abits x bbits product added into an acc_bits
 * register, and operand_bits of operand registers (multiplier + adder +
 * acc_bits + operand_bits register bits).  On an FPGA a product that maps
 * to one DSP48E2 accumulates in its 48-bit ALU and P register (UG579):
 * one DSP and the operand flip-flops. */
void mp_parts_mac(mp_parts *c, const mp_prims *pr, double count, int abits,
                  int bbits, int acc_bits, int operand_bits);
/* Per-PE cost of parts c, c->pj being one micro-tile (cycles_per_tile
 * cycles): ASIC energy, area, leakage = area * density; FPGA LUT/FF/DSP,
 * energy and power at clock_hz. */
void mp_parts_to_cost(const mp_parts *c, const mp_prims *pr,
                      int cycles_per_tile, double clock_hz, mp_pe_cost *out);
/* `units` edge units of parts c each: energy per op, area or resources. */
void mp_parts_to_edge(mp_edge_cost *e, const mp_parts *c, double units);

/* The technology table must be (is_fpga = 1) or must not be (0) FPGA. */
int mp_pe_want_tech(const char *family, const mp_tech *t, int fpga,
                    mp_diag *d);

/* ---- edge units ------------------------------------------------------- */

void mp_edge_set(mp_edge_cost *e, const char *name, double ops,
                 double ops_per_cycle, double energy_pj_op, int overlaps);
/* "dequant" (y += s*(P - z*S), M*N*K/G ops) and "act_sum" (S[m][g], M*K
 * adds) for any per-group family, ASIC or FPGA by the table.  Dequant
 * units: edge_units, or by default ceil(rows*cols*MACs per PE-cycle*density
 * / G), the rate at which the array finishes group partial sums.  Adder
 * lanes: rows * tile_m * tile_k (activations read per cycle).  Returns the
 * entries filled (2) or -1. */
int mp_pe_edge_group_dequant(const mp_pe_params *p, const mp_pe_timing *tm,
                             const mp_tech *t, const mp_gemm_shape *s,
                             int rows, int cols, mp_edge_cost *out,
                             mp_diag *d);
/* Does the edge dequantize (scales, zero points or float output)?  Only
 * integer output without zero points (p->int_output, no zeros, integer
 * activations) adds r straight into the result. */
int mp_pe_edge_dequantizes(const mp_pe_params *p);
/* Cycles the dequant units add after a fold's last array output, as the
 * generated tops have them (docs/rtl.md): 0 without dequantization; 1 for
 * a systolic array (tm->operand_broadcast 0); for a block-step array E =
 * min(N_TILE, steps per group (per channel: N_TILE),
 * ceil(M_TILE*N_TILE/edge_units)), M_TILE = rows/k_span*tile_m, N_TILE =
 * cols*tile_n; plus dequant_stages - 1 when the unit is scaled (not
 * int_output).  mp_pe_edge_group_dequant() puts it on its "dequant". */
int64_t mp_pe_edge_drain(const mp_pe_params *p, const mp_pe_timing *tm,
                         int rows, int cols);
/* dequant_stages >= 4 splits the loop-carried acc += d over two cycles: a
 * quantization group must then take >= 2 steps (per channel: always
 * fine); else -1 naming "dequant_stages".  For families whose edge uses
 * the shared dequant unit, called by check() with the filled timing. */
int mp_pe_check_dequant_stages(const mp_pe_params *p, const mp_pe_timing *tm,
                               mp_diag *d);
/* Validates a GEMM shape and array (positive, K a multiple of G). */
int mp_pe_check_shape(const mp_pe_params *p, const mp_gemm_shape *s,
                      int rows, int cols, mp_diag *d);

int mp_pe_ceil_log2(int64_t v);

/* ---- DSP48E2 INT8 packing (dsp_chain.c), exposed for its tests -------- */

#define MP_DSP_LANE_SHIFT 18 /* Xilinx WP486: a sits 18 bits above d */
#define MP_DSP_P_BITS 48     /* DSP48E2 ALU / P register width        */

/* v wrapped to the 48-bit two's complement P register. */
int64_t mp_dsp_wrap48(int64_t v);
/* P + ((a << 18) + d) * w: pre-adder, 27x18 multiply, 48-bit accumulate. */
int64_t mp_dsp_packed_mac(int64_t p, int a, int d, int w);
/* Split P into the two lanes: low = sign-extended P[17:0],
 * high = P[47:18] + P[17] (the borrow the negative low lane took). */
void mp_dsp_unpack(int64_t p, int64_t *high, int64_t *low);
/* Products of INT8 activations and codes of w that can accumulate in P
 * before the low lane leaves [-2^17, 2^17): 7 for int8 x int8, 127 for
 * int4.  full_range 0 excludes activation -128 (then int8 x int8: 8). */
int mp_dsp_pack_limit(mp_wfmt w, int full_range); /* smallest b with 2^b >= v (v >= 1) */

/* ---- DSP48E2 INT4 packing: a 2x2 outer product per multiplication ----
 * pre-adder = (a_hi << 22) + a_lo (A and D ports, 27 bits), B = (w_hi << 11)
 * + w_lo (18 bits); P += pre-adder * B puts four products 11 bits apart:
 * lane 0 = a_lo*w_lo (P[10:0]), lane 1 = a_lo*w_hi (P[21:11]),
 * lane 2 = a_hi*w_lo (P[32:22]), lane 3 = a_hi*w_hi (P[47:33]).
 * docs/model.md section 9.3 derives the correction and the limit. */
#define MP_DSP4_LANE_SHIFT 11
#define MP_DSP4_LANES 4

/* P + ((a_hi << 22) + a_lo) * ((w_hi << 11) + w_lo), wrapped to 48 bits. */
int64_t mp_dsp_quad_mac(int64_t p, int a_hi, int a_lo, int w_hi, int w_lo);
/* Split P into lane[0..3] (order above): lane i < 3 = sign-extended 11-bit
 * field of what the lanes below left; each higher lane adds the borrow
 * (the sign bit) of the lane below. */
void mp_dsp_quad_unpack(int64_t p, int64_t lane[MP_DSP4_LANES]);
/* Products of INT4 activations and codes of w (at most 4 bits) that can
 * accumulate in P before a lane leaves its field: 15 for int4 x int4
 * (lanes 0..2 hold [-1024, 1024), 16 * (-8 * -8) = 1024 does not fit).
 * full_range 0 excludes activation -8 (then int4 x int4: 18). */
int mp_dsp_quad_limit(mp_wfmt w, int full_range);

#endif
