/*
 * options.h - one description per command-line option group: the table
 * that drives both the option parser (sim/cli/cli_util.h builds
 * getopt_long's tables from it) and the option lines of --help, so an
 * option cannot be accepted without being advertised, or advertised
 * without being accepted.  Plain data: the layer that owns a group (the
 * trace options live in workloads/) needs no getopt to describe it.
 *
 * A table is an array of mp_option ended by an entry with no name and key
 * 0.  Help lines read
 *     "  -k, --name ARG    help"     (-k only when key is a letter/digit)
 * with the help starting at column `col` (or on the next line when the
 * flags are wider) and each "\n" in it starting a continuation line
 * indented to `col`.
 */
#ifndef MP_OPTIONS_H
#define MP_OPTIONS_H

#include <stdio.h>

typedef struct mp_option {
    const char *name; /* long name without "--"; NULL: only -key */
    int key;          /* the short option letter, or a code >= 256 */
    const char *arg;  /* value placeholder ("N", "FILE"); NULL: no value */
    const char *help; /* "\n" starts a continuation line */
} mp_option;

/* 1 when key is also a short option (-key). */
int mp_option_is_short(int key);
/* The help lines of a table. */
void mp_options_help(FILE *out, const mp_option *opts, int col);

#endif
