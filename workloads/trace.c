/* trace.c - the trace container: see trace.h.  YAML I/O: trace_yaml.c. */
#include "workloads/trace.h"

#include <stdlib.h>
#include <string.h>

void mp_trace_init(mp_trace *t)
{
    memset(t, 0, sizeof *t);
}

void mp_trace_free(mp_trace *t)
{
    free(t->ops);
    mp_trace_init(t);
}

int mp_trace_add(mp_trace *t, const mp_trace_op *op, mp_diag *d)
{
    if (t->count == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        mp_trace_op *ops = realloc(t->ops, cap * sizeof *ops);
        if (!ops)
            return mp_fail(d, "<memory>", 0, "trace", "out of memory (%zu ops)",
                           cap);
        t->ops = ops;
        t->cap = cap;
    }
    t->ops[t->count++] = *op;
    return 0;
}

int64_t mp_trace_op_macs(const mp_trace_op *op)
{
    if (op->kind == MP_OP_VECTOR)
        return 0;
    return op->m * op->n * op->k * op->repeat;
}

double mp_trace_op_vector_ops(const mp_trace_op *op)
{
    if (op->kind != MP_OP_VECTOR)
        return 0.0;
    return (double)op->m * (double)op->repeat * op->ops_per_element;
}

int mp_trace_op_equal(const mp_trace_op *a, const mp_trace_op *b)
{
    return !strcmp(a->name, b->name) && a->kind == b->kind &&
           a->m == b->m && a->n == b->n && a->k == b->k &&
           a->repeat == b->repeat && a->act == b->act &&
           a->wfmt.kind == b->wfmt.kind && a->wfmt.bits == b->wfmt.bits &&
           a->group_size == b->group_size && a->has_zeros == b->has_zeros &&
           a->b_bits == b->b_bits && a->experts == b->experts &&
           a->stored == b->stored &&
           !strcmp(a->vec_op, b->vec_op) &&
           a->ops_per_element == b->ops_per_element &&
           !strcmp(a->layers, b->layers);
}
