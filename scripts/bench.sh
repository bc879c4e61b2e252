#!/usr/bin/env bash
# bench.sh BUILD - simulator speed, measured in this run (no assertions):
#   1. simulated MACs per host second on a LLaMA-2-70B request trace;
#   2. per preset, host time to simulate LLaMA-2-70B prefill of 2048 tokens
#      plus 128 decode steps (target < 1 s per preset on one core);
#   3. a 10,000-point design sweep of a LLaMA-2-7B decode trace on two cores
#      (target < 1 minute), and its ratio to one core.
set -u
BUILD=${1:-build}
MPSIM="$BUILD/mpsim"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{printf "%.3f", $2 - $1}'; }

PRESETS="mixpe-w4a8 mixpe-w4a8-32x32 mixpe-w4a16 lut-tc flightllm-u280 int8-mac fp16-mac bitfusion"
QUANT=w4a8g128,kv8

echo "== LLaMA-2-70B request: prefill 2048 tokens + 128 decode steps"
echo "   (host_s: one mpsim run process building the trace from the model and"
echo "    simulating it, start to exit; target < 1 s per preset)"
printf '%-18s %4s %9s %14s %16s\n' preset ops host_s sim_latency_s sim_MACs_per_host_s
for p in $PRESETS; do
    q=$QUANT
    case $p in mixpe-w4a16|fp16-mac) q=w4a16g128,kv8 ;; int8-mac) q=w8a8,kv8 ;; esac
    t0=$(now)
    "$MPSIM" run --arch "$p" --model llama2-70b --phase request --seq 2048 \
        --decode-steps 128 --quant "$q" --format json -o "$TMP/r.json" || exit 1
    t1=$(now)
    /usr/bin/python3 - "$TMP/r.json" "$(secs "$t0" "$t1")" "$p" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); host = float(sys.argv[2])
t = j["total"]
rate = t["macs"] / host if host > 0 else float("inf")
print("%-18s %4d %9.3f %14.3f %16.3e" % (sys.argv[3], len(j["layers"]), host,
                                          t["latency_s"], rate))
PY
done

echo
echo "== 10,000-point sweep of a LLaMA-2-7B decode trace"
"$MPSIM" trace --model llama2-7b --phase decode --seq 1024 --quant "$QUANT" \
    -o "$TMP/7b.yaml" >/dev/null || exit 1
cat >"$TMP/sweep.yaml" <<YAML
arch: mixpe-w4a8
workload: $TMP/7b.yaml
sweep:
  rows: [8, 16, 24, 32, 48, 64, 96, 128, 192, 256]
  cols: [8, 16, 24, 32, 48, 64, 96, 128, 192, 256]
  dram_gbytes_per_s: [16, 32, 48, 64, 96, 128, 192, 256, 384, 512]
  weight_kib: [32, 64, 96, 128, 192, 256, 384, 512, 768, 1024]
YAML
t0=$(now)
"$MPSIM" run --sweep "$TMP/sweep.yaml" --jobs 1 -o "$TMP/s1.csv" || exit 1
t1=$(now)
"$MPSIM" run --sweep "$TMP/sweep.yaml" --jobs 2 -o "$TMP/s2.csv" || exit 1
t2=$(now)
one=$(secs "$t0" "$t1"); two=$(secs "$t1" "$t2")
points=$(($(wc -l <"$TMP/s2.csv") - 1))
echo "points: $points; 1 core: ${one} s; 2 cores: ${two} s (target < 60 s)"
echo "$one $two $points" | awk '{ if ($2 > 0) printf "speedup 2 cores / 1 core: %.2fx; %.0f points/s on 2 cores\n", $1 / $2, $3 / $2 }'
cmp -s "$TMP/s1.csv" "$TMP/s2.csv" && echo "1-core and 2-core outputs identical" || echo "WARNING: outputs differ"
