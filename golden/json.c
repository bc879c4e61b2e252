/* json.c - see json.h. */
#include "golden/json.h"

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
