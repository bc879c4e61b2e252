#!/usr/bin/env bash
# The SystemC memory cross-check at each architecture's own DRAM bandwidth
# and latency (docs/validation.md, "SystemC memory cross-check"):
#
#   bash scripts/systemc_ldport.sh [BUILD [OUTDIR]]
#
# For every preset with a generator, `mpsim cosim --systemc` twice: with
# the load port sized to the memory (the default with --systemc: the
# smallest multiple of 32 bits >= 8 x bytes/cycle, at most 2048) and with
# the 32-bit one-element port.  Prints a Markdown table of measured (load +
# compute cycles in the SystemC testbench) against predicted (memory model
# + engine) and keeps each JSON report in OUTDIR.  Exit 1 if a run fails
# or mismatches.
set -u
BUILD=${1:-build}
OUT=${2:-$BUILD/validate/systemc-ldport}
MPSIM="$BUILD/mpsim"
CACHE="$BUILD/cosim-cache"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
mkdir -p "$OUT"
[ -x "$MPSIM" ] || { echo "systemc_ldport: $MPSIM not built" >&2; exit 1; }

# preset|array and tile options (tiles as in tests/cli/test_cosim.sh)
points=(
    "int8-mac|--rows 4 --cols 4 --k-max 128 --group 32"
    "mixpe-w4a8|--rows 4 --cols 4 --k-max 128 --group 32"
    "mixpe-w4a16|--rows 4 --cols 4 --k-max 128 --group 32"
    "fp16-mac|--rows 4 --cols 4 --k-max 128 --group 32"
    "bitfusion|--rows 4 --cols 4 --k-max 128 --group 32"
    "lut-tc|--rows 1 --cols 1 --k-max 128 --group 32"
    "flightllm-u280|--rows 16 --cols 4 --k-max 128 --group 32"
)
num() { sed -n "s/.*\"$2\": \([-0-9.e+]*\)[,}].*/\1/p" "$1" | head -1; }

failed=0
echo "| preset | memory (B/cycle, latency) | load_bits | measured | predicted | ratio | ratio, 32-bit port |"
echo "|---|---|---|---|---|---|---|"
for point in "${points[@]}"; do
    preset=${point%%|*}
    read -r -a opts <<<"${point#*|}"
    row="| $preset"
    for port in auto 32; do
        extra=()
        [ "$port" = 32 ] && extra=(--load-bits 32)
        f="$OUT/$preset-$port.json"
        if ! "$MPSIM" cosim --cache "$CACHE" --format json --arch "$preset" \
            --wave "$OUT/$preset-$port.fst" \
            "${opts[@]}" --tiles 6 --systemc "${extra[@]}" >"$f" 2>"$f.err" ||
            [ "$(num "$f" mismatches)" != 0 ]; then
            echo "systemc_ldport: $preset ($port): $(head -c 200 "$f.err")" >&2
            failed=1
            row="$row | failed"
            continue
        fi
        if [ "$port" = auto ]; then
            row="$row | $(num "$f" bytes_per_cycle), $(num "$f" latency_cycles)"
            row="$row | $(num "$f" load_bits) | $(num "$f" measured_cycles)"
            row="$row | $(num "$f" predicted_cycles) | $(num "$f" ratio)"
        else
            row="$row | $(num "$f" ratio)"
        fi
    done
    echo "$row |"
done
exit $failed
