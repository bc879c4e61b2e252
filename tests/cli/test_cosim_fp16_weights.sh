#!/usr/bin/env bash
# FP16 weights on fp16-mac (the FP16 GEMM of a GPU tensor core: weights
# as they are, no scales, no dequant unit; docs/model.md, docs/rtl.md):
# generated, linted and co-simulated bit for bit against the golden and
# cycle for cycle against the engine, with FP32 and FP16 accumulators, with
# and without a per-token scale, on workload-shaped tiles; the W buffer
# feeding a column its neighbour's weight must be caught; FP16 weights
# with scales, zero points or BF16 activations are one-line errors.
# Builds are cached in $MPSIM_BUILD/cosim-cache.
source "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"
require_verilator cosim_fp16_weights

cosim_exact() { cosim_check "$1" 0 "${@:2}"; }

preset_arch "$TMP/f.yaml" a100-fp16 2 3 family=fp16-mac weights=fp16 \
    act=fp16 group_size=128 zeros=false acc=fp32
cosim_exact cosim_fp16w_fp32acc --arch "$TMP/f.yaml" --k-max 16 --tiles 8 \
    --trace-layer 1 --model bitnet-b1.58-3b --phase decode --seq 64 \
    --quant w16a16
preset_arch "$TMP/h.yaml" a100-fp16 3 2 family=fp16-mac weights=fp16 \
    act=fp16 group_size=128 zeros=false acc=fp16
cosim_exact cosim_fp16w_fp16acc --arch "$TMP/h.yaml" --k-max 8 --tiles 6
lint_rtl fp16w_no_act_scale --arch "$TMP/f.yaml" --k-max 8 --no-act-scale
lint_rtl fp16w_fp16acc --arch "$TMP/h.yaml" --k-max 8

# column 1 fed column 0's weight: the golden must see it
"$MP" rtl --arch "$TMP/f.yaml" --k-max 16 -o "$TMP/broken" >/dev/null 2>&1
sed -i 's/\.w(w_r0_c1),/.w(w_r0_c0),/' "$TMP/broken/mpsim_top.v"
applied=0
[ "$(grep -c '\.w(w_r0_c0),' "$TMP/broken/mpsim_top.v")" -eq 2 ] && applied=1
cosim_caught cosim_fp16w_broken_column_caught "$TMP/broken" "$applied"

# no dequant unit in the FP16-weight top; there is one with INT4 codes
"$MP" rtl --arch "$TMP/f.yaml" --k-max 8 -o "$TMP/nodeq" >/dev/null 2>&1
"$MP" rtl --arch "$TMP/f.yaml" --weight int4 --k-max 8 --group 4 \
    -o "$TMP/deq" >/dev/null 2>&1
if ! grep -q 'u_wdeq_c' "$TMP/nodeq/mpsim_top.v" &&
   grep -q 'u_wdeq_c' "$TMP/deq/mpsim_top.v"; then
    ok rtl_fp16w_no_dequant_unit
else
    not_ok "rtl_fp16w_no_dequant_unit"
fi

preset_arch "$TMP/b.yaml" a100-fp16 2 2 family=fp16-mac weights=fp16 \
    act=bf16 group_size=128 zeros=false
expect_error fp16w_bf16_rejected \
    "act: fp16-mac runs fp16 weights with fp16 activations, not bf16" \
    "$MP" rtl --arch "$TMP/b.yaml" -o "$TMP/bad1"
expect_no_file fp16w_bf16_no_output "$TMP/bad1/files.f"
preset_arch "$TMP/z.yaml" a100-fp16 2 2 family=fp16-mac weights=fp16 \
    act=fp16 group_size=128 zeros=true
expect_error fp16w_zeros_rejected "zeros: fp16 weights have no zero points" \
    "$MP" gemm --arch "$TMP/z.yaml" -M 8 -N 8 -K 8
expect_error fp16w_quant_group_rejected "w16.* have no group scales" \
    "$MP" trace --model bitnet-b1.58-3b --phase decode --seq 8 \
    --quant w16a16g128
