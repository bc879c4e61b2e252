/*
 * vcd.c - Value Change Dump reader: toggles and clocked samples of one
 * scope; see vcd.h.
 */
#include "sim/cosim/vcd.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define ID_MAX 64
#define DEPTH_MAX 64
#define WIDTH_MAX 65536
#define OFFSET_FS_MAX 1000000000000000ull /* a split's offset: 1e9 ns */
/* a limit's decimal text in a message, from its macro */
#define STR_(x) #x
#define STR(x) STR_(x)

typedef struct var {
    char ref[MP_TOGGLE_NAME_MAX]; /* "SUB/NAME" relative to the scope   */
    int width, msb, lsb, ranged;
    int in;     /* 0 outside the scope, 1 in it, 2 below it              */
    long bit0;  /* first of its bits in the state arrays, -1 if outside  */
    int next;   /* next variable with the same identifier code, -1       */
    char id[ID_MAX + 1];
} var;

typedef struct reader {
    FILE *fp;
    const char *path;
    int line;
    mp_diag *d;
    char tok[MP_VCD_TOKEN_MAX + 1];
    var *v;
    int nv, cap;
    int *hash; /* open addressing on id: first var index, -1 empty */
    int hcap;
    long nbits;
    char *val;            /* per bit: '0' '1' 'x'                      */
    signed char *known;   /* per bit: last 0/1 value, -1 none          */
    uint64_t *count;      /* per bit: 0<->1 transitions                */
    uint64_t *idle;       /* split: those in windows not busy          */
    uint64_t unit_fs;     /* $timescale in fs, 0 if none               */
    int in_idle;          /* split: the current time's window is idle  */
} reader;

static int fail(reader *r, const char *msg, const char *arg)
{
    return mp_fail(r->d, r->path, r->line, "vcd", msg, arg);
}

/* Next whitespace-separated token into r->tok; 1 at end of file. */
static int next_tok(reader *r)
{
    int c, n = 0;
    while ((c = getc(r->fp)) != EOF && (c == ' ' || c == '\t' || c == '\r' ||
                                        c == '\n'))
        r->line += c == '\n';
    if (c == EOF)
        return 1;
    do {
        if (c < 0x21 || c > 0x7e)
            return fail(r, "a byte that is not printable ASCII in %s", "a token");
        if (n == MP_VCD_TOKEN_MAX)
            return fail(r, "token longer than %s bytes", "1024");
        r->tok[n++] = (char)c;
    } while ((c = getc(r->fp)) != EOF && c != ' ' && c != '\t' &&
             c != '\r' && c != '\n');
    if (c == '\n')
        ungetc(c, r->fp);
    r->tok[n] = 0;
    return 0;
}

static int expect_tok(reader *r, const char *what)
{
    int rc = next_tok(r);
    if (rc > 0)
        return fail(r, "end of file where %s was due", what);
    return rc;
}

static int skip_to_end(reader *r)
{
    for (;;) {
        if (expect_tok(r, "$end"))
            return -1;
        if (!strcmp(r->tok, "$end"))
            return 0;
    }
}

static unsigned hash_id(const char *s)
{
    unsigned h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

/* Slot of id in the hash table (its var, or the empty slot for it). */
static int *slot(reader *r, const char *id)
{
    unsigned i = hash_id(id) & (unsigned)(r->hcap - 1);
    while (r->hash[i] >= 0 && strcmp(r->v[r->hash[i]].id, id))
        i = (i + 1) & (unsigned)(r->hcap - 1);
    return &r->hash[i];
}

static int grow(reader *r)
{
    if (r->nv == MP_VCD_VARS_MAX)
        return fail(r, "more than %s variables", "1048576");
    if (r->nv == r->cap) {
        int cap = r->cap ? r->cap * 2 : 256;
        var *nvp = realloc(r->v, (size_t)cap * sizeof *nvp);
        if (!nvp)
            return fail(r, "out of %s", "memory");
        r->v = nvp;
        r->cap = cap;
    }
    if (2 * (r->nv + 1) > r->hcap) { /* rehash at half full */
        int hcap = r->hcap ? r->hcap * 2 : 1024;
        int *h = malloc((size_t)hcap * sizeof *h);
        if (!h)
            return fail(r, "out of %s", "memory");
        free(r->hash);
        r->hash = h;
        r->hcap = hcap;
        for (int i = 0; i < hcap; i++)
            h[i] = -1;
        /* the slot holds the LAST variable of an identifier code (its
         * chain runs back through next) */
        for (int i = 0; i < r->nv; i++)
            *slot(r, r->v[i].id) = i;
    }
    return 0;
}

static int parse_int(const char *s, int lo, int hi, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (end == s || *end || v < lo || v > hi || (*s != '-' && (*s < '0' ||
                                                               *s > '9')))
        return -1;
    *out = (int)v;
    return 0;
}

/* "[7:0]" or "[3]" into *x. */
static int parse_range(const char *s, var *x)
{
    char buf[48];
    size_t n = strlen(s);
    if (n < 3 || n >= sizeof buf || s[0] != '[' || s[n - 1] != ']')
        return -1;
    memcpy(buf, s + 1, n - 2);
    buf[n - 2] = 0;
    char *colon = strchr(buf, ':');
    if (colon)
        *colon = 0;
    if (parse_int(buf, -WIDTH_MAX, WIDTH_MAX, &x->msb))
        return -1;
    x->lsb = x->msb;
    if (colon && parse_int(colon + 1, -WIDTH_MAX, WIDTH_MAX, &x->lsb))
        return -1;
    int span = x->msb > x->lsb ? x->msb - x->lsb : x->lsb - x->msb;
    x->ranged = 1;
    return span + 1 == x->width ? 0 : -1;
}

/* $var TYPE WIDTH ID REF [RANGE] $end, in scope path `scope`. */
static int parse_var(reader *r, const mp_vcd_req *q, const char *scope)
{
    if (grow(r))
        return -1;
    var *x = &r->v[r->nv];
    memset(x, 0, sizeof *x);
    x->bit0 = -1;
    if (expect_tok(r, "a $var type") || expect_tok(r, "a $var width"))
        return -1;
    if (parse_int(r->tok, 1, WIDTH_MAX, &x->width))
        return fail(r, "$var width '%.40s' is not 1.." STR(WIDTH_MAX), r->tok);
    if (expect_tok(r, "a $var identifier code"))
        return -1;
    if (strlen(r->tok) > ID_MAX)
        return fail(r, "identifier code longer than %s bytes", "64");
    strcpy(x->id, r->tok);
    if (expect_tok(r, "a $var reference"))
        return -1;
    char ref[MP_VCD_TOKEN_MAX + 1];
    strcpy(ref, r->tok);
    char *br = strchr(ref, '[');
    if (expect_tok(r, "$end"))
        return -1;
    if (strcmp(r->tok, "$end")) { /* "amem[0] [31:0]": an array word */
        if (parse_range(r->tok, x))
            return fail(r, "bad range '%.40s' for the $var width", r->tok);
        if (expect_tok(r, "$end"))
            return -1;
        if (strcmp(r->tok, "$end"))
            return fail(r, "expected $end after '%.40s'", ref);
    } else if (br) {
        if (parse_range(br, x))
            return fail(r, "bad range in '%.40s' for the $var width", ref);
        *br = 0;
    }
    size_t sl = strlen(q->scope);
    if (!strcmp(scope, q->scope))
        x->in = 1;
    else if (!strncmp(scope, q->scope, sl) && scope[sl] == '.')
        x->in = 2;
    if (x->in) {
        const char *base = ref[0] == '\\' ? ref + 1 : ref;
        const char *sub = x->in == 2 ? scope + sl + 1 : "";
        if (strlen(sub) + strlen(base) + 20 >= MP_TOGGLE_NAME_MAX)
            return fail(r, "signal name '%.60s' too long", base);
        if (snprintf(x->ref, sizeof x->ref, "%s%s%s", sub, *sub ? "/" : "",
                     base) >= (int)sizeof x->ref)
            return fail(r, "signal name '%.60s' too long", base);
        for (char *p = x->ref; *p; p++)
            if (*p == '.')
                *p = '/';
        if (r->nbits + x->width > MP_VCD_BITS_MAX)
            return fail(r, "more than %s signal bits in the scope",
                        "4194304");
        x->bit0 = r->nbits;
        r->nbits += x->width;
    }
    int *s = slot(r, x->id);
    x->next = *s;
    *s = r->nv++;
    return 0;
}

/* $timescale N UNIT $end (one token "10ps" or two "10 ps") into
 * r->unit_fs. */
static int parse_timescale(reader *r)
{
    static const char *const units[] = {"fs", "ps", "ns", "us", "ms", "s"};
    char text[32] = "";
    for (;;) {
        if (expect_tok(r, "$end"))
            return -1;
        if (!strcmp(r->tok, "$end"))
            break;
        if (strlen(text) + strlen(r->tok) >= sizeof text)
            return fail(r, "bad $timescale '%.40s'", r->tok);
        strcat(text, r->tok);
    }
    size_t n = strspn(text, "0123456789");
    uint64_t f = 1;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++, f *= 1000)
        if (!strcmp(text + n, units[i])) {
            int mult = n == 1 && text[0] == '1'                     ? 1
                       : n == 2 && !strncmp(text, "10", 2)          ? 10
                       : n == 3 && !strncmp(text, "100", 3)         ? 100
                                                                    : 0;
            if (!mult)
                break;
            r->unit_fs = f * (uint64_t)mult;
            return 0;
        }
    return fail(r, "bad $timescale '%.40s' (want 1, 10 or 100 and s ms us "
                "ns ps fs)", text);
}

static int parse_header(reader *r, const mp_vcd_req *q, int *scope_seen)
{
    char scope[MP_VCD_TOKEN_MAX * 2 + 2] = "";
    size_t len[DEPTH_MAX + 1];
    int depth = 0;
    for (;;) {
        int rc = next_tok(r);
        if (rc)
            return rc > 0 ? fail(r, "no %s", "$enddefinitions") : -1;
        const char *t = r->tok;
        if (!strcmp(t, "$date") || !strcmp(t, "$version") ||
            !strcmp(t, "$comment")) {
            if (skip_to_end(r))
                return -1;
        } else if (!strcmp(t, "$timescale")) {
            if (parse_timescale(r))
                return -1;
        } else if (!strcmp(t, "$scope")) {
            if (depth == DEPTH_MAX)
                return fail(r, "scopes nested deeper than %s", "64");
            if (expect_tok(r, "a $scope type") ||
                expect_tok(r, "a $scope name"))
                return -1;
            len[depth++] = strlen(scope);
            if (strlen(scope) + strlen(r->tok) + 2 > sizeof scope)
                return fail(r, "scope path too %s", "long");
            if (scope[0])
                strcat(scope, ".");
            strcat(scope, r->tok);
            if (!strcmp(scope, q->scope))
                *scope_seen = 1;
            if (expect_tok(r, "$end") || strcmp(r->tok, "$end"))
                return fail(r, "expected $end after $scope %s", "NAME");
        } else if (!strcmp(t, "$upscope")) {
            if (!depth)
                return fail(r, "$upscope without a %s", "$scope");
            scope[len[--depth]] = 0;
            if (expect_tok(r, "$end") || strcmp(r->tok, "$end"))
                return fail(r, "expected $end after %s", "$upscope");
        } else if (!strcmp(t, "$var")) {
            if (parse_var(r, q, scope))
                return -1;
        } else if (!strcmp(t, "$enddefinitions")) {
            if (depth)
                return fail(r, "%s with scopes open", "$enddefinitions");
            if (expect_tok(r, "$end") || strcmp(r->tok, "$end"))
                return fail(r, "expected $end after %s", "$enddefinitions");
            return 0;
        } else
            return fail(r, "unknown header command '%.40s'", t);
    }
}

static void set_bit(reader *r, long b, char c)
{
    if (c == '0' || c == '1') {
        signed char k = (signed char)(c - '0');
        if (r->known[b] >= 0 && r->known[b] != k)
            (r->in_idle ? r->idle : r->count)[b]++;
        r->known[b] = k;
    } else
        c = 'x';
    r->val[b] = c;
}

/* Value bits (MSB first, n of them) to every var with identifier id. */
static int apply(reader *r, const char *bits, const char *id)
{
    int i = r->hcap ? *slot(r, id) : -1;
    if (i < 0)
        return fail(r, "unknown identifier code '%.40s'", id);
    size_t n = strlen(bits);
    for (size_t j = 0; j < n; j++)
        if (!strchr("01xXzZ", bits[j]))
            return fail(r, "value '%.40s' is not 0 1 x z", bits);
    for (; i >= 0; i = r->v[i].next) {
        const var *x = &r->v[i];
        if ((long)n > x->width)
            return fail(r, "value wider than the $var of '%.40s'", id);
        if (x->bit0 < 0)
            continue;
        char ext = bits[0] == '1' ? '0' : bits[0];
        for (int j = 0; j < x->width; j++) { /* j: bit from the LSB */
            char c = j < (int)n ? bits[n - 1 - j] : ext;
            set_bit(r, x->bit0 + j, (char)(c | 0x20));
        }
    }
    return 0;
}

/* The var named ref in the scope ("NAME") or below it ("SUB/NAME"), -1 if
 * none. */
static int find_in_scope(const reader *r, const char *ref)
{
    for (int i = 0; i < r->nv; i++)
        if (r->v[i].in && !strcmp(r->v[i].ref, ref))
            return i;
    return -1;
}

typedef struct sampler {
    long clk;     /* clock bit, -1 without samples */
    char prev;    /* clock at the last timestamp boundary */
    int *sig;     /* var of each sampled signal */
    char *snap;   /* their bits at the last boundary, "\n"-terminated */
    long nsnap;
} sampler;

static void snapshot(const reader *r, const mp_vcd_req *q, sampler *s)
{
    long k = 0;
    for (int i = 0; i < q->nsignals; i++) {
        const var *x = &r->v[s->sig[i]];
        for (int j = x->width - 1; j >= 0; j--)
            s->snap[k++] = r->val[x->bit0 + j] == '1' ? '1' : '0';
    }
    s->snap[k++] = '\n';
    s->snap[k] = 0;
}

/* End of a timestamp: a rising clock emits the values before it. */
static void boundary(const reader *r, mp_vcd_req *q, sampler *s)
{
    if (s->clk < 0)
        return;
    char now = r->val[s->clk];
    if (s->prev == '0' && now == '1') {
        fputs(s->snap, q->samples);
        q->edges++;
    }
    s->prev = now;
    snapshot(r, q, s);
}

static int setup_sampler(reader *r, mp_vcd_req *q, sampler *s)
{
    s->clk = -1;
    s->prev = 'x';
    if (!q->clock)
        return 0;
    int c = find_in_scope(r, q->clock);
    if (c < 0 || r->v[c].width != 1)
        return fail(r, "no 1-bit clock '%.40s' in the scope", q->clock);
    s->clk = r->v[c].bit0;
    s->sig = malloc((size_t)(q->nsignals + 1) * sizeof *s->sig);
    if (!s->sig)
        return fail(r, "out of %s", "memory");
    for (int i = 0; i < q->nsignals; i++) {
        if ((s->sig[i] = find_in_scope(r, q->signals[i])) < 0)
            return fail(r, "no signal '%.40s' in the scope", q->signals[i]);
        s->nsnap += r->v[s->sig[i]].width;
    }
    s->snap = malloc((size_t)s->nsnap + 2);
    if (!s->snap)
        return fail(r, "out of %s", "memory");
    snapshot(r, q, s);
    return 0;
}

/* The split's window of time `now` (vcd.h): busy or idle. */
static void window_at(reader *r, const mp_vcd_req *q, uint64_t now)
{
    if (!q->idle)
        return;
    /* integer fs: a change at a rising edge's exact time is in its window */
    uint64_t period = (uint64_t)llround(q->period_ns * 1e6);
    uint64_t at = now * r->unit_fs + (uint64_t)llround(q->offset_ns * 1e6);
    uint64_t w = at / period;
    if (w < 1)
        w = 1;
    r->in_idle = !(w < (uint64_t)q->nwin && q->busy[w]);
}

static int parse_changes(reader *r, mp_vcd_req *q, sampler *s)
{
    uint64_t last = 0;
    int rc;
    while ((rc = next_tok(r)) == 0) {
        const char *t = r->tok;
        if (t[0] == '#') {
            char *end;
            uint64_t now = strtoull(t + 1, &end, 10);
            if (!t[1] || *end || t[1] < '0' || t[1] > '9' || now < last)
                return fail(r, "bad or decreasing time '%.40s'", t);
            if (q->idle && now > (UINT64_MAX - OFFSET_FS_MAX) / r->unit_fs)
                return fail(r, "time '%.40s' out of range", t);
            last = now;
            boundary(r, q, s);
            window_at(r, q, now);
        } else if (!strcmp(t, "$dumpvars") || !strcmp(t, "$dumpall") ||
                   !strcmp(t, "$dumpon") || !strcmp(t, "$dumpoff") ||
                   !strcmp(t, "$end")) {
            continue;
        } else if (!strcmp(t, "$comment")) {
            if (skip_to_end(r))
                return -1;
        } else if (strchr("01xXzZ", t[0]) && t[1]) {
            char bit[2] = {t[0], 0};
            if (apply(r, bit, t + 1))
                return -1;
        } else if (t[0] == 'b' || t[0] == 'B' || t[0] == 'r' || t[0] == 'R') {
            char bits[MP_VCD_TOKEN_MAX + 1];
            int real = t[0] == 'r' || t[0] == 'R';
            strcpy(bits, t + 1); /* t is overwritten by the next token */
            if (expect_tok(r, "an identifier code"))
                return -1;
            if (real) {
                int i = r->hcap ? *slot(r, r->tok) : -1;
                if (i < 0)
                    return fail(r, "unknown identifier code '%.40s'", r->tok);
            } else if (!bits[0])
                return fail(r, "empty vector value for '%.40s'", r->tok);
            else if (apply(r, bits, r->tok))
                return -1;
        } else
            return fail(r, "unexpected '%.40s'", t);
    }
    if (rc < 0)
        return -1;
    boundary(r, q, s);
    return 0;
}

/* Append every bit of the scope with its count in cnt to *t. */
static int emit_toggles(reader *r, mp_toggles *t, const uint64_t *cnt)
{
    long n = 0;
    for (int i = 0; i < r->nv; i++)
        n += r->v[i].bit0 >= 0 ? r->v[i].width : 0;
    if (t->count + n > MP_TOGGLE_MAX)
        return fail(r, "more than %s signal bits", STR(MP_TOGGLE_MAX));
    mp_toggle *v = realloc(t->v, (size_t)(t->count + n + 1) * sizeof *v);
    if (!v)
        return fail(r, "out of %s", "memory");
    t->v = v;
    for (int i = 0; i < r->nv; i++) {
        const var *x = &r->v[i];
        for (int j = 0; x->bit0 >= 0 && j < x->width; j++) {
            mp_toggle *e = &t->v[t->count++];
            int idx = x->msb >= x->lsb ? x->lsb + j : x->lsb - j;
            /* fits: parse_var kept 20 bytes for "[i]" */
            size_t len = strlen(x->ref);
            memcpy(e->name, x->ref, len + 1);
            if (x->ranged || x->width > 1) {
                char sfx[16];
                snprintf(sfx, sizeof sfx, "[%d]", x->ranged ? idx : j);
                memcpy(e->name + len, sfx, strlen(sfx) + 1);
            }
            e->count = (double)cnt[x->bit0 + j];
        }
    }
    return 0;
}

int mp_vcd_read(const char *path, mp_vcd_req *q, mp_diag *d)
{
    reader r;
    memset(&r, 0, sizeof r);
    r.path = path;
    r.line = 1;
    r.d = d;
    q->edges = 0;
    sampler s;
    memset(&s, 0, sizeof s);
    r.fp = fopen(path, "r");
    if (!r.fp)
        return mp_fail(d, path, 0, "vcd", "cannot read the value change "
                       "dump");
    int seen = 0;
    int rc = parse_header(&r, q, &seen);
    if (!rc && !seen)
        rc = fail(&r, "no scope '%.60s'", q->scope);
    if (!rc && q->idle && (!q->toggles || !r.unit_fs ||
                           !(q->period_ns >= 1e-6 && q->period_ns <= 1e9) ||
                           !(q->offset_ns >= 0 && q->offset_ns <= 1e9) ||
                           q->nwin < 0 || (q->nwin && !q->busy)))
        rc = fail(&r, "a split of the toggles needs a $timescale, counts "
                  "and a period (%s)", "sim/cosim/vcd.h");
    if (!rc) {
        r.val = malloc((size_t)r.nbits + 1);
        r.known = malloc((size_t)r.nbits + 1);
        r.count = calloc((size_t)r.nbits + 1, sizeof *r.count);
        r.idle = calloc((size_t)r.nbits + 1, sizeof *r.idle);
        if (!r.val || !r.known || !r.count || !r.idle)
            rc = fail(&r, "out of %s", "memory");
        else {
            memset(r.val, 'x', (size_t)r.nbits + 1);
            memset(r.known, -1, (size_t)r.nbits + 1);
        }
    }
    if (!rc)
        rc = setup_sampler(&r, q, &s);
    if (!rc) {
        window_at(&r, q, 0);
        rc = parse_changes(&r, q, &s);
    }
    if (!rc && q->toggles)
        rc = emit_toggles(&r, q->toggles, r.count);
    if (!rc && q->idle)
        rc = emit_toggles(&r, q->idle, r.idle);
    fclose(r.fp);
    free(r.v);
    free(r.hash);
    free(r.val);
    free(r.known);
    free(r.count);
    free(r.idle);
    free(s.sig);
    free(s.snap);
    return rc;
}
