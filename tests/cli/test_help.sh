#!/usr/bin/env bash
# Every option a command's --help advertises is one the command accepts:
# for each command `mpsim help` lists and each --NAME its --help prints,
# `mpsim CMD --NAME 1 --help` must not answer "unknown option" (getopt reads
# left to right, so an unknown --NAME is refused before --help is seen; a
# known one either takes "1" or refuses the value, naming the option).
# Commands and options come from the binary's own help texts; none is
# named here.
. "$(dirname "$0")/lib.sh"

commands=$("$MPSIM_FAST" help | awk '/^commands:/ {on = 1; next} on && NF {print $1}')
[ -n "$commands" ] && ok "help lists commands" || not_ok "help lists commands"
for cmd in $commands; do
    # the options a help text lists: lines starting "  --NAME" or "  -X, --NAME"
    opts=$("$MPSIM_FAST" "$cmd" --help \
           | grep -oE '^ +(-[A-Za-z0-9], )?--[a-z][a-z0-9-]*' \
           | sed 's/.*--//' | sort -u)
    bad=()
    for opt in $opts; do
        "$MPSIM_FAST" "$cmd" "--$opt" 1 --help 2>&1 >/dev/null \
            | grep -q 'unknown option' && bad+=("--$opt")
    done
    if [ ${#bad[@]} -eq 0 ]; then ok "help $cmd: all $(echo $opts | wc -w) advertised options accepted"
    else not_ok "help $cmd: advertised but refused: ${bad[*]}"; fi
done
