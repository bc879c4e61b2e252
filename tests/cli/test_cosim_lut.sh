#!/usr/bin/env bash
# Co-simulation of the LUT Tensor Core's number formats: one representative
# point per datapath, bit for bit against the golden and cycle for cycle
# against the engine (extreme and random tiles):
#   fp8e4m3 activations, fp16 tables, fp32 group sums  (float sums, mixed add)
#   fp8e5m2 activations, fp8e5m2 tables, fp16 sums      (FP8 rounding, Inf)
#   int8 activations, bf16 tables, fp32 sums            (int -> float S)
#   fp16 activations, fp32 tables, fixed sums           (rounded entries on
#                                                       the exact grid)
#   int8 activations, bf16 tables, int sums             (rounded entries)
#   dequant_stages 3 (float edge) and 4 (integer sums: the shared unit)
# A copy with truncated BF16 table entries must mismatch.  Builds are
# cached in $MPSIM_BUILD/cosim-cache (Verilator at -O1).
source "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"
require_verilator cosim_lut

# arch FILE KEY=VALUE...: the lut-tc preset, one M2N2 unit, pe: rewritten
arch() {
    local file=$1; shift
    preset_arch "$file" lut-tc 1 1 family=lut-tc tile_m=2 tile_n=2 "$@"
}
# cosim_exact NAME YAML ARGS...: exit 0, 0 mismatches, cycle error 0
cosim_exact() { cosim_check "$1" 0 --arch "$2" "${@:3}"; }

Y="$TMP/lut.yaml"
arch "$Y" act=fp8e4m3 table_fmt=fp16 acc=fp32 weights=int4 group_size=8 zeros=true
cosim_exact cosim_lut_e4m3_fp16_fp32 "$Y" --k-max 16 --tiles 6
arch "$Y" act=fp8e5m2 table_fmt=fp8e5m2 acc=fp16 weights=ternary group_size=8 zeros=true
cosim_exact cosim_lut_e5m2_e5m2_fp16 "$Y" --k-max 16 --tiles 6
arch "$Y" act=int8 table_fmt=bf16 acc=fp32 weights=uint3 group_size=8 zeros=true
cosim_exact cosim_lut_int8_bf16_fp32 "$Y" --k-max 16 --tiles 6
arch "$Y" act=fp16 table_fmt=fp32 acc=fixed weights=int2 group_size=4 zeros=true
cosim_exact cosim_lut_fp16_fp32_fixed "$Y" --k-max 16 --tiles 6
arch "$Y" act=int8 table_fmt=bf16 acc=int weights=int4 group_size=8 zeros=false
cosim_exact cosim_lut_int8_bf16_int "$Y" --k-max 16 --tiles 6
# pipelined edges (dequant_stages): the float unit's 3 stages, two columns
# per unit; integer sums through the shared unit's 4 (acc + d split)
arch "$Y" act=fp8e4m3 table_fmt=fp16 acc=fp32 weights=int4 group_size=8 zeros=true dequant_stages=3 edge_units=1
cosim_exact cosim_lut_float_edge_3_stages "$Y" --k-max 16 --tiles 6
arch "$Y" act=int8 table_fmt=int16 acc=int weights=int2 group_size=8 zeros=true dequant_stages=4
cosim_exact cosim_lut_int_edge_4_stages "$Y" --k-max 16 --tiles 6

# BF16 table entries truncated instead of rounded to nearest even (INT8
# activations: |x0 +- x1 +- x2 +- x3| above 255 loses bits) must be caught
arch "$Y" act=int8 table_fmt=bf16 acc=int weights=int4 group_size=8 zeros=false
broken="$TMP/broken_lut"
"$MPSIM_FAST" rtl --arch "$Y" --k-max 16 -o "$broken" >/dev/null 2>&1
sed -i "s/rbit & (sticky | kept\[0\])/1'b0/" "$broken"/*fp_round_w10_*_e8m7.v
if grep -q "kr = {1'b0, kept} + {[0-9]*'d0, 1'b0}" "$broken"/*fp_round_w10_*_e8m7.v
then ok cosim_lut_broken_sed
else not_ok "cosim_lut_broken_sed (the sed no longer applies)"; fi
"$MPSIM" cosim --cache "$CACHE" --rtl "$broken" --arch "$Y" --k-max 16 \
    --tiles 6 --wave "$TMP/broken.fst" >"$TMP/broken.out" 2>"$TMP/broken.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'mismatch' "$TMP/broken.err"
then ok cosim_lut_broken_rounding_caught
else not_ok "cosim_lut_broken_rounding_caught (exit $rc: $(head -c 300 "$TMP/broken.err"))"; fi
