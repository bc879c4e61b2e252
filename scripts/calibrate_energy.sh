#!/usr/bin/env bash
# calibrate_energy.sh - gate-level energy per MAC of every PE family,
# and per dequantization op of its edge units, at 180 nm with `mpsim
# cosim --activity --gate` (iverilog gate-level simulation of the Yosys
# 0.23 OSU 0.18 um netlist of the PE and of each edge unit, fed the inputs
# the RTL co-simulation gave them, every cell at its measured output
# toggle rate in OpenSTA; docs/validation.md "Gate-level simulation"), one
# preset per family and activation format, on a 2x2 array with K_MAX 64,
# G 64 and 12 tiles: 3 extreme, then random and LLaMA-2-7B layer-0 (trace)
# tiles alternating (lut-tc: K_MAX 32, G 32, 5 tiles; SHORT_FAMILIES
# below).  dsp-chain (the FPGA presets) is measured on its
# DSP48E2 slices synthesized from the behavioural model: the chain's
# arithmetic as standard cells, not the FPGA's silicon; its model figures
# are 0 (cost() and edge() price an FPGA table only: "no ASIC model"; its
# edge units' op and unit counts come from edge() on its own table).
#
# usage: scripts/calibrate_energy.sh [BUILD] [--yaml FILE] [--results FILE]
#                                    [--only PRESET] [--quick] [--work DIR]
#                                    [--probabilistic]
#   BUILD     build dir holding mpsim (default build); work files go to
#             BUILD/calib-energy-gate/ (one activity report per preset,
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
#   --probabilistic  the other method: `cosim --activity` without --gate
#             (Verilator toggle counts of the PE's ports, OpenSTA's
#             probabilistic propagation inside the PE; no edge units;
#             fp16-mac skipped: the propagation compounds through its FP
#             datapath, docs/validation.md "Energy from switching
#             activity"); work files in BUILD/calib-energy/.  Kept for
#             comparison, not the committed table's method.
# Prints one line per preset:
#   "preset family act trace_pj random_pj extreme_pj model_pj
#    edge_trace_pj edge_random_pj edge_extreme_pj edge_model_pj
#    edge_busy_pj edge_idle_pj edge_units edge_result_pj"
# (pJ per MAC of one PE, pJ per dequantization op of all edge units, at
# 180 nm / 1.8 V; model: the family's cost() and edge() on the osu018
# table at activity 1; edge_busy_pj, edge_idle_pj: the trace tiles' edge
# energy split into pJ per op in a busy unit-cycle and pJ per idle
# unit-cycle over the model's edge_units dequant units; edge_result_pj:
# the read-port units' (the act_scale multiplier, the float widening) pJ
# per result read out beyond their idle cycles (docs/model.md
# "Gate-level PE energy"); '-' for the edge figures of a design without
# edge units (edge_result_pj: without read-port units) or of the
# probabilistic method) and with --yaml the rows of
# docs/validation.md's tables.  The table keys each entry like
# osu018-timing.yaml: FAMILY_ACT_pe_pj_per_mac, FAMILY_ACT_edge_pj_per_op
# FAMILY_ACT_edge_idle_pj_per_unit_cycle, FAMILY_ACT_edge_pj_per_result
# (trace tiles) and
# FAMILY_... (the family's costliest format: the fallback for formats
# never measured); `mpsim run` uses them with `pe.energy: gate-level`
# (sim/energy_cal.h).
set -eu
# --quick takes no value: taken out before calib_args
QUICK= GATE=--gate
args=()
for a in "$@"; do
    case "$a" in
        --quick) QUICK=1 ;;
        --probabilistic) GATE= ;;
        *) args+=("$a") ;;
    esac
done
CALIB_OPTS="--results:FROM --only:ONLY --work:WORK"
. "$(dirname "$0")/calib_common.sh"
calib_args "${args[@]}"
calib_setup calibrate_energy yosys sta verilator ${GATE:+iverilog vvp}

# Families not calibrated (said on stderr, no entry: the model's energy
# stays in use for them, and reports say "model").
#   lut-tc (--probabilistic only): not measured by that method (its PE is
#             FP16 adders, the deep FP datapath on which the propagation
#             compounds, as fp16-mac's; `make validate` step 6 runs lut-tc
#             --act int8 by it alone).
#   fp16-mac (--probabilistic only): OpenSTA's probabilistic activity
#             propagation through the PE's FP16 multiply + FP32 add
#             compounds on reconvergent paths (4-6x its gate-level
#             simulation, docs/validation.md): not a figure to calibrate
#             with.
#   dsp-chain (--probabilistic only): the same through the DSP48E2
#             model's 27x18 multiply and 48-bit ALU: 3,669-3,678 pJ/MAC on
#             every tile kind (quick settings), 8-19x its gate-level
#             simulation (docs/validation.md, "dsp-chain").
SKIP_FAMILIES=""
[ -n "$GATE" ] || SKIP_FAMILIES="lut-tc fp16-mac dsp-chain"
METHOD="# (Verilator toggle counts of the PE's ports on the co-simulated tiles,
# Yosys 0.23 area-mapped netlist, OpenSTA 0~20191111 report_power of the
# PE module"
[ -n "$GATE" ] && METHOD="# (iverilog gate-level simulation of the Yosys 0.23 area-mapped netlist
# of the PE and of each edge unit with the OSU018 cell models' delays,
# fed the inputs of their last instance on the co-simulated tiles; every
# cell's OpenSTA 0~20191111 power at its own measured output toggle
# rate"
# the tiles: the co-simulation settings of `make validate` step 6
TILES=("${ENERGY_TILES[@]}")
[ -n "$QUICK" ] && TILES=(--rows 2 --cols 2 --k-max 16 --group 16 --tiles 5
                          --model llama2-7b --phase prefill --seq 128
                          --quant w4a8 --trace-layer 0)
# Families measured on fewer and shallower tiles, SHORT_TILES, because
# their gate-level run at TILES does not fit a working session (their
# entries' source names the command):
#   lut-tc:   K_MAX 32, G 32, 5 tiles (3 extreme, 1 random, 1 trace).
#             A tile at K_MAX 64 is 8,708 load cycles and 36 compute
#             cycles of the 2x2 design, and iverilog with the cells'
#             delays takes about 3 s of CPU per cycle of random inputs on
#             the M2N64K4 unit's netlist (the unit synthesized alone; 576
#             input and 2,048 output bits) and 0.02 s per idle cycle: 12
#             tiles are about an hour of iverilog, after a K_MAX 64
#             synthesis that had taken 4.3 GB in 14 minutes at load 5-6
#             without finishing (2026-12-07).  At SHORT_TILES the whole
#             run took about 16 minutes (Yosys 5, iverilog 2, OpenSTA
#             under 1 on the unit's 284,974 cells; 299,301 since the
#             plane adder's operand isolation).
SHORT_FAMILIES="lut-tc"
SHORT_TILES=("${ENERGY_SHORT_TILES[@]}")
[ -n "$QUICK" ] && SHORT_TILES=("${TILES[@]}")
# short FAMILY: true when FAMILY runs at SHORT_TILES
short() { case " $SHORT_FAMILIES " in *" $1 "*) return 0 ;; esac; return 1; }
WORK=${WORK:-$BUILD/calib-energy${GATE:+-gate}}
if calib_results "$WORK" results.txt "$FROM" --results \
    "preset family act trace_pj random_pj extreme_pj model_pj edge_trace_pj edge_random_pj edge_extreme_pj edge_model_pj edge_busy_pj edge_idle_pj edge_units edge_result_pj"; then
# one preset per family and format: the preset named as its family first,
# then file name order
calib_asic_presets | awk '{ print ($1 != $2), $0 }' | sort -k1,1n -k2,2 |
while read -r _ preset family act; do
    case " $SKIP_FAMILIES " in
        *" $family "*) [ -n "$ONLY" ] || echo "calibrate_energy: skipped $preset: family $family in SKIP_FAMILIES" >&2
                       continue ;;
    esac
    grep -q "^[^ ]* $family $act " "$RESULTS" && continue
    out="$WORK/$preset.txt"
    tiles=("${TILES[@]}")
    short "$family" && tiles=("${SHORT_TILES[@]}")
    calib_activity "$WORK/$preset" "$preset" "${tiles[@]}" $GATE
    awk -v p="$preset" -v f="$family" -v c="$act" '
        function edge(k) { return k in ee ? sprintf("%.4f", ee[k]) : "-" }
        function tr(x) { return length(ee) ? sprintf("%.4f", x) : "-" }
        $1 == "model" { model = $4 }
        $1 == "energy" { e[$2] = $6 }
        $1 == "edge" { ee[$2] = $6; em = $8 }
        $1 == "edge" && $2 == "trace" { busy = $12; idle = $14; units = $16
                                        result = $18 }
        $1 == "gate_edge" && $17 == 1 { reads = 1 }
        END { if (!(e["trace"] > 0 && e["random"] > 0 && model >= 0)) exit 1
              if (length(ee) && !(ee["trace"] > 0 && em >= 0 && units > 0 &&
                                  idle >= 0)) exit 1
              if (reads != (result > 0)) exit 1
              printf "%s %s %s %.4f %.4f %.4f %.4f %s %s %s %s %s %s %s %s\n",
                     p, f, c, e["trace"], e["random"], e["extreme"], model,
                     edge("trace"), edge("random"), edge("extreme"), tr(em),
                     tr(busy), tr(idle), length(ee) ? units : "-",
                     (result > 0 ? sprintf("%.4f", result) : "-") }' "$out" | tee -a "$RESULTS"
    [ "${PIPESTATUS[0]}" = 0 ] || calib_die "$out: no trace/random energy or model line (or read-port units without a positive pJ per result)"
done
calib_measured
fi

[ -n "$YAML" ] || exit 0
DATE=$(date -u +%Y-%m-%d)
# a model figure 0: dsp-chain, whose cost() and edge() price an FPGA table
NO_MODEL="no ASIC model (FPGA family: the DSP48E2 model as standard cells)"
CMD="mpsim cosim --arch PRESET ${TILES[*]} --activity FILE${GATE:+ --gate}"
# SHORT_TILES' options that differ from TILES' (the two list the same
# options in the same order), for a short family's source: the table's
# reader takes a source of at most 199 characters
SHORT_DIFF=
for ((i = 0; i < ${#TILES[@]}; i += 2)); do
    [ "${TILES[i+1]}" = "${SHORT_TILES[i+1]}" ] ||
        SHORT_DIFF+=" ${SHORT_TILES[i]} ${SHORT_TILES[i+1]}"
done
{
    cat <<HDR
# osu018-energy - gate-level dynamic energy per MAC of one PE and per
# dequantization op of the edge units at 180 nm, OSU 0.18 um standard
# cells at 1.8 V (typical corner of the liberty), measured by
# scripts/calibrate_energy.sh (do not edit by hand: rerun it;
# docs/validation.md "Gate-level simulation"):
#   $CMD
$METHOD: (internal + switching) x period x instances x compute cycles /
# MACs; for the edge units split into their idle cycles' energy, per
# compute cycle and unit of the model's dequant units, the read-port
# units' (act_scale multiplier, float widening) energy beyond that per
# result read out, and the rest per dequantization op of the tiles,
# docs/model.md "Gate-level PE energy").  KEY_pe_pj_per_mac,
# KEY_edge_pj_per_op, KEY_edge_idle_pj_per_unit_cycle and
# KEY_edge_pj_per_result are the figures on the trace tiles
# (LLaMA-2-7B layer 0 shapes with its W4A8-quantized weights); the note
# gives the random and extreme tiles' figures and the model's (cost() and
# edge() on osu018 at activity 1) for comparison, for the edge units as
# all their energy over the ops (at these tiles' cycles per op).  KEY is
# FAMILY_ACT (the first preset of that family and activation format: the
# one named as its family, else by file name) or FAMILY (the family's
# costliest PE: the fallback for formats not measured).  \`mpsim run\` with
# \`pe.energy: gate-level\` takes FAMILY_ACT, else FAMILY, and scales it to
# the arch's node with the Stillmaker & Baas energy fit
# (sim/energy_cal.h).  Run at settings of their own (an entry's source
# names its command): ${SHORT_FAMILIES:-none}.  Not calibrated (the
# model's energy stays): ${SKIP_FAMILIES:-none}.
name: osu018-energy
node_nm: 180
vdd: 1.8
fpga: false
description: "180 nm, 1.8 V: gate-level energy per MAC of each family's PE and per dequantization op of its edge units (${GATE:+iverilog gate-level simulation, }Verilator + Yosys + OSU 0.18 um + OpenSTA report_power)"
constants:
HDR
    # FAMILY_ACT: one preset each; FAMILY: the costliest of the family
    sort -k4,4gr "$RESULTS" | awk '{ print $0, $2 "_" $3 }
                                    !fam[$2]++ { print $0, $2 }' | sort -k16,16 |
    while read -r preset family act trace random extreme model et er ex em eb ei eu eres key; do
        key=$(echo "$key" | tr - _)
        cmd="--activity${GATE:+ --gate}, trace tiles (command above)"
        short "$family" && [ -n "$SHORT_DIFF" ] &&
            cmd="--activity${GATE:+ --gate}, trace tiles (command above at$SHORT_DIFF)"
        src="source: \"mpsim cosim --arch $preset $cmd, scripts/calibrate_energy.sh, $DATE\""
        echo "  ${key}_pe_pj_per_mac: {value: $trace, unit: pJ, $src,"
        m="model $model pJ/MAC" me="model $em pJ/op"
        [ "$model" = 0.0000 ] && m=$NO_MODEL
        [ "$em" = 0.0000 ] && me=$NO_MODEL
        echo "      note: \"random tiles $random, extreme tiles $extreme, $m\"}"
        [ "$et" = - ] && continue
        echo "  ${key}_edge_idle_pj_per_unit_cycle: {value: $ei, unit: pJ, $src,"
        echo "      note: \"all edge units per compute cycle without an op, over the units of the model's first edge kind (2x2 array: $eu)\"}"
        echo "  ${key}_edge_pj_per_op: {value: $eb, unit: pJ, $src,"
        echo "      note: \"per dequantization op in a busy unit-cycle, all edge units; all their energy over the ops: trace tiles $et, random tiles $er, extreme tiles $ex, $me\"}"
        [ "$eres" = - ] && continue
        echo "  ${key}_edge_pj_per_result: {value: $eres, unit: pJ, $src,"
        echo "      note: \"per result read out (m_tile x n_tile a tile), the read-port units beyond their idle cycles\"}"
    done
} >"$YAML"
echo "wrote $YAML"
# the rows of docs/validation.md's "model next to gate level" tables
# (ratios n/a where the model figure is 0: dsp-chain): the PE rows, then
# the edge rows (busy pJ/op, idle pJ/unit-cycle, units, pJ/result, then
# all the energy over the ops per tile kind, the model, busy / model, all
# / model)
sort -k2,3 "$RESULTS" | awk 'function r(a, m) { return m > 0 ? sprintf("%.2f", a / m) : "n/a" }
    function v(m) { return m > 0 ? sprintf("%.2f", m) : "n/a" }
    function row(k, p, t, rn, x, m) {
        return sprintf("| `%s` (%s) | %.2f | %.2f | %.2f | %s | %s | %s |",
                       k, p, t, rn, x, v(m), r(t, m), r(rn, m)) }
    { k = $2 "_" $3; gsub("-", "_", k)
      print row(k, $1, $4, $5, $6, $7)
      if ($8 != "-")
          edge[++n] = sprintf("| `%s` edge (%s) | %.2f | %.2f | %g | %s | %.2f | %.2f | %.2f | %s | %s | %s |",
                              k, $1, $12, $13, $14, $15 == "-" ? "-" : sprintf("%.2f", $15),
                              $8, $9, $10, v($11), r($12, $11), r($8, $11)) }
    END { for (i = 1; i <= n; i++) print edge[i] }'
