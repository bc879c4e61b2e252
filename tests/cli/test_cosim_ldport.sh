#!/usr/bin/env bash
# Wide load ports (mpsim cosim --load-bits, docs/rtl.md "Load port"): the
# generated RTL takes packed beats bit-exactly, and with a port as wide as
# the memory delivers, the SystemC testbench's measured load + compute
# cycles match the simulator's memory model + engine.
#
# Why the SystemC bound is "0 <= measured - predicted <= 8 cycles a tile":
# predicted load = L + bytes / B (mp_memory_transfer_cycles).  The bench
# offers a beat once all its bytes have arrived, L + ceil(bytes so far / B)
# cycles after the request, and the beat takes that cycle, so the last beat
# ends at least one cycle after the last byte (measured > predicted; the
# engine equals the RTL's compute cycles, cycle_error 0).  Above that, a
# port of 8*B bits carries B bytes a beat except: one partly filled beat at
# the end of each of the 5 buffers, scale beats (FP32 in the RTL, FP16 in
# memory: half full; one beat here) and the act_scale beat (not memory
# traffic in the simulator), plus 1 cycle of rounding up: 5 + 1 + 1 + 1 = 8.
# A 32-bit port at the same bandwidth is far outside (ratio > 2, checked
# on the fixture), so the bound is not one that cannot fail.
source "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"
FIXTURE=tests/cosim/fixture_int8_os

sc_num() { sed -n "s/.*\"$2\": \([-0-9.e+]*\)[,}].*/\1/p" "$1" | head -1; }

# cosim_run NAME ARGS...: exit 0, 0 mismatches, cycle_error 0 (the wide
# port changes loading only); leaves $TMP/NAME.json
cosim_run() { cosim_check "$1" 0 "${@:2}"; }

# sc_bound NAME: the SystemC result of NAME within the bound above
sc_bound() {
    local name=$1 f="$TMP/$1.json" tiles m p
    tiles=$(json_num "$f" tiles)
    m=$(sc_num "$f" measured_cycles)
    p=$(sc_num "$f" predicted_cycles)
    if awk -v m="$m" -v p="$p" -v t="$tiles" \
        'BEGIN { exit !(m != "" && p > 0 && m - p >= 0 && m - p <= 8 * t) }'
    then ok "${name}_bound (measured $m, predicted $p, $tiles tiles)"
    else not_ok "${name}_bound (measured '$m', predicted '$p', $tiles tiles)"; fi
}

# ---- Verilator harness, VlWide ld_data: OS family and a broken lane -----
cosim_run cosim_ldport_mixpe_128 --arch mixpe-w4a8 --rows 2 --cols 2 \
    --k-max 64 --group 32 --load-bits 128 --tiles 5

gen="$TMP/gen_wide"
"$MPSIM_FAST" rtl --arch int8-mac --rows 2 --cols 2 --k-max 32 --group 32 \
    --load-bits 96 -o "$gen" >/dev/null 2>&1
# lane 1 of the weight buffer takes lane 0's bits: a packing bug
sed -i 's/if (wmem_we1) wmem\[\(.*\)\] <= ld_data\[15:8\];/if (wmem_we1) wmem[\1] <= ld_data[7:0];/' \
    "$gen/mpsim_top.v"
if grep -q 'if (wmem_we1) wmem\[.*\] <= ld_data\[7:0\];' "$gen/mpsim_top.v"
then ok cosim_ldport_sed
else not_ok "cosim_ldport_sed (the generated lane changed; update the sed)"; fi
"$MPSIM" cosim --cache "$CACHE" --rtl "$gen" --tiles 4 --wave "$TMP/w.fst" \
    >"$TMP/w.out" 2>"$TMP/w.err"
rc=$?
if [ "$rc" -eq 1 ] && grep -q 'mismatching results; first: tile' "$TMP/w.err"
then ok cosim_ldport_broken_lane_caught
else not_ok "cosim_ldport_broken_lane_caught (exit $rc: $(head -c 300 "$TMP/w.err"))"; fi

# ---- SystemC: the architectures' own memory, port chosen to cover it ---
# MixPE artifact: 128 B/cycle DRAM -> 1024-bit port (sc_bv ld_data)
if cosim_run cosim_ldport_sc_mixpe --arch mixpe-w4a8 --rows 4 --cols 4 \
    --k-max 128 --group 32 --tiles 4 --systemc; then
    lb=$(json_num "$TMP/cosim_ldport_sc_mixpe.json" load_bits)
    if [ "$lb" = 1024 ]; then ok cosim_ldport_sc_mixpe_auto_width
    else not_ok "cosim_ldport_sc_mixpe_auto_width (load_bits '$lb', want 1024)"; fi
    sc_bound cosim_ldport_sc_mixpe
fi
# int8-mac at 8 B/cycle -> 64-bit port (uint64_t ld_data)
cosim_run cosim_ldport_sc_int8 --arch int8-mac --rows 4 --cols 4 \
    --k-max 128 --group 64 --tiles 4 --systemc --bw 8 --latency 20 &&
    sc_bound cosim_ldport_sc_int8
# block-step top (DSP48E2 chain, one 16-slice chain per column), 32 B/cycle
cosim_run cosim_ldport_sc_dsp --arch flightllm-u280 --rows 16 --cols 2 \
    --k-max 64 --group 32 --tiles 4 --systemc --bw 32 &&
    sc_bound cosim_ldport_sc_dsp

# the 32-bit port at a bandwidth it cannot take: far outside the bound
"$MPSIM" cosim --cache "$CACHE" --rtl "$FIXTURE" --tiles 4 --systemc \
    --bw 16 --latency 0 --format json >"$TMP/narrow.json" 2>"$TMP/narrow.err"
ratio=$(sc_num "$TMP/narrow.json" ratio)
if awk -v r="$ratio" 'BEGIN { exit !(r != "" && r > 2) }'
then ok "cosim_ldport_narrow_port_stalls (ratio $ratio)"
else not_ok "cosim_ldport_narrow_port_stalls (ratio '$ratio': $(head -c 200 "$TMP/narrow.err"))"; fi

# ---- bad inputs: one line; cosim and synth option values exit 1 ---------
for lb in 33 0 4096; do
    expect_error "cosim_ldport_bad_$lb" "--load-bits" \
        "$MPSIM" cosim --cache "$CACHE" --arch int8-mac --load-bits "$lb"
    if [ -s "$TMP/out" ]; then not_ok "cosim_ldport_bad_${lb}_no_output"
    else ok "cosim_ldport_bad_${lb}_no_output"; fi
done
"$MPSIM" cosim --cache "$CACHE" --arch int8-mac --load-bits 33 >/dev/null 2>&1
rc=$?
[ "$rc" -eq 1 ] && ok cosim_ldport_bad_exit_1 || not_ok "cosim_ldport_bad_exit_1 (exit $rc)"
expect_error cosim_ldport_rtl_dir "--load-bits: only when generating" \
    "$MPSIM" cosim --cache "$CACHE" --rtl "$FIXTURE" --load-bits 64
expect_error synth_ldport_bad "--load-bits" \
    "$MPSIM" synth --arch int8-mac --target xcup --load-bits 4096 -o "$TMP/syn.txt"
expect_no_file synth_ldport_bad_no_report "$TMP/syn.txt"
# a hand-edited params.json with an impossible width names the key
mkdir -p "$TMP/badlb"
cp "$FIXTURE"/* "$TMP/badlb/"
sed -i '1s/^{/{"load_bits": 48, /' "$TMP/badlb/params.json"
expect_error cosim_ldport_params_bad "params.json: load-bits: must be a multiple of 32" \
    "$MPSIM" cosim --cache "$CACHE" --rtl "$TMP/badlb"
