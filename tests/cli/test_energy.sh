#!/usr/bin/env bash
# Gate-level PE energy (`pe.energy: gate-level`, sim/energy_cal.h): the
# default (model) leaves reports as they were; gate-level takes the
# committed pe_models/tech/osu018-energy.yaml entry of the arch's family
# and activation format, scaled to its node, and every report format says
# which source each figure came from, for the PE and the edge units; bad
# uses are refused.  Then the calibration end to end on one small family:
# scripts/calibrate_energy.sh --only int8-mac --quick (gate-level
# simulation of the PE and the edge units on co-simulated tiles, Yosys,
# iverilog, OpenSTA) writes a table that `mpsim run` uses as it is.
source "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
RUN=(run --model llama2-7b --phase decode --seq 64)  # + --quant per arch
# gate_arch PRESET TECH: the preset with pe.energy gate-level on TECH
gate_arch() {
    sed -e '/^  family:/a\  energy: gate-level' -e "s/^tech: .*/tech: $2/" \
        "sim/arch/$1.yaml"
}

# ---- the default: the model, reports unchanged ---------------------------
sed '/^  family:/a\  energy: model' sim/arch/mixpe-w4a8.yaml >"$TMP/model.yaml"
same=1
for fmt in table csv json; do
    "$MPSIM_FAST" "${RUN[@]}" --quant w4a8g128 --arch mixpe-w4a8 --format $fmt \
        >"$TMP/default.$fmt" 2>/dev/null
    "$MPSIM_FAST" "${RUN[@]}" --quant w4a8g128 --arch "$TMP/model.yaml" \
        --format $fmt >"$TMP/model.$fmt" 2>/dev/null
    cmp -s "$TMP/default.$fmt" "$TMP/model.$fmt" || same=0
    grep -q "energy.source\|pe energy" "$TMP/default.$fmt" && same=0
done
if [ "$same" = 1 ] && [ -s "$TMP/default.json" ]
then ok "energy_model_default (no source printed, same bytes as pe.energy model)"
else not_ok energy_model_default; fi

# ---- gate-level: the entry, scaled, named in every format ---------------
# On the table's own node (osu018, 180 nm) every GEMM layer's PE energy is
# the entry's pJ/MAC x its MACs; at 45 nm / 0.9 V times the Stillmaker &
# Baas energy fits' ratio 0.69885 / 26.372 (tests/test_energy_cal.c).
gate_arch mixpe-w4a8 osu018 >"$TMP/g180.yaml"
gate_arch mixpe-w4a8 asic-45nm >"$TMP/g45.yaml"
"$MPSIM" "${RUN[@]}" --quant w4a8g128 --arch "$TMP/g180.yaml" --format json \
    -o "$TMP/g180.json" 2>/dev/null
"$MPSIM" "${RUN[@]}" --quant w4a8g128 --arch "$TMP/g45.yaml" --format json \
    -o "$TMP/g45.json" 2>/dev/null
entry() { sed -n "s/^  $1: {value: \([0-9.e+-]*\),.*/\1/p" pe_models/tech/osu018-energy.yaml; }
pj=$(entry mixpe_int8_pe_pj_per_mac)
edge=$(entry mixpe_int8_edge_pj_per_op)
idle=$(entry mixpe_int8_edge_idle_pj_per_unit_cycle)
result=$(entry mixpe_int8_edge_pj_per_result)
# the edge units (mixpe: the dequant unit, G 128 here) at the entries:
# edge energy = (ops x per-op entry + (U x C - ops) x idle entry + M N x
# per-result entry) x scale, ops = M N K / 128, M N the results read out,
# C the layer's compute + edge cycles, U the model's
# dequant units: solved for from each layer, U must be one whole number
# for all of them (docs/model.md "Gate-level PE energy"; a table without
# the idle entry: ops x the per-op entry alone); a layer without edge
# energy (attention) names no edge source
if [ -n "$pj" ] && [ -n "$edge" ] && "$PY" -c '
import json, sys
pj, edge = float(sys.argv[1]), float(sys.argv[2])
idle = float(sys.argv[5]) if sys.argv[5] else 0
result = float(sys.argv[6]) if sys.argv[6] else 0
units = set()
for path, scale, node in ((sys.argv[3], 1.0, "180 nm"),
                          (sys.argv[4], 0.69885 / 26.372, "180 -> 45 nm")):
    r = json.load(open(path))
    want = "gate-level osu018-energy.yaml mixpe_int8 (trace tiles), " + node
    assert r["arch"]["pe_energy"] == "gate-level"
    assert r["arch"]["pe_energy_source"] == want, r["arch"]
    assert r["arch"]["edge_energy_source"] == want, r["arch"]
    gemm = [L for L in r["layers"] if L["kind"] != "vector"]
    assert gemm and all(L["pe_energy_source"] == want for L in gemm)
    assert all(L["pe_energy_source"] is None and L["edge_energy_source"] is None
               for L in r["layers"] if L["kind"] == "vector")
    dq = [L for L in gemm if L["energy_breakdown_pj"]["edge"] > 0]
    assert dq and all(L["edge_energy_source"] == want for L in dq)
    assert all(L["edge_energy_source"] is None for L in gemm if L not in dq)
    for L in gemm:
        got = L["energy_breakdown_pj"]["pe"] / L["macs"]
        assert abs(got / (pj * scale) - 1) < 1e-4, (L["name"], got, pj * scale)
    for L in dq:
        ops = L["m"] * L["n"] * L["k"] / 128
        cyc = L["compute_cycles"] + L["edge_cycles"]
        e = L["energy_breakdown_pj"]["edge"] / scale - L["m"] * L["n"] * result
        assert e > ops * edge * (1 - 1e-6), (L["name"], e, ops * edge)
        if not idle:
            assert abs(e / (ops * edge) - 1) < 1e-4, (L["name"], e, edge)
            continue
        u = ((e - ops * edge) / idle + ops) / cyc
        assert u >= 1 and abs(u - round(u)) < 1e-3, (L["name"], u)
        units.add(round(u))
assert len(units) == (1 if idle else 0), units
' "$pj" "$edge" "$TMP/g180.json" "$TMP/g45.json" "$idle" "$result"
then ok "energy_gate_level_json ($pj pJ/MAC, edge $edge pJ/op + $idle pJ/idle unit-cycle + ${result:-0} pJ/result at 180 nm, scaled to 45 nm)"
else not_ok "energy_gate_level_json ($pj, edge $edge)"; fi
# the table names the sources and their layer counts; CSV a last column
"$MPSIM_FAST" "${RUN[@]}" --quant w4a8g128 --arch "$TMP/g45.yaml" \
    >"$TMP/g45.txt" 2>/dev/null
"$MPSIM_FAST" "${RUN[@]}" --quant w4a8g128 --arch "$TMP/g45.yaml" --format csv \
    >"$TMP/g45.csv" 2>/dev/null
if grep -q "^pe energy: gate-level osu018-energy.yaml mixpe_int8 (trace tiles), 180 -> 45 nm: [0-9]* layers$" "$TMP/g45.txt" &&
    grep -q "^edge energy: gate-level osu018-energy.yaml mixpe_int8 (trace tiles), 180 -> 45 nm: [0-9]* layers$" "$TMP/g45.txt" &&
    "$PY" -c '
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for col in ("pe_energy_source", "edge_energy_source"):
    src = [r[col] for r in rows]
    assert rows[-1]["layer"] == "total" and "mixpe_int8" in src[-1]
    assert all(s == "" or "mixpe_int8" in s for s in src) and "" in src
' "$TMP/g45.csv"
then ok energy_gate_level_table_csv
else not_ok "energy_gate_level_table_csv ($(grep "pe energy" "$TMP/g45.txt"))"; fi
# a family without entries (fp16-mac's taken out of a copy of the table)
# keeps the model's PE and edge energy, byte for byte, and says "model"
data_copy "$TMP/noent"
sed -i '/^  fp16_mac_/,+1d' "$TMP/noent/pe_models/tech/osu018-energy.yaml"
gate_arch fp16-mac asic-28nm >"$TMP/fp.yaml"
MPSIM_DATA="$TMP/noent" "$MPSIM_FAST" "${RUN[@]}" --quant w4a16g128 \
    --arch "$TMP/fp.yaml" --format json >"$TMP/fp.json" 2>/dev/null
"$MPSIM_FAST" "${RUN[@]}" --quant w4a16g128 --arch fp16-mac --format json \
    >"$TMP/fp0.json" 2>/dev/null
if ! grep -q "^  fp16_mac" "$TMP/noent/pe_models/tech/osu018-energy.yaml" &&
    "$PY" -c '
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:])
assert a["arch"]["pe_energy_source"] == "model"
assert a["arch"]["edge_energy_source"] == "model"
assert a["total"]["energy_pj"] == b["total"]["energy_pj"]
' "$TMP/fp.json" "$TMP/fp0.json"
then ok energy_no_entry_model
else not_ok energy_no_entry_model; fi

# every ASIC preset with pe.energy gate-level loads the committed table and
# prices its PE at its family's entry (FAMILY_..., "-" as "_") where the
# table has one: a table the reader refuses, or an entry no preset can
# reach, fails here
gate_presets=0 gate_bad=
for preset in $(list_names archs); do
    f=sim/arch/$preset.yaml
    tech=$(sed -n 's/^tech: *\([^ #]*\).*/\1/p' "$f")
    grep -q "^fpga: true" "pe_models/tech/$tech.yaml" && continue
    family=$(sed -n 's/^  family: *\([^ #]*\).*/\1/p' "$f" | tr - _)
    gate_arch "$preset" "$tech" >"$TMP/preset.yaml"
    want=model
    grep -q "^  ${family}_pe_pj_per_mac:" pe_models/tech/osu018-energy.yaml &&
        want="gate-level osu018-energy.yaml ${family}_"
    "$MPSIM_FAST" gemm --arch "$TMP/preset.yaml" -M 64 -N 4096 -K 4096 \
        --format json >"$TMP/preset.json" 2>"$TMP/preset.err" &&
        "$PY" -c '
import json, sys
src = json.load(open(sys.argv[1]))["arch"]["pe_energy_source"]
assert src.startswith(sys.argv[2]), src
' "$TMP/preset.json" "$want" 2>/dev/null || gate_bad+=" $preset"
    gate_presets=$((gate_presets + 1))
done
if [ "$gate_presets" -gt 0 ] && [ -z "$gate_bad" ]
then ok "energy_gate_level_every_preset ($gate_presets ASIC presets)"
else not_ok "energy_gate_level_every_preset (failed:$gate_bad $(head -c 200 "$TMP/preset.err"))"; fi

# ---- refusals: one line, no report --------------------------------------
gate_arch flightllm-u280 xcup >"$TMP/fpga.yaml"
expect_error energy_gate_fpga "fpga.yaml:[0-9]+: pe.energy: .*FPGA" \
    "$MPSIM" "${RUN[@]}" --quant w4a8g128 --arch "$TMP/fpga.yaml" -o "$TMP/f.json"
expect_no_file energy_gate_fpga_no_report "$TMP/f.json"
sed '/^  family:/a\  energy: gatelevel' sim/arch/int8-mac.yaml >"$TMP/bad.yaml"
expect_error energy_bad_value "bad.yaml:[0-9]+: pe.energy: unknown energy source" \
    "$MPSIM" "${RUN[@]}" --quant w8a8g128 --arch "$TMP/bad.yaml"
data_copy "$TMP/broken"
sed -i 's/^\(  mixpe_int8_pe_pj_per_mac: {value: \)[0-9.]*/\1x/' \
    "$TMP/broken/pe_models/tech/osu018-energy.yaml"
MPSIM_DATA="$TMP/broken" expect_error energy_broken_table \
    "osu018-energy.yaml:[0-9]+: constants.mixpe_int8_pe_pj_per_mac" \
    "$MPSIM" "${RUN[@]}" --quant w4a8g128 --arch "$TMP/g45.yaml" -o "$TMP/b.json"
expect_no_file energy_broken_table_no_report "$TMP/b.json"

# ---- the calibration end to end, one small family -----------------------
BUILD="${MPSIM_BUILD:-build}"
if ! command -v verilator >/dev/null || ! command -v yosys >/dev/null ||
    ! command -v sta >/dev/null || ! command -v iverilog >/dev/null ||
    ! bash scripts/get_osu018.sh "$BUILD" >/dev/null 2>&1; then
    ok "energy_calibration # SKIP needs verilator, yosys, iverilog, opensta (sta) and the OSU 0.18 um liberty"
    exit 0
fi
# the committed method (gate-level simulation of the PE and the edge
# units), K 16, 5 tiles: the PE and edge entries it writes are what
# `mpsim run` prices int8-mac at
data_copy "$TMP/cal"
nice bash scripts/calibrate_energy.sh "$BUILD" --only int8-mac --quick \
    --work "$TMP/calib" --yaml "$TMP/cal/pe_models/tech/osu018-energy.yaml" \
    >"$TMP/cal.out" 2>"$TMP/cal.err"
rc=$?
# one results line: trace, random and model figures positive, PE and edge
line=$(grep "^int8-mac int8-mac int8 " "$TMP/cal.out")
gate_arch int8-mac osu018 >"$TMP/i.yaml"
MPSIM_DATA="$TMP/cal" "$MPSIM_FAST" "${RUN[@]}" --quant w8a8g128 \
    --arch "$TMP/i.yaml" --format json >"$TMP/i.json" 2>/dev/null
if [ "$rc" -eq 0 ] && [ -n "$line" ] &&
    awk '{ exit !(NF == 15 && $4 > 0 && $5 > 0 && $7 > 0 && $8 > 0 &&
                  $9 > 0 && $11 > 0 && $12 > 0 && $13 > 0 && $14 > 0 &&
                  $15 > 0) }' <<<"$line" &&
    "$PY" -c '
import json, sys
f = sys.argv[2].split()
trace, edge, idle, result = (float(f[i]) for i in (3, 11, 12, 14))
units = set()
r = json.load(open(sys.argv[1]))
assert "int8_mac_int8 (trace tiles)" in r["arch"]["pe_energy_source"]
assert "int8_mac_int8 (trace tiles)" in r["arch"]["edge_energy_source"]
dq = 0
for L in r["layers"]:
    if L["kind"] != "vector":
        got = L["energy_breakdown_pj"]["pe"] / L["macs"]
        assert abs(got / trace - 1) < 1e-9, (got, trace)
    if L["energy_breakdown_pj"]["edge"] > 0:
        dq += 1
        ops = L["m"] * L["n"] * L["k"] / 128
        cyc = L["compute_cycles"] + L["edge_cycles"]
        e = L["energy_breakdown_pj"]["edge"] - L["m"] * L["n"] * result
        u = ((e - ops * edge) / idle + ops) / cyc
        assert u >= 1 and abs(u - round(u)) < 1e-3, (L["name"], u)
        units.add(round(u))
assert dq and len(units) == 1, units
' "$TMP/i.json" "$line"
then ok "energy_calibration (int8-mac: $(cut -d' ' -f4-7 <<<"$line") pJ/MAC trace random extreme model; edge $(cut -d' ' -f8-11 <<<"$line") pJ/op, split $(cut -d' ' -f12-15 <<<"$line"))"
else not_ok "energy_calibration (exit $rc: $(head -c 300 "$TMP/cal.err"))"; fi
