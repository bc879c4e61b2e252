#!/usr/bin/env bash
# doc_rows.sh FILE: print the table rows of FILE ("| ..." lines but the
# "|---" separators) that are not lines of docs/validation.md, one a line,
# and exit 1 if there is any: a script whose table the docs show checks
# with it that they show this run's figures, not an older run's
# (make reproduce, make validate).
set -u -o pipefail
DOC="$(cd "$(dirname "$0")/.." && pwd)/docs/validation.md"
[ -r "$1" ] || { echo "mpsim: doc_rows: $1: cannot read" >&2; exit 2; }
! grep '^| ' "$1" | grep -v '^|-' | grep -vxF -f <(grep '^| ' "$DOC")
