#!/usr/bin/env bash
# merge.sh OUT.csv SHARD1.csv SHARD2.csv ... - join the shard files of one
# sweep (mpsim sweep --shard I/N, given in shard order) into OUT.csv: the
# header once, then every shard's rows.  The result is byte for byte the
# unsharded sweep's output.  Refuses shards whose headers differ or whose
# points do not follow on (a missing, unfinished or foreign shard), and
# writes OUT.csv whole or not at all.
set -eu
if [ $# -lt 2 ]; then
    echo "usage: scripts/cluster/merge.sh OUT.csv SHARD.csv..." >&2
    exit 2
fi
out=$1; shift
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
awk -v prog=merge.sh '
    FNR == 1 {
        if (NR == 1) { header = $0; print; next }
        if ($0 != header) { printf "mpsim: %s:1: header: differs from the first shard'"'"'s\n", FILENAME > "/dev/stderr"; bad = 1; exit 1 }
        next
    }
    {
        split($0, f, ",")
        if (f[1] != next_point) { printf "mpsim: %s:%d: point: %s where %d was expected (a shard missing, unfinished or out of order)\n", FILENAME, FNR, f[1], next_point > "/dev/stderr"; bad = 1; exit 1 }
        next_point++
        print
    }
    BEGIN { next_point = 0 }
    END { if (bad) exit 1 }' "$@" >"$tmp"
mv "$tmp" "$out"
trap - EXIT
