#!/usr/bin/env bash
# scripts/calibrate_timing.sh --paths: the table written from measured
# lines (both netlists of each preset) keeps, per preset, the netlist with
# the shorter design period (the slower of PE and edge; a tie keeps the
# area-mapped one), names it in the entry's source (the command, with
# --timing-driven for that netlist), and keys the slowest preset of each
# family and format and of each family; mpsim loads the table.  No tool
# runs: a few seconds.
source "$(dirname "$0")/lib.sh"
BUILD=$(dirname "$MPSIM_FAST")
TIM=scripts/calibrate_timing.sh
# preset family act area_pe area_edge driven_pe driven_edge area_um2 driven_um2
cat >"$TMP/paths.txt" <<'P'
pa fam-a int8 4.000 10.000 3.000 8.000 100 105
pb fam-a int8 5.000 12.000 6.000 13.000 200 210
pc fam-b fp16 2.000 0.000 2.000 0.000 50 52
P
if bash "$TIM" "$BUILD" --paths "$TMP/paths.txt" --yaml "$TMP/t.yaml" >"$TMP/out" 2>"$TMP/err"; then
    got=$(sed -n 's/^  \([a-z0-9_]*\): {value: \([0-9.]*\), unit: ns, source: "mpsim synth --arch \([a-z]*\) .*--timing\( --timing-driven\)\{0,1\} (.*/\1 \2 \3\4/p' "$TMP/t.yaml")
    want="fam_a_edge_path_ns 12.000 pb
fam_a_int8_edge_path_ns 12.000 pb
fam_a_int8_pe_path_ns 5.000 pb
fam_a_pe_path_ns 5.000 pb
fam_b_fp16_pe_path_ns 2.000 pc
fam_b_pe_path_ns 2.000 pc"
    if [ "$(echo "$got" | sort)" = "$want" ]; then ok "timing_table_slowest_preset_kept"
    else not_ok "timing_table_slowest_preset_kept (got: $(echo $got))"; fi
else
    not_ok "timing_table_slowest_preset_kept ($(head -c 300 "$TMP/err"))"
fi
# the faster netlist of pa is its timing-driven one: alone, it is the entry
sed -n 1p "$TMP/paths.txt" >"$TMP/pa.txt"
if bash "$TIM" "$BUILD" --paths "$TMP/pa.txt" --yaml "$TMP/pa.yaml" >"$TMP/out" 2>"$TMP/err" &&
    grep -q '^  fam_a_int8_pe_path_ns: {value: 3.000, unit: ns, source: "mpsim synth --arch pa .* --timing --timing-driven (' "$TMP/pa.yaml" &&
    grep -q '^  fam_a_int8_edge_path_ns: {value: 8.000,' "$TMP/pa.yaml"
then ok "timing_table_faster_netlist (timing-driven kept)"
else not_ok "timing_table_faster_netlist ($(head -c 300 "$TMP/err"; grep pe_path "$TMP/pa.yaml"))"; fi
# equal design periods: the first preset name in byte order is the entry,
# whatever the file's order (timing_table.py's rule, the docs' too)
printf 'pz fam-c int8 4.000 10.000 3.000 9.000 100 105\npy fam-c int8 4.000 9.000 6.000 10.000 100 105\n' >"$TMP/tie.txt"
if bash "$TIM" "$BUILD" --paths "$TMP/tie.txt" --yaml "$TMP/tie.yaml" >"$TMP/out" 2>"$TMP/err" &&
    grep -q '^  fam_c_int8_pe_path_ns: {value: 4.000, unit: ns, source: "mpsim synth --arch py .* --timing (' "$TMP/tie.yaml" &&
    grep -q '^  fam_c_pe_path_ns: {value: 4.000, unit: ns, source: "mpsim synth --arch py ' "$TMP/tie.yaml"
then ok "timing_table_tie_first_name (py, area-mapped)"
else not_ok "timing_table_tie_first_name ($(head -c 300 "$TMP/err"; grep pe_path "$TMP/tie.yaml"))"; fi
# the table mpsim reads: every source fits the reader (199 characters),
# with the longest preset name; loaded by `mpsim run` from a data copy
longest=$(ls sim/arch | sed 's/\.yaml$//' | awk '{ print length($0), $0 }' | sort -n | tail -1 | cut -d' ' -f2)
printf '%s int8-mac int8 4.000 10.000 3.000 8.000 100 105\n' "$longest" >"$TMP/long.txt"
data_copy "$TMP/data"
if bash "$TIM" "$BUILD" --paths "$TMP/long.txt" --yaml "$TMP/data/pe_models/tech/osu018-timing.yaml" \
        >"$TMP/out" 2>"$TMP/err" &&
    MPSIM_DATA="$TMP/data" "$MPSIM" run --arch int8-mac --model llama2-7b --phase decode \
        --seq 64 --quant w8a8g128 --format json -o "$TMP/run.json" 2>"$TMP/run.err" &&
    grep -q '"fmax_hz": [0-9]' "$TMP/run.json"
then ok "timing_table_loads ($longest)"
else not_ok "timing_table_loads ($(head -c 300 "$TMP/err" "$TMP/run.err"))"; fi
# a line of the old format (six words) is refused with its line
printf 'pa fam-a int8 3.000 8.000 333.3\n' >"$TMP/old.txt"
expect_error timing_paths_format "old.txt:1: want \"preset family act area_pe_ns" \
    bash "$TIM" "$BUILD" --paths "$TMP/old.txt" --yaml "$TMP/old.yaml"
# an empty paths file writes no table
: >"$TMP/empty.txt"
expect_error timing_paths_empty "empty.txt: no preset line" \
    bash "$TIM" "$BUILD" --paths "$TMP/empty.txt" --yaml "$TMP/empty.yaml"
expect_no_file timing_paths_empty_no_table "$TMP/empty.yaml"
