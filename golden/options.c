/* options.c - see options.h. */
#include "golden/options.h"

#include <string.h>

int mp_option_is_short(int key)
{
    return (key >= 'a' && key <= 'z') || (key >= 'A' && key <= 'Z') ||
           (key >= '0' && key <= '9');
}

void mp_options_help(FILE *out, const mp_option *opts, int col)
{
    for (const mp_option *o = opts; o->name || o->key; o++) {
        int n = fprintf(out, "  ");
        if (mp_option_is_short(o->key))
            n += fprintf(out, "-%c%s", o->key, o->name ? ", " : "");
        if (o->name)
            n += fprintf(out, "--%s", o->name);
        if (o->arg)
            n += fprintf(out, " %s", o->arg);
        if (n + 1 > col) { /* too wide: the help starts on the next line */
            fputc('\n', out);
            n = 0;
        }
        for (const char *h = o->help; *h;) {
            size_t len = strcspn(h, "\n");
            fprintf(out, "%*s%.*s\n", col - n, "", (int)len, h);
            n = 0;
            h += len + (h[len] == '\n');
        }
    }
}
