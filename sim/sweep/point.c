/* point.c - see point.h. */
#include "sim/sweep/point.h"

#include "golden/decimal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/arch.h"
#include "sim/simulate.h"
#include "sim/tech_load.h"
#include "sim/workload_src.h"

int mp_sbuf_put(mp_sbuf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *p = realloc(b->p, cap);
        if (!p)
            return -1;
        b->p = p, b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
    return 0;
}

static int put_str(mp_sbuf *b, const char *s)
{
    return mp_sbuf_put(b, s, strlen(s));
}

/* ",text" quoted as CSV wants when it holds a comma, quote or newline. */
static int put_field(mp_sbuf *b, const char *s)
{
    if (!s)
        s = "";
    if (!strpbrk(s, ",\"\n\r"))
        return mp_sbuf_put(b, ",", 1) || put_str(b, s);
    int rc = mp_sbuf_put(b, ",\"", 2);
    for (const char *c = s; *c && !rc; c++)
        rc = *c == '"' ? mp_sbuf_put(b, "\"\"", 2)
                       : mp_sbuf_put(b, *c == '\n' || *c == '\r' ? " " : c,
                                     1);
    return rc || mp_sbuf_put(b, "\"", 1);
}

/* ",v"; a value that is not finite (a derived column dividing by zero)
 * is left empty rather than printed as inf or nan. */
static int put_num(mp_sbuf *b, double v)
{
    if (!isfinite(v))
        return mp_sbuf_put(b, ",", 1);
    char num[40];
    int n = snprintf(num, sizeof num, ",%.10g", v);
    return mp_sbuf_put(b, num, (size_t)n);
}

void mp_sweep_eval_init(mp_sweep_eval *e, mp_sweep *s)
{
    memset(e, 0, sizeof *e);
    e->s = s;
}

void mp_sweep_eval_free(mp_sweep_eval *e)
{
    for (int i = 0; i < e->n_tech; i++)
        mp_tech_free(&e->tech[i]);
    for (int i = 0; i < MP_SWEEP_TRACE_CACHE; i++)
        if (e->trace[i].used)
            mp_trace_free(&e->trace[i].t);
    memset(e, 0, sizeof *e);
}

static const char *text_of(const yaml_node_t *v)
{
    return v ? (const char *)v->data.scalar.value : NULL;
}

/* The trace of this point's workload values, built or from the cache. */
static mp_sweep_trace *trace_for(mp_sweep_eval *e,
                                 const yaml_node_t *const *vals)
{
    mp_sweep *s = e->s;
    char key[1024];
    size_t n = 0;
    key[0] = '\0';
    for (int a = 0; a < s->n_axes; a++)
        if (s->axis[a].workload && vals[a] && n < sizeof key)
            n += (size_t)snprintf(key + n, sizeof key - n, "%s=%s\n",
                                  s->axis[a].path, text_of(vals[a]));
    mp_sweep_trace *slot = &e->trace[0];
    for (int i = 0; i < MP_SWEEP_TRACE_CACHE; i++) {
        mp_sweep_trace *c = &e->trace[i];
        if (c->used && !strcmp(c->key, key)) {
            c->used = ++e->tick;
            return c;
        }
        if (c->used < slot->used)
            slot = c;
    }
    if (slot->used)
        mp_trace_free(&slot->t);
    snprintf(slot->key, sizeof slot->key, "%s", key);
    slot->used = ++e->tick;
    mp_workload_opts wo;
    mp_workload_opts_init(&wo);
    wo.workload = s->workload_file[0] ? s->workload_file : NULL;
    wo.trace = s->wopts;
    slot->rc = 0;
    for (int a = 0; a < s->n_axes && !slot->rc; a++)
        if (s->axis[a].workload && vals[a] &&
            mp_trace_opts_set(&wo.trace, s->axis[a].path + 9,
                              text_of(vals[a]), &slot->d) < 0)
            slot->rc = -1;
    char label[256];
    if (!slot->rc && mp_workload_open(&wo, &slot->t, label, sizeof label,
                                      &slot->d))
        slot->rc = -1;
    return slot;
}

/* Read and bind the point's arch; tech tables come from the cache. */
static int arch_for(mp_sweep_eval *e, const yaml_node_t *const *vals,
                    mp_arch *a, mp_diag *d)
{
    mp_sweep *s = e->s;
    const yaml_node_t *slots[MP_YOVER_MAX] = {0};
    for (int i = 0; i < s->n_axes; i++)
        if (!s->axis[i].workload)
            slots[s->axis[i].slot] = vals[i];
    mp_yover_apply(&s->over, slots);
    if (mp_arch_read(&s->arch, a, d))
        return -1;
    for (int i = 0; i < e->n_tech; i++)
        if (!strcmp(e->tech[i].name, a->tech_name)) {
            a->tech = e->tech[i];
            a->tech_loaded = 1;
        }
    int cached = a->tech_loaded;
    int rc = mp_arch_bind(a, d);
    if (a->tech_loaded && !cached) {
        if (e->n_tech < MP_SWEEP_TECH_CACHE &&
            !strcmp(a->tech.name, a->tech_name))
            e->tech[e->n_tech++] = a->tech;
        else
            mp_arch_free(a);
    }
    a->tech_loaded = 0; /* owned by the cache */
    return rc;
}

static uint64_t point_hash(const mp_sweep *s, const yaml_node_t *const *vals)
{
    uint64_t h = s->base_hash;
    for (int a = 0; a < s->n_axes; a++) {
        if (!vals[a])
            continue;
        const char *parts[3] = {s->axis[a].path, "=", text_of(vals[a])};
        for (int k = 0; k < 3; k++)
            for (const char *c = parts[k]; *c; c++)
                h = (h ^ (unsigned char)*c) * 0x100000001b3ULL;
        h = (h ^ '\n') * 0x100000001b3ULL;
    }
    return h;
}

static double number_or_nan(const char *t)
{
    double v = 0;
    return t && !mp_parse_real(t, -HUGE_VAL, HUGE_VAL, &v) ? v : NAN;
}

/* Simulate; the totals into vars.  -1 with d for a refused point. */
static int run_point(mp_sweep_eval *e, const yaml_node_t *const *vals,
                     mp_arch *a, mp_run *r, mp_diag *d)
{
    if (arch_for(e, vals, a, d))
        return -1;
    mp_sweep_trace *t = trace_for(e, vals);
    if (t->rc) {
        *d = t->d;
        return -1;
    }
    return mp_simulate_trace(a, &t->t, r, d);
}

int mp_sweep_eval_run(mp_sweep_eval *e, int64_t idx, mp_arch *a, mp_run *r,
                      uint64_t *hash, mp_diag *d)
{
    const yaml_node_t *vals[MP_SWEEP_MAX_AXES];
    mp_sweep_values(e->s, idx, vals);
    *hash = point_hash(e->s, vals);
    return run_point(e, vals, a, r, d);
}

static int simulate(mp_sweep_eval *e, const yaml_node_t *const *vals,
                    double *tot, mp_diag *d)
{
    mp_arch a;
    mp_run run, *r = &run;
    if (run_point(e, vals, &a, r, d))
        return -1;
    int k = 0;
#define MP_SWEEP_FILL_ONE(name, expr) tot[k++] = (expr);
    MP_SWEEP_TOTALS(MP_SWEEP_FILL_ONE)
#undef MP_SWEEP_FILL_ONE
    mp_run_free(r);
    for (int i = 0; i < MP_SWEEP_N_TOTALS; i++)
        if (!isfinite(tot[i]))
            return mp_fail(d, "", 0, mp_sweep_total_names[i], "out of "
                           "double range at this point");
    return 0;
}

int mp_sweep_eval_row(mp_sweep_eval *e, int64_t idx, mp_sbuf *out)
{
    mp_sweep *s = e->s;
    const yaml_node_t *vals[MP_SWEEP_MAX_AXES];
    mp_sweep_values(s, idx, vals);
    double *v = e->vars, *tot = v + s->n_config, *der = tot +
                                                        MP_SWEEP_N_TOTALS;
    const char *cfg[MP_SWEEP_MAX_COLS];
    for (int c = 0; c < s->n_config; c++) {
        int a = s->config_axis[c];
        cfg[c] = a >= 0 && vals[a] ? text_of(vals[a]) : s->config_base[c];
        v[c] = number_or_nan(cfg[c]);
    }
    mp_diag d;
    memset(&d, 0, sizeof d);
    int refused = simulate(e, vals, tot, &d) != 0;
    const char *status = refused ? "refused" : "ok";
    char reason[MP_DIAG_FIELD_MAX + MP_DIAG_MSG_MAX + 4] = "";
    if (refused) {
        snprintf(reason, sizeof reason, "%s%s%s", d.field,
                 d.field[0] ? ": " : "", d.msg);
    } else {
        for (int i = 0; i < s->n_derived; i++)
            der[i] = mp_expr_eval(&s->derived[i].e, v);
        for (int i = 0; i < s->n_cons; i++)
            if (!(mp_expr_eval(&s->cons[i].e, v) != 0)) {
                status = "violates";
                snprintf(reason, sizeof reason, "%s", s->cons[i].text);
                break;
            }
    }
    char head[64];
    int n = snprintf(head, sizeof head, "%lld,%016llx,%s", (long long)idx,
                     (unsigned long long)point_hash(s, vals), status);
    int rc = mp_sbuf_put(out, head, (size_t)n) || put_field(out, reason) ||
             put_field(out, s->arch_spec);
    for (int c = 0; c < s->n_config; c++)
        rc = rc || put_field(out, cfg[c]);
    for (int i = 0; i < MP_SWEEP_N_TOTALS + s->n_derived; i++)
        rc = rc || (refused ? mp_sbuf_put(out, ",", 1) : put_num(out, tot[i]));
    return rc || mp_sbuf_put(out, "\n", 1) ? -1 : 0;
}
