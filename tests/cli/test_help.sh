#!/usr/bin/env bash
# --help and the options a command accepts cannot drift apart (both come
# from one option table per group, golden/options.h; these checks hold the
# tables and the hand-written parts of the help texts to it).  For each
# command `mpsim help` lists:
#   - every option its --help lists (long "--NAME" and short "-X") is
#     accepted: `mpsim CMD --NAME 1 --help` does not answer "unknown option"
#     (getopt reads left to right, so an unknown --NAME is refused before
#     --help is seen; a known one either takes "1" or refuses the value,
#     naming the option);
#   - no option is listed twice;
#   - every option another command lists is refused unless this command
#     lists it too (accepted means advertised; abbreviations are refused);
#   - every option its usage synopsis names is one it lists.
# Commands and options come from the binary's own help texts; none is
# named here.
. "$(dirname "$0")/lib.sh"

commands=$("$MPSIM_FAST" help | awk '/^commands:/ {on = 1; next} on && NF {print $1}')
[ -n "$commands" ] && ok "help lists commands" || not_ok "help lists commands"

# listed CMD: the option lines of CMD's --help ("  --NAME", "  -X, --NAME",
# "  -X ARG"): one "--NAME" or "-X" a line, in order, duplicates kept
listed() {
    "$MPSIM_FAST" "$1" --help |
        grep -oE '^  (-[A-Za-z0-9](, --[a-z][a-z0-9-]*)?|--[a-z][a-z0-9-]*)' |
        sed 's/^  //; s/, / /' | tr ' ' '\n'
}
# refused CMD OPT: 0 when CMD answers "unknown option" to OPT
refused() {
    "$MPSIM_FAST" "$1" "$2" 1 --help 2>&1 >/dev/null | grep -q 'unknown option'
}

all=$(for cmd in $commands; do listed "$cmd"; done | grep '^--' | sort -u)
for cmd in $commands; do
    opts=$(listed "$cmd")
    bad=()
    for opt in $opts; do refused "$cmd" "$opt" && bad+=("$opt"); done
    if [ ${#bad[@]} -eq 0 ]; then ok "help $cmd: all $(echo $opts | wc -w) listed options accepted"
    else not_ok "help $cmd: listed but refused: ${bad[*]}"; fi

    dup=$(printf '%s\n' $opts | sort | uniq -d | tr '\n' ' ')
    [ -z "$dup" ] && ok "help $cmd: no option listed twice" \
        || not_ok "help $cmd: listed twice: $dup"

    hidden=()
    for opt in $all; do
        printf '%s\n' $opts | grep -qxF -- "$opt" && continue
        refused "$cmd" "$opt" || hidden+=("$opt")
    done
    if [ ${#hidden[@]} -eq 0 ]; then ok "help $cmd: accepts nothing it does not list"
    else not_ok "help $cmd: accepted but not listed: ${hidden[*]}"; fi

    # the synopsis: from "usage:" to the first empty line
    syn=$("$MPSIM_FAST" "$cmd" --help | sed -n '/^usage:/,/^$/p' |
          grep -oE -- '(^|[^a-z-])--?[a-zA-Z][a-z0-9-]*' | grep -oE -- '--?[a-zA-Z][a-z0-9-]*' | sort -u)
    missing=()
    for opt in $syn; do
        printf '%s\n' $opts | grep -qxF -- "$opt" || missing+=("$opt")
    done
    if [ ${#missing[@]} -eq 0 ]; then ok "help $cmd: the synopsis names only listed options"
    else not_ok "help $cmd: in the synopsis but not listed: ${missing[*]}"; fi
done
