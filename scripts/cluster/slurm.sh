#!/usr/bin/env bash
# slurm.sh SWEEP.yaml OUT.csv SHARDS [SBATCH-OPTION...] - run a sweep as a
# SLURM array job of SHARDS tasks (slurm.sbatch, one shard each) and a
# merge job that starts when every task succeeded (merge.sh into OUT.csv).
# The sweep file, mpsim ($MPSIM, default the repository's build/mpsim) and
# OUT.csv's directory must be on a file system the nodes share.  Extra
# arguments go to both sbatch calls (e.g. --partition=cpu --time=1:00:00).
set -eu
if [ $# -lt 3 ]; then
    echo "usage: scripts/cluster/slurm.sh SWEEP.yaml OUT.csv SHARDS [SBATCH-OPTION...]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
sweep=$(realpath "$1") out=$(realpath -m "$2") shards=$3
shift 3
mpsim=$(realpath "${MPSIM:-$here/../../build/mpsim}")
dir="$out.shards"
mkdir -p "$dir"
files=""
for i in $(seq 1 "$shards"); do files="$files $dir/shard-$i.csv"; done
job=$(SWEEP=$sweep OUTDIR=$dir MPSIM=$mpsim sbatch --parsable --export=ALL \
      --array="1-$shards" "$@" "$here/slurm.sbatch")
job=${job%%;*}
merge=$(sbatch --parsable --dependency="afterok:$job" --job-name=mpsim-merge \
        "$@" --wrap="$here/merge.sh $out$files")
echo "array job $job ($shards shards), merge job ${merge%%;*} -> $out"
