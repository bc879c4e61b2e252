/*
 * decimal.h - the one number syntax every reader accepts, and the one
 * parser of it.
 *
 * Contract: mp_is_decimal(text, 0) is 1 when text is a decimal integer
 * ([+-]digits, no leading zero: "010" is neither octal 8 nor 10 but an
 * error, "0x10" too); mp_is_decimal(text, 1) is 1 for a decimal real
 * ([+-]digits[.digits][(e|E)[+-]digits], ".5" and "5." included; no hex
 * floats, inf or nan; no blanks).  mp_decimal_span gives the length of the
 * longest such prefix, for tokenizers that read a number out of a longer
 * text.
 *
 * The parsers convert a whole string of that syntax and check the caller's
 * range: 0 with *out set; MP_NUM_SYNTAX, *out untouched, when text is not
 * a decimal of the kind (or does not fit an int64_t / overflows or
 * underflows a double); MP_NUM_RANGE when it is one outside [lo, hi],
 * with *out set to it so the diagnostic can say what was given.
 * They print nothing: callers turn the code into their one-line diagnostic
 * naming file, line and field (golden/diag.h).
 */
#ifndef MP_DECIMAL_H
#define MP_DECIMAL_H

#include <stddef.h>
#include <stdint.h>

enum { MP_NUM_SYNTAX = -1, MP_NUM_RANGE = -2 };

int mp_is_decimal(const char *text, int real);
size_t mp_decimal_span(const char *text, int real);

int mp_parse_i64(const char *text, int64_t lo, int64_t hi, int64_t *out);
int mp_parse_int(const char *text, int lo, int hi, int *out);
int mp_parse_real(const char *text, double lo, double hi, double *out);

/* The decimal at the start of *p (mp_decimal_span), converted and checked
 * as above; *p moves past it unless MP_NUM_SYNTAX. */
int mp_scan_i64(const char **p, int64_t lo, int64_t hi, int64_t *out);
int mp_scan_real(const char **p, double lo, double hi, double *out);

/* text is 1..16 hexadecimal digits (no sign, no 0x, no blanks) whose value
 * is at most hi: the same codes. */
int mp_parse_hex(const char *text, uint64_t hi, uint64_t *out);

#endif
