#!/usr/bin/env python3
"""table.py HERE OUT - the MixPE reproduction table (run.sh runs mpsim first).

Reads the artifact's figures (HERE/artifact_layers.csv, artifact_results.csv),
mpsim's reports (OUT/DESIGN-MODEL.json) and prints one table: figure,
condition, paper, artifact, mpsim, ratio (mpsim / artifact, else / paper),
cause.  Then, for every ratio outside 0.85..1.15, the factors that make it:
cycles step from the artifact's count to mpsim's one model difference at a
time, energy swaps one part (core, buffers, DRAM bytes, DRAM background)
at a time,
so each product telescopes to the measured ratio; the check column says
product / ratio (docs/validation.md, "Reproductions", MixPE).
Standard library only.
"""
import csv
import json
import math
import sys

HERE, OUT = sys.argv[1], sys.argv[2]
MODELS = ["opt-6.7b", "llama2-13b-4h"]
M_TOKENS = 64  # batch 64 (run_mix.py batch_size)

# Paper, arXiv 2411.16158, abstract: "2.6x speedup and 1.4x energy
# reduction" over state-of-the-art quantization accelerators.
PAPER = {"speedup": 2.6, "energy": 1.4}

# The artifact's array and precision range per design (conf_*.ini: a, c,
# high_prec, low_prec) and mpsim's design it is compared with.
ART_CONF = {"mixpe_w4a8": (64, 64, 8, 4), "ant": (32, 32, 8, 4),
            "bitfusion": (32, 40, 8, 4), "int8": (32, 32, 8, 4),
            "mixpe_w4a16": (32, 32, 16, 8), "fp16": (32, 28, 16, 16)}


def read_csv(name):
    with open(f"{HERE}/{name}") as f:
        return list(csv.DictReader(r for r in f if not r.startswith("#")))


ART = read_csv("artifact_layers.csv")
RES = read_csv("artifact_results.csv")


def mp(design, model):
    with open(f"{OUT}/{design}-{model}.json") as f:
        return json.load(f)


def model_shapes(model):
    """(k, n) of the model's linear layers as the artifact fuses them."""
    h, i = (4096, 16384) if model == "opt-6.7b" else (5120, 20480)
    return {(h, 3 * h), (h, h), (h, i), (i, h)}


def art_rows(design, model):
    return [r for r in ART if r["design"] == design and r["model"] == model]


def art_cycles(rows, what="cycles"):
    return sum(float(r[what]) * int(r["count"]) for r in rows)


def art_formula(design, rows):
    """accelerator.py get_compute_cycles_output_stationary, per layer."""
    a, c, pmax, pmin = ART_CONF[design]
    tot = 0
    for r in rows:
        prec = max(int(r["prec"]), pmin)  # create_fc: activations = weights' dtype
        f = pmax // prec
        tot += (math.ceil(M_TOKENS / (a * f)) *
                math.ceil(int(r["n"]) / (c * f)) * int(r["k"]) *
                int(r["count"]))
    return tot


def art_energy(design, model):
    rows = art_rows(design, model)
    e = {k: sum(float(r[k]) * int(r["count"]) for r in rows)
         for k in ("e_static_nj", "e_dram_nj", "e_buffer_nj", "e_core_nj")}
    return {"core": e["e_core_nj"] * 1e3, "buf": e["e_buffer_nj"] * 1e3,
            "dram": e["e_dram_nj"] * 1e3, "bg": e["e_static_nj"] * 1e3}


# DRAM background power of the MixPE-setting presets (dram.background_w,
# the artifact's 0.969 nJ/cycle at 500 MHz); mpsim adds it to "dram" per
# second of each layer (sim/simulate.c), so it is split off again here.
BACKGROUND_W = 0.4845


def mp_energy(design, model):
    t = mp(design, model)["total"]
    b = t["energy_breakdown_pj"]
    bg = BACKGROUND_W * t["latency_s"] * 1e12
    return {"core": b["pe"] + b["edge"] + b["vector"] + b["leakage"],
            "buf": b["sram"], "dram": b["dram"] - bg, "bg": bg}


def qkv_shape(model):
    h = 4096 if model == "opt-6.7b" else 5120
    return (h, 3 * h)


def art_sel(adesign, model, qkv):
    """The artifact's rows: the whole model, or one fused QKV layer (ANT:
    its 4-bit one) counted once."""
    if not qkv:
        return art_rows(adesign, model)
    return [dict(r, count="1") for r in art_rows(adesign, model)
            if (int(r["k"]), int(r["n"])) == qkv_shape(model)
            and (adesign != "ant" or r["prec"] == "4")]


def mp_layers(design, model, qkv):
    """mpsim's layers with their multiplicity: the whole model (x repeat),
    or q + k + v of one layer."""
    ls = mp(design, model)["layers"]
    if not qkv:
        return [(l, l["repeat"]) for l in ls]
    return [(l, 1) for l in ls
            if l["name"].endswith(("q_proj", "k_proj", "v_proj"))]


def mp_sum(design, model, key, qkv=False):
    return sum(l[key] * n for l, n in mp_layers(design, model, qkv))


def mp_cycles(design, model, qkv=False):
    return mp_sum(design, model, "cycles", qkv)


def cycle_factors(mdesign, adesign, model, qkv=False):
    """mpsim cycles / artifact cycles, one difference at a time."""
    rows = art_sel(adesign, model, qkv)
    a0 = art_cycles(rows)
    shapes = model_shapes(model)
    main = [r for r in rows if (int(r["k"]), int(r["n"])) in shapes]
    a1 = art_cycles(main)
    a2 = a1 - art_cycles(main, "stall_cycles")
    a3 = art_formula(adesign, main)
    x = sum(l["folds"] * l["k"] * n for l, n in mp_layers(mdesign, model, qkv))
    mc = mp_sum(mdesign, model, "compute_cycles", qkv)
    mt = mp_cycles(mdesign, model, qkv)
    return [("artifact extra GEMMs", a1 / a0),
            ("artifact stalls", a2 / a1),
            ("artifact tiling", a3 / a2),
            ("MACs per cycle", x / a3),
            ("fill/drain", mc / x),
            ("mpsim stalls", mt / mc)]


def energy_factors(mdesign, adesign, model):
    """mpsim energy / artifact energy, swapping one part at a time."""
    ea, em = art_energy(adesign, model), mp_energy(mdesign, model)
    cur = dict(ea)
    out = []
    names = {"core": "core", "buf": "buffers", "dram": "DRAM bytes",
             "bg": "DRAM background"}
    for part in ("core", "buf", "dram", "bg"):
        before = sum(cur.values())
        cur[part] = em[part]
        out.append((names[part], sum(cur.values()) / before))
    return out


def ratio_of(num, den):
    """Factors of (num) / (den), two factor lists of the same steps."""
    return [(n[0], n[1] / d[1]) for n, d in zip(num, den)]


rows = []   # (figure, condition, paper, artifact, mpsim, cause, factors)


def add(fig, cond, paper, art, mpv, cause, factors=None):
    rows.append((fig, cond, paper, art, mpv, cause, factors))


# ---- per layer: OPT-6.7B fused QKV (4096 x 12288; mpsim q + k + v) ----------
PAIRS = [  # mpsim design, artifact design, label, setting
    ("mixpe_w4a8_paper", "mixpe_w4a8", "MixPE-W4A8 64x64", "paper: pack 2"),
    ("mixpe_w4a8", "mixpe_w4a8", "MixPE-W4A8 64x64", "mpsim: pack off"),
    ("mixpe_w4a16_paper", "mixpe_w4a16", "MixPE-W4A16 32x32", "paper: pack 4"),
    ("mixpe_w4a16", "mixpe_w4a16", "MixPE-W4A16 32x32", "mpsim: pack off"),
    ("int8", "int8", "INT8 MAC 32x32", "preset"),
    ("fp16", "fp16", "FP16 MAC 32x28", "preset"),
    ("bitfusion", "bitfusion", "BitFusion W8A8 32x40", "preset"),
]
CAUSE = {
    "mixpe_w4a8_paper": "fill/drain R+C-1 per fold; artifact counts none",
    "mixpe_w4a8": "no packing: 1 product/PE (artifact 2 at 4-bit)",
    "mixpe_w4a16_paper": "fill/drain R+C-1 per fold",
    "mixpe_w4a16": "no packing: artifact runs W8A8 at 4/PE",
    "int8": "fill/drain R+C-1 per fold",
    "fp16": "fill/drain; q/k/v unfused (fold rounding)",
    "bitfusion": "artifact's loop tiling; fill/drain",
}
QKV = PAIRS + [("int8", "ant", "ANT 4-bit layer 32x32", "int8-mac for it")]
CAUSE["ant"] = "no ANT model: its 4-bit layers pack 2 x 2 per PE"
for md, ad, label, setting in QKV:
    for model in MODELS[:1]:
        add("cycles, QKV layer", f"{label}, {setting}, {model}", None,
            art_cycles(art_sel(ad, model, True)), mp_cycles(md, model, True),
            CAUSE[ad if ad == "ant" else md],
            cycle_factors(md, ad, model, True))
for md, ad, label, setting in PAIRS:
    for model in MODELS:
        add("cycles, linear layers", f"{label}, {setting}, {model}", None,
            art_cycles(art_rows(ad, model)), mp_cycles(md, model),
            CAUSE[md] + "; artifact's extra GEMMs",
            cycle_factors(md, ad, model))

# ---- speed-up and energy ratios -------------------------------------------
SPEEDUPS = [  # mixpe design, its artifact design, base, artifact base, label
    ("mixpe_w4a8_paper", "mixpe_w4a8", "int8", "ant", "W4A8 vs ANT, paper setting"),
    ("mixpe_w4a8", "mixpe_w4a8", "int8", "ant", "W4A8 vs ANT, mpsim (pack off)"),
    ("mixpe_w4a8_paper", "mixpe_w4a8", "int8", "int8", "W4A8 vs INT8, paper setting"),
    ("mixpe_w4a8", "mixpe_w4a8", "int8", "int8", "W4A8 vs INT8, mpsim (pack off)"),
    ("mixpe_w4a16_paper", "mixpe_w4a16", "fp16", "fp16", "W4A16 vs FP16, paper setting"),
    ("mixpe_w4a16", "mixpe_w4a16", "fp16", "fp16", "W4A16 vs FP16, mpsim (pack off)"),
]
SCAUSE = {"ant": "mpsim has no ANT: int8-mac stands in (ANT packs its 4-bit "
                 "layers 4x)",
          "int8": "baseline fill/drain vs MixPE's; packing",
          "fp16": "packing; FP16 weights in artifact DRAM"}
geo = {}
for md, ad, mb, ab, label in SPEEDUPS:
    for model in MODELS:
        art = (art_cycles(art_rows(ab, model)) /
               art_cycles(art_rows(ad, model)))
        mps = mp_cycles(mb, model) / mp_cycles(md, model)
        f = ratio_of(cycle_factors(mb, ab, model), cycle_factors(md, ad, model))
        add("speed-up", f"{label}, {model}",
            PAPER["speedup"] if ab in ("ant", "fp16") else None, art, mps,
            SCAUSE[ab], f)
        geo.setdefault(("speed-up", label), []).append((art, mps, f))
        ea, em = art_energy(ab, model), art_energy(ad, model)
        art_e = sum(ea.values()) / sum(em.values())
        mps_e = (sum(mp_energy(mb, model).values()) /
                 sum(mp_energy(md, model).values()))
        f = ratio_of(energy_factors(mb, ab, model),
                     energy_factors(md, ad, model))
        add("energy ratio", f"{label}, {model}",
            PAPER["energy"] if ab in ("ant", "fp16") else None, art_e, mps_e,
            SCAUSE[ab] + "; energy model", f)
        geo.setdefault(("energy ratio", label), []).append((art_e, mps_e, f))


def gmean(v):
    return math.exp(sum(math.log(x) for x in v) / len(v))


def res_geomean(fig_parts, num, den):
    """True geomean over the 4 models of the shipped mixpe_res.csv."""
    vals = []
    for model in ("ViT", "ViT-Huge", "OPT-6.7B", "Llama2-13B"):
        tot = {d: sum(float(r[d]) for r in RES
                      if r["model"] == model and r["figure"] in fig_parts)
               for d in (num, den)}
        vals.append(tot[den] / tot[num])
    return gmean(vals)


for (fig, label), v in geo.items():
    f = [(n, gmean([x[2][i][1] for x in v])) for i, (n, _) in enumerate(v[0][2])]
    paper = PAPER["speedup" if fig == "speed-up" else "energy"]
    add(fig, f"{label}, geomean OPT + LLaMA", paper if "INT8" not in label
        else None, gmean([x[0] for x in v]), gmean([x[1] for x in v]),
        "geomean of the two rows above", f)
for mix, base in (("MixPE-W4A8", "ANT"), ("MixPE-W4A16", "FP16")):
    for fig, parts, paper in (("speed-up", {"Time"}, PAPER["speedup"]),
                              ("energy ratio",
                               {"Static", "Dram", "Buffer", "Core"},
                               PAPER["energy"])):
        add(fig, f"{mix[6:]} vs {base}, artifact's 4 models (ViT, ViT-H, "
            "OPT, LLaMA)", paper, res_geomean(parts, mix, base), None,
            "mpsim runs no ViT")

# ---- iso-area (neither the paper nor the artifact) -------------------------
ISO = [("mixpe_w4a8_iso", "int8", "W4A8 vs INT8 at INT8 32x32 PE area, pack off"),
       ("mixpe_w4a8_iso_paper", "int8", "W4A8 vs INT8 at INT8 32x32 PE area, pack 2"),
       ("mixpe_w4a16_iso", "fp16", "W4A16 vs FP16 at FP16 32x28 PE area, pack off"),
       ("mixpe_w4a16_iso_paper", "fp16", "W4A16 vs FP16 at FP16 32x28 PE area, pack 4")]
for md, mb, label in ISO:
    side = mp(md, MODELS[0])["arch"]["rows"]
    for model in MODELS:
        add("speed-up, iso-area", f"{label} ({side}x{side}), {model}", None,
            None, mp_cycles(mb, model) / mp_cycles(md, model),
            "no published figure")
        add("energy ratio, iso-area", f"{label} ({side}x{side}), {model}",
            None, None, sum(mp_energy(mb, model).values()) /
            sum(mp_energy(md, model).values()), "no published figure")


# ---- print ------------------------------------------------------------------
def fmt(v):
    if v is None:
        return "-"
    return f"{v:.4g}" if v < 1e5 else f"{v:.0f}"


print("| figure | condition | paper | artifact | mpsim | ratio | cause |")
print("|---|---|---|---|---|---|---|")
gaps = []
for fig, cond, paper, art, mpv, cause, factors in rows:
    ref = art if art is not None else paper
    ratio = mpv / ref if (mpv is not None and ref) else None
    print(f"| {fig} | {cond} | {fmt(paper)} | {fmt(art)} | {fmt(mpv)} | "
          f"{fmt(ratio)} | {cause} |")
    if ratio is not None and not 0.85 <= ratio <= 1.15 and factors:
        gaps.append((fig, cond, ratio, factors))

print()
print("Factors of every ratio (mpsim / artifact) outside 0.85..1.15 "
      "(factors within 0.5 % of 1 left out; product = the listed ones):")
print()
print("| figure | condition | ratio | factors | product | product / ratio |")
print("|---|---|---|---|---|---|")
bad = 0
for fig, cond, ratio, factors in gaps:
    named = [(n, v) for n, v in factors if abs(v - 1) >= 0.005]
    prod = 1.0
    for _, v in named:
        prod *= v
    named = "; ".join(f"{n} {v:.3f}" for n, v in named)
    check = prod / ratio
    bad += not 0.95 <= check <= 1.05
    print(f"| {fig} | {cond} | {ratio:.4g} | {named} | {prod:.4g} | "
          f"{check:.4f} |")
sys.exit(1 if bad else 0)
