#!/usr/bin/env bash
# Install the Debian packages mpsim uses, if any are missing.
# As root: apt-get install them.  Otherwise: say exactly what to run, exit 1.
#   scripts/deps.sh        what make, make test, make validate need
#   scripts/deps.sh fuzz   that plus what only `make fuzz` needs (clang and
#                          its libFuzzer/sanitizer runtimes)
set -u
PKGS=(verilator libsystemc-dev libyaml-dev libcmocka-dev yosys gnuplot-nox opensta iverilog
      parallel pkg-config g++ make python3-numpy python3-yaml time)
FUZZ_PKGS=(clang-14 libclang-rt-14-dev)
[ "${1:-}" = fuzz ] && PKGS+=("${FUZZ_PKGS[@]}")
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
        || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
    echo "mpsim: installing missing packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq || { echo "mpsim: apt-get update failed" >&2; exit 1; }
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
        || { echo "mpsim: apt-get install ${missing[*]} failed" >&2; exit 1; }
    exit 0
fi
echo "mpsim: missing Debian packages: ${missing[*]}" >&2
echo "mpsim: install them with: sudo apt-get install -y ${missing[*]}" >&2
exit 1
