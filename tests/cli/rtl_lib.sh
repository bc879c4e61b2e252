# rtl_lib.sh - what the RTL lint and co-simulation tests share.
# Source after lib.sh.  Every function reports through ok/not_ok.
#   require_verilator NAME       not_ok NAME and exit when verilator is missing
#   json_num FILE KEY            the number after "KEY": in a --format json report
#   preset_arch FILE PRESET ROWS COLS KEY=VALUE...
#                                PRESET's YAML, array resized, pe: rewritten
#   lint_dir NAME DIR            verilator --lint-only -Wall (no waivers)
#   yosys_dir NAME DIR           Yosys elaborates it with no latches
#   lint_rtl NAME RTL-OPTS...    mpsim rtl OPTS -o DIR, lint_dir, yosys_dir
#   xcup_dsps NAME WANT RTL-OPTS...
#                                synth_xilinx maps WANT DSP48E2 cells
#   small_shape PRESET           "ROWS COLS" of a small array of PRESET's PEs
#   sta_int8_rtl NAME            LIBERTY (OSU 0.18 um) and $TMP/rtl, a 2x2
#                                int8-mac array, no scales, K_MAX 8, for the
#                                OpenSTA tests; "ok NAME # SKIP" and exit
#                                without yosys, sta or the liberty
#   cosim_check NAME MAX_ERR ARGS...
#                                mpsim cosim ARGS: exit 0, 0 mismatches,
#                                cycle_error <= MAX_ERR (0: exactly 0);
#                                returns 1 on failure, leaves $TMP/NAME.json
MP=${MPSIM_FAST:-$MPSIM}
ARCH_DIR="$(dirname "${BASH_SOURCE[0]}")/../../sim/arch"
CACHE="${MPSIM_BUILD:-build}/cosim-cache" # Verilator builds, by RTL hash
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

require_verilator() {
    command -v verilator >/dev/null && return 0
    not_ok "$1 (verilator not installed)"
    exit 0
}

json_num() { sed -n "s/^  \"$2\": \([-0-9.e+]*\),*$/\1/p" "$1" | head -1; }

# Tile shapes, chain and table knobs only exist in arch YAML, so a grid
# point is a shipped preset with its pe: section replaced.
preset_arch() {
    local file=$1 preset=$2 rows=$3 cols=$4; shift 4
    awk '/^[a-z]/ { sec = $1 } sec != "pe:" { print }' \
        "$ARCH_DIR/$preset.yaml" >"$file"
    sed -i "s/^  rows: .*/  rows: $rows/; s/^  cols: .*/  cols: $cols/" "$file"
    echo "pe:" >>"$file"
    local kv
    for kv in "$@"; do
        echo "  ${kv%%=*}: ${kv#*=}" >>"$file"
    done
}

# The smallest array that keeps a preset's PE structure, read from its
# pe: knobs (no preset or family named): a PE group cascading along K
# (chain_len) keeps all its rows; a PE that is a whole tile (tile_n, the
# LUT Tensor Core's M2N64K4) is one PE; any other PE: 2 x 2.
small_shape() {
    local y="$ARCH_DIR/$1.yaml" chain tile
    chain=$(awk '/^[a-z]/ { s = $1 } s == "pe:" && $1 == "chain_len:" { print $2 }' "$y")
    tile=$(awk '/^[a-z]/ { s = $1 } s == "pe:" && $1 == "tile_n:" { print $2 }' "$y")
    if [ -n "$chain" ]; then echo "$chain 2"
    elif [ -n "$tile" ]; then echo "1 1"
    else echo "2 2"; fi
}

# the top module named in DIR/params.json
top_of() { sed -n 's/.*"top": "\([^"]*\)".*/\1/p' "$1/params.json"; }

lint_dir() {
    if verilator --lint-only -Wall --top-module "$(top_of "$2")" -f "$2/files.f" \
            >"$TMP/lint.out" 2>&1; then
        ok "rtl_lint_$1"
    else
        not_ok "rtl_lint_$1 ($(grep -m2 '%' "$TMP/lint.out"))"
    fi
}

# DSP48E2 instances elaborate as the Xilinx cell: Yosys defines SYNTHESIS,
# which drops the behavioural model.
yosys_dir() {
    command -v yosys >/dev/null || return 0
    local cells=""
    grep -q DSP48E2 "$2/files.f" && cells="read_verilog -lib +/xilinx/cells_xtra.v;"
    if yosys -q -p "$cells read_verilog $(tr '\n' ' ' <"$2/files.f"); hierarchy -check -top $(top_of "$2"); proc; check -assert; select -assert-none t:\$dlatch" \
            >"$TMP/ys.out" 2>&1; then
        ok "rtl_yosys_$1"
    else
        not_ok "rtl_yosys_$1 ($(grep -m2 -i 'error\|warning' "$TMP/ys.out"))"
    fi
}

lint_rtl() {
    local name=$1; shift
    local dir="$TMP/$name"
    if ! "$MP" rtl "$@" -o "$dir" >"$TMP/gen.out" 2>"$TMP/gen.err"; then
        not_ok "rtl_lint_$name (generation failed: $(head -c 300 "$TMP/gen.err"))"
        return
    fi
    lint_dir "$name" "$dir"
    yosys_dir "$name" "$dir"
    rm -rf "$dir"
}

xcup_dsps() {
    local name=$1 want=$2; shift 2
    local dir="$TMP/$name" count
    command -v yosys >/dev/null || return 0
    if "$MP" rtl "$@" -o "$dir" >/dev/null 2>&1 &&
        (cd "$dir" && yosys -q -p "read_verilog -DSYNTHESIS $(tr '\n' ' ' <files.f); synth_xilinx -family xcup -noiopad -top $(top_of .); tee -q -o $TMP/stat.txt stat" \
            >"$TMP/yosys.out" 2>&1); then
        count=$(awk '/DSP48E2/ {n = $2} END {print n + 0}' "$TMP/stat.txt")
        if [ "$count" -eq "$want" ]; then ok "$name"
        else not_ok "$name ($count DSP48E2 cells, want $want)"; fi
    else
        not_ok "$name ($(tail -c 300 "$TMP/yosys.out" 2>/dev/null))"
    fi
    rm -rf "$dir"
}

cosim_check() {
    local name=$1 max_err=$2; shift 2
    "$MPSIM" cosim --cache "$CACHE" --format json --wave "$TMP/$name.fst" \
        "$@" >"$TMP/$name.json" 2>"$TMP/$name.err"
    local rc=$? mm err tiles
    mm=$(json_num "$TMP/$name.json" mismatches)
    err=$(json_num "$TMP/$name.json" cycle_error)
    tiles=$(json_num "$TMP/$name.json" tiles)
    if [ "$rc" -ne 0 ]; then
        not_ok "$name (exit $rc: $(head -c 300 "$TMP/$name.err"))"
    elif [ "$mm" != 0 ] || [ -z "$tiles" ] || [ "$tiles" -lt 1 ]; then
        not_ok "$name (mismatches '$mm', tiles '$tiles')"
    elif ! awk -v e="$err" -v m="$max_err" 'BEGIN { exit !(e != "" && e <= m) }'; then
        not_ok "$name (cycle_error $err, at most $max_err)"
    else
        ok "$name ($tiles tiles, cycle_error $err)"
        return 0
    fi
    return 1
}

# cosim_caught NAME DIR SED_APPLIED: co-simulating the hand-broken RTL in
# DIR (5 tiles) must exit 1 naming a mismatch; SED_APPLIED 0 when the
# edit that broke it no longer applies (a failure of its own)
cosim_caught() {
    local name=$1 dir=$2 applied=$3 rc
    if [ "$applied" -ne 1 ]; then
        not_ok "$name (the sed no longer applies)"
        return
    fi
    "$MP" cosim --cache "$CACHE" --rtl "$dir" --tiles 5 \
        --wave "$TMP/$name.fst" >"$TMP/$name.out" 2>"$TMP/$name.err"
    rc=$?
    if [ "$rc" -eq 1 ] && grep -q 'mismatch' "$TMP/$name.err"; then
        ok "$name"
    else
        not_ok "$name (exit $rc: $(head -c 200 "$TMP/$name.err"))"
    fi
}

sta_int8_rtl() {
    LIBERTY=$(bash scripts/get_osu018.sh "${MPSIM_BUILD:-build}" 2>/dev/null)
    if [ -z "$LIBERTY" ] || ! command -v sta >/dev/null ||
        ! command -v yosys >/dev/null; then
        ok "$1 # SKIP needs yosys, opensta (sta) and the OSU 0.18 um liberty"
        exit 0
    fi
    "$MP" rtl --pe int8-mac --no-scales --rows 2 --cols 2 --k-max 8 \
        -o "$TMP/rtl" >/dev/null 2>"$TMP/rtl.err" || {
        not_ok "$1 (mpsim rtl: $(head -c 300 "$TMP/rtl.err"))"; exit 0; }
}
