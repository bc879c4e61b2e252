/*
 * strutil.h - the small text helpers every layer shares.  golden/ is the
 * bottom layer, so workloads/, pe_models/, rtl_gen/ and sim/ may all use
 * them; each exists here once instead of a static copy per file.
 *
 * Contract: no allocation, no printing.  Numbers are parsed by
 * golden/decimal.h.
 */
#ifndef MP_STRUTIL_H
#define MP_STRUTIL_H

/* 1 if s ends with suffix: exactly / ignoring ASCII case. */
int mp_ends_with(const char *s, const char *suffix);
int mp_ends_with_nocase(const char *s, const char *suffix);

#endif
