#!/usr/bin/env bash
# Co-simulation of the DSP48E2 chain packings beyond the INT8 pair of
# test_cosim.sh: one product per slice (INT4 activations), the INT4 2x2
# outer product with two cascade segments (exact borrow correction), and a
# chain longer than 64 slices (72 slices, 11 segments, 72 K per step), and
# N:M sparse selects with chain_len and N dividing neither way, an array
# of fewer rows than chain_len (a chain of the rows), and chains of 3 with
# groups of 16 / per-channel K that are no whole number of steps (the last
# fetch of a group masked, sparse sub-steps stopped early);
# bit for bit against the golden, cycle for cycle against the engine.  A
# pack-4 design with one borrow of the correction dropped, and a chain-3
# design whose partial fetch is not masked, must be caught.
# Builds are cached in $MPSIM_BUILD/cosim-cache.
source "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"
require_verilator cosim_dsp

# arch FILE ROWS COLS KEY=VALUE...: flightllm-u280 resized, pe: rewritten
arch() {
    local file=$1 rows=$2 cols=$3; shift 3
    preset_arch "$file" flightllm-u280 "$rows" "$cols" family=dsp-chain "$@"
}
# cosim_exact NAME ARGS...: exit 0, 0 mismatches, cycle_error exactly 0
cosim_exact() { cosim_check "$1" 0 "${@:2}"; }

# pack 1, INT4 activations x INT8 codes: M_TILE = 8/8 = 1, N_TILE = 2
arch "$TMP/p1.yaml" 8 2 act=int4 weights=int8 group_size=32 zeros=true \
    chain_len=8 pack_products=1
cosim_exact cosim_dsp_pack1_a4w8 --arch "$TMP/p1.yaml" --k-max 64 --tiles 4

# pack 4, INT4 x INT4: 16 slices = two segments of 8 (limit 15), a 2 x 2
# output tile per chain
arch "$TMP/p4.yaml" 16 1 act=int4 weights=int4 group_size=32 zeros=true \
    chain_len=16 pack_products=4
cosim_exact cosim_dsp_pack4_a4w4 --arch "$TMP/p4.yaml" --k-max 64 --tiles 4

# 72 slices of INT8 pairs (11 segments, lane limit 7), per channel
arch "$TMP/long.yaml" 72 1 act=int8 weights=int8 group_size=72 zeros=false \
    chain_len=72 pack_products=2
cosim_exact cosim_dsp_len72 --arch "$TMP/long.yaml" --k-max 144 --group 0 \
    --tiles 3

# N:M sparsity with chain_len 3 and N = 2 (lcm: 3 blocks over 2 steps per
# fetch); M = N: every code may be nonzero, so every compressor and
# activation select is exercised
arch "$TMP/sp.yaml" 3 2 act=int8 weights=int4 group_size=12 zeros=true \
    chain_len=3 pack_products=2 sparse_n=2 sparse_m=2
cosim_exact cosim_dsp_len3_sparse_2_2 --arch "$TMP/sp.yaml" --k-max 24 --tiles 3
# 2:4: the stimulus prunes each block of 4 codes along K to 2 nonzero ones
# (dense weights into the muxes mismatch)
arch "$TMP/sp24.yaml" 3 2 act=int8 weights=int4 group_size=16 zeros=true \
    chain_len=3 pack_products=2 sparse_n=2 sparse_m=4
cosim_exact cosim_dsp_len3_sparse_2_4 --arch "$TMP/sp24.yaml" --k-max 32 --tiles 5

# fewer rows than chain_len: chain_len 8 on 4 rows is one chain of 4
# slices (pack 4, M_TILE 2, N_TILE 2), the engine's pipeline without the
# fill of the 4 missing slices
arch "$TMP/short.yaml" 4 1 act=int4 weights=int4 group_size=16 zeros=true \
    chain_len=8 pack_products=4
cosim_exact cosim_dsp_rows4_len8 --arch "$TMP/short.yaml" --k-max 32 --tiles 4

# chain 3, groups of 16: 5 whole steps and one of 1 K per group
arch "$TMP/g16.yaml" 3 2 act=int8 weights=int4 group_size=16 zeros=true \
    chain_len=3 pack_products=2
cosim_exact cosim_dsp_len3_g16 --arch "$TMP/g16.yaml" --k-max 32 --tiles 4
# per channel: random K in 1..32, the tile's last step partial
cosim_exact cosim_dsp_len3_g0 --arch "$TMP/g16.yaml" --k-max 32 --group 0 \
    --tiles 5
# 2:2 sparse, chain 3: fetch 6 K over 2 sub-steps; a group of 8 ends with
# one block (2 slots) that stops after its first sub-step
arch "$TMP/sp8.yaml" 3 2 act=int8 weights=int4 group_size=8 zeros=true \
    chain_len=3 pack_products=2 sparse_n=2 sparse_m=2
cosim_exact cosim_dsp_len3_sparse_g8 --arch "$TMP/sp8.yaml" --k-max 24 \
    --tiles 3

# ---- chain 3, groups of 16, with the partial fetch's mask dropped -------
gen="$TMP/gen_g16"
"$MPSIM_FAST" rtl --arch "$TMP/g16.yaml" --k-max 32 -o "$gen" >/dev/null 2>&1
sed -i 's/ = kin_[0-9]* ? \(xmem\[[^]]*\]\) : 8.d0;/ = \1;/' "$gen/mpsim_top.v"
if grep -q 'kin_' "$gen/mpsim_top.v" && ! grep -q 'kin_1 ?' "$gen/mpsim_top.v"
then ok cosim_dsp_len3_g16_sed
else not_ok "cosim_dsp_len3_g16_sed (the generated fetch changed; update the sed)"; fi
"$MPSIM" cosim --cache "$CACHE" --rtl "$gen" --arch "$TMP/g16.yaml" --tiles 3 \
    --wave "$TMP/nomask.fst" >"$TMP/nomask.out" 2>"$TMP/nomask.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'mismatching results; first: tile' "$TMP/nomask.err"
then ok cosim_dsp_len3_g16_unmasked_fetch_caught
else not_ok "cosim_dsp_len3_g16_unmasked_fetch_caught (exit $rc: $(head -c 300 "$TMP/nomask.err"))"; fi

# ---- the pack-4 correction with lane 1's borrow dropped -----------------
gen="$TMP/gen_p4"
"$MPSIM_FAST" rtl --arch "$TMP/p4.yaml" --k-max 64 -o "$gen" >/dev/null 2>&1
sed -i 's/^\(    wire \[36:0\] r1_0 = p_7\[47:11\]\) + {36.d0, p_7\[10\]};/\1;/' \
    "$gen/mpsim_top_dsp_chain.v"
if grep -q 'wire \[36:0\] r1_0 = p_7\[47:11\];' "$gen/mpsim_top_dsp_chain.v"
then ok cosim_dsp_pack4_sed
else not_ok "cosim_dsp_pack4_sed (the generated correction changed; update the sed)"; fi
"$MPSIM" cosim --cache "$CACHE" --rtl "$gen" --arch "$TMP/p4.yaml" --tiles 3 \
    --wave "$TMP/p4.fst" \
    >"$TMP/broken.out" 2>"$TMP/broken.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'mismatching results; first: tile' "$TMP/broken.err"
then ok cosim_dsp_pack4_broken_borrow_caught
else not_ok "cosim_dsp_pack4_broken_borrow_caught (exit $rc: $(head -c 300 "$TMP/broken.err"))"; fi
