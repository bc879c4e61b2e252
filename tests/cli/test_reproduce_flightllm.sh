#!/usr/bin/env bash
# scripts/reproduce/flightllm/run.sh (under a second of mpsim runs): it
# runs, every factor product checks, and the board power factor is the one
# docs/validation.md ("FlightLLM", Power) works out: mpsim's power plus
# FlightLLM's BRAM, over the same with mpsim's static power replaced by the
# idle U280 card's reading of board.tsv; recomputed here from mpsim's own
# JSON and that file, not from the script's arithmetic.
source "$(dirname "$0")/lib.sh"
out="$TMP/flightllm.txt"
reproduce_run flightllm "$out" || exit 0
# the power row's factors, in the order printed: BRAM, board, rest
# (each "N (" right after "ratio R = " or after a closing ") x ")
factors=$(grep '^power (W), U280, KV 512: ratio' "$out" |
    grep -oE '(= |\) x )[0-9.]+ \(' | tr -d '=)x(' | tr -s ' \n' ' ')
read -r f_bram f_board f_rest <<<"$factors"
# mpsim's power and its static part, watts, from its JSON
"$MPSIM_FAST" run --arch flightllm-u280 --model llama2-7b --phase decode \
    --seq 512 --quant w4a8g128 --format json >"$TMP/run.json"
read -r power static < <(python3 -c '
import json, sys
t = json.load(open(sys.argv[1]))["total"]
w = {k: v * 1e-12 / t["latency_s"] for k, v in t["energy_breakdown_pj"].items()}
print("%.6f %.6f" % (sum(w.values()), w["leakage"]))' "$TMP/run.json")
idle=$(awk -F'\t' '$1 == "u280.idle_board_w" { print $2 }' \
    scripts/reproduce/flightllm/board.tsv)
# with_bram = power / f_bram; board factor = with_bram / (with_bram - static + idle)
if awk -v p="$power" -v s="$static" -v i="$idle" -v b="$f_bram" -v f="$f_board" \
    'BEGIN { wb = p / b; e = wb / (wb - s + i); exit !(i > 0 && s > 0 && f > 0 &&
                                                     (f / e - 1) ^ 2 < 1e-4) }'
then ok "reproduce_flightllm_board_factor ($f_board, idle $idle W, static $static W)"
else not_ok "reproduce_flightllm_board_factor (printed '$f_board', power $power W, static $static W, idle '$idle' W, BRAM factor '$f_bram')"
fi
# the three multiply to the power ratio of the table row (within the
# script's 5 %)
ratio=$(awk -F' [|] ' '$1 == "| power (W)" { print $6 }' "$out")
if awk -v r="$ratio" -v a="$f_bram" -v b="$f_board" -v c="$f_rest" \
    'BEGIN { exit !(r > 0 && c > 0 && ((a * b * c) / r - 1) ^ 2 < 0.0025) }'
then ok "reproduce_flightllm_power_factors ($f_bram x $f_board x $f_rest = $ratio)"
else not_ok "reproduce_flightllm_power_factors ('$f_bram' x '$f_board' x '$f_rest' vs ratio '$ratio')"
fi
