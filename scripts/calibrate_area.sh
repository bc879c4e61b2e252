#!/usr/bin/env bash
# calibrate_area.sh - measure the primitive blocks the area model composes
# (pe_models/pe_common.c: mp_parts_adder/mult/reg/mux/and/fp_add/fp_mult)
# with the same Yosys 0.23 + OSU 0.18 um flow as `mpsim synth` (sim/synth/synth.c):
#     synth -top T; dfflibmap -liberty L; abc -liberty L; stat -liberty L
#
# usage: scripts/calibrate_area.sh [BUILD] [--yaml FILE] [--liberty LIB]
#   BUILD      build dir holding mpsim (default build); work files go to
#              BUILD/calib/ (Verilog snippets, Yosys scripts, logs).
#   --yaml     also write the technology table (pe_models/tech/osu018.yaml
#              is this output, committed; `make validate` regenerates it
#              into BUILD/validate/ and compares).
#   --liberty  map to another uncompressed Liberty library instead of OSU
#              0.18 um, work files in BUILD/calib-NAME/ (NAME: the file's
#              name without .lib); not with --yaml, whose table is OSU's.
#              scripts/reproduce/lut_tc/library.sh runs it on an open 45 nm
#              library to split the tool/library gap of that reproduction.
# Prints one line per block: "block area_um2 cells what".
# pe_models/tech/asic-28nm.yaml carries the FP unit areas of this table
# (node_nm 180, scaled to 28 nm on load); tests/test_tech.c fails when the
# two differ, so copy changed FP figures there too.
#
# Integer blocks are small Verilog snippets written here (the model's
# primitives: an N-bit adder y = a + b, a signed AxB multiplier, a register
# bit with load enable as the generated PEs write them, a 2:1 mux bit, an
# AND2 bit).  FP units are the generator's own (rtl_gen/fp_units.c), taken
# from `mpsim rtl` output of 1x1 arrays, with their rounding submodules.
set -eu
CALIB_OPTS="--liberty:LIBERTY"
. "$(dirname "$0")/calib_common.sh"
calib_args "$@"
calib_setup calibrate_area yosys
calib_liberty
WORK="$BUILD/calib$LIB_TAG"
rm -rf "$WORK"
mkdir -p "$WORK/v" "$WORK/rtl"
RESULTS="$WORK/primitives.txt"
: >"$RESULTS"

# synth NAME TOP FILE...: cell area and cell count of TOP (with submodules);
# the mapped netlist stays in WORK/NAME/netlist.v (scripts/reproduce/lut_tc
# runs OpenSTA's report_power on a piece's)
synth() {
    local name=$1 top=$2 measured; shift 2
    measured=$(calib_yosys_area "$WORK/$name" "$LIB" "$top" "$@") ||
        calib_die "yosys failed on $name (see $WORK/$name/yosys.log)"
    echo "$measured" | awk -v n="$name" '{ printf "%s %.2f %d\n", n, $1, $2 }' >>"$RESULTS"
}

# ---- integer snippets -------------------------------------------------
adder() { # adder N: y = a + b, N bits (the model's N-bit adder)
    cat >"$WORK/v/add$1.v" <<EOF
module add$1 (input [$(($1 - 1)):0] a, b, output [$(($1 - 1)):0] y);
    assign y = a + b;
endmodule
EOF
    synth "add$1" "add$1" "$WORK/v/add$1.v"
}
mult() { # mult A B: signed A x B -> A+B bits
    cat >"$WORK/v/mul$1x$2.v" <<EOF
module mul$1x$2 (input signed [$(($1 - 1)):0] a, input signed [$(($2 - 1)):0] b,
               output signed [$(($1 + $2 - 1)):0] y);
    assign y = a * b;
endmodule
EOF
    synth "mul$1x$2" "mul$1x$2" "$WORK/v/mul$1x$2.v"
}
for n in 8 16 24 32; do adder "$n"; done
for ab in "8 8" "8 4" "4 4" "16 16"; do mult $ab; done

cat >"$WORK/v/bits.v" <<'EOF'
// 32-bit wide so per-bit figures average over the mapped cells
module reg_en32 (input clk, input en, input [31:0] d, output reg [31:0] q);
    always @(posedge clk) if (en) q <= d;
endmodule
module reg_plain32 (input clk, input [31:0] d, output reg [31:0] q);
    always @(posedge clk) q <= d;
endmodule
module mux2_32 (input s, input [31:0] a, b, output [31:0] y);
    assign y = s ? a : b;
endmodule
module and2_32 (input [31:0] a, b, output [31:0] y);
    assign y = a & b;
endmodule
EOF
for t in reg_en32 reg_plain32 mux2_32 and2_32; do synth "$t" "$t" "$WORK/v/bits.v"; done

# ---- FP units of the generator ----------------------------------------
gen() { # gen DIR mpsim-rtl-args...: RTL of a 1x1 array
    local dir="$WORK/rtl/$1"; shift
    (cd "$HERE" && "$MPSIM" rtl "$@" --rows 1 --cols 1 -o "$dir" >/dev/null)
}
gen fp16 --pe fp16-mac --act fp16
gen lut --arch lut-tc
# LUT TC with narrow float tables: the FP16 accumulator adds a BF16 / FP8
# entry (the generator's mixed adder fp_addm_e5m10_<table>_e5m10)
for t in bf16 fp8e4m3 fp8e5m2; do
    sed "s/^  act: fp16 .*/  act: $([ $t = bf16 ] && echo fp16 || echo $t)\n  table_fmt: $t/" \
        "$HERE/sim/arch/lut-tc.yaml" >"$WORK/lut_$t.yaml"
    gen "lut_$t" --arch "$WORK/lut_$t.yaml"
done
fpunit() { # fpunit NAME DIR MODULE: the unit and its submodules
    local dir="$WORK/rtl/$2"
    [ -f "$dir/mpsim_top_$3.v" ] || {
        echo "mpsim: calibrate_area: the generator no longer emits $3 in $dir" >&2
        exit 1
    }
    synth "$1" "mpsim_top_$3" $(ls "$dir"/mpsim_top_fp_*.v)
}
fpunit fp16_add lut fp_add_e5m10
fpunit fp32_add fp16 fp_add_e8m23
fpunit fp16_mult fp16 fp_mul_e5m10_e5m10_e8m23
fpunit fp32_mult fp16 fp_mul_e8m23_e8m23_e8m23
fpunit fp16_add_bf16 lut_bf16 fp_addm_e5m10_e8m7_e5m10
fpunit fp16_add_fp8e4m3 lut_fp8e4m3 fp_addm_e5m10_e4m3fn_e5m10
fpunit fp16_add_fp8e5m2 lut_fp8e5m2 fp_addm_e5m10_e5m2_e5m10
# the generated fp16-mac PE whole, FP16 accumulation (FP16 x FP16 -> FP32
# product, fused add into the FP16 accumulator), as the LUT TC paper's
# FP16 MAC DP4 is mpsim-built in scripts/reproduce/lut_tc
gen fp16acc --arch "$HERE/scripts/reproduce/lut_tc/fp16mac-dp4.yaml"
synth piece_fp16_mac_pe mpsim_top_pe "$WORK/rtl/fp16acc/mpsim_top_pe.v" \
    $(ls "$WORK"/rtl/fp16acc/mpsim_top_fp_*.v)

# ---- pieces of the generated PEs (docs/validation.md "Calibration"
# notes: what the model counts differently; not used in the table).  The
# expressions are copied from `mpsim rtl` output of int8-mac and mixpe.
cat >"$WORK/v/pieces.v" <<'EOF'
module int8_mult_as_generated (input [7:0] x, w, output [15:0] y);
    assign y = {{8{x[7]}}, x} * {{8{w[7]}}, w};
endmodule
module int8_acc23 (input clk, v, f, input [15:0] prod, output reg [22:0] p);
    always @(posedge clk) if (v) p <= (f ? 23'd0 : p) + {{7{prod[15]}}, prod};
endmodule
// four of int8-mac's multipliers summed by an adder tree into one of its
// accumulators, as a tensor core's dot product shares one accumulator
// (not generated; scripts/reproduce/lut_tc: a DP4 against a PE per MAC)
module int8_dp4_as_generated (input clk, v, f, input [31:0] x, w,
                              output reg [22:0] p);
    wire [15:0] p0 = {{8{x[7]}}, x[7:0]} * {{8{w[7]}}, w[7:0]};
    wire [15:0] p1 = {{8{x[15]}}, x[15:8]} * {{8{w[15]}}, w[15:8]};
    wire [15:0] p2 = {{8{x[23]}}, x[23:16]} * {{8{w[23]}}, w[23:16]};
    wire [15:0] p3 = {{8{x[31]}}, x[31:24]} * {{8{w[31]}}, w[31:24]};
    wire [17:0] t = {{2{p0[15]}}, p0} + {{2{p1[15]}}, p1} +
                    {{2{p2[15]}}, p2} + {{2{p3[15]}}, p3};
    always @(posedge clk) if (v) p <= (f ? 23'd0 : p) + {{5{t[17]}}, t};
endmodule
module mixpe_shift_add (input [7:0] x, input [3:0] w, output [11:0] prod);
    wire [11:0] xs = {{4{x[7]}}, x};
    wire [11:0] t0 = {12{w[0]}} & xs;
    wire [11:0] t1 = {12{w[1]}} & (xs << 1);
    wire [11:0] t2 = {12{w[2]}} & (xs << 2);
    wire [11:0] t3 = {12{w[3]}} & (xs << 3);
    assign prod = t0 + t1 + t2 - t3;
endmodule
module mixpe_acc19 (input clk, v, f, input [11:0] prod, output reg [18:0] p);
    always @(posedge clk) if (v) p <= (f ? 19'd0 : p) + {{7{prod[11]}}, prod};
endmodule
EOF
for t in int8_mult_as_generated int8_acc23 int8_dp4_as_generated mixpe_shift_add mixpe_acc19; do
    synth "piece_$t" "$t" "$WORK/v/pieces.v"
done

# One output of a LUT TC unit synthesized whole, tables and weight planes as
# ports (as in the T-MAC LUTTensorCore_ISCA25 sv_lut_array unit): what the
# cost model composes per output from primitives, for
# scripts/reproduce/lut_tc (composition vs one synthesis, same flow).
#   fp16 W1: 8:1 lookup of an FP16 entry, sign flip by the first weight
#            bit, FP16 add to the incoming partial sum (the generator's
#            fp_add_e5m10), 16-bit register;
#   int8 W2: 8:1 lookup of a 10-bit entry, conditional negate, x2^b,
#            18-bit accumulate (restart on `start`), 18-bit register.
cat >"$WORK/v/lut_out.v" <<'EOF'
module lut_fp16_out_w1 (input clk, input [127:0] lut, input [3:0] u,
                        input [15:0] psum, output reg [15:0] acc);
    wire [15:0] e = lut[u[3:1] * 16 +: 16];
    wire [15:0] t = {e[15] ^ ~u[0], e[14:0]};
    wire [15:0] y;
    mpsim_top_fp_add_e5m10 add (.a(t), .b(psum), .y(y));
    always @(posedge clk) acc <= y;
endmodule
module lut_int8_out_w2 (input clk, input [79:0] lut, input [3:0] u,
                        input b, input start, output reg signed [17:0] acc);
    wire signed [9:0] e = lut[u[3:1] * 10 +: 10];
    wire signed [10:0] t = u[0] ? e : -e;
    wire signed [17:0] ts = $signed({{7{t[10]}}, t}) <<< b;
    always @(posedge clk) acc <= (start ? 18'sd0 : acc) + ts;
endmodule
EOF
for t in lut_fp16_out_w1 lut_int8_out_w2; do
    synth "piece_$t" "$t" "$WORK/v/lut_out.v" $(ls "$WORK"/rtl/lut/mpsim_top_fp_*.v)
done

# The FP16 adder and multiplier above without IEEE subnormal and NaN
# handling, as DesignWare's with ieee_compliance 0 (measurement modules of
# scripts/reproduce/lut_tc, never in a generated datapath): what IEEE
# compliance costs, for that script's factors.
for t in fp16_add_ftz fp16_mul_ftz; do
    synth "$t" "$t" "$HERE/scripts/reproduce/lut_tc/ftz_units.v"
done

column -t "$RESULTS" 2>/dev/null || cat "$RESULTS"

[ -n "$YAML" ] || exit 0

# ---- the technology table ---------------------------------------------
area() { awk -v n="$1" '$1 == n { print $2 }' "$RESULTS"; }
per_bit() { awk -v a="$(area "$1")" 'BEGIN { printf "%.4f", a / 32 }'; }
DATE=$(date -u +%Y-%m-%d)
SRC="Yosys 0.23 + OSU 0.18 um (qflow-tech-osu018), scripts/calibrate_area.sh"
H45="scaled 45->180 nm (Stillmaker & Baas 2017) from Horowitz ISSCC 2014"
tmp="$YAML.tmp.$$"
cat >"$tmp" <<EOF
# osu018 - 180 nm ASIC table, OSU 0.18 um standard cells at 1.8 V: the
# library \`mpsim synth --target asic\` maps to.  AREA constants are real
# Yosys 0.23 synthesis results of the primitive blocks the area model
# composes (pe_models/pe_common.c), written by scripts/calibrate_area.sh
# (do not edit by hand: rerun it; docs/validation.md "Calibration").
# ENERGY constants are NOT measured: they are Horowitz's 45 nm figures
# scaled to 180 nm / 1.8 V on load with the node scaling equations.
name: osu018
node_nm: 180
vdd: 1.8
fpga: false
description: "180 nm, 1.8 V: areas from Yosys + OSU 0.18 um synthesis of primitives; energies scaled from 45 nm"
constants:
  # ---- areas, measured ($DATE)
  int_add8_um2:    {value: $(area add8), unit: um2, source: "$SRC, add8 (8b y = a + b), $DATE",
                    note: "add16 $(area add16), add24 $(area add24), add32 $(area add32) um2: the model's linear-in-width rule"}
  int_mult8_um2:   {value: $(area mul8x8), unit: um2, source: "$SRC, mul8x8 (signed 8x8->16), $DATE",
                    note: "mul8x4 $(area mul8x4), mul4x4 $(area mul4x4), mul16x16 $(area mul16x16) um2: the model scales with abits*bbits/64"}
  fp16_add_um2:    {value: $(area fp16_add), unit: um2, source: "$SRC, fp16_add (rtl_gen fp_add_e5m10 + round), $DATE"}
  fp32_add_um2:    {value: $(area fp32_add), unit: um2, source: "$SRC, fp32_add (rtl_gen fp_add_e8m23 + round), $DATE"}
  fp16_mult_um2:   {value: $(area fp16_mult), unit: um2, source: "$SRC, fp16_mult (rtl_gen fp_mul_e5m10_e5m10_e8m23), $DATE",
                    note: "FP16 x FP16 with an FP32 result, the multiplier the fp16-mac PE instantiates (the product is exact: no FP16 rounding)"}
  fp32_mult_um2:   {value: $(area fp32_mult), unit: um2, source: "$SRC, fp32_mult (rtl_gen fp_mul_e8m23_e8m23_e8m23 + round), $DATE"}
  fp16_add_bf16_um2:    {value: $(area fp16_add_bf16), unit: um2, source: "$SRC, fp16_add_bf16 (rtl_gen fp_addm_e5m10_e8m7_e5m10 + round), $DATE",
                        note: "FP16 accumulator + BF16 operand -> FP16: the LUT TC adder with BF16 tables"}
  fp16_add_fp8e4m3_um2: {value: $(area fp16_add_fp8e4m3), unit: um2, source: "$SRC, fp16_add_fp8e4m3 (rtl_gen fp_addm_e5m10_e4m3fn_e5m10 + round), $DATE",
                        note: "FP16 accumulator + FP8 E4M3 operand -> FP16: the LUT TC adder with E4M3 tables"}
  fp16_add_fp8e5m2_um2: {value: $(area fp16_add_fp8e5m2), unit: um2, source: "$SRC, fp16_add_fp8e5m2 (rtl_gen fp_addm_e5m10_e5m2_e5m10 + round), $DATE",
                        note: "FP16 accumulator + FP8 E5M2 operand -> FP16: the LUT TC adder with E5M2 tables"}
  reg_um2_per_bit: {value: $(per_bit reg_en32), unit: um2, source: "$SRC, reg_en32/32 (DFF with load enable), $DATE",
                    note: "plain DFF bit $(per_bit reg_plain32) um2; generated PEs load their registers under an enable"}
  mux2_um2_per_bit: {value: $(per_bit mux2_32), unit: um2, source: "$SRC, mux2_32/32, $DATE"}
  and2_um2_per_bit: {value: $(per_bit and2_32), unit: um2, source: "$SRC, and2_32/32, $DATE"}
  # ---- energies: not measured; Horowitz 45 nm 0.9 V scaled on load
  int_add8_pj:    {node_nm: 45, vdd: 0.9, value: 0.03, unit: pJ, source: "$H45, energy table: 8b add"}
  int_add32_pj:   {node_nm: 45, vdd: 0.9, value: 0.1,  unit: pJ, source: "$H45, energy table: 32b add"}
  int_mult8_pj:   {node_nm: 45, vdd: 0.9, value: 0.2,  unit: pJ, source: "$H45, energy table: 8b mult"}
  int_mult32_pj:  {node_nm: 45, vdd: 0.9, value: 3.1,  unit: pJ, source: "$H45, energy table: 32b mult"}
  fp16_add_pj:    {node_nm: 45, vdd: 0.9, value: 0.4,  unit: pJ, source: "$H45, energy table: 16b FP add"}
  fp32_add_pj:    {node_nm: 45, vdd: 0.9, value: 0.9,  unit: pJ, source: "$H45, energy table: 32b FP add"}
  fp16_mult_pj:   {node_nm: 45, vdd: 0.9, value: 1.1,  unit: pJ, source: "$H45, energy table: 16b FP mult"}
  fp32_mult_pj:   {node_nm: 45, vdd: 0.9, value: 3.7,  unit: pJ, source: "$H45, energy table: 32b FP mult"}
  reg_pj_per_bit: {node_nm: 40, value: 0.009, unit: pJ, source: "Aladdin (Shao et al., ISCA 2014) 40 nm register energy per bit, scaled 40->180 nm (Stillmaker & Baas 2017; 40 nm interpolated, nominal vdd: mpsim choices)"}
  mux2_pj_per_bit: {node_nm: 45, vdd: 0.9, value: 0.002, unit: pJ, source: "mpsim assumption (asic-45nm value, scaled 45->180 nm by Stillmaker & Baas 2017)",
                   note: "about half of one bit of the Horowitz 8b adder"}
  and2_pj_per_bit: {node_nm: 45, vdd: 0.9, value: 0.0008, unit: pJ, source: "mpsim assumption (asic-45nm value, scaled 45->180 nm by Stillmaker & Baas 2017)",
                   note: "partial-product gating AND: ~1/5 of a full-adder bit"}
  leakage_uw_per_um2: {value: 0.0371, unit: uW/um2, source: "derived at 45 nm (asic-45nm: MixPE leakage / BitFusion area), left unscaled: mpsim assumption, not a 180 nm figure"}
  # ---- memories (for sim/): Horowitz 45 nm SRAM reads scaled on load
  sram_8kb_pj_per_bit:  {node_nm: 45, vdd: 0.9, value: 0.15625, unit: pJ/bit, source: "$H45: 64-bit read from 8 KB SRAM 10 pJ (/64)"}
  sram_32kb_pj_per_bit: {node_nm: 45, vdd: 0.9, value: 0.3125,  unit: pJ/bit, source: "$H45: 64-bit read from 32 KB SRAM 20 pJ (/64)"}
  sram_1mb_pj_per_bit:  {node_nm: 45, vdd: 0.9, value: 1.5625,  unit: pJ/bit, source: "$H45: 64-bit read from 1 MB SRAM 100 pJ (/64)"}
  # off-chip memories: no node scaling (as in asic-45nm)
  dram_read_pj_per_bit: {value: 20.3, unit: pJ/bit, source: "Horowitz ISSCC 2014: DRAM 1.3-2.6 nJ per 64-bit access, low end (1300/64)"}
  dram_write_pj_per_bit: {value: 20.3, unit: pJ/bit, source: "Horowitz ISSCC 2014: same figure as read (no separate write value)"}
  dram_background_nj_per_cycle: {value: 0.969, unit: nJ/cycle, source: "MixPE artifact (github.com/yuzhang712/mixpe_simulator): DRAM background energy per 500 MHz cycle"}
  dram_background_w: {value: 0.4845, unit: W, source: "derived: MixPE artifact DRAM background 0.969 nJ/cycle x 500 MHz"}
  lpddr4_pj_per_bit: {value: 8,   unit: pJ/bit, source: "Accelergy table plug-in defaults: LPDDR4"}
  hbm2_pj_per_bit:   {value: 3.9, unit: pJ/bit, source: "Accelergy table plug-in defaults: HBM2"}
  gddr5_pj_per_bit:  {value: 14,  unit: pJ/bit, source: "Accelergy table plug-in defaults: GDDR5"}
  ddr3_pj_per_bit:   {value: 70,  unit: pJ/bit, source: "Accelergy table plug-in defaults: DDR3"}
EOF
mv "$tmp" "$YAML"
echo "wrote $YAML" >&2
