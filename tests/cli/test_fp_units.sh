#!/usr/bin/env bash
# The generated FP units (rtl_gen/fp_units.h) against the golden rounding
# primitives, bit for bit, in Verilator: 300k random operands per unit,
# biased to zeros, subnormals, overflow, Inf/NaN, ties and cancellations.
. "$(dirname "$0")/lib.sh"
BUILD=${MPSIM_BUILD:-build}
if ! command -v verilator >/dev/null; then
    not_ok "fp_units (verilator not installed)"
    exit 0
fi
GEN="$TMP/fp_units_gen"
if ! cc -std=c11 -D_GNU_SOURCE -I. -o "$GEN" tests/cosim/fp_units_gen.c \
        "$BUILD/libmpsim.a" -lyaml -lm 2>"$TMP/cc.log"; then
    not_ok "fp_units_gen builds ($(head -c 300 "$TMP/cc.log"))"
    exit 0
fi
mkdir -p "$TMP/rtl"
expect_ok fp_units_emit "$GEN" "$TMP/rtl"
expect_ok fp_units_lint verilator --lint-only -Wall --top-module fpt_top \
    -f "$TMP/rtl/files.f"
if ! verilator --cc --exe --build -j 2 -Wall --top-module fpt_top \
        -f "$TMP/rtl/files.f" --Mdir "$TMP/obj" -MAKEFLAGS "OPT_FAST=-O1" \
        -CFLAGS "-I$PWD" "$PWD/tests/cosim/fp_units_tb.cpp" \
        "$(cd "$BUILD" && pwd)/libmpsim.a" -LDFLAGS "-lyaml -lm" \
        >"$TMP/vl.log" 2>&1; then
    not_ok "fp_units_build ($(grep -m3 -E 'Error|error' "$TMP/vl.log"))"
    exit 0
fi
"$TMP/obj/Vfpt_top" 300000
