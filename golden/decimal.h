/*
 * decimal.h - the one number syntax every reader accepts.
 *
 * Contract: mp_is_decimal(text, 0) is 1 when text is a decimal integer
 * ([+-]digits, no leading zero: "010" is neither octal 8 nor 10 but an
 * error, "0x10" too); mp_is_decimal(text, 1) is 1 for a decimal real
 * ([+-]digits[.digits][(e|E)[+-]digits], ".5" and "5." included; no hex
 * floats, inf or nan).  Readers check the syntax here, then convert with
 * strtoll/strtod and check the range of the field.
 */
#ifndef MP_DECIMAL_H
#define MP_DECIMAL_H

int mp_is_decimal(const char *text, int real);

#endif
