/*
 * cli_util.h - small helpers shared by the simulator's commands: strict
 * number parsing of option values with "<command line>" diagnostics.
 */
#ifndef MP_CLI_UTIL_H
#define MP_CLI_UTIL_H

#include <stdint.h>
#include "golden/diag.h"

/* Whole-string integer in [lo, hi]; else -1 with d naming `field`. */
int mp_cli_i64(const char *text, const char *field, int64_t lo, int64_t hi,
               int64_t *out, mp_diag *d);
/* Whole-string finite double in [lo, hi]. */
int mp_cli_double(const char *text, const char *field, double lo, double hi,
                  double *out, mp_diag *d);

#endif
