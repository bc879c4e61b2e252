/* decimal.c - see decimal.h. */
#include "golden/decimal.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *digits(const char *p)
{
    while (*p >= '0' && *p <= '9')
        p++;
    return p;
}

size_t mp_decimal_span(const char *text, int real)
{
    const char *p = text + (*text == '-' || *text == '+');
    const char *int_end = digits(p);
    if (!real) { /* no leading zeros: "010" is not silently 8 or 10 */
        if (int_end == p)
            return 0;
        return (size_t)((p[0] == '0' ? p + 1 : int_end) - text);
    }
    const char *q = int_end;
    if (*q == '.') {
        const char *frac_end = digits(q + 1);
        if (frac_end == q + 1 && int_end == p)
            return 0; /* "." alone */
        q = frac_end;
    } else if (int_end == p) {
        return 0;
    }
    if (*q == 'e' || *q == 'E') {
        const char *e = q + 1 + (q[1] == '-' || q[1] == '+');
        const char *exp_end = digits(e);
        if (exp_end > e) /* "1e" is the number 1 followed by "e" */
            q = exp_end;
    }
    return (size_t)(q - text);
}

int mp_is_decimal(const char *text, int real)
{
    size_t n = mp_decimal_span(text, real);
    return n > 0 && !text[n];
}

int mp_parse_i64(const char *text, int64_t lo, int64_t hi, int64_t *out)
{
    if (!mp_is_decimal(text, 0))
        return MP_NUM_SYNTAX;
    errno = 0;
    long long v = strtoll(text, NULL, 10);
    if (errno)
        return MP_NUM_SYNTAX;
    *out = v;
    return v < lo || v > hi ? MP_NUM_RANGE : 0;
}

int mp_parse_int(const char *text, int lo, int hi, int *out)
{
    int64_t v;
    int rc = mp_parse_i64(text, lo, hi, &v);
    if (rc != MP_NUM_SYNTAX) /* out of range: clamped so it fits an int */
        *out = v < INT_MIN ? INT_MIN : v > INT_MAX ? INT_MAX : (int)v;
    return rc;
}

int mp_parse_real(const char *text, double lo, double hi, double *out)
{
    if (!mp_is_decimal(text, 1))
        return MP_NUM_SYNTAX;
    errno = 0;
    double v = strtod(text, NULL);
    if (errno || !isfinite(v)) /* overflow or underflow */
        return MP_NUM_SYNTAX;
    *out = v;
    return v >= lo && v <= hi ? 0 : MP_NUM_RANGE;
}

/* Copy the decimal prefix of *p (real or not) to buf[cap]; its length, or
 * 0 when there is none or it does not fit. */
static size_t prefix(const char *p, int real, char *buf, size_t cap)
{
    size_t n = mp_decimal_span(p, real);
    if (n >= cap)
        return 0;
    memcpy(buf, p, n);
    buf[n] = '\0';
    return n;
}

int mp_scan_i64(const char **p, int64_t lo, int64_t hi, int64_t *out)
{
    char buf[32];
    size_t n = prefix(*p, 0, buf, sizeof buf);
    int rc = n ? mp_parse_i64(buf, lo, hi, out) : MP_NUM_SYNTAX;
    if (rc != MP_NUM_SYNTAX)
        *p += n;
    return rc;
}

int mp_scan_real(const char **p, double lo, double hi, double *out)
{
    char buf[64];
    size_t n = prefix(*p, 1, buf, sizeof buf);
    int rc = n ? mp_parse_real(buf, lo, hi, out) : MP_NUM_SYNTAX;
    if (rc != MP_NUM_SYNTAX)
        *p += n;
    return rc;
}

int mp_parse_hex(const char *text, uint64_t hi, uint64_t *out)
{
    size_t n = strspn(text, "0123456789abcdefABCDEF");
    if (!n || n > 16 || text[n])
        return MP_NUM_SYNTAX;
    unsigned long long v = strtoull(text, NULL, 16);
    *out = v;
    return v > hi ? MP_NUM_RANGE : 0;
}
