#!/usr/bin/env bash
# LUT Tensor Core RTL over its number formats: `verilator --lint-only -Wall`
# (no waivers) and Yosys elaboration without latches for every activation x
# table format x group accumulator the PE model accepts (int8 with int16,
# fp16, bf16, fp32 tables and int, fp16, fp32 sums; fp16, fp8e4m3, fp8e5m2
# with fp16, bf16, fp32, fp8e4m3, fp8e5m2 tables and fp16, fp32, fixed sums),
# then weights, groups, zero points and scales on a few of them.  The only
# refusals are exact (fixed) group sums of tables whose extreme entry
# round(4 max|x|) is Inf or NaN, one line naming table_fmt.
. "$(dirname "$0")/lib.sh"
MP=${MPSIM_FAST:-$MPSIM}
ARCH_DIR="$(dirname "$0")/../../sim/arch"
if ! command -v verilator >/dev/null; then
    not_ok "rtl_lint_lut_fmt (verilator not installed)"
    exit 0
fi

# arch FILE KEY=VALUE...: the lut-tc preset, one unit, pe: rewritten
arch() {
    local file=$1; shift
    awk '/^[a-z]/ { sec = $1 } sec != "pe:" { print }' \
        "$ARCH_DIR/lut-tc.yaml" >"$file"
    sed -i "s/^  rows: .*/  rows: 1/; s/^  cols: .*/  cols: 1/" "$file"
    printf 'pe:\n  family: lut-tc\n  tile_m: 2\n  tile_n: 2\n' >>"$file"
    local kv
    for kv in "$@"; do
        echo "  ${kv%%=*}: ${kv#*=}" >>"$file"
    done
}

# lint NAME YAML OPTIONS...: generate into a fresh dir, lint, elaborate
lint() {
    local name=$1 yaml=$2; shift 2
    local dir="$TMP/$name"
    if ! "$MP" rtl --arch "$yaml" "$@" -o "$dir" >"$TMP/gen.out" 2>"$TMP/gen.err"; then
        not_ok "rtl_lint_$name (generation failed: $(head -c 300 "$TMP/gen.err"))"
        return
    fi
    if verilator --lint-only -Wall --top-module mpsim_top -f "$dir/files.f" \
            >"$TMP/lint.out" 2>&1; then
        ok "rtl_lint_$name"
    else
        not_ok "rtl_lint_$name ($(grep -m2 '%' "$TMP/lint.out"))"
    fi
    command -v yosys >/dev/null || return
    if yosys -q -p "read_verilog $(tr '\n' ' ' <"$dir/files.f"); hierarchy -check -top mpsim_top; proc; check -assert; select -assert-none t:\$dlatch" \
            >"$TMP/ys.out" 2>&1; then
        ok "rtl_yosys_$name"
    else
        not_ok "rtl_yosys_$name ($(grep -m2 -i 'error\|warning' "$TMP/ys.out"))"
    fi
    rm -rf "$dir"
}

# refused ACT TABLE: exact sums of entries that can overflow (Inf or NaN)
refused() {
    case "$1/$2" in
    fp16/fp16 | fp16/fp8e4m3 | fp16/fp8e5m2 | fp8e4m3/fp8e4m3 | \
    fp8e5m2/fp16 | fp8e5m2/fp8e4m3 | fp8e5m2/fp8e5m2) return 0 ;;
    esac
    return 1
}

# ---- the format grid ------------------------------------------------------
Y="$TMP/lut.yaml"
for act in int8 fp16 fp8e4m3 fp8e5m2; do
    if [ "$act" = int8 ]; then tables="int16 fp16 bf16 fp32" accs="int fp16 fp32"
    else tables="fp16 bf16 fp32 fp8e4m3 fp8e5m2" accs="fp16 fp32 fixed"; fi
    for table in $tables; do
        for acc in $accs; do
            arch "$Y" act=$act table_fmt=$table acc=$acc weights=int4 \
                group_size=8 zeros=true
            name="lut_${act}_${table}_${acc}"
            if [ "$acc" = fixed ] && refused "$act" "$table"; then
                expect_error "rtl_$name" "table_fmt: $table table entries of 4 $act activations can overflow" \
                    "$MP" rtl --arch "$Y" --k-max 16 -o "$TMP/bad_$name"
                expect_no_file "rtl_${name}_nofile" "$TMP/bad_$name/files.f"
                continue
            fi
            lint "$name" "$Y" --k-max 16
        done
    done
done

# ---- weights, groups, zero points, scales ---------------------------------
arch "$Y" act=fp8e5m2 table_fmt=fp8e5m2 acc=fp16 weights=ternary \
    group_size=4 zeros=false
lint lut_e5m2_ternary_g4_nozero "$Y" --k-max 8 --no-act-scale
arch "$Y" act=fp8e4m3 table_fmt=fp16 acc=fp32 weights=uint3 group_size=8 \
    zeros=true
lint lut_e4m3_uint3_perchannel "$Y" --k-max 16 --group 0 --rows 2
arch "$Y" act=int8 table_fmt=bf16 acc=int weights=int1 group_size=8 \
    zeros=false
lint lut_int8_bf16_int1_noscales "$Y" --k-max 16 --no-scales
lint lut_int8_bf16_int1_2x2 "$Y" --k-max 16 --rows 2 --cols 2
arch "$Y" act=fp16 table_fmt=fp32 acc=fixed weights=uint4 group_size=4 \
    zeros=true
lint lut_fp16_fp32_fixed_g4_1x1 "$Y" --k-max 8 --cols 2
arch "$Y" act=int8 table_fmt=fp16 acc=fp16 weights=uint2 group_size=8 \
    zeros=false
lint lut_int8_fp16_fp16_perchannel "$Y" --k-max 16 --group 0 --no-act-scale
