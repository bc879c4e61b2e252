/*
 * suggest.h - "unknown key" errors that say what was probably meant.
 *
 * Contract: mp_suggest() returns the entry of the NULL-terminated `known`
 * list closest to `word` (case-insensitive edit distance) when it is close
 * enough to be a typo, else NULL.  mp_fail_unknown() fills the diag with
 * "unknown key" plus that suggestion, or the list of known keys when none
 * is close, and returns -1.  Every strict reader reports unknown keys
 * through it (one policy for YAML, JSON and SCALE-Sim .cfg files).
 */
#ifndef MP_SUGGEST_H
#define MP_SUGGEST_H

#include "golden/diag.h"

const char *mp_suggest(const char *word, const char *const *known);
int mp_fail_unknown(mp_diag *d, const char *file, int line,
                    const char *field, const char *word,
                    const char *const *known);

#endif
