#!/usr/bin/env bash
# CLI tests of `mpsim list`: every category names something, and `list scale`
# prints the node multipliers of docs/model.md section 9.7, worked by hand
# for 180 nm / 1.8 V -> 28 nm / 0.9 V; bad operands get one line, exit 2.
. "$(dirname "$0")/lib.sh"

for what in archs pes techs models; do
    n=$(list_names "$what" | wc -l)
    [ "$n" -gt 0 ] && ok "list $what: $n names" || not_ok "list $what: none"
done

# Worked by hand (Stillmaker & Baas 2017): 28 nm lies between 32 and 20 nm
# at t = ln(32/28) / ln(32/20) = 0.28410 in log(node).
#   area:   180->32 0.025, 180->20 0.011: 0.025 (0.011/0.025)^t = 0.019799
#   energy: E(n, V) = a V^2 + b V + c; 180 nm (0, 24.64, -17.98) at 1.8 V
#           = 26.372; 32 nm (0.8367, -0.4341, 0.1701) at 0.9 V = 0.457137,
#           20 nm (0.373, -0.1582, 0.04104) at 0.9 V = 0.20079;
#           0.457137^(1-t) 0.20079^t = 0.36185, / 26.372 = 0.0137212
#   delay:  1 / 9.1253 = 0.109585 (the factor docs/validation.md "Timing"
#           applies to every 180 nm path)
"$MPSIM" list scale 180:1.8 28:0.9 >"$TMP/scale" 2>"$TMP/err"
check_factor() {
    local got
    got=$(awk -v k="$1" '$1 == k { print $2 }' "$TMP/scale")
    if [ -n "$got" ] && awk -v g="$got" -v w="$2" \
        'BEGIN { d = g / w - 1; exit !(d < 1e-4 && d > -1e-4) }'; then
        ok "list scale 180:1.8 28:0.9 $1 = $got"
    else not_ok "list scale $1: got '$got', want $2 ($(head -c 200 "$TMP/err"))"; fi
}
check_factor area 0.019799
check_factor energy 0.0137212
check_factor delay 0.109585
[ "$(wc -l <"$TMP/scale")" -eq 3 ] && ok "list scale: three lines" ||
    not_ok "list scale: $(wc -l <"$TMP/scale") lines"

# the same node at its nominal supply: every factor 1
"$MPSIM" list scale 28 28 >"$TMP/same" 2>&1
[ "$(awk '{ print $2 }' "$TMP/same" | sort -u)" = 1 ] &&
    ok "list scale 28 28: all 1" || not_ok "list scale 28 28: $(cat "$TMP/same")"

bad() {
    local name=$1; shift
    "$MPSIM" list "$@" >"$TMP/out" 2>"$TMP/err"
    local rc=$?
    if [ "$rc" -eq 2 ] && [ ! -s "$TMP/out" ] && [ "$(wc -l <"$TMP/err")" -eq 1 ]
    then ok "refused: $name"
    else not_ok "refused: $name (exit $rc: $(head -c 200 "$TMP/err"))"; fi
}
bad "node below 7 nm" scale 180 2
bad "one node" scale 180:1.8
bad "voltage not a number" scale 180:x 28
bad "trailing operand" scale 180 28 45
bad "unknown category" sizes

# `list liberty`: what mpsim synth reads of a library; OSU 0.18 um needs no
# node, another library (OSU's cells renamed) its node, and a file mpsim
# synth would refuse is refused the same way (one line, exit 1)
BUILD=$(dirname "$MPSIM_FAST")
if OSU=$(bash scripts/get_osu018.sh "$BUILD" 2>/dev/null); then
    "$MPSIM" list liberty "$OSU" >"$TMP/lib" 2>"$TMP/err"
    if [ "$(cat "$TMP/lib")" = "$(printf 'library osu018_stdcells\ncells OSU 0.18 um\nvdd 1.8\nnode_nm 180\nbuffer BUFX2 A Y')" ]
    then ok "list liberty OSU"
    else not_ok "list liberty OSU ($(head -c 300 "$TMP/lib" "$TMP/err"))"; fi
    sed 's/^library(osu018_stdcells)/library(osu_renamed)/' "$OSU" >"$TMP/renamed.lib"
    "$MPSIM" list liberty "$TMP/renamed.lib" 90 >"$TMP/lib90" 2>"$TMP/err"
    if grep -qx "node_nm 90" "$TMP/lib90" && grep -qx "cells osu_renamed (90 nm)" "$TMP/lib90"
    then ok "list liberty another library at its node"
    else not_ok "list liberty another library ($(head -c 300 "$TMP/lib90" "$TMP/err"))"; fi
    expect_error "list_liberty_needs_node" \
        "renamed.lib:[0-9]+: library: .* give its process node with list liberty FILE NM" \
        "$MPSIM" list liberty "$TMP/renamed.lib"
else
    not_ok "list liberty (no OSU liberty: make deps)"
fi
expect_error list_liberty_unreadable "none.lib: --liberty: cannot read the liberty file" \
    "$MPSIM" list liberty "$TMP/none.lib"
bad "liberty without a file" liberty
bad "liberty node out of range" liberty README.md 4
bad "liberty trailing operand" liberty README.md 45 x
