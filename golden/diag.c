/* diag.c - see diag.h. */
#include "golden/diag.h"

#include <stdarg.h>
#include <string.h>

/* Copy with control characters (and ':' when `colon`) written as C
 * escapes, so that a key holding ":" or a newline cannot break the
 * "FILE:LINE: FIELD: MESSAGE" form; stops before an escape that would not
 * fit. */
static void copy_escaped(char *dst, size_t cap, const char *src, int colon)
{
    size_t n = 0;
    for (const unsigned char *c = (const unsigned char *)(src ? src : "");
         *c; c++) {
        char esc[5];
        if (*c == '\n')
            snprintf(esc, sizeof esc, "\\n");
        else if (*c == '\t')
            snprintf(esc, sizeof esc, "\\t");
        else if (*c == '\r')
            snprintf(esc, sizeof esc, "\\r");
        else if (*c < 0x20 || *c == 0x7f || (colon && *c == ':'))
            snprintf(esc, sizeof esc, "\\x%02x", *c);
        else
            esc[0] = (char)*c, esc[1] = '\0';
        size_t k = strlen(esc);
        if (n + k >= cap)
            break;
        memcpy(dst + n, esc, k);
        n += k;
    }
    dst[n] = '\0';
}

int mp_fail(mp_diag *d, const char *file, int line, const char *field,
            const char *fmt, ...)
{
    if (!d)
        return -1;
    copy_escaped(d->file, sizeof d->file, file, 0);
    copy_escaped(d->field, sizeof d->field, field, 1);
    d->line = line;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof d->msg, fmt, ap);
    va_end(ap);
    /* Keep the diagnostic on one line whatever the message contains. */
    for (char *c = d->msg; *c; c++)
        if (*c == '\n' || *c == '\r')
            *c = ' ';
    return -1;
}

void mp_diag_print(const mp_diag *d, FILE *out)
{
    const char *file = d->file[0] ? d->file : MP_CMDLINE;
    if (d->line > 0)
        fprintf(out, "mpsim: %s:%d: %s: %s\n", file, d->line,
                d->field[0] ? d->field : "-", d->msg);
    else
        fprintf(out, "mpsim: %s: %s: %s\n", file,
                d->field[0] ? d->field : "-", d->msg);
}
