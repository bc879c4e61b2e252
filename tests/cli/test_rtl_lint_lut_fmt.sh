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
. "$(dirname "$0")/rtl_lib.sh"
require_verilator rtl_lint_lut_fmt

# arch FILE KEY=VALUE...: the lut-tc preset, one M2N2 unit, pe: rewritten
arch() {
    local file=$1; shift
    preset_arch "$file" lut-tc 1 1 family=lut-tc tile_m=2 tile_n=2 "$@"
}
lint() { lint_rtl "$1" --arch "$2" "${@:3}"; }

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
# the float edge pipelined (dequant_stages 2, 3; two columns per unit)
for st in 2 3; do
    arch "$Y" act=fp16 table_fmt=fp16 acc=fp16 weights=int2 group_size=8 \
        zeros=true dequant_stages=$st edge_units=1
    lint lut_fp16_float_edge_${st}_stages "$Y" --k-max 16
done
