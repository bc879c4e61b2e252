#!/usr/bin/env bash
# Power at one input activity end to end (mpsim synth --power A): a small
# int8 PE array (2x2, no scales) through Yosys, the OSU 0.18 um netlist and
# OpenSTA report_power: the PE module's internal, switching and leakage
# power, the same from --netlist on that netlist (what
# scripts/reproduce/lut_tc/run.sh does), more at a higher activity; bad
# uses are refused with one line and no report.
source "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"
PY=/usr/bin/python3

# ---- bad uses (no tool runs) ------------------------------------------
expect_error power_above_one "--power: must be in \[0, 1\]" \
    "$MPSIM" synth --arch int8-mac --power 1.5
expect_error power_negative "--power: must be in \[0, 1\]" \
    "$MPSIM" synth --arch int8-mac --power -0.1
expect_error power_not_a_number "--power: not a number" \
    "$MPSIM" synth --arch int8-mac --power 0.1x
expect_error power_no_value "--power: option needs a value" \
    "$MPSIM" synth --arch int8-mac --power
expect_error power_fpga "--power: OpenSTA needs the ASIC target" \
    "$MPSIM" synth --arch int8-mac --power 0.1 --target xcup
expect_error netlist_no_top "--top: required with --netlist" \
    "$MPSIM" synth --netlist "$TMP/n.v" --arch int8-mac --power 0.1
expect_error top_no_netlist "--top: only with --netlist" \
    "$MPSIM" synth --arch int8-mac --top m
expect_error netlist_no_arch "--arch: required with --netlist" \
    "$MPSIM" synth --netlist "$TMP/n.v" --top m --power 0.1
expect_error netlist_nothing_to_do "--netlist: needs --timing or --power" \
    "$MPSIM" synth --netlist "$TMP/n.v" --top m --arch int8-mac
expect_error netlist_design_option "--netlist: takes no design option" \
    "$MPSIM" synth --netlist "$TMP/n.v" --top m --arch int8-mac --power 1 --rows 2
expect_error netlist_with_rtl "--netlist: not with --rtl" \
    "$MPSIM" synth --netlist "$TMP/n.v" --top m --arch int8-mac --power 1 --rtl "$TMP"
expect_error netlist_bad_top "--top: not a Verilog module name" \
    "$MPSIM" synth --netlist "$TMP/n.v" --top 'm [exit]' --arch int8-mac --power 1

sta_int8_rtl power_pe

# ---- the design: the PE module's power at 0.1 toggles per clock --------
"$MPSIM" synth --rtl "$TMP/rtl" --liberty "$LIBERTY" --power 0.1 --format json \
    --workdir "$TMP/work" >"$TMP/p.json" 2>"$TMP/p.err"
rc=$?
# one PE entry with positive parts that add up to the total (OpenSTA's
# 6 digits), at the design's clock, the library's supply and node beside
if [ "$rc" -eq 0 ] && "$PY" -c '
import json, sys
p = json.load(open(sys.argv[1]))["power"]
pe = [m for m in p["modules"] if m["role"] == "pe"]
m = pe[0]
parts = m["internal_w"] + m["switching_w"] + m["leakage_w"]
sys.exit(0 if len(pe) == 1 and p["input_activity"] == 0.1 and
         p["liberty_vdd"] == 1.8 and p["liberty_node_nm"] == 180 and
         p["clock_hz"] > 0 and min(m["internal_w"], m["switching_w"],
                                   m["leakage_w"]) > 0 and
         abs(parts / m["total_w"] - 1) < 1e-5 else 1)' "$TMP/p.json"
then ok "power_pe ($(grep -o '"total_w": [-0-9.e+]*' "$TMP/p.json" | head -1) W)"
else not_ok "power_pe (exit $rc: $(head -c 300 "$TMP/p.err"))"; fi
if grep -q "set_input_delay -clock clk 0" "$TMP/work/sta_power_in_mpsim_top_pe.tcl" &&
    grep -q "^set_power_activity -input -activity 0.1 -duty 0.5$" \
        "$TMP/work/sta_power_in_mpsim_top_pe.tcl" &&
    grep -q "^Total " "$TMP/work/sta_power_in_mpsim_top_pe.log"
then ok power_work_files
else not_ok "power_work_files ($(ls "$TMP/work" | tr '\n' ' '))"; fi

# ---- --netlist: the same module of that netlist at the same clock ------
clock=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["power"]["clock_hz"])' "$TMP/p.json")
sed "s/^  clock_hz: .*/  clock_hz: $clock/" sim/arch/int8-mac.yaml >"$TMP/arch.yaml"
NL=(synth --netlist "$TMP/work/netlist.v" --top mpsim_top_pe --arch "$TMP/arch.yaml"
    --liberty "$LIBERTY")
"$MPSIM" "${NL[@]}" --power 0.1 --format json -o "$TMP/n01.json" 2>"$TMP/n.err"
rc1=$?
"$MPSIM" "${NL[@]}" --power 1 --format json -o "$TMP/n1.json" 2>>"$TMP/n.err"
rc2=$?
if [ "$rc1" -eq 0 ] && [ "$rc2" -eq 0 ] && "$PY" -c '
import json, sys
d, a, b = (json.load(open(f)) for f in sys.argv[1:])
pe = [m for m in d["power"]["modules"] if m["role"] == "pe"][0]
lo, hi = a["power"]["modules"][0], b["power"]["modules"][0]
sys.exit(0 if lo["role"] == "top" and lo["total_w"] == pe["total_w"] and
         hi["switching_w"] > 5 * lo["switching_w"] and
         hi["leakage_w"] == lo["leakage_w"] else 1)' \
        "$TMP/p.json" "$TMP/n01.json" "$TMP/n1.json"
then ok "power_netlist (same as the design's PE; activity 1 switches more)"
else not_ok "power_netlist (exit $rc1 $rc2: $(head -c 300 "$TMP/n.err"))"; fi
# the table, with --timing beside it
"$MPSIM_FAST" "${NL[@]}" --power 0.1 --timing >"$TMP/n.txt" 2>&1
if grep -q "^power  .* toggling 0.1 per clock" "$TMP/n.txt" &&
    grep -q "^  top  mpsim_top_pe: .* mW (internal .*, switching .*, leakage .* mW)$" \
        "$TMP/n.txt" &&
    grep -q "^  top  mpsim_top_pe: .* levels, .* MHz$" "$TMP/n.txt"
then ok power_netlist_table
else not_ok "power_netlist_table ($(head -c 600 "$TMP/n.txt"))"; fi
expect_error netlist_missing "n.v: --netlist: cannot read" \
    "$MPSIM" synth --netlist "$TMP/n.v" --top m --arch int8-mac --power 1 \
    --liberty "$LIBERTY" -o "$TMP/missing.json"
expect_no_file netlist_missing_no_report "$TMP/missing.json"
expect_error netlist_unknown_module "--top: no module 'nosuch' in the netlist" \
    "$MPSIM" synth --netlist "$TMP/work/netlist.v" --top nosuch \
    --arch "$TMP/arch.yaml" --liberty "$LIBERTY" --power 1 -o "$TMP/bad.json"
expect_no_file netlist_unknown_module_no_report "$TMP/bad.json"
