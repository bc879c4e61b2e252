#!/usr/bin/env bash
# Iso-area (ASIC) and iso-DSP (FPGA) comparison of every PE family against the
# INT8 MAC and FP16 MAC baselines (iso_area.py says how).  Usage: run.sh BUILD
set -eu
exec python3 "$(dirname "$0")/iso_area.py" "${1:-build}"
