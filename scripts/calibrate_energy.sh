#!/usr/bin/env bash
# calibrate_energy.sh - gate-level energy per MAC of every PE family at
# 180 nm with `mpsim cosim --activity` (Verilator toggle counts of the PE's
# ports on co-simulated tiles, Yosys 0.23 + OSU 0.18 um, OpenSTA
# report_power; docs/validation.md "Energy from switching activity"), one
# preset per family and activation format, on a 2x2 array with K_MAX 64,
# G 64 and 12 tiles: 3 extreme, then random and LLaMA-2-7B layer-0 (trace)
# tiles alternating.
# dsp-chain (the FPGA presets) is measured on its DSP48E2 slices
# synthesized from the behavioural model: the chain's arithmetic as
# standard cells, not the FPGA's silicon (docs/validation.md).
#
# usage: scripts/calibrate_energy.sh [BUILD] [--yaml FILE] [--results FILE]
#                                    [--only PRESET] [--quick] [--work DIR]
#                                    [--gate]
#   BUILD     build dir holding mpsim (default build); work files go to
#             BUILD/calib-energy/ (one activity report per preset,
#             results.txt); the Verilator builds are cached in
#             BUILD/cosim-cache.
#   --results write the table from the lines of an earlier run's
#             results.txt instead of measuring.
#   --yaml    also write the table pe_models/tech/osu018-energy.yaml (that
#             file is this output, committed; `make validate` regenerates
#             it into BUILD/validate/ and compares).
#   --only    measure that preset alone; --quick: K_MAX 16, G 16, 5 tiles
#             (the end-to-end check of `make test`, tests/cli/test_energy.sh;
#             not the table's settings); --work: work files there instead.
#   --gate    the method: `cosim --activity --gate` (iverilog gate-level
#             simulation of the PE netlist on the same tiles, every cell at
#             its measured output toggle rate, glitches included;
#             docs/validation.md "Gate-level simulation") instead of
#             OpenSTA's probabilistic propagation from the PE's ports; work
#             files in BUILD/calib-energy-gate/; fp16-mac is measured too.
# Prints one line per preset:
#   "preset family act trace_pj random_pj extreme_pj model_pj"
# and with --yaml the rows of docs/validation.md's table (entry, trace,
# random, extreme and model pJ/MAC, trace/model, random/model).
# (pJ per MAC of one PE at 180 nm / 1.8 V; model: the family's cost() on
# the osu018 table at activity 1, 0 for dsp-chain, which has no ASIC model:
# its PE is a DSP48E2 slice, synthesized from the behavioural model as
# standard cells, the chain's arithmetic and not the FPGA's silicon).
# The table keys each entry like osu018-timing.yaml: FAMILY_ACT_pe_pj_per_mac (trace tiles) and
# FAMILY_pe_pj_per_mac (the family's costliest format: the fallback for
# formats never measured); `mpsim run` uses them with `pe.energy:
# gate-level` (sim/energy_cal.h).
set -eu
# --quick takes no value: taken out before calib_args
QUICK= GATE=
args=()
for a in "$@"; do
    case "$a" in
        --quick) QUICK=1 ;;
        --gate) GATE=--gate ;;
        *) args+=("$a") ;;
    esac
done
CALIB_OPTS="--results:FROM --only:ONLY --work:WORK"
. "$(dirname "$0")/calib_common.sh"
calib_args "${args[@]}"
calib_setup calibrate_energy yosys sta verilator ${GATE:+iverilog vvp}

# Families not calibrated (said on stderr, no entry: the model's energy
# stays in use for them, and reports say "model").
#   lut-tc:   its 2x2 synthesis does not finish in reasonable time
#             (scripts/calibrate_timing.sh SKIP_FAMILIES).
#   fp16-mac: OpenSTA's probabilistic activity propagation through the
#             PE's 146-level FP16 multiply + FP32 add compounds on
#             reconvergent paths (4-11x the model, docs/validation.md):
#             not a figure to calibrate with; it needs a gate-level
#             simulation.
#   dsp-chain: the same through the DSP48E2 model's 27x18 multiply and
#             48-bit ALU: 3,669-3,678 pJ/MAC on every tile kind (quick
#             settings), 8-19x the gate-level simulation's 198-439
#             (docs/validation.md, "dsp-chain").
SKIP_FAMILIES="lut-tc fp16-mac dsp-chain"
# the gate-level method has no propagation to compound: fp16-mac and
# dsp-chain measured
[ -n "$GATE" ] && SKIP_FAMILIES="lut-tc"
METHOD="# (Verilator toggle counts of the PE's ports on the co-simulated tiles,
# Yosys 0.23 area-mapped netlist, OpenSTA 0~20191111 report_power of the
# PE module"
[ -n "$GATE" ] && METHOD="# (iverilog gate-level simulation of the PE's Yosys 0.23 area-mapped
# netlist with the OSU018 cell models' delays, fed the PE inputs of the
# co-simulated tiles; every cell's OpenSTA 0~20191111 power at its own
# measured output toggle rate"
# the tiles: the co-simulation settings of `make validate` step 6
TILES=(--rows 2 --cols 2 --k-max 64 --group 64 --tiles 12 --model llama2-7b
       --phase prefill --seq 128 --quant w4a8 --trace-layer 0)
[ -n "$QUICK" ] && TILES=(--rows 2 --cols 2 --k-max 16 --group 16 --tiles 5
                          --model llama2-7b --phase prefill --seq 128
                          --quant w4a8 --trace-layer 0)
WORK=${WORK:-$BUILD/calib-energy${GATE:+-gate}}
if calib_results "$WORK" results.txt "$FROM" --results \
    "preset family act trace_pj random_pj extreme_pj model_pj"; then
# one preset per family and format: the preset named as its family first,
# then file name order
calib_asic_presets | awk '{ print ($1 != $2), $0 }' | sort -k1,1n -k2,2 |
while read -r _ preset family act; do
    case " $SKIP_FAMILIES " in
        *" $family "*) [ -n "$ONLY" ] || echo "calibrate_energy: skipped $preset: family $family in SKIP_FAMILIES" >&2
                       continue ;;
    esac
    [ -n "$ONLY" ] && [ "$preset" != "$ONLY" ] && continue
    grep -q "^[^ ]* $family $act " "$RESULTS" && continue
    out="$WORK/$preset.txt"
    nice "$MPSIM" cosim --cache "$BUILD/cosim-cache" --arch "$preset" "${TILES[@]}" \
        --liberty "$LIB" --activity "$out" $GATE </dev/null >"$WORK/$preset.out" 2>"$WORK/$preset.err" ||
        calib_die "cosim --activity failed on $preset: $(head -c 300 "$WORK/$preset.err")"
    awk -v p="$preset" -v f="$family" -v c="$act" '
        $1 == "model" { model = $4 }
        $1 == "energy" { e[$2] = $6 }
        END { if (!(e["trace"] > 0 && e["random"] > 0 && model >= 0)) exit 1
              printf "%s %s %s %.4f %.4f %.4f %.4f\n", p, f, c, e["trace"],
                     e["random"], e["extreme"], model }' "$out" | tee -a "$RESULTS"
    [ "${PIPESTATUS[0]}" = 0 ] || calib_die "$out: no trace/random energy or model line"
done
[ -s "$RESULTS" ] || calib_die "no preset measured${ONLY:+ (--only $ONLY: no such preset, or its family is skipped)}"
fi

[ -n "$YAML" ] || exit 0
DATE=$(date -u +%Y-%m-%d)
CMD="mpsim cosim --arch PRESET ${TILES[*]} --activity FILE${GATE:+ --gate}"
{
    cat <<HDR
# osu018-energy - gate-level dynamic energy per MAC of one PE at 180 nm,
# OSU 0.18 um standard cells at 1.8 V (typical corner of the liberty),
# measured by scripts/calibrate_energy.sh (do not edit by hand: rerun it;
# docs/validation.md "Energy from switching activity"):
#   $CMD
$METHOD: (internal + switching) x period x PEs x compute cycles / MACs).
# KEY_pe_pj_per_mac is the figure on the trace tiles (LLaMA-2-7B layer 0
# shapes with its W4A8-quantized weights); the note gives the random and
# extreme tiles' figures and the model's (cost() on osu018 at activity 1)
# for comparison.  KEY is FAMILY_ACT (the first preset of that family and
# activation format: the one named as its family, else by file name) or
# FAMILY (the family's costliest: the fallback for formats not measured).
# \`mpsim run\` with \`pe.energy: gate-level\` takes FAMILY_ACT, else FAMILY,
# and scales it to the arch's node with the Stillmaker & Baas energy fit
# (sim/energy_cal.h).  Not calibrated (the model's energy stays):
# $SKIP_FAMILIES.
name: osu018-energy
node_nm: 180
vdd: 1.8
fpga: false
description: "180 nm, 1.8 V: gate-level PE energy per MAC of each family (${GATE:+iverilog gate-level simulation, }Verilator toggles + Yosys + OSU 0.18 um + OpenSTA report_power)"
constants:
HDR
    # FAMILY_ACT: one preset each; FAMILY: the costliest of the family
    sort -k4,4gr "$RESULTS" | awk '{ print $0, $2 "_" $3 }
                                    !fam[$2]++ { print $0, $2 }' | sort -k8,8 |
    while read -r preset family act trace random extreme model key; do
        key=$(echo "$key" | tr - _)
        echo "  ${key}_pe_pj_per_mac: {value: $trace, unit: pJ, source: \"mpsim cosim --arch $preset --activity, trace tiles (command above), scripts/calibrate_energy.sh, $DATE\","
        m="model $model pJ/MAC"
        [ "$model" = 0.0000 ] && m="no ASIC model (FPGA family: the DSP48E2 model as standard cells)"
        echo "      note: \"random tiles $random, extreme tiles $extreme, $m\"}"
    done
} >"$YAML"
echo "wrote $YAML"
# the rows of docs/validation.md's "model next to gate level" table
sort -k2,3 "$RESULTS" | awk '{ k = $2 "_" $3; gsub("-", "_", k)
    if ($7 > 0) printf "| `%s` (%s) | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n",
                       k, $1, $4, $5, $6, $7, $4 / $7, $5 / $7
    else printf "| `%s` (%s) | %.2f | %.2f | %.2f | n/a | n/a | n/a |\n",
                k, $1, $4, $5, $6 }'
