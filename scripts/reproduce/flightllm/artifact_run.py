#!/usr/bin/env python3
"""Regenerate artifact.tsv from a checkout of the FlightLLM artifact.

Not run by run.sh (the artifact is not part of this repository).  Usage:
    git --git-dir=MIRROR archive 4a96251 profile | tar -x -C /tmp/fl
    /usr/bin/python3 artifact_run.py /tmp/fl/profile > artifact.tsv
It imports the artifact's own instruction generator and profiler (profile/
inst_gen) and calls them as its run.py's FPGA half does, for LLaMA-2-7B
decode at 128 and 512 tokens, once as shipped (Versal VHK158) and once with
its config re-pointed at the Alveo U280 (SLR_NUM 3, HBM 460e9 B/s), each
with the artifact's correction_factor 3.2 and with 1.  HBM bytes are summed
from the instruction stream: loads as 1d_length x loops / bandwidth_ratio
(the profiler's own time_LD divides by that ratio), zero-fill loads (no HBM
access) left out; stores as 1d_length x 1d_loop.
"""
import csv
import os
import sys

import yaml

COMMIT = "4a96251"
CONFIGS = [("vhk158", {}, ""),
           ("u280", {"SLR_NUM": 3, "HBM_BW_GB_PER_SEC": 460e9 / 2**30},
            " with SLR_NUM 3 and HBM_BW_GB_PER_SEC 428.408 (= 460e9 B/s / 2^30)")]
PARTS = ("LD", "ST", "MV", "MISC", "SYS")


def hbm_bytes(insts):
    ld = st = 0.0
    for layer in insts:
        for i in layer:
            p = i["PARAM"]
            if i["TYPE"] == "LD" and not p["zero_fill"]:
                ld += (p["1d_length"] * p["1d_loop"] * p["2d_loop"] *
                       p["3d_loop"] / i["NOTE"]["bandwidth_ratio"])
            elif i["TYPE"] == "ST":
                st += p["1d_length"] * p["1d_loop"]
    return ld, st


def main(profile_dir):
    sys.path.insert(0, profile_dir)
    os.chdir(profile_dir)
    from utils import config_generator
    from inst_gen import inst_generator, inst_profiler
    base = yaml.safe_load(open("config.yaml"))
    out = csv.writer(sys.stdout, delimiter="\t", lineterminator="\n")
    print("# FlightLLM artifact figures, measured by running its FPGA profiler "
          "(plain python3, numpy, yaml)\n# on this machine; artifact_run.py in "
          "this folder regenerates this file from a checkout.")
    out.writerow(["key", "value", "unit", "source"])
    os.makedirs(os.path.join(".compiler_output", "profiler_output"),
                exist_ok=True)
    for cname, over, note in CONFIGS:
        conf = dict(base)
        conf.update(over)
        path = "/tmp/flightllm_config_%s.yaml" % cname
        yaml.safe_dump(conf, open(path, "w"))
        cfg = config_generator.CFG(path)
        for kv in (128, 512):
            name = "llama2_decode_token_%d" % kv
            ir = os.path.join(cfg.OUTPUT_DIR, "ir_output", name + ".yaml")
            insts = inst_generator.InstGenerator(cfg, ir).run()
            for corr in (1.0, 3.2):
                case = "%s_%s_%g" % (name, cname, corr)
                prof = inst_profiler.InstProfiler(cfg, insts, case)
                prof.correction_factor = corr
                prof.run()
                rows = {r["inst_type"]: r for r in csv.DictReader(open(
                    os.path.join(cfg.OUTPUT_DIR, "profiler_output",
                                 case + ".csv")))}
                src = ("FlightLLM/flightllm_test_demo %s profile/inst_gen/"
                       "inst_profiler.py (InstProfiler.run on inst_gen/"
                       "inst_generator.py's stream for .compiler_output/"
                       "ir_output/%s.yaml; profile/config.yaml%s; "
                       "correction_factor %g)" % (COMMIT, name, note, corr))
                tag = "%s.kv%d.corr%g" % (cname, kv, corr)
                out.writerow([tag + ".total_ms",
                              "%.6g" % float(rows["TOTAL"]["part_time"]),
                              "ms/token", src + ": TOTAL row of its CSV"])
                if corr != 1.0:
                    continue
                for part in PARTS:
                    out.writerow(["%s.%s_ms" % (tag, part.lower()),
                                  "%.6g" % float(rows[part]["part_time"]),
                                  "ms", src + ": %s row (sum of %s "
                                  "instruction times)" % (part, part)])
                    out.writerow(["%s.kv%d.%s_count" % (cname, kv,
                                                        part.lower()),
                                  rows[part]["inst_cnt"], "instructions",
                                  src + ": %s row" % part])
                ld, st = hbm_bytes(insts)
                out.writerow(["%s.kv%d.hbm_load_bytes" % (cname, kv),
                              "%.6g" % ld, "B", src + ": sum over LD "
                              "instructions of 1d_length x 1d_loop x 2d_loop "
                              "x 3d_loop / NOTE.bandwidth_ratio, zero_fill "
                              "loads excluded"])
                out.writerow(["%s.kv%d.hbm_store_bytes" % (cname, kv),
                              "%.6g" % st, "B", src + ": sum over ST "
                              "instructions of 1d_length x 1d_loop"])
    fixed = [
        ("config.hbm_bytes_per_s.vhk158", "%.6g" % (819.2 * 2**30), "B/s",
         "profile/config.yaml HBM_BW_GB_PER_SEC 819.2; utils/"
         "config_generator.py multiplies by 1024^3"),
        ("config.hbm_efficiency", "0.7", "ratio",
         "profile/config.yaml HBM_BW_SAME_CHANNEL_EFFICIENCY"),
        ("config.hbm_channels", "32", "count",
         "profile/config.yaml HBM_CHANNEL_NUM"),
        ("config.a_buffer_channels", "8", "count",
         "profile/config.yaml A_BUFFER_HBM_CHANNEL_NUM (weight loads of "
         "IR_linear_mv.py use LD_parallel_channel_num = it)"),
        ("config.correction_factor", "3.2", "ratio",
         "profile/inst_gen/inst_profiler.py self.correction_factor"),
        ("config.mv_macs_per_cycle", "1024", "MAC/cycle",
         "profile/config.yaml MV_PARALLEL_N 64 x MV_PARALLEL_K 16 x "
         "MV_PARALLEL_M 1 (time_MV divides by it; SLR_NUM is not used in "
         "any time)"),
    ]
    for key, val, unit, src in fixed:
        out.writerow([key, val, unit,
                      "FlightLLM/flightllm_test_demo %s %s" % (COMMIT, src)])


if __name__ == "__main__":
    main(os.path.abspath(sys.argv[1]))
