#!/usr/bin/env bash
# Pipelined edge units and PEs (pe.dequant_stages, pe.fma_stages,
# pe.scale_stages; docs/rtl.md, docs/model.md "Array timing"): bit for bit
# against the golden and cycle for cycle against the engine (cycle_error
# exactly 0)
#   int8-mac, dequant_stages 4 (the acc loop over 2 cycles), G 2: a column
#     finishes a group every other cycle, the closest the loop allows;
#     scale_stages 2 (read latency 2), Verilator and SystemC harness;
#   mixpe W4A16 (FP16 activations, the widest product), dequant_stages 6;
#   bitfusion (block-step top, units handed a column per cycle), 3;
#   fp16-mac, fma_stages 2 (the exact product registered), FP16 acc and
#     scale_stages 2 (the widening after the piped act_scale); FP16
#     weights (float output without scales) with scale_stages 2;
# a unit that writes its accumulator one stage early is caught, and so is
# a harness that reads the piped read port one cycle early; bad knob
# values are one line.  Builds are cached in $MPSIM_BUILD/cosim-cache.
source "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"
require_verilator cosim_pipeline

preset_arch "$TMP/i8.yaml" int8-mac 2 3 family=int8-mac weights=int8 \
    act=int8 group_size=2 zeros=true dequant_stages=4 scale_stages=2
cosim_check cosim_pipe_int8_dq4_g2 0 --arch "$TMP/i8.yaml" --k-max 16 --tiles 4
cosim_check cosim_pipe_int8_dq4_systemc 0 --arch "$TMP/i8.yaml" --k-max 16 \
    --tiles 3 --systemc

preset_arch "$TMP/w4a16.yaml" mixpe-w4a16 2 2 family=mixpe weights=int4 \
    act=fp16 group_size=8 zeros=true dequant_stages=6
cosim_check cosim_pipe_mixpe_fp16_dq6 0 --arch "$TMP/w4a16.yaml" --k-max 32 \
    --tiles 4

preset_arch "$TMP/bf.yaml" bitfusion 2 2 family=bitfusion weights=int4 \
    act=int8 group_size=16 zeros=true dequant_stages=3
cosim_check cosim_pipe_bitfusion_dq3 0 --arch "$TMP/bf.yaml" --k-max 32 \
    --tiles 4

preset_arch "$TMP/fp.yaml" fp16-mac 2 3 family=fp16-mac weights=int4 \
    act=fp16 acc=fp16 group_size=8 zeros=true fma_stages=2 scale_stages=2
cosim_check cosim_pipe_fp16_fma2 0 --arch "$TMP/fp.yaml" --k-max 32 --tiles 4
# FP16 weights: float output without scales, the piped read port still
preset_arch "$TMP/fpw.yaml" fp16-mac 2 2 family=fp16-mac weights=fp16 \
    act=fp16 zeros=false fma_stages=2 scale_stages=2
cosim_check cosim_pipe_fp16_weights_scale2 0 --arch "$TMP/fpw.yaml" \
    --k-max 16 --tiles 4

# ---- the accumulator written from the stage before the rounded sum ------
gen="$TMP/broken"
"$MP" rtl --arch "$TMP/i8.yaml" --rows 2 --cols 2 --k-max 16 --group 8 \
    -o "$gen" >/dev/null 2>&1
unit=$(grep -l 'gd_d3\[0\]) acc0 <= acc_new' "$gen"/*.v | head -1)
applied=0
if [ -n "$unit" ]; then
    sed -i 's/gd_d3\[0\]) acc0 <= acc_new/gd_d2[0]) acc0 <= acc_new/' "$unit"
    grep -q 'gd_d2\[0\]) acc0 <= acc_new' "$unit" && applied=1
fi
cosim_caught cosim_pipe_early_write_caught "$gen" "$applied"

# ---- the piped read port read with latency 1 (scale_stages dropped from
# params.json: the harness takes the read latency from the design) -------
gen="$TMP/early_read"
"$MP" rtl --arch "$TMP/i8.yaml" --rows 2 --cols 2 --k-max 16 --group 8 \
    -o "$gen" >/dev/null 2>&1
applied=0
if grep -q '"scale_stages": 2' "$gen/params.json"; then
    sed -i '/"scale_stages": 2,/d' "$gen/params.json"
    grep -q '"scale_stages"' "$gen/params.json" || applied=1
fi
cosim_caught cosim_pipe_early_read_caught "$gen" "$applied"

# ---- strict knobs: bad NAME REGEX FAMILY KEY=VALUE... (an int8-mac or
# fp16-mac preset's array, this pe: section) is one line from mpsim gemm
bad() {
    local name=$1 re=$2 family=$3; shift 3
    preset_arch "$TMP/$name.yaml" "$family" 2 2 family="$family" "$@"
    expect_error "$name" "$re" "$MP" gemm --arch "$TMP/$name.yaml" -M 8 -N 8 -K 64
}
I8=(weights=int8 act=int8)
bad pipe_dequant_stages_7 "pe.dequant_stages: must be in 0\.\.6, got 7" int8-mac "${I8[@]}" \
    group_size=32 dequant_stages=7
bad pipe_dequant_stages_4_g1 "dequant_stages: .*>= 2 steps" int8-mac "${I8[@]}" \
    group_size=1 dequant_stages=4
bad pipe_fma_stages_int8 "fma_stages: int8-mac has no 'fma_stages' knob" \
    int8-mac "${I8[@]}" group_size=32 fma_stages=2
bad pipe_dequant_stages_fp16 "dequant_stages: fp16-mac has no" fp16-mac \
    weights=int4 act=fp16 group_size=32 dequant_stages=2
bad pipe_scale_stages_3 "pe.scale_stages: must be in 0\.\.2, got 3" int8-mac "${I8[@]}" \
    group_size=32 scale_stages=3
