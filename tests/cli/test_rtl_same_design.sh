#!/usr/bin/env bash
# The same design options give the same design in every command that
# generates RTL: `mpsim rtl -o DIR`, and the designs `mpsim synth` and
# `mpsim cosim` generate for Yosys and Verilator.  Those two are caught by
# stand-in `yosys` / `verilator` commands first on PATH that copy the
# Verilog they are handed (and the design's params.json) and fail, so
# nothing is synthesized or built.  Every shipped preset (so every family,
# from `mpsim list`; none named) on a small array, at its own precision and
# with overrides that change it (--act int8: the lut-tc preset's FP16
# tables must become the integer core's INT16 ones in all three; --acc
# after it: params.json's accumulator, not the default, is the design
# cosim and synth then read back).  A set
# of options one command refuses, all refuse with the same line.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"

BIN="$TMP/bin"
mkdir -p "$BIN"
# CAPTURE: where the stand-ins copy the design; the source directory is
# the one holding the first .v file
cat >"$BIN/capture" <<'EOF'
#!/usr/bin/env bash
mkdir -p "$CAPTURE"
first=
for f in "$@"; do
    case "$f" in *.v) cp "$f" "$CAPTURE/"; first=${first:-$f} ;; esac
done
[ -n "$first" ] && cp "$(dirname "$first")/params.json" "$CAPTURE/"
exit 1
EOF
cat >"$BIN/verilator" <<'EOF'
#!/usr/bin/env bash
exec "$(dirname "$0")/capture" "$@"
EOF
cat >"$BIN/yosys" <<'EOF'
#!/usr/bin/env bash
# yosys -q -s synth.ys: the files are its read_verilog lines
mapfile -t files < <(sed -n 's/^read_verilog .*"\(.*\)"$/\1/p' synth.ys)
exec "$(dirname "$0")/capture" "${files[@]}"
EOF
chmod +x "$BIN/capture" "$BIN/verilator" "$BIN/yosys"
export MPSIM_COSIM_CACHE="$TMP/cache"

# same_dirs NAME A B: the same files, byte for byte
same_dirs() {
    if [ ! -s "$3/params.json" ]; then
        not_ok "$1 (nothing generated)"
    elif diff -r "$2" "$3" >"$TMP/diff.out" 2>&1; then
        ok "$1"
    else
        not_ok "$1 ($(head -c 300 "$TMP/diff.out"))"
    fi
}

# compare NAME OPTS...: rtl, synth and cosim with OPTS
compare() {
    local name=$1; shift
    local r="$TMP/$name-rtl"
    "$MPSIM" rtl "$@" -o "$r" >/dev/null 2>"$TMP/rtl.err"
    local rc=$?
    rm -f "$r/files.f" "$r/mpsim-rtl.done" # paths and marker: not design
    for cmd in synth cosim; do
        rm -rf "$TMP/cap"
        CAPTURE="$TMP/cap" PATH="$BIN:$PATH" "$MPSIM" $cmd \
            $([ $cmd = synth ] && echo --target xcup) "$@" \
            >/dev/null 2>"$TMP/$cmd.err"
        if [ "$rc" -eq 0 ]; then
            same_dirs "same_design_${cmd}_$name" "$r" "$TMP/cap"
        elif [ -e "$TMP/cap" ] || ! diff -q "$TMP/rtl.err" "$TMP/$cmd.err" \
                                   >/dev/null; then
            not_ok "same_design_${cmd}_$name (rtl refused: $(head -c 160 \
                "$TMP/rtl.err"); $cmd: $(head -c 160 "$TMP/$cmd.err"))"
        else
            ok "same_design_${cmd}_$name (both refuse)"
        fi
    done
    return "$rc"
}

presets=$(list_names archs)
[ -n "$presets" ] && ok "same_design_presets ($(echo $presets | wc -w))" ||
    not_ok "same_design_presets (mpsim list archs shows none)"
generated=0
for preset in $presets; do
    read -r rows cols <<<"$(small_shape "$preset")"
    shape=(--arch "$preset" --rows "$rows" --cols "$cols" --k-max 32
           --group 32)
    compare "$preset" "${shape[@]}" && generated=$((generated + 1))
    compare "$preset-a8" "${shape[@]}" --act int8
    compare "$preset-a8f32" "${shape[@]}" --act int8 --acc fp32
    compare "$preset-w2z" "${shape[@]}" --wbits 2 --zeros --no-act-scale
done
# every preset generates at its own precision
if [ "$generated" -eq "$(echo $presets | wc -w)" ]; then
    ok same_design_all_generated
else
    not_ok "same_design_all_generated ($generated of $(echo $presets | wc -w))"
fi

# the reported case: lut-tc with int8 activations is the integer core
# (INT16 tables, no FP16 adders), whichever command generates it
t="$TMP/lut-tc-a8-rtl"
if grep -q '"table_fmt": "int16"' "$t/params.json" 2>/dev/null &&
   ! ls "$t" | grep -q 'fp_add_e5m10'; then
    ok same_design_lut_tc_a8_integer
else
    not_ok "same_design_lut_tc_a8_integer ($(grep table_fmt "$t/params.json" 2>&1))"
fi
