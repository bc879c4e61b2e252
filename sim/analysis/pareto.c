/* pareto.c - see pareto.h.  Sort by the objectives, then keep a point
 * when no point kept before it dominates it (those are the only ones that
 * can: they are no worse in the first objective). */
#include "sim/analysis/pareto.h"

#include <stdlib.h>

typedef struct key {
    const double *v;
    size_t i;
    int k;
} key;

static int cmp(const void *pa, const void *pb)
{
    const key *a = pa, *b = pb;
    for (int j = 0; j < a->k; j++)
        if (a->v[j] != b->v[j])
            return a->v[j] < b->v[j] ? -1 : 1;
    return a->i < b->i ? -1 : a->i > b->i;
}

static int dominated(const double *p, const double *by, int k)
{
    for (int j = 0; j < k; j++)
        if (by[j] > p[j])
            return 0;
    return 1; /* <= everywhere: equal points count as dominated */
}

size_t mp_pareto(const double *v, int k, size_t n, size_t *out)
{
    key *keys = malloc((n ? n : 1) * sizeof *keys);
    if (!keys)
        return (size_t)-1;
    for (size_t i = 0; i < n; i++)
        keys[i] = (key){v + i * (size_t)k, i, k};
    qsort(keys, n, sizeof *keys, cmp);
    size_t m = 0;
    double best1 = 0;
    for (size_t s = 0; s < n; s++) {
        const double *p = keys[s].v;
        int dom = 0;
        if (k == 2)
            dom = m > 0 && best1 <= p[1];
        else
            for (size_t f = 0; f < m && !dom; f++)
                dom = dominated(p, v + out[f] * (size_t)k, k);
        if (dom)
            continue;
        out[m++] = keys[s].i;
        best1 = p[1];
    }
    free(keys);
    return m;
}
