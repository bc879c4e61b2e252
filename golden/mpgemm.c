/*
 * mpgemm.c - the float64 reference and the bit-exact hardware reference of
 * the mixed-precision GEMM (see mpgemm.h).
 *
 * docs/numerics.md (GEMM arithmetic) is the specification this file implements; every
 * loop below runs in the order that document fixes, because float
 * accumulation is not associative and the PE models and the RTL must
 * reproduce these results bit for bit.
 *
 * Structure: a group register (group_reg) holds an in-group sum in the
 * group accumulator's format (exact int64 for INT/FIXED, a rounded float
 * value for FP16/FP32).  The three evaluation orders (per-weight
 * dequantization; per-group K-ascending; per-group bit-serial) fill group
 * registers differently and then share the per-group dequantization
 * (finish_group) and the cross-group accumulation.
 */
#include "golden/mpgemm.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* ---- the in-group register -------------------------------------------- */

typedef struct group_reg {
    int64_t exact;   /* MP_ACC_INT / MP_ACC_FIXED: value * 2^frac_bits */
    double rounded;  /* MP_ACC_FP16 / MP_ACC_FP32                     */
} group_reg;

typedef struct gemm_ctx {
    const mp_gemm_in *in;
    const mp_arith *ar;
    int exact_acc;        /* group accumulator is INT or FIXED          */
    int frac_bits;        /* 0 for INT                                  */
    mp_act_fmt group_fmt; /* float group accumulator format             */
    mp_act_fmt out_fmt;   /* float output accumulator format            */
    int groups;           /* K / group_size                             */
    int16_t *codes;       /* code values, transposed [N][K] (locality)  */
    int64_t *x_grid;      /* current row on the int/fixed grid, or NULL
                             when a value is off the grid (each product
                             is then rounded onto it by reg_add)        */
} gemm_ctx;

/* Add a value that is exact in float64 (a product q*x, an activation, or a
 * table entry): INT adds it, FIXED rounds it onto the grid first (RNE),
 * float rounds the exact sum once. */
static void reg_add(const gemm_ctx *c, group_reg *r, double v)
{
    if (c->exact_acc)
        r->exact += c->frac_bits ? mp_to_grid(v, c->frac_bits) : (int64_t)v;
    else
        r->rounded = mp_round_sum(c->group_fmt, r->rounded, v);
}

/* P += q*x: the product is exact in float64 (8-bit code times a value of
 * at most 24 significant bits).  Unfused float accumulators round it to
 * their own format before the add. */
static void reg_add_product(const gemm_ctx *c, group_reg *r, int q, double x)
{
    double product = (double)q * x;
    if (!c->exact_acc && !c->ar->fused)
        product = mp_round_to(c->group_fmt, product);
    reg_add(c, r, product);
}

/* One group's contribution: r = P - z*S (exact, or rounded once into the
 * group format), then d = round_out(s * r) with the product exact.  For
 * integer output (no scales; always an int register) returns the exact r
 * in *int_out instead. */
static double finish_group(const gemm_ctx *c, const group_reg *p,
                           const group_reg *s_sum, int64_t zero, double scale,
                           int64_t *int_out)
{
    if (c->exact_acc) {
        int64_t r = p->exact - zero * s_sum->exact;
        if (int_out) {
            *int_out = r;
            return 0.0;
        }
        return mp_round_scaled(c->out_fmt, scale, r, c->frac_bits);
    }
    double r = p->rounded;
    if (zero != 0)
        r = mp_round_sum(c->group_fmt, r, -((double)zero * s_sum->rounded));
    return mp_round_to(c->out_fmt, scale * r); /* both <= 24 bits: exact */
}

/* ---- per-group, K ascending ------------------------------------------- */

static int64_t zero_at(const mp_gemm_in *in, int g, int n)
{
    return in->zeros ? in->zeros[(size_t)g * in->n + n] : 0;
}

static double scale_at(const mp_gemm_in *in, int g, int n)
{
    return in->scales ? (double)in->scales[(size_t)g * in->n + n] : 1.0;
}

static int code_at(const mp_gemm_in *in, int k, int n)
{
    return mp_wcode_value(in->wfmt, in->wq[(size_t)k * in->n + n]);
}

static int code_t(const gemm_ctx *c, int k, int n)
{
    return c->codes[(size_t)n * c->in->k + k];
}

/* Row m on the grid when every value is exactly on it: then a product
 * q*x lands on the grid too and grid(q*x) = q * grid(x) exactly, which
 * saves a rounding per product.  Otherwise x_grid = NULL. */
static void row_on_grid(gemm_ctx *c, int m, int64_t *buffer)
{
    const double *x = c->in->x + (size_t)m * c->in->k;
    c->x_grid = NULL;
    if (!c->exact_acc)
        return;
    for (int k = 0; k < c->in->k; k++) {
        double t = ldexp(x[k], c->frac_bits);
        if (t != nearbyint(t))
            return;
        buffer[k] = (int64_t)t;
    }
    c->x_grid = buffer;
}

/* S[g] = sum of the activations of row m in group g, k ascending. */
static void activation_sums(const gemm_ctx *c, int m, group_reg *sums)
{
    const mp_gemm_in *in = c->in;
    const double *x = in->x + (size_t)m * in->k;
    for (int g = 0; g < c->groups; g++) {
        memset(&sums[g], 0, sizeof sums[g]);
        for (int k = g * in->group_size; k < (g + 1) * in->group_size; k++)
            if (c->x_grid)
                sums[g].exact += c->x_grid[k];
            else
                reg_add(c, &sums[g], x[k]);
    }
}

/* Group register P of row m, column n, group g (K ascending). */
static void group_products(const gemm_ctx *c, int m, int n, int g,
                           group_reg *p)
{
    const mp_gemm_in *in = c->in;
    const double *x = in->x + (size_t)m * in->k;
    const int16_t *q = c->codes + (size_t)n * in->k;
    int first = g * in->group_size, last = first + in->group_size;
    memset(p, 0, sizeof *p);
    if (c->x_grid) {
        for (int k = first; k < last; k++)
            p->exact += q[k] * c->x_grid[k];
        return;
    }
    for (int k = first; k < last; k++)
        reg_add_product(c, p, q[k], x[k]);
}

/* ---- per-group, bit-serial (LUT Tensor Core) -------------------------- */

/* Weight bits B of the unsigned reinterpretation, and the offset that maps
 * a code onto [0, 2^B - 1] (signed codes +2^(B-1); ternary as INT2). */
static int serial_bits(mp_wfmt w) { return w.kind == MP_W_TERNARY ? 2 : w.bits; }
static int serial_offset(mp_wfmt w)
{
    return w.kind == MP_W_UNSIGNED ? 0 : 1 << (serial_bits(w) - 1);
}

/* The 8 symmetrized entries of each 4-group j of row m:
 *   T[j][i] = round_table(x0 + sum_{c=1..3} (bit c-1 of i ? -x_c : +x_c))
 * each the exact sum (exact in float64 for the activation formats the
 * check admits) rounded once. */
static void build_tables(const gemm_ctx *c, int m, double *tables)
{
    const mp_gemm_in *in = c->in;
    const double *x = in->x + (size_t)m * in->k;
    for (int j = 0; j < in->k / 4; j++) {
        const double *q4 = x + 4 * j;
        for (int i = 0; i < 8; i++) {
            double sum = q4[0];
            for (int col = 1; col < 4; col++)
                sum += (i >> (col - 1) & 1) ? -q4[col] : q4[col];
            tables[8 * j + i] = mp_round_to(c->ar->table_fmt, sum);
        }
    }
}

/* L_b: plane b of group g, column n: per 4-group the entry selected by the
 * plane bits u_c (index bit c-1 = u_c XOR u_0, negated when u_0 = 0). */
static void plane_sum(const gemm_ctx *c, const double *tables, int n, int g,
                      int b, group_reg *plane)
{
    const mp_gemm_in *in = c->in;
    int offset = serial_offset(in->wfmt);
    memset(plane, 0, sizeof *plane);
    for (int j = g * in->group_size / 4; j < (g + 1) * in->group_size / 4;
         j++) {
        int u[4];
        for (int col = 0; col < 4; col++)
            u[col] = (code_t(c, 4 * j + col, n) + offset) >> b & 1;
        int index = (u[1] ^ u[0]) | (u[2] ^ u[0]) << 1 | (u[3] ^ u[0]) << 2;
        double entry = tables[8 * j + index];
        reg_add(c, plane, u[0] ? entry : -entry);
    }
}

/* P' = sum_b 2^b L_b, lowest plane first; 2^b * L_b is exact (a shift of
 * an integer, an exponent increment of a float). */
static void serial_products(const gemm_ctx *c, const double *tables, int n,
                            int g, group_reg *p)
{
    memset(p, 0, sizeof *p);
    for (int b = 0; b < serial_bits(c->in->wfmt); b++) {
        group_reg plane;
        plane_sum(c, tables, n, g, b, &plane);
        if (c->exact_acc)
            p->exact += plane.exact * ((int64_t)1 << b);
        else
            p->rounded = mp_round_sum(c->group_fmt, p->rounded,
                                      ldexp(plane.rounded, b));
    }
}

/* ---- the per-group driver ---------------------------------------------- */

static void output_value(const gemm_ctx *c, int m, double acc, double *y)
{
    const mp_gemm_in *in = c->in;
    if (in->act_scale)
        acc = mp_round_to(c->out_fmt, acc * (double)in->act_scale[m]);
    *y = acc;
}

static int gemm_per_group(gemm_ctx *c, double *y, mp_diag *d)
{
    const mp_gemm_in *in = c->in;
    int serial = c->ar->order == MP_ORDER_BIT_SERIAL;
    group_reg *sums = calloc((size_t)c->groups, sizeof *sums);
    int64_t *grid = malloc((size_t)in->k * sizeof *grid);
    double *tables = serial ? malloc((size_t)in->k / 4 * 8 * sizeof *tables)
                            : NULL;
    if (!sums || !grid || (serial && !tables)) {
        free(sums);
        free(grid);
        free(tables);
        return mp_fail(d, "<memory>", 0, "gemm", "out of memory");
    }
    int width = serial_bits(in->wfmt);
    int offset = serial_offset(in->wfmt);
    for (int m = 0; m < in->m; m++) {
        row_on_grid(c, m, grid);
        activation_sums(c, m, sums);
        if (serial)
            build_tables(c, m, tables);
        for (int n = 0; n < in->n; n++) {
            double acc = 0.0;
            int64_t total = 0;
            for (int g = 0; g < c->groups; g++) {
                group_reg p;
                int64_t zero = zero_at(in, g, n), exact = 0;
                double scale = scale_at(in, g, n);
                if (serial) {
                    /* s' = s/2, z' = 2(z + offset) + 1 - 2^B, r' = 2r */
                    serial_products(c, tables, n, g, &p);
                    zero = 2 * (zero + offset) + 1 - ((int64_t)1 << width);
                    scale /= 2;
                } else {
                    group_products(c, m, n, g, &p);
                }
                double dq = finish_group(c, &p, &sums[g], zero, scale,
                                         in->scales ? NULL : &exact);
                if (in->scales)
                    acc = mp_round_sum(c->out_fmt, acc, dq);
                else
                    total += exact;
            }
            double *out = &y[(size_t)m * in->n + n];
            if (in->scales)
                output_value(c, m, acc, out);
            else
                *out = (double)total;
        }
    }
    free(sums);
    free(grid);
    free(tables);
    return 0;
}

/* ---- per-weight (dequantize first) ------------------------------------ */

static int gemm_per_weight(const gemm_ctx *c, double *y, mp_diag *d)
{
    const mp_gemm_in *in = c->in;
    size_t count = (size_t)in->k * in->n;
    double *w = malloc(count * sizeof *w);
    if (!w)
        return mp_fail(d, "<memory>", 0, "gemm", "out of memory");
    int integer = mp_gemm_int_output(in);
    /* Each weight dequantized once: w = round_w(s * (q - z)), exact
     * product; an FP16 weight is its value (no scale, no zero point). */
    for (int k = 0; k < in->k; k++)
        for (int n = 0; n < in->n; n++) {
            int g = k / in->group_size;
            double v = mp_wcode_weight(in->wfmt, code_at(in, k, n)) -
                       (double)zero_at(in, g, n);
            w[(size_t)k * in->n + n] =
                in->scales ? mp_round_to(c->ar->weight_fmt,
                                         scale_at(in, g, n) * v)
                           : v;
        }
    for (int m = 0; m < in->m; m++) {
        const double *x = in->x + (size_t)m * in->k;
        for (int n = 0; n < in->n; n++) {
            double acc = 0.0;
            int64_t total = 0;
            for (int k = 0; k < in->k; k++) {
                double product = w[(size_t)k * in->n + n] * x[k]; /* exact */
                if (integer) {
                    total += (int64_t)product;
                    continue;
                }
                if (!c->ar->fused)
                    product = mp_round_to(c->out_fmt, product);
                acc = mp_round_sum(c->out_fmt, acc, product);
            }
            double *out = &y[(size_t)m * in->n + n];
            if (!integer)
                output_value(c, m, acc, out);
            else
                *out = (double)total;
        }
    }
    free(w);
    return 0;
}

int mp_gemm_hw(const mp_gemm_in *in, const mp_arith *ar, double *y,
               mp_diag *d)
{
    if (mp_gemm_check(in, ar, "<gemm input>", d))
        return -1;
    /* Integer output (no scales) has no rounding anywhere: y is the exact
     * sum of P - z*S whatever registers and order the arithmetic names
     * (every order gives the same integer), so compute it K-ascending in
     * int64 (the check bounded it to int32). */
    mp_arith integer = {MP_DEQ_PER_GROUP, MP_ACC_INT, 64, 0, MP_ACC_INT,
                        ar->weight_fmt, MP_ORDER_K_ASCENDING, ar->table_fmt,
                        1};
    if (mp_gemm_int_output(in))
        ar = &integer;
    int exact = ar->group_acc == MP_ACC_INT || ar->group_acc == MP_ACC_FIXED;
    gemm_ctx c = {
        .in = in,
        .ar = ar,
        .exact_acc = exact,
        .frac_bits = ar->group_acc == MP_ACC_FIXED ? ar->frac_bits : 0,
        .group_fmt = mp_acc_float_fmt(ar->group_acc),
        .out_fmt = mp_acc_float_fmt(ar->out_acc),
        .groups = in->k / in->group_size,
    };
    if (ar->dequant == MP_DEQ_PER_WEIGHT)
        return gemm_per_weight(&c, y, d);
    c.codes = malloc((size_t)in->k * in->n * sizeof *c.codes);
    if (!c.codes)
        return mp_fail(d, "<memory>", 0, "gemm", "out of memory");
    for (int k = 0; k < in->k; k++)
        for (int n = 0; n < in->n; n++)
            c.codes[(size_t)n * in->k + k] = (int16_t)code_at(in, k, n);
    int rc = gemm_per_group(&c, y, d);
    free(c.codes);
    return rc;
}

int mp_gemm_int_output(const mp_gemm_in *in)
{
    return !in->scales && !mp_wfmt_is_float(in->wfmt);
}

/* ---- float64 reference and error statistics --------------------------- */

void mp_gemm_ref_f64(const mp_gemm_in *in, double *y)
{
    int groups = in->k / in->group_size;
    for (int m = 0; m < in->m; m++) {
        const double *x = in->x + (size_t)m * in->k;
        for (int n = 0; n < in->n; n++) {
            double total = 0.0;
            for (int g = 0; g < groups; g++) {
                double part = 0.0;
                int64_t zero = zero_at(in, g, n);
                for (int k = g * in->group_size; k < (g + 1) * in->group_size;
                     k++)
                    part += (mp_wcode_weight(in->wfmt, code_at(in, k, n)) -
                             (double)zero) * x[k];
                total += scale_at(in, g, n) * part;
            }
            if (in->act_scale)
                total *= (double)in->act_scale[m];
            y[(size_t)m * in->n + n] = total;
        }
    }
}

void mp_gemm_error(const double *ref, const double *y, size_t count,
                   mp_err_stats *out)
{
    memset(out, 0, sizeof *out);
    double sum_sq = 0.0;
    for (size_t i = 0; i < count; i++) {
        double err = fabs(y[i] - ref[i]);
        if (isnan(err))
            err = INFINITY; /* a NaN output is as wrong as it gets */
        if (err > out->max_abs) {
            out->max_abs = err;
            out->worst_index = i;
        }
        if (ref[i] != 0.0 && err / fabs(ref[i]) > out->max_rel)
            out->max_rel = err / fabs(ref[i]);
        sum_sq += err * err;
    }
    out->rms = count ? sqrt(sum_sq / (double)count) : 0.0;
}
