#!/usr/bin/env bash
# The load port width (mpsim rtl --load-bits, docs/rtl.md "Load port"):
# every family with a generator lints with `verilator --lint-only -Wall`
# (no waivers) at several widths, including ones no element width divides
# evenly (96) and the maximum (2048, where most lanes of a small design's
# buffers are unused and the top must still use every ld_data bit); the
# ports and params.json say the width; 32 is the default protocol; bad
# widths are one-line errors with no output directory.
. "$(dirname "$0")/lib.sh"
MP=${MPSIM_FAST:-$MPSIM}
if ! command -v verilator >/dev/null; then
    not_ok "rtl_lint_ldport (verilator not installed)"
    exit 0
fi

# lint NAME LOAD_BITS RTL-OPTIONS...: generate, lint, check the port
lint() {
    local name=$1 lb=$2; shift 2
    local dir="$TMP/$name"
    if ! "$MP" rtl "$@" --load-bits "$lb" -o "$dir" >/dev/null 2>"$TMP/gen.err"; then
        not_ok "$name (generation failed: $(head -c 200 "$TMP/gen.err"))"
        return
    fi
    local top
    top=$(tail -1 "$dir/files.f")
    if ! verilator --lint-only -Wall -f "$dir/files.f" --top-module mpsim_top \
        >"$TMP/lint.out" 2>&1; then
        not_ok "$name (lint: $(grep -m2 '%' "$TMP/lint.out" | tr '\n' ' ' | head -c 300))"
    elif ! grep -q "input  wire \[$((lb - 1)):0\] ld_data," "$top"; then
        not_ok "$name (ld_data is not $lb bits wide)"
    elif [ "$lb" -gt 32 ] && ! grep -q "ld_count," "$top"; then
        not_ok "$name (no ld_count port)"
    elif [ "$lb" -gt 32 ] && ! grep -q "\"load_bits\": $lb" "$dir/params.json"; then
        not_ok "$name (params.json has no load_bits $lb)"
    else
        ok "$name"
    fi
}

# one representative configuration per family with a generator (the
# presets' own precisions; array sizes as in tests/cli/test_cosim.sh) and
# the widths to lint (the LUT Tensor Core's table logic makes each of its
# lints take ~10 s, so it gets fewer)
families=(
    "int8-mac|64 96 256 2048|--arch int8-mac --rows 2 --cols 3 --k-max 64 --group 32"
    "mixpe-w4a8|64 96 256 2048|--arch mixpe-w4a8 --rows 2 --cols 2 --k-max 64 --group 32"
    "mixpe-w4a16-zeros|64 256|--arch mixpe-w4a16 --rows 2 --cols 2 --k-max 64 --group 32 --zeros --weight uint4"
    "mixpe-w2-int-out|96 2048|--pe mixpe --weight ternary --no-scales --rows 2 --cols 2 --k-max 32 --group 32"
    "fp16-mac|64 96 2048|--arch fp16-mac --rows 2 --cols 2 --k-max 64 --group 32"
    "lut-tc|96 2048|--arch lut-tc --rows 1 --cols 1 --k-max 64 --group 32"
    "lut-tc-int8|256|--arch lut-tc --act int8 --rows 1 --cols 1 --k-max 32 --group 32"
    "dsp-chain|64 96 256 2048|--arch flightllm-u280 --rows 16 --cols 2 --k-max 64 --group 32"
    "bitfusion|64 96 2048|--arch bitfusion --rows 2 --cols 2 --k-max 64 --group 32"
    "tiny-1x1-k1|64 2048|--pe int8-mac --rows 1 --cols 1 --k-max 1 --group 1"
)
for entry in "${families[@]}"; do
    name=${entry%%|*}
    rest=${entry#*|}
    read -r -a widths <<<"${rest%%|*}"
    read -r -a opts <<<"${rest#*|}"
    # a family whose generator declines the preset (not yet written, or a
    # precision it refuses) at the default width is skipped with its reason
    if ! "$MP" rtl "${opts[@]}" -o "$TMP/probe-$name" >/dev/null 2>"$TMP/probe.err"; then
        ok "rtl_lint_ldport_$name # SKIP $(head -c 160 "$TMP/probe.err")"
        continue
    fi
    for lb in "${widths[@]}"; do
        lint "rtl_lint_ldport_${name}_$lb" "$lb" "${opts[@]}"
    done
done

# 32 is the default: the same files as without the option, no ld_count,
# no load_bits in params.json (designs generated before the knob unchanged)
"$MP" rtl --arch mixpe-w4a8 --rows 2 --cols 2 --k-max 64 --group 32 \
    -o "$TMP/d0" >/dev/null 2>&1
"$MP" rtl --arch mixpe-w4a8 --rows 2 --cols 2 --k-max 64 --group 32 \
    --load-bits 32 -o "$TMP/d32" >/dev/null 2>&1
if [ -s "$TMP/d0/mpsim_top.v" ] &&
    diff <(cd "$TMP/d0" && cat ./*.v params.json) <(cd "$TMP/d32" && cat ./*.v params.json) >/dev/null &&
    ! grep -q ld_count "$TMP/d32/mpsim_top.v" && ! grep -q load_bits "$TMP/d32/params.json"
then ok rtl_ldport_default_32
else not_ok "rtl_ldport_default_32 (--load-bits 32 differs from the default)"; fi

# an aligned beat writes lane j to ld_addr + j (ld_addr a multiple of the
# 32 lanes of int8 at 256 bits): spot-check the generated text
top="$TMP/rtl_lint_ldport_mixpe-w4a8_256/mpsim_top.v"
if grep -q 'if (xmem_we1) xmem\[{ld_addr\[6:5\], 5'"'"'d1}\] <= ld_data\[15:8\];' "$top" &&
    grep -q 'wire xmem_sel = ld_fire & (ld_buf == 3'"'"'d0) & ~(|ld_addr\[4:0\]);' "$top" &&
    grep -q 'wire xmem_we31 = xmem_sel & (ld_count > 9'"'"'d31)' "$top"
then ok rtl_ldport_lanes
else not_ok "rtl_ldport_lanes (lane 1 / lane 31 of xmem not as docs/rtl.md says)"; fi

# ---- bad widths: one line, exit 2 (mpsim rtl's option errors), no dir ---
for lb in 33 0 4096 -32 64x; do
    expect_error "rtl_ldport_bad_$lb" "--load-bits" \
        "$MP" rtl --arch int8-mac --load-bits "$lb" -o "$TMP/bad-$lb"
    if [ -e "$TMP/bad-$lb" ]; then not_ok "rtl_ldport_bad_${lb}_no_dir"
    else ok "rtl_ldport_bad_${lb}_no_dir"; fi
done
"$MP" rtl --arch int8-mac --load-bits 33 -o "$TMP/bad" >/dev/null 2>&1
rc=$?
if [ "$rc" -eq 2 ]; then ok rtl_ldport_bad_exit_2
else not_ok "rtl_ldport_bad_exit_2 (exit $rc)"; fi
