/*
 * expr.h - the arithmetic of sweep constraints and derived columns:
 * "area_mm2 <= 4", "edp: energy_j * latency_s", "tokens_per_s / dsp".
 *
 * Grammar (usual precedence, left to right):
 *   cmp  := sum [ ('<=' | '<' | '>=' | '>' | '==' | '!=') sum ]
 *   sum  := prod { ('+' | '-') prod }
 *   prod := unary { ('*' | '/') unary }
 *   unary:= '-' unary | pow        pow := atom [ '^' unary ]
 *   atom := NUMBER | NAME | NAME '(' cmp [',' cmp] ')' | '(' cmp ')'
 * NAME is a column ([A-Za-z_][A-Za-z0-9_.]*) or a function: min, max (two
 * arguments), log, log2, sqrt, abs (one).  A comparison is 1 or 0.
 *
 * Contract: mp_expr_compile() resolves names once through `lookup` (a
 * column index or -1) and fails with a message for bad syntax or an
 * unknown name; mp_expr_eval() is then a loop over a small stack program.
 */
#ifndef MP_SWEEP_EXPR_H
#define MP_SWEEP_EXPR_H

#include <stddef.h>

#define MP_EXPR_MAX 64

typedef struct mp_expr_ins {
    unsigned char op;  /* see expr.c */
    int var;           /* column index (op VAR) */
    double num;        /* constant (op NUM)     */
} mp_expr_ins;

typedef struct mp_expr {
    int n;
    int is_cmp;        /* top level is a comparison (a constraint) */
    mp_expr_ins code[MP_EXPR_MAX];
} mp_expr;

typedef int (*mp_expr_lookup)(void *ctx, const char *name);

int mp_expr_compile(const char *text, mp_expr_lookup lookup, void *ctx,
                    mp_expr *e, char *msg, size_t cap);
double mp_expr_eval(const mp_expr *e, const double *vars);

#endif
