/*
 * dsp48e2_model.c - the behavioural DSP48E2 model shipped with every DSP
 * chain design (DSP48E2.v).
 *
 * Why: Verilator has no unisim library and Yosys 0.23 knows DSP48E2 only as
 * a black box (cells_xtra.v), so the chain instantiates the primitive by its
 * UG579 name and this model stands in for it in simulation.  The whole module
 * sits inside `ifndef SYNTHESIS`: Vivado and `yosys synth_xilinx` (run with
 * -DSYNTHESIS) see the real primitive instead.  `mpsim synth --target
 * asic` reads it with `read_verilog -nosynthesis` (sim/synth/synth.h):
 * standard cells have no DSP48E2, so the model itself is synthesized, the
 * chain's arithmetic as logic (not the FPGA's DSP48E2 silicon).  Its
 * configuration check ($display/$finish, which Yosys refuses in an always
 * block) is simulation-only (`ifndef YOSYS).
 *
 * Scope (UG579 ch. 2), exactly what the generated chains use and nothing
 * that would be silently wrong:
 *   - A2 input register (AREG 0 or 1), B1/B2 (BREG 0..2), D register (DREG), pre-adder
 *     register (ADREG), multiplier register (MREG), P register (PREG), each
 *     with its clock enable and synchronous reset;
 *   - INMODE: [0] A1/A2 select (A1 is bypassed with AREG <= 1), [1] gate A,
 *     [2] enable D, [3] D - A instead of D + A, [4] B1/B2 select (B1 is
 *     bypassed with BREG <= 1);
 *   - AMULTSEL "A" or "AD"; USE_MULT "MULTIPLY" or "NONE";
 *   - OPMODE: X in {0, M, P, A:B}, Y in {0, M (with X = M)}, Z in {0, PCIN,
 *     P}, W in {0, P, RND}; ALUMODE 0000 (sum) and 0011 (Z - sum);
 *     CARRYINSEL 000 (CARRYIN).
 * The control inputs are unregistered (INMODEREG = OPMODEREG = ALUMODEREG =
 * CARRYINREG = CARRYINSELREG = 0, as the chains set them).  Any other
 * setting stops the simulation with a message instead of computing
 * something the silicon would not.
 */
#include "rtl_gen/dsp48e2_model.h"

#include <stdio.h>

static const char *const model_text =
"`ifndef SYNTHESIS\n"
"module DSP48E2 #(\n"
"    parameter integer AREG = 1,\n"
"    parameter integer BREG = 1,\n"
"    parameter integer DREG = 1,\n"
"    parameter integer ADREG = 1,\n"
"    parameter integer MREG = 1,\n"
"    parameter integer PREG = 1,\n"
"    parameter integer INMODEREG = 0,\n"
"    parameter integer OPMODEREG = 0,\n"
"    parameter integer ALUMODEREG = 0,\n"
"    parameter integer CARRYINREG = 0,\n"
"    parameter integer CARRYINSELREG = 0,\n"
"    // sized, so that \"A\" and \"AD\" compare at one width (WIDTH)\n"
"    parameter [15:0] AMULTSEL = \"AD\",\n"
"    parameter [63:0] USE_MULT = \"MULTIPLY\",\n"
"    parameter [47:0] RND = 48'h000000000000\n"
") (\n"
"    input  wire        CLK,\n"
"    input  wire [29:0] A,\n"
"    input  wire [17:0] B,\n"
"    input  wire [26:0] D,\n"
"    input  wire [47:0] PCIN,\n"
"    input  wire [4:0]  INMODE,\n"
"    input  wire [8:0]  OPMODE,\n"
"    input  wire [3:0]  ALUMODE,\n"
"    input  wire        CARRYIN,\n"
"    input  wire [2:0]  CARRYINSEL,\n"
"    input  wire        CEA2,\n"
"    input  wire        CEB1,\n"
"    input  wire        CEB2,\n"
"    input  wire        CED,\n"
"    input  wire        CEAD,\n"
"    input  wire        CEM,\n"
"    input  wire        CEP,\n"
"    input  wire        RSTA,\n"
"    input  wire        RSTB,\n"
"    input  wire        RSTD,\n"
"    input  wire        RSTM,\n"
"    input  wire        RSTP,\n"
"    output wire [47:0] P,\n"
"    output wire [47:0] PCOUT\n"
");\n"
"    reg  [29:0] a2_q;\n"
"    reg  [17:0] b1_q;\n"
"    reg  [17:0] b2_q;\n"
"    reg  [26:0] d_q;\n"
"    reg  [26:0] ad_q;\n"
"    reg  [47:0] m_q;\n"
"    reg  [47:0] p_q;\n"
"    // input registers, then the INMODE selects and gates\n"
"    wire [29:0] a2 = (AREG == 1) ? a2_q : A;\n"
"    wire [17:0] b1 = (BREG == 2) ? b1_q : B;\n"
"    wire [17:0] b2 = (BREG >= 1) ? b2_q : B;\n"
"    wire [26:0] d_in = (DREG == 1) ? d_q : D;\n"
"    wire [26:0] a_sel = INMODE[0] ? A[26:0] : a2[26:0];\n"
"    wire [26:0] a_mult = INMODE[1] ? 27'd0 : a_sel;\n"
"    wire [26:0] d_mult = INMODE[2] ? d_in : 27'd0;\n"
"    wire [26:0] preadd = INMODE[3] ? d_mult - a_mult : d_mult + a_mult;\n"
"    wire [26:0] ad = (ADREG == 1) ? ad_q : preadd;\n"
"    wire [17:0] b_mult = INMODE[4] ? b1 : b2;\n"
"    wire [26:0] mult_a = (AMULTSEL == \"AD\") ? ad : a_mult;\n"
"    // 27 x 18 signed product, sign-extended to the 48-bit ALU\n"
"    wire signed [44:0] product = $signed(mult_a) * $signed(b_mult);\n"
"    wire [47:0] m_in = (USE_MULT == \"MULTIPLY\") ?\n"
"                       {{3{product[44]}}, product} : 48'd0;\n"
"    wire [47:0] m = (MREG == 1) ? m_q : m_in;\n"
"    wire [47:0] p_fb = (PREG == 1) ? p_q : 48'd0;\n"
"    // OPMODE multiplexers\n"
"    wire [47:0] x_mux = (OPMODE[1:0] == 2'b01) ? m :\n"
"                        (OPMODE[1:0] == 2'b10) ? p_fb :\n"
"                        (OPMODE[1:0] == 2'b11) ? {a2, b2} : 48'd0;\n"
"    wire [47:0] z_mux = (OPMODE[6:4] == 3'b001) ? PCIN :\n"
"                        (OPMODE[6:4] == 3'b010) ? p_fb : 48'd0;\n"
"    wire [47:0] w_mux = (OPMODE[8:7] == 2'b01) ? p_fb :\n"
"                        (OPMODE[8:7] == 2'b10) ? RND : 48'd0;\n"
"    wire carry = (CARRYINSEL == 3'b000) ? CARRYIN : 1'b0;\n"
"    wire [47:0] sum = w_mux + x_mux + {47'd0, carry};\n"
"    wire [47:0] alu = (ALUMODE == 4'b0011) ? z_mux - sum : z_mux + sum;\n"
"    wire supported =\n"
"        (AREG <= 1) && (BREG <= 2) && (INMODEREG == 0) &&\n"
"        (OPMODEREG == 0) && (ALUMODEREG == 0) && (CARRYINREG == 0) &&\n"
"        (CARRYINSELREG == 0) &&\n"
"        (AMULTSEL == \"A\" || AMULTSEL == \"AD\") &&\n"
"        (USE_MULT == \"MULTIPLY\" || USE_MULT == \"NONE\") &&\n"
"        (OPMODE[3:2] == 2'b00 || OPMODE[3:0] == 4'b0101) &&\n"
"        (OPMODE[6:4] <= 3'b010) && (OPMODE[8:7] != 2'b11) &&\n"
"        (ALUMODE == 4'b0000 || ALUMODE == 4'b0011) &&\n"
"        (CARRYINSEL == 3'b000);\n"
"    // simulation only: Yosys (YOSYS defined) has no $finish in always\n"
"`ifndef YOSYS\n"
"    always @(posedge CLK)\n"
"        if (!supported) begin\n"
"            $display(\"DSP48E2 model: unsupported configuration in %m\");\n"
"            $finish;\n"
"        end\n"
"`endif\n"
"    always @(posedge CLK) begin\n"
"        if (RSTA) a2_q <= 30'd0; else if (CEA2) a2_q <= A;\n"
"        if (RSTB) b1_q <= 18'd0; else if (CEB1) b1_q <= B;\n"
"        if (RSTB) b2_q <= 18'd0; else if (CEB2) b2_q <= b1;\n"
"        if (RSTD) d_q <= 27'd0; else if (CED) d_q <= D;\n"
"        if (RSTD) ad_q <= 27'd0; else if (CEAD) ad_q <= preadd;\n"
"        if (RSTM) m_q <= 48'd0; else if (CEM) m_q <= m_in;\n"
"        if (RSTP) p_q <= 48'd0; else if (CEP) p_q <= alu;\n"
"    end\n"
"    assign P = (PREG == 1) ? p_q : alu;\n"
"    assign PCOUT = P;\n"
"endmodule\n"
"`endif\n";

int mp_rtl_emit_dsp48e2(mp_rtl_out *out, mp_diag *d)
{
    mp_vmod m;
    int rc = mp_vmod_begin(&m, out, MP_RTL_DSP48E2,
                           "behavioural DSP48E2 (Xilinx UG579) for simulation; "
                           "synthesis (-DSYNTHESIS) uses the real primitive",
                           d);
    if (rc)
        return rc < 0 ? -1 : 0;
    fputs(model_text, m.file.fp);
    return mp_vmod_end(&m, d);
}
