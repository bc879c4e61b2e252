#!/usr/bin/env bash
# sweep.sh SWEEP.yaml OUT.csv [JOBS] [BUILD] - run a design-space sweep
# (docs/model.md, "Sweeps") and, when gnuplot is installed, plot energy vs
# latency of every point into OUT.svg with scripts/plot_sweep.gp.
set -eu
if [ $# -lt 2 ]; then
    echo "usage: scripts/sweep.sh SWEEP.yaml OUT.csv [JOBS] [BUILD]" >&2
    exit 2
fi
SWEEP=$1 OUT=$2 JOBS=${3:-$(nproc)} BUILD=${4:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
"$BUILD/mpsim" run --sweep "$SWEEP" --jobs "$JOBS" -o "$OUT"
echo "$(($(wc -l <"$OUT") - 1)) points -> $OUT"
if command -v gnuplot >/dev/null 2>&1; then
    gnuplot -e "csv='$OUT'; out='${OUT%.csv}.svg'" "$HERE/plot_sweep.gp"
    echo "plot -> ${OUT%.csv}.svg"
fi
