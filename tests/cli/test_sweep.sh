#!/usr/bin/env bash
# CLI tests of mpsim sweep: axes over arch and workload fields, zip and
# explicit points, constraints, derived columns, refused points; the same
# bytes for any -j and sharding; resume after a torn or killed run; workers
# dying with their parent; every bad sweep file one line naming the sweep
# file, line and field.  Small sweeps only (the speed goals are make bench).
. "$(dirname "$0")/lib.sh"
ROOT_DIR=$(cd "$(dirname "$0")/../.." && pwd)

# same NAME A B: files identical
same() {
    if cmp -s "$2" "$3"; then ok "$1"; else not_ok "$1 ($(cmp "$2" "$3" 2>&1 | head -c 200))"; fi
}
# col FILE NAME: the values of column NAME, one a line
col() {
    /usr/bin/python3 -c 'import csv,sys
for r in csv.DictReader(open(sys.argv[1])): print(r[sys.argv[2]])' "$1" "$2"
}
# rows_check NAME FILE PYEXPR: PYEXPR true for every row `r` (a dict of
# strings; f(x) is float(x)) and at least one row
rows_check() {
    if /usr/bin/python3 -c 'import csv,sys
f = float
rows = list(csv.DictReader(open(sys.argv[1])))
sys.exit(0 if rows and all(eval(sys.argv[2]) for r in rows) else 1)' "$2" "$3" 2>"$TMP/pyerr"
    then ok "$1"; else not_ok "$1 ($(head -c 200 "$TMP/pyerr"))"; fi
}

expect_ok "sweep --help" "$MPSIM" sweep --help
grep -q "usage: mpsim sweep" "$TMP/out" && ok "sweep --help text" || not_ok "sweep --help text"

"$MPSIM_FAST" trace --model llama2-7b --phase decode --seq 256 --quant w4a8g128 -o "$TMP/t.yaml" >/dev/null 2>&1

# ---- a sweep over families, a zip, workload batch, points -------------------
cat >"$TMP/s.yaml" <<EOF
arch: mixpe-w4a8
workload: {model: llama2-7b, phase: decode, seq: 256, quant: w4a8g128}
sweep:
  - pe.family: [mixpe, int8-mac, fp16-mac]
  - zip: {array.rows: [8, 16, 32], array.cols: [8, 16, 32]}
  - workload.batch: [1, 4]
  - points: [{dram.gbytes_per_s: 32}, {dram.gbytes_per_s: 64, pe.group_size: 64}]
constraints: [area_mm2 <= 4.5]   # 4.303 mm^2 of it is the SRAM (asic-28nm CACTI banks)
derived: {edp: energy_j * latency_s, per_mm2: tokens_per_s / area_mm2}
EOF
expect_ok "sweep runs" "$MPSIM" sweep "$TMP/s.yaml" -o "$TMP/s1.csv"
[ "$(wc -l <"$TMP/s1.csv")" -eq 37 ] && ok "36 points, one row each + header" || not_ok "rows: $(wc -l <"$TMP/s1.csv")"
[ "$(col "$TMP/s1.csv" point | tr '\n' ' ')" = "$(seq -s ' ' 0 35) " ] && ok "rows in point order" || not_ok "point order"
st=$(col "$TMP/s1.csv" status | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}')
case "$st" in *ok=*refused=12*violates=*) ok "ok, violating and refused points ($st)" ;; *) not_ok "statuses: $st" ;; esac
grep -q 'refused,"\{0,1\}act: fp16-mac' "$TMP/s1.csv" && ok "refused rows give the PE's reason" || not_ok "refused reason: $(grep -m1 refused "$TMP/s1.csv" | head -c 200)"
[ "$(col "$TMP/s1.csv" array.rows | sort -u | tr '\n' ' ')" = "16 32 8 " ] && ok "zipped rows column" || not_ok "zip rows: $(col "$TMP/s1.csv" array.rows | sort -u | tr '\n' ' ')"
rows_check "zip and explicit points set their fields together" "$TMP/s1.csv" \
    'r["array.rows"] == r["array.cols"] and (r["pe.group_size"] == "64") == (r["dram.gbytes_per_s"] == "64")'
rows_check "derived edp = energy_j * latency_s" "$TMP/s1.csv" \
    'r["status"] == "refused" or abs(f(r["edp"]) - f(r["energy_j"]) * f(r["latency_s"])) <= 1e-9 * f(r["edp"])'
rows_check "constraint decides ok / violates" "$TMP/s1.csv" \
    'r["status"] == "refused" or (r["status"] == "ok") == (f(r["area_mm2"]) <= 4.5)'
rows_check "refused rows have a reason and no figures" "$TMP/s1.csv" \
    '(r["status"] == "refused") == (r["latency_s"] == "") and (r["status"] == "ok") == (r["reason"] == "")'
[ "$(col "$TMP/s1.csv" hash | sort -u | wc -l)" -eq 36 ] && ok "36 distinct configuration hashes" || not_ok "hashes not distinct"
rows_check "workload.batch axis sets the trace's batch (tokens = batch)" "$TMP/s1.csv" \
    'r["status"] == "refused" or f(r["tokens"]) == f(r["workload.batch"])'
grep -Eq '(^|,)(-?inf|nan)(,|$)' "$TMP/s1.csv" && not_ok "inf or nan in the CSV" || ok "no inf or nan in the CSV"

# ---- determinism: jobs, shards, the old spelling ----------------------------
"$MPSIM" sweep "$TMP/s.yaml" -j 2 -o "$TMP/s2.csv" 2>"$TMP/err"
same "-j 2 gives the same bytes as -j 1" "$TMP/s1.csv" "$TMP/s2.csv"
"$MPSIM_FAST" sweep "$TMP/s.yaml" -j 3 -o "$TMP/s3.csv" 2>"$TMP/err"
same "-j 3 gives the same bytes" "$TMP/s1.csv" "$TMP/s3.csv"
for n in 2 3 7; do
    : >"$TMP/cat.csv"
    for i in $(seq 1 $n); do
        "$MPSIM_FAST" sweep "$TMP/s.yaml" --shard "$i/$n" -j 2 -o "$TMP/sh$i.csv" 2>"$TMP/err"
        if [ "$i" -eq 1 ]; then cat "$TMP/sh$i.csv"; else tail -n +2 "$TMP/sh$i.csv"; fi >>"$TMP/cat.csv"
    done
    same "shards 1..$n/$n concatenate (header once) to the whole sweep" "$TMP/s1.csv" "$TMP/cat.csv"
done
"$MPSIM_FAST" run --sweep "$TMP/s.yaml" --jobs 2 -o "$TMP/alias.csv" 2>"$TMP/err"
same "run --sweep is the same command" "$TMP/s1.csv" "$TMP/alias.csv"
"$MPSIM_FAST" sweep "$TMP/s.yaml" >"$TMP/stdout.csv" 2>"$TMP/err"
same "-o - / stdout gives the same bytes" "$TMP/s1.csv" "$TMP/stdout.csv"
[ ! -s "$TMP/err" ] && ok "no progress lines off a terminal for a short run" || not_ok "stderr: $(head -c 200 "$TMP/err")"

# ---- resume -----------------------------------------------------------------
head -c 5000 "$TMP/s1.csv" >"$TMP/r.csv"   # ends inside a row
tail -c 1 "$TMP/r.csv" | grep -q . && ok "(test file ends in a torn row)" || not_ok "test setup"
"$MPSIM" sweep "$TMP/s.yaml" --resume -j 2 -o "$TMP/r.csv" 2>"$TMP/err"
same "resume cuts the torn row and completes the file" "$TMP/s1.csv" "$TMP/r.csv"
"$MPSIM_FAST" sweep "$TMP/s.yaml" --resume -o "$TMP/r.csv" 2>"$TMP/err"
same "resume of a complete file changes nothing" "$TMP/s1.csv" "$TMP/r.csv"
"$MPSIM_FAST" sweep "$TMP/s.yaml" --shard 2/2 -o "$TMP/half.csv" 2>"$TMP/err"
"$MPSIM_FAST" sweep "$TMP/s.yaml" --shard 2/2 --resume -o "$TMP/fresh.csv" 2>"$TMP/err"
same "resume without a file starts one" "$TMP/half.csv" "$TMP/fresh.csv"
tail -n +2 "$TMP/half.csv" | head -n 3 >"$TMP/cat.csv"
{ head -n 1 "$TMP/s1.csv"; cat "$TMP/cat.csv"; } >"$TMP/wrong.csv"
expect_error "resume refuses rows of another shard" "wrong.csv: point: row for point" \
    "$MPSIM" sweep "$TMP/s.yaml" --resume -o "$TMP/wrong.csv"
sed 's/edp: energy_j \* latency_s, //' "$TMP/s.yaml" >"$TMP/other.yaml"
cp "$TMP/s1.csv" "$TMP/o.csv"
expect_error "resume refuses another sweep's file" "o.csv:1: header: not the output of this sweep" \
    "$MPSIM" sweep "$TMP/other.yaml" --resume -o "$TMP/o.csv"
same "a refused resume leaves the file alone" "$TMP/s1.csv" "$TMP/o.csv"

# ---- a killed run: whole rows, resume gives the same file; workers die -----
cat >"$TMP/big.yaml" <<EOF
arch: mixpe-w4a8
workload: $TMP/t.yaml
sweep:
  array.rows: [$(seq -s, 4 4 400)]
  array.cols: [$(seq -s, 4 4 400)]
  dram.gbytes_per_s: [$(seq -s, 1 1 100)]
EOF
"$MPSIM_FAST" sweep "$TMP/big.yaml" -j 2 --quiet -o "$TMP/k.csv" &
pid=$!
for _ in $(seq 100); do
    [ -f "$TMP/k.csv" ] && [ "$(wc -l <"$TMP/k.csv")" -gt 2000 ] && break
    sleep 0.1
done
workers=$(ps -o pid= --ppid "$pid" | tr -d ' ' | tr '\n' ' ')
kill -9 "$pid"; wait "$pid" 2>/dev/null
sleep 0.5
alive=""
for w in $workers; do # a zombie awaiting its reaper counts as stopped
    st=$(ps -o stat= -p "$w" 2>/dev/null | tr -d ' ')
    case "$st" in ""|Z*) ;; *) alive="$alive $w" ;; esac
done
[ -n "$workers" ] && [ -z "$alive" ] && ok "workers ($workers) stop when the parent is killed" || not_ok "workers [$workers] alive after parent killed: [$alive]"
for w in $alive; do kill -9 "$w" 2>/dev/null; done
rows=$(($(wc -l <"$TMP/k.csv") - 1))
[ "$rows" -gt 0 ] && [ "$rows" -lt 1000000 ] && ok "killed run left $rows rows" || not_ok "killed run left $rows rows"
# every complete line is a whole row: the same as the uninterrupted sweep's
"$MPSIM_FAST" sweep "$TMP/big.yaml" --shard 1/100 --quiet -o "$TMP/first.csv"
n=$(($(wc -l <"$TMP/k.csv") < $(wc -l <"$TMP/first.csv") ? $(wc -l <"$TMP/k.csv") : $(wc -l <"$TMP/first.csv")))
cmp -s <(head -n "$n" "$TMP/k.csv") <(head -n "$n" "$TMP/first.csv") && ok "the killed run's rows are the sweep's rows" || not_ok "killed rows differ"
# resume it on a smaller shard-sized sweep: cut to the first 1% and finish
head -n "$n" "$TMP/k.csv" | head -n 5000 >"$TMP/k1.csv"
"$MPSIM_FAST" sweep "$TMP/big.yaml" --shard 1/100 --resume -j 2 --quiet -o "$TMP/k1.csv"
same "resuming a killed run gives the uninterrupted file" "$TMP/first.csv" "$TMP/k1.csv"

# ---- bad sweep files: one line naming the sweep file, line and field ---------
bad() { # NAME REGEX YAML-TEXT
    printf '%s\n' "$3" >"$TMP/bad.yaml"
    expect_error "$1" "$2" "$MPSIM" sweep "$TMP/bad.yaml" -o "$TMP/never.csv"
}
W="workload: $TMP/t.yaml"
bad "value out of range" "bad.yaml:3: array.rows: .*" "arch: int8-mac
$W
sweep: {array.rows: [4, -1]}"
bad "1e300 clock (was inf in the CSV)" "bad.yaml:5: array.clock_hz: " "arch: int8-mac
$W
sweep:
  array.clock_hz:
    - 1e300"
bad "1e300 buffer size (was an llround overflow)" "bad.yaml:3: buffers.weight.kib: " "arch: int8-mac
$W
sweep: {buffers.weight.kib: [64, 1e300]}"
bad "unknown field" "bad.yaml:3: pe.wieghts: " "arch: int8-mac
$W
sweep: {pe.wieghts: [int4]}"
bad "unknown section" "bad.yaml:3: memory.kib: .*no section 'memory'" "arch: int8-mac
$W
sweep: {memory.kib: [4]}"
bad "a mapping is not a value" "bad.yaml:3: buffers.weight: .*mapping" "arch: int8-mac
$W
sweep: {buffers.weight: [4]}"
bad "unknown PE family" "bad.yaml:3: pe.family: unknown PE family 'nope'" "arch: int8-mac
$W
sweep: {pe.family: [int8-mac, nope]}"
bad "unknown dataflow" "bad.yaml:3: array.dataflow: .*'xs'" "arch: int8-mac
$W
sweep: {array.dataflow: [os, xs]}"
bad "old short names point to the path" "bad.yaml:3: rows: .*use array.rows" "arch: int8-mac
$W
sweep: {rows: [4]}"
bad "old top-level model key" "bad.yaml:2: model: goes under workload" "arch: int8-mac
model: llama2-7b
sweep: {array.rows: [4]}"
bad "bad workload value" "bad.yaml:3: workload.batch: " "arch: int8-mac
workload: {model: llama2-7b, phase: decode, seq: 64, quant: w8a8}
sweep: {workload.batch: [1, 0]}"
bad "unknown model" "bad.yaml:3: workload.model: " "arch: int8-mac
workload: {model: llama2-7b, phase: decode, seq: 64, quant: w8a8}
sweep: {workload.model: [nope-13b]}"
bad "bad base workload key" "bad.yaml:2: workload.sequence: unknown trace option" "arch: int8-mac
workload: {model: llama2-7b, sequence: 64}
sweep: {array.rows: [4]}"
bad "missing base option" "bad.yaml:2: workload: workload.quant: required" "arch: int8-mac
workload: {model: llama2-7b, phase: decode, seq: 64}
sweep: {array.rows: [4]}"
bad "workload options on a trace file" "bad.yaml:3: workload.batch: .*trace file" "arch: int8-mac
$W
sweep: {workload.batch: [1]}"
bad "unknown arch" "bad.yaml:1: arch: unknown architecture" "arch: nope
$W
sweep: {array.rows: [4]}"
bad "cfg arch" "bad.yaml:1: arch: .*SCALE-Sim" "arch: x.cfg
$W
sweep: {array.rows: [4]}"
bad "zip lengths differ" "bad.yaml:6: array.cols: zipped lists differ" "arch: int8-mac
$W
sweep:
  zip:
    array.rows: [4, 8]
    array.cols: [4]"
bad "field swept twice" "bad.yaml:5: array.rows: swept by two dimensions" "arch: int8-mac
$W
sweep:
  - array.rows: [4]
  - array.rows: [8]"
bad "bad constraint" "bad.yaml:4: constraints: unknown column 'aera_mm2'" "arch: int8-mac
$W
sweep: {array.rows: [4]}
constraints: [aera_mm2 <= 4]"
bad "constraint that compares nothing" "bad.yaml:4: constraints: not a comparison" "arch: int8-mac
$W
sweep: {array.rows: [4]}
constraints: [area_mm2 * 4]"
bad "derived name clash" "bad.yaml:4: derived.area_mm2: needs a new column" "arch: int8-mac
$W
sweep: {array.rows: [4]}
derived: {area_mm2: power_w * 2}"
bad "derived syntax" "bad.yaml:4: derived.x: expected ')'" "arch: int8-mac
$W
sweep: {array.rows: [4]}
derived: {x: (power_w * 2}"
bad "too many points, before any work" "bad.yaml:4: sweep: more than 100000000 points" "arch: int8-mac
$W
sweep:
  array.rows: [$(seq -s, 1 1000)]
  array.cols: [$(seq -s, 1 1000)]
  dram.gbytes_per_s: [$(seq -s, 1 101)]"
expect_no_file "no output file after a bad sweep file" "$TMP/never.csv"
expect_error "bad --shard" "<command line>: --shard: " "$MPSIM" sweep "$TMP/s.yaml" --shard 3/2
expect_error "--resume needs a file" "<command line>: --resume: needs -o FILE" "$MPSIM" sweep "$TMP/s.yaml" --resume
"$MPSIM" sweep >/dev/null 2>&1; [ $? -eq 2 ] && ok "sweep without a file exits 2" || not_ok "sweep without a file exit code"

# ---- array.dataflow: auto (RTL-generated dataflows) and auto-all -------------
for df in os ws is auto auto-all; do
    sed "s/^  dataflow: os /  dataflow: $df /" "$ROOT_DIR/sim/arch/mixpe-w4a8.yaml" >"$TMP/df-$df.yaml"
    "$MPSIM_FAST" run --arch "$TMP/df-$df.yaml" --model llama2-7b --phase decode --seq 256 \
        --quant w4a8g128,kv8 --format json -o "$TMP/df-$df.json" 2>>"$TMP/err"
done
if /usr/bin/python3 - "$TMP" <<'PY' 2>"$TMP/pyerr"; then ok "auto-all: per layer the least cycles of os/ws/is (ties: energy), choice reported"; else not_ok "auto-all: $(head -c 300 "$TMP/pyerr")"; fi
import json, sys
d = sys.argv[1]
runs = {df: json.load(open("%s/df-%s.json" % (d, df))) for df in ("os", "ws", "is", "auto-all")}
assert runs["auto-all"]["arch"]["dataflow"] == "auto(os,ws,is)"
picked = set()
for i, L in enumerate(runs["auto-all"]["layers"]):
    if L["kind"] == "vector":
        assert L["dataflow"] == "-"
        continue
    best = min(("os", "ws", "is"), key=lambda df: (runs[df]["layers"][i]["cycles"], runs[df]["layers"][i]["energy_pj"]))
    assert L["dataflow"] == best, (L["name"], L["dataflow"], best)
    assert L["cycles"] == runs[best]["layers"][i]["cycles"], L["name"]
    picked.add(best)
assert runs["auto-all"]["total"]["cycles"] <= min(runs[df]["total"]["cycles"] for df in ("os", "ws", "is"))
assert len(picked) > 1, picked   # decode attention picks another mapping
PY
if /usr/bin/python3 - "$TMP" <<'PY' 2>"$TMP/pyerr"; then ok "auto searches only the RTL's dataflow (os): same figures as os"; else not_ok "auto: $(head -c 300 "$TMP/pyerr")"; fi
import json, sys
d = sys.argv[1]
a, o = (json.load(open("%s/df-%s.json" % (d, x))) for x in ("auto", "os"))
assert a["arch"]["dataflow"] == "auto(os)"
assert all(L["dataflow"] in ("os", "-") for L in a["layers"])
assert a["total"] == o["total"]
PY
"$MPSIM_FAST" run --arch "$TMP/df-auto-all.yaml" --model llama2-7b --phase decode --seq 256 --quant w4a8g128,kv8 >"$TMP/df.txt"
grep -q ' dataflow$' "$TMP/df.txt" && grep -Eq '^decode.attn.score .* (os|ws|is)$' "$TMP/df.txt" &&
    ok "the table prints each layer's dataflow" || not_ok "table: $(head -c 300 "$TMP/df.txt")"
"$MPSIM_FAST" run --arch mixpe-w4a8 --model llama2-7b --phase decode --seq 256 --quant w4a8g128,kv8 >"$TMP/fixed.txt"
grep -q ' dataflow$' "$TMP/fixed.txt" && not_ok "fixed dataflow table changed" || ok "a fixed dataflow's table is unchanged"
printf 'arch: mixpe-w4a8\nworkload: %s\nsweep: {array.dataflow: [os, auto, auto-all, xs]}\n' "$TMP/t.yaml" >"$TMP/bad.yaml"
expect_error "unknown dataflow names auto" "bad.yaml:3: array.dataflow: .*os\|ws\|is\|auto\|auto-all" "$MPSIM" sweep "$TMP/bad.yaml"

# ---- progress on a terminal: a live line (done, rate, ETA) ------------------
if command -v script >/dev/null 2>&1; then
    script -qec "'$MPSIM_FAST' sweep '$TMP/big.yaml' --shard 1/20 -j 2 -o '$TMP/tty.csv'" /dev/null >"$TMP/tty.out" 2>&1
    grep -aq $'\rsweep: [0-9]*/50000 points (.*%), [0-9]* points/s, ETA [0-9]* s' "$TMP/tty.out" &&
        grep -aq 'sweep: 50000/50000 points (100.0%)' "$TMP/tty.out" &&
        ok "progress: live line with done, rate and ETA on a terminal" || not_ok "tty progress: $(head -c 200 "$TMP/tty.out" | od -c | head -3)"
else
    ok "tty progress # SKIP script(1) not installed"
fi

# ---- the output is never one of the inputs -----------------------------------
cp "$TMP/s.yaml" "$TMP/keep.yaml"
expect_error "-o the sweep file itself is refused" "<command line>: -o: .*refusing to overwrite an input" \
    "$MPSIM" sweep "$TMP/s.yaml" -o "$TMP/s.yaml"
same "... and the sweep file is intact" "$TMP/keep.yaml" "$TMP/s.yaml"
cp "$TMP/t.yaml" "$TMP/keep-t.yaml"
printf 'arch: int8-mac\nworkload: %s\nsweep: {array.rows: [4]}\n' "$TMP/t.yaml" >"$TMP/w.yaml"
expect_error "-o the workload trace is refused" "-o: .*refusing to overwrite an input" \
    "$MPSIM" sweep "$TMP/w.yaml" --resume -o "$TMP/t.yaml"
same "... and the trace is intact" "$TMP/keep-t.yaml" "$TMP/t.yaml"

# ---- extreme accepted values: refused rows, never inf or nan ----------------
printf 'arch: int8-mac\nworkload: %s\nsweep:\n  dram.gbytes_per_s: [1e-300, 1e9]\n  array.clock_hz: [1e-300, 1e9]\nderived: {x: 1 / (tokens_per_s - tokens_per_s)}\n' "$TMP/t.yaml" >"$TMP/ext.yaml"
"$MPSIM" sweep "$TMP/ext.yaml" -o "$TMP/ext.csv" 2>"$TMP/err"
rows_check "1e-300 clock or bandwidth: refused with the reason, the rest ok" "$TMP/ext.csv" \
    '(r["status"] == "refused") == ("1e-300" in (r["dram.gbytes_per_s"], r["array.clock_hz"])) and (r["status"] == "ok" or "out of double range" in r["reason"] or "more than 2^62 cycles" in r["reason"])'
rows_check "a derived 1/0 is left empty" "$TMP/ext.csv" 'r["x"] == ""'
grep -Eqi 'inf|nan' "$TMP/ext.csv" && not_ok "inf or nan printed: $(grep -Eim1 'inf|nan' "$TMP/ext.csv" | head -c 200)" || ok "no inf or nan anywhere in the file"

# ---- memory flat in the number of points (streamed, never held) -------------
if [ -x /usr/bin/time ]; then
    /usr/bin/time -f %M -o "$TMP/m10k" "$MPSIM_FAST" sweep "$TMP/big.yaml" --shard 1/100 -j 2 --quiet -o "$TMP/m1.csv"
    /usr/bin/time -f %M -o "$TMP/m100k" "$MPSIM_FAST" sweep "$TMP/big.yaml" --shard 1/10 -j 2 --quiet -o "$TMP/m2.csv"
    a=$(tail -n 1 "$TMP/m10k") b=$(tail -n 1 "$TMP/m100k")
    [ "$b" -le $((a + 1024)) ] && ok "peak memory flat: 10k points $a KiB, 100k points $b KiB" || not_ok "memory grows: 10k $a KiB, 100k $b KiB"
    rm -f "$TMP/m1.csv" "$TMP/m2.csv"
else
    ok "memory flat # SKIP /usr/bin/time not installed (make deps)"
fi
