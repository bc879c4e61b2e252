#!/usr/bin/env python3
"""Iso-area (ASIC) and iso-DSP (FPGA) comparison of every PE family.

None of the three papers compares its PE with the baselines at equal silicon:
MixPE's artifact gives MixPE a 4x larger array than its INT8 baseline, LUT
Tensor Core compares units, FlightLLM compares boards.  This script does.

ASIC: every shipped ASIC preset (one per distinct family x weight x
activation format, as `mpsim list` and sim/arch/ define them) is resized so
that its compute area (PE array + edge units, as `mpsim run` reports it,
docs/model.md "Totals") is as large as possible without exceeding the
largest preset's.  Rows and columns scale together, keeping the preset's
aspect ratio (its mapping), so the only change is the number of PEs.  Each
design then runs LLaMA-2-7B prefill (512 tokens) and decode (KV 512), batch
1, at its preset's own precision; latency and energy are set against the
INT8 MAC and the FP16 MAC (dequantize-first) arrays of the same area.

FPGA: the dsp-chain preset at its own DSP count, with two INT8 products per
DSP48E2 (the packing FlightLLM uses, Xilinx WP486) against the same chains
with one product per DSP, the plain DSP MAC array, on the same workloads.

Everything is measured by build/mpsim in this run; nothing is typed in.
Usage: iso_area.py BUILD
"""
import json
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
MODEL = "llama2-7b"
PHASES = [("prefill", ["--phase", "prefill", "--seq", "512"]),
          ("decode", ["--phase", "decode", "--seq", "512"])]
BASELINES = ["int8-mac", "fp16-mac"]
FPGA_PRESET = "flightllm-u280"


def mpsim(build, args):
    out = subprocess.run([os.path.join(build, "mpsim")] + args,
                         capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError("mpsim %s: %s" % (" ".join(args), out.stderr.strip()))
    return out.stdout


def presets(build):
    """(name, family) of every shipped preset, from `mpsim list`."""
    rows, in_presets = [], False
    for line in mpsim(build, ["list"]).splitlines():
        if line.startswith("architecture presets"):
            in_presets = True
            continue
        if in_presets and not line.startswith("  "):
            break
        if in_presets:
            name, family = line.split()[:2]
            rows.append((name, family))
    return rows


def yaml_text(name):
    with open(os.path.join(ROOT, "sim", "arch", name + ".yaml")) as f:
        return f.read()


def field(text, key):
    """The scalar value of the first `key:` line (presets are flat enough)."""
    m = re.search(r"^\s*%s:\s*([^\s#]+)" % re.escape(key), text, re.M)
    return m.group(1) if m else None


def fmt_bits(fmt):
    if fmt in ("fp16", "bf16"):
        return "16"
    if fmt.startswith("fp8"):
        return "8"
    return re.sub(r"^u?int", "", fmt).replace("ternary", "1.58")


def quant_of(text):
    """The trace scheme matching the preset's own PE formats."""
    w = fmt_bits(field(text, "weights"))
    a = fmt_bits(field(text, "act"))
    group = int(field(text, "group_size") or 0)
    return "w%sa%s" % (w, a) + ("g%d" % group if group else "")


def with_fields(text, changes):
    for key, value in changes.items():
        text, n = re.subn(r"^(\s*%s:\s*)[^\s#]+" % re.escape(key),
                          lambda m: m.group(1) + str(value), text, count=1,
                          flags=re.M)
        if n != 1:
            raise RuntimeError("preset has no '%s' field" % key)
    return text


class Runner:
    def __init__(self, build, tmp):
        self.build, self.tmp, self.count = build, tmp, 0

    def run(self, text, quant, phase_args):
        self.count += 1
        path = os.path.join(self.tmp, "arch%d.yaml" % self.count)
        with open(path, "w") as f:
            f.write(text)
        out = mpsim(self.build, ["run", "--arch", path, "--model", MODEL,
                                 "--quant", quant, "--format", "json"]
                    + phase_args)
        return json.loads(out)["total"]


def compute_area(total):
    return total["pe_area_mm2"] + total["edge_area_mm2"]


def resized(text, rows, cols):
    """The preset at rows x cols.  A preset that fixes its edge-unit count
    (lut-tc: one per output column the units produce) keeps edge units per
    column, so the resized design has the edge its columns need."""
    changes = {"rows": rows, "cols": cols}
    edge_units = field(text, "edge_units")
    if edge_units is not None:
        per_col = int(edge_units) / int(field(text, "cols"))
        changes["edge_units"] = max(1, round(per_col * cols))
    return with_fields(text, changes)


def size_to_area(runner, text, quant, target):
    """Largest (rows, cols) at the preset's aspect with area <= target."""
    rows0, cols0 = int(field(text, "rows")), int(field(text, "cols"))
    best, tried = None, {}

    def area_at(scale):
        shape = (max(1, round(rows0 * scale)), max(1, round(cols0 * scale)))
        if shape not in tried:
            t = runner.run(resized(text, *shape), quant, PHASES[1][1])
            tried[shape] = compute_area(t)
        return shape, tried[shape]

    lo, hi = 0.0, 1.0
    while area_at(hi)[1] <= target:       # grow until too large
        lo, hi = hi, hi * 2
    for _ in range(40):                   # bisect the scale
        mid = (lo + hi) / 2
        if area_at(mid)[1] <= target:
            lo = mid
        else:
            hi = mid
    for shape, area in tried.items():     # rounding: best feasible shape seen
        if area <= target and (best is None or shape[0] * shape[1] > best[0][0] * best[0][1]):
            best = (shape, area)
    if best is None:
        raise RuntimeError("%s: one PE is larger than the reference area"
                           % field(text, "name"))
    return best


def asic_table(runner, build):
    seen, designs = set(), []
    for name, family in presets(build):
        text = yaml_text(name)
        if field(text, "tech") == "xcup":
            continue
        # whole chips of many cores (the A100 baselines: 108 SMs) are not
        # one array to resize; their families are here as arrays anyway
        if int(field(text, "cores") or 1) > 1:
            continue
        key = (family, field(text, "weights"), field(text, "act"))
        if key in seen:
            continue
        seen.add(key)
        designs.append((name, family, text, quant_of(text)))

    # The common area: the largest shipped design's, so that every family
    # fits at least one whole unit with its edge (one LUT TC unit with its
    # 64 FP dequant units is larger than the whole 32x32 INT8 MAC array).
    areas = {name: compute_area(runner.run(text, quant, PHASES[1][1]))
             for name, _, text, quant in designs}
    reference = max(areas, key=areas.get)
    target = areas[reference]

    results = {}
    for name, family, text, quant in designs:
        (rows, cols), area = size_to_area(runner, text, quant, target)
        sized = resized(text, rows, cols)
        res = {"family": family, "quant": quant, "shape": "%dx%d" % (rows, cols),
               "area": area}
        for phase, args in PHASES:
            t = runner.run(sized, quant, args)
            res[phase] = (t["latency_s"], t["energy_pj"])
        results[name] = res

    print("Iso-area, ASIC: every design sized to the largest preset's compute"
          " area (%s, %.4f mm^2), %s batch 1" % (reference, target, MODEL))
    head = ("design", "family", "quant", "array", "area/ref",
            "prefill ms", "vs int8", "vs fp16", "prefill mJ", "vs int8", "vs fp16",
            "decode ms", "vs int8", "vs fp16", "decode mJ", "vs int8", "vs fp16")
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name, r in results.items():
        cells = [name, r["family"], r["quant"], r["shape"], "%.3f" % (r["area"] / target)]
        for phase, _ in PHASES:
            lat, energy = r[phase]
            cells.append("%.3f" % (lat * 1e3))
            cells += ["%.2fx" % (results[b][phase][0] / lat) for b in BASELINES]
            cells.append("%.3f" % (energy * 1e-9))
            cells += ["%.2fx" % (results[b][phase][1] / energy) for b in BASELINES]
        print("| " + " | ".join(cells) + " |")
    print("(vs X: X's latency or energy divided by the design's; > 1 means the"
          " design is faster or spends less)")


def fpga_table(runner):
    text = yaml_text(FPGA_PRESET)
    quant = quant_of(text)
    print()
    print("Iso-DSP, FPGA: %s chains with 2 INT8 products per DSP48E2 (WP486)"
          " against 1 per DSP, same chains (the edge units' DSPs differ with"
          " the output tile), %s batch 1, %s" % (FPGA_PRESET, MODEL, quant))
    print("| phase | DSPs 1/DSP | DSPs 2/DSP | 1/DSP ms | 2/DSP ms | speed-up | 1/DSP mJ | 2/DSP mJ | energy ratio |")
    print("|---|---|---|---|---|---|---|---|---|")
    for phase, args in PHASES:
        one = runner.run(with_fields(text, {"pack_products": 1}), quant, args)
        two = runner.run(with_fields(text, {"pack_products": 2}), quant, args)
        print("| %s | %d | %d | %.3f | %.3f | %.2fx | %.3f | %.3f | %.2fx |" % (
            phase, one["fpga"]["dsp"], two["fpga"]["dsp"],
            one["latency_s"] * 1e3, two["latency_s"] * 1e3,
            one["latency_s"] / two["latency_s"], one["energy_pj"] * 1e-9,
            two["energy_pj"] * 1e-9, one["energy_pj"] / two["energy_pj"]))


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: iso_area.py BUILD")
    with tempfile.TemporaryDirectory() as tmp:
        runner = Runner(sys.argv[1], tmp)
        asic_table(runner, sys.argv[1])
        fpga_table(runner)


if __name__ == "__main__":
    main()
