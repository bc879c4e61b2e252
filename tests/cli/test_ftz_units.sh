#!/usr/bin/env bash
# scripts/reproduce/lut_tc/ftz_units.v, the flush-to-zero FP16 units the
# LUT Tensor Core reproduction synthesizes for its IEEE-compliance factor
# (measurement only, not bit-exact with the golden): they lint clean and
# behave as DesignWare's ieee_compliance 0 on hand-worked operands
# (subnormal in -> zero, subnormal out -> signed zero, NaN -> Inf, RNE).
. "$(dirname "$0")/lib.sh"
SRC=scripts/reproduce/lut_tc/ftz_units.v
if ! command -v iverilog >/dev/null || ! command -v verilator >/dev/null; then
    not_ok "ftz_units (iverilog or verilator not installed)"
    exit 0
fi
for top in fp16_add_ftz fp16_mul_ftz; do
    expect_ok "ftz_units_lint $top" verilator --lint-only -Wall \
        -Wno-DECLFILENAME --top-module "$top" "$SRC"
done
# a b add mul: hex operands, expected FP16 sum and FP32 product
cat >"$TMP/vec.txt" <<'VEC'
3c00 3c00 4000 3f800000
3e00 c000 b800 c0400000
0001 3c00 3c00 00000000
7bff 7bff 7c00 4f7fc004
0400 8401 8000 b1802000
7e00 3c00 7c00 7f800000
3c00 1000 3c00 3a000000
3c01 1000 3c02 3a002000
7c00 0000 7c00 7f800000
VEC
cat >"$TMP/tb.v" <<'TB'
module tb;
    reg [15:0] a, b; reg [15:0] want_s; reg [31:0] want_p;
    wire [15:0] s; wire [31:0] p;
    integer fd, n, bad;
    fp16_add_ftz ua(.a(a), .b(b), .y(s));
    fp16_mul_ftz um(.a(a), .b(b), .y(p));
    initial begin
        bad = 0;
        fd = $fopen(`VEC, "r");
        while ($fscanf(fd, "%h %h %h %h", a, b, want_s, want_p) == 4) begin
            #1;
            if (s !== want_s || p !== want_p) begin
                $display("MISMATCH %h %h: %h %h, want %h %h", a, b, s, p,
                         want_s, want_p);
                bad = bad + 1;
            end
        end
        $display("bad %0d", bad);
        $finish;
    end
endmodule
TB
if iverilog -DVEC="\"$TMP/vec.txt\"" -o "$TMP/tb" "$TMP/tb.v" "$SRC" \
        2>"$TMP/err" && vvp "$TMP/tb" >"$TMP/out" 2>&1 &&
        grep -qx "bad 0" "$TMP/out"; then
    ok ftz_units_vectors
else
    not_ok "ftz_units_vectors ($(head -c 300 "$TMP/err" "$TMP/out" 2>/dev/null))"
fi
