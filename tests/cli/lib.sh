# Helpers for shell tests: source this, then call the checks.  Each check
# prints exactly one "ok NAME" or "not ok NAME" line (tests/run_tests.sh
# counts them).  $MPSIM is the sanitizer build, $MPSIM_FAST the plain one.
: "${MPSIM:=build/mpsim}"
: "${MPSIM_FAST:=$MPSIM}"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

ok()     { echo "ok $*"; }
not_ok() { echo "not ok $*"; }

# list_names CATEGORY: the names `mpsim list CATEGORY` prints (archs, pes,
# techs, models), one a line: tests iterate these, never a list of their own
list_names() { "$MPSIM_FAST" list "$1" | awk '/^  [^ (]/ { print $1 }'; }

# data_copy DIR: a data root (MPSIM_DATA) with copies of the tech tables
# (to break or trim one) and the rest of the repository's data linked
data_copy() {
    mkdir -p "$1/pe_models/tech"
    cp pe_models/tech/*.yaml "$1/pe_models/tech/"
    ln -s "$PWD/workloads" "$1/workloads"
    ln -s "$PWD/sim" "$1/sim"
}

# expect_ok NAME CMD...: exit 0
expect_ok() {
    local name=$1; shift
    if "$@" >"$TMP/out" 2>"$TMP/err"; then ok "$name"
    else not_ok "$name (exit $?: $(head -c 300 "$TMP/err"))"; fi
}

# expect_error NAME REGEX CMD...: non-zero exit, exactly one line on stderr
# matching REGEX (grep -E), starting with "mpsim: ".
expect_error() {
    local name=$1 re=$2; shift 2
    "$@" >"$TMP/out" 2>"$TMP/err"
    local rc=$?
    local lines
    lines=$(wc -l <"$TMP/err")
    if [ "$rc" -eq 0 ]; then not_ok "$name (exit 0)"; return; fi
    if [ "$rc" -ge 128 ]; then not_ok "$name (crashed, exit $rc)"; return; fi
    if [ "$lines" -ne 1 ]; then not_ok "$name ($lines lines on stderr: $(head -c 300 "$TMP/err"))"; return; fi
    if ! grep -Eq "^mpsim: .*$re" "$TMP/err"; then not_ok "$name (got: $(cat "$TMP/err"))"; return; fi
    ok "$name"
}

# expect_no_file NAME PATH: neither the file nor a temp sibling exists
expect_no_file() {
    local name=$1 path=$2 left
    left=$(compgen -G "$path.tmp.*")
    if [ -e "$path" ]; then not_ok "$name ($path exists)"
    elif [ -n "$left" ]; then not_ok "$name (temp file $left left behind)"
    else ok "$name"; fi
}

# reproduce_run NAME OUT: scripts/reproduce/NAME/run.sh on the plain
# build's directory, its table in OUT; prints "ok reproduce_NAME_runs" or
# one not_ok line and returns 1 (python3 missing, or the script failed:
# a factor product off its ratio, a run that did not finish)
reproduce_run() {
    local name=$1 out=$2
    if ! command -v python3 >/dev/null; then
        not_ok "reproduce_$name (python3 missing)"
        return 1
    fi
    if bash "scripts/reproduce/$name/run.sh" "$(dirname "$MPSIM_FAST")" \
        >"$out" 2>"$TMP/err"; then
        ok "reproduce_${name}_runs"
    else
        not_ok "reproduce_${name}_runs (exit $?: $(head -c 300 "$TMP/err"))"
        return 1
    fi
}
