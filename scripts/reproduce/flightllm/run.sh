#!/usr/bin/env bash
# FlightLLM (FPGA'24) against mpsim: the paper's U280 figures, the public
# artifact's VHK158 figures (artifact.tsv) and mpsim's, one table
# (flightllm.py says how).  Usage: run.sh BUILD
set -eu
exec python3 "$(dirname "$0")/flightllm.py" "${1:-build}"
