/* cli_util.c - see cli_util.h. */
#include "sim/cli_util.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>

int mp_cli_i64(const char *text, const char *field, int64_t lo, int64_t hi,
               int64_t *out, mp_diag *d)
{
    char *end;
    errno = 0;
    long long v = strtoll(text, &end, 10);
    if (end == text || *end || errno)
        return mp_fail(d, MP_CMDLINE, 0, field, "not an integer: '%s'", text);
    if (v < lo || v > hi)
        return mp_fail(d, MP_CMDLINE, 0, field, "must be in %lld..%lld, got "
                       "%lld", (long long)lo, (long long)hi, v);
    *out = v;
    return 0;
}

int mp_cli_double(const char *text, const char *field, double lo, double hi,
                  double *out, mp_diag *d)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end || errno || !isfinite(v))
        return mp_fail(d, MP_CMDLINE, 0, field, "not a number: '%s'", text);
    if (v < lo || v > hi)
        return mp_fail(d, MP_CMDLINE, 0, field, "must be in [%g, %g], got %g",
                       lo, hi, v);
    *out = v;
    return 0;
}
