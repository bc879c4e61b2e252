#!/usr/bin/env bash
# CLI tests of scripts/cluster/: GNU parallel shards on local ":" hosts, the
# SLURM array job's command lines (a stand-in sbatch records them; the array
# tasks and the merge job are then run here as SLURM would), and merge.sh's
# refusals.  Every merged file must equal the unsharded sweep byte for byte.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
export MPSIM

same() {
    if cmp -s "$2" "$3"; then ok "$1"; else not_ok "$1 ($(cmp "$2" "$3" 2>&1 | head -c 200))"; fi
}

cat >"$TMP/s.yaml" <<EOF
arch: int8-mac
workload: {model: llama2-7b, phase: decode, seq: 128, quant: w8a8}
sweep:
  array.rows: [8, 16, 32, 64]
  array.cols: [8, 16, 32]
  dram.gbytes_per_s: [16, 64]
EOF
"$MPSIM" sweep "$TMP/s.yaml" --quiet -o "$TMP/whole.csv"

# ---- GNU parallel ------------------------------------------------------------
if command -v parallel >/dev/null 2>&1; then
    if bash "$ROOT/scripts/cluster/parallel.sh" "$TMP/s.yaml" "$TMP/p.csv" 5 "2/:" 1 >"$TMP/out" 2>"$TMP/err"; then
        same "parallel.sh: 5 shards on local hosts merge to the whole sweep" "$TMP/whole.csv" "$TMP/p.csv"
    else
        not_ok "parallel.sh failed: $(head -c 300 "$TMP/err")"
    fi
    rm "$TMP/p.csv.shards/shard-3.csv"
    head -n 2 "$TMP/p.csv.shards/shard-4.csv" >"$TMP/cut.csv" && mv "$TMP/cut.csv" "$TMP/p.csv.shards/shard-4.csv"
    rm "$TMP/p.csv"
    bash "$ROOT/scripts/cluster/parallel.sh" "$TMP/s.yaml" "$TMP/p.csv" 5 ":" 2 >"$TMP/out" 2>"$TMP/err" &&
        ok "parallel.sh reruns a lost and a cut shard (resume)" || not_ok "parallel.sh rerun: $(head -c 300 "$TMP/err")"
    same "... and the result is the whole sweep" "$TMP/whole.csv" "$TMP/p.csv"
else
    ok "parallel.sh # SKIP GNU parallel not installed (make deps)"
fi

# ---- SLURM: the command lines, then the tasks as SLURM would run them --------
mkdir -p "$TMP/bin"
cat >"$TMP/bin/sbatch" <<'EOF'
#!/usr/bin/env bash
# stand-in: record the arguments and the exported sweep settings
n=$(($(cat "$SBATCH_LOG.n" 2>/dev/null || echo 0) + 1)); echo $n >"$SBATCH_LOG.n"
{ printf 'call %d:' $n; printf ' [%s]' "$@"; printf '\n'; } >>"$SBATCH_LOG"
[ -n "${SWEEP:-}" ] && echo "env $n: SWEEP=$SWEEP OUTDIR=$OUTDIR MPSIM=$MPSIM" >>"$SBATCH_LOG"
echo "$((4000 + n));cluster"
EOF
chmod +x "$TMP/bin/sbatch"
export SBATCH_LOG="$TMP/sbatch.log"
if PATH="$TMP/bin:$PATH" bash "$ROOT/scripts/cluster/slurm.sh" "$TMP/s.yaml" "$TMP/slurm.csv" 3 --partition=cpu >"$TMP/out" 2>"$TMP/err"; then
    ok "slurm.sh submits"
else
    not_ok "slurm.sh: $(head -c 300 "$TMP/err")"
fi
grep -q "^call 1: .*\[--array=1-3\] \[--partition=cpu\] \[$ROOT/scripts/cluster/slurm.sbatch\]" "$SBATCH_LOG" &&
    ok "array job: --array=1-3, the user's options, slurm.sbatch" || not_ok "array call: $(head -n 1 "$SBATCH_LOG")"
grep -q "^env 1: SWEEP=$TMP/s.yaml OUTDIR=$TMP/slurm.csv.shards MPSIM=" "$SBATCH_LOG" &&
    ok "array job gets SWEEP, OUTDIR, MPSIM" || not_ok "array env: $(grep '^env 1' "$SBATCH_LOG")"
grep -q "^call 2: .*\[--dependency=afterok:4001\].*\[--wrap=$ROOT/scripts/cluster/merge.sh $TMP/slurm.csv $TMP/slurm.csv.shards/shard-1.csv $TMP/slurm.csv.shards/shard-2.csv $TMP/slurm.csv.shards/shard-3.csv\]" "$SBATCH_LOG" &&
    ok "merge job waits for the array (afterok) and merges shards 1..3 in order" || not_ok "merge call: $(grep '^call 2' "$SBATCH_LOG")"
# the array tasks, as SLURM runs them (environment of the array job), in any order
for i in 3 1 2; do
    SLURM_ARRAY_TASK_ID=$i SLURM_ARRAY_TASK_COUNT=3 SLURM_CPUS_PER_TASK=2 \
    SWEEP="$TMP/s.yaml" OUTDIR="$TMP/slurm.csv.shards" bash "$ROOT/scripts/cluster/slurm.sbatch" 2>>"$TMP/err"
done
wrap=$(sed -n 's/^call 2: .*\[--wrap=\([^]]*\)\].*/\1/p' "$SBATCH_LOG")
sh -c "$wrap" 2>>"$TMP/err"
same "the array tasks + merge job give the whole sweep" "$TMP/whole.csv" "$TMP/slurm.csv"

# ---- merge.sh refusals -------------------------------------------------------
D="$TMP/slurm.csv.shards"
bash "$ROOT/scripts/cluster/merge.sh" "$TMP/m.csv" "$D/shard-1.csv" "$D/shard-3.csv" 2>"$TMP/err"
[ $? -ne 0 ] && grep -q "shard-3.csv:2: point: .* expected" "$TMP/err" && [ ! -e "$TMP/m.csv" ] &&
    ok "merge.sh refuses a missing shard, writes nothing" || not_ok "merge gap: $(cat "$TMP/err")"
sed '1s/point,/pt,/' "$D/shard-2.csv" >"$TMP/x.csv"
bash "$ROOT/scripts/cluster/merge.sh" "$TMP/m.csv" "$D/shard-1.csv" "$TMP/x.csv" 2>"$TMP/err"
[ $? -ne 0 ] && grep -q "x.csv:1: header: differs" "$TMP/err" && [ ! -e "$TMP/m.csv" ] &&
    ok "merge.sh refuses another sweep's shard" || not_ok "merge header: $(cat "$TMP/err")"
