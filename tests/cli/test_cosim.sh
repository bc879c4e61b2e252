#!/usr/bin/env bash
# Co-simulation: every shipped preset on a small array, bit for
# bit against the golden and cycle for cycle against the engine; broken RTL
# must be caught; bad inputs give one-line errors.  Builds are cached in
# $MPSIM_BUILD/cosim-cache (Verilator at -O1), so a rerun takes seconds.
source "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"
FIXTURE=tests/cosim/fixture_int8_os

# cosim_clean NAME ARGS...: exit 0, 0 mismatches, cycle error 0 (the
# issue's bound is 2%; every family's RTL equals the engine exactly)
cosim_clean() { cosim_check "$1" 0 "${@:2}"; }

# ---- the hand-written fixture: harness, cycle model, broken copy ---------
cosim_clean cosim_fixture --rtl "$FIXTURE" --tiles 6

broken="$TMP/broken_fixture"
cp -r "$FIXTURE" "$broken"
sed -i 's/product\[15\]}}, product}/product[15]}}, product[15:1], ~product[0]}/' \
    "$broken/mpsim_top.v"
if grep -q '~product\[0\]' "$broken/mpsim_top.v"; then ok cosim_fixture_sed
else not_ok "cosim_fixture_sed (the sed no longer applies)"; fi
"$MPSIM" cosim --cache "$CACHE" --rtl "$broken" --tiles 3 \
    --wave "$TMP/broken.fst" >"$TMP/broken.out" 2>"$TMP/broken.err"
rc=$?
if [ "$rc" -eq 1 ] && [ "$(wc -l <"$TMP/broken.err")" -eq 1 ] &&
   grep -Eq '^mpsim: .*mismatch.*first: tile [0-9]+ m [0-9]+ n [0-9]+ expected 0x[0-9a-f]{8} got 0x[0-9a-f]{8}' "$TMP/broken.err"
then ok cosim_fixture_broken_caught
else not_ok "cosim_fixture_broken_caught (exit $rc: $(head -c 300 "$TMP/broken.err"))"; fi
if [ -s "$TMP/broken.fst" ]; then ok cosim_fixture_broken_waveform
else not_ok "cosim_fixture_broken_waveform (no FST written)"; fi

# ---- every shipped preset (so every registered family: test_arch.c) -----
# generated small (small_shape), linted, and co-simulated with K 64 in
# groups of 32; presets and families come from `mpsim list`, none is named.
# Every shipped preset has a generator, so `mpsim rtl` declining one is a
# failure; a preset whose small RTL equals one linted already is not
# linted twice (its co-simulation build is cached the same way).
presets=$(list_names archs)
[ -n "$presets" ] && ok "cosim_presets_listed ($(echo $presets | wc -w))" ||
    not_ok "cosim_presets_listed (mpsim list archs shows none)"
declare -A linted
for preset in $presets; do
    read -r rows cols <<<"$(small_shape "$preset")"
    probe="$TMP/probe-$preset"
    "$MPSIM_FAST" rtl --arch "$preset" --rows "$rows" --cols "$cols" --k-max 64 \
        --group 32 -o "$probe" >/dev/null 2>"$TMP/probe.err"
    if [ -s "$TMP/probe.err" ]; then # the generator declines this preset
        not_ok "cosim_$preset (mpsim rtl declines: $(head -c 160 "$TMP/probe.err"))"
        continue
    fi
    sum=$(cat "$probe"/*.v | md5sum | cut -c1-32)
    if [ -n "${linted[$sum]:-}" ]; then
        ok "rtl_lint_$preset (same RTL as ${linted[$sum]})"
    else
        linted[$sum]=$preset
        lint_dir "$preset" "$probe"
        yosys_dir "$preset" "$probe"
    fi
    cosim_clean "cosim_$preset" --arch "$preset" --rows "$rows" --cols "$cols" \
        --k-max 64 --group 32 --tiles 5
done
# the LUT Tensor Core preset uses FP16 tables; co-simulate the integer path
# (exact INT16 tables) too, W2A8 on one M2N64K4 PE
cosim_clean cosim_lut-tc_w2a8 --arch lut-tc --act int8 --rows 1 --cols 1 \
    --k-max 64 --group 32 --tiles 5

# one family on a 3x4 array with workload-shaped tiles
cosim_clean cosim_mixpe_3x4_trace --arch mixpe-w4a8 --rows 3 --cols 4 \
    --k-max 128 --group 64 --tiles 5 --model llama2-7b --phase decode \
    --seq 128 --quant w4a8 --trace-layer 1

# ---- generated RTL with one bit of one PE's arithmetic flipped ----------
gen="$TMP/gen_int8"
"$MPSIM_FAST" rtl --arch int8-mac --rows 2 --cols 2 --k-max 32 -o "$gen" \
    >/dev/null 2>&1
sed -i 's/{{5{prod\[15\]}}, prod}/{{5{prod[15]}}, prod[15:1], ~prod[0]}/' \
    "$gen/mpsim_top_pe.v"
if grep -q '~prod\[0\]' "$gen/mpsim_top_pe.v"; then ok cosim_gen_sed
else not_ok "cosim_gen_sed (the generated PE changed; update the sed)"; fi
"$MPSIM" cosim --cache "$CACHE" --rtl "$gen" --tiles 2 --wave "$TMP/gen.fst" \
    >"$TMP/gen.out" 2>"$TMP/gen.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'mismatching results; first: tile' "$TMP/gen.err" &&
   grep -q '^first ' "$TMP/gen.out"
then ok cosim_generated_broken_caught
else not_ok "cosim_generated_broken_caught (exit $rc: $(head -c 300 "$TMP/gen.err"))"; fi

# ---- SystemC: memory stalls match the simulator's memory timing ---------
# 0.5 bytes/cycle is below the port's one word per cycle, so the memory
# model, not the port, sets the load time: measured / predicted ~ 1.
"$MPSIM" cosim --cache "$CACHE" --rtl "$FIXTURE" --tiles 4 --systemc \
    --bw 0.5 --latency 20 --format json >"$TMP/sc.json" 2>"$TMP/sc.err"
rc=$?
ratio=$(sed -n 's/.*"ratio": \([0-9.e+-]*\)}.*/\1/p' "$TMP/sc.json")
if [ "$rc" -eq 0 ] && [ "$(json_num "$TMP/sc.json" mismatches)" = 0 ] &&
   awk -v r="$ratio" 'BEGIN { exit !(r != "" && r >= 0.98 && r <= 1.02) }'
then ok "cosim_systemc_memory (ratio $ratio)"
else not_ok "cosim_systemc_memory (exit $rc, ratio '$ratio': $(head -c 300 "$TMP/sc.err"))"; fi

# ---- bad inputs: one line, non-zero ------------------------------------
expect_error cosim_rtl_missing "--rtl: '.*' is not a directory" \
    "$MPSIM" cosim --cache "$CACHE" --rtl "$TMP/no-such-dir"
mkdir -p "$TMP/noparams"
cp "$FIXTURE/mpsim_top.v" "$TMP/noparams/"
expect_error cosim_params_missing "params.json: params.json: missing" \
    "$MPSIM" cosim --cache "$CACHE" --rtl "$TMP/noparams"
mkdir -p "$TMP/badparams"
cp "$FIXTURE/mpsim_top.v" "$FIXTURE/mpsim-rtl.done" "$TMP/badparams/"
sed 's/"rows": 2/"rows": "two"/' "$FIXTURE/params.json" >"$TMP/badparams/params.json"
expect_error cosim_params_bad "params.json:[0-9]+: rows" \
    "$MPSIM" cosim --cache "$CACHE" --rtl "$TMP/badparams"
expect_error cosim_unknown_arch "--arch" \
    "$MPSIM" cosim --cache "$CACHE" --arch no-such-arch
expect_error cosim_bad_tiles "--tiles" \
    "$MPSIM" cosim --cache "$CACHE" --rtl "$FIXTURE" --tiles 0
expect_error cosim_bad_format "--format" \
    "$MPSIM" cosim --cache "$CACHE" --rtl "$FIXTURE" --format xml
expect_error cosim_no_arch "--arch: required" "$MPSIM" cosim
expect_error cosim_layer_needs_workload "--trace-layer" \
    "$MPSIM" cosim --cache "$CACHE" --rtl "$FIXTURE" --trace-layer 0
expect_ok cosim_help "$MPSIM" cosim --help

# ---- JSON output of a design folder named with a quote and a backslash ----
# (strings go through the one escaping, golden/json.h; the build is cached)
quoted="$TMP/rtl\"q\\b"
cp -r "$FIXTURE" "$quoted"
json_names() { # FILE: the JSON parses and "design" is the folder, verbatim
    /usr/bin/python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
sys.exit(0 if d["design"] == sys.argv[2] else 1)' "$1" "$quoted" 2>/dev/null
}
"$MPSIM" cosim --cache "$CACHE" --rtl "$quoted" --tiles 2 --format json \
    >"$TMP/quoted.json" 2>"$TMP/quoted.err"
if [ $? -eq 0 ] && json_names "$TMP/quoted.json"; then ok cosim_json_escapes_names
else not_ok "cosim_json_escapes_names ($(head -c 300 "$TMP/quoted.err"; head -c 200 "$TMP/quoted.json"))"; fi
"$MPSIM" synth --rtl "$quoted" --target xcup --format json \
    >"$TMP/quoted_syn.json" 2>"$TMP/quoted_syn.err"
if [ $? -eq 0 ] && json_names "$TMP/quoted_syn.json"; then ok synth_json_escapes_names
else not_ok "synth_json_escapes_names ($(head -c 300 "$TMP/quoted_syn.err"; head -c 200 "$TMP/quoted_syn.json"))"; fi

# ---- mpsim synth on the fixture (Yosys; the model ratio is reported) -----
if LIBERTY=$(bash scripts/get_osu018.sh "${MPSIM_BUILD:-build}" 2>/dev/null); then
    "$MPSIM" synth --rtl "$FIXTURE" --liberty "$LIBERTY" --format json \
        >"$TMP/syn.json" 2>"$TMP/syn.err"
    rc=$?
    area=$(json_num "$TMP/syn.json" area_um2)
    tr=$(json_num "$TMP/syn.json" transistors)
    if [ "$rc" -eq 0 ] && awk -v a="$area" -v t="$tr" \
        'BEGIN { exit !(a > 1000 && t > 1000) }'
    then ok "synth_fixture_asic ($area um2, $tr transistors)"
    else not_ok "synth_fixture_asic (exit $rc: $(head -c 300 "$TMP/syn.err"))"; fi
    # the model side is priced on the calibrated osu018 table, the
    # arch's own table (node-scaled) on the second line
    if grep -q '"model_tech": "osu018"' "$TMP/syn.json" &&
        grep -q '"scaled_tech": "asic-' "$TMP/syn.json"
    then ok synth_model_tech_osu018
    else not_ok "synth_model_tech_osu018 ($(grep -E 'model_tech|scaled_tech' "$TMP/syn.json" | tr -d '\n'))"; fi
    # a broken calibration table is an error, not a silent fallback
    mkdir -p "$TMP/data/pe_models/tech"
    cp pe_models/tech/asic-45nm.yaml "$TMP/data/pe_models/tech/"
    sed 's/^vdd: .*/vdd: x/' pe_models/tech/osu018.yaml \
        >"$TMP/data/pe_models/tech/osu018.yaml"
    MPSIM_DATA="$TMP/data" expect_error synth_broken_osu018 "osu018.yaml:[0-9]*: vdd" \
        "$MPSIM" synth --rtl "$FIXTURE" --liberty "$LIBERTY" -o "$TMP/rep.txt"
    expect_no_file synth_broken_osu018_no_report "$TMP/rep.txt"
else
    ok "synth_fixture_asic # SKIP no OSU 0.18 um liberty (scripts/get_osu018.sh)"
fi
"$MPSIM" synth --rtl "$FIXTURE" --target xcup --format json \
    >"$TMP/synx.json" 2>"$TMP/synx.err"
rc=$?
lut=$(json_num "$TMP/synx.json" lut)
if [ "$rc" -eq 0 ] && [ -n "$lut" ] && [ "$lut" -gt 0 ]
then ok "synth_fixture_xcup ($lut LUTs)"
else not_ok "synth_fixture_xcup (exit $rc: $(head -c 300 "$TMP/synx.err"))"; fi
expect_error synth_bad_liberty "--liberty: cannot read" \
    "$MPSIM" synth --rtl "$FIXTURE" --liberty "$TMP/none.lib" -o "$TMP/rep.txt"
expect_no_file synth_bad_liberty_no_report "$TMP/rep.txt"
expect_error synth_rtl_missing "--rtl: '.*' is not a directory" \
    "$MPSIM" synth --rtl "$TMP/no-such-dir" --target xcup
expect_error synth_unknown_arch "--arch" \
    "$MPSIM" synth --arch no-such-arch --target xcup
"$MPSIM" synth --rtl "$FIXTURE" --target vhdl >/dev/null 2>"$TMP/t.err"
if [ $? -eq 2 ] && grep -q -- '--target' "$TMP/t.err"; then ok synth_bad_target
else not_ok "synth_bad_target ($(cat "$TMP/t.err"))"; fi
expect_ok synth_help "$MPSIM" synth --help
