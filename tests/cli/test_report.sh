#!/usr/bin/env bash
# CLI tests of mpsim report on the 1,000-point example sweep
# (scripts/sweeps/llama2-7b-families.yaml): the Pareto front and the
# per-family best checked against a brute-force recomputation, budgets,
# iso tables, the three table formats, the figures (PNG, SVG, PDF) and the
# provenance stamp in every output; bad input one line.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
PY=/usr/bin/python3

"$MPSIM_FAST" sweep "$ROOT/scripts/sweeps/llama2-7b-families.yaml" -j 2 --quiet -o "$TMP/f.csv" 2>"$TMP/err"
[ "$(wc -l <"$TMP/f.csv")" -eq 1001 ] && ok "example sweep: 1,000 points" || not_ok "example sweep: $(head -c 300 "$TMP/err")"

expect_ok "report with figures" "$MPSIM" report "$TMP/f.csv" -o "$TMP/r" \
    --pareto area_mm2,tokens_per_s --budget 'area_mm2 <= 6' --iso-area 5 --iso-throughput 5
for f in pareto best iso_area iso_throughput; do
    for e in md csv tex; do
        [ -s "$TMP/r/$f.$e" ] || missing="$missing $f.$e"
    done
done
for f in pareto energy_breakdown roofline; do
    head -c 8 "$TMP/r/$f.png" | grep -q PNG || missing="$missing $f.png"
    head -c 5 "$TMP/r/$f.pdf" | grep -q '%PDF' || missing="$missing $f.pdf"
    grep -q '<svg' "$TMP/r/$f.svg" || missing="$missing $f.svg"
done
[ -z "${missing:-}" ] && ok "tables (md, csv, tex) and figures (png, pdf, svg)" || not_ok "missing:$missing"
grep -q '\\toprule' "$TMP/r/best.tex" && grep -q '\\bottomrule' "$TMP/r/best.tex" && ok "LaTeX booktabs" || not_ok "booktabs"
hash=$($PY -c "
import sys
h = 0xcbf29ce484222325
for b in open(sys.argv[1], 'rb').read(): h = ((h ^ b) * 0x100000001b3) % 2**64
print('%016x' % h)" "$TMP/f.csv")
bad=""
for f in pareto.md pareto.csv pareto.tex best.md iso_area.csv pareto_points.dat; do
    grep -q "mpsim [0-9.]*; results $TMP/f.csv fnv1a $hash; command: mpsim report .*--budget" "$TMP/r/$f" || bad="$bad $f"
done
[ -z "$bad" ] && ok "every table records version, results hash and command" || not_ok "stamp missing in:$bad"
grep -aq "fnv1a $hash" "$TMP/r/pareto.svg" && ok "figures record it too" || not_ok "stamp in svg"

# brute force: front = feasible points no feasible point dominates
if $PY - "$TMP/f.csv" "$TMP/r" <<'PY' 2>"$TMP/pyerr"; then ok "Pareto front, best per family, iso tables match brute force"; else not_ok "analysis: $(head -c 300 "$TMP/pyerr")"; fi
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1]))]
feas = [r for r in rows if r["status"] == "ok" and float(r["area_mm2"]) <= 6]
pts = [(float(r["area_mm2"]), -float(r["tokens_per_s"]), int(r["point"])) for r in feas]
front = set()
for a in pts:
    dom = any(b[0] <= a[0] and b[1] <= a[1] and (b[:2] != a[:2] or b[2] < a[2]) for b in pts)
    if not dom:
        front.add(a[2])
def table(name):
    lines = [l for l in open(sys.argv[2] + "/" + name + ".csv") if not l.startswith("#")]
    return list(csv.DictReader(lines))
got = set(int(r["point"]) for r in table("pareto"))
assert got == front, (sorted(got), sorted(front))
best = {}
for r in feas:
    f = r["pe.family"]
    if f not in best or float(r["tokens_per_s"]) > float(best[f]["tokens_per_s"]):
        best[f] = r
got = {r["group"]: int(r["point"]) for r in table("best")}
assert got == {f: int(r["point"]) for f, r in best.items()}, got
iso = {}
for r in feas:
    if float(r["area_mm2"]) <= 5:
        f = r["pe.family"]
        if f not in iso or float(r["tokens_per_s"]) > float(iso[f]["tokens_per_s"]):
            iso[f] = r
got = {r["group"]: int(r["point"]) for r in table("iso_area")}
assert got == {f: int(r["point"]) for f, r in iso.items()}, got
PY

# vs batch appears when batch is swept; three objectives
"$MPSIM_FAST" sweep "$ROOT/scripts/sweeps/mixpe-precision-group.yaml" --quiet -o "$TMP/m.csv"
expect_ok "report: 3 objectives, groups by quant" "$MPSIM" report "$TMP/m.csv" -o "$TMP/m" \
    --by workload.quant --pareto energy_j,tokens_per_s,pe.group_size
head -c 8 "$TMP/m/vs_x.png" | grep -q PNG && grep -q "workload.batch" "$TMP/m/vs_x.svg" &&
    ok "latency/energy vs batch figure" || not_ok "vs_x figure"
expect_ok "report --no-figures" "$MPSIM" report "$TMP/m.csv" -o "$TMP/n" --no-figures
[ ! -e "$TMP/n/pareto.png" ] && [ -s "$TMP/n/pareto.md" ] && ok "--no-figures writes tables only" || not_ok "--no-figures"

expect_error "unknown objective column" "f.csv:1: latency: no such column" \
    "$MPSIM" report "$TMP/f.csv" -o "$TMP/x" --pareto latency,energy_j
expect_error "a budget no row meets" "f.csv: --budget: no row of 1000 is ok, within the budget" \
    "$MPSIM" report "$TMP/f.csv" -o "$TMP/none" --budget 'area_mm2 <= 0.001'
[ ! -e "$TMP/none" ] && ok "no output directory when nothing is feasible" || not_ok "left $TMP/none"
expect_error "bad budget" "<command line>: --budget: unknown column 'aera'" \
    "$MPSIM" report "$TMP/f.csv" -o "$TMP/x" --budget 'aera <= 1'
expect_error "one objective" "<command line>: --pareto: 2 or 3" \
    "$MPSIM" report "$TMP/f.csv" -o "$TMP/x" --pareto energy_j
printf 'a,b\n1,2\n' >"$TMP/not.csv"
expect_error "not a sweep CSV" "not.csv:1: header: not an mpsim sweep CSV" \
    "$MPSIM" report "$TMP/not.csv" -o "$TMP/x"
head -c 3000 "$TMP/f.csv" >"$TMP/torn.csv"
expect_error "torn row" "torn.csv:[0-9]*: row: " "$MPSIM" report "$TMP/torn.csv" -o "$TMP/x"

# refused rows (quoted reasons with commas) are read and left out
cat >"$TMP/r.yaml" <<EOF
arch: mixpe-w4a8
workload: {model: llama2-7b, phase: decode, seq: 128, quant: w4a8g128}
sweep: {pe.family: [mixpe, fp16-mac, int8-mac], array.rows: [8, 16]}
EOF
"$MPSIM_FAST" sweep "$TMP/r.yaml" --quiet -o "$TMP/r.csv"
grep -q '^[0-9]*,[0-9a-f]*,refused,"[^"]*,' "$TMP/r.csv" && ok "(results hold a quoted reason with a comma)" || not_ok "test setup: $(sed -n 4p "$TMP/r.csv" | head -c 200)"
expect_ok "report reads quoted fields" "$MPSIM" report "$TMP/r.csv" -o "$TMP/rr" --no-figures
grep -q "^6 rows, 4 feasible" "$TMP/out" && ! grep -q fp16-mac "$TMP/rr/best.csv" &&
    ok "refused points are not feasible" || not_ok "refused: $(cat "$TMP/out")"

# --sweep: each group's best point re-run from the sweep file, its GEMM
# layers placed on the roofline; results of another sweep are refused
expect_ok "report --sweep (layers on the roofline)" "$MPSIM" report "$TMP/f.csv" -o "$TMP/l" \
    --pareto area_mm2,tokens_per_s --sweep "$ROOT/scripts/sweeps/llama2-7b-families.yaml"
blocks=$(grep -c '^NaN NaN$' "$TMP/l/roofline_layers.dat")
layers=$(grep -Ec '^[0-9.e+-]+ [0-9.e+-]+$' "$TMP/l/roofline_layers.dat")
[ "$blocks" -eq 5 ] && [ "$layers" -gt 20 ] && head -c 8 "$TMP/l/roofline.png" | grep -q PNG &&
    ok "roofline_layers: one block per family ($layers layers)" || not_ok "layers: $blocks blocks, $layers layers"
expect_error "--sweep of other results" "mixpe-precision-group.yaml: .*not (the sweep of these results|in this sweep)" \
    "$MPSIM" report "$TMP/f.csv" -o "$TMP/l2" --sweep "$ROOT/scripts/sweeps/mixpe-precision-group.yaml"
