#!/usr/bin/env bash
# CLI tests of the simulator: mpsim run / gemm / list / demo, SCALE-Sim
# .cfg + topology, JSON schema, determinism and every bad-input
# path (one "mpsim: FILE:LINE: FIELD: message" line, non-zero exit, no
# partial output file).
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3

# json_check NAME FILE PYEXPR: PYEXPR (over `j`, the parsed JSON) is true
json_check() {
    local name=$1 file=$2 expr=$3
    if "$PY" -c "import json,sys; j=json.load(open(sys.argv[1])); sys.exit(0 if ($expr) else 1)" "$file" 2>"$TMP/pyerr"; then
        ok "$name"
    else
        not_ok "$name ($(head -c 200 "$TMP/pyerr"))"
    fi
}

# ---- help and listing -------------------------------------------------------
for c in run gemm list demo; do
    if "$MPSIM" $c --help >"$TMP/h" 2>&1 && grep -q "usage: mpsim $c" "$TMP/h"; then
        ok "$c --help"
    else
        not_ok "$c --help"
    fi
done
# list shows every data file (presets, techs, models) by name, and PEs
missing=""
for dir in archs:sim/arch techs:pe_models/tech models:workloads/models; do
    shown=$(list_names "${dir%%:*}" | tr '\n' ' ')
    for f in "${dir#*:}"/*.yaml; do
        n=$(basename "$f" .yaml)
        case " $shown " in *" $n "*) ;; *) missing="$missing $n" ;; esac
    done
done
[ -n "$(list_names pes)" ] || missing="$missing (PE families)"
[ -z "$missing" ] && ok "list shows presets, PEs, techs, models" || not_ok "list misses:$missing"

# ---- JSON schema on every preset -------------------------------------------
KEYS='all(k in j["arch"] for k in ("name","pe","rows","cols","clock_hz","peak_macs_per_cycle")) and all(all(k in L for k in ("name","m","n","k","repeat","macs","cycles","bound","energy_pj","energy_breakdown_pj")) for L in j["layers"]) and all(k in j["total"] for k in ("macs","cycles","latency_s","energy_pj","tokens_per_s")) and ("area_mm2" in j["total"] or "fpga" in j["total"])'
for a in $(list_names archs); do
    if "$MPSIM" gemm --arch $a -M 64 -N 512 -K 1024 --format json -o "$TMP/$a.json" 2>"$TMP/err"; then
        json_check "gemm json keys on $a" "$TMP/$a.json" "$KEYS and j['layers'][0]['macs'] == 64*512*1024"
    else
        not_ok "gemm on $a ($(head -c 200 "$TMP/err"))"
    fi
done
# energy breakdown adds up; FPGA preset reports resources
json_check "energy breakdown sums to total" "$TMP/mixpe-w4a8.json" \
    'abs(sum(j["total"]["energy_breakdown_pj"].values()) - j["total"]["energy_pj"]) <= 1e-9 * j["total"]["energy_pj"]'
# buffers 8 + 8 + 4 MiB in URAM288 blocks (294,912 bits): 228 + 228 + 114
json_check "flightllm reports FPGA resources" "$TMP/flightllm-u280.json" \
    'j["total"]["fpga"]["dsp"] > 0 and j["total"]["fpga"]["lut"] > 0 and j["total"]["fpga"]["uram"] >= 570'

# ---- bound classification (LUT TC preset; numbers worked in test_arch.c) ---
"$MPSIM" gemm --arch lut-tc -M 1 -N 4096 -K 4096 --wbits 4 --act fp16 --format json -o "$TMP/dec.json"
json_check "decode GEMM is memory-bound on lut-tc" "$TMP/dec.json" 'j["layers"][0]["bound"] == "memory"'
"$MPSIM" gemm --arch lut-tc -M 2048 -N 4096 -K 4096 --wbits 4 --act fp16 --format json -o "$TMP/pre.json"
json_check "prefill GEMM is compute-bound on lut-tc" "$TMP/pre.json" 'j["layers"][0]["bound"] == "compute"'

# ---- model workloads: options, trace file, determinism ---------------------
expect_ok "run --model decode" "$MPSIM" run --arch mixpe-w4a8 --model llama2-7b \
    --phase decode --seq 256 --quant w4a8g128 --format json -o "$TMP/m1.json"
json_check "run json has the model's layers" "$TMP/m1.json" \
    "$KEYS and len(j['layers']) > 5 and j['total']['tokens'] == 1 and j['total']['tokens_per_s'] > 0"
"$MPSIM" run --arch mixpe-w4a8 --model llama2-7b --phase decode --seq 256 \
    --quant w4a8g128 --format json -o "$TMP/m2.json"
cmp -s "$TMP/m1.json" "$TMP/m2.json" && ok "run output is deterministic" || not_ok "run output differs between runs"
if "$MPSIM" trace --model llama2-7b --phase decode --seq 256 --quant w4a8g128 -o "$TMP/t.yaml" >/dev/null 2>"$TMP/err"; then
    "$MPSIM" run --arch mixpe-w4a8 --workload "$TMP/t.yaml" --format json -o "$TMP/m3.json"
    json_check "trace file gives the same totals as trace options" "$TMP/m3.json" \
        "j['total'] == json.load(open('$TMP/m1.json'))['total']"
else
    not_ok "mpsim trace ($(head -c 200 "$TMP/err"))"
fi
expect_ok "run csv" "$MPSIM" run --arch lut-tc --workload llama2-7b --phase prefill \
    --seq 128 --quant w4a8g128 --format csv -o "$TMP/p.csv"
head -1 "$TMP/p.csv" | grep -q '^layer,kind,m,n,k,repeat,macs' && ok "csv header" || not_ok "csv header"

# ---- SCALE-Sim config + topology -------------------------------------------
cat >"$TMP/scale.cfg" <<'EOF'
[general]
run_name = t
[architecture_presets]
ArrayHeight:    32
ArrayWidth:     32
IfmapSramSzkB:    64
FilterSramSzkB:   64
OfmapSramSzkB:    64
IfmapOffset:    0
Bandwidth : 10
Dataflow : os
MemoryBanks:   1
[run_presets]
InterfaceBandwidth: CALC
EOF
printf 'Layer, M, N, K,\nl1, 64, 64, 64,\nl2, 100, 50, 30,\n' >"$TMP/topo.csv"
"$MPSIM" run --arch "$TMP/scale.cfg" --workload "$TMP/topo.csv" >"$TMP/ss.csv" 2>"$TMP/err"
# OS: l1 2x2 folds x (64 + 32 + 32 - 2) = 504 demand rows, reported as
# SCALE-Sim does (index of the last cycle) 503; overall util
# 64^3 / (503 x 1024) = 50.894632 %, compute util 64 / 126 = 50.793651 %;
# l2 4x2 folds x (30 + 62) = 736 -> 735
if grep -q '^0, 503, 0, 50.894632, 100.000000, 50.793651,$' "$TMP/ss.csv" &&
   grep -q '^1, 735, 0, ' "$TMP/ss.csv" &&
   head -1 "$TMP/ss.csv" | grep -q '^LayerID, Total Cycles, Stall Cycles, Overall Util %, Mapping Efficiency %, Compute Util %,$'; then
    ok "SCALE-Sim COMPUTE_REPORT cycles (OS)"
else
    not_ok "SCALE-Sim report: $(cat "$TMP/ss.csv" "$TMP/err" | head -c 300)"
fi
sed 's/Dataflow : os/Dataflow : ws/' "$TMP/scale.cfg" >"$TMP/ws.cfg"
"$MPSIM" run --arch "$TMP/ws.cfg" --workload "$TMP/topo.csv" >"$TMP/ws.csv" 2>&1
# WS: l1 K 64 -> 2 row folds, N 64 -> 2 col folds, 4 x (2*32 + 32 + 64 - 2) = 632 -> 631
grep -q '^0, 631, 0, ' "$TMP/ws.csv" && ok "SCALE-Sim cycles (WS)" || not_ok "SCALE-Sim WS: $(head -c 300 "$TMP/ws.csv")"
sed -e 's/Dataflow : os/Dataflow : ws/' -e 's/CALC/USER/' -e 's/Bandwidth : 10/Bandwidth : 1/' "$TMP/scale.cfg" >"$TMP/user.cfg"
"$MPSIM" run --arch "$TMP/user.cfg" --workload "$TMP/topo.csv" >"$TMP/user.csv" 2>&1
awk -F', ' 'NR==2 && $3 > 0 {f=1} END {exit !f}' "$TMP/user.csv" && ok "USER bandwidth 1 B/cycle stalls" || not_ok "USER bandwidth: $(head -c 300 "$TMP/user.csv")"

# ---- demo -------------------------------------------------------------------
if "$MPSIM_FAST" demo >"$TMP/demo" 2>"$TMP/err" &&
   grep -q '^prefill  mixpe-w4a8' "$TMP/demo" && grep -q '^decode   lut-tc' "$TMP/demo" &&
   grep -q '^decode   flightllm-u280' "$TMP/demo"; then
    ok "demo prints the side-by-side table"
else
    not_ok "demo ($(head -c 200 "$TMP/err"))"
fi

# ---- bad input --------------------------------------------------------------
expect_error "unknown preset" "<command line>: --arch: unknown architecture" \
    "$MPSIM" gemm --arch no-such -M 1 -N 1 -K 1
base="$PWD/sim/arch/int8-mac.yaml"
sed 's/^  rows: 32 /  rows: 0 /' "$base" >"$TMP/zero.yaml"
expect_error "zero rows" "zero.yaml:[0-9]+: array.rows: " "$MPSIM" gemm --arch "$TMP/zero.yaml" -M 1 -N 1 -K 1
sed 's/^  clock_hz: 500e6 /  clock_hz: -1 /' "$base" >"$TMP/clk.yaml"
expect_error "clock <= 0" "clk.yaml:[0-9]+: array.clock_hz: " "$MPSIM" gemm --arch "$TMP/clk.yaml" -M 1 -N 1 -K 1
sed 's/^  dataflow: os /  dataflow: rs /' "$base" >"$TMP/df.yaml"
line_of() { grep -n "$1" "$base" | head -1 | cut -d: -f1; }
expect_error "unknown dataflow" "df.yaml:$(line_of '^  dataflow:'): array.dataflow: unknown dataflow" "$MPSIM" gemm --arch "$TMP/df.yaml" -M 1 -N 1 -K 1
sed 's/^  family: int8-mac/  family: int9-mac/' "$base" >"$TMP/pe.yaml"
expect_error "unknown PE family" "pe.yaml:$(line_of '^  family:'): pe.family: unknown PE family" "$MPSIM" gemm --arch "$TMP/pe.yaml" -M 1 -N 1 -K 1
sed 's/^tech: asic-28nm /tech: asic-3nm /' "$base" >"$TMP/tech.yaml"
expect_error "unknown tech" "tech.yaml:$(line_of '^tech:'): tech: cannot load tech table 'asic-3nm'" "$MPSIM" gemm --arch "$TMP/tech.yaml" -M 1 -N 1 -K 1
printf 'name: x\narray: {rows: 4\n' >"$TMP/mal.yaml"
expect_error "malformed YAML" "mal.yaml:[0-9]+: yaml: " "$MPSIM" gemm --arch "$TMP/mal.yaml" -M 1 -N 1 -K 1
sed 's/^Dataflow : os/Dataflow : xs/' "$TMP/scale.cfg" >"$TMP/bad1.cfg"
expect_error "cfg unknown dataflow" "bad1.cfg:11: Dataflow: unknown dataflow" "$MPSIM" run --arch "$TMP/bad1.cfg" --workload "$TMP/topo.csv"
sed 's/^ArrayWidth:     32/ArrayWidth      32/' "$TMP/scale.cfg" >"$TMP/bad2.cfg"
expect_error "cfg line without value" "bad2.cfg:5: cfg: expected 'key: value'" "$MPSIM" run --arch "$TMP/bad2.cfg" --workload "$TMP/topo.csv"
sed 's/^ArrayHeight:    32/ArrayHeight: 0/' "$TMP/scale.cfg" >"$TMP/bad3.cfg"
expect_error "cfg zero rows" "bad3.cfg:4: ArrayHeight: " "$MPSIM" run --arch "$TMP/bad3.cfg" --workload "$TMP/topo.csv"
expect_error "bad -M" "<command line>: -M: " "$MPSIM" gemm --arch int8-mac -M 0 -N 1 -K 1
expect_error "overflowing shape" "<command line>: gemm: GEMM .* cycle count would overflow" "$MPSIM" gemm --arch int8-mac \
    -M 1099511627776 -N 1099511627776 -K 1099511627776
expect_error "bad --wbits" "<command line>: --wbits: " "$MPSIM" gemm --arch int8-mac -M 1 -N 1 -K 1 --wbits 9
expect_error "bad --group" "<command line>: --group: " "$MPSIM" gemm --arch int8-mac -M 1 -N 1 -K 1 --group x
expect_error "per-channel K beyond the accumulator" \
    "<command line>: gemm: per-channel group of K = 3000000000 terms overflows the group accumulator" \
    "$MPSIM" gemm --arch int8-mac -M 1 -N 1 -K 3000000000 --group 0
expect_error "unsupported precision" "lut-tc.yaml: gemm: PE family 'lut-tc' cannot run int8" \
    "$MPSIM" gemm --arch lut-tc -M 1 -N 64 -K 64 --wbits 8
expect_error "missing workload file" "nope.yaml" "$MPSIM" run --arch int8-mac --workload "$TMP/nope.yaml"
# usage errors exit 2
"$MPSIM" run --arch int8-mac >/dev/null 2>&1; [ $? -eq 2 ] && ok "run without workload exits 2" || not_ok "run without workload exit code"
"$MPSIM" gemm --arch int8-mac -M 1 -N 1 -K 1 --format xml >/dev/null 2>&1; [ $? -eq 2 ] && ok "bad --format exits 2" || not_ok "bad --format exit code"
# no partial output file
"$MPSIM" gemm --arch "$TMP/zero.yaml" -M 1 -N 1 -K 1 -o "$TMP/never.json" 2>/dev/null
expect_no_file "no output file on bad arch" "$TMP/never.json"
"$MPSIM" gemm --arch lut-tc -M 1 -N 64 -K 64 --wbits 8 -o "$TMP/never2.json" 2>/dev/null
expect_no_file "no output file on failed simulation" "$TMP/never2.json"
# Integer schemes default to an 8-bit KV cache, so W8A8 attention runs on an
# INT8 array (a 16-bit cache would need FP16 attention it cannot run).
expect_ok "w8a8 decode runs on int8-mac without kvNN" \
    "$MPSIM" run --arch int8-mac --model llama2-7b --phase decode --seq 64 --quant w8a8
# A group larger than an int (per-channel K > 2^31 - 1) is refused, not truncated.
"$MPSIM_FAST" trace --model llama2-7b --phase decode --seq 4 --quant w8a8 -o "$TMP/big.yaml" >/dev/null 2>&1
sed 's/{name: decode.attn.q_proj, kind: gemm_weight, layers: 0-31, m: 1, n: 4096, k: 4096,/{name: decode.attn.q_proj, kind: gemm_weight, layers: 0-31, m: 1, n: 4096, k: 3000000000,/; /decode.attn.q_proj/s/group_size: 4096/group_size: 3000000000/' \
    "$TMP/big.yaml" >"$TMP/big2.yaml"
expect_error "group beyond int refused" "big2.yaml:[0-9]+: .*group_size: must be in 1..2147483647" \
    "$MPSIM" run --arch int8-mac --workload "$TMP/big2.yaml"
"$MPSIM" run --arch int8-mac --model llama2-7b --phase decode --seq 4 --quant w8a8 --format xml >/dev/null 2>&1
[ $? -eq 2 ] && ok "run: bad --format exits 2" || not_ok "run: bad --format exit code"
# An arch with an attention array says so in every format: the table's
# header line and the rows it ran (marked *), JSON arch.attention, each
# layer's "array" and total.attention_area_mm2 (a part of the PE + edge
# area), and a CSV "array" column.  Without one nothing changes (the
# byte-identity of the presets' reports is checked by the sweep/report tests).
ARCH_DIR=sim/arch
{ cat "$ARCH_DIR/a100-lut-4x.yaml"
  printf 'attention:\n  pe:\n    family: fp16-mac\n    weights: fp16\n    act: fp16\n    zeros: false\n    acc: fp32\n  rows: 32\n  cols: 32\n  cores: 108\n'
} >"$TMP/attn.yaml"
attn_run() { "$MPSIM" run --arch "$TMP/attn.yaml" --model llama2-7b --phase decode --seq 64 --quant w2a16 "$@"; }
out=$(attn_run 2>&1)
if grep -q '^attention array: fp16-mac 32x32 x108 cores' <<<"$out" &&
   [ "$(grep -c ' \*$' <<<"$out")" -eq 2 ] &&
   grep -q 'decode.attn.score .* \*$' <<<"$out" &&
   grep -q '^of which the attention array: [0-9.]* mm^2' <<<"$out"; then
    ok "attention array: table header, marked rows, area line"
else
    not_ok "attention array: table"; printf '%s\n' "$out" | head -20
fi
if attn_run --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
assert d["arch"]["attention"] == {"pe": "fp16-mac", "rows": 32, "cols": 32, "cores": 108}
arrays = {L["name"]: L["array"] for L in d["layers"]}
assert arrays["decode.attn.score"] == "attention" and arrays["decode.attn.q_proj"] == "main"
t = d["total"]
assert 0 < t["attention_area_mm2"] < t["pe_area_mm2"] + t["edge_area_mm2"]
'; then ok "attention array: JSON arch, layer arrays, area"; else not_ok "attention array: JSON"; fi
csv=$(attn_run --format csv)
if [ "$(head -1 <<<"$csv" | awk -F, '{print $NF}')" = array ] &&
   grep -q '^decode.attn.context,.*,attention$' <<<"$csv" &&
   grep -q '^decode.ffn.up_proj,.*,main$' <<<"$csv"; then
    ok "attention array: CSV array column"
else
    not_ok "attention array: CSV"
fi
plain=$("$MPSIM" run --arch a100-lut-4x --model llama2-7b --phase decode --seq 64 --quant w2a16 --format csv)
[ "$(head -1 <<<"$plain" | awk -F, '{print $NF}')" != array ] &&
    ok "no attention array: no array column" || not_ok "array column without an attention array"
