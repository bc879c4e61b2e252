/*
 * strutil.h - the small text helpers every layer shares.  golden/ is the
 * bottom layer, so workloads/, pe_models/, rtl_gen/ and sim/ may all use
 * them; each exists here once instead of a static copy per file.
 *
 * Contract: no allocation, no printing; callers turn a -1 into their own
 * diagnostic (naming their file, line and field).
 */
#ifndef MP_STRUTIL_H
#define MP_STRUTIL_H

/* text is a whole base-10 long (strtol: leading blanks and a sign taken,
 * nothing after the digits) in [lo, hi]: *out = it, 0; else -1 (out
 * untouched). */
int mp_parse_int(const char *text, int lo, int hi, int *out);

/* 1 if s ends with suffix: exactly / ignoring ASCII case. */
int mp_ends_with(const char *s, const char *suffix);
int mp_ends_with_nocase(const char *s, const char *suffix);

#endif
