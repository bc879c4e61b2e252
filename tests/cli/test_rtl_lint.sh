#!/usr/bin/env bash
# `mpsim rtl` output passes `verilator --lint-only -Wall` (no waivers) and
# Yosys's `proc; check -assert` with no latch inferred, over a
# grid of the generators' parameters: array shapes 1..4 x 1..4, weight
# widths 1..8 signed/unsigned/ternary, group sizes (per channel, 1, smaller
# and larger than the array), with and without zero points, scales and the
# per-token scale.  Plus the command's bad-input paths.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"
require_verilator rtl_lint
lint() { lint_rtl "$@"; }

# shapes x output kinds, INT8 MAC and MixPE
for pe in int8-mac mixpe; do
    for shape in 1x1 1x4 4x1 2x3 3x2 4x4; do
        r=${shape%x*}; c=${shape#*x}
        lint "${pe}_${shape}_scaled" --pe $pe --weight int4 --rows $r --cols $c --k-max 16 --group 4
        lint "${pe}_${shape}_asym" --pe $pe --weight uint4 --zeros --rows $r --cols $c --k-max 16 --group 2 --no-act-scale
        lint "${pe}_${shape}_int" --pe $pe --weight int4 --no-scales --rows $r --cols $c --k-max 16
        lint "${pe}_${shape}_intz" --pe $pe --weight uint4 --zeros --no-scales --rows $r --cols $c --k-max 16 --group 8
    done
    for b in 1 2 3 5 6 7 8; do
        lint "${pe}_int$b" --pe $pe --weight int$b --rows 2 --cols 3 --k-max 12 --group 3
        lint "${pe}_uint$b" --pe $pe --weight uint$b --zeros --rows 3 --cols 2 --k-max 12 --group 0
    done
    lint "${pe}_ternary" --pe $pe --weight ternary --rows 2 --cols 2 --k-max 8 --group 1
    lint "${pe}_g1" --pe $pe --weight uint4 --zeros --rows 1 --cols 3 --k-max 4 --group 1
    lint "${pe}_k1" --pe $pe --weight int4 --rows 1 --cols 1 --k-max 1 --group 0
    lint "${pe}_k1_wide" --pe $pe --weight uint4 --zeros --rows 2 --cols 4 --k-max 1 --group 1
done
# MixPE W4A16: FP16 activations, fixed-point group sums
for shape in 1x1 1x4 4x1 2x3 4x4; do
    r=${shape%x*}; c=${shape#*x}
    lint "mixpe_w4a16_${shape}" --pe mixpe --act fp16 --weight int4 --rows $r --cols $c --k-max 16 --group 4
    lint "mixpe_w4a16_${shape}_asym" --pe mixpe --act fp16 --weight uint4 --zeros --rows $r --cols $c --k-max 16 --group 0 --no-act-scale
done
for b in 1 3 8; do
    lint "mixpe_w${b}a16" --pe mixpe --act fp16 --weight uint$b --zeros --rows 2 --cols 2 --k-max 8 --group 2
done
for shape in 1x1 1x4 4x1 2x3 4x4; do
    r=${shape%x*}; c=${shape#*x}
    lint "fp16-mac_${shape}" --pe fp16-mac --act fp16 --weight int4 --rows $r --cols $c --k-max 16 --group 4
    lint "fp16-mac_${shape}_asym" --pe fp16-mac --act fp16 --weight uint4 --zeros --rows $r --cols $c --k-max 16 --group 0 --no-act-scale
done
lint fp16-mac_k1 --pe fp16-mac --act fp16 --weight int7 --rows 2 --cols 4 --k-max 1 --group 1
lint fp16-mac_int8 --pe fp16-mac --act fp16 --weight int8 --rows 2 --cols 2 --k-max 8 --group 1
lint fp16-mac_acc16 --pe fp16-mac --act fp16 --acc fp16 --weight int4 --rows 2 --cols 3 --k-max 8 --group 4
lint fp16-mac_bf16 --pe fp16-mac --act bf16 --weight uint4 --zeros --rows 3 --cols 2 --k-max 8 --group 2
lint fp16-mac_bf16_acc16 --pe fp16-mac --act bf16 --acc fp16 --weight int4 --rows 1 --cols 2 --k-max 8 --group 0 --no-act-scale
lint fp16-mac_uint2 --pe fp16-mac --act fp16 --weight uint2 --zeros --rows 2 --cols 2 --k-max 8 --group 8
lint int8-mac_named_top --pe int8-mac --rows 2 --cols 2 --k-max 8 --group 4 --top my_array

# bad input: one line on stderr, non-zero exit, nothing written
expect_error rtl_bad_family "pe: no Verilog generator" "$MP" rtl --pe nosuch -o "$TMP/bad1"
expect_no_file rtl_bad_family_nofile "$TMP/bad1/files.f"
expect_error rtl_bad_rows "rows: must be in 1\.\.65536, got 0" "$MP" rtl --rows 0 -o "$TMP/bad2"
expect_error rtl_bad_group "group: k-max 16 is not a multiple" "$MP" rtl --k-max 16 --group 5 -o "$TMP/bad3"
expect_no_file rtl_bad_group_nofile "$TMP/bad3/files.f"
expect_error rtl_bad_act "act: " "$MP" rtl --pe fp16-mac --act int8 -o "$TMP/bad4"
expect_error rtl_bad_act_bf16 "act: " "$MP" rtl --pe mixpe --act bf16 -o "$TMP/bad4b"
expect_error rtl_bad_acc "--acc: unknown accumulator" "$MP" rtl --pe fp16-mac --act fp16 --acc fp64 -o "$TMP/bad4c"
expect_error rtl_bad_weight "--weight: unknown weight format" "$MP" rtl --weight int9 -o "$TMP/bad5"
expect_error rtl_bad_top "top: '1x' is not a Verilog identifier" "$MP" rtl --top 1x -o "$TMP/bad6"
expect_error rtl_no_out "-o: output directory required" "$MP" rtl
expect_error rtl_bad_option "unknown option" "$MP" rtl --frobnicate -o "$TMP/bad7"
expect_error rtl_bad_kmax "33-bit ld_addr" "$MP" rtl --pe lut-tc --act fp16 --rows 1 --cols 8192 --k-max 16384 --group 0 -o "$TMP/bad8"
echo "x" >"$TMP/afile"
expect_error rtl_out_not_dir "is not a directory" "$MP" rtl -o "$TMP/afile"
expect_ok rtl_help "$MP" rtl --help
