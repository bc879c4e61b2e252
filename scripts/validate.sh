#!/usr/bin/env bash
# Long validation runs (make validate): too slow for make test.
#   1. co-simulation of every PE family with a generator on larger arrays,
#      more tiles, and tiles shaped like LLaMA-2-7B layers;
#   2. SystemC memory sweeps: load stalls vs the simulator's memory timing;
#   3. full Yosys synthesis of every family (ASIC OSU 0.18 um and xcup),
#      and the xcup dequant unit reproduces xcup.yaml's fpga_dequant_unit_*;
#   4. area calibration (scripts/calibrate_area.sh) reproduces osu018.yaml;
#   5. timing calibration (scripts/calibrate_timing.sh: mpsim synth --timing
#      of every ASIC preset but the script's SKIP_FAMILIES, area-mapped and
#      --timing-driven) reproduces osu018-timing.yaml, every path it timed
#      exists in its netlist (scripts/check_sta_paths.sh), and its preset
#      table (scripts/timing_table.py) is docs/validation.md's;
#   6. gate-level energy: cosim --activity --gate of every ASIC family on
#      2x2 arrays, extreme, random and LLaMA-2-7B-shaped tiles, PE and edge
#      units (scripts/calibrate_energy.sh) reproduce osu018-energy.yaml;
#      then the probabilistic method on the same tiles and int8-mac and
#      fp16-mac (and lut-tc) without the cells' delays (--zero-delay), for
#      comparison, and the energy's dependence on zero points and N:M
#      sparsity (scripts/energy_data.sh).
#   7. the LUT TC reproduction's recorded data, when its sources are here:
#      MPSIM_NANGATE45_LIB (an uncompressed nangate45_typ.lib) reruns
#      scripts/reproduce/lut_tc/library.sh, MPSIM_HARDFLOAT_SRC (HardFloat
#      Release 1's source/) hardfloat.sh, and their data rows must equal
#      the recorded library.tsv / hardfloat.tsv; with the Nangate library
#      the timing calibration also runs on it, its paths are checked as in
#      step 5, and the second-library timing table (timing_table.py, both
#      runs) must be the docs'; unset,
#      the step says "skip" (neither source is kept in this repository).
# Every result goes to BUILD/validate/*.json|txt; the summary lists each run
# as "ok" / "FAIL" and the script exits 1 if any run failed.
set -u
BUILD=${1:-build}
MPSIM="$BUILD/mpsim"
OUT="$BUILD/validate"
CACHE="$BUILD/cosim-cache"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
mkdir -p "$OUT"
[ -x "$MPSIM" ] || { echo "validate: $MPSIM not built" >&2; exit 1; }
failed=0
summary=()

# record NAME CMD...: run, keep stdout/stderr, note the outcome.
record() {
    local name=$1; shift
    local t0=$SECONDS
    if "$@" >"$OUT/$name.out" 2>"$OUT/$name.err"; then
        summary+=("ok   $name ($((SECONDS - t0)) s)")
    else
        summary+=("FAIL $name ($((SECONDS - t0)) s): $(head -c 200 "$OUT/$name.err")")
        failed=$((failed + 1))
    fi
}

cosim() { "$MPSIM" cosim --cache "$CACHE" --format json --wave "$OUT/$1.fst" "${@:2}"; }

# ---- 1. co-simulation: 8x8 and 16x16 arrays, 24 tiles, workload tiles ---
LAYER=(--model llama2-7b --phase prefill --seq 128 --quant w4a8 --trace-layer 0)
# ENERGY_TILES, ENERGY_SHORT_TILES: the energy calibration's settings
. "$(dirname "$0")/calib_common.sh"
for preset in int8-mac mixpe-w4a8 fp16-mac; do
    for size in 8 16; do
        record "cosim-$preset-${size}x$size" cosim "cosim-$preset-$size" \
            --arch "$preset" --rows "$size" --cols "$size" --k-max 256 \
            --group 64 --tiles 24 "${LAYER[@]}"
    done
done
# DSP chain: rows are DSP48E2 slices along K (multiples of chain_len 16)
for cols in 4 16; do
    record "cosim-flightllm-u280-16x$cols" cosim "cosim-dsp-16x$cols" \
        --arch flightllm-u280 --rows 16 --cols "$cols" --k-max 256 \
        --group 64 --tiles 24 "${LAYER[@]}"
done
record cosim-lut-tc-w2a8-2x2 cosim cosim-lut-tc --arch lut-tc --act int8 \
    --rows 2 --cols 2 --k-max 256 --group 64 --tiles 16 "${LAYER[@]}"
record cosim-lut-tc-w1a8-2x2 cosim cosim-lut-tc-w1 --arch lut-tc --act int8 \
    --weight int1 --rows 2 --cols 2 --k-max 128 --group 32 --tiles 16

# ---- 2. SystemC: memory bandwidth and latency sweeps -------------------
# (--systemc sizes the generated load port to the bandwidth: 32 bits up to
# one int8 element a cycle, 64 at 2 and 8 B/cycle; docs/rtl.md "Load port
# width")
for bw in 0.25 0.5 1 2 8; do
    for lat in 0 100; do
        record "systemc-int8-mac-4x4-bw$bw-lat$lat" "$MPSIM" cosim \
            --cache "$CACHE" --format json --arch int8-mac --rows 4 --cols 4 \
            --k-max 128 --group 64 --tiles 6 --systemc --bw "$bw" \
            --latency "$lat"
    done
done
# the same 4x4 int8-mac at 8 B/cycle through the 32-bit port: what the
# one-element port costs
record systemc-int8-mac-4x4-bw8-port32 "$MPSIM" cosim --cache "$CACHE" \
    --format json --arch int8-mac --rows 4 --cols 4 --k-max 128 --group 64 \
    --tiles 6 --systemc --bw 8 --latency 0 --load-bits 32
record systemc-mixpe-w4a8-arch-memory "$MPSIM" cosim --cache "$CACHE" \
    --format json --arch mixpe-w4a8 --rows 4 --cols 4 --k-max 128 \
    --group 64 --tiles 6 --systemc
# every preset at its own DRAM bandwidth, sized port vs 32-bit port: the
# table of docs/validation.md "SystemC memory cross-check"
record systemc-ldport-table bash scripts/systemc_ldport.sh "$BUILD" \
    "$OUT/systemc-ldport"

# ---- 3. synthesis of every family (4x4; LUT TC: one M2N64K4 PE) --------
if bash scripts/get_osu018.sh "$BUILD" >"$OUT/liberty.txt" 2>&1; then
    LIB=(--liberty "$(tail -1 "$OUT/liberty.txt")")
else
    LIB=()
    summary+=("FAIL liberty: $(cat "$OUT/liberty.txt")")
    failed=$((failed + 1))
fi
synth() {
    local name=$1 target=$2; shift 2
    local extra=()
    [ "$target" = asic ] && extra=("${LIB[@]}")
    record "synth-$name-$target" "$MPSIM" synth --format json \
        --target "$target" "${extra[@]}" --workdir "$OUT/synth-$name-$target" "$@"
}
for target in asic xcup; do
    synth int8-mac "$target" --arch int8-mac --rows 4 --cols 4 --k-max 32 --group 32
    synth mixpe-w4a8 "$target" --arch mixpe-w4a8 --rows 4 --cols 4 --k-max 32 --group 32
    synth fp16-mac "$target" --arch fp16-mac --rows 4 --cols 4 --k-max 32 --group 32
    synth lut-tc-w2a8 "$target" --arch lut-tc --act int8 --rows 1 --cols 1 --k-max 32 --group 32
    # asic: the DSP48E2 slices from the behavioural model, as standard cells
    synth dsp-chain "$target" --arch flightllm-u280 --rows 16 --cols 4 --k-max 32 --group 32
done
synth int8-mac-16x16 asic --arch int8-mac --rows 16 --cols 16 --k-max 32 --group 32
# the xcup dequant unit: this run's deq_c4 subtree must be the table's
# fpga_dequant_unit_{dsp,lut,ff} (pe_models/tech/xcup.yaml cites it)
synth deq-unit xcup --arch flightllm-u280 --rows 4 --cols 4 --k-max 128 --group 128
deq_unit_matches() { # synth JSON, tech YAML
    python3 - "$1" "$2" <<'PYEOF'
import json, sys, yaml
mods = {m["name"]: m for m in json.load(open(sys.argv[1]))["modules"]}
unit = mods["mpsim_top_deq_c4"]
table = yaml.safe_load(open(sys.argv[2]))["constants"]
bad = [k for k in ("dsp", "lut", "ff")
       if unit["subtree_" + k] != table["fpga_dequant_unit_" + k]["value"]]
for k in bad:
    print("fpga_dequant_unit_%s: synth %d, table %g" % (
        k, unit["subtree_" + k], table["fpga_dequant_unit_" + k]["value"]),
        file=sys.stderr)
sys.exit(1 if bad else 0)
PYEOF
}
record xcup-dequant-unit-reproduces deq_unit_matches \
    "$OUT/synth-deq-unit-xcup.out" pe_models/tech/xcup.yaml

# ---- 4. area calibration: re-synthesize the primitives of osu018.yaml ---
# (about 15 s); the areas must reproduce the committed table exactly.
record calibrate-area bash scripts/calibrate_area.sh "$BUILD" --yaml "$OUT/osu018.yaml"
same_values() { # the committed table and the regenerated one: same values
    diff <(grep -o '^  [a-z0-9_]*: *{[^}]*value: [-0-9.e]*' "$1" | sed 's/{.*value:/=/') \
         <(grep -o '^  [a-z0-9_]*: *{[^}]*value: [-0-9.e]*' "$2" | sed 's/{.*value:/=/')
}
record calibrate-area-reproduces same_values pe_models/tech/osu018.yaml "$OUT/osu018.yaml"

# ---- 5. timing calibration: OpenSTA on every ASIC preset's design ------
# (two Yosys runs per preset at 2x2, area-mapped and timing-driven: about
# an hour, most of it the three lut-tc presets); the critical paths
# must reproduce the committed table exactly.  Families in the script's
# SKIP_FAMILIES (synthesis does not finish in reasonable time) are skipped
# there, so neither table has them; the summary lists them.
record calibrate-timing bash scripts/calibrate_timing.sh "$BUILD" --yaml "$OUT/osu018-timing.yaml"
while read -r line; do summary+=("     $line"); done \
    < <(grep '^calibrate_timing: skipped' "$OUT/calibrate-timing.err")
record calibrate-timing-reproduces same_values pe_models/tech/osu018-timing.yaml "$OUT/osu018-timing.yaml"
# every timed path exists in its netlist (OpenSTA read it right; Yosys
# ltp on every timed module, about half an hour, most of it lut-tc's)
record sta-paths bash scripts/check_sta_paths.sh "$BUILD/calib-timing" \
    "$(bash scripts/get_osu018.sh "$BUILD")"
# the preset table of docs/validation.md "Timing" from the same run
record timing-table python3 scripts/timing_table.py "$MPSIM" "$BUILD/calib-timing"
record timing-table-in-docs bash scripts/doc_rows.sh "$OUT/timing-table.out"

# ---- 6. gate-level energy: PE per MAC, edge units per dequant op -------
# The calibrated families through scripts/calibrate_energy.sh (gate-level
# simulation of the PE and the edge units, one preset per family and
# format; its activity reports stay in BUILD/calib-energy-gate/); the
# committed osu018-energy.yaml must be reproduced exactly.  Then, for
# docs/validation.md's comparison of methods: the same tiles by the
# probabilistic method (calibrate_energy.sh --probabilistic, and fp16-mac
# and lut-tc alone, which it skips) and int8-mac and fp16-mac by
# gate-level simulation without the cells' delays (--zero-delay).
record calibrate-energy bash scripts/calibrate_energy.sh "$BUILD" --yaml "$OUT/osu018-energy.yaml"
while read -r line; do summary+=("     $line"); done \
    < <(grep '^calibrate_energy: skipped' "$OUT/calibrate-energy.err")
record calibrate-energy-reproduces same_values pe_models/tech/osu018-energy.yaml "$OUT/osu018-energy.yaml"
record energy-probabilistic bash scripts/calibrate_energy.sh "$BUILD" \
    --probabilistic --work "$OUT/calib-energy-prob"
record energy-fp16-mac "$MPSIM" cosim --cache "$CACHE" --arch fp16-mac \
    "${ENERGY_TILES[@]}" \
    --activity "$OUT/energy-fp16-mac.txt"
# (2x2 at least: the PE is the module instantiated rows x cols times)
record energy-lut-tc "$MPSIM" cosim --cache "$CACHE" --arch lut-tc --act int8 \
    "${ENERGY_TILES[@]}" \
    --activity "$OUT/energy-lut-tc.txt"
# gate-level without the cells' delays (functional toggles, no glitches):
# int8-mac, where the probabilistic method holds, and fp16-mac, where it
# does not
for p in int8-mac fp16-mac; do
    record energy-gate-zero-$p "$MPSIM" cosim --cache "$CACHE" --arch $p \
        "${ENERGY_TILES[@]}" \
        --activity "$OUT/energy-gate-zero-$p.txt" --gate --zero-delay
done
# lut-tc the same, at its calibration settings (calibrate_energy.sh's
# SHORT_TILES): the glitch factor docs/validation.md gives for its entry
record energy-gate-zero-lut-tc "$MPSIM" cosim --cache "$CACHE" --arch lut-tc \
    "${ENERGY_SHORT_TILES[@]}" \
    --activity "$OUT/energy-gate-zero-lut-tc.txt" --gate --zero-delay
# the data's share: zero points and N:M weight sparsity, gate-level
# (scripts/energy_data.sh; its table is docs/validation.md's)
record energy-data bash scripts/energy_data.sh "$BUILD" --work "$OUT/energy-data"
record energy-data-in-docs bash scripts/doc_rows.sh "$OUT/energy-data.out"

# ---- 7. the recorded second-library and HardFloat figures --------------
data_rows() { diff <(grep -v '^#' "$1") <(grep -v '^#' "$2") >&2; }
LUT_TC=scripts/reproduce/lut_tc
if [ -n "${MPSIM_NANGATE45_LIB:-}" ]; then
    record library-tsv bash "$LUT_TC/library.sh" -o "$OUT/library.tsv" \
        "$MPSIM_NANGATE45_LIB" 45 "make validate rerun" "$BUILD"
    record library-tsv-reproduces data_rows "$LUT_TC/library.tsv" "$OUT/library.tsv"
    # the second-library timing table of docs/validation.md "Timing on a
    # second library": every preset on Nangate (another hour), beside
    # step 5's OSU run
    record calibrate-timing-nangate45 bash scripts/calibrate_timing.sh "$BUILD" \
        --liberty "$MPSIM_NANGATE45_LIB" --liberty-node 45
    record sta-paths-nangate45 bash scripts/check_sta_paths.sh \
        "$BUILD/calib-timing-$(basename "$MPSIM_NANGATE45_LIB" .lib)" \
        "$MPSIM_NANGATE45_LIB"
    record timing-table-nangate45 python3 scripts/timing_table.py "$MPSIM" \
        "$BUILD/calib-timing" \
        "$BUILD/calib-timing-$(basename "$MPSIM_NANGATE45_LIB" .lib)" 45:1.1
    record timing-table-nangate45-in-docs bash scripts/doc_rows.sh \
        "$OUT/timing-table-nangate45.out"
else
    summary+=("skip library-tsv (MPSIM_NANGATE45_LIB not set)")
fi
if [ -n "${MPSIM_HARDFLOAT_SRC:-}" ] && [ -n "${MPSIM_NANGATE45_LIB:-}" ]; then
    record hardfloat-tsv bash "$LUT_TC/hardfloat.sh" -o "$OUT/hardfloat.tsv" \
        "$MPSIM_HARDFLOAT_SRC" "make validate rerun" "$BUILD" \
        "$MPSIM_NANGATE45_LIB" 45
    record hardfloat-tsv-reproduces data_rows "$LUT_TC/hardfloat.tsv" "$OUT/hardfloat.tsv"
else
    summary+=("skip hardfloat-tsv (MPSIM_HARDFLOAT_SRC and MPSIM_NANGATE45_LIB not both set)")
fi

echo "== validate summary (details in $OUT)"
printf '%s\n' "${summary[@]}"
echo "validate: $failed failed"
[ "$failed" -eq 0 ]
