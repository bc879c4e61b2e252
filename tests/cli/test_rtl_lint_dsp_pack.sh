#!/usr/bin/env bash
# DSP48E2 chain RTL over every packing the PE model accepts:
# `verilator --lint-only -Wall` (no waivers) and Yosys elaboration without
# latches, synth_xilinx keeping every DSP48E2 as a cell, and the refusals
# that remain.
#   pack 1: INT8 activations with int8/uint8/int4/ternary/int1 codes, INT4
#           ones with int8/int1, dense and 2:4 sparse;
#   pack 2: INT4 activations (INT8 ones: test_rtl_lint_lut_dsp.sh), with
#           8:16 sparsity;
#   pack 4: INT4 activations, int4/uint4/int2/uint1/ternary codes, one and
#           two cascade segments, groups and per-channel, zero points or
#           none, scales or integer output;
#   chain_len and N:M's N dividing neither way (a fetch of lcm slots);
#   chains longer than 64 slices (one column), and rows beyond whole chains;
#   arrays of fewer rows than chain_len (one chain of all the rows);
#   groups (and per-channel k-max) that are no whole number of steps (the
#   last fetch of a group masked, sparse sub-steps stopped early).
# Tile shapes and chain parameters only exist in arch YAML, so each point
# is a copy of the flightllm-u280 preset with the pe/array keys replaced.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"
require_verilator rtl_lint_dsp_pack

# arch FILE ROWS COLS KEY=VALUE...: flightllm-u280 resized, pe: rewritten
arch() {
    local file=$1 rows=$2 cols=$3; shift 3
    preset_arch "$file" flightllm-u280 "$rows" "$cols" family=dsp-chain "$@"
}
lint() { lint_rtl "$1" --arch "$2" "${@:3}"; }

D="$TMP/dsp.yaml"
# ---- pack 1: one product per slice ---------------------------------------
for act in int8 int4; do
    weights="int8 uint8 int4 ternary int1"
    [ $act = int4 ] && weights="int8 int1" # the rest as with int8
    for w in $weights; do
        arch "$D" 4 2 act=$act weights=$w group_size=16 zeros=true \
            chain_len=4 pack_products=1
        lint "p1_${act}_$w" "$D" --k-max 32
    done
    arch "$D" 4 2 act=$act weights=int4 group_size=16 zeros=false \
        chain_len=2 pack_products=1 sparse_n=2 sparse_m=4
    lint "p1_${act}_sparse_2_4" "$D" --k-max 32
    lint "p1_${act}_sparse_2_4_int" "$D" --k-max 32 --no-scales
done
# ---- pack 2 with INT4 activations ----------------------------------------
for w in int8 uint8 int4 ternary; do
    arch "$D" 8 1 act=int4 weights=$w group_size=16 zeros=true chain_len=8 \
        pack_products=2
    lint "p2_int4_$w" "$D" --k-max 32
done
arch "$D" 4 1 act=int4 weights=int8 group_size=16 zeros=true chain_len=2 \
    pack_products=2 sparse_n=8 sparse_m=16
lint p2_int4_sparse_8_16 "$D" --k-max 32 --group 0 --no-scales
# ---- pack 4: the INT4 2x2 outer product -----------------------------------
for w in int4 uint4 int2 uint1 ternary; do
    arch "$D" 8 1 act=int4 weights=$w group_size=16 zeros=true chain_len=8 \
        pack_products=4
    lint "p4_$w" "$D" --k-max 32
    case $w in int4|ternary)
        lint "p4_${w}_g0_int" "$D" --k-max 32 --group 0 --no-scales ;;
    esac
done
# 16 slices: two cascade segments of 8 (limit 15), zeros without scales
arch "$D" 16 2 act=int4 weights=int4 group_size=32 zeros=true chain_len=16 \
    pack_products=4
lint p4_seg2 "$D" --k-max 64
lint p4_seg2_zeros_int "$D" --k-max 64 --no-scales
lint p4_seg2_no_act_scale "$D" --k-max 64 --no-act-scale
# chain_len and N dividing neither way: a fetch of lcm(chain_len, N) slots
arch "$D" 3 2 act=int8 weights=int4 group_size=12 zeros=true chain_len=3 \
    pack_products=2 sparse_n=2 sparse_m=4
lint p2_len3_sparse_2_4 "$D" --k-max 24
arch "$D" 6 1 act=int4 weights=int8 group_size=24 zeros=false chain_len=6 \
    pack_products=1 sparse_n=4 sparse_m=8
lint p1_len6_sparse_4_8 "$D" --k-max 48 --no-scales
# ---- long chains and partial chains ----------------------------------------
arch "$D" 96 1 act=int8 weights=int8 group_size=96 zeros=true chain_len=96 \
    pack_products=2
lint len96_p2 "$D" --k-max 192
arch "$D" 72 1 act=int4 weights=int4 group_size=72 zeros=false chain_len=72 \
    pack_products=4
lint len72_p4 "$D" --k-max 144 --no-scales
arch "$D" 80 1 act=int8 weights=int4 group_size=160 zeros=false chain_len=80 \
    pack_products=1
lint len80_p1 "$D" --k-max 160
arch "$D" 6 2 act=int8 weights=int8 group_size=16 zeros=true chain_len=4 \
    pack_products=1
lint rows6_len4 "$D" --k-max 32
# ---- fewer rows than chain_len: a chain of the rows ------------------------
arch "$D" 4 1 act=int4 weights=int4 group_size=16 zeros=true chain_len=8 \
    pack_products=4
lint rows4_len8_p4 "$D" --k-max 32
arch "$D" 10 2 act=int8 weights=int8 group_size=20 zeros=false chain_len=16 \
    pack_products=2
lint rows10_len16_p2_seg2 "$D" --k-max 40 --no-scales
arch "$D" 1 2 act=int8 weights=uint4 group_size=8 zeros=true chain_len=4 \
    pack_products=1
lint rows1_len4_p1 "$D" --k-max 16
arch "$D" 3 1 act=int8 weights=int4 group_size=24 zeros=true chain_len=4 \
    pack_products=2 sparse_n=2 sparse_m=4
lint rows3_len4_sparse_2_4 "$D" --k-max 48
# ---- groups that are no whole number of steps -----------------------------
arch "$D" 3 2 act=int8 weights=int4 group_size=16 zeros=true chain_len=3 \
    pack_products=2
lint len3_g16 "$D" --k-max 32
lint len3_g16_int "$D" --k-max 32 --no-scales
lint len3_g0_k32 "$D" --k-max 32 --group 0
lint len3_kmax1 "$D" --k-max 1 --group 0
arch "$D" 3 1 act=int8 weights=int4 group_size=16 zeros=true chain_len=3 \
    pack_products=2 sparse_n=2 sparse_m=4
lint len3_g16_sparse_2_4 "$D" --k-max 32
lint len3_g0_k40_sparse_2_4 "$D" --k-max 40 --group 0 --no-scales
arch "$D" 16 1 act=int4 weights=int4 group_size=24 zeros=false chain_len=16 \
    pack_products=4
lint len16_g24_p4 "$D" --k-max 48

# ---- Yosys maps the instantiated DSP48E2 cells -----------------------------
for pack in 1 4; do
    arch "$D" 8 1 act=int4 weights=int4 group_size=16 zeros=false \
        chain_len=8 pack_products=$pack
    xcup_dsps "rtl_dsp_pack${pack}_yosys_maps_dsp48e2" 8 --arch "$D" \
        --k-max 16 --no-scales
done
# fewer rows than chain_len: chain_len 8 on 4 rows instantiates 4
arch "$D" 4 1 act=int4 weights=int4 group_size=16 zeros=false \
    chain_len=8 pack_products=4
xcup_dsps rtl_dsp_rows4_len8_yosys_maps_dsp48e2 4 --arch "$D" --k-max 16 \
    --no-scales

# ---- what is still refused --------------------------------------------------
# the PE model's own refusal reaches the generator unchanged
arch "$D" 8 1 act=int8 weights=int4 group_size=16 chain_len=8 pack_products=4
expect_error rtl_dsp_pack4_int8 "pack_products: 4 products per DSP need 4-bit activations" \
    "$MP" rtl --arch "$D" --k-max 16 -o "$TMP/bad3"
expect_no_file rtl_dsp_pack4_int8_nofile "$TMP/bad3/files.f"
