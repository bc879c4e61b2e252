#!/usr/bin/env bash
# make reproduce: run every paper reproduction under scripts/reproduce/.
# Each sub-folder is named after its paper (mixpe, lut_tc, flightllm, ...)
# and holds a run.sh plus the arch YAML and traces it configures mpsim with.
# Every run.sh prints one table (figure, condition, paper, artifact, mpsim,
# ratio, cause of the difference) and exits non-zero if a figure cannot be
# produced.  This driver runs each, keeps its table in BUILD/reproduce/NAME.txt,
# checks that every table row it printed stands verbatim in docs/validation.md
# ("Reproductions": the docs show this run's figures, not an older run's)
# and exits 1 if any failed or drifted.
set -u -o pipefail  # a run.sh that fails fails the pipe through tee
BUILD=${1:-build}
OUT="$BUILD/reproduce"
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$OUT"

# drifted FILE: the table rows of FILE that are not lines of the docs
drifted() { bash "$HERE/../doc_rows.sh" "$1"; }
failed=0
for dir in "$HERE"/*/; do
    name=$(basename "$dir")
    [ -f "$dir/run.sh" ] || continue
    echo "== reproduce $name"
    t0=$SECONDS
    if bash "$dir/run.sh" "$BUILD" | tee "$OUT/$name.txt"; then
        stale=$(drifted "$OUT/$name.txt" | wc -l)
        if [ "$stale" -eq 0 ]; then
            echo "== $name: ok ($((SECONDS - t0)) s)"
        else
            echo "== $name: docs/validation.md differs from this run in" \
                 "$stale table rows, first: $(drifted "$OUT/$name.txt" | head -1)"
            failed=$((failed + 1))
        fi
    else
        echo "== $name: FAILED ($((SECONDS - t0)) s)"
        failed=$((failed + 1))
    fi
done
echo "reproduce: $failed failed or drifted"
[ "$failed" -eq 0 ]
