/* expr.c - see expr.h.  Recursive descent to a postfix program. */
#include "sim/sweep/expr.h"

#include "golden/decimal.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { NUM, VAR, NEG, ADD, SUB, MUL, DIV, POW, LE, LT, GE, GT, EQ, NE,
       MIN, MAX, LOG, LOG2, SQRT, ABS };

typedef struct parser {
    const char *s;
    mp_expr *e;
    mp_expr_lookup lookup;
    void *ctx;
    char *msg;
    size_t cap;
    int failed;
} parser;

static void fail(parser *p, const char *what)
{
    if (!p->failed)
        snprintf(p->msg, p->cap, "%s at '%.20s'", what, p->s);
    p->failed = 1;
}

static void emit(parser *p, int op, int var, double num)
{
    if (p->e->n >= MP_EXPR_MAX) {
        fail(p, "expression too long");
        return;
    }
    mp_expr_ins *in = &p->e->code[p->e->n++];
    in->op = (unsigned char)op, in->var = var, in->num = num;
}

static void skip(parser *p)
{
    while (isspace((unsigned char)*p->s))
        p->s++;
}

static int eat(parser *p, const char *tok)
{
    skip(p);
    size_t n = strlen(tok);
    if (strncmp(p->s, tok, n))
        return 0;
    p->s += n;
    return 1;
}

static void cmp(parser *p);
static void unary(parser *p);

static void call(parser *p, const char *name)
{
    static const struct { const char *name; int op, args; } fn[] = {
        {"min", MIN, 2}, {"max", MAX, 2}, {"log", LOG, 1}, {"log2", LOG2, 1},
        {"sqrt", SQRT, 1}, {"abs", ABS, 1}};
    for (size_t i = 0; i < sizeof fn / sizeof fn[0]; i++) {
        if (strcmp(name, fn[i].name))
            continue;
        cmp(p);
        if (fn[i].args == 2 && !eat(p, ","))
            fail(p, "expected ','");
        if (fn[i].args == 2)
            cmp(p);
        if (!eat(p, ")"))
            fail(p, "expected ')'");
        emit(p, fn[i].op, 0, 0);
        return;
    }
    fail(p, "unknown function");
}

static void atom(parser *p)
{
    skip(p);
    if (eat(p, "(")) {
        cmp(p);
        if (!eat(p, ")"))
            fail(p, "expected ')'");
        return;
    }
    if (isdigit((unsigned char)*p->s) || *p->s == '.') {
        double v = 0;
        if (mp_scan_real(&p->s, -HUGE_VAL, HUGE_VAL, &v))
            fail(p, "bad number");
        emit(p, NUM, 0, v);
        return;
    }
    if (isalpha((unsigned char)*p->s) || *p->s == '_') {
        char name[64];
        size_t n = 0;
        while ((isalnum((unsigned char)*p->s) || *p->s == '_' ||
                *p->s == '.') && n + 1 < sizeof name)
            name[n++] = *p->s++;
        name[n] = '\0';
        if (eat(p, "(")) {
            call(p, name);
            return;
        }
        int var = p->lookup(p->ctx, name);
        if (var < 0) {
            if (!p->failed)
                snprintf(p->msg, p->cap, "unknown column '%s'", name);
            p->failed = 1;
            return;
        }
        emit(p, VAR, var, 0);
        return;
    }
    fail(p, "expected a number, a column or '('");
}

static void power(parser *p)
{
    atom(p);
    if (eat(p, "^")) {
        unary(p);
        emit(p, POW, 0, 0);
    }
}

static void unary(parser *p)
{
    if (eat(p, "-")) {
        unary(p);
        emit(p, NEG, 0, 0);
        return;
    }
    power(p);
}

static void prod(parser *p)
{
    unary(p);
    for (;;) {
        int op = eat(p, "*") ? MUL : eat(p, "/") ? DIV : -1;
        if (op < 0 || p->failed)
            return;
        unary(p);
        emit(p, op, 0, 0);
    }
}

static void sum(parser *p)
{
    prod(p);
    for (;;) {
        int op = eat(p, "+") ? ADD : eat(p, "-") ? SUB : -1;
        if (op < 0 || p->failed)
            return;
        prod(p);
        emit(p, op, 0, 0);
    }
}

static void cmp(parser *p)
{
    sum(p);
    static const struct { const char *tok; int op; } ops[] = {
        {"<=", LE}, {">=", GE}, {"==", EQ}, {"!=", NE}, {"<", LT}, {">", GT}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++)
        if (eat(p, ops[i].tok)) {
            sum(p);
            emit(p, ops[i].op, 0, 0);
            return;
        }
}

int mp_expr_compile(const char *text, mp_expr_lookup lookup, void *ctx,
                    mp_expr *e, char *msg, size_t cap)
{
    memset(e, 0, sizeof *e);
    parser p = {text, e, lookup, ctx, msg, cap, 0};
    cmp(&p);
    skip(&p);
    if (!p.failed && *p.s)
        fail(&p, "unexpected text");
    if (!p.failed && e->n > 0) {
        int last = e->code[e->n - 1].op;
        e->is_cmp = last >= LE && last <= NE;
    }
    return p.failed ? -1 : 0;
}

double mp_expr_eval(const mp_expr *e, const double *vars)
{
    double st[MP_EXPR_MAX];
    int sp = 0;
    for (int i = 0; i < e->n; i++) {
        const mp_expr_ins *in = &e->code[i];
        double b = sp > 0 ? st[sp - 1] : 0, a = sp > 1 ? st[sp - 2] : 0;
        switch (in->op) {
        case NUM: st[sp++] = in->num; continue;
        case VAR: st[sp++] = vars[in->var]; continue;
        case NEG: st[sp - 1] = -b; continue;
        case LOG: st[sp - 1] = log(b); continue;
        case LOG2: st[sp - 1] = log2(b); continue;
        case SQRT: st[sp - 1] = sqrt(b); continue;
        case ABS: st[sp - 1] = fabs(b); continue;
        default: break;
        }
        double r = 0;
        switch (in->op) {
        case ADD: r = a + b; break;
        case SUB: r = a - b; break;
        case MUL: r = a * b; break;
        case DIV: r = a / b; break;
        case POW: r = pow(a, b); break;
        case LE: r = a <= b; break;
        case LT: r = a < b; break;
        case GE: r = a >= b; break;
        case GT: r = a > b; break;
        case EQ: r = a == b; break;
        case NE: r = a != b; break;
        case MIN: r = fmin(a, b); break;
        case MAX: r = fmax(a, b); break;
        }
        st[--sp - 1] = r;
    }
    return sp ? st[0] : NAN;
}
