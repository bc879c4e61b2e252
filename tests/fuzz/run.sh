#!/usr/bin/env bash
# make fuzz: build one libFuzzer binary per reader (tests/fuzz/readers.c)
# and run each for SECONDS under ASan + UBSan, seeded from
# tests/fuzz/corpus/READER.  New coverage goes to BUILD/corpus/READER
# (merge what is worth keeping into tests/fuzz/corpus with
#   BUILD/fuzz-READER -merge=1 tests/fuzz/corpus/READER BUILD/corpus/READER);
# a crash, hang, leak or sanitizer report stops that reader and leaves the
# input in BUILD/artifacts/: copy it into tests/fuzz/regress/READER/ once
# fixed, so `make test` replays it for ever (tests/cli/test_fuzz_regress.sh).
#   usage: tests/fuzz/run.sh BUILD SECONDS CC [READER...]
# (no READER: every one fuzz-replay --list names; make fuzz FUZZ_ONLY=...)
set -u
BUILD=$1 SECONDS_EACH=$2 CC=$3
shift 3
readers=${*:-$("$BUILD/fuzz-replay" --list)}
SAN="-fsanitize=fuzzer,address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all"
CFLAGS="-std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -O1 -g -I."
mkdir -p "$BUILD/artifacts"
failed=()
for r in $readers; do
    bin="$BUILD/fuzz-$r"
    $CC $CFLAGS $SAN -DMP_FUZZ_READER="\"$r\"" tests/fuzz/fuzz_main.c \
        tests/fuzz/readers.c "$BUILD/libmpsim.a" -lyaml -lm -o "$bin" || exit 1
    mkdir -p "$BUILD/corpus/$r" "tests/fuzz/corpus/$r"
    echo "== fuzz $r for ${SECONDS_EACH}s"
    # -timeout: one input may take at most 10 s (a hang is a finding);
    # -rss_limit_mb: a reader must not need gigabytes for a small file
    if ! ASAN_OPTIONS=detect_leaks=1 "$bin" -max_total_time="$SECONDS_EACH" \
            -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
            -artifact_prefix="$BUILD/artifacts/$r-" -print_final_stats=1 \
            "$BUILD/corpus/$r" "tests/fuzz/corpus/$r" \
            >"$BUILD/fuzz-$r.log" 2>&1; then
        failed+=("$r")
        tail -30 "$BUILD/fuzz-$r.log"
    fi
    grep -E '^stat::number_of_executed_units|^stat::new_units_added' \
        "$BUILD/fuzz-$r.log" | sed "s/^/  $r /"
done
if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: findings in: ${failed[*]} (inputs in $BUILD/artifacts/)"
    exit 1
fi
echo "fuzz: every reader ran ${SECONDS_EACH}s with no finding"
