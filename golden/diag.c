/* diag.c - see diag.h. */
#include "golden/diag.h"

#include <stdarg.h>
#include <string.h>

static void copy_text(char *dst, size_t cap, const char *src)
{
    if (!src)
        src = "";
    size_t n = strlen(src);
    if (n >= cap)
        n = cap - 1;
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int mp_fail(mp_diag *d, const char *file, int line, const char *field,
            const char *fmt, ...)
{
    if (!d)
        return -1;
    copy_text(d->file, sizeof d->file, file);
    copy_text(d->field, sizeof d->field, field);
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
