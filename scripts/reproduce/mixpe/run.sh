#!/usr/bin/env bash
# MixPE (arXiv 2411.16158) and its artifact (github.com/yuzhang712/mixpe_simulator,
# commit 7e0d42c) next to mpsim: OPT-6.7B and LLaMA-2-13B (the artifact's 4H-FFN
# variant, llama2-13b-4h.yaml) linear layers at batch 64, G = 128.
#
# Configurations (arch YAML built from the shipped presets into $OUT):
#   paper setting  mixpe-w4a8 with pe.pack_products 2 (64x64) and mixpe-w4a16
#                  with 4 (32x32): the artifact's int(P/p) products per PE
#   mpsim's own    the presets, one product per PE
#   iso-area       square MixPE arrays of the int8-mac (32x32) or fp16-mac
#                  (32x28) PE area, packing off and on
#   baselines      int8-mac, fp16-mac, bitfusion (W8A8) presets
# Traces: trace-MODEL-QUANT.yaml, made by
#   mpsim trace --model M --phase decode --seq 128 --batch 64 --quant Q
# keeping the weight GEMMs but the LM head (the artifact has neither attention
# nor LM head).  Artifact figures: artifact_layers.csv (its Simulator run per
# layer shape) and artifact_results.csv (its shipped results/mixpe_res.csv);
# paper figures in table.py.  Prints one table (table.py).
set -eu
BUILD=${1:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
MPSIM="$BUILD/mpsim"
OUT="$BUILD/reproduce/mixpe"
ARCH="$HERE/../../../sim/arch"
mkdir -p "$OUT"

# preset_with NAME PRESET ROWS COLS PACK: PRESET resized, pe.pack_products set
preset_with() {
    local why="# scripts/reproduce/mixpe/run.sh: $1"
    sed -e "s/^name: .*/name: $1/" -e "s|^  rows: .*|  rows: $3 $why|" \
        -e "s|^  cols: .*|  cols: $4 $why|" \
        -e "s|^  zeros: true .*|&\n  pack_products: $5 $why|" \
        "$ARCH/$2.yaml" >"$OUT/$1.yaml"
    grep -q "^  pack_products: $5" "$OUT/$1.yaml"
}

# pe_area ARCH: mm^2 of one PE
pe_area() {
    "$MPSIM" gemm --arch "$1" -M 64 -N 64 -K 128 --format json |
        awk -F'"pe_area_mm2": ' 'NF > 1 { split($2, a, ","); pa = a[1] }
            /"pes": / { sub(/.*"pes": /, ""); sub(/,.*/, ""); n = $0 }
            END { printf "%.12g\n", pa / n }'
}

# iso_side BASE_ARCH BASE_PES ARCH: side of the square array of ARCH's PEs
# whose PE area is at most BASE_PES of BASE_ARCH's
iso_side() {
    awk -v b="$(pe_area "$1")" -v n="$2" -v a="$(pe_area "$3")" \
        'BEGIN { printf "%d\n", int(sqrt(n * b / a)) }'
}

preset_with mixpe-w4a8-paper mixpe-w4a8 64 64 2
preset_with mixpe-w4a16-paper mixpe-w4a16 32 32 4
preset_with mixpe-w4a8-pack0 mixpe-w4a8 64 64 0
preset_with mixpe-w4a16-pack0 mixpe-w4a16 32 32 0
s=$(iso_side int8-mac 1024 "$OUT/mixpe-w4a8-pack0.yaml")
preset_with mixpe-w4a8-iso mixpe-w4a8 "$s" "$s" 0
s=$(iso_side int8-mac 1024 "$OUT/mixpe-w4a8-paper.yaml")
preset_with mixpe-w4a8-iso-paper mixpe-w4a8 "$s" "$s" 2
s=$(iso_side fp16-mac 896 "$OUT/mixpe-w4a16-pack0.yaml")
preset_with mixpe-w4a16-iso mixpe-w4a16 "$s" "$s" 0
s=$(iso_side fp16-mac 896 "$OUT/mixpe-w4a16-paper.yaml")
preset_with mixpe-w4a16-iso-paper mixpe-w4a16 "$s" "$s" 4

# design|arch|quant of its trace
designs="mixpe_w4a8_paper|$OUT/mixpe-w4a8-paper.yaml|w4a8g128-asym
mixpe_w4a8|mixpe-w4a8|w4a8g128-asym
mixpe_w4a8_iso|$OUT/mixpe-w4a8-iso.yaml|w4a8g128-asym
mixpe_w4a8_iso_paper|$OUT/mixpe-w4a8-iso-paper.yaml|w4a8g128-asym
int8|int8-mac|w8a8
bitfusion|bitfusion|w8a8
mixpe_w4a16_paper|$OUT/mixpe-w4a16-paper.yaml|w4a16g128-asym
mixpe_w4a16|mixpe-w4a16|w4a16g128-asym
mixpe_w4a16_iso|$OUT/mixpe-w4a16-iso.yaml|w4a16g128-asym
mixpe_w4a16_iso_paper|$OUT/mixpe-w4a16-iso-paper.yaml|w4a16g128-asym
fp16|fp16-mac|w4a16g128-asym"
for model in opt-6.7b llama2-13b-4h; do
    echo "$designs" | while IFS='|' read -r name arch quant; do
        "$MPSIM" run --arch "$arch" --workload "$HERE/trace-$model-$quant.yaml" \
            --format json -o "$OUT/$name-$model.json"
    done
done
python3 "$HERE/table.py" "$HERE" "$OUT"
