#!/usr/bin/env bash
# scripts/calibrate_area.sh --liberty LIB: the blocks mapped to another
# library (scripts/reproduce/lut_tc/library.sh records them on Nangate
# 45 nm for that reproduction's library factors).  The check: the OSU
# liberty with every cell area doubled must give every block exactly twice
# the default run's area with the same cells, in its own work directory,
# so the option reaches Yosys' dfflibmap, abc and stat (ABC maps on
# relative areas, so the netlists are the same).  Bad uses are refused
# with one line before any tool runs.  About 50 s: two runs of ~25 s.
source "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$MPSIM_FAST")
CAL=scripts/calibrate_area.sh

# ---- bad uses ----------------------------------------------------------
expect_error liberty_unreadable "$TMP/none.lib: cannot read the liberty file" \
    bash "$CAL" "$BUILD" --liberty "$TMP/none.lib"
expect_error liberty_not_liberty "README.md: not an uncompressed Liberty library" \
    bash "$CAL" "$BUILD" --liberty README.md
expect_error liberty_with_yaml "--yaml writes the OSU 0.18 um table: not with --liberty" \
    bash "$CAL" "$BUILD" --liberty README.md --yaml "$TMP/t.yaml"
expect_no_file liberty_with_yaml_no_table "$TMP/t.yaml"
# scripts/calibrate_timing.sh takes the same option through the same
# checks (calib_liberty), and the library's node with it
TIM=scripts/calibrate_timing.sh
expect_error timing_liberty_unreadable "$TMP/none.lib: cannot read the liberty file" \
    bash "$TIM" "$BUILD" --liberty "$TMP/none.lib" --liberty-node 45
expect_error timing_liberty_with_yaml "--yaml writes the OSU 0.18 um table: not with --liberty" \
    bash "$TIM" "$BUILD" --liberty README.md --liberty-node 45 --yaml "$TMP/t.yaml"
expect_no_file timing_liberty_with_yaml_no_table "$TMP/t.yaml"
OSU=$(bash scripts/get_osu018.sh "$BUILD" 2>/dev/null) || OSU=README.md
expect_error timing_liberty_needs_node "--liberty needs --liberty-node NM" \
    bash "$TIM" "$BUILD" --liberty "$OSU"
expect_error timing_node_needs_liberty "--liberty-node only with --liberty LIB" \
    bash "$TIM" "$BUILD" --liberty-node 45

# ---- the library reaches every step -------------------------------------
if ! command -v yosys >/dev/null; then
    not_ok "liberty_doubled_areas (yosys missing: make deps)"
    exit 0
fi
OSU=$(bash scripts/get_osu018.sh "$BUILD") || { not_ok "liberty_doubled_areas (no OSU liberty)"; exit 0; }
awk '/^[ \t]*area[ \t]*:/ {
         match($0, /[0-9.]+/)
         $0 = substr($0, 1, RSTART - 1) (2 * substr($0, RSTART, RLENGTH)) \
              substr($0, RSTART + RLENGTH)
     } 1' "$OSU" >"$TMP/osu_x2.lib"
if bash "$CAL" "$BUILD" >"$TMP/base.txt" 2>"$TMP/err" &&
   bash "$CAL" "$BUILD" --liberty "$TMP/osu_x2.lib" >"$TMP/x2.txt" 2>>"$TMP/err"; then
    bad=$(join <(awk 'NF == 3' "$TMP/base.txt" | sort) <(awk 'NF == 3' "$TMP/x2.txt" | sort) |
          awk '{ n++ } $4 != 2 * $2 || $3 != $5 { print $1; b++ }
               END { if (n < 20) print "only " n " blocks" }')
    if [ -n "$bad" ]; then not_ok "liberty_doubled_areas (not 2x: $(echo $bad))"
    elif [ ! -s "$BUILD/calib-osu_x2/piece_lut_int8_out_w2/netlist.v" ]; then
        not_ok "liberty_doubled_areas (no work dir calib-osu_x2)"
    else ok liberty_doubled_areas; fi
else
    not_ok "liberty_doubled_areas ($(head -c 300 "$TMP/err"))"
fi
rm -rf "$BUILD/calib-osu_x2"
