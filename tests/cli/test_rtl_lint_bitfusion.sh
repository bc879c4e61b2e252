#!/usr/bin/env bash
# BitFusion RTL (rtl_gen/bitfusion.c): `verilator --lint-only -Wall` (no
# waivers) over a grid of everything the PE model accepts, Yosys
# elaboration without latches on representative points, the fusion unit's
# BitBrick structure, and the generator's bad-configuration path.
#   activations int8, int16; weights int1..int8, uint1..uint8 (a sample),
#   ternary; groups 1 (one product per step), 6 (a step halved to divide
#   it), 8, 32, per channel; zero points on/off; scales with and without
#   the per-token scale, integer output; arrays 1x1 .. 4x4.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"
require_verilator rtl_lint_bitfusion

# gen NAME OPTIONS...: generate into $TMP/NAME; 0 on success
gen() {
    local name=$1; shift
    if ! "$MP" rtl --pe bitfusion "$@" -o "$TMP/$name" >"$TMP/gen.out" 2>"$TMP/gen.err"; then
        not_ok "rtl_lint_bf_$name (generation failed: $(head -c 300 "$TMP/gen.err"))"
        return 1
    fi
}

# lint NAME OPTIONS...: generate and lint (kept for the structure checks)
lint() {
    gen "$@" && lint_dir "bf_$1" "$TMP/$1"
}
yosys_ok() { yosys_dir "bf_$1" "$TMP/$1"; }

# ---- the grid: every weight format x both activations, three settings ----
for act in int8 int16; do
    for w in int1 int2 int3 int4 int5 int8 uint1 uint2 uint3 uint4 uint7 uint8 ternary; do
        lint "${w}a${act#int}_g8_z_scaled" --act $act --weight $w --group 8 \
            --zeros --rows 2 --cols 3 --k-max 32
        lint "${w}a${act#int}_g0_int" --act $act --weight $w --group 0 \
            --no-scales --no-act-scale --rows 1 --cols 2 --k-max 32
        lint "${w}a${act#int}_g6_z_int" --act $act --weight $w --group 6 \
            --zeros --no-scales --no-act-scale --rows 3 --cols 1 --k-max 24
    done
done
lint w4a8_g1_noact --act int8 --weight int4 --group 1 --no-act-scale \
    --rows 2 --cols 2 --k-max 8
lint w2a8_g32_4x4 --act int8 --weight int2 --group 32 --zeros --rows 4 \
    --cols 4 --k-max 64
lint w8a16_g0_z_scaled --act int16 --weight int8 --group 0 --zeros \
    --rows 2 --cols 2 --k-max 16
lint w4a8_1x1_k2 --act int8 --weight uint4 --group 0 --rows 1 --cols 1 \
    --k-max 2
# K_MAX 1: the block-step fetch reads constant addresses
lint w8a8_g1_k1_z --act int8 --weight int8 --group 1 --zeros --rows 3 \
    --cols 2 --k-max 1
lint w8a8_g0_k1_int --act int8 --weight int8 --group 0 --no-scales \
    --no-act-scale --rows 1 --cols 1 --k-max 1

# ---- synthesizable: Yosys, no latches -------------------------------------
for name in int4a8_g8_z_scaled int8a16_g8_z_scaled ternarya8_g6_z_int \
            uint8a16_g0_int int1a8_g0_int w2a8_g32_4x4; do
    yosys_ok "$name"
done

# ---- structure: 16 BitBricks per unit, no multiplier outside them ---------
for name in int4a8_g8_z_scaled int8a8_g8_z_scaled int2a8_g8_z_scaled \
            int8a16_g8_z_scaled uint2a16_g8_z_scaled; do
    u="$TMP/$name/mpsim_top_fusion_unit.v"
    bricks=$(grep -c 'mpsim_top_bitbrick u_bb_' "$u")
    if [ "$bricks" -eq 16 ] && ! grep -q ' \* ' "$u" &&
       grep -q ' \* ' "$TMP/$name/mpsim_top_bitbrick.v"; then
        ok "rtl_bf_bricks_$name"
    else
        not_ok "rtl_bf_bricks_$name ($bricks bricks)"
    fi
done

# ---- bad configurations ---------------------------------------------------
expect_error rtl_bf_int_output_overflow "k-max: integer sums over k-max 8192 do not fit the int32 output" \
    "$MPSIM" rtl --pe bitfusion --act int16 --weight uint8 --group 0 \
    --no-scales --no-act-scale --k-max 8192 -o "$TMP/bad1"
expect_no_file rtl_bf_int_output_overflow_nofile "$TMP/bad1/files.f"
# per channel, K_MAX below the K a unit takes per cycle holds no tile
expect_error rtl_bf_kmax_below_step "k-max: a fusion unit takes 4 K values per cycle" \
    "$MPSIM" rtl --pe bitfusion --act int8 --weight int2 --group 0 --k-max 2 \
    -o "$TMP/bad3"
expect_no_file rtl_bf_kmax_below_step_nofile "$TMP/bad3/files.f"
expect_error rtl_bf_fp16_act "act: bitfusion does not support fp16" \
    "$MPSIM" rtl --pe bitfusion --act fp16 --weight int4 -o "$TMP/bad2"
