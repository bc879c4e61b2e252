#!/usr/bin/env bash
# parallel.sh SWEEP.yaml OUT.csv SHARDS [SSHLOGIN] [JOBS] - run a sweep as
# SHARDS shards with GNU parallel, on the hosts of SSHLOGIN (parallel's
# --sshlogin list, e.g. "8/node1,8/node2"; ":" is this machine, the
# default), each shard with JOBS worker processes (default 1), then merge
# the shards into OUT.csv (merge.sh).  Remote hosts need mpsim at the same
# path ($MPSIM, default the repository's build/mpsim) and the sweep file
# and output directory on a shared file system.  A shard that stops is
# resumed by running the same command again (--resume).
set -eu
if [ $# -lt 3 ]; then
    echo "usage: scripts/cluster/parallel.sh SWEEP.yaml OUT.csv SHARDS [SSHLOGIN] [JOBS]" >&2
    exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
sweep=$(realpath "$1") out=$2 shards=$3 login=${4:-:} jobs=${5:-1}
mpsim=$(realpath "${MPSIM:-$here/../../build/mpsim}")
dir=$(realpath "$(dirname "$out")")/$(basename "$out").shards
mkdir -p "$dir"
seq 1 "$shards" | parallel --will-cite --halt now,fail=1 --sshlogin "$login" \
    "$mpsim" sweep "$sweep" --shard "{}/$shards" -j "$jobs" --resume --quiet \
    -o "$dir/shard-{}.csv"
files=()
for i in $(seq 1 "$shards"); do files+=("$dir/shard-$i.csv"); done
"$here/merge.sh" "$out" "${files[@]}"
echo "$shards shards -> $out"
