/*
 * json.h - the one JSON writer of mpsim: escaping, numbers and nesting.
 * Every JSON output (the simulation report, cosim and synth results, the
 * generated RTL's params.json) is written through it, so a name with a
 * quote cannot break a file, a number is never "nan", and commas,
 * brackets and indentation are placed by one piece of code.
 *
 * Strings: written byte for byte except '"' -> \", '\' -> \\ and bytes
 * below 0x20 -> \u00XX (UTF-8 passes through); a NULL string is null.
 *
 * Numbers: integers in decimal; doubles with the precision the caller
 * names (MP_JSON_EXACT, %.17g, round-trips; the rounded forms are for
 * reports whose fields are published rounded), and null when not finite
 * (JSON has no inf or nan).
 *
 * Nesting: mp_json_object/mp_json_array open a container inside the
 * current one (key NULL inside arrays and at the top), mp_json_end closes
 * it; the writer puts the commas.  Layout, per container:
 *   MP_JSON_FLOW   on one line: {"a": 1, "b": 2}
 *   MP_JSON_LINES  one member per line, indented two spaces a level
 *   MP_JSON_ROWS   members on one line until mp_json_break() starts a new
 *                  one (for records grouped into rows)
 * A LINES or ROWS container closes on its own line; the top-level value
 * ends with a newline.  Nesting deeper than MP_JSON_DEPTH, a key inside an
 * array or a missing one inside an object are programming errors
 * (assert).
 */
#ifndef MP_JSON_H
#define MP_JSON_H

#include <stdint.h>
#include <stdio.h>

#define MP_JSON_DEPTH 8

typedef enum { MP_JSON_FLOW, MP_JSON_LINES, MP_JSON_ROWS } mp_json_layout;
typedef enum { MP_JSON_EXACT, MP_JSON_G6, MP_JSON_F3 } mp_json_prec;

typedef struct mp_json {
    FILE *fp;
    int depth;    /* open containers */
    int new_row;  /* mp_json_break() called: next member on a new line */
    struct {
        mp_json_layout layout;
        char close;  /* '}' or ']' */
        int members;
    } open[MP_JSON_DEPTH];
} mp_json;

void mp_json_init(mp_json *w, FILE *fp);
void mp_json_object(mp_json *w, const char *key, mp_json_layout layout);
void mp_json_array(mp_json *w, const char *key, mp_json_layout layout);
void mp_json_end(mp_json *w);
void mp_json_break(mp_json *w);

void mp_json_str(mp_json *w, const char *key, const char *s);
void mp_json_int(mp_json *w, const char *key, int64_t v);
void mp_json_num(mp_json *w, const char *key, double v, mp_json_prec prec);
void mp_json_bool(mp_json *w, const char *key, int v);
/* v < 0: null (not known), else false / true. */
void mp_json_tristate(mp_json *w, const char *key, int v);
void mp_json_null(mp_json *w, const char *key);

/* The JSON text of byte c inside a string literal: c itself or its
 * escape, in buf (at least 8 bytes), which is returned. */
const char *mp_json_char(unsigned char c, char *buf);
/* s as a quoted, escaped JSON string literal; or null when s is NULL. */
void mp_json_string(FILE *fp, const char *s);
void mp_json_string_or_null(FILE *fp, const char *s);

#endif
