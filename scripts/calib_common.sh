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
# After it, calib_die MESSAGE... exits with "mpsim: NAME: MESSAGE", and
# calib_asic_presets prints one line "preset family act" per preset of
# sim/arch/, in file name order: the presets every script measures in the
# ASIC flow (FPGA presets too: `mpsim synth --target asic` synthesizes
# their DSP48E2 slices from the behavioural model, the chain's arithmetic
# as standard cells, not the FPGA's silicon); only the preset ONLY names
# when a caller's --only:ONLY option set it.  calib_measured, after the
# measuring loop, exits with one line when it measured nothing.
# calib_liberty, for a script whose CALIB_OPTS has --liberty:LIBERTY:
# when --liberty LIB was given, checks it (readable, an uncompressed
# Liberty library; not with --yaml, whose tables are OSU's), points LIB
# at it and sets LIB_TAG to "-NAME" (the file's name without .lib: the
# suffix of the script's work directory); else LIB_TAG is empty.
#
# calib_worst JSON ROLES prints the period (ns, as the report has it) of
# the slowest module whose role matches ROLES (an extended regex: pe,
# edge|core, top) in a `mpsim synth --timing` JSON report, 0 if none.
#
# calib_results WORK NAME FROM OPTION FIELDS sets RESULTS, the file of
# one line per measured preset: FROM (an earlier run's, given with OPTION;
# it needs --yaml, and every line must have the words FIELDS names), and
# then returns 1 (nothing to measure); else WORK/NAME, emptied in a fresh
# WORK, returning 0.  calib_activity BASE ARCH OPTION... runs `mpsim
# cosim --activity BASE.txt` on ARCH with the OPTIONs (tiles, --gate) and
# the liberty, its output in BASE.out and BASE.err, and dies with the
# error's first 300 bytes when it fails.
#
# calib_yosys_area DIR LIB TOP FILE... maps TOP (with its submodules) of
# the Verilog FILEs to the liberty LIB by the flow of `mpsim synth`
# (synth; dfflibmap; abc; stat -liberty), in DIR (synth.ys, yosys.log,
# stat.txt, the mapped netlist.v), and prints "AREA CELLS" of the whole
# design (the top-module line when there is hierarchy; AREA as stat
# prints it), or returns 1.  CALIB_READ_FLAGS, when set, are options of
# every read_verilog (include directories).  CALIB_TIMING_DRIVEN, when
# set, maps as `mpsim synth --timing-driven` does: abc -constr with no
# output load and no driving cell (sim/synth/synth.h, MP_SYNTH_MAP_DELAY).
# netlist.v is Yosys's plain write_verilog, with the assigns OpenSTA
# misreads: time or price it with `mpsim synth --netlist`, which has
# Yosys rewrite it first, never with OpenSTA directly (docs/validation.md
# "Netlists OpenSTA reads").
# calib_time_piece DIR LIB NODE_NM TOP ARCH FILE... maps TOP as
# calib_yosys_area does (CALIB_TIMING_DRIVEN too), times it alone with
# `$MPSIM synth --netlist --timing` at ARCH's clock (DIR/timing.json),
# and prints "AREA CELLS PERIOD": calib_yosys_area's figures and TOP's
# critical path in ns at LIB's node (NODE_NM); returns 1 when the
# synthesis or the timing fails or no path was timed.
#
# ENERGY_TILES and ENERGY_SHORT_TILES are the co-simulation settings of
# the gate-level energy calibration (scripts/calibrate_energy.sh: every
# family, and the families it measures on fewer and shallower tiles,
# SHORT_FAMILIES there, which says why); `make validate` step 6 runs its
# comparisons on the same (scripts/validate.sh).

ENERGY_TILES=(--rows 2 --cols 2 --k-max 64 --group 64 --tiles 12
              --model llama2-7b --phase prefill --seq 128 --quant w4a8
              --trace-layer 0)
ENERGY_SHORT_TILES=(--rows 2 --cols 2 --k-max 32 --group 32 --tiles 5
                    --model llama2-7b --phase prefill --seq 128
                    --quant w4a8 --trace-layer 0)

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
    CALIB_NAME=$name
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

calib_liberty() {
    LIB_TAG=
    [ -n "${LIBERTY:-}" ] || return 0
    [ -z "$YAML" ] || calib_die "--yaml writes the OSU 0.18 um table: not with --liberty"
    [ -f "$LIBERTY" ] && [ -r "$LIBERTY" ] || calib_die "$LIBERTY: cannot read the liberty file"
    grep -q '^[[:space:]]*library[[:space:]]*(' "$LIBERTY" ||
        calib_die "$LIBERTY: not an uncompressed Liberty library (no 'library (' group)"
    LIB=$(cd "$(dirname "$LIBERTY")" && pwd)/$(basename "$LIBERTY")
    LIB_TAG="-$(basename "$LIBERTY" .lib)"
}

calib_worst() {
    sed -En "s/.*\"role\": \"($2)\".*\"period_ns\": ([-0-9.e+]*),.*/\2/p" "$1" |
        sort -g | tail -1 | sed 's/^$/0/'
}

calib_die() {
    echo "mpsim: $CALIB_NAME: $*" >&2
    exit 1
}

calib_activity() {
    local base=$1 arch=$2
    shift 2
    nice "$MPSIM" cosim --cache "$BUILD/cosim-cache" --arch "$arch" "$@" \
        --liberty "$LIB" --activity "$base.txt" </dev/null >"$base.out" 2>"$base.err" ||
        calib_die "cosim --activity failed on $(basename "$base"): $(head -c 300 "$base.err")"
}

calib_results() {
    local work=$1 name=$2 from=$3 option=$4 fields=$5
    if [ -n "$from" ]; then
        [ -n "$YAML" ] || calib_die "$option needs --yaml"
        RESULTS=$from
        awk -v want="$fields" -v name="$CALIB_NAME" '
            NF != split(want, w, " ") { printf "mpsim: %s: %s:%d: want \"%s\"\n",
                name, FILENAME, FNR, want > "/dev/stderr"; bad = 1 }
            END { exit bad }' "$RESULTS" || exit 1
        return 1
    fi
    rm -rf "$work"
    mkdir -p "$work"
    RESULTS="$work/$name"
    : >"$RESULTS"
}

calib_yosys_area() {
    local dir=$1 lib=$2 top=$3 f
    shift 3
    mkdir -p "$dir"
    {
        for f in "$@"; do echo "read_verilog ${CALIB_READ_FLAGS:-}\"$f\""; done
        echo "hierarchy -check -top $top"
        echo "synth -top $top"
        echo "dfflibmap -liberty \"$lib\""
        echo "abc ${CALIB_TIMING_DRIVEN:+-constr abc.constr }-liberty \"$lib\""
        echo "opt_clean"
        echo "tee -q -o stat.txt stat -liberty \"$lib\""
        echo "write_verilog -noattr netlist.v"
    } >"$dir/synth.ys"
    [ -z "${CALIB_TIMING_DRIVEN:-}" ] || echo "set_load 0" >"$dir/abc.constr"
    (cd "$dir" && yosys -q -s synth.ys >yosys.log 2>&1) || return 1
    awk '/Chip area for top module/ { top = $NF }
         /Chip area for module/ { mod = $NF }
         /Number of cells:/ { cells = $NF }
         END { a = top != "" ? top : mod; if (a == "") exit 1; print a, cells }' \
        "$dir/stat.txt"
}

calib_time_piece() {
    local dir=$1 lib=$2 node=$3 top=$4 arch=$5 measured period
    shift 5
    measured=$(calib_yosys_area "$dir" "$lib" "$top" "$@") || return 1
    "$MPSIM" synth --netlist "$dir/netlist.v" --top "$top" --arch "$arch" \
        --liberty "$lib" --liberty-node "$node" --timing --format json \
        -o "$dir/timing.json" --workdir "$dir/sta" || return 1
    period=$(calib_worst "$dir/timing.json" top)
    [ "$period" != 0 ] || return 1
    echo "$measured $period"
}

calib_measured() {
    [ -s "$RESULTS" ] || calib_die "no preset measured${ONLY:+ (--only $ONLY: no such preset, or its family is skipped)}"
}

calib_asic_presets() {
    local f preset
    for f in "$HERE"/sim/arch/*.yaml; do
        preset=$(basename "$f" .yaml)
        [ -n "${ONLY:-}" ] && [ "$preset" != "$ONLY" ] && continue
        echo "$preset $(sed -n 's/^  family: *\([^ #]*\).*/\1/p' "$f") $(sed -n 's/^  act: *\([a-z0-9][^ #]*\).*/\1/p' "$f")"
    done
}
