#!/usr/bin/env bash
# check_sta_paths.sh - check that the paths of a scripts/calibrate_timing.sh
# run exist: for every module OpenSTA timed (each PRESET-area.json and
# PRESET-driven.json of the work directory, with its netlist in
# PRESET-MAP/netlist.v), the reported path has at most as many cells as
# the longest combinational path Yosys's `ltp` finds in the same module
# of the same netlist (flattened; the library's flip-flops and latches
# removed, so paths end at them).  OpenSTA 0~20191111 misreads some
# netlists without a word and then reports paths that do not exist
# (docs/validation.md "Netlists OpenSTA reads"); this is the check that
# would show it on every design.  make validate runs it after each timing
# calibration.
#
# usage: scripts/check_sta_paths.sh WORK LIBERTY
#   WORK     calibrate_timing.sh's work directory (BUILD/calib-timing...)
#   LIBERTY  the library that run mapped to
# Prints "PRESET-MAP MODULE sta_cells ltp_cells ok|LONGER" per module and
# exits 1 when any path is longer than its module's longest, or a module
# cannot be checked.
set -eu
[ $# -eq 2 ] || { sed -n '2,/^[^#]/{/^#/p}' "$0" >&2; exit 2; }
WORK=$1 LIB=$2
die() { echo "mpsim: check_sta_paths.sh: $*" >&2; exit 1; }
[ -d "$WORK" ] || die "$WORK: no such directory"
[ -r "$LIB" ] || die "$LIB: cannot read"
command -v yosys >/dev/null || die "yosys not installed (make deps)"
command -v python3 >/dev/null || die "python3 not installed (make deps)"
# the library's sequential cells: those with an ff or latch group
SEQ=$(awk '/^[ \t]*cell[ \t]*\(/ { c = $0; sub(/.*cell[ \t]*\([ \t]*"?/, "", c)
                                    sub(/"?[ \t]*\).*/, "", c) }
           /^[ \t]*(ff|latch|ff_bank|latch_bank)[ \t]*\(/ && c != "" {
               if (!seen[c]++) printf "t:%s ", c }' "$LIB")
[ -n "$SEQ" ] || die "$LIB: no flip-flop or latch cell"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
bad=0 n=0
for json in "$WORK"/*-area.json "$WORK"/*-driven.json; do
    [ -e "$json" ] || continue
    run=$(basename "$json" .json)
    netlist="$WORK/$run/netlist.v"
    [ -r "$netlist" ] || die "$netlist: cannot read (a work directory of calibrate_timing.sh?)"
    python3 -c '
import json, sys
for m in json.load(open(sys.argv[1]))["timing"]["modules"]:
    print(m["module"], m["levels"])' "$json" >"$TMP/modules" ||
        die "$json: no timing modules"
    while read -r module levels; do
        yosys -q -p "read_liberty -lib $LIB; read_verilog $netlist;
            hierarchy -top $module; flatten; delete $SEQ;
            tee -q -o $TMP/ltp.txt ltp -noff" >"$TMP/yosys.log" 2>&1 ||
            die "yosys ltp failed on $run $module: $(grep -m1 ERROR "$TMP/yosys.log")"
        longest=$(sed -n 's/.*Longest topological path in .* (length=\([0-9]*\)).*/\1/p' "$TMP/ltp.txt")
        [ -n "$longest" ] || die "$run $module: no ltp result"
        verdict=ok
        [ "$levels" -le "$longest" ] || { verdict=LONGER; bad=$((bad + 1)); }
        echo "$run $module $levels $longest $verdict"
        n=$((n + 1))
    done <"$TMP/modules"
done
[ "$n" -gt 0 ] || die "$WORK: no PRESET-area.json or PRESET-driven.json"
[ "$bad" -eq 0 ] || { echo "mpsim: check_sta_paths.sh: $bad of $n paths longer than their module's longest" >&2; exit 1; }
