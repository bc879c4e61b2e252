#!/usr/bin/env bash
# LUT Tensor Core and DSP48E2 chain RTL: `verilator --lint-only -Wall` (no
# waivers) and Yosys elaboration without latches over a grid of their
# parameters, synth_xilinx mapping the DSP48E2 instances, and the
# generators' bad-configuration paths.
#   LUT TC: small elongated tiles, weights int1..int4, uint1..uint4 and
#           ternary, groups 4/8/per-channel, with and without zero points,
#           scales and the per-token scale; INT8 and FP16 activations.
#   DSP:    chain lengths 1, 2, 3, 8 (8 = two cascade segments for int8
#           weights), dense and 2:4 / 8:16 sparse, int4/int8/uint8 weights;
#           rows count slices along K (rows / chain_len chains per column).
# Tile shapes and chain parameters only exist in arch YAML, so each point
# is a copy of the shipped preset with the pe/array keys replaced.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"
require_verilator rtl_lint_lut_dsp
arch() { preset_arch "$@"; }
lint() { lint_rtl "$1" --arch "$2" "${@:3}"; }

# ---- LUT Tensor Core ----------------------------------------------------
L="$TMP/lut.yaml"
for tile in 2x4 1x2 2x1; do
    tm=${tile%x*}; tn=${tile#*x}
    for zeros in true false; do
        arch "$L" lut-tc 1 1 family=lut-tc act=int8 weights=int4 \
            group_size=8 zeros=$zeros tile_m=$tm tile_n=$tn
        lint "lut_${tile}_z${zeros}_scaled" "$L" --k-max 16
        lint "lut_${tile}_z${zeros}_int" "$L" --k-max 16 --no-scales
        lint "lut_${tile}_z${zeros}_2x2" "$L" --k-max 16 --rows 2 --cols 2 --no-act-scale
    done
done
arch "$L" lut-tc 1 1 family=lut-tc act=int8 weights=int4 group_size=8 \
    zeros=true tile_m=2 tile_n=2
for w in int1 int2 int3 int4 uint1 uint2 uint3 uint4 ternary; do
    lint "lut_${w}_g4" "$L" --weight $w --group 4 --k-max 16 --rows 1 --cols 1
    lint "lut_${w}_g0_int" "$L" --weight $w --group 0 --k-max 12 --rows 1 --cols 2 --no-scales
done
# FP16 activations, tables and group sums
for w in int1 uint2 ternary int4; do
    arch "$L" lut-tc 1 1 family=lut-tc act=fp16 weights=$w group_size=8 \
        zeros=true tile_m=2 tile_n=2
    lint "lutf_${w}_g8" "$L" --k-max 16
    lint "lutf_${w}_g0" "$L" --k-max 16 --group 0 --rows 2 --no-act-scale
done
arch "$L" lut-tc 1 1 family=lut-tc act=fp16 weights=uint4 group_size=4 \
    zeros=false tile_m=1 tile_n=1
lint lutf_1x1_g4 "$L" --k-max 4
arch "$L" lut-tc 1 1 family=lut-tc act=int8 weights=uint2 group_size=4 \
    zeros=false tile_m=1 tile_n=1
lint lut_1x1_g4_single "$L" --k-max 4 --rows 1 --cols 1
lint lut_1x1_g4_int "$L" --k-max 8 --rows 1 --cols 1 --no-scales

# ---- DSP48E2 chain -------------------------------------------------------
D="$TMP/dsp.yaml"
for len in 1 2 3 8; do
    arch "$D" flightllm-u280 $len 2 family=dsp-chain act=int8 weights=int8 \
        group_size=24 zeros=true chain_len=$len
    lint "dsp_len${len}_scaled" "$D" --k-max 48 --group 24
    lint "dsp_len${len}_int" "$D" --k-max 48 --group 0 --no-scales
    lint "dsp_len${len}_uint8" "$D" --k-max 48 --weight uint8 --rows $((2 * len)) --cols 1
done
arch "$D" flightllm-u280 2 2 family=dsp-chain act=int8 weights=int4 \
    group_size=16 zeros=false chain_len=2 sparse_n=2 sparse_m=4
lint dsp_sparse_2_4_len2 "$D" --k-max 32
lint dsp_sparse_2_4_len2_int "$D" --k-max 32 --no-scales
arch "$D" flightllm-u280 8 2 family=dsp-chain act=int8 weights=int4 \
    group_size=16 zeros=true chain_len=8 sparse_n=8 sparse_m=16
lint dsp_sparse_8_16_len8 "$D" --k-max 32
arch "$D" flightllm-u280 4 1 family=dsp-chain act=int8 weights=int8 \
    group_size=16 zeros=true chain_len=2 sparse_n=8 sparse_m=16
lint dsp_sparse_8_16_len2 "$D" --k-max 32
lint dsp_sparse_8_16_len2_int "$D" --k-max 32 --group 0 --no-scales

# ---- Yosys maps the instantiated DSP48E2 cells ----------------------------
arch "$D" flightllm-u280 8 1 family=dsp-chain act=int8 weights=int8 \
    group_size=16 zeros=false chain_len=8
xcup_dsps rtl_dsp_yosys_maps_dsp48e2 8 --arch "$D" --k-max 16 --no-scales

# ---- bad configurations ---------------------------------------------------
arch "$L" lut-tc 1 1 family=lut-tc act=fp8e4m3 weights=int4 group_size=8 \
    tile_m=2 tile_n=2 table_fmt=fp8e4m3 acc=fixed
expect_error rtl_lut_fp8_table_fixed "table_fmt: fp8e4m3 table entries of 4 fp8e4m3 activations can overflow" \
    "$MP" rtl --arch "$L" --k-max 16 -o "$TMP/bad1"
expect_no_file rtl_lut_fp8_table_fixed_nofile "$TMP/bad1/files.f"
# dsp-chain refuses none of these any more: groups that are no whole
# number of steps (a masked partial fetch) and fewer rows than chain_len
# (chains of the rows) are generated (more: test_rtl_lint_dsp_pack.sh)
arch "$D" flightllm-u280 1 1 family=dsp-chain act=int8 weights=int8 \
    group_size=16 chain_len=3 sparse_n=2 sparse_m=4
lint dsp_len3_sparse_2_4_g16_rows1 "$D" --k-max 16
arch "$D" flightllm-u280 3 1 family=dsp-chain act=int8 weights=int8 \
    group_size=16 chain_len=4
lint dsp_rows3_len4 "$D" --k-max 16
