#!/usr/bin/env bash
# energy_data.sh - how gate-level energy depends on the data: zero points
# and N:M weight sparsity, next to the tile kinds (random, extreme, trace)
# every activity report already separates.
#     bash scripts/energy_data.sh [BUILD] [--work DIR]
# Runs `mpsim cosim --activity --gate` (the committed table's method,
# docs/validation.md "Gate-level simulation") on preset variants that
# differ from their preset in one data property only, at one setting for
# all (2x2, K_MAX 16, G 16, 11 tiles: 3 extreme, 4 random and 4 LLaMA-2-7B
# layer-0 tiles), and prints one table row per variant and tile kind: the
# PE's pJ per MAC and the edge units' pJ per dequantization op (all their
# energy over the ops), each also over its preset's figure on the same
# kind.  The variants (VARIANTS below, "name preset yaml-edit"):
#   int8-mac, mixpe-w4a8 without zero points (`zeros: false`: the
#     zero-point subtraction and its activation sums idle);
#   flightllm-u280 (dsp-chain) with 8:16 and 4:16 sparse weights
#     (`sparse_n`/`sparse_m`: the harness keeps at most N nonzero codes in
#     every M, sim/cosim/cosim_stim.c, and the PE's muxes pick them).
# make validate (step 6) runs it; docs/validation.md holds its table.
CALIB_OPTS="--work:WORK"
. "$(dirname "$0")/calib_common.sh"
calib_args "$@"
calib_setup energy_data yosys sta verilator iverilog vvp
WORK=${WORK:-$BUILD/energy-data}
mkdir -p "$WORK"
TILES=(--rows 2 --cols 2 --k-max 16 --group 16 --tiles 11 --model llama2-7b
       --phase prefill --seq 128 --quant w4a8 --trace-layer 0)
VARIANTS=(
    "int8-mac int8-mac -"
    "int8-mac-nozeros int8-mac s/^  zeros: true/  zeros: false/"
    "mixpe-w4a8 mixpe-w4a8 -"
    "mixpe-w4a8-nozeros mixpe-w4a8 s/^  zeros: true/  zeros: false/"
    "flightllm-u280 flightllm-u280 -"
    "flightllm-u280-8of16 flightllm-u280 /^  family:/a\\  sparse_n: 8\\n  sparse_m: 16"
    "flightllm-u280-4of16 flightllm-u280 /^  family:/a\\  sparse_n: 4\\n  sparse_m: 16"
)

# measure NAME PRESET EDIT: the variant's activity report, WORK/NAME.txt
measure() {
    local name=$1 preset=$2 edit=$3 arch="$HERE/sim/arch/$2.yaml"
    if [ "$edit" != - ]; then
        arch="$WORK/$name.yaml"
        sed -e "$edit" "$HERE/sim/arch/$preset.yaml" >"$arch"
        cmp -s "$arch" "$HERE/sim/arch/$preset.yaml" &&
            calib_die "$name: the edit '$edit' changed nothing in $preset.yaml"
    fi
    calib_activity "$WORK/$name" "$arch" "${TILES[@]}" --gate
}

for v in "${VARIANTS[@]}"; do
    read -r name preset edit <<<"$v"
    measure "$name" "$preset" "$edit"
done

echo "| variant | kind | PE pJ/MAC | / preset | edge pJ/op | / preset |"
echo "|---|---|---|---|---|---|"
for v in "${VARIANTS[@]}"; do
    read -r name preset _ <<<"$v"
    awk -v name="$name" '
        function r(a, b) { return b > 0 ? sprintf("%.2f", a / b) : "n/a" }
        FNR == 1 { f++ }
        $1 == "energy" { pe[f, $2] = $6 }
        $1 == "edge" { ed[f, $2] = $6 }
        END { n = split("random extreme trace", k, " ")
              for (i = 1; i <= n; i++)
                  printf "| %s | %s | %.2f | %s | %.2f | %s |\n", name, k[i],
                         pe[2, k[i]], r(pe[2, k[i]], pe[1, k[i]]),
                         ed[2, k[i]], r(ed[2, k[i]], ed[1, k[i]]) }' \
        "$WORK/$preset.txt" "$WORK/$name.txt"
done
