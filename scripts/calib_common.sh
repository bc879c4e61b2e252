# calib_common.sh - the argument prologue every scripts/calibrate_*.sh shares;
# sourced, not run:
#     . "$(dirname "$0")/calib_common.sh"
#     calib_args "$@"                # [BUILD] [--yaml FILE] [-h|--help]
#     calib_setup NAME TOOL...       # mpsim built, liberty, tools installed
#
# calib_args sets BUILD (default build) and YAML (empty: no table), and
# prints the caller's header comment (line 2 up to the first line that is
# not a comment) for -h/--help.  A caller with options of its own lists
# them, before sourcing, in CALIB_OPTS as "--option:VARIABLE" words; each
# takes one value, stored in VARIABLE (empty when not given).
# calib_setup NAME TOOL... sets HERE (the repository), BUILD (made
# absolute: callers run tools inside work dirs), MPSIM and LIB (the OSU
# 0.18 um liberty, scripts/get_osu018.sh), and exits with one
# "mpsim: NAME: ..." line when mpsim is not built or a TOOL is missing.

calib_args() {
    BUILD=build
    YAML=
    local spec
    for spec in ${CALIB_OPTS:-}; do printf -v "${spec#*:}" %s ""; done
    while [ $# -gt 0 ]; do
        case $1 in
            --yaml) YAML=$2; shift 2; continue ;;
            -h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0"; exit 0 ;;
        esac
        for spec in ${CALIB_OPTS:-}; do
            if [ "$1" = "${spec%%:*}" ]; then
                printf -v "${spec#*:}" %s "$2"
                shift 2
                continue 2
            fi
        done
        BUILD=$1
        shift
    done
}

calib_setup() {
    local name=$1 tool
    shift
    HERE=$(cd "$(dirname "$0")/.." && pwd)
    MPSIM="$BUILD/mpsim"
    [ -x "$MPSIM" ] || { echo "mpsim: $name: $MPSIM not built" >&2; exit 1; }
    BUILD=$(cd "$BUILD" && pwd)
    MPSIM="$BUILD/mpsim"
    LIB=$(bash "$HERE/scripts/get_osu018.sh" "$BUILD") || exit 1
    for tool in "$@"; do
        command -v "$tool" >/dev/null || { echo "mpsim: $name: $tool not installed (make deps)" >&2; exit 1; }
    done
}
