/* decimal.c - see decimal.h. */
#include "golden/decimal.h"

#include <stddef.h>

static const char *digits(const char *p)
{
    while (*p >= '0' && *p <= '9')
        p++;
    return p;
}

int mp_is_decimal(const char *text, int real)
{
    const char *p = text + (*text == '-' || *text == '+');
    const char *int_end = digits(p);
    if (!real) /* no leading zeros: "010" is not silently 8 or 10 */
        return int_end > p && !*int_end && !(p[0] == '0' && int_end - p > 1);
    const char *q = int_end;
    size_t n = (size_t)(int_end - p);
    if (*q == '.') {
        const char *frac_end = digits(q + 1);
        n += (size_t)(frac_end - q - 1);
        q = frac_end;
    }
    if (!n)
        return 0;
    if (*q == 'e' || *q == 'E') {
        q += (q[1] == '-' || q[1] == '+') + 1;
        const char *exp_end = digits(q);
        if (exp_end == q)
            return 0;
        q = exp_end;
    }
    return !*q;
}
