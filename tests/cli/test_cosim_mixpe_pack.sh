#!/usr/bin/env bash
# MixPE operand packing (pe.pack_products L: L shift&add lanes per PE share
# the activation; docs/model.md, docs/rtl.md): the MixPE artifact's W4A8
# setting (L = 2), an FP16 PE with four int4 lanes, int2 codes at L = 3
# with groups of 2 (several dequant units per lane), all bit for bit
# against the golden and cycle for cycle against the engine; lint of the
# packed top (integer output too); a lane wired to its neighbour's weight
# must be caught; a packing that does not fit the operand is one line.
# Builds are cached in $MPSIM_BUILD/cosim-cache.
source "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"
require_verilator cosim_mixpe_pack

# arch FILE PRESET ROWS COLS KEY=VALUE...: PRESET resized, pe: rewritten
arch() {
    local file=$1 preset=$2 rows=$3 cols=$4; shift 4
    preset_arch "$file" "$preset" "$rows" "$cols" family=mixpe "$@"
}
cosim_exact() { cosim_check "$1" 0 "${@:2}"; }

arch "$TMP/w4a8.yaml" mixpe-w4a8 2 2 weights=int4 act=int8 group_size=32 \
    zeros=true pack_products=2
cosim_exact cosim_mixpe_pack2_w4a8 --arch "$TMP/w4a8.yaml" --k-max 64 --tiles 4
if grep -q 'tile 2x4' <("$MP" cosim --cache "$CACHE" --arch "$TMP/w4a8.yaml" \
                         --k-max 64 --tiles 1 2>/dev/null); then
    ok cosim_mixpe_pack2_tile_2x4
else
    not_ok "cosim_mixpe_pack2_tile_2x4 (a 2x2 array of 2 lanes is no 2x4 tile)"
fi

arch "$TMP/w4a16.yaml" mixpe-w4a16 3 5 weights=uint4 act=fp16 group_size=4 \
    zeros=true pack_products=4
cosim_exact cosim_mixpe_pack4_w4a16 --arch "$TMP/w4a16.yaml" --k-max 16 --tiles 3

arch "$TMP/w2.yaml" mixpe-w4a8 3 2 weights=int2 act=int8 group_size=2 \
    zeros=true pack_products=3
cosim_exact cosim_mixpe_pack3_w2_g2 --arch "$TMP/w2.yaml" --k-max 16 --tiles 3

arch "$TMP/t.yaml" mixpe-w4a8 2 3 weights=ternary act=int8 group_size=8 \
    zeros=false pack_products=4
lint_rtl mixpe_pack4_ternary_int_out --arch "$TMP/t.yaml" --k-max 16 \
    --group 0 --no-scales --no-act-scale
lint_rtl mixpe_pack2_w4a8 --arch "$TMP/w4a8.yaml" --k-max 64 --group 32

# lane 1 of PE(0,0) fed lane 0's weight: the golden must see it
"$MP" rtl --arch "$TMP/w4a8.yaml" --k-max 64 --group 32 -o "$TMP/broken" \
    >/dev/null 2>&1
sed -i 's/\.w(w_r0_c1),/.w(w_r0_c0),/' "$TMP/broken/mpsim_top.v"
# tiles 0..2 are extreme (equal codes in every column), 3.. random
applied=0
grep -q 'u_pe_r0_c1 (' "$TMP/broken/mpsim_top.v" &&
   [ "$(grep -c '\.w(w_r0_c0),' "$TMP/broken/mpsim_top.v")" -eq 2 ] && applied=1
cosim_caught cosim_mixpe_pack_broken_lane_caught "$TMP/broken" "$applied"

# int4 codes into an 8-bit operand: at most 2; int8 codes: 1
arch "$TMP/bad.yaml" mixpe-w4a8 2 2 weights=int4 act=int8 group_size=32 \
    pack_products=3
expect_error mixpe_pack3_w4a8_rejected \
    "pack_products: mixpe packs 1..2 4-bit codes into its 8-bit weight operand" \
    "$MP" gemm --arch "$TMP/bad.yaml" -M 64 -N 64 -K 64
arch "$TMP/bad8.yaml" mixpe-w4a8 2 2 weights=int8 act=int8 group_size=32 \
    pack_products=2
expect_error mixpe_pack2_w8a8_rejected "pack_products: .*not 2" \
    "$MP" rtl --arch "$TMP/bad8.yaml" -o "$TMP/bad8"
expect_no_file mixpe_pack2_w8a8_no_output "$TMP/bad8/files.f"
arch "$TMP/bad9.yaml" mixpe-w4a8 2 2 weights=int1 act=int8 pack_products=9
expect_error mixpe_pack9_out_of_range "pack_products" \
    "$MP" gemm --arch "$TMP/bad9.yaml" -M 64 -N 64 -K 64
