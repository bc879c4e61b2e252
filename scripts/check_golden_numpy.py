#!/usr/bin/python3
"""check_golden_numpy.py - cross-check `mpsim golden` against NumPy.

Generates random quantized GEMMs (several shapes, weight bit widths, group
sizes including per-channel, signed/unsigned/ternary codes, with and without
zero points, INT8 activations with a per-token scale, FP16, BF16 and
FP8 E4M3/E5M2 activations, the FP8 bytes decoded here independently), runs `$MPSIM golden` on them and compares with a NumPy
computation that shares no code with mpsim:

  * integer outputs (no scales) exactly, with int64 arithmetic;
  * float outputs elementwise within the rounding bound derived in
    docs/numerics.md, GEMM arithmetic ("Error bounds"):
        |y - a*sum_g s_g r_g| <= gamma_c * |a| * sum_g |s_g| M_g + tiny
    with c the number of roundings on the longest path of a term,
    gamma_c = c*u/(1 - c*u), u = 2^-24 (FP32), M_g = |r_g| for exact group
    sums, and M_g = sum |q x| + |z| sum |x| for FP32 group sums;
  * float activation inputs given as raw bits (uint16/uint8), as float16
    and as float32 values produce byte-identical outputs;
  * the bit-serial order equals K-ascending bit for bit for INT8.

Usage: MPSIM=build/mpsim /usr/bin/python3 scripts/check_golden_numpy.py
Prints one "ok NAME" / "not ok NAME" line per case; exits 1 on a failure.
"""
import math
import os
import subprocess
import sys
import tempfile

import numpy as np

MPSIM = os.environ.get("MPSIM", "build/mpsim")
U32 = 2.0 ** -24          # unit roundoff of FP32
TINY = 2.0 ** -140        # covers FP32 subnormal absolute errors
failures = 0


def report(name, good, detail=""):
    global failures
    if good:
        print("ok %s" % name)
    else:
        failures += 1
        print("not ok %s %s" % (name, detail))


def gamma(c, u=U32):
    return c * u / (1.0 - c * u)


def code_range(kind, bits):
    if kind == "ternary":
        return -1, 1
    if kind == "signed":
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


def run_golden(tmp, arrays, args):
    """Save arrays as .npy, run mpsim golden, return (rc, Y or None, out)."""
    paths = {}
    for name, arr in arrays.items():
        path = os.path.join(tmp, name + ".npy")
        np.save(path, arr)
        paths[name] = path
    out = os.path.join(tmp, "y.npy")
    if os.path.exists(out):
        os.remove(out)
    cmd = [MPSIM, "golden", "--x", paths["x"], "--w", paths["w"], "-o", out]
    for opt in ("scales", "zeros", "act_scale"):
        if opt in paths:
            cmd += ["--" + opt.replace("_", "-"), paths[opt]]
    cmd += args
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        return proc.returncode, None, proc.stderr.strip()
    return 0, np.load(out), proc.stdout


def random_case(rng, m, k, n, group, kind, bits, act, with_zeros,
                with_scales, with_act_scale):
    lo, hi = code_range(kind, bits)
    q = rng.integers(lo, hi + 1, size=(k, n))
    w = q.astype(np.uint8 if kind == "unsigned" else np.int8)
    groups = k // group
    arrays = {"w": w}
    z = np.zeros((groups, n), dtype=np.int64)
    if with_zeros:
        z = rng.integers(lo, hi + 1, size=(groups, n))
        arrays["zeros"] = z.astype(np.int32)
    s = None
    if with_scales:
        s = (rng.random((groups, n)) * 0.02 + 0.001).astype(np.float32)
        arrays["scales"] = s
    a = None
    if with_act_scale:
        a = (rng.random(m) * 0.05 + 0.001).astype(np.float32)
        arrays["act_scale"] = a
    if act == "int8":
        xv = rng.integers(-128, 128, size=(m, k))
        arrays["x"] = xv.astype(np.int8)
    elif act == "int16":
        xv = rng.integers(-32768, 32768, size=(m, k))
        arrays["x"] = xv.astype(np.int16)
    elif act == "fp16":
        xh = (rng.standard_normal((m, k)) * 2.0).astype(np.float16)
        xh[0, 0] = np.float16(6.0e-8)  # a subnormal
        arrays["x"] = xh.view(np.uint16)
        xv = xh.astype(np.float64)
    elif act == "bf16":
        f = (rng.standard_normal((m, k)) * 3.0).astype(np.float32)
        bits16 = (f.view(np.uint32) >> 16).astype(np.uint16)  # truncation
        arrays["x"] = bits16
        xv = (bits16.astype(np.uint32) << 16).view(np.float32).astype(
            np.float64)
    elif act in ("fp8e4m3", "fp8e5m2"):
        # raw bytes, decoded here from the OCP FP8 layout (not by mpsim)
        ebits, mbits, bias = (4, 3, 7) if act == "fp8e4m3" else (5, 2, 15)
        raw = rng.integers(0, 256, size=(m, k)).astype(np.uint8)
        e = (raw.astype(np.int64) >> mbits) & ((1 << ebits) - 1)
        mant = raw.astype(np.int64) & ((1 << mbits) - 1)
        if act == "fp8e4m3":   # only S.1111.111 is NaN
            bad = (e == 15) & (mant == 7)
        else:                  # IEEE-style: exponent 31 is Inf/NaN
            bad = e == 31
        raw[bad] = 0x38        # replace by 1.0 (E4M3) / 0.5 (E5M2)
        e = (raw.astype(np.int64) >> mbits) & ((1 << ebits) - 1)
        mant = raw.astype(np.int64) & ((1 << mbits) - 1)
        sign = np.where(raw >= 128, -1.0, 1.0)
        mag = np.where(e == 0, mant * 2.0 ** (1 - bias - mbits),
                       ((1 << mbits) + mant) * 2.0 ** (e - bias - mbits))
        arrays["x"] = raw
        xv = sign * mag
    else:
        raise ValueError(act)
    args = ["--group", str(group), "--act", act]
    if kind == "ternary":
        args.append("--ternary")
    else:
        args += ["--wbits", str(bits)]
    return arrays, args, q, z, s, a, xv


def group_terms(q, z, xv, group):
    """Exact per-group r[m][g][n] = sum_k (q - z) x, and the magnitudes
    sum |q x| + |z| sum |x| (float64; exact sums for integer x)."""
    m, k = xv.shape
    n = q.shape[1]
    groups = k // group
    r = np.zeros((m, groups, n))
    mag = np.zeros((m, groups, n))
    # Integer activations: exact int64 sums.  Float activations: math.fsum
    # of the exact float64 products (q - z) * x, correctly rounded once.
    xi = xv.astype(np.int64) if np.all(xv == np.round(xv)) else None
    for g in range(groups):
        ks = slice(g * group, (g + 1) * group)
        if xi is not None:
            r[:, g, :] = (xi[:, ks] @ q[ks, :]
                          - xi[:, ks].sum(axis=1)[:, None] * z[g][None, :])
        else:
            for mi in range(m):
                for ni in range(n):
                    r[mi, g, ni] = math.fsum(
                        float((q[kk, ni] - z[g, ni]) * xv[mi, kk])
                        for kk in range(g * group, (g + 1) * group))
        mag[:, g, :] = (np.abs(xv[:, ks]) @ np.abs(q[ks, :])
                        + np.abs(xv[:, ks]).sum(axis=1)[:, None]
                        * np.abs(z[g])[None, :])
    return r, mag


def check_float(name, y, q, z, s, a, xv, group, exact_groups):
    r, mag = group_terms(q, z, xv, group)
    groups = r.shape[1]
    terms = r * s[None, :, :].astype(np.float64)
    ref = terms.sum(axis=1)
    av = np.ones(xv.shape[0]) if a is None else a.astype(np.float64)
    ref = ref * av[:, None]
    if exact_groups:
        mass = np.abs(terms).sum(axis=1)
        rounds = groups + 1
    else:
        mass = (mag * np.abs(s)[None, :, :]).sum(axis=1)
        rounds = group + groups + 2
    bound = (gamma(rounds) * np.abs(av)[:, None] * mass
             + gamma(groups + 2, 2.0 ** -53) * np.abs(av)[:, None] * mass
             + TINY * (rounds + 1))
    err = np.abs(y.astype(np.float64) - ref)
    worst = np.max(err - bound)
    report(name, y.dtype == np.float32 and worst <= 0,
           "err %g exceeds bound by %g" % (np.max(err), worst))


def main():
    rng = np.random.default_rng(20261122)
    tmp = tempfile.mkdtemp(prefix="golden-np-")
    # (m, k, n, group, kind, bits, act, zeros, scales, act_scale)
    cases = [
        (3, 64, 5, 16, "signed", 4, "int8", False, False, False),
        (2, 48, 7, 48, "unsigned", 3, "int8", True, False, False),
        (4, 32, 3, 8, "ternary", 2, "int16", False, False, False),
        (1, 128, 9, 128, "signed", 8, "int8", False, False, False),
        (2, 40, 4, 5, "unsigned", 1, "int16", True, False, False),
        (5, 128, 6, 32, "signed", 4, "int8", False, True, True),
        (3, 256, 8, 128, "unsigned", 4, "int8", True, True, True),
        (2, 96, 5, 96, "signed", 2, "int8", False, True, True),
        (4, 64, 4, 16, "unsigned", 8, "int16", True, True, False),
        (3, 128, 5, 32, "unsigned", 4, "fp16", True, True, False),
        (2, 64, 6, 64, "signed", 3, "fp16", False, True, False),
        (2, 48, 3, 12, "ternary", 2, "fp16", False, True, True),
        (3, 64, 4, 16, "unsigned", 4, "bf16", True, True, False),
        (2, 32, 5, 32, "signed", 6, "bf16", False, True, False),
        (3, 64, 4, 16, "unsigned", 4, "fp8e4m3", True, True, True),
        (2, 64, 3, 64, "signed", 4, "fp8e5m2", False, True, False),
    ]
    for i, (m, k, n, group, kind, bits, act, zeros, scales, act_scale) in \
            enumerate(cases):
        name = "case%d_%s_%s%d_G%d%s%s%s" % (
            i, act, kind, bits, group, "_z" if zeros else "",
            "_s" if scales else "", "_a" if act_scale else "")
        arrays, args, q, z, s, a, xv = random_case(
            rng, m, k, n, group, kind, bits, act, zeros, scales, act_scale)
        rc, y, out = run_golden(tmp, arrays, args)
        if rc != 0:
            report(name, False, "mpsim failed: " + out)
            continue
        if not scales:
            ref = np.zeros((m, n), dtype=np.int64)
            xi = xv.astype(np.int64)
            for g in range(k // group):
                ks = slice(g * group, (g + 1) * group)
                ref += (xi[:, ks] @ q[ks, :]
                        - xi[:, ks].sum(axis=1)[:, None] * z[g][None, :])
            report(name, y.dtype == np.int32 and np.array_equal(y, ref),
                   "integer mismatch")
            continue
        check_float(name, y, q, z, s, a, xv, group,
                    exact_groups=act != "bf16")
        if act == "int8":
            rc2, y2, out2 = run_golden(tmp, arrays, args + [
                "--config", write_config(tmp, "order: bit-serial\n"
                                              "table_fmt: int16\n"
                                              "acc_bits: 64\n")])
            report(name + "_bit_serial_equal",
                   rc2 == 0 and y2 is not None and
                   y2.tobytes() == y.tobytes(), out2 if rc2 else "")
        if act == "fp16":
            xh = arrays["x"].view(np.float16)
            for label, alt in (("float16", xh), ("float32",
                                                 xh.astype(np.float32))):
                arrays2 = dict(arrays)
                arrays2["x"] = alt
                rc2, y2, out2 = run_golden(tmp, arrays2, args)
                report(name + "_as_" + label,
                       rc2 == 0 and y2.tobytes() == y.tobytes(),
                       out2 if rc2 else "outputs differ")
            # dequantize-first FP16 MAC: y ~ sum w16 x, w16 = fp16(s (q-z))
            rc2, y2, out2 = run_golden(tmp, arrays, args + [
                "--config", write_config(tmp, "dequant: per-weight\n"
                                              "weight_fmt: fp16\n")])
            gk = np.arange(k) // group
            w16 = (s[gk, :].astype(np.float64) *
                   (q - z[gk, :])).astype(np.float16).astype(np.float64)
            av = np.ones(m) if a is None else a.astype(np.float64)
            ref = (xv @ w16) * av[:, None]
            mass = (np.abs(xv) @ np.abs(w16)) * np.abs(av)[:, None]
            bound = (gamma(k + 1) + gamma(k + 1, 2.0 ** -53)) * mass + \
                TINY * (k + 1)
            report(name + "_per_weight",
                   rc2 == 0 and np.all(np.abs(y2 - ref) <= bound),
                   out2 if rc2 else "per-weight outside bound")
    # Determinism: the same inputs twice give identical bytes.
    arrays, args, *_ = random_case(rng, 4, 64, 8, 16, "unsigned", 4, "fp16",
                                   True, True, True)
    _, y1, _ = run_golden(tmp, arrays, args)
    _, y2, _ = run_golden(tmp, arrays, args)
    report("deterministic", y1 is not None and y1.tobytes() == y2.tobytes())
    return 1 if failures else 0


def write_config(tmp, text):
    path = os.path.join(tmp, "arith.yaml")
    with open(path, "w") as f:
        f.write(text)
    return path


if __name__ == "__main__":
    sys.exit(main())
