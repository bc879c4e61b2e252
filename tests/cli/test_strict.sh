#!/usr/bin/env bash
# Strict readers end to end: every bad input of issue 12 ends in one
# "mpsim: FILE:LINE: FIELD: message" line and a non-zero exit (typos with a
# did-you-mean, duplicate keys, second documents, trailing data, octal-looking
# numbers, deep nesting, FIFOs, keys holding ':' or a newline).
. "$(dirname "$0")/lib.sh"

ARCH=sim/arch/int8-mac.yaml
gemm() { timeout 20 "$MPSIM" gemm --arch "$1" -M 8 -N 8 -K 128; }
# line numbers in the preset, read from it (its comments may grow)
ROWS=$(grep -n '^  rows: 32 ' $ARCH | cut -d: -f1)
COLS=$(grep -n '^  cols: 32 ' $ARCH | cut -d: -f1)
DOC2=$(($(wc -l <$ARCH) + 1))

# ---- arch YAML ---------------------------------------------------------------
sed 's/^  rows: 32 /  rowz: 32 /' $ARCH >"$TMP/typo.yaml"
expect_error "arch typo suggests" "typo.yaml:$ROWS: array.rowz: unknown key \(did you mean 'rows'\?\)" gemm "$TMP/typo.yaml"
sed 's/^  cols: 32 /  rows: 32 /' $ARCH >"$TMP/dup.yaml"
expect_error "arch duplicate key" "dup.yaml:$COLS: array.rows: duplicate key \(first on line $ROWS\)" gemm "$TMP/dup.yaml"
sed 's/^  rows: 32 /  rows: 010/' $ARCH >"$TMP/oct.yaml"
expect_error "arch octal-looking integer" "oct.yaml:$ROWS: array.rows: expected a decimal integer, got '010'" gemm "$TMP/oct.yaml"
{ cat $ARCH; echo "---"; echo "name: other"; } >"$TMP/twodoc.yaml"
expect_error "arch second document" "twodoc.yaml:$DOC2: yaml: a second document" gemm "$TMP/twodoc.yaml"
sed 's/^  rows: 32 /  "ro:ws\\nx": 32/' $ARCH >"$TMP/colon.yaml"
expect_error "key with ':' and newline stays one line" "colon.yaml:$ROWS: array.ro\\\\x3aws\\\\nx: unknown key" gemm "$TMP/colon.yaml"
mkfifo "$TMP/fifo.yaml"
expect_error "FIFO as --arch is refused at once" "fifo.yaml: file: a FIFO, not a regular file" gemm "$TMP/fifo.yaml"
mkdir "$TMP/dir.yaml"
expect_error "directory as --arch" "dir.yaml: file: a directory" gemm "$TMP/dir.yaml"
head -c 200000 /dev/zero | tr '\0' '[' >"$TMP/deep.yaml"
expect_error "200 KB of nested [ stops at the depth limit" "deep.yaml:1: yaml: nested deeper than 64 levels" gemm "$TMP/deep.yaml"
head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' '#' >"$TMP/huge.yaml"
expect_error "file over the size limit" "huge.yaml: file: file of 17825792 bytes is larger than the limit" gemm "$TMP/huge.yaml"

# ---- HF config.json and trace inputs ----------------------------------------
trace() { timeout 20 "$MPSIM" trace --model "$1" --phase prefill --seq 16 --quant w8a8 -o "$TMP/t.yaml"; }
printf '{"model_type": "llama", "hidden_size": 64, "hidden_size": 128}\n' >"$TMP/dup.json"
expect_error "config.json duplicate key" "dup.json:1: hidden_size: duplicate key" trace "$TMP/dup.json"
printf '{"model_type": "llama"}\n{"x": 1}\n' >"$TMP/trail.json"
expect_error "config.json data after the object" "trail.json:2: yaml: data after the end of the document" trace "$TMP/trail.json"
expect_no_file "no trace written on a bad config" "$TMP/t.yaml"

# ---- SCALE-Sim .cfg: SCALE-Sim's own keys only ------------------------------
cp tests/fuzz/corpus/cfg/scale.cfg "$TMP/s.cfg" # the fuzzing seed
printf 'Layer, M, N, K,\nl1, 64, 64, 64,\n' >"$TMP/topo.csv"
cfg() { timeout 20 "$MPSIM" run --arch "$1" --workload "$TMP/topo.csv"; }
expect_ok "valid .cfg" cfg "$TMP/s.cfg"
sed 's/^Bandwidth : 10/Bandwith : 1/' "$TMP/s.cfg" >"$TMP/bw.cfg"
expect_error ".cfg Bandwith typo" "bw.cfg:12: Bandwith: unknown key \(did you mean 'Bandwidth'\?\)" cfg "$TMP/bw.cfg"
sed 's/^MemoryBanks:   1/ArrayWidth: 16/' "$TMP/s.cfg" >"$TMP/dupk.cfg"
expect_error ".cfg duplicate key" "dupk.cfg:14: ArrayWidth: duplicate key \(first on line 5\)" cfg "$TMP/dupk.cfg"
{ cat "$TMP/s.cfg"; echo "[general]"; } >"$TMP/dups.cfg"
expect_error ".cfg duplicate section" "dups.cfg:19: general: duplicate section \(first on line 1\)" cfg "$TMP/dups.cfg"
{ cat "$TMP/s.cfg"; echo "[sparsity]"; echo "SparsitySupport: true"; } >"$TMP/sec.cfg"
expect_error ".cfg section mpsim does not model" "sec.cfg:19: sparsity: unknown key" cfg "$TMP/sec.cfg"
sed 's/^ArrayHeight:    32/ArrayHeight: 0x20/' "$TMP/s.cfg" >"$TMP/hex.cfg"
expect_error ".cfg hex number" "hex.cfg:4: ArrayHeight: not a decimal number" cfg "$TMP/hex.cfg"
sed 's/^IfmapSramSzkB:    64/IfmapSramSzkB: 1e300/' "$TMP/s.cfg" >"$TMP/big.cfg"
expect_error ".cfg size out of range" "big.cfg:6: IfmapSramSzkB: must be in 0.001..1.07374e\+09" cfg "$TMP/big.cfg"

# ---- derived figures: accepted inputs never print inf ------------------------
sed 's/^  clock_hz: 500e6 /  clock_hz: 1e-300/' $ARCH >"$TMP/slow.yaml"
expect_error "clock_hz 1e-300 gives no inf in JSON" "slow.yaml: gemm.energy_pj: is inf" \
    "$MPSIM" gemm --arch "$TMP/slow.yaml" -M 8 -N 8 -K 128 --format json -o "$TMP/slow.json"
expect_no_file "no report written" "$TMP/slow.json"

# ---- RTL directory params.json -----------------------------------------------
cp -r tests/cosim/fixture_int8_os "$TMP/rtl_typo"
sed -i '1s/^{/{"chain_lenn": 4, /' "$TMP/rtl_typo/params.json"
expect_error "params.json unknown key" "rtl_typo/params.json:1: chain_lenn: unknown key \(did you mean 'chain_len'\?\)" \
    "$MPSIM" cosim --rtl "$TMP/rtl_typo" --tiles 1
cp -r tests/cosim/fixture_int8_os "$TMP/rtl_dup"
sed -i '1s/^{/{"rows": 4, /' "$TMP/rtl_dup/params.json"
expect_error "params.json duplicate key" "rtl_dup/params.json:1: rows: duplicate key" \
    "$MPSIM" cosim --rtl "$TMP/rtl_dup" --tiles 1

# ---- outputs: write through devices, FIFOs and symlinks; never over inputs ---
G=(gemm --arch int8-mac -M 64 -N 64 -K 128 --format json)
expect_ok "-o /dev/null writes through" "$MPSIM" "${G[@]}" -o /dev/null
[ -c /dev/null ] && ok "/dev/null is still a device" || not_ok "/dev/null replaced"
"$MPSIM" "${G[@]}" -o /dev/stdout >"$TMP/stdout.json" 2>"$TMP/err"
grep -q '"peak_macs_per_cycle": 1024' "$TMP/stdout.json" && ok "-o /dev/stdout" || not_ok "-o /dev/stdout ($(cat "$TMP/err"))"
"$MPSIM" "${G[@]}" -o - >"$TMP/dash.json" 2>"$TMP/err"
cmp -s "$TMP/stdout.json" "$TMP/dash.json" && ok "-o - is stdout" || not_ok "-o - ($(cat "$TMP/err"))"
echo old >"$TMP/real.json"; chmod 640 "$TMP/real.json"; ln -s real.json "$TMP/link.json"
expect_ok "-o through a symlink" "$MPSIM" "${G[@]}" -o "$TMP/link.json"
if [ -L "$TMP/link.json" ] && cmp -s "$TMP/real.json" "$TMP/dash.json" &&
   [ "$(stat -c %a "$TMP/real.json")" = 640 ]; then ok "symlink kept, target rewritten, mode kept"
else not_ok "symlink output ($(ls -l "$TMP/link.json" "$TMP/real.json"))"; fi
expect_no_file "no temporary left beside the target" "$TMP/real.json.tmp.x"
mkfifo "$TMP/out.fifo"
cat "$TMP/out.fifo" >"$TMP/fifo.json" & reader=$!
timeout 20 "$MPSIM" "${G[@]}" -o "$TMP/out.fifo" 2>"$TMP/err"; wait $reader
[ -p "$TMP/out.fifo" ] && cmp -s "$TMP/fifo.json" "$TMP/dash.json" && ok "-o FIFO writes through" || not_ok "-o FIFO ($(cat "$TMP/err"))"
cp sim/arch/int8-mac.yaml "$TMP/in.yaml"; cp "$TMP/in.yaml" "$TMP/in.copy"
expect_error "gemm -o over its --arch" "<command line>: -o: .* is the input" "$MPSIM" gemm --arch "$TMP/in.yaml" -M 8 -N 8 -K 128 -o "$TMP/in.yaml"
ln -s in.yaml "$TMP/in.link"
expect_error "run -o over --arch via a symlink" "<command line>: -o: .* is the input" "$MPSIM" run --arch "$TMP/in.link" --workload llama2-7b --phase decode --seq 8 --quant w8a8 -o "$TMP/in.yaml"
"$MPSIM" trace --model llama2-7b --phase decode --seq 8 --quant w8a8 -o "$TMP/tr.yaml" >/dev/null
cp "$TMP/tr.yaml" "$TMP/tr.copy"
expect_error "run -o over --workload" "<command line>: -o: .* is the input" "$MPSIM" run --arch int8-mac --workload "$TMP/tr.yaml" -o "$TMP/tr.yaml"
cmp -s "$TMP/tr.yaml" "$TMP/tr.copy" && cmp -s "$TMP/in.yaml" "$TMP/in.copy" && ok "inputs untouched" || not_ok "an input was overwritten"
printf 'Layer, M, N, K,\nl1, 64, 64, 64,\n' >"$TMP/t.csv"
expect_error "trace -o over --topology" "<command line>: -o: .* is the input" "$MPSIM" trace --topology "$TMP/t.csv" -o "$TMP/t.csv"
expect_error "quantize --out-q over --w" "<command line>: --out-q: .* is the input" "$MPSIM" quantize --w "$TMP/in.yaml" --wbits 4 --group 128 --out-q "$TMP/in.yaml" --out-scales "$TMP/s.npy"
expect_error "golden -o over --x" "<command line>: -o: .* is the input" "$MPSIM" golden --x "$TMP/in.yaml" --w "$TMP/w.npy" --group 8 --wbits 4 --act int8 -o "$TMP/in.yaml"
cmp -s "$TMP/in.yaml" "$TMP/in.copy" && ok "inputs untouched (quantize, golden)" || not_ok "an input was overwritten"

# ---- rtl -o DIR: an interrupted generation is never a design -----------------
"$MPSIM_FAST" rtl --arch int8-mac --rows 2 --cols 2 --k-max 32 -o "$TMP/rtl_ok" >/dev/null 2>&1
[ -f "$TMP/rtl_ok/mpsim-rtl.done" ] && ok "rtl writes its completion marker last" || not_ok "no mpsim-rtl.done"
# what a generation killed after its first files leaves: no marker
cp -r "$TMP/rtl_ok" "$TMP/rtl_half"
rm "$TMP/rtl_half/mpsim-rtl.done" "$TMP/rtl_half/mpsim_top.v"
expect_error "cosim --rtl refuses an incomplete design" "rtl_half: --rtl: incomplete design" \
    "$MPSIM" cosim --rtl "$TMP/rtl_half" --tiles 1
expect_error "synth --rtl refuses an incomplete design" "rtl_half: --rtl: incomplete design" \
    "$MPSIM" synth --rtl "$TMP/rtl_half" --target xcup -o "$TMP/syn.txt"
# a configuration refused before anything is written leaves the old design
cp -r "$TMP/rtl_ok" "$TMP/rtl_before"
expect_error "rtl refuses a bad group" "group: k-max 32 is not a multiple" \
    "$MPSIM" rtl --arch int8-mac --rows 2 --cols 2 --k-max 32 --group 9 -o "$TMP/rtl_ok"
diff -r "$TMP/rtl_before" "$TMP/rtl_ok" >/dev/null && ok "refused rtl run leaves the previous design intact" || not_ok "refused rtl run changed the directory"
