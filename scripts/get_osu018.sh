#!/usr/bin/env bash
# Fetch the OSU 0.18 um standard-cell liberty file used by `mpsim synth
# --target asic`, without installing qflow and its dependencies:
#     apt-get download qflow-tech-osu018 && dpkg -x  into DEST (default build/)
# Prints the path of osu018_stdcells.lib on stdout.  Order:
#   1. the system copy (/usr/share/qflow/tech/osu018/, package installed);
#   2. a copy already extracted under DEST;
#   3. download (needs network and apt metadata; `apt-get update` if root).
# Otherwise says what to run and exits 1.
set -u
DEST=${1:-build}
REL=usr/share/qflow/tech/osu018/osu018_stdcells.lib
SYS=/$REL
if [ -f "$SYS" ]; then echo "$SYS"; exit 0; fi
LOCAL="$DEST/osu018/$REL"
if [ -f "$LOCAL" ]; then echo "$LOCAL"; exit 0; fi
command -v apt-get >/dev/null && command -v dpkg >/dev/null || {
    echo "mpsim: get_osu018: needs apt-get and dpkg (Debian); or install qflow-tech-osu018" >&2
    exit 1
}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if ! (cd "$work" && apt-get download qflow-tech-osu018 >/dev/null 2>&1); then
    if [ "$(id -u)" -eq 0 ]; then
        apt-get update -qq >/dev/null 2>&1
        (cd "$work" && apt-get download qflow-tech-osu018 >/dev/null 2>&1)
    fi
fi
deb=$(ls "$work"/qflow-tech-osu018_*.deb 2>/dev/null | head -1)
if [ -z "$deb" ]; then
    echo "mpsim: get_osu018: could not download qflow-tech-osu018; run 'sudo apt-get update' and retry, or 'sudo apt-get install qflow-tech-osu018'" >&2
    exit 1
fi
mkdir -p "$DEST/osu018"
dpkg -x "$deb" "$DEST/osu018" || { echo "mpsim: get_osu018: dpkg -x failed" >&2; exit 1; }
[ -f "$LOCAL" ] || { echo "mpsim: get_osu018: $REL not in the package" >&2; exit 1; }
echo "$LOCAL"
