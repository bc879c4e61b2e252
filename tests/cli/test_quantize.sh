#!/usr/bin/env bash
# mpsim quantize: good runs checked independently with numpy, determinism,
# and every bad input: one "mpsim: ..." stderr line, non-zero exit (2 for
# usage, 1 for bad input), no output files left behind.
cd "$(dirname "$0")/../.." || exit 1
source tests/cli/lib.sh
PY=/usr/bin/python3

# Inputs, made with numpy: W[256][16] float32 (some exact zeros), a float64
# copy, and bad variants.
"$PY" - "$TMP" <<'EOF' || { not_ok "quantize: make inputs with numpy"; exit 1; }
import sys, numpy as np
d = sys.argv[1]
rng = np.random.default_rng(7)
w = rng.standard_normal((256, 16)).astype(np.float32)
w[::17, 3] = 0
np.save(f"{d}/w.npy", w)
np.save(f"{d}/w64.npy", w.astype(np.float64) * 1.1)
with open(f"{d}/w_v2.npy", "wb") as f:  # format version 2.0 header
    np.lib.format.write_array(f, w[:64], version=(2, 0))
np.save(f"{d}/w_int8.npy", np.zeros((4, 4), np.int8))
np.save(f"{d}/w_1d.npy", np.zeros(8, np.float32))
np.save(f"{d}/w_fortran.npy", np.asfortranarray(w))
nan = w.copy(); nan[3, 5] = np.nan
np.save(f"{d}/w_nan.npy", nan)
big = w.astype(np.float64); big[1, 2] = 1e300
np.save(f"{d}/w_big.npy", big)
raw = open(f"{d}/w.npy", "rb").read()
open(f"{d}/w_trunc.npy", "wb").write(raw[:-10])
EOF

Q=$TMP/q.npy S=$TMP/s.npy Z=$TMP/z.npy

# check_outputs NAME KIND BITS GROUP CLIP [W]: numpy verifies dtypes,
# shapes, code range, zero points, and |W - s(q - z)| <= s/2 wherever W is
# inside the group's representable range.
check_outputs() {
    local name=$1
    if "$PY" - "$@" "$Q" "$S" "$Z" <<'EOF' >"$TMP/check" 2>&1
import sys, os, numpy as np
_, name, kind, bits, group, clip, wpath, qp, sp, zp = sys.argv
bits, group = int(bits), int(group)
w = np.load(wpath).astype(np.float32).astype(np.float64)
q = np.load(qp); s = np.load(sp)
K, N = w.shape
assert s.dtype == np.float32 and s.shape == (K // group, N), s.shape
if kind == "unsigned":
    assert q.dtype == np.uint8
    z = np.load(zp); assert z.dtype == np.int32 and z.shape == s.shape
    lo, hi = 0, 2**bits - 1
else:
    assert q.dtype == np.int8
    z = np.zeros(s.shape, np.int32)
    lo, hi = (-1, 1) if kind == "ternary" else (-(2**(bits-1) - 1), 2**(bits-1) - 1)
assert q.shape == (K, N)
assert q.min() >= lo and q.max() <= hi, (q.min(), q.max())
assert (z >= lo).all() and (z <= hi).all()
S = np.repeat(s.astype(np.float64), group, axis=0)
Zr = np.repeat(z, group, axis=0)
deq = S * (q.astype(np.int64) - Zr)
inside = (w >= S * (lo - Zr)) & (w <= S * (hi - Zr))
assert (np.abs(w - deq)[inside] <= S[inside] / 2).all()
assert (q[~inside & (w > 0)] == hi).all() and (q[~inside & (w < 0)] == lo).all()
assert (q[w == 0] == Zr[w == 0]).all()
EOF
    then ok "$name"; else not_ok "$name ($(tail -c 300 "$TMP/check"))"; fi
}

run_good() { # NAME KIND BITS GROUP CLIP WPATH -- extra options
    local name=$1 kind=$2 bits=$3 group=$4 clip=$5 w=$6
    shift 7
    rm -f "$Q" "$S" "$Z"
    expect_ok "$name: runs" "$MPSIM" quantize --w "$w" --group "$group" \
        --clip "$clip" --out-q "$Q" --out-scales "$S" "$@"
    check_outputs "$name: outputs" "$kind" "$bits" "$group" "$clip" "$w"
}

expect_ok "quantize --help" "$MPSIM" quantize --help
grep -q "^usage: mpsim quantize" "$TMP/out" && ok "quantize --help on stdout" \
    || not_ok "quantize --help on stdout"

run_good "int4 g128" signed 4 128 1 "$TMP/w.npy" -- --wbits 4
run_good "int8 per-channel clip" signed 8 256 0.8 "$TMP/w.npy" -- --wbits 8 --signed
run_good "int2 g32" signed 2 32 1 "$TMP/w.npy" -- --wbits 2
run_good "uint4 asym g64" unsigned 4 64 1 "$TMP/w.npy" -- --wbits 4 --unsigned --asym --out-zeros "$Z"
run_good "uint8 asym g32" unsigned 8 32 0.9 "$TMP/w.npy" -- --wbits 8 --unsigned --asym --out-zeros "$Z"
run_good "uint1 asym g64" unsigned 1 64 1 "$TMP/w.npy" -- --wbits 1 --unsigned --asym --out-zeros "$Z"
run_good "ternary g64" ternary 2 64 1 "$TMP/w.npy" -- --ternary
run_good "float64 input" signed 3 128 1 "$TMP/w64.npy" -- --wbits 3
run_good "npy v2.0 input" signed 5 64 1 "$TMP/w_v2.npy" -- --wbits 5

# Deterministic: a second run gives byte-identical files.
"$MPSIM_FAST" quantize --w "$TMP/w.npy" --wbits 4 --unsigned --asym --group 32 \
    --out-q "$TMP/a_q.npy" --out-scales "$TMP/a_s.npy" --out-zeros "$TMP/a_z.npy" >/dev/null
"$MPSIM_FAST" quantize --w "$TMP/w.npy" --wbits 4 --unsigned --asym --group 32 \
    --out-q "$TMP/b_q.npy" --out-scales "$TMP/b_s.npy" --out-zeros "$TMP/b_z.npy" >/dev/null
if cmp -s "$TMP/a_q.npy" "$TMP/b_q.npy" && cmp -s "$TMP/a_s.npy" "$TMP/b_s.npy" &&
   cmp -s "$TMP/a_z.npy" "$TMP/b_z.npy"; then ok "quantize: deterministic"
else not_ok "quantize: deterministic"; fi

# bad NAME EXIT REGEX OPTIONS...: error line, exit status, no outputs.
bad() {
    local name=$1 want_rc=$2 re=$3; shift 3
    rm -f "$Q" "$S" "$Z"
    expect_error "quantize bad: $name" "$re" "$MPSIM" quantize "$@"
    "$MPSIM_FAST" quantize "$@" >/dev/null 2>&1
    local rc=$?
    [ "$rc" -eq "$want_rc" ] && ok "quantize bad: $name: exit $want_rc" \
        || not_ok "quantize bad: $name: exit $rc, want $want_rc"
    if any_output >/dev/null; then not_ok "quantize bad: $name: no outputs ($(any_output))"
    else ok "quantize bad: $name: no outputs"; fi
}

# Prints (and succeeds) if any output or temporary sibling exists.  (ls
# with several operands fails when any one is missing, so test each.)
any_output() {
    local f found=1
    for f in "$Q" "$S" "$Z" "$Q".tmp.* "$S".tmp.* "$Z".tmp.*; do
        if [ -e "$f" ]; then echo "$f exists"; found=0; fi
    done
    return $found
}

W=$TMP/w.npy
OUT=(--out-q "$Q" --out-scales "$S")
bad "missing argument" 2 "--group: missing argument" --w "$W" --wbits 4 "${OUT[@]}" --group
bad "missing --w" 2 "<command line>: --w: is required" --wbits 4 --group 128 "${OUT[@]}"
bad "missing --group" 2 "--group: is required" --w "$W" --wbits 4 "${OUT[@]}"
bad "missing --out-scales" 2 "--out-scales: is required" --w "$W" --wbits 4 --group 128 --out-q "$Q"
bad "wbits 9" 2 "--wbits: bits must be 1..8, got 9" --w "$W" --wbits 9 --group 128 "${OUT[@]}"
bad "wbits text" 2 "--wbits: expected an integer" --w "$W" --wbits four --group 128 "${OUT[@]}"
bad "group 0" 2 "--group: expected a positive integer" --w "$W" --wbits 4 --group 0 "${OUT[@]}"
bad "group not dividing K" 1 "--group: must be a positive divisor of K = 256, got 100" \
    --w "$W" --wbits 4 --group 100 "${OUT[@]}"
bad "clip 0" 2 "--clip: expected a ratio in \(0, 1\]" --w "$W" --wbits 4 --group 128 --clip 0 "${OUT[@]}"
bad "clip 1.5" 2 "--clip: expected a ratio" --w "$W" --wbits 4 --group 128 --clip 1.5 "${OUT[@]}"
bad "asym signed" 2 "--asym: asymmetric quantization needs an unsigned format, got int4" \
    --w "$W" --wbits 4 --group 128 --asym --out-zeros "$Z" "${OUT[@]}"
bad "unsigned symmetric" 2 "--asym: symmetric quantization needs a signed or ternary format" \
    --w "$W" --wbits 4 --unsigned --group 128 "${OUT[@]}"
bad "int1 symmetric" 2 "--wbits: int1" --w "$W" --wbits 1 --group 128 "${OUT[@]}"
bad "asym without zeros" 2 "--out-zeros: is required with --asym" \
    --w "$W" --wbits 4 --unsigned --asym --group 128 "${OUT[@]}"
bad "two kinds" 2 "give at most one" --w "$W" --wbits 4 --signed --ternary --group 128 "${OUT[@]}"
bad "ternary wbits 4" 2 "--wbits: ternary weights take 2 bits" --w "$W" --ternary --wbits 4 --group 128 "${OUT[@]}"
bad "unknown option" 2 "--frob: unknown option" --w "$W" --frob --wbits 4 --group 128 "${OUT[@]}"
bad "same output twice" 2 "two outputs share the path" --w "$W" --wbits 4 --group 128 --out-q "$Q" --out-scales "$Q"
bad "missing file" 1 "nope.npy: file: cannot open" --w "$TMP/nope.npy" --wbits 4 --group 128 "${OUT[@]}"
bad "int8 weights" 1 "w_int8.npy: descr: weights must be float32 or float64, got int8" \
    --w "$TMP/w_int8.npy" --wbits 4 --group 4 "${OUT[@]}"
bad "1-D weights" 1 "w_1d.npy: shape: weights must be a non-empty 2-D" \
    --w "$TMP/w_1d.npy" --wbits 4 --group 8 "${OUT[@]}"
bad "fortran order" 1 "w_fortran.npy: fortran_order: " --w "$TMP/w_fortran.npy" --wbits 4 --group 128 "${OUT[@]}"
bad "truncated" 1 "w_trunc.npy: data: truncated" --w "$TMP/w_trunc.npy" --wbits 4 --group 128 "${OUT[@]}"
bad "NaN weight" 1 "w_nan.npy: w\[3\]\[5\]: weight is NaN" --w "$TMP/w_nan.npy" --wbits 4 --group 128 "${OUT[@]}"
bad "beyond float32" 1 "w_big.npy: data: w\[1\]\[2\] = 1e\+300 is beyond the float32 range" \
    --w "$TMP/w_big.npy" --wbits 4 --group 128 "${OUT[@]}"
# The second output cannot be written: the first must be removed again.
bad "scales unwritable" 1 "s.npy: --out-scales: cannot write" --w "$W" --wbits 4 --group 128 --out-q "$Q" \
    --out-scales "$TMP/no/dir/s.npy"
# The third output cannot be written: the first two must be removed.
bad "zeros unwritable" 1 "z.npy: --out-zeros: cannot write" --w "$W" --wbits 4 --unsigned --asym --group 128 \
    "${OUT[@]}" --out-zeros "$TMP/no/dir/z.npy"
