#!/usr/bin/env bash
# make reproduce: run every paper reproduction under scripts/reproduce/.
# Each sub-folder is named after its paper (mixpe, lut_tc, flightllm, ...)
# and holds a run.sh plus the arch YAML and traces it configures mpsim with.
# Every run.sh prints one table (figure, condition, paper, artifact, mpsim,
# ratio, cause of the difference) and exits non-zero if a figure cannot be
# produced.  This driver runs each, keeps its table in BUILD/reproduce/NAME.txt
# and exits 1 if any failed.
set -u
BUILD=${1:-build}
OUT="$BUILD/reproduce"
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"
failed=0
for dir in "$HERE"/*/; do
    name=$(basename "$dir")
    [ -f "$dir/run.sh" ] || continue
    echo "== reproduce $name"
    t0=$SECONDS
    if bash "$dir/run.sh" "$BUILD" | tee "$OUT/$name.txt"; then
        echo "== $name: ok ($((SECONDS - t0)) s)"
    else
        echo "== $name: FAILED ($((SECONDS - t0)) s)"
        failed=$((failed + 1))
    fi
done
echo "reproduce: $failed failed"
[ "$failed" -eq 0 ]
