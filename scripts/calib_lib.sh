# calib_lib.sh - what the calibration scripts share (sourced, not run):
# their argument prologue and the list of presets they measure.
#
#   calib_prologue NAME HELP_LAST FROM_OPT "$@"
#       parses [BUILD] [--yaml FILE] [FROM_OPT FILE] [-h|--help] (FROM_OPT
#       "" when the script reads no earlier results; -h prints lines
#       2..HELP_LAST of the script), checks BUILD/mpsim and fetches the OSU
#       0.18 um liberty.  Sets NAME, BUILD, YAML, FROM, HERE (the
#       repository), MPSIM and LIB (an absolute path).
#   calib_die MESSAGE...      "mpsim: NAME: MESSAGE" on stderr, exit 1
#   calib_need TOOL...        calib_die unless every TOOL is on PATH
#   calib_asic_presets        one line "preset family act" per preset of
#       sim/arch/ with an ASIC table (FPGA presets have DSP48E2 primitives,
#       no ASIC netlist), in file name order
calib_die() {
    echo "mpsim: $NAME: $*" >&2
    exit 1
}

calib_need() {
    for tool in "$@"; do
        command -v "$tool" >/dev/null || calib_die "$tool not installed (make deps)"
    done
}

calib_prologue() {
    NAME=$1
    local help_last=$2 from_opt=$3
    shift 3
    BUILD=build
    YAML=
    FROM=
    while [ $# -gt 0 ]; do
        case $1 in
            --yaml) YAML=$2; shift 2 ;;
            -h|--help) sed -n "2,${help_last}p" "$0"; exit 0 ;;
            *) if [ -n "$from_opt" ] && [ "$1" = "$from_opt" ]; then
                   FROM=$2; shift 2
               else
                   BUILD=$1; shift
               fi ;;
        esac
    done
    HERE=$(cd "$(dirname "$0")/.." && pwd)
    MPSIM="$BUILD/mpsim"
    [ -x "$MPSIM" ] || calib_die "$MPSIM not built"
    LIB=$(bash "$HERE/scripts/get_osu018.sh" "$BUILD") || exit 1
    LIB=$(cd "$(dirname "$LIB")" && pwd)/$(basename "$LIB")
}

calib_asic_presets() {
    local f preset tech
    for f in "$HERE"/sim/arch/*.yaml; do
        preset=$(basename "$f" .yaml)
        tech=$(sed -n 's/^tech: *\([^ #]*\).*/\1/p' "$f")
        [ "$tech" = xcup ] && continue
        echo "$preset $(sed -n 's/^  family: *\([^ #]*\).*/\1/p' "$f") $(sed -n 's/^  act: *\([a-z0-9][^ #]*\).*/\1/p' "$f")"
    done
}
