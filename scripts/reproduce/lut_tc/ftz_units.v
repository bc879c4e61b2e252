// ftz_units.v - FP16 units without IEEE subnormal and NaN handling, for
// scripts/reproduce/lut_tc/run.sh ONLY: they measure what "IEEE compliance"
// costs in area, the difference between the generator's units
// (rtl_gen/fp_units.c: subnormals kept, NaN, round to nearest even) and
// DesignWare DW_fp_add / DW_fp_mult with ieee_compliance 0, which the LUT
// Tensor Core artifact instantiates (github.com/microsoft/T-MAC, branch
// LUTTensorCore_ISCA25, commit 9a125b2a55706aa40add77e570aa60f879bb698f,
// sv_lut_array/rtl/fp_lut_array_b_cycle_stage1.sv: IEEE_COMPLIANCE 0,
// rnd 3'b000).  ieee_compliance 0 behaves as: subnormal inputs are zeros,
// subnormal results flush to zero, a NaN is an Inf and no NaN is produced
// (docs/validation.md, "LUT Tensor Core", gives the source).
//
// NOT bit-exact with the golden (golden/mpgemm_round.c keeps subnormals):
// these modules never enter a generated datapath and nothing co-simulates
// them.  Each one is the generator's unit of the same name with only the
// IEEE parts taken out, so the area difference is that of the IEEE
// handling, not of another architecture:
//   fp16_add_ftz   = fp_add_e5m10: same swap, align (3 guard bits + jam),
//                    add, rounding core; no subnormal exponent fix-up, no
//                    NaN decode, no subnormal right shift in the core.
//   fp16_mul_ftz   = fp_mul_e5m10_e5m10_e8m23 (FP16 x FP16 -> FP32, exact):
//                    with normal inputs only the product's leading one is
//                    bit 21 or 20, so the core's general normalization
//                    (leading-zero count, shift) reduces to one mux.
`default_nettype none

// y = RNE(mag * 2^exp) to FP16, results below the normal range flushed to
// a signed zero (the generator's fp_round_w15_x7_e5m10 without its
// subnormal right shift and without a NaN encoding).
module fp16_round_ftz (
    input  wire sign,
    input  wire inf,
    input  wire [14:0] mag,
    input  wire [6:0] exp,   // two's complement
    output wire [15:0] y
);
    wire [3:0] lz =
        mag[14] ? 4'd0 :
        mag[13] ? 4'd1 :
        mag[12] ? 4'd2 :
        mag[11] ? 4'd3 :
        mag[10] ? 4'd4 :
        mag[9] ? 4'd5 :
        mag[8] ? 4'd6 :
        mag[7] ? 4'd7 :
        mag[6] ? 4'd8 :
        mag[5] ? 4'd9 :
        mag[4] ? 4'd10 :
        mag[3] ? 4'd11 :
        mag[2] ? 4'd12 :
        mag[1] ? 4'd13 :
        4'd14;
    wire [14:0] norm = mag << lz;
    wire [9:0] lead = {6'd0, 4'd14 - lz} + {{3{exp[6]}}, exp} + 10'd15;
    wire normal = ~lead[9] & (|lead);
    wire [10:0] kept = norm[14:4];
    wire rbit = norm[3];
    wire sticky = |norm[2:0];
    wire [11:0] kr = {1'b0, kept} + {11'd0, rbit & (sticky | kept[0])};
    wire [19:0] enc = {lead - 10'd1, 10'd0} + {8'd0, kr};
    wire ovf = enc >= {10'd31, 10'd0};
    assign y = inf ? {sign, {5{1'b1}}, 10'd0} :
               (~(|mag) | ~normal) ? {sign, 15'd0} :
               ovf ? {sign, {5{1'b1}}, 10'd0} : {sign, enc[14:0]};
endmodule

// y = RNE(a + b), FP16, flush to zero, NaN taken as Inf.
module fp16_add_ftz (
    input  wire [15:0] a,
    input  wire [15:0] b,
    output wire [15:0] y
);
    wire a_s = a[15];
    wire [4:0] a_e = a[14:10];
    wire a_n = |a_e;                       // zero or subnormal: a zero
    wire a_inf = &a_e;                     // NaN taken as Inf
    wire [10:0] a_sig = a_n ? {1'b1, a[9:0]} : 11'd0;
    wire b_s = b[15];
    wire [4:0] b_e = b[14:10];
    wire b_n = |b_e;
    wire b_inf = &b_e;
    wire [10:0] b_sig = b_n ? {1'b1, b[9:0]} : 11'd0;
    wire a_big = a[14:0] >= b[14:0];
    wire s_big = a_big ? a_s : b_s;
    wire s_sml = a_big ? b_s : a_s;
    wire [4:0] ee_big = a_big ? a_e : b_e;
    wire [4:0] ee_sml = a_big ? b_e : a_e;
    wire [10:0] sig_big = a_big ? a_sig : b_sig;
    wire [10:0] sig_sml = a_big ? b_sig : a_sig;
    wire [4:0] dexp = ee_big - ee_sml;
    wire [3:0] dsh = (dexp > 5'd14) ? 4'd14 : dexp[3:0];
    wire [13:0] sml_ext = {sig_sml, 3'b000};
    wire [13:0] sml_sh = sml_ext >> dsh;
    wire lost = |(sml_ext & ~({14{1'b1}} << dsh));
    wire [14:0] big_ext = {1'b0, sig_big, 3'b000};
    wire [14:0] sml_j = {1'b0, sml_sh[13:1], sml_sh[0] | lost};
    wire [14:0] sum = (s_big == s_sml) ? big_ext + sml_j : big_ext - sml_j;
    wire zero_sign = (~|sum) ? (a_s & b_s) : s_big;
    wire [6:0] x_lsb = {2'd0, ee_big} - 7'd28;
    fp16_round_ftz u_round (.sign(zero_sign), .inf(a_inf | b_inf),
                            .mag(sum), .exp(x_lsb), .y(y));
endmodule

// y = a * b, FP16 x FP16 -> FP32 (exact: 22-bit product, exponent range
// inside FP32's normals), zero or subnormal inputs give a signed zero.
module fp16_mul_ftz (
    input  wire [15:0] a,
    input  wire [15:0] b,
    output wire [31:0] y
);
    wire a_n = |a[14:10];
    wire b_n = |b[14:10];
    wire inf = (&a[14:10]) | (&b[14:10]);  // NaN taken as Inf
    wire s = a[15] ^ b[15];
    wire [21:0] p = {1'b1, a[9:0]} * {1'b1, b[9:0]};
    // biased FP32 exponent: ea - 15 + eb - 15 + 127, +1 when p >= 2
    wire [7:0] e = {3'd0, a[14:10]} + {3'd0, b[14:10]} + 8'd97 + {7'd0, p[21]};
    wire [22:0] f = p[21] ? {p[20:0], 2'b00} : {p[19:0], 3'b000};
    assign y = inf ? {s, 8'hff, 23'd0} :
               (a_n & b_n) ? {s, e, f} : {s, 31'd0};
endmodule

`default_nettype wire
