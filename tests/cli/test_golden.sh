#!/usr/bin/env bash
# test_golden.sh - `mpsim golden`: the NumPy cross-check, the PE-family and
# config arithmetic, and every bad-input path (one stderr line, non-zero
# exit, no output file).
. "$(dirname "$0")/lib.sh"
PY=/usr/bin/python3
G=$TMP/g
mkdir -p "$G"

# ---- the independent NumPy cross-check (one ok/not ok line per case) ----
MPSIM="$MPSIM" "$PY" scripts/check_golden_numpy.py
[ $? -eq 0 ] || echo "not ok check_golden_numpy.py exit status"

# ---- fixtures ------------------------------------------------------------
"$PY" - "$G" <<'EOF'
import sys, numpy as np
d = sys.argv[1]
rng = np.random.default_rng(7)
x = rng.integers(-128, 128, size=(3, 16)).astype(np.int8)
w = rng.integers(-8, 8, size=(16, 4)).astype(np.int8)
np.save(d + "/x.npy", x)
np.save(d + "/w.npy", w)
np.save(d + "/s.npy", (rng.random((2, 4)) * 0.01 + 0.001).astype(np.float32))
np.save(d + "/z.npy", rng.integers(0, 16, size=(2, 4)).astype(np.int32))
np.save(d + "/wu.npy", rng.integers(0, 16, size=(16, 4)).astype(np.uint8))
np.save(d + "/a.npy", (rng.random(3) + 0.5).astype(np.float32))
np.save(d + "/a_bad.npy", (rng.random(4) + 0.5).astype(np.float32))
np.save(d + "/a_f64.npy", np.array([1.0, 0.3, 2.0]))
np.save(d + "/s_bad.npy", np.ones((3, 4), dtype=np.float32))
np.save(d + "/s_f64.npy", np.full((2, 4), 0.1))
np.save(d + "/x3d.npy", np.zeros((2, 2, 2), dtype=np.int8))
np.save(d + "/w_k.npy", np.zeros((15, 4), dtype=np.int8))
np.save(d + "/w_empty.npy", np.zeros((16, 0), dtype=np.int8))
bad = w.copy(); bad[1, 2] = 9
np.save(d + "/w_bad.npy", bad)
np.save(d + "/w_f.npy", w.astype(np.float32))
np.save(d + "/xf.npy", x.astype(np.float32))
xf = x.astype(np.float32); xf[0, 1] = 0.1
np.save(d + "/x_fp16_bad.npy", xf)
np.save(d + "/x16.npy", rng.integers(-32768, 32768, size=(2, 256)).astype(np.int16))
np.save(d + "/w16.npy", rng.integers(-128, 128, size=(256, 2)).astype(np.int8))
np.save(d + "/s16.npy", np.ones((1, 2), dtype=np.float32))
np.save(d + "/z_bad.npy", np.full((2, 4), 16, dtype=np.int32))
np.save(d + "/wu2.npy", rng.integers(0, 4, size=(16, 4)).astype(np.uint8))
np.save(d + "/xh.npy", (rng.standard_normal((3, 16))).astype(np.float16))
x4 = rng.integers(-8, 8, size=(3, 16)).astype(np.int8)
x4[0, :] = -8  # the extreme row
np.save(d + "/x4.npy", x4)
np.save(d + "/y4_ref.npy", (x4.astype(np.int64) @ w.astype(np.int64)).astype(np.int32))
EOF
OK="--x $G/x.npy --w $G/w.npy --group 8 --wbits 4 --act int8"

# ---- good runs -------------------------------------------------------------
expect_ok "golden int8 x int4 integer output" $MPSIM golden $OK -o $G/y.npy
expect_ok "golden --error" $MPSIM golden $OK --scales $G/s.npy --act-scale $G/a.npy --error -o $G/yf.npy
if grep -Eq '^max_abs [0-9.e+-]+ max_rel [0-9.e+-]+ rms [0-9.e+-]+' "$TMP/out"; then
    ok "golden --error prints max_abs/max_rel/rms"
else not_ok "golden --error output: $(cat "$TMP/out")"; fi
"$PY" -c "
import numpy as np, sys
y = np.load('$G/y.npy'); yf = np.load('$G/yf.npy')
sys.exit(0 if y.dtype == np.int32 and yf.dtype == np.float32 and y.shape == (3, 4) else 1)" \
    && ok "golden output dtypes int32/float32 [M][N]" || not_ok "golden output dtypes"
expect_ok "golden --help" $MPSIM golden --help
grep -q "usage: mpsim golden" "$TMP/out" && ok "golden --help on stdout" || not_ok "golden --help on stdout"

# bit-serial == K-ascending through --config, and the nested arith: form
printf 'arith:\n  order: bit-serial\n  table_fmt: int16\n' >"$G/bs.yaml"
expect_ok "golden --config bit-serial" $MPSIM golden $OK --scales $G/s.npy --config $G/bs.yaml -o $G/ybs.npy
expect_ok "golden default (scales)" $MPSIM golden $OK --scales $G/s.npy -o $G/yks.npy
cmp -s "$G/ybs.npy" "$G/yks.npy" && ok "golden bit-serial equals k-ascending" || not_ok "golden bit-serial differs"

# every PE family `mpsim list pes` shows: its arithmetic runs; with int8
# activations every family sums a group exactly, so it equals the default;
# a family without int8 activations runs the fp16 inputs instead
for pe in $(list_names pes); do
    if $MPSIM golden $OK --scales $G/s.npy --pe $pe -o $G/ype.npy >/dev/null 2>"$G/pe.err"; then
        ok "golden --pe $pe"
        cmp -s "$G/ype.npy" "$G/yks.npy" && ok "golden --pe $pe equals the default" || not_ok "golden --pe $pe differs from default"
    elif grep -q ': act: ' "$G/pe.err"; then
        expect_ok "golden --pe $pe (fp16)" $MPSIM golden --x $G/xh.npy --w $G/wu.npy --group 8 --wbits 4 --act fp16 --scales $G/s.npy --zeros $G/z.npy --pe $pe -o $G/yfp.npy
    else
        not_ok "golden --pe $pe ($(head -c 200 "$G/pe.err"))"
    fi
done
expect_ok "golden --pe lut-tc w2" $MPSIM golden --x $G/x.npy --w $G/wu2.npy --group 8 --wbits 2 --act int8 --scales $G/s.npy --pe lut-tc -o $G/ylut.npy

# int4 activations (int8 arrays holding -8..7): the plain golden and the
# DSP chain's 4-products-per-DSP arithmetic both give NumPy's integer X @ W
for pe in "" "--pe dsp-chain"; do
    expect_ok "golden int4 x int4 $pe" $MPSIM golden --x $G/x4.npy --w $G/w.npy --group 8 --wbits 4 --act int4 $pe -o $G/y4.npy
    "$PY" -c "
import numpy as np, sys
sys.exit(0 if np.array_equal(np.load('$G/y4.npy'), np.load('$G/y4_ref.npy')) else 1)" \
        && ok "golden int4 x int4 $pe equals numpy" || not_ok "golden int4 x int4 $pe differs from numpy"
done

# ---- usage errors (exit 2) -----------------------------------------------------
expect_usage() {
    local name=$1; shift
    "$@" >"$TMP/out" 2>"$TMP/err"
    local rc=$?
    if [ "$rc" -eq 2 ] && [ "$(wc -l <"$TMP/err")" -eq 1 ] && grep -q '^mpsim: ' "$TMP/err"; then ok "$name"
    else not_ok "$name (exit $rc: $(cat "$TMP/err"))"; fi
}
expect_usage "golden missing --x" $MPSIM golden --w $G/w.npy --group 8 --wbits 4 --act int8 -o $G/o1.npy
expect_usage "golden missing -o" $MPSIM golden $OK
expect_usage "golden unknown option" $MPSIM golden $OK --bogus -o $G/o1.npy
expect_usage "golden --wbits 9" $MPSIM golden --x $G/x.npy --w $G/w.npy --group 8 --wbits 9 --act int8 -o $G/o1.npy
expect_usage "golden --group 0" $MPSIM golden --x $G/x.npy --w $G/w.npy --group 0 --wbits 4 --act int8 -o $G/o1.npy
expect_usage "golden ternary with --wbits 3" $MPSIM golden --x $G/x.npy --w $G/w.npy --group 8 --wbits 3 --ternary --act int8 -o $G/o1.npy
expect_usage "golden --signed and --unsigned" $MPSIM golden $OK --signed --unsigned -o $G/o1.npy
expect_no_file "golden usage errors leave no output" $G/o1.npy

# ---- input errors (exit 1, one line naming file and field) ----------------------
O=$G/bad.npy
expect_error "golden unknown --act" "<command line>: --act: unknown activation format 'int7'" \
    $MPSIM golden --x $G/x.npy --w $G/w.npy --group 8 --wbits 4 --act int7 -o $O
expect_error "golden missing X file" "nope.npy" \
    $MPSIM golden --x $G/nope.npy --w $G/w.npy --group 8 --wbits 4 --act int8 -o $O
expect_error "golden X not 2-D" "x3d.npy: shape: X \[M\]\[K\] must be 2-D" \
    $MPSIM golden --x $G/x3d.npy --w $G/w.npy --group 8 --wbits 4 --act int8 -o $O
expect_error "golden W K mismatch" "w_k.npy: shape: .*has K = 16" \
    $MPSIM golden --x $G/x.npy --w $G/w_k.npy --group 8 --wbits 4 --act int8 -o $O
expect_error "golden empty W" "w_empty.npy: shape: Wq \[K\]\[N\] is empty" \
    $MPSIM golden --x $G/x.npy --w $G/w_empty.npy --group 8 --wbits 4 --act int8 -o $O
expect_error "golden scales shape" "s_bad.npy: shape: scales must be \[2\]\[4\]" \
    $MPSIM golden $OK --scales $G/s_bad.npy -o $O
expect_error "golden act-scale shape" "a_bad.npy: shape: act_scale must be \[3\]" \
    $MPSIM golden $OK --scales $G/s.npy --act-scale $G/a_bad.npy -o $O
expect_error "golden code outside int4" "w_bad.npy: wq: wq\[1\]\[2\] = 9 is outside int4 \[-8, 7\]" \
    $MPSIM golden --x $G/x.npy --w $G/w_bad.npy --group 8 --wbits 4 --act int8 -o $O
expect_error "golden uint8 codes beyond 3 bits" "wu.npy: wq: wq\[[0-9]+\]\[[0-9]+\] = [0-9]+ is outside uint3" \
    $MPSIM golden --x $G/x.npy --w $G/wu.npy --group 8 --wbits 3 --act int8 -o $O
expect_error "golden float weight codes" "w_f.npy: dtype: weight codes must be an integer array" \
    $MPSIM golden --x $G/x.npy --w $G/w_f.npy --group 8 --wbits 4 --act int8 -o $O
expect_error "golden int4 act out of range" "x.npy: x: x\[0\]\[[0-9]+\] = -?[0-9]+ is not a finite int4" \
    $MPSIM golden --x $G/x.npy --w $G/w.npy --group 8 --wbits 4 --act int4 -o $O
expect_error "golden int8 act given as floats" "xf.npy: dtype: int8 activations must be an integer array" \
    $MPSIM golden --x $G/xf.npy --w $G/w.npy --group 8 --wbits 4 --act int8 -o $O
expect_error "golden fp16 act given as int8" "x.npy: dtype: fp16 activations are raw bits \(uint16\)" \
    $MPSIM golden --x $G/x.npy --w $G/w.npy --group 8 --wbits 4 --act fp16 --scales $G/s.npy -o $O
expect_error "golden fp16 value not representable" "x_fp16_bad.npy: x: x\[0\]\[1\] = 0.10000000149011612 is not a finite fp16 value" \
    $MPSIM golden --x $G/x_fp16_bad.npy --w $G/w.npy --group 8 --wbits 4 --act fp16 --scales $G/s.npy -o $O
expect_error "golden int16 values as int8" "x16.npy: x: x\[0\]\[[0-9]+\] = -?[0-9]+ is not a finite int8 value" \
    $MPSIM golden --x $G/x16.npy --w $G/w16.npy --group 256 --wbits 8 --act int8 -o $O
expect_error "golden group does not divide K" "<command line>: --group: group size 5 does not divide K = 16" \
    $MPSIM golden --x $G/x.npy --w $G/w.npy --group 5 --wbits 4 --act int8 -o $O
expect_error "golden zeros outside code range" "z_bad.npy: zeros: zeros\[0\]\[0\] = 16 is outside the uint4 code range" \
    $MPSIM golden --x $G/x.npy --w $G/wu.npy --group 8 --wbits 4 --act int8 --scales $G/s.npy --zeros $G/z_bad.npy -o $O
expect_error "golden float64 scale not float32" "s_f64.npy: scales: scales\[0\]\[0\] = 0.10000000000000001 is not a float32 value" \
    $MPSIM golden $OK --scales $G/s_f64.npy -o $O
expect_error "golden float64 act-scale not float32" "a_f64.npy: act_scale: act_scale\[1\] = 0.29999999999999999 is not a float32 value" \
    $MPSIM golden $OK --scales $G/s.npy --act-scale $G/a_f64.npy -o $O
expect_error "golden act-scale without scales" "act_scale: a per-token scale needs weight scales" \
    $MPSIM golden $OK --act-scale $G/a.npy -o $O
expect_error "golden unknown --pe" "<command line>: --pe: unknown PE family 'tpu'" \
    $MPSIM golden $OK --scales $G/s.npy --pe tpu -o $O
printf 'acc_bits: 31\n' >"$G/acc32.yaml"
expect_error "golden INT32 accumulator overflow" "acc32.yaml: acc_bits: INT31 accumulator overflows: group of 256 int16 x int8 needs 32 bits" \
    $MPSIM golden --x $G/x16.npy --w $G/w16.npy --group 256 --wbits 8 --act int16 --scales $G/s16.npy --config $G/acc32.yaml -o $O
printf 'order: bit-serial\n\ncolour: red\n' >"$G/unknown.yaml"
expect_error "golden config unknown key" "unknown.yaml:3: colour: unknown key" \
    $MPSIM golden $OK --scales $G/s.npy --config $G/unknown.yaml -o $O
printf 'group_acc: int\nfused: maybe\n' >"$G/badval.yaml"
expect_error "golden config bad value" "badval.yaml:2: fused: 'maybe' is not true or false" \
    $MPSIM golden $OK --scales $G/s.npy --config $G/badval.yaml -o $O
printf 'order: [bit-serial\n' >"$G/malformed.yaml"
expect_error "golden config malformed YAML" "malformed.yaml:[0-9]+:" \
    $MPSIM golden $OK --scales $G/s.npy --config $G/malformed.yaml -o $O
printf 'order:\n  nested: 1\n' >"$G/nonscalar.yaml"
expect_error "golden config non-scalar value" "nonscalar.yaml:2: .*order: expected a scalar" \
    $MPSIM golden $OK --scales $G/s.npy --config $G/nonscalar.yaml -o $O
expect_error "golden config missing file" "nofile.yaml" \
    $MPSIM golden $OK --scales $G/s.npy --config $G/nofile.yaml -o $O
printf 'out_acc: fp32\n' >"$G/outfp.yaml"
expect_error "golden integer output with fp32 out_acc" "outfp.yaml: out_acc: integer output \(no scales\) needs out_acc int" \
    $MPSIM golden $OK --config $G/outfp.yaml -o $O
expect_no_file "golden input errors leave no output" $O

# ---- FP16 weights (--wbits 16: float16 Wq, no scales; docs/numerics.md) --
# values on the grid 1/64 in [-4, 4): every product and running sum is
# exact in float64, so NumPy's float32 rounding of each sum is the fused
# FP32 accumulation, K ascending
"$PY" - "$G" <<'PYEOF'
import sys, numpy as np
d = sys.argv[1]
rng = np.random.default_rng(11)
x = (rng.integers(-256, 256, size=(3, 32)) / 64).astype(np.float16)
w = (rng.integers(-256, 256, size=(32, 5)) / 64).astype(np.float16)
acc = np.zeros((3, 5), dtype=np.float32)
for k in range(32):
    acc = np.float32(acc.astype(np.float64) +
                     x[:, k:k+1].astype(np.float64) * w[k:k+1, :].astype(np.float64))
np.save(d + "/xh.npy", x)
np.save(d + "/wh.npy", w)
np.save(d + "/yh_ref.npy", acc)
np.save(d + "/sh.npy", np.ones((1, 5), dtype=np.float32))
w[2, 3] = np.inf
np.save(d + "/wh_inf.npy", w)
PYEOF
FP16W="--x $G/xh.npy --group 32 --act fp16"
for pe in "" "--pe fp16-mac"; do
    rm -f "$G/yh.npy"
    if $MPSIM golden $FP16W --w $G/wh.npy --wbits 16 $pe -o $G/yh.npy &&
       "$PY" -c "import sys, numpy as np; y = np.load(sys.argv[1]); r = np.load(sys.argv[2]); sys.exit(0 if y.dtype == np.float32 and np.array_equal(y, r) else 1)" \
           "$G/yh.npy" "$G/yh_ref.npy"; then
        ok "golden fp16 weights equal NumPy ${pe:-(default arithmetic)}"
    else
        not_ok "golden fp16 weights equal NumPy ${pe:-(default arithmetic)}"
    fi
done
expect_error "golden fp16 weights Inf" "wh_inf.npy: wq: wq\[2\]\[3\] = inf is not a finite fp16 value" \
    $MPSIM golden $FP16W --w $G/wh_inf.npy --wbits 16 -o $O
expect_error "golden fp16 weights need a float16 array" "wh.npy|w.npy: dtype: fp16 weights \(--wbits 16\) must be a float16 array" \
    $MPSIM golden $FP16W --w $G/w.npy --wbits 16 -o $O
expect_error "golden fp16 weights take no scales" "scales: fp16 weights are values: they take no scales" \
    $MPSIM golden $FP16W --w $G/wh.npy --wbits 16 --scales $G/sh.npy -o $O
expect_error "golden wbits 12" "--wbits: must be an integer in 1..8, or 16" \
    $MPSIM golden $FP16W --w $G/wh.npy --wbits 12 -o $O
expect_no_file "golden fp16 weight errors leave no output" $O
