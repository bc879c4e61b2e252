/* suggest.c - see suggest.h. */
#include "golden/suggest.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#define WORD_MAX 64

/* Levenshtein distance, case-insensitive; words longer than WORD_MAX are
 * never typos of a key. */
static size_t distance(const char *a, const char *b)
{
    size_t n = strlen(a), m = strlen(b);
    if (n > WORD_MAX || m > WORD_MAX)
        return (size_t)-1;
    size_t row[WORD_MAX + 1];
    for (size_t j = 0; j <= m; j++)
        row[j] = j;
    for (size_t i = 1; i <= n; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= m; j++) {
            size_t up = row[j];
            int same = tolower((unsigned char)a[i - 1]) ==
                       tolower((unsigned char)b[j - 1]);
            size_t best = diag + !same;
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[m];
}

const char *mp_suggest(const char *word, const char *const *known)
{
    size_t len = strlen(word);
    /* a third of the word may be wrong, at least one letter, at most 3 */
    size_t limit = len / 3 < 1 ? 1 : len / 3 > 3 ? 3 : len / 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (const char *const *k = known; *k; k++) {
        size_t dist = distance(word, *k);
        if (dist < best_d) {
            best_d = dist;
            best = *k;
        }
    }
    return best;
}

int mp_fail_unknown(mp_diag *d, const char *file, int line,
                    const char *field, const char *word,
                    const char *const *known)
{
    const char *near = mp_suggest(word, known);
    if (near)
        return mp_fail(d, file, line, field, "unknown key (did you mean "
                       "'%s'?)", near);
    char list[MP_DIAG_MSG_MAX - 32] = "";
    size_t used = 0;
    for (const char *const *k = known; *k && used < sizeof list; k++) {
        int n = snprintf(list + used, sizeof list - used, "%s%s",
                         k == known ? "" : ", ", *k);
        if (n < 0)
            break;
        used += (size_t)n;
    }
    if (used >= sizeof list) /* truncated: say so */
        memcpy(list + sizeof list - 4, "...", 4);
    return mp_fail(d, file, line, field, "unknown key (known: %s)", list);
}
