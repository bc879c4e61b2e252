#!/usr/bin/env bash
# lut_tc/library.sh - record the second library of the LUT TC reproduction:
# the blocks of scripts/calibrate_area.sh synthesized by the same Yosys flow
# on another Liberty library, and OpenSTA report_power of the INT8 LUT
# output's netlist on it, into library.tsv beside this script.  run.sh
# reads that file to split its "Yosys/OSU scaled vs DC/TSMC" factor into
# the library's part (OSU 0.18 um vs this library, both scaled to 28 nm,
# one tool) and the rest (docs/validation.md, "LUT Tensor Core").
#
# usage: scripts/reproduce/lut_tc/library.sh [-o FILE] LIBERTY NODE_NM SOURCE [BUILD]
#   -o FILE  write there instead of library.tsv beside this script (make
#            validate compares such a rerun with the recorded file)
#   LIBERTY  an uncompressed .lib (not kept here: its licence is its own)
#   NODE_NM  the library's node in nm (for the Stillmaker & Baas scaling)
#   SOURCE   where LIBERTY comes from, written into the file's header
#            (repository, commit, path)
#   BUILD    build dir holding mpsim (default build)
# The recorded file (2026-12-07):
#   library.sh nangate45_typ.lib 45 "github.com/The-OpenROAD-Project/OpenSTA,
#   commit d1b2b3962cd47539c748bb163da5de2bd5d2f85f,
#   examples/nangate45_typ.lib.gz, gunzipped"
# Rows: quantity, block, value, unit; quantities node (nm), vdd (V, the
# library's nom_voltage), area (um2 and cell count, one row each), power
# (W per output at input activity 0.1 and 1, 1 GHz, as run.sh's OSU runs),
# period (ns at the library's node: clock.sh's outputs, area-mapped and
# timing-driven, block PIECE@MAP).
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
OUTFILE="$HERE/library.tsv"
[ "${1:-}" != -o ] || { OUTFILE=${2:?-o needs a file}; shift 2; }
[ $# -ge 3 ] && [ $# -le 4 ] || {
    sed -n '2,/^[^#]/{/^#/p}' "$0" >&2
    exit 2
}
LIBERTY=$1 NODE=$2 SOURCE=$3 BUILD=${4:-build}
die() { echo "mpsim: lut_tc/library.sh: $*" >&2; exit 1; }
case $NODE in ''|*[!0-9]*) die "NODE_NM '$NODE': want a whole number of nm" ;; esac
[ -r "$LIBERTY" ] || die "$LIBERTY: cannot read"
NAME=$(basename "$LIBERTY" .lib)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

bash "$HERE/../../calibrate_area.sh" "$BUILD" --liberty "$LIBERTY" >"$TMP/calib.txt" ||
    die "calibrate_area.sh --liberty failed"
WORK="$(cd "$BUILD" && pwd)/calib-$NAME"
bash "$HERE/clock.sh" "$BUILD" "$LIBERTY" "$NODE" "$WORK" "$TMP/clock" >"$TMP/clock.txt" ||
    die "clock.sh failed"
for act in 0.1 1; do
    "$BUILD/mpsim" synth --netlist "$WORK/piece_lut_int8_out_w2/netlist.v" \
        --top lut_int8_out_w2 --arch "$HERE/luttc-unit-w2a8.yaml" \
        --liberty "$LIBERTY" --liberty-node "$NODE" --power "$act" --format json \
        -o "$TMP/power_$act.json" || die "mpsim synth --power $act failed"
done
# the library's supply as mpsim read it (liberty.h: its nom_voltage),
# which the powers are at
VDD=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["power"]["liberty_vdd"])' \
      "$TMP/power_0.1.json") || die "$TMP/power_0.1.json: no power.liberty_vdd"
{
    echo "# library.tsv - written by scripts/reproduce/lut_tc/library.sh; do not edit"
    echo "# liberty: $(basename "$LIBERTY"), sha256 $(sha256sum <"$LIBERTY" | cut -d' ' -f1)"
    echo "# source: $SOURCE"
    echo "# flow: $(yosys -V | cut -d' ' -f1-2) (calibrate_area.sh --liberty, clock.sh), OpenSTA report_power and timing (mpsim synth --power, --timing); $(date -u +%Y-%m-%d)"
    printf 'quantity\tblock\tvalue\tunit\n'
    printf 'node\t-\t%s\tnm\nvdd\t-\t%s\tV\n' "$NODE" "$VDD"
    awk 'NF == 3 { printf "area\t%s\t%s\tum2\ncells\t%s\t%s\t-\n", $1, $2, $1, $3 }' "$TMP/calib.txt"
    awk '{ printf "period\t%s@%s\t%s\tns\n", $1, $2, $3 }' "$TMP/clock.txt"
    python3 - "$TMP" <<'EOF'
import json, sys
for act in ("0.1", "1"):
    with open(f"{sys.argv[1]}/power_{act}.json") as f:
        w = json.load(f)["power"]["modules"][0]["total_w"]
    print(f"power\tpiece_lut_int8_out_w2@{act}\t{w:.7g}\tW")
EOF
} >"$TMP/library.tsv"
mv "$TMP/library.tsv" "$OUTFILE"
echo "wrote $OUTFILE" >&2
