#!/usr/bin/env bash
# The fuzzing corpora and regression inputs, replayed through every reader
# without libFuzzer (tests/fuzz/replay.c), in the plain and the sanitizer
# build: corpus inputs must be accepted or refused with a one-line diag;
# regression inputs (each once crashed, hung or was silently accepted) must
# be refused.  No crash, no sanitizer report, no hang (60 s per reader).
. "$(dirname "$0")/lib.sh"

BUILD_DIR=${MPSIM_BUILD:-$(dirname "$MPSIM_FAST")}
for bin in "$BUILD_DIR/fuzz-replay" "$BUILD_DIR/san/fuzz-replay"; do
    [ -x "$bin" ] || continue
    tag=$(basename "$(dirname "$bin")")
    for r in $("$bin" --list); do
        for kind in corpus regress; do
            dir=tests/fuzz/$kind/$r
            files=$(find "$dir" -type f 2>/dev/null | sort)
            [ -n "$files" ] || continue
            flag=; [ $kind = regress ] && flag=--refuse
            # shellcheck disable=SC2086
            timeout 60 "$bin" $flag "$r" $files >"$TMP/replay.out" 2>&1
            rc=$?
            n=$(printf '%s\n' "$files" | wc -l)
            if [ $rc -eq 0 ]; then ok "$tag $kind $r ($n inputs)"
            else not_ok "$tag $kind $r (exit $rc: $(grep -v '^ok \|^refused ' "$TMP/replay.out" | head -c 400))"; fi
        done
    done
done
