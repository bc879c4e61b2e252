#!/usr/bin/env python3
"""timing_table.py - the timing tables of docs/validation.md "Timing"
from runs of scripts/calibrate_timing.sh, and the choice of netlist and
entry that its osu018-timing.yaml is written from.

usage: scripts/timing_table.py MPSIM WORK
       scripts/timing_table.py MPSIM WORK WORK2 NM:VDD
       scripts/timing_table.py --entries PATHS
  MPSIM  the mpsim executable (its `list scale` gives the delay and area
         multipliers to the presets' node, 28 nm / 0.9 V)
  WORK   calibrate_timing.sh's work directory on OSU 0.18 um (paths.txt
         and the PRESET-area.json / PRESET-driven.json reports)
  WORK2  the same on a second library, of node NM and supply VDD
         (`--liberty L --liberty-node NM`)
  PATHS  a paths.txt: prints the table's entries, one line each, "KEY
         PRESET PE_NS EDGE_NS NETLIST" (calibrate_timing.sh writes the
         YAML from them)

The choice, made here alone: per preset the netlist with the shorter
design period (the slower of its PE and its other modules; a tie keeps
the area-mapped one); per family and activation format (KEY FAMILY_ACT)
and per family (KEY FAMILY) the slowest preset, a tie going to the first
preset name in byte order.  With WORK alone: the preset table, one row
per preset with both netlists' paths, the kept one's modules, fmax at 28
nm and the entry `mpsim run` checks it against.  With WORK2: the two
libraries side by side ("Timing on a second library").  make validate
(steps 5 and 7) checks that the tables' rows are in docs/validation.md
(scripts/doc_rows.sh).
"""
import json
import os
import re
import subprocess
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


def scale(mpsim, node):
    """`mpsim list scale NODE 28:0.9` as {"area": x, "delay": y, ...}."""
    out = subprocess.run([mpsim, "list", "scale", node, "28:0.9"],
                         capture_output=True, text=True, check=True).stdout
    return {w[0]: float(w[1]) for w in (line.split() for line in
                                        out.splitlines())}


def read_paths(path):
    """A paths.txt: {preset: (words, kept period ns, driven?, kept PE ns,
    kept edge ns)}, in the file's order; the kept netlist as the module
    docstring says."""
    out = {}
    with open(path) as f:
        for w in (line.split() for line in f):
            area_pe, area_rest, drv_pe, drv_rest = map(float, w[3:7])
            driven = max(drv_pe, drv_rest) < max(area_pe, area_rest)
            pe, rest = (drv_pe, drv_rest) if driven else (area_pe, area_rest)
            out[w[0]] = (w, max(pe, rest), driven, pe, rest)
    return out


def entries(paths):
    """{KEY: preset}, KEY as written (hyphens kept), in key order: the
    slowest preset of each family and format, and of each family."""
    chosen = {}
    for preset in sorted(paths, key=lambda p: (-paths[p][1], p)):
        family, act = paths[preset][0][1:3]
        for key in (f"{family}_{act}", family):
            chosen.setdefault(key, preset)
    return dict(sorted(chosen.items()))


def print_entries(path):
    paths = read_paths(path)
    for key, preset in entries(paths).items():
        _, _, driven, pe, rest = paths[preset]
        print(f"{key.replace('-', '_')} {preset} {pe:.3f} {rest:.3f} "
              f"{'timing-driven' if driven else 'area-mapped'}")


def preset_table(work, delay, arch_dir):
    paths = read_paths(f"{work}/paths.txt")
    entry_of = entries(paths)
    print("| preset (family, act) | stages | area-mapped PE / edge ns | "
          "timing-driven PE / edge ns | area, timing-driven / area-mapped | "
          "kept | PE path ns (levels) | slowest edge or core ns (module) | "
          "own design at 28 nm / 0.9 V MHz | PE alone at 28 nm MHz | "
          "entry used by `mpsim run` | its fmax at 28 nm MHz | clock MHz | "
          "met |")
    print("|---" * 14 + "|")
    for w, period, driven, _, _ in paths.values():
        preset, family, act = w[:3]
        key = f"{family}_{act}"
        entry_preset = entry_of[key]
        kept = "driven" if driven else "area"
        with open(f"{work}/{preset}-{kept}.json") as f:
            timing = json.load(f)["timing"]
        mods = timing["modules"]
        pe = [m for m in mods if m["role"] == "pe"][0]
        rest = [m for m in mods if m["role"] in ("edge", "core")]
        worst = max(rest, key=lambda m: m["period_ns"]) if rest else None
        worst_s = (f"{worst['period_ns']:.3f} ({unit(worst['module'])})"
                   if worst else "-")
        entry_mhz = 1e3 / (paths[entry_preset][1] * delay)
        clock = timing["clock_hz"] / 1e6
        fpga = family == "dsp-chain"
        met = ("- (FPGA: the data sheet's clock)" if fpga
               else "yes" if entry_mhz >= clock else "no")
        key = key.replace("-", "_")
        entry = (f"`{key}` (no ASIC arch)" if fpga
                 else f"`{key}` ({entry_preset})")
        print(f"| {preset} ({family}, {act}) | {stages(arch_dir, preset)} | "
              f"{w[3]} / {w[4]} | {w[5]} / {w[6]} | "
              f"{float(w[8]) / float(w[7]):.3f} | "
              f"{'timing-driven' if driven else 'area-mapped'} | "
              f"{pe['period_ns']:.3f} ({pe['levels']}) | {worst_s} | "
              f"{1e3 / (period * delay):.0f} | "
              f"{1e3 / (pe['period_ns'] * delay):.0f} | {entry} | "
              f"{entry_mhz:.0f} | {clock:.0f} | {met} |")


def library_table(work, osu, work2, lib2, node2):
    one = read_paths(f"{work}/paths.txt")
    two = read_paths(f"{work2}/paths.txt")
    nm = node2.split(":")[0]
    print(f"| preset | OSU 0.18 um: kept ns at 180 nm | MHz at 28 nm | "
          f"second library: area-mapped / timing-driven ns at {nm} nm | "
          f"MHz at 28 nm (kept) | fmax OSU / second at 28 nm | area OSU / "
          f"second at 28 nm (area-mapped) |")
    print("|---" * 7 + "|")
    for preset, (w, period, _, _, _) in one.items():
        w2, period2, driven2, _, _ = two[preset]
        f1 = 1e3 / (period * osu["delay"])
        f2 = 1e3 / (period2 * lib2["delay"])
        area = (float(w[7]) * osu["area"]) / (float(w2[7]) * lib2["area"])
        kept = "timing-driven" if driven2 else "area-mapped"
        print(f"| {preset} | {period:.3f} | {f1:.0f} | "
              f"{max(float(w2[3]), float(w2[4])):.3f} / "
              f"{max(float(w2[5]), float(w2[6])):.3f} | {f2:.0f} ({kept}) | "
              f"{f1 / f2:.2f} | {area:.2f} |")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--entries":
        print_entries(sys.argv[2])
        return
    if len(sys.argv) not in (3, 5):
        sys.exit(__doc__.split("\n\n")[1])
    mpsim, work = sys.argv[1], sys.argv[2]
    here = os.path.dirname(os.path.abspath(__file__))
    osu = scale(mpsim, "180:1.8")
    if len(sys.argv) == 3:
        preset_table(work, osu["delay"], f"{here}/../sim/arch")
    else:
        library_table(work, osu, sys.argv[3], scale(mpsim, sys.argv[4]),
                      sys.argv[4])


if __name__ == "__main__":
    try:
        main()
    except (OSError, KeyError, IndexError, ValueError,
            subprocess.CalledProcessError) as e:
        sys.exit(f"mpsim: timing_table.py: {type(e).__name__}: {e}")
