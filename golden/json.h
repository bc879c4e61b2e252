/*
 * json.h - the one JSON string escaping of mpsim.  Every JSON writer
 * (reports, cosim and synth results, the generated RTL's params.json)
 * writes its strings through it, so a name with a quote, a backslash or a
 * control character cannot break a file.
 *
 * Contract: strings are written byte for byte except '"' -> \", '\' -> \\
 * and bytes below 0x20 -> \u00XX (UTF-8 passes through).
 */
#ifndef MP_JSON_H
#define MP_JSON_H

#include <stdio.h>

/* The JSON text of byte c inside a string literal: c itself or its
 * escape, in buf (at least 8 bytes), which is returned. */
const char *mp_json_char(unsigned char c, char *buf);
/* s as a quoted, escaped JSON string literal. */
void mp_json_string(FILE *fp, const char *s);
/* s quoted and escaped, or null when s is NULL. */
void mp_json_string_or_null(FILE *fp, const char *s);

#endif
