#!/usr/bin/env bash
# mpsim trace: good runs (files written, summaries, config.json == built-in,
# scheme files, overrides) and every bad-input path (one stderr line,
# non-zero exit, no output file).
. "$(dirname "$0")/lib.sh"

HF=tests/data/hf
out=$TMP/t.yaml

# ---- good runs ----
expect_ok "trace: --help" $MPSIM trace --help
if grep -q -- "--decode-steps" "$TMP/out"; then ok "trace: help lists options"
else not_ok "trace: help lists options"; fi

expect_ok "trace: prefill to file" $MPSIM trace --model llama2-7b --phase prefill \
    --seq 512 --quant w4a16g128 -o "$out"
if [ -s "$out" ] && grep -q "^format: mpsim-trace-1" "$out" \
    && grep -q "weight GEMM" "$TMP/out"; then ok "trace: file + summary"
else not_ok "trace: file + summary"; fi

# One-token weight MACs of LLaMA-2-7B: 32 layers x (4 x 4096^2 + 3 x 4096 x
# 11008) + 32000 x 4096 (LM head) = 6,607,077,376.
expect_ok "trace: one token" $MPSIM trace --model llama2-7b --phase prefill \
    --seq 1 --quant w8a8 -o "$out"
if grep -q "weight GEMM 6.607e+09 MACs" "$TMP/out"; then ok "trace: llama2-7b MACs/token"
else not_ok "trace: llama2-7b MACs/token ($(cat "$TMP/out"))"; fi

expect_ok "trace: stdout" $MPSIM trace --model llama3-8b --phase decode --seq 100 \
    --batch 4 --quant w4a8g128,kv4
if grep -q "decode.attn.score, kind: gemm_act, layers: 0-31, m: 4, n: 101, k: 128" "$TMP/out"
then ok "trace: GQA decode score shape"; else not_ok "trace: GQA decode score shape"; fi

for m in llama2-7b llama2-13b llama2-70b llama3-8b llama3-70b mistral-7b \
         opt-6.7b opt-13b opt-30b qwen2.5-7b bitnet-b1.58-3b mixtral-8x7b \
         deepseek-v2-lite gemma2-9b falcon-7b; do
    $MPSIM_FAST trace --model "$m" --phase request --seq 200 --decode-steps 40 \
        --batch 2 --quant w8a8,kv8 --override layers.0=w4a16g64 >"$TMP/a.yaml" 2>"$TMP/err"
    $MPSIM_FAST trace --model "$HF/$m.json" --phase request --seq 200 --decode-steps 40 \
        --batch 2 --quant w8a8,kv8 --override layers.0=w4a16g64 >"$TMP/b.yaml" 2>>"$TMP/err"
    # identical except the model name line
    if [ -s "$TMP/a.yaml" ] && diff <(grep -v '^model:' "$TMP/a.yaml") \
        <(grep -v '^model:' "$TMP/b.yaml") >/dev/null; then
        ok "trace: $m config.json == built-in"
    else not_ok "trace: $m config.json == built-in ($(head -c 200 "$TMP/err"))"; fi
done

# a model that is not built in, from its config.json
expect_ok "trace: new model from config.json" $MPSIM trace \
    --model "$HF/extra/llama3.2-1b/config.json" --phase decode --seq 1000 \
    --batch 2 --quant w4a16g64 -o "$out"
if grep -q "^model: llama3.2-1b" "$out" \
    && grep -q "decode.attn.k_proj, kind: gemm_weight, layers: 0-15, m: 2, n: 512, k: 2048" "$out"
then ok "trace: new model shapes"; else not_ok "trace: new model shapes"; fi

cat >"$TMP/scheme.yaml" <<'EOF'
scheme: w4a16g128,kv8
overrides:
  layers.0-1: w8a8
  lm_head: w8a16
EOF
expect_ok "trace: scheme file" $MPSIM trace --model llama2-7b --phase decode \
    --seq 64 --quant "$TMP/scheme.yaml" -o "$out"
if grep -q "layers: 0-1, m: 1, n: 4096, k: 4096, repeat: 2, act: int8, weight: int8" "$out" \
    && grep -q "decode.lm_head.*weight: int8" "$out"; then ok "trace: scheme file overrides"
else not_ok "trace: scheme file overrides"; fi

# deterministic: byte-identical twice
$MPSIM_FAST trace --model opt-13b --phase request --seq 64 --decode-steps 9 \
    --quant w4a16g128-asym >"$TMP/d1" 2>/dev/null
$MPSIM_FAST trace --model opt-13b --phase request --seq 64 --decode-steps 9 \
    --quant w4a16g128-asym >"$TMP/d2" 2>/dev/null
if [ -s "$TMP/d1" ] && cmp -s "$TMP/d1" "$TMP/d2"; then ok "trace: deterministic"
else not_ok "trace: deterministic"; fi

# ---- bad input: one line, non-zero exit, no file ----
bad() { # NAME REGEX ARGS...
    local name=$1 re=$2; shift 2
    rm -f "$out"
    expect_error "trace: $name" "$re" $MPSIM trace "$@" -o "$out"
    expect_no_file "trace: $name (no file)" "$out"
}
bad "unknown model" "--model: unknown model 'llama9'" --model llama9 --phase prefill --seq 8 --quant w8a8
bad "unknown scheme" "--quant: 'w4a5'" --model llama2-7b --phase prefill --seq 8 --quant w4a5
bad "group size" "--quant: group size 128 does not divide K = 8640 of ffn.down_proj" \
    --model bitnet-b1.58-3b --phase prefill --seq 8 --quant w4a16g128
bad "override group size" "--override: group size 96 does not divide" \
    --model llama2-7b --phase prefill --seq 8 --quant w8a8 --override layers.3=w4a16g96
bad "bad override" "--override: selector 'layers.x'" \
    --model llama2-7b --phase prefill --seq 8 --quant w8a8 --override layers.x=w8a8
bad "override layer range" "--override: layer 40 does not exist" \
    --model llama2-7b --phase prefill --seq 8 --quant w8a8 --override layers.40=w8a16
bad "zero tokens" "--seq: must be in 1" --model llama2-7b --phase prefill --seq 0 --quant w8a8
bad "zero batch" "--batch: must be in 1" --model llama2-7b --phase prefill --seq 8 --batch 0 --quant w8a8
bad "too long" "--seq: .*max_position_embeddings" --model opt-6.7b --phase prefill --seq 4096 --quant w8a8
bad "no steps" "--decode-steps: required" --model llama2-7b --phase request --seq 8 --quant w8a8
bad "steps without request" "--decode-steps: only applies" --model llama2-7b --phase decode --seq 8 --decode-steps 3 --quant w8a8
bad "bad phase" "--phase: unknown phase 'train'" --model llama2-7b --phase train --seq 8 --quant w8a8
bad "bad number" "--seq: expected a non-negative integer" --model llama2-7b --phase prefill --seq 8k --quant w8a8
bad "missing option" "--quant: required option missing" --model llama2-7b --phase prefill --seq 8
bad "unknown option" "--frobnicate" --model llama2-7b --frobnicate 3

printf '{\n  "model_type": "llama",\n  "hidden_size": 100,\n  "intermediate_size": 128,\n  "num_attention_heads": 3,\n  "num_hidden_layers": 2,\n  "vocab_size": 10,\n  "max_position_embeddings": 64\n}\n' >"$TMP/heads.json"
bad "heads vs hidden" "heads.json:5: num_attention_heads: 3 heads do not divide hidden_size 100" \
    --model "$TMP/heads.json" --phase prefill --seq 8 --quant w8a8
printf 'name: x\nfamily: llama\nhidden_size: 64\n' >"$TMP/short.yaml"
bad "incomplete model yaml" "short.yaml:1: intermediate_size: missing required key" \
    --model "$TMP/short.yaml" --phase prefill --seq 8 --quant w8a8
printf 'scheme: w4a16g128\noverrides:\n  layers.0: w4a3\n' >"$TMP/badq.yaml"
bad "bad scheme file" "badq.yaml:3: overrides.layers.0: 'w4a3'" \
    --model llama2-7b --phase prefill --seq 8 --quant "$TMP/badq.yaml"
expect_error "trace: unwritable output" "cannot write" $MPSIM trace --model llama2-7b \
    --phase prefill --seq 8 --quant w8a8 -o /nonexistent/dir/t.yaml

# SCALE-Sim topology -> trace
printf 'Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\nConv1, 227, 227, 11, 11, 3, 96, 4,\n' >"$TMP/alexnet.csv"
expect_ok "trace: topology" $MPSIM trace --topology "$TMP/alexnet.csv" -o "$out"
if grep -q "name: Conv1, kind: gemm_weight, m: 3025, n: 96, k: 363, repeat: 1, act: int8, weight: int8" "$out"
then ok "trace: topology conv -> GEMM"; else not_ok "trace: topology conv -> GEMM"; fi
printf 'Layer, M, N, K,\nFC, 4, x, 2,\n' >"$TMP/bad.csv"
bad "bad topology" "bad.csv:2: N: expected an integer" --topology "$TMP/bad.csv"
bad "topology + model" "--topology: cannot be combined" --topology "$TMP/alexnet.csv" --model llama2-7b

# usage errors exit 2, input errors exit 1
$MPSIM_FAST trace --model llama2-7b --phase prefill --seq 8 >/dev/null 2>&1
rc1=$?
$MPSIM_FAST trace --model llama9 --phase prefill --seq 8 --quant w8a8 >/dev/null 2>&1
rc2=$?
if [ "$rc1" -eq 2 ] && [ "$rc2" -eq 1 ]; then ok "trace: exit codes"
else not_ok "trace: exit codes (usage $rc1, input $rc2)"; fi
