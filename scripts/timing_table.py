#!/usr/bin/env python3
"""timing_table.py - the preset table of docs/validation.md "Timing":
from a run of scripts/calibrate_timing.sh, one row per preset with both
netlists' paths, the kept one's modules, fmax at the presets' node and
the entry `mpsim run` checks it against.

usage: scripts/timing_table.py WORK SCALE_DELAY [ARCH_DIR]
  WORK         calibrate_timing.sh's work directory (paths.txt and the
               PRESET-area.json / PRESET-driven.json reports)
  SCALE_DELAY  the delay multiplier 180 nm / 1.8 V -> the presets' node
               (`mpsim list scale 180:1.8 28:0.9`, line "delay")
  ARCH_DIR     the presets (default sim/arch beside this script)

The kept netlist and the entry follow calibrate_timing.sh's table: per
preset the netlist with the shorter design period (the slower of its PE
and its other modules; a tie keeps the area-mapped one), per family and
activation format the slowest preset.  make validate (step 5) checks that
the rows are in docs/validation.md (scripts/doc_rows.sh).
"""
import json
import os
import re
import sys


def unit(module):
    """A module's role in words, for the table."""
    m = module.replace("mpsim_top_", "")
    if m.startswith("deq_c"):
        p = re.search(r"_p(\d+)$", m)
        return f"dequant, {p.group(1)} stages" if p else "dequant, one stage"
    if m.startswith("fp_mul_e8m23_e8m23_e8m23"):
        return "act_scale mul, piped" if m.endswith("_p2") else "act_scale mul"
    if m.startswith("fdeq"):
        return "float unit"
    if m.startswith("lut_fcore"):
        return "core: row sums S"
    if m.startswith("wdeq"):
        return "weight dequant"
    return m


def stages(arch_dir, preset):
    """The preset's pipeline knobs, e.g. "dequant 4, scale 2"."""
    out = []
    with open(f"{arch_dir}/{preset}.yaml") as f:
        for line in f:
            m = re.match(r"\s+(dequant|fma|scale)_stages:\s*(\d+)", line)
            if m:
                out.append(f"{m.group(1)} {m.group(2)}")
    return ", ".join(out) or "none"


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.split("\n\n")[1])
    work, delay = sys.argv[1], float(sys.argv[2])
    here = os.path.dirname(os.path.abspath(__file__))
    arch_dir = sys.argv[3] if len(sys.argv) == 4 else f"{here}/../sim/arch"
    rows, slowest = [], {}
    with open(f"{work}/paths.txt") as f:
        lines = [line.split() for line in f]
    for w in lines:
        preset, family, act = w[:3]
        area_pe, area_rest, drv_pe, drv_rest = map(float, w[3:7])
        driven = max(drv_pe, drv_rest) < max(area_pe, area_rest)
        period = max(drv_pe, drv_rest) if driven else max(area_pe, area_rest)
        key = f"{family}_{act}".replace("-", "_")
        if key not in slowest or period > slowest[key][0]:
            slowest[key] = (period, preset)
        kept = "driven" if driven else "area"
        with open(f"{work}/{preset}-{kept}.json") as f:
            timing = json.load(f)["timing"]
        rows.append((w, driven, period, timing, key))
    print("| preset (family, act) | stages | area-mapped PE / edge ns | "
          "timing-driven PE / edge ns | area, timing-driven / area-mapped | "
          "kept | PE path ns (levels) | slowest edge or core ns (module) | "
          "own design at 28 nm / 0.9 V MHz | PE alone at 28 nm MHz | "
          "entry used by `mpsim run` | its fmax at 28 nm MHz | clock MHz | "
          "met |")
    print("|---" * 14 + "|")
    for w, driven, period, timing, key in rows:
        preset, family, act = w[:3]
        mods = timing["modules"]
        pe = [m for m in mods if m["role"] == "pe"][0]
        rest = [m for m in mods if m["role"] in ("edge", "core")]
        worst = max(rest, key=lambda m: m["period_ns"]) if rest else None
        worst_s = (f"{worst['period_ns']:.3f} ({unit(worst['module'])})"
                   if worst else "-")
        entry_mhz = 1e3 / (slowest[key][0] * delay)
        clock = timing["clock_hz"] / 1e6
        fpga = family == "dsp-chain"
        met = ("- (FPGA: the data sheet's clock)" if fpga
               else "yes" if entry_mhz >= clock else "no")
        entry = (f"`{key}` (no ASIC arch)" if fpga
                 else f"`{key}` ({slowest[key][1]})")
        print(f"| {preset} ({family}, {act}) | {stages(arch_dir, preset)} | "
              f"{w[3]} / {w[4]} | {w[5]} / {w[6]} | "
              f"{float(w[8]) / float(w[7]):.3f} | "
              f"{'timing-driven' if driven else 'area-mapped'} | "
              f"{pe['period_ns']:.3f} ({pe['levels']}) | {worst_s} | "
              f"{1e3 / (period * delay):.0f} | "
              f"{1e3 / (pe['period_ns'] * delay):.0f} | {entry} | "
              f"{entry_mhz:.0f} | {clock:.0f} | {met} |")


if __name__ == "__main__":
    main()
