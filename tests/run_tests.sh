#!/usr/bin/env bash
# Run every test suite and end with one summary line:
#   total: N passed, N failed, N skipped
# Suites: the cmocka unit tests (plain build, then ASan+UBSan build), then the
# shell tests in tests/cli/ (CLI behaviour, bad input, co-simulation), which
# use the sanitizer build of mpsim as $MPSIM and the plain one as $MPSIM_FAST.
set -u
BUILD=${1:-build}
passed=0
failed=0
skipped=0
failed_names=()

export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

# A cmocka binary prints "[  PASSED  ] N test(s)." and, if any failed,
# "[  FAILED  ] N test(s), listed below:" on stderr; we merge both streams.
run_cmocka() {
    local bin=$1 label=$2 out p f
    out=$("$bin" 2>&1)
    local rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed or aborted before its summary
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    [ "$f" -ne 0 ] && failed_names+=("$label")
}

for dir in "$BUILD/tests" "$BUILD/san/tests"; do
    for bin in "$dir"/test_*; do
        [ -x "$bin" ] && [ "${bin%.d}" = "$bin" ] || continue
        echo "== $bin"
        run_cmocka "$bin" "$bin"
    done
done

# Shell tests print one "ok NAME" or "not ok NAME" line per check; an
# "ok NAME # SKIP reason" line counts as skipped, not passed.
case "$BUILD" in
    /*) build_abs=$BUILD ;;
    *) build_abs=$PWD/$BUILD ;;
esac
export MPSIM="$build_abs/san/mpsim"
export MPSIM_FAST="$build_abs/mpsim"
export MPSIM_BUILD="$build_abs"
for t in tests/cli/test_*.sh; do
    [ -f "$t" ] || continue
    echo "== $t"
    out=$(bash "$t" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    p=$(printf '%s\n' "$out" | grep '^ok ' | grep -vc '# SKIP')
    s=$(printf '%s\n' "$out" | grep '^ok ' | grep -c '# SKIP')
    f=$(printf '%s\n' "$out" | grep -c '^not ok ')
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
    [ "$f" -ne 0 ] && failed_names+=("$t")
done

if [ ${#failed_names[@]} -gt 0 ]; then
    echo "failing suites: ${failed_names[*]}"
fi
echo "total: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
