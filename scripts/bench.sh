#!/usr/bin/env bash
# bench.sh BUILD - simulator speed, measured in this run (no assertions):
#   1. simulated MACs per host second on a LLaMA-2-70B request trace;
#   2. per shipped preset (mpsim list), at its own precision, host time to
#      simulate LLaMA-2-70B prefill of 2048 tokens plus 128 decode steps
#      (target < 1 s per preset on one core);
#   3. design sweeps of a LLaMA-2-7B decode trace: points/s at -j 1 and -j 2
#      (ratio measured in this run), a 1,000,000-point sweep on two cores
#      (target < 1 minute) and peak memory (flat in the number of points).
set -u
BUILD=${1:-build}
MPSIM="$BUILD/mpsim"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

now() { date +%s.%N; }
secs() { echo "$1 $2" | awk '{printf "%.3f", $2 - $1}'; }

QUANT=w4a8g128,kv8

# quant_of PRESET: the trace scheme of the preset's own PE formats
# (weights: intN, act: int8/fp16/..., group_size: G), e.g. w4a16g128,kv8
quant_of() {
    awk '/^  weights:/ {w = $2} /^  act:/ && !a {a = $2}
         /^  group_size:/ {g = $2}
         END {sub(/^u?int/, "", w); sub(/^u?int/, "", a)
              if (a ~ /^(fp16|bf16)$/) a = 16; else if (a ~ /^fp8/) a = 8
              printf "w%sa%s%s,kv8\n", w, a, (g > 0 ? "g" g : "")}' \
        "sim/arch/$1.yaml"
}

echo "== LLaMA-2-70B request: prefill 2048 tokens + 128 decode steps"
echo "   (host_s: one mpsim run process building the trace from the model and"
echo "    simulating it, start to exit; target < 1 s per preset; a preset"
echo "    whose DRAM cannot hold 70B and refuses it runs LLaMA-2-7B instead)"
printf '%-18s %-11s %4s %9s %14s %16s\n' preset model ops host_s sim_latency_s sim_MACs_per_host_s
for p in $("$MPSIM" list | awk '/^architecture presets/ {on = 1; next}
                                 on && /^  / {print $1; next} {on = 0}'); do
    q=$(quant_of "$p")
    for model in llama2-70b llama2-7b; do
        t0=$(now)
        "$MPSIM" run --arch "$p" --model "$model" --phase request --seq 2048 \
            --decode-steps 128 --quant "$q" --format json -o "$TMP/r.json" \
            2>"$TMP/err" && break
        grep -q 'dram.gbytes: .* needs' "$TMP/err" || { cat "$TMP/err" >&2; exit 1; }
    done
    t1=$(now)
    /usr/bin/python3 - "$TMP/r.json" "$(secs "$t0" "$t1")" "$p" "$model" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); host = float(sys.argv[2])
t = j["total"]
rate = t["macs"] / host if host > 0 else float("inf")
print("%-18s %-11s %4d %9.3f %14.3f %16.3e" % (sys.argv[3], sys.argv[4],
      len(j["layers"]), host, t["latency_s"], rate))
PY
done

echo
echo "== design sweeps of a LLaMA-2-7B decode trace (mpsim sweep)"
echo "   (100,000 points at -j 1 and -j 2 for the ratio, then 1,000,000 at -j 2;"
echo "    targets: 1M points < 60 s on 2 cores, -j 2 >= 1.7x -j 1, peak memory"
echo "    flat in the number of points)"
"$MPSIM" trace --model llama2-7b --phase decode --seq 1024 --quant "$QUANT" \
    -o "$TMP/7b.yaml" >/dev/null || exit 1
# sweep_file N_WEIGHT_KIB: 10 x 10 x 10 x N points
sweep_file() {
    local kib
    kib=$(seq -s, 1 "$1")
    cat <<YAML
arch: mixpe-w4a8
workload: $TMP/7b.yaml
sweep:
  array.rows: [8, 16, 24, 32, 48, 64, 96, 128, 192, 256]
  array.cols: [8, 16, 24, 32, 48, 64, 96, 128, 192, 256]
  dram.gbytes_per_s: [16, 32, 48, 64, 96, 128, 192, 256, 384, 512]
  buffers.weight.kib: [$kib]
YAML
}
# run_sweep FILE JOBS OUT: prints "wall_s peak_kib cpu_s" (cpu: user +
# system of the parent and its workers)
run_sweep() {
    /usr/bin/time -f "%e %M %U %S" -o "$TMP/time" "$MPSIM" sweep "$1" \
        -j "$2" --quiet -o "$3" || exit 1
    tail -n 1 "$TMP/time" | awk '{print $1, $2, $3 + $4}'
}
sweep_file 100 >"$TMP/s100k.yaml"
sweep_file 1000 >"$TMP/s1m.yaml"
read -r one mem1 cpu1 <<<"$(run_sweep "$TMP/s100k.yaml" 1 "$TMP/a.csv")"
read -r two mem2 cpu2 <<<"$(run_sweep "$TMP/s100k.yaml" 2 "$TMP/b.csv")"
cmp -s "$TMP/a.csv" "$TMP/b.csv" && same="identical" || same="DIFFER (bug)"
# what two cores give right now (other users share the machine): two
# independent -j 1 runs side by side, against one alone
t0=$(now)
"$MPSIM" sweep "$TMP/s100k.yaml" --quiet -o "$TMP/p1.csv" &
"$MPSIM" sweep "$TMP/s100k.yaml" --quiet -o "$TMP/p2.csv"
wait
t1=$(now)
ceiling=$(echo "$one $(secs "$t0" "$t1")" | awk '{printf "%.2f", 2 * $1 / $2}')
rm -f "$TMP/a.csv" "$TMP/p1.csv" "$TMP/p2.csv"
read -r big memb cpub <<<"$(run_sweep "$TMP/s1m.yaml" 2 "$TMP/c.csv")"
rows=$(($(wc -l <"$TMP/c.csv") - 1))
bytes=$(stat -c %s "$TMP/c.csv")
rm -f "$TMP/b.csv" "$TMP/c.csv"
awk -v one="$one" -v two="$two" -v big="$big" -v rows="$rows" \
    -v m1="$mem1" -v m2="$mem2" -v mb="$memb" -v same="$same" -v bytes="$bytes" -v ceil="$ceiling" \
    -v c1="$cpu1" -v c2="$cpu2" -v cb="$cpub" 'BEGIN {
    printf "100,000 points: -j 1 %.2f s (%.0f points/s), -j 2 %.2f s (%.0f points/s); ratio %.2fx; outputs %s\n", one, 1e5 / one, two, 1e5 / two, one / two, same
    printf "  (two independent -j 1 runs side by side reach %.2fx: the most two cores give now)\n", ceil
    printf "%d points -j 2: %.2f s (%.0f points/s), %.0f MB of CSV\n", rows, big, rows / big, bytes / 1e6
    printf "peak memory (parent): 100k -j 1 %d KiB, 100k -j 2 %d KiB, 1M -j 2 %d KiB\n", m1, m2, mb
    printf "CPU time: 100k -j 1 %.2f s, 100k -j 2 %.2f s, 1M -j 2 %.2f s (%.0f points per CPU second;\n", c1, c2, cb, rows / cb
    printf "  on two idle cores 1M points would take about %.1f s)\n", cb / 2
}'
