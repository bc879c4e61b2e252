#!/usr/bin/env bash
# calibrate_timing.sh - measure the critical paths of every ASIC preset's
# generated design at 180 nm with `mpsim synth --timing` (Yosys 0.23 + OSU
# 0.18 um cells + OpenSTA; sim/synth/synth.h, timing.h), area-mapped and
# timing-driven (`--timing-driven`: ABC's buffering and gate sizing), on a
# 2x2 array of the preset's
# configuration with K_MAX 32 and G 32 (the PE path does not depend on the
# array size or K; the edge units are one per row/column, timed alone; the
# top, whose flip-flop operand buffers grow with K_MAX, is not timed).  Not
# 1x1: there every module is instantiated once and the PE (the module
# instantiated rows x cols times, mp_synth_pe_module) is not told apart.
#
# usage: scripts/calibrate_timing.sh [BUILD] [--yaml FILE] [--paths FILE]
#                                    [--only PRESET]
#                                    [--liberty LIB --liberty-node NM]
#   BUILD   build dir holding mpsim (default build); work files go to
#           BUILD/calib-timing/ (one JSON report per preset, paths.txt).
#   --paths write the table from the lines of an earlier run's paths.txt
#           instead of measuring (presets run separately).
#   --only  measure that preset alone (work files in
#           BUILD/calib-timing-PRESET/, its line in paths.txt there), to
#           be combined with the other presets' lines for --paths.
#   --yaml  also write the table pe_models/tech/osu018-timing.yaml (that
#           file is this output, committed; `make validate` regenerates it
#           into BUILD/validate/ and compares).
#   --liberty, --liberty-node
#           map to another uncompressed Liberty library, of that process
#           node, instead of OSU 0.18 um (work files in
#           BUILD/calib-timing-NAME/, NAME: the file's name without .lib);
#           not with --yaml, whose table is OSU's.  The paths are at that
#           library's node and corner (docs/validation.md "Timing on a
#           second library").
# FPGA presets (dsp-chain) are measured too: their DSP48E2 slices are
# synthesized from the behavioural model as standard cells (the chain's
# arithmetic, not the FPGA's silicon; docs/validation.md "Timing").
# The table takes, per preset, the faster of the two netlists (the higher
# design fmax, 1 / the slower of its PE and edge paths): ABC sizes by
# its own delay model, so nothing guarantees that its netlist is the
# faster under OpenSTA (docs/validation.md "Timing-driven mapping"), and
# either netlist is a real mapping of the same RTL that
# a designer could keep; every area and energy figure stays the
# area-mapped netlist's.
# Prints one line per preset (paths.txt): "preset family act area_pe_ns
# area_edge_ns driven_pe_ns driven_edge_ns area_um2 driven_um2", both
# netlists' paths at 180 nm and areas; the table is written from them.
# The table keys each entry by family and activation format
# (FAMILY_ACT_pe_path_ns; the slowest preset of that pair) and keeps a
# family-only entry (FAMILY_pe_path_ns: the family's slowest preset) as the
# fallback for formats never measured (mp_timing_arch, sim/synth/timing.h).
set -eu

# Families whose 2x2 synthesis does not finish in reasonable time: skipped
# (said on stderr), so they have no entry and `mpsim run` carries null for
# them.  The one list; `make validate` (scripts/validate.sh) uses this
# script and so the same list.
# (lut-tc was here until its top's weight fetch and its float units'
# scale reads stopped growing as N^2, rtl_gen/block_top.c; docs/validation.md
# "Timing".)
SKIP_FAMILIES=""
CALIB_OPTS="--paths:PATHS --only:ONLY --liberty:LIBERTY --liberty-node:LIBERTY_NODE"
. "$(dirname "$0")/calib_common.sh"
calib_args "$@"
calib_setup calibrate_timing yosys sta python3
calib_liberty
[ -z "$LIBERTY" ] || [ -n "$LIBERTY_NODE" ] || calib_die "--liberty needs --liberty-node NM (the library's process node)"
[ -z "$LIBERTY_NODE" ] || [ -n "$LIBERTY" ] || calib_die "--liberty-node only with --liberty LIB"
NODE_OPT=()
[ -z "$LIBERTY" ] || NODE_OPT=(--liberty-node "$LIBERTY_NODE")
WORK="$BUILD/calib-timing$LIB_TAG${ONLY:+-$ONLY}"
if calib_results "$WORK" paths.txt "$PATHS" --paths \
    "preset family act area_pe_ns area_edge_ns driven_pe_ns driven_edge_ns area_um2 driven_um2"; then

# the synthesized area of a synth JSON report (um2)
area() { sed -n 's/^  "area_um2": \([0-9.]*\),$/\1/p' "$1"; }

calib_asic_presets | while read -r preset family act; do
    case " $SKIP_FAMILIES " in
        *" $family "*) echo "calibrate_timing: skipped $preset: family $family in SKIP_FAMILIES (synthesis does not finish in reasonable time)" >&2
                       continue ;;
    esac
    for map in area driven; do
        json="$WORK/$preset-$map.json"
        driven=()
        [ "$map" = driven ] && driven=(--timing-driven)
        "$MPSIM" synth --arch "$preset" --rows 2 --cols 2 --k-max 32 --group 32 --liberty "$LIB" \
            "${NODE_OPT[@]}" --timing "${driven[@]}" --format json -o "$json" \
            --workdir "$WORK/$preset-$map" </dev/null 2>"$WORK/$preset-$map.err" ||
            calib_die "synth --timing failed on $preset ($map): $(head -c 300 "$WORK/$preset-$map.err")"
        [ "$(calib_worst "$json" pe)" = 0 ] && calib_die "$preset ($map): no PE path timed"
    done
    awk -v p="$preset" -v f="$family" -v c="$act" \
        -v x="$(calib_worst "$WORK/$preset-area.json" pe)" -v y="$(calib_worst "$WORK/$preset-area.json" 'edge|core')" \
        -v a="$(calib_worst "$WORK/$preset-driven.json" pe)" -v b="$(calib_worst "$WORK/$preset-driven.json" 'edge|core')" \
        -v u="$(area "$WORK/$preset-area.json")" -v v="$(area "$WORK/$preset-driven.json")" \
        'BEGIN { printf "%s %s %s %.3f %.3f %.3f %.3f %.0f %.0f\n", p, f, c, x, y, a, b, u, v }' |
        tee -a "$RESULTS"
done
calib_measured
fi

[ -n "$YAML" ] || exit 0
DATE=$(date -u +%Y-%m-%d)
ENTRIES=$(python3 "$(dirname "$0")/timing_table.py" --entries "$RESULTS") ||
    calib_die "timing_table.py --entries $RESULTS failed"
[ -n "$ENTRIES" ] || calib_die "$RESULTS: no preset line"
{
    cat <<HDR
# osu018-timing - critical paths of the generated designs at 180 nm, OSU
# 0.18 um standard cells at 1.8 V (typical corner of the liberty), measured
# by scripts/calibrate_timing.sh (do not edit by hand: rerun it;
# docs/validation.md "Timing").  KEY_pe_path_ns is the PE module's
# minimum clock period (arrival + setup), KEY_edge_path_ns the slowest
# other module's the top instantiates (edge units: dequantization,
# scaling, table units; a core holding the PEs, as lut-tc's), each timed
# alone by OpenSTA (0~20191111) with ideal ports and clock, on the faster
# of the preset's two netlists (area-mapped, or timing-driven: ABC's
# fanout buffering and gate sizing, \`mpsim synth --timing-driven\`; each
# source names its own; both are in docs/validation.md "Timing-driven
# mapping").  KEY is FAMILY_ACT (the
# slowest preset of that family and activation format) or FAMILY (the
# family's slowest preset: the fallback for formats not measured).
# \`mpsim run\` takes FAMILY_ACT, else FAMILY, and scales the larger path
# to the arch's node with the Stillmaker & Baas delay fit.  dsp-chain's
# entries time its DSP48E2 slices synthesized from the behavioural model:
# the chain's arithmetic as standard cells, not the FPGA's silicon; no
# ASIC arch has that family, and an FPGA arch's clock is the data sheet's
# (\`mpsim run\` looks nothing up for it).  Not measured
# (synthesis does not finish in reasonable time): ${SKIP_FAMILIES:-none}.
name: osu018-timing
node_nm: 180
vdd: 1.8
fpga: false
description: "180 nm, 1.8 V: critical paths of each PE family's generated design (Yosys + OSU 0.18 um + OpenSTA, the faster of area-mapped and timing-driven)"
constants:
HDR
    # the entries and each one's netlist, chosen by timing_table.py alone
    # (the rule is its docstring's): "KEY PRESET PE_NS EDGE_NS NETLIST"
    echo "$ENTRIES" | while read -r key preset pe edge netlist; do
        driven=
        [ "$netlist" = timing-driven ] && driven=" --timing-driven"
        src="mpsim synth --arch $preset --rows 2 --cols 2 --k-max 32 --group 32 --timing$driven (Yosys 0.23, OSU 0.18 um, OpenSTA), scripts/calibrate_timing.sh, $DATE"
        echo "  ${key}_pe_path_ns: {value: $pe, unit: ns, source: \"$src\"}"
        if [ "$edge" != 0.000 ]; then
            echo "  ${key}_edge_path_ns: {value: $edge, unit: ns, source: \"$src\"}"
        fi
    done
} >"$YAML"
echo "wrote $YAML"
