#!/usr/bin/env bash
# `mpsim cosim --activity --gate` end to end on the smallest design: a 2x2
# int8-mac array, K 16, 4 tiles (3 extreme, 1 random): the RTL run's PE
# inputs drive the PE's gate-level netlist under iverilog, every cell gets
# its measured output toggle rate in OpenSTA.  Checks: --gate alone is
# refused; the report names the method; every cell of the PE module in
# the netlist got a measured rate; the testbench's clock counted by the
# VCD reader is exactly 2 toggles per simulated cycle; energy per MAC is
# positive for each tile kind; the OpenSTA scripts give every rate a
# one-line command of its own.  The same run measures the edge units
# (the dequant units, the act_scale multiplier): each one's netlist under
# iverilog on its last instance's inputs, OpenSTA with every cell of its
# subtree measured, a positive energy per dequantization op next to the
# model's.  (The figures: docs/validation.md "Gate-level simulation";
# long runs: scripts/calibrate_energy.sh.)
source "$(dirname "$0")/lib.sh"

expect_error gate_needs_activity "--gate: needs --activity" \
    "$MPSIM_FAST" cosim --arch int8-mac --gate

BUILD="${MPSIM_BUILD:-build}"
if ! command -v verilator >/dev/null || ! command -v yosys >/dev/null ||
    ! command -v sta >/dev/null || ! command -v iverilog >/dev/null ||
    ! LIB=$(bash scripts/get_osu018.sh "$BUILD" 2>/dev/null); then
    ok "gate_activity # SKIP needs verilator, yosys, iverilog, opensta (sta) and the OSU 0.18 um liberty"
    exit 0
fi
LIB=$(realpath "$LIB")
MPSIM_KEEP_ACTIVITY=1 nice "$MPSIM_FAST" cosim --cache "$TMP/cache" \
    --arch int8-mac --rows 2 --cols 2 --k-max 16 --group 16 --tiles 4 \
    --liberty "$LIB" --activity "$TMP/gate.txt" --gate \
    >"$TMP/run.out" 2>"$TMP/run.err"
rc=$?
net=$(ls "$TMP"/cache/activity-*/netlist.v 2>/dev/null | head -1)
# cells of the PE module (instances of OSU018 cells: NAME X<drive>)
cells=$(awk '/^module mpsim_top_pe\(/ { on = 1 } on && /^endmodule/ { on = 0 }
             on && /^  [A-Z0-9]+X[0-9] / { n++ } END { print n + 0 }' \
        "${net:-/dev/null}")
if [ "$rc" -eq 0 ] && grep -q "^method gate-level-simulation$" "$TMP/gate.txt" &&
    [ "$cells" -gt 100 ] && awk -v cells="$cells" '
    $1 == "kind" { cc[$2] = $6 }
    $1 == "gate" { sim[$2] = $4; if ($6 != cells) bad = 1 }
    $1 == "energy" { n++; if (!($6 > 0)) bad = 1 }
    $1 == "rate" && $3 == "clk" { clk[$2] = $4 }
    END { if (n != 2 || bad) exit 1
          for (k in sim) { want = 2 * sim[k] / cc[k]
                           if (!(want > 0) || (clk[k] - want) / want > 1e-5 ||
                               (want - clk[k]) / want > 1e-5) exit 1 }
          if (length(sim) != 2) exit 1 }' "$TMP/gate.txt"
then ok "gate_activity (int8-mac 2x2, $cells cells measured, clock counted exactly)"
else not_ok "gate_activity (exit $rc: $(head -c 300 "$TMP/run.err"); $(grep -v '^rate' "$TMP/gate.txt" 2>/dev/null | tail -4 | head -c 400))"; fi

# the OpenSTA scripts give each measured rate a command of its own line:
# OpenSTA reads a script line by line, testing after each whether the
# command is complete, so one multi-line `array set` of every rate took
# time quadratic in the unit's pins (lut-tc's 1.6 million: no result in
# 10 minutes; sim/cosim/activity.c)
scripts=$(ls "$TMP"/cache/activity-*/sta_power_*.tcl 2>/dev/null)
if [ -n "$scripts" ] && awk '
    /^array set rate[0-9]+ / { if ($0 ~ /^array set rate[0-9]+ \{\{[^{}]+\} [0-9.e+-]+\}$/) n++; else bad = 1 }
    /^array set rate[0-9]+ \{$/ || /^  \{/ { bad = 1 }
    END { exit !(n > 100 && !bad) }' $scripts
then ok "gate_activity_rates_one_line (one command a rate in $(echo "$scripts" | wc -l) OpenSTA scripts)"
else not_ok "gate_activity_rates_one_line ($(echo $scripts | head -c 200))"; fi

# ---- the edge units of the same run ---------------------------------------
# each edge unit's instances in its subtree (leaf cells and submodule
# instances: what OpenSTA's get_cells -hierarchical counts), by the
# netlist's hierarchy; the units: modules the top instantiates but the PE
subtree() { # NETLIST MODULE
    awk -v want="$2" '
        /^module / { m = $2; sub(/\(.*/, "", m); next }
        /^endmodule/ { m = ""; next }
        m != "" && /^  [A-Z0-9]+X[0-9] / { own[m]++; next }
        m != "" && /^  [a-z][a-z0-9_]* [^ ]+ \($/ { kids[m] = kids[m] " " $1 }
        function count(x,   n, i, k, c) { c = own[x] + 0
            n = split(kids[x], k, " ")
            for (i = 1; i <= n; i++) c += 1 + count(k[i])
            return c }
        END { print count(want) }' "$1"
}
units=$(awk '/^module mpsim_top\(/ { on = 1; next } on && /^endmodule/ { on = 0 }
             on && /^  [a-z][a-z0-9_]* [^ ]+ \($/ && $1 != "mpsim_top_pe" { print $1 }' \
        "${net:-/dev/null}" | sort -u)
bad=
for u in $units; do
    want=$(subtree "$net" "$u")
    awk -v u="$u" -v want="$want" '
        $1 == "edge_unit" && $2 == u { seen = 1 }
        $1 == "gate_edge" && $3 == u { n++; if ($7 != want || !($9 > 0)) bad = 1 }
        END { exit !(seen && n == 2 && !bad) }' "$TMP/gate.txt" ||
        bad="$bad $u(cells $want)"
done
if [ "$rc" -eq 0 ] && [ -n "$units" ] && [ -z "$bad" ] &&
    [ -s "$(ls -d "$TMP"/cache/activity-*/gate-1 2>/dev/null | head -1)/tb.vvp" ] &&
    awk '$1 == "edge" { n++; if (!($6 > 0 && $8 > 0 && $4 > 0)) bad = 1 }
         END { exit !(n == 2 && !bad) }' "$TMP/gate.txt"
then ok "gate_activity_edge ($(echo $units | wc -w) edge units, every cell measured; $(awk '$1 == "edge" { printf "%s %s pJ/op, ", $2, $6 }' "$TMP/gate.txt")model $(awk '$1 == "edge" { print $8; exit }' "$TMP/gate.txt"))"
else not_ok "gate_activity_edge (exit $rc; units: $units; bad:$bad; $(grep '^edge\|^gate_edge' "$TMP/gate.txt" 2>/dev/null | head -c 400))"; fi

# ---- the edge energy split into busy ops, idle cycles, results ------------
# (gate_sim.h, docs/model.md "Gate-level PE energy").  A unit with op
# strobes (inputs gdJ: the dequant unit) has busy cycles and idle ones; so
# has the read port's act_scale multiplier (instance u_act_scale,
# per_result 1: busy while the top reads, rd_idx changing); a unit with
# neither is
# idle in every cycle, its idle figure its whole figure.  The edge line's
# split gives back the whole energy: ops x busy + (units x compute cycles
# - ops) x idle + results x per-result = ops x pj_per_op, the results
# being every tile's m_tile x n_tile (2 x 2 here) read out.
bad=
for u in $units; do
    strobes=$(awk -v u="$u" '/^module / { m = $2; sub(/\(.*/, "", m) }
        m == u && /^  input \\?gd[0-9]+ *;/ { n++ } END { print n + 0 }' "$net")
    read_unit=$(awk -v u="$u" '$1 == "edge_unit" && $2 == u && $8 == "u_act_scale" { print 1 }' "$TMP/gate.txt")
    awk -v u="$u" -v s="$strobes" -v r="${read_unit:-0}" '
        $1 == "gate_edge" && $3 == u { n++
            if (!($13 >= 0 && $13 <= $5) || $17 != r) bad = 1
            if ((s > 0 || r) && !($13 < $5 && $13 > 0)) bad = 1
            if (s == 0 && !r && ($13 != $5 || $15 != $9)) bad = 1 }
        END { exit !(n == 2 && !bad) }' "$TMP/gate.txt" ||
        bad="$bad $u(strobes $strobes, read port ${read_unit:-0})"
done
if [ "$rc" -eq 0 ] && [ -n "$units" ] && [ -z "$bad" ] &&
    grep -q '^  input \\\?gd0 *;' "$net" &&
    grep -q '^edge_unit .* instance u_act_scale$' "$TMP/gate.txt" &&
    awk '$1 == "kind" { cc[$2] = $6; tiles[$2] = $4 }
         $1 == "edge" { n++; c = cc[$2]; ops = $4
             whole = ops * $6
             split_ = ops * $12 + ($16 * c - ops) * $14 + $18 * $20
             if (!($12 > 0 && $14 > 0 && $16 > 0 && $16 * c >= ops) ||
                 !($18 > 0) || $20 != 4 * tiles[$2] ||
                 (whole - split_) / whole > 1e-4 || (split_ - whole) / whole > 1e-4)
                 bad = 1 }
         END { exit !(n == 2 && !bad) }' "$TMP/gate.txt"
then ok "gate_activity_edge_split ($(awk '$1 == "edge" { printf "%s %s pJ/busy op + %s pJ/idle unit-cycle + %s pJ/result, ", $2, $12, $14, $18 }' "$TMP/gate.txt")sums back to the whole)"
else not_ok "gate_activity_edge_split (bad:$bad; $(grep '^edge\|^gate_edge' "$TMP/gate.txt" 2>/dev/null | head -c 400))"; fi
