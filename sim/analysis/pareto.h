/*
 * pareto.h - the non-dominated set of points under 2 or 3 objectives.
 *
 * Contract: v holds n points x k objectives (k = 2 or 3), each to be
 * minimised (negate one to maximise it).  out receives the indices of the
 * points no other point dominates (<= in every objective, < in one),
 * sorted by the first objective, then the second, third, index; of equal
 * points only the first (lowest index) is kept.  O(n log n + n f).
 */
#ifndef MP_PARETO_H
#define MP_PARETO_H

#include <stddef.h>

/* Returns the count, or (size_t)-1 when out of memory. */
size_t mp_pareto(const double *v, int k, size_t n, size_t *out);

#endif
