#!/usr/bin/env bash
# dsp-chain in the ASIC flow: `mpsim synth --target asic --timing` on a
# tiny dsp-chain design (2x2 slices, no scales) synthesizes its DSP48E2
# slices from the behavioural model as OSU 0.18 um cells (the chain's
# arithmetic, not the FPGA's silicon), says so, times the slice as the PE
# (a path with start, end, levels and a positive fmax) and, the arch being
# an FPGA one, gives no verdict: the FPGA's clock is the data sheet's.
source "$(dirname "$0")/lib.sh"

LIBERTY=$(bash scripts/get_osu018.sh "${MPSIM_BUILD:-build}" 2>/dev/null)
if [ -z "$LIBERTY" ] || ! command -v sta >/dev/null || ! command -v yosys >/dev/null; then
    ok "timing_dsp_pe # SKIP needs yosys, opensta (sta) and the OSU 0.18 um liberty"
    exit 0
fi
"$MPSIM_FAST" rtl --pe dsp-chain --act int8 --weight int4 --no-scales \
    --no-act-scale --rows 2 --cols 2 --k-max 8 -o "$TMP/rtl" >/dev/null 2>"$TMP/rtl.err" || {
    not_ok "timing_dsp_rtl ($(head -c 300 "$TMP/rtl.err"))"; exit 0; }

"$MPSIM" synth --rtl "$TMP/rtl" --arch flightllm-u280 --liberty "$LIBERTY" \
    --timing --format json --workdir "$TMP/work" >"$TMP/t.json" 2>"$TMP/t.err"
rc=$?
/usr/bin/python3 - "$TMP/t.json" "$rc" <<'PY' >"$TMP/check.txt"
import json, sys
if sys.argv[2] != "0":
    print("not ok timing_dsp_pe (exit %s)" % sys.argv[2]); sys.exit()
r = json.load(open(sys.argv[1]))
t = r["timing"]
pe = [m for m in t["modules"] if m["role"] == "pe"]
good = (len(pe) == 1 and pe[0]["module"] == "DSP48E2" and pe[0]["found"] and
        pe[0]["start"] and pe[0]["end"] and pe[0]["levels"] > 2 and
        1e6 < pe[0]["fmax_hz"] < 1e10)
print("%s timing_dsp_pe (%s)" % ("ok" if good else "not ok",
      pe and "%s -> %s, %d levels, %.4g Hz" % (pe[0].get("start"),
      pe[0].get("end"), pe[0].get("levels", 0), pe[0].get("fmax_hz", 0))))
# the report says what was synthesized; the model has no ASIC figure
good = (r["pe_module"] == "DSP48E2" and r["std_cell_models"] == "DSP48E2"
        and r["model"] is False)
print("%s timing_dsp_labelled" % ("ok" if good else "not ok"))
# an FPGA arch: no verdict, the same cells at its node as a what-if
good = (t["timing_ok"] is None and t["fmax_hz"] is None and
        t["std_cells_fmax_at_node_hz"] > t["fmax_180nm_hz"] > 0)
print("%s timing_dsp_fpga_no_verdict" % ("ok" if good else "not ok"))
PY
cat "$TMP/check.txt"
grep -q . "$TMP/check.txt" || not_ok "timing_dsp_pe ($(head -c 300 "$TMP/t.err"))"
# the derived module got the primitive's name back (no $paramod for
# OpenSTA's Tcl), and the netlist has no DSP48E2 cell: the model's logic
if grep -q '^module DSP48E2(' "$TMP/work/netlist.v" &&
    ! grep -q 'paramod' "$TMP/work/netlist.v"
then ok timing_dsp_netlist
else not_ok "timing_dsp_netlist ($(grep -m1 '^module .*DSP' "$TMP/work/netlist.v"))"; fi
