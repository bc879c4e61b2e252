#!/usr/bin/env bash
# lut_tc/hardfloat.sh - record how the generator's FP16 adder compares with
# an open IEEE floating-point library's in the same flow: Berkeley
# HardFloat Release 1 (John R. Hauser, Verilog), its addRecFN at FP16
# (expWidth 5, sigWidth 11, round to nearest even), synthesized by Yosys
# 0.23 on OSU 0.18 um (and, given, a second library) as
# scripts/calibrate_area.sh synthesizes the generator's fp_add_e5m10:
#   hf_add16      FP16 in and out: fNToRecFN on both operands, addRecFN,
#                 recFNToFN (what a drop-in FP16 adder costs)
#   hf_add16_rec  addRecFN alone on recoded operands (a datapath that keeps
#                 HardFloat's recoded format between operations)
# into hardfloat.tsv beside this script: no HardFloat code is kept here,
# only the wrapper below and the figures: the area-mapped netlist's area,
# and the critical path (ns at the library's node) of the faster of the
# area-mapped and timing-driven netlists, each timed alone by OpenSTA as
# clock.sh times the generator's adder (`mpsim synth --netlist
# --timing`).  docs/validation.md ("LUT Tensor Core") reads the figures
# against the generator's adder.
#
# usage: scripts/reproduce/lut_tc/hardfloat.sh [-o FILE] SOURCE_DIR SOURCE [BUILD [LIBERTY NODE_NM]]
#   -o FILE     write there instead of hardfloat.tsv beside this script
#               (make validate compares such a rerun with the recorded file)
#   SOURCE_DIR  HardFloat-1's source/ directory (its RISCV specialization)
#   SOURCE      where it comes from, written into the file (repository,
#               commit, path)
#   BUILD       build dir (default build): the OSU liberty, mpsim built
#   LIBERTY     a second library and its node, as calibrate_area.sh
#               --liberty (the recorded file: Nangate 45 nm, library.sh's)
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/../../calib_common.sh"
OUTFILE="$HERE/hardfloat.tsv"
[ "${1:-}" != -o ] || { OUTFILE=${2:?-o needs a file}; shift 2; }
[ $# -ge 2 ] && [ $# -le 5 ] && [ $# -ne 4 ] || {
    sed -n '2,/^[^#]/{/^#/p}' "$0" >&2
    exit 2
}
SRC=$1 SOURCE=$2 BUILD=${3:-build} LIB2=${4:-} NODE2=${5:-}
die() { echo "mpsim: lut_tc/hardfloat.sh: $*" >&2; exit 1; }
FILES="HardFloat_primitives.v HardFloat_rawFN.v RISCV/HardFloat_specialize.v
       isSigNaNRecFN.v addRecFN.v fNToRecFN.v recFNToFN.v"
for f in $FILES HardFloat_consts.vi HardFloat_localFuncs.vi RISCV/HardFloat_specialize.vi; do
    [ -r "$SRC/$f" ] || die "$SRC/$f: cannot read (want HardFloat-1's source/)"
done
command -v yosys >/dev/null || die "yosys not installed (make deps)"
OSU=$(bash "$HERE/../../get_osu018.sh" "$BUILD") || exit 1
OSU=$(cd "$(dirname "$OSU")" && pwd)/$(basename "$OSU")   # yosys runs in TMP
[ -z "$LIB2" ] || [ -r "$LIB2" ] || die "$LIB2: cannot read"
[ -z "$LIB2" ] || LIB2=$(cd "$(dirname "$LIB2")" && pwd)/$(basename "$LIB2")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
cat >"$TMP/hf_wrap.v" <<'EOF'
`include "HardFloat_consts.vi"
module hf_add16 (input [15:0] a, b, output [15:0] y);
    wire [16:0] ra, rb, ry;
    wire [4:0] flags;
    fNToRecFN#(5, 11) conv_a (a, ra);
    fNToRecFN#(5, 11) conv_b (b, rb);
    addRecFN#(5, 11) add (`flControl_tininessAfterRounding, 1'b0, ra, rb,
                          `round_near_even, ry, flags);
    recFNToFN#(5, 11) conv_y (ry, y);
endmodule
module hf_add16_rec (input [16:0] a, b, output [16:0] y);
    wire [4:0] flags;
    addRecFN#(5, 11) add (`flControl_tininessAfterRounding, 1'b0, a, b,
                          `round_near_even, y, flags);
endmodule
EOF
MPSIM="$BUILD/mpsim"
[ -x "$MPSIM" ] || die "$MPSIM: not built (make)"
# synth TOP LIBERTY NODE_NM: "AREA PERIOD" of TOP by calibrate_area.sh's
# flow: the area-mapped netlist's cell area, and the shorter critical
# path of the area-mapped and the timing-driven netlist (clock.sh's rule)
CALIB_READ_FLAGS="-I$SRC -I$SRC/RISCV "
synth() {
    local top=$1 lib=$2 node=$3 f figures map dir area= period= p
    for map in area driven; do
        dir="$TMP/$top-$(basename "$lib" .lib)-$map"
        figures=$(CALIB_TIMING_DRIVEN=${map#area} calib_time_piece "$dir" "$lib" \
                      "$node" "$top" "$HERE/luttc-unit-w1a16.yaml" \
                      $(for f in $FILES; do echo "$SRC/$f"; done) "$TMP/hf_wrap.v") ||
            die "$top ($map): synthesis or timing failed, or no path ($dir: yosys.log, timing.json)"
        [ -n "$area" ] || area=${figures%% *}
        p=${figures##* }
        period=$(awk -v a="$period" -v b="$p" 'BEGIN { print (a == "" || b + 0 < a + 0) ? b : a }')
    done
    echo "$area $period"
}
# the rows first (a failed synthesis stops here: no file is written)
ROWS=
for top in hf_add16 hf_add16_rec; do
    figures=$(synth "$top" "$OSU" 180)
    ROWS+="$top	osu018_stdcells	180	${figures/ /	}"$'\n'
    if [ -n "$LIB2" ]; then
        figures=$(synth "$top" "$LIB2" "$NODE2")
        ROWS+="$top	$(basename "$LIB2" .lib)	$NODE2	${figures/ /	}"$'\n'
    fi
done
{
    echo "# hardfloat.tsv - written by scripts/reproduce/lut_tc/hardfloat.sh; do not edit"
    echo "# source: $SOURCE"
    echo "# flow: $(yosys -V | cut -d' ' -f1-2) as scripts/calibrate_area.sh, OpenSTA timing as clock.sh (mpsim synth --netlist --timing); $(date -u +%Y-%m-%d)"
    printf 'block\tlibrary\tnode_nm\tarea_um2\tperiod_ns\n%s' "$ROWS"
} >"$TMP/hardfloat.tsv"
mv "$TMP/hardfloat.tsv" "$OUTFILE"
echo "wrote $OUTFILE" >&2
