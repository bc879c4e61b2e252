#!/usr/bin/env bash
# Static timing end to end (mpsim synth --timing): a small int8 PE array
# (2x2, no scales) through Yosys, the OSU 0.18 um netlist and OpenSTA: the
# PE module has a path with a start and an end point, logic levels and a
# positive fmax, scaled to the arch's node; bad uses are refused.  And
# `mpsim run` against the committed paths: timing_ok / fmax_hz in its JSON,
# one warning line when the clock is out of reach.
source "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"

# ---- mpsim run: the arch's clock against its family's measured paths ---
# (pe_models/tech/osu018-timing.yaml, scaled to the arch's node)
PY=/usr/bin/python3
slow="$TMP/slow.yaml"; fast="$TMP/fast.yaml"
sed 's/^  clock_hz: .*/  clock_hz: 1e6/' sim/arch/int8-mac.yaml >"$slow"
sed 's/^  clock_hz: .*/  clock_hz: 9e9/' sim/arch/int8-mac.yaml >"$fast"
RUN=(run --model llama2-7b --phase decode --seq 64 --format json)  # + --quant per arch
"$MPSIM" "${RUN[@]}" --quant w8a8g128 --arch "$slow" -o "$TMP/slow.json" 2>"$TMP/slow.err"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$TMP/slow.err" ] && "$PY" -c '
import json, sys
a = json.load(open(sys.argv[1]))["arch"]
sys.exit(0 if a["timing_ok"] is True and a["fmax_hz"] > 1e6 else 1)' "$TMP/slow.json"
then ok "run_clock_met (1 MHz: timing_ok, no warning)"
else not_ok "run_clock_met (exit $rc: $(head -c 300 "$TMP/slow.err"))"; fi
"$MPSIM" "${RUN[@]}" --quant w8a8g128 --arch "$fast" -o "$TMP/fast.json" 2>"$TMP/fast.err"
rc=$?
if [ "$rc" -eq 0 ] && [ "$(wc -l <"$TMP/fast.err")" -eq 1 ] &&
    grep -q "^mpsim: warning: .*clock 9000 MHz exceeds the .* MHz" "$TMP/fast.err" &&
    "$PY" -c '
import json, sys
a = json.load(open(sys.argv[1]))["arch"]
b = json.load(open(sys.argv[2]))["arch"]
sys.exit(0 if a["timing_ok"] is False and a["fmax_hz"] == b["fmax_hz"] else 1)' \
        "$TMP/fast.json" "$TMP/slow.json"
then ok "run_clock_not_met (one warning line, timing_ok false, same fmax)"
else not_ok "run_clock_not_met (exit $rc: $(head -c 300 "$TMP/fast.err"))"; fi
# a broken table of paths is an error naming its line, not a silent pass
data_copy "$TMP/data"
sed -i 's/^vdd: .*/vdd: x/' "$TMP/data/pe_models/tech/osu018-timing.yaml"
MPSIM_DATA="$TMP/data" expect_error run_broken_timing_table "osu018-timing.yaml:[0-9]+: vdd" \
    "$MPSIM" "${RUN[@]}" --quant w8a8g128 --arch "$slow" -o "$TMP/broken.json"
expect_no_file run_broken_timing_table_no_report "$TMP/broken.json"
# the entry: the arch's family and activation format (FAMILY_ACT), else
# the family's slowest (FAMILY), named by the warning (clock 9 GHz: one
# for sure); the fallback seen on a table without mixpe_int8
sed 's/^  clock_hz: .*/  clock_hz: 9e9/' sim/arch/mixpe-w4a8.yaml >"$TMP/w4a8.yaml"
sed 's/^  clock_hz: .*/  clock_hz: 9e9/' sim/arch/mixpe-w4a16.yaml >"$TMP/w4a16.yaml"
data_copy "$TMP/nofmt"
sed -i '/^  mixpe_int8_/d' "$TMP/nofmt/pe_models/tech/osu018-timing.yaml"
"$MPSIM" "${RUN[@]}" --quant w4a8g128 --arch "$TMP/w4a8.yaml" -o "$TMP/w4a8.json" 2>"$TMP/w4a8.err"
"$MPSIM" "${RUN[@]}" --quant w4a16g128 --arch "$TMP/w4a16.yaml" -o "$TMP/w4a16.json" 2>"$TMP/w4a16.err"
MPSIM_DATA="$TMP/nofmt" "$MPSIM" "${RUN[@]}" --quant w4a8g128 --arch "$TMP/w4a8.yaml" \
    -o "$TMP/w4a8-fb.json" 2>"$TMP/w4a8-fb.err"
if grep -q " entry mixpe_int8 at 180 nm" "$TMP/w4a8.err" &&
    grep -q " entry mixpe_fp16 at 180 nm" "$TMP/w4a16.err" &&
    grep -q " entry mixpe at 180 nm" "$TMP/w4a8-fb.err" && "$PY" -c '
import json, sys
f = [json.load(open(p))["arch"]["fmax_hz"] for p in sys.argv[1:]]
sys.exit(0 if f[0] != f[1] and f[2] >= f[1] and f[2] < f[0] else 1)' \
        "$TMP/w4a8.json" "$TMP/w4a16.json" "$TMP/w4a8-fb.json"
then ok "run_timing_entry (family+format first, then the family's slowest)"
else not_ok "run_timing_entry ($(cat "$TMP/w4a8.err" "$TMP/w4a16.err" "$TMP/w4a8-fb.err" | head -c 600))"; fi
# a family the table does not have (lut-tc's entries removed): null, and
# no warning
data_copy "$TMP/nolut"
sed -i '/^  lut_tc_/d' "$TMP/nolut/pe_models/tech/osu018-timing.yaml"
MPSIM_DATA="$TMP/nolut" "$MPSIM" "${RUN[@]}" --quant w4a16g128 --arch lut-tc \
    -o "$TMP/lut.json" 2>"$TMP/lut.err"
rc=$?
if [ "$rc" -eq 0 ] && [ ! -s "$TMP/lut.err" ] && "$PY" -c '
import json, sys
a = json.load(open(sys.argv[1]))["arch"]
sys.exit(0 if a["timing_ok"] is None and a["fmax_hz"] is None else 1)' "$TMP/lut.json"
then ok run_unmeasured_family_timing_null
else not_ok "run_unmeasured_family_timing_null (exit $rc: $(head -c 300 "$TMP/lut.err"))"; fi
# an FPGA arch: no ASIC paths, said as null
"$MPSIM" "${RUN[@]}" --quant w4a8g128 --arch flightllm-u280 -o "$TMP/fpga.json" 2>"$TMP/fpga.err"
if "$PY" -c '
import json, sys
a = json.load(open(sys.argv[1]))["arch"]
sys.exit(0 if a["timing_ok"] is None and a["fmax_hz"] is None else 1)' "$TMP/fpga.json"
then ok run_fpga_timing_null
else not_ok "run_fpga_timing_null ($(head -c 300 "$TMP/fpga.err"))"; fi

sta_int8_rtl timing_pe

"$MPSIM" synth --rtl "$TMP/rtl" --liberty "$LIBERTY" --timing --format json \
    --workdir "$TMP/work" >"$TMP/t.json" 2>"$TMP/t.err"
rc=$?
# the PE module's entry: one line of the "modules" list
pe=$(grep '"role": "pe"' "$TMP/t.json")
levels=$(printf '%s' "$pe" | sed -n 's/.*"levels": \([0-9]*\).*/\1/p')
fmax=$(printf '%s' "$pe" | sed -n 's/.*"fmax_hz": \([-0-9.e+]*\).*/\1/p')
start=$(printf '%s' "$pe" | sed -n 's/.*"start": "\([^"]*\)".*/\1/p')
end=$(printf '%s' "$pe" | sed -n 's/.*"end": "\([^"]*\)".*/\1/p')
if [ "$rc" -eq 0 ] && [ -n "$start" ] && [ -n "$end" ] &&
    awk -v l="$levels" -v f="$fmax" 'BEGIN { exit !(l > 2 && f > 1e6 && f < 1e10) }'
then ok "timing_pe ($start -> $end, $levels levels, $fmax Hz at 180 nm)"
else not_ok "timing_pe (exit $rc: $(head -c 300 "$TMP/t.err") $pe)"; fi
# the netlist OpenSTA read, and its report, stay in the work directory
if [ -s "$TMP/work/netlist.v" ] && grep -q "slack" "$TMP/work/sta_mpsim_top_pe.log"
then ok timing_work_files
else not_ok "timing_work_files ($(ls "$TMP/work" | tr '\n' ' '))"; fi
# fmax at the arch's node: the 180 nm figure times the delay-fit ratio
f180=$(sed -n 's/^    "fmax_180nm_hz": \([-0-9.e+]*\),$/\1/p' "$TMP/t.json")
fnode=$(sed -n 's/^    "fmax_hz": \([-0-9.e+]*\),$/\1/p' "$TMP/t.json")
node=$(sed -n 's/^    "node_nm": \([0-9.]*\),$/\1/p' "$TMP/t.json")
if [ "$f180" = "$fmax" ] && awk -v a="$f180" -v b="$fnode" -v n="$node" \
    'BEGIN { exit !(n < 180 && b > a) }' &&
    grep -Eq '"timing_ok": (true|false)' "$TMP/t.json"
then ok "timing_node_scaled ($f180 Hz at 180 nm -> $fnode Hz at $node nm)"
else not_ok "timing_node_scaled ($f180 $fnode $node)"; fi
# the table says the same, and a report without --timing has no section
"$MPSIM_FAST" synth --rtl "$TMP/rtl" --liberty "$LIBERTY" --timing \
    >"$TMP/t.txt" 2>&1
if grep -q "^  pe   mpsim_top_pe: .* levels, .* MHz$" "$TMP/t.txt" &&
    grep -q "^fmax  .* MHz at 180 nm" "$TMP/t.txt"
then ok timing_table
else not_ok "timing_table ($(tail -4 "$TMP/t.txt"))"; fi
"$MPSIM_FAST" synth --rtl "$TMP/rtl" --liberty "$LIBERTY" --format json \
    >"$TMP/n.json" 2>&1
if ! grep -q timing "$TMP/n.json" && tail -1 "$TMP/n.json" | grep -q '^}$'
then ok timing_only_when_asked
else not_ok "timing_only_when_asked"; fi

expect_error timing_fpga "--timing" \
    "$MPSIM" synth --rtl "$TMP/rtl" --target xcup --timing

# ---- --timing-driven: ABC buffers and sizes (abc -constr) ----------------
# the same RTL mapped for speed: the Yosys script passes ABC the
# constraints (no output load, no driving cell: ideal ports, as timed),
# every report names the netlist, and the netlist is another one (on this
# small PE the path moves by about 1 %, either way: docs/validation.md
# "Timing-driven mapping")
"$MPSIM" synth --rtl "$TMP/rtl" --liberty "$LIBERTY" --timing --timing-driven \
    --format json --workdir "$TMP/wd" >"$TMP/td.json" 2>"$TMP/td.err"
rc=$?
if [ "$rc" -eq 0 ] && grep -q '^abc -constr abc.constr -liberty ' "$TMP/wd/synth.ys" &&
    [ "$(cat "$TMP/wd/abc.constr")" = "set_load 0" ] &&
    ! grep -q -- '-constr' "$TMP/work/synth.ys" &&
    ! cmp -s "$TMP/wd/netlist.v" "$TMP/work/netlist.v" && "$PY" -c '
import json, sys
a = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))
pe = lambda j: [m for m in j["timing"]["modules"] if m["role"] == "pe"][0]
ok = (a["netlist"] == a["timing"]["netlist"] == "timing-driven"
      and b["netlist"] == b["timing"]["netlist"] == "area-mapped"
      and pe(a)["found"] and pe(a)["levels"] > 2)
sys.exit(0 if ok else 1)' "$TMP/td.json" "$TMP/t.json" 2>>"$TMP/td.err"
then ok "timing_driven (abc -constr; PE $(grep -o '"period_ns": [0-9.]*' "$TMP/t.json" | head -1) -> $(grep -o '"period_ns": [0-9.]*' "$TMP/td.json" | head -1))"
else not_ok "timing_driven (exit $rc: $(head -c 300 "$TMP/td.err"))"; fi
"$MPSIM_FAST" synth --rtl "$TMP/rtl" --liberty "$LIBERTY" --timing-driven \
    >"$TMP/td.txt" 2>&1
if grep -q "^synth area .* (OSU 0.18 um, timing-driven netlist)" "$TMP/td.txt"
then ok timing_driven_table
else not_ok "timing_driven_table ($(grep '^synth area' "$TMP/td.txt"))"; fi
expect_error timing_driven_fpga "--timing-driven: only for the ASIC target" \
    "$MPSIM" synth --rtl "$TMP/rtl" --target xcup --timing-driven
expect_error timing_driven_netlist "--timing-driven: not with --netlist" \
    "$MPSIM" synth --netlist "$TMP/work/netlist.v" --top mpsim_top_pe \
    --arch int8-mac --timing --timing-driven
"$MPSIM_FAST" synth --netlist "$TMP/work/netlist.v" --top mpsim_top_pe \
    --arch int8-mac --timing --format json >"$TMP/given.json" 2>&1
if grep -q '"netlist": "given"' "$TMP/given.json"
then ok timing_given_netlist_named
else not_ok "timing_given_netlist_named ($(head -c 300 "$TMP/given.json"))"; fi

# ---- a given netlist with an assign OpenSTA misreads --------------------
# Three inverters drive bit 1 of a submodule's input through
# `assign {x[1], x[0]} = {w3, q}`, as Yosys's write_verilog puts port
# aliases.  The OpenSTA of Debian 12 drops that connection without a word
# (no path at all); --netlist times Yosys's rewrite of it (synth.h,
# mp_synth_sta_netlist), so the path is the same as with one assign per
# bit: p -> c1 -> c2 -> c3 -> u/i2 -> z.
cat >"$TMP/alias.v" <<'VEOF'
module sub(a, y);
  input [1:0] a;
  output y;
  wire n1;
  INVX1 i1 (.A(a[0]), .Y(n1));
  NAND2X1 i2 (.A(n1), .B(a[1]), .Y(y));
endmodule
module top(p, q, z);
  input p, q;
  output z;
  wire [1:0] x;
  wire w, w2, w3;
  INVX1 c1 (.A(p), .Y(w));
  INVX1 c2 (.A(w), .Y(w2));
  INVX1 c3 (.A(w2), .Y(w3));
  assign { x[1], x[0] } = { w3, q };
  sub u (.a(x), .y(z));
endmodule
VEOF
sed 's/assign { x\[1\], x\[0\] } = { w3, q };/assign x[1] = w3; assign x[0] = q;/' \
    "$TMP/alias.v" >"$TMP/alias_bits.v"
for v in alias alias_bits; do
    "$MPSIM_FAST" synth --netlist "$TMP/$v.v" --top top --arch int8-mac \
        --timing --workdir "$TMP/w_$v" >"$TMP/$v.txt" 2>&1
done
if ! cmp -s "$TMP/alias_bits.v" "$TMP/alias.v" &&
    grep -q "^  top  top: p -> z, 4 levels, " "$TMP/alias.txt" &&
    [ "$(grep '^  top' "$TMP/alias.txt")" = "$(grep '^  top' "$TMP/alias_bits.txt")" ] &&
    ! grep -q assign "$TMP/w_alias/sta_netlist.v"
then ok timing_given_netlist_concat_assign
else not_ok "timing_given_netlist_concat_assign ($(grep -h '^  top\|error' "$TMP/alias.txt" "$TMP/alias_bits.txt" | head -c 300))"; fi
# a cell the library lacks: the rewrite's one-line error, no report
sed 's/INVX1 c1/NOSUCHX1 c1/' "$TMP/alias.v" >"$TMP/nocell.v"
expect_error timing_given_netlist_unknown_cell \
    "nocell.v: yosys: reading the netlist failed: .*NOSUCHX1" \
    "$MPSIM_FAST" synth --netlist "$TMP/nocell.v" --top top --arch int8-mac \
    --timing -o "$TMP/nocell.txt"
expect_no_file timing_given_netlist_unknown_cell_no_report "$TMP/nocell.txt"

# ---- another library: its node given, or refused -----------------------
# OSU's cells under another library name stand for a library mpsim does
# not know: refused without --liberty-node (one line, no report); at 90 nm
# the same netlist's fmax is reported as fmax_90nm_hz and moved from 90 nm
# / 1.8 V (its nom_voltage) to the arch's node by the delay fit, as
# `mpsim list scale` gives it; OSU itself takes no other node than 180
sed 's/^library(osu018_stdcells)/library(osu_renamed)/' "$LIBERTY" >"$TMP/renamed.lib"
NL=(synth --netlist "$TMP/work/netlist.v" --top mpsim_top_pe --arch int8-mac --timing)
expect_error liberty_other_needs_node \
    "renamed.lib:[0-9]+: library: 'osu_renamed' is not OSU 0.18 um: give its process node with --liberty-node NM" \
    "$MPSIM" "${NL[@]}" --liberty "$TMP/renamed.lib" -o "$TMP/r.json"
expect_no_file liberty_other_needs_node_no_report "$TMP/r.json"
expect_error liberty_osu_other_node "--liberty-node: 90 nm, but .* is OSU 0.18 um, a 180 nm library" \
    "$MPSIM" "${NL[@]}" --liberty "$LIBERTY" --liberty-node 90
expect_error liberty_node_alone "--liberty-node: only with --liberty FILE" \
    "$MPSIM" "${NL[@]}" --liberty-node 90
expect_error liberty_node_range "--liberty-node: must be in \[7, 180\]" \
    "$MPSIM" "${NL[@]}" --liberty "$TMP/renamed.lib" --liberty-node 200
"$MPSIM" "${NL[@]}" --liberty "$TMP/renamed.lib" --liberty-node 90 \
    --format json -o "$TMP/r90.json" 2>"$TMP/r90.err"
"$MPSIM" "${NL[@]}" --liberty "$LIBERTY" --format json -o "$TMP/r180.json" 2>>"$TMP/r90.err"
node=$(sed -n 's/^    "node_nm": \([0-9.]*\),$/\1/p' "$TMP/r90.json")
vdd=$(sed -n 's/^    "vdd": \([0-9.]*\),$/\1/p' "$TMP/r90.json")
delay=$("$MPSIM_FAST" list scale "90:1.8" "$node:$vdd" 2>/dev/null | awk '$1 == "delay" { print $2 }')
if "$PY" -c '
import json, sys
a = json.load(open(sys.argv[1]))["timing"]
b = json.load(open(sys.argv[2]))["timing"]
d = float(sys.argv[3])
ok = (a["fmax_90nm_hz"] == b["fmax_180nm_hz"] and "fmax_180nm_hz" not in a
      and a["liberty"] == "osu_renamed (90 nm) at 1.8 V"
      and abs(a["fmax_hz"] * d / a["fmax_90nm_hz"] - 1) < 1e-5
      and a["fmax_hz"] != b["fmax_hz"])
sys.exit(0 if ok else 1)' "$TMP/r90.json" "$TMP/r180.json" "$delay" 2>>"$TMP/r90.err"
then ok "liberty_other_node_scaled (fmax from 90 nm, delay fit x$delay)"
else not_ok "liberty_other_node_scaled ($(head -c 300 "$TMP/r90.err"))"; fi
# the power report states the library's supply and node (the renamed
# copy's nom_voltage 1.8 V, the given 90 nm), which scripts scaling its
# powers read (scripts/reproduce/lut_tc/library.sh)
"$MPSIM" synth --netlist "$TMP/work/netlist.v" --top mpsim_top_pe --arch int8-mac \
    --power 0.1 --liberty "$TMP/renamed.lib" --liberty-node 90 --format json \
    -o "$TMP/p90.json" 2>"$TMP/p90.err"
if "$PY" -c '
import json, sys
p = json.load(open(sys.argv[1]))["power"]
sys.exit(0 if p["liberty_vdd"] == 1.8 and p["liberty_node_nm"] == 90 and
         p["liberty"] == "osu_renamed (90 nm) at 1.8 V" else 1)' "$TMP/p90.json" 2>>"$TMP/p90.err"
then ok "liberty_other_node_power (supply and node in the power report)"
else not_ok "liberty_other_node_power ($(head -c 300 "$TMP/p90.err"))"; fi

# ---- cosim --activity: toggle rates and energy per MAC per tile kind -----
CACHE="${MPSIM_BUILD:-build}/cosim-cache"
if command -v verilator >/dev/null; then
    "$MPSIM" cosim --cache "$CACHE" --rtl "$TMP/rtl" --tiles 6 --liberty "$LIBERTY" \
        --activity "$TMP/act.txt" >"$TMP/act.out" 2>"$TMP/act.err"
    rc=$?
    # extreme (3) and random (3) tiles, each with a positive energy per MAC;
    # on random tiles every operand bit of the PE (ports x, w) changes in
    # about half the compute cycles, never more than once a cycle
    if [ "$rc" -eq 0 ] && awk '
        $1 == "energy" { e[$2] = $6 }
        $1 == "rate" && $2 == "random" && $3 ~ /^[xw]\[/ {
            n++; if ($4 < 0.2 || $4 > 1) bad = 1 }
        END { exit !(e["random"] > 0 && e["extreme"] > 0 && n == 12 && !bad) }' "$TMP/act.txt"
    then ok "cosim_activity ($(awk '$1 == "energy" { printf "%s %s pJ/MAC ", $2, $6 }' "$TMP/act.txt"))"
    else not_ok "cosim_activity (exit $rc: $(head -c 300 "$TMP/act.err"))"; fi
    # the report is the same with and without --activity (but for the
    # note that the build came from the cache)
    "$MPSIM_FAST" cosim --cache "$CACHE" --rtl "$TMP/rtl" --tiles 6 >"$TMP/plain.out" 2>&1
    if cmp -s <(sed 's/ (cached build)//' "$TMP/act.out") \
              <(sed 's/ (cached build)//' "$TMP/plain.out")
    then ok cosim_activity_report_unchanged
    else not_ok cosim_activity_report_unchanged; fi
    expect_error cosim_activity_bad_liberty "--liberty" \
        "$MPSIM" cosim --cache "$CACHE" --rtl "$TMP/rtl" --tiles 3 \
        --liberty "$TMP/no.lib" --activity "$TMP/act2.txt"
    expect_no_file cosim_activity_no_file "$TMP/act2.txt"
    # another library (OSU's cells renamed): refused before the run, as
    # the activity figures are OSU's
    expect_error cosim_activity_other_library \
        "renamed.lib:[0-9]+: library: 'osu_renamed' is not OSU 0.18 um .*: these figures are OSU's" \
        "$MPSIM" cosim --cache "$CACHE" --rtl "$TMP/rtl" --tiles 3 \
        --liberty "$TMP/renamed.lib" --activity "$TMP/act3.txt"
    expect_no_file cosim_activity_other_library_no_file "$TMP/act3.txt"
else
    ok "cosim_activity # SKIP verilator not installed"
fi
