#!/usr/bin/env bash
# lut_tc/clock.sh - the clock of one output of each LUT unit (the
# artifact's datapath, as scripts/calibrate_area.sh synthesizes it for the
# area factors: pieces lut_fp16_out_w1 and lut_int8_out_w2), of the
# FP16 output with the flush-to-zero adder of ftz_units.v (DW_fp_add's
# ieee_compliance 0: lut_fp16_out_w1_ftz, written here), and of the
# generator's FP16 adder alone (fp16_add: fp_add_e5m10 and its rounding
# core, set against HardFloat's in hardfloat.tsv), on one library:
# each synthesized area-mapped and timing-driven (ABC's buffering and gate
# sizing, as `mpsim synth --timing-driven`; scripts/calib_common.sh
# calib_yosys_area) and timed by OpenSTA (`mpsim synth --netlist --timing`:
# the output alone, ideal ports and clock, its register to register and
# port to register paths).  run.sh reads the OSU 0.18 um lines; library.sh
# records a second library's in library.tsv (docs/validation.md, "LUT
# Tensor Core", "Clock").
#
# usage: clock.sh BUILD LIBERTY NODE_NM CALIB_WORK OUT
#   BUILD    build dir holding mpsim
#   NODE_NM  LIBERTY's node (180 for OSU 0.18 um)
#   CALIB_WORK  the work directory of calibrate_area.sh run on LIBERTY
#            (BUILD/calib, or BUILD/calib-NAME with --liberty): the pieces'
#            Verilog and the generator's FP16 adder
#   OUT      work directory (created); the lines go to stdout:
#            "piece mapping period_ns" (the period at the library's node
#            and corner; run.sh moves it to 28 nm by the delay fit)
set -eu
[ $# -eq 5 ] || { sed -n '2,/^[^#]/{/^#/p}' "$0" >&2; exit 2; }
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=$(cd "$1" && pwd) NODE=$3 OUT=$5
CAL=$(cd "$4" && pwd) || exit 1
[ -r "$2" ] || { echo "mpsim: lut_tc/clock.sh: $2: cannot read" >&2; exit 1; }
LIBERTY=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
MPSIM="$BUILD/mpsim"
die() { echo "mpsim: lut_tc/clock.sh: $*" >&2; exit 1; }
. "$HERE/../../calib_common.sh"
CALIB_NAME=lut_tc/clock.sh
[ -s "$CAL/v/lut_out.v" ] || die "$CAL/v/lut_out.v: run calibrate_area.sh on $LIBERTY first"
mkdir -p "$OUT"
# the FP16 output with the FTZ adder: calibrate_area.sh's piece, its adder
# swapped
sed -n '/^module lut_fp16_out_w1 /,/^endmodule/p' "$CAL/v/lut_out.v" |
    sed -e 's/^module lut_fp16_out_w1 /module lut_fp16_out_w1_ftz /' \
        -e 's/^\( *\)mpsim_top_fp_add_e5m10 add /\1fp16_add_ftz add /' >"$OUT/lut_ftz.v"
grep -q '^ *fp16_add_ftz add ' "$OUT/lut_ftz.v" ||
    die "$CAL/v/lut_out.v: no lut_fp16_out_w1 with an mpsim_top_fp_add_e5m10 add"
FP_UNITS=$(ls "$CAL"/rtl/lut/mpsim_top_fp_*.v)
for map in area driven; do
    CALIB_TIMING_DRIVEN=
    [ "$map" = driven ] && CALIB_TIMING_DRIVEN=1
    for piece in lut_fp16_out_w1 lut_int8_out_w2 lut_fp16_out_w1_ftz fp16_add; do
        top=$piece
        case $piece in
            *_ftz) files=("$OUT/lut_ftz.v" "$HERE/ftz_units.v") ;;
            fp16_add) files=($FP_UNITS); top=mpsim_top_fp_add_e5m10 ;;
            *) files=("$CAL/v/lut_out.v" $FP_UNITS) ;;
        esac
        dir="$OUT/$piece-$map"
        arch="$HERE/luttc-unit-w1a16.yaml"
        [ "$piece" = lut_int8_out_w2 ] && arch="$HERE/luttc-unit-w2a8.yaml"
        figures=$(calib_time_piece "$dir" "$LIBERTY" "$NODE" "$top" "$arch" \
                      "${files[@]}") ||
            die "$piece ($map): synthesis or timing failed, or no path ($dir: yosys.log, timing.json)"
        echo "$piece $map ${figures##* }"
    done
done
