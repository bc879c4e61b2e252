/* json.c - see json.h. */
#include "golden/json.h"

#include <assert.h>
#include <inttypes.h>
#include <math.h>

const char *mp_json_char(unsigned char c, char *buf)
{
    if (c == '"' || c == '\\')
        snprintf(buf, 8, "\\%c", c);
    else if (c < 0x20)
        snprintf(buf, 8, "\\u%04x", c);
    else
        snprintf(buf, 8, "%c", c);
    return buf;
}

void mp_json_string(FILE *fp, const char *s)
{
    char buf[8];
    fputc('"', fp);
    for (; *s; s++)
        fputs(mp_json_char((unsigned char)*s, buf), fp);
    fputc('"', fp);
}

void mp_json_string_or_null(FILE *fp, const char *s)
{
    if (s)
        mp_json_string(fp, s);
    else
        fputs("null", fp);
}

/* ---- the writer ------------------------------------------------------- */

void mp_json_init(mp_json *w, FILE *fp)
{
    w->fp = fp;
    w->depth = 0;
    w->new_row = 0;
}

static void newline(mp_json *w, int depth)
{
    fputc('\n', w->fp);
    for (int i = 0; i < depth; i++)
        fputs("  ", w->fp);
}

/* The separator before a member of the current container, and its key. */
static void member(mp_json *w, const char *key)
{
    if (w->depth == 0) {
        assert(!key);
        return;
    }
    int at = w->depth - 1;
    assert(!key == (w->open[at].close == ']'));
    int first = w->open[at].members++ == 0;
    if (!first)
        fputc(',', w->fp);
    mp_json_layout layout = w->open[at].layout;
    if (layout == MP_JSON_LINES || (layout == MP_JSON_ROWS &&
                                    (first || w->new_row)))
        newline(w, w->depth);
    else if (!first)
        fputc(' ', w->fp);
    w->new_row = 0;
    if (key) {
        mp_json_string(w->fp, key);
        fputs(": ", w->fp);
    }
}

static void open_container(mp_json *w, const char *key,
                           mp_json_layout layout, char open, char close)
{
    member(w, key);
    assert(w->depth < MP_JSON_DEPTH);
    fputc(open, w->fp);
    w->open[w->depth].layout = layout;
    w->open[w->depth].close = close;
    w->open[w->depth].members = 0;
    w->depth++;
}

void mp_json_object(mp_json *w, const char *key, mp_json_layout layout)
{
    open_container(w, key, layout, '{', '}');
}

void mp_json_array(mp_json *w, const char *key, mp_json_layout layout)
{
    open_container(w, key, layout, '[', ']');
}

void mp_json_end(mp_json *w)
{
    assert(w->depth > 0);
    w->depth--;
    if (w->open[w->depth].layout != MP_JSON_FLOW)
        newline(w, w->depth);
    fputc(w->open[w->depth].close, w->fp);
    w->new_row = 0;
    if (w->depth == 0)
        fputc('\n', w->fp);
}

void mp_json_break(mp_json *w)
{
    w->new_row = 1;
}

void mp_json_str(mp_json *w, const char *key, const char *s)
{
    member(w, key);
    mp_json_string_or_null(w->fp, s);
}

void mp_json_int(mp_json *w, const char *key, int64_t v)
{
    member(w, key);
    fprintf(w->fp, "%" PRId64, v);
}

void mp_json_num(mp_json *w, const char *key, double v, mp_json_prec prec)
{
    member(w, key);
    if (!isfinite(v))
        fputs("null", w->fp);
    else if (prec == MP_JSON_G6)
        fprintf(w->fp, "%.6g", v);
    else if (prec == MP_JSON_F3)
        fprintf(w->fp, "%.3f", v);
    else
        fprintf(w->fp, "%.17g", v);
}

void mp_json_bool(mp_json *w, const char *key, int v)
{
    member(w, key);
    fputs(v ? "true" : "false", w->fp);
}

void mp_json_tristate(mp_json *w, const char *key, int v)
{
    member(w, key);
    fputs(v < 0 ? "null" : v ? "true" : "false", w->fp);
}

void mp_json_null(mp_json *w, const char *key)
{
    member(w, key);
    fputs("null", w->fp);
}
