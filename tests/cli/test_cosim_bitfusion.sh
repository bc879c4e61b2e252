#!/usr/bin/env bash
# Co-simulation of the BitFusion generator beyond the preset point of
# tests/cli/test_cosim.sh (W4A8, zero points, G 32): four bricks per
# weight x activation split differently, bit for bit against the golden and
# cycle for cycle against the engine, and a BitBrick with a broken sign
# input caught.  Builds are cached in $MPSIM_BUILD/cosim-cache.
#   W2A8, G 32, zeros, 2x3: four products fused per cycle;
#   W8A16, G 16, zeros: 32 bricks, two cycles per MAC (sub-steps);
#   uint4 x int16 per channel, zeros, integer output: 2 products per step;
#   ternary x int8, G 6: the step halved to 2 products to divide G.
source "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"

# bf_cosim NAME RTL-OPTIONS...: generate, co-simulate 4 tiles: exit 0,
# 0 mismatches, cycle_error exactly 0.
bf_cosim() {
    local name=$1; shift
    local dir="$TMP/$name"
    if ! "$MPSIM_FAST" rtl --pe bitfusion "$@" -o "$dir" >/dev/null 2>"$TMP/$name.gen"; then
        not_ok "$name (generation failed: $(head -c 300 "$TMP/$name.gen"))"
        return
    fi
    cosim_check "$name" 0 --arch bitfusion --rtl "$dir" --tiles 4
}

bf_cosim cosim_bf_w2a8_z --act int8 --weight int2 --group 32 --zeros \
    --rows 2 --cols 3 --k-max 64
bf_cosim cosim_bf_w8a16_z --act int16 --weight int8 --group 16 --zeros \
    --rows 2 --cols 2 --k-max 32
bf_cosim cosim_bf_u4a16_pc_int --act int16 --weight uint4 --group 0 --zeros \
    --no-scales --no-act-scale --rows 2 --cols 2 --k-max 32
bf_cosim cosim_bf_tern_g6 --act int8 --weight ternary --group 6 \
    --no-act-scale --rows 1 --cols 3 --k-max 24

# ---- a BitBrick that ignores its activation's sign input ------------------
gen="$TMP/broken"
"$MPSIM_FAST" rtl --pe bitfusion --act int8 --weight int4 --group 16 \
    --rows 2 --cols 2 --k-max 32 -o "$gen" >/dev/null 2>&1
sed -i 's/{sa & a\[1\], a}/{1'"'"'b0, a}/' "$gen/mpsim_top_bitbrick.v"
if grep -q "{1'b0, a}" "$gen/mpsim_top_bitbrick.v"; then ok cosim_bf_broken_sed
else not_ok "cosim_bf_broken_sed (the generated BitBrick changed; update the sed)"; fi
"$MPSIM" cosim --cache "$CACHE" --rtl "$gen" --arch bitfusion --tiles 3 \
    --wave "$TMP/broken.fst" >"$TMP/broken.out" 2>"$TMP/broken.err"
rc=$?
if [ "$rc" -eq 1 ] && [ "$(wc -l <"$TMP/broken.err")" -eq 1 ] &&
   grep -q 'mismatching results; first: tile' "$TMP/broken.err"
then ok cosim_bf_broken_brick_caught
else not_ok "cosim_bf_broken_brick_caught (exit $rc: $(head -c 300 "$TMP/broken.err"))"; fi
