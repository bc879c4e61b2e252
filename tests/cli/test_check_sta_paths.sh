#!/usr/bin/env bash
# scripts/check_sta_paths.sh: on a calibrate_timing.sh-style work
# directory (int8-mac 2x2, area-mapped, OSU) every timed path is at most
# its module's longest combinational path (Yosys ltp), so the check
# passes; the same reports with one path made longer than the netlist
# allows fail it with one line.  About 15 s.
source "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$MPSIM_FAST")
CHK=scripts/check_sta_paths.sh
OSU=$(bash scripts/get_osu018.sh "$BUILD" 2>/dev/null) || OSU=README.md

expect_error sta_paths_no_work "$TMP/none: no such directory" \
    bash "$CHK" "$TMP/none" "$OSU"
mkdir -p "$TMP/empty"
expect_error sta_paths_empty_work "empty: no PRESET-area.json or PRESET-driven.json" \
    bash "$CHK" "$TMP/empty" "$OSU"

W="$TMP/work"
mkdir -p "$W"
"$MPSIM_FAST" synth --arch int8-mac --rows 2 --cols 2 --k-max 32 --group 32 \
    --timing --format json -o "$W/int8-mac-area.json" \
    --workdir "$W/int8-mac-area" >/dev/null 2>"$TMP/synth.err"
if bash "$CHK" "$W" "$OSU" >"$TMP/ok.out" 2>"$TMP/ok.err" &&
    [ "$(grep -c ' ok$' "$TMP/ok.out")" -ge 2 ] &&
    grep -q '^int8-mac-area mpsim_top_pe [0-9]* [0-9]* ok$' "$TMP/ok.out"
then ok "sta_paths_exist ($(tr '\n' ';' <"$TMP/ok.out"))"
else not_ok "sta_paths_exist ($(head -c 300 "$TMP/synth.err" "$TMP/ok.err" "$TMP/ok.out"))"; fi
# a PE path of 9999 cells cannot exist in that netlist
sed 's/"levels": [0-9]*/"levels": 9999/' "$W/int8-mac-area.json" >"$TMP/long.json"
mv "$TMP/long.json" "$W/int8-mac-area.json"
expect_error sta_paths_longer "paths longer than their module's longest" \
    bash "$CHK" "$W" "$OSU"
