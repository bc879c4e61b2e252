/*
 * mpgemm_check.c - everything mp_gemm_hw() refuses, decided before any
 * arithmetic: shapes, value ranges, arithmetic consistency, and accumulator
 * widths.
 *
 * Overflow is decided from the formats' extreme values, K, the group size
 * and the zero-point range, never from the data, so a configuration that is
 * accepted can never wrap whatever values later flow through it.  Bounds are
 * intervals of exact integers (in units of the fixed-point grid) kept in
 * __int128; activation magnitudes beyond 2^70 grid units are clamped to
 * 2^70, which already needs more than 64 bits, so nothing can overflow the
 * 128-bit arithmetic (2^70 * 2^8 * 2^31 * 2^9 < 2^127).
 */
#include "golden/mpgemm.h"

#include <math.h>
#include <stdio.h>

typedef __int128 wide;

typedef struct interval {
    wide lo, hi;
} interval;

#define CLAMP_LIMIT 70

static wide clamp_to_wide(double v)
{
    double lim = ldexp(1.0, CLAMP_LIMIT);
    if (v > lim)
        v = lim;
    if (v < -lim)
        v = -lim;
    return (wide)v;
}

/* Real interval [lo, hi] (exact doubles) scaled by 2^frac, rounded outwards. */
static interval on_grid(double lo, double hi, int frac)
{
    interval r = {clamp_to_wide(floor(ldexp(lo, frac))),
                  clamp_to_wide(ceil(ldexp(hi, frac)))};
    return r;
}

static interval iv_times(interval a, wide n) /* n >= 0 */
{
    interval r = {a.lo * n, a.hi * n};
    return r;
}

static wide wmin(wide a, wide b) { return a < b ? a : b; }
static wide wmax(wide a, wide b) { return a > b ? a : b; }

static interval iv_mul(interval a, interval b)
{
    wide c[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
    interval r = {c[0], c[0]};
    for (int i = 1; i < 4; i++) {
        r.lo = wmin(r.lo, c[i]);
        r.hi = wmax(r.hi, c[i]);
    }
    return r;
}

static interval iv_sub(interval a, interval b)
{
    interval r = {a.lo - b.hi, a.hi - b.lo};
    return r;
}

static interval iv_union(interval a, interval b)
{
    interval r = {wmin(a.lo, b.lo), wmax(a.hi, b.hi)};
    return r;
}

/* Smallest two's complement width holding every value of the interval. */
static int bits_for(interval v)
{
    int b = 1;
    while (b < 127) {
        wide half = ((wide)1) << (b - 1);
        if (v.lo >= -half && v.hi < half)
            break;
        b++;
    }
    return b;
}

static double act_lo(mp_act_fmt act)
{
    /* two's complement integers reach one below -max */
    return mp_act_is_float(act) ? -mp_act_max(act) : -mp_act_max(act) - 1.0;
}

/* Bits of the in-group registers for per-group, K-ascending or bit-serial.
 * Also returns through *r_out the interval of r = P - z*S in grid units of
 * the K-ascending algebra (bit-serial r' = 2r, so it is halved back). */
static int group_bits(const mp_gemm_in *in, const mp_arith *ar,
                      interval *r_out)
{
    int frac = ar->group_acc == MP_ACC_FIXED ? ar->frac_bits : 0;
    double xlo = act_lo(in->act), xhi = mp_act_max(in->act);
    double xmag = fmax(-xlo, xhi);
    int qlo = mp_wfmt_min(in->wfmt), qhi = mp_wfmt_max(in->wfmt);
    int zlo = in->zeros ? qlo : 0, zhi = in->zeros ? qhi : 0;
    wide group = in->group_size;

    interval x = on_grid(xlo, xhi, frac);
    double corners[4] = {qlo * xlo, qlo * xhi, qhi * xlo, qhi * xhi};
    double plo = corners[0], phi = corners[0];
    for (int i = 1; i < 4; i++) {
        plo = fmin(plo, corners[i]);
        phi = fmax(phi, corners[i]);
    }
    interval sum_x = iv_times(x, group);
    interval z = {zlo, zhi};
    interval z_s = iv_mul(z, sum_x);
    interval p = iv_times(on_grid(plo, phi, frac), group);
    interval r = iv_sub(p, z_s);
    *r_out = r;
    if (ar->order != MP_ORDER_BIT_SERIAL)
        return bits_for(iv_union(iv_union(p, sum_x), iv_union(z_s, r)));

    /* Bit-serial: table entries |T| <= 4 max|x| (rounded to the table
     * format, which can only round the extreme up), plane sums over G/4
     * entries, P' = sum_b 2^b L_b, z' = 2 zu + 1 - 2^B. */
    int width = in->wfmt.kind == MP_W_TERNARY ? 2 : in->wfmt.bits;
    int offset = in->wfmt.kind == MP_W_UNSIGNED ? 0 : 1 << (width - 1);
    double t = mp_round_to(ar->table_fmt, 4.0 * xmag);
    if (!mp_act_is_float(ar->table_fmt))
        t = 4.0 * xmag; /* integer tables are checked exact elsewhere */
    interval entry = on_grid(-t, t, frac);
    interval plane = iv_times(entry, group / 4);
    interval p_prime = iv_times(plane, ((wide)1 << width) - 1);
    wide two_b = (wide)1 << width;
    interval z_prime = {2 * ((wide)zlo + offset) + 1 - two_b,
                        2 * ((wide)zhi + offset) + 1 - two_b};
    interval zs_prime = iv_mul(z_prime, sum_x);
    interval r_prime = iv_sub(p_prime, zs_prime);
    interval all = iv_union(iv_union(plane, p_prime),
                            iv_union(sum_x, iv_union(zs_prime, r_prime)));
    return bits_for(all); /* the bit-serial unit never holds P or z*S */
}

int mp_gemm_acc_bits_needed(const mp_gemm_in *in, const mp_arith *ar)
{
    if (ar->dequant == MP_DEQ_PER_WEIGHT ||
        (ar->group_acc != MP_ACC_INT && ar->group_acc != MP_ACC_FIXED))
        return 0;
    interval r;
    return group_bits(in, ar, &r);
}

/* ---- value checks ------------------------------------------------------ */

static const char *name_or(const char *name, const char *fallback)
{
    return name ? name : fallback;
}

static int check_shape(const mp_gemm_in *in, const char *file, mp_diag *d)
{
    if (in->m <= 0 || in->n <= 0 || in->k <= 0)
        return mp_fail(d, file, 0, "shape",
                       "M, N, K must be > 0, got %d x %d x %d", in->m, in->n,
                       in->k);
    /* Every [A][B] array must be addressable in doubles. */
    double biggest = fmax(fmax((double)in->m * in->k, (double)in->k * in->n),
                          (double)in->m * in->n);
    if (biggest > (double)(SIZE_MAX / 16))
        return mp_fail(d, file, 0, "shape", "%d x %d x %d is too large",
                       in->m, in->n, in->k);
    return 0;
}

static int check_values(const mp_gemm_in *in, const mp_gemm_files *f,
                        mp_diag *d)
{
    for (int m = 0; m < in->m; m++)
        for (int k = 0; k < in->k; k++) {
            double v = in->x[(size_t)m * in->k + k];
            if (!isfinite(v) || !mp_act_representable(in->act, v))
                return mp_fail(d, f->x, 0, "x",
                               "x[%d][%d] = %.17g is not a finite %s value",
                               m, k, v, mp_act_name(in->act));
        }
    char wname[16];
    mp_wfmt_name(in->wfmt, wname, sizeof wname);
    int qlo = mp_wfmt_min(in->wfmt), qhi = mp_wfmt_max(in->wfmt);
    for (int k = 0; k < in->k; k++)
        for (int n = 0; n < in->n; n++) {
            int q = mp_wcode_value(in->wfmt, in->wq[(size_t)k * in->n + n]);
            if (mp_wfmt_is_float(in->wfmt) && !mp_wcode_ok(in->wfmt, q))
                return mp_fail(d, f->wq, 0, "wq",
                               "wq[%d][%d] = 0x%04x is not a finite %s "
                               "value", k, n, (unsigned)q, wname);
            if (!mp_wcode_ok(in->wfmt, q))
                return mp_fail(d, f->wq, 0, "wq",
                               "wq[%d][%d] = %d is outside %s [%d, %d]", k, n,
                               q, wname, qlo, qhi);
        }
    int groups = in->k / in->group_size;
    for (int g = 0; g < groups; g++)
        for (int n = 0; n < in->n; n++) {
            size_t i = (size_t)g * in->n + n;
            if (in->scales && !isfinite(in->scales[i]))
                return mp_fail(d, f->scales, 0, "scales",
                               "scales[%d][%d] = %g is not finite", g, n,
                               (double)in->scales[i]);
            if (in->zeros && (in->zeros[i] < qlo || in->zeros[i] > qhi))
                return mp_fail(d, f->zeros, 0, "zeros",
                               "zeros[%d][%d] = %d is outside the %s code "
                               "range [%d, %d]",
                               g, n, (int)in->zeros[i], wname, qlo, qhi);
        }
    if (in->act_scale)
        for (int m = 0; m < in->m; m++)
            if (!isfinite(in->act_scale[m]))
                return mp_fail(d, f->act_scale, 0, "act_scale",
                               "act_scale[%d] = %g is not finite", m,
                               (double)in->act_scale[m]);
    return 0;
}

/* ---- arithmetic consistency ------------------------------------------- */

/* FP16 weights are values: no scales, no zero points, per-weight
 * arithmetic with FP16 weights, float activations. */
static int check_float_weights(const mp_gemm_in *in, const mp_arith *ar,
                               const char *file, mp_diag *d)
{
    if (in->scales || in->zeros)
        return mp_fail(d, file, 0, in->scales ? "scales" : "zeros",
                       "fp16 weights are values: they take no %s",
                       in->scales ? "scales" : "zero points");
    if (!mp_act_is_float(in->act))
        return mp_fail(d, file, 0, "act",
                       "fp16 weights need float activations, got %s",
                       mp_act_name(in->act));
    if (ar->dequant != MP_DEQ_PER_WEIGHT || ar->weight_fmt != MP_ACT_FP16)
        return mp_fail(d, file, 0, "dequant",
                       "fp16 weights need per-weight arithmetic with "
                       "weight_fmt fp16");
    if (ar->out_acc != MP_ACC_FP16 && ar->out_acc != MP_ACC_FP32)
        return mp_fail(d, file, 0, "out_acc",
                       "fp16 weights give float output: out_acc must be "
                       "fp16 or fp32, got %s", mp_acc_fmt_name(ar->out_acc));
    return 0;
}

static int check_output(const mp_gemm_in *in, const mp_arith *ar,
                        const char *file, mp_diag *d)
{
    if (mp_wfmt_is_float(in->wfmt))
        return check_float_weights(in, ar, file, d);
    if (!in->scales) {
        if (ar->out_acc != MP_ACC_INT)
            return mp_fail(d, file, 0, "out_acc",
                           "integer output (no scales) needs out_acc int, "
                           "got %s", mp_acc_fmt_name(ar->out_acc));
        if (mp_act_is_float(in->act))
            return mp_fail(d, file, 0, "out_acc",
                           "integer output (no scales) needs integer "
                           "activations, got %s", mp_act_name(in->act));
        if (in->act_scale)
            return mp_fail(d, file, 0, "act_scale",
                           "a per-token scale needs weight scales "
                           "(integer output has no scale)");
        return 0;
    }
    if (ar->out_acc != MP_ACC_FP16 && ar->out_acc != MP_ACC_FP32)
        return mp_fail(d, file, 0, "out_acc",
                       "with scales the output accumulator must be fp16 or "
                       "fp32, got %s", mp_acc_fmt_name(ar->out_acc));
    return 0;
}

static int check_group_acc(const mp_gemm_in *in, const mp_arith *ar,
                           const char *file, mp_diag *d)
{
    switch (ar->group_acc) {
    case MP_ACC_INT:
        if (mp_act_is_float(in->act))
            return mp_fail(d, file, 0, "group_acc",
                           "an int group accumulator needs integer "
                           "activations, got %s (use fixed or fp32)",
                           mp_act_name(in->act));
        break;
    case MP_ACC_FIXED:
        if (ar->frac_bits < 0 || ar->frac_bits > 62)
            return mp_fail(d, file, 0, "frac_bits",
                           "a fixed group accumulator needs frac_bits in "
                           "0..62, got %d", ar->frac_bits);
        break;
    case MP_ACC_FP16:
    case MP_ACC_FP32:
        return 0;
    default:
        return mp_fail(d, file, 0, "group_acc", "unknown accumulator %d",
                       (int)ar->group_acc);
    }
    if (ar->acc_bits < 2 || ar->acc_bits > 64)
        return mp_fail(d, file, 0, "acc_bits",
                       "an %s group accumulator needs acc_bits in 2..64, "
                       "got %d", mp_acc_fmt_name(ar->group_acc), ar->acc_bits);
    return 0;
}

static int check_bit_serial(const mp_gemm_in *in, const mp_arith *ar,
                            const char *file, mp_diag *d)
{
    if (in->group_size % 4 || in->k % 4)
        return mp_fail(d, file, 0, "order",
                       "bit-serial tables take 4 activations: K (%d) and the "
                       "group size (%d) must be multiples of 4",
                       in->k, in->group_size);
    if (in->act == MP_ACT_BF16 || in->act == MP_ACT_FP32)
        return mp_fail(d, file, 0, "order",
                       "bit-serial tables of %s activations are not "
                       "supported (4-term sums are not exact in float64)",
                       mp_act_name(in->act));
    if (!mp_act_is_float(ar->table_fmt)) {
        if (mp_act_is_float(in->act))
            return mp_fail(d, file, 0, "table_fmt",
                           "an integer table (%s) needs integer activations, "
                           "got %s", mp_act_name(ar->table_fmt),
                           mp_act_name(in->act));
        double worst = 4.0 * -act_lo(in->act);
        if (worst > mp_act_max(ar->table_fmt))
            return mp_fail(d, file, 0, "table_fmt",
                           "table entries of 4 %s activations reach %.0f, "
                           "beyond %s", mp_act_name(in->act), worst,
                           mp_act_name(ar->table_fmt));
    } else if (ar->group_acc == MP_ACC_INT || ar->group_acc == MP_ACC_FIXED) {
        double worst = 4.0 * fmax(-act_lo(in->act), mp_act_max(in->act));
        /* E4M3 has no Inf: its overflow is NaN, as unholdable */
        if (!isfinite(mp_round_to(ar->table_fmt, worst)))
            return mp_fail(d, file, 0, "table_fmt",
                           "table entries of 4 %s activations can overflow "
                           "%s, and an %s accumulator cannot hold Inf/NaN",
                           mp_act_name(in->act), mp_act_name(ar->table_fmt),
                           mp_acc_fmt_name(ar->group_acc));
    }
    return 0;
}

static int check_arith(const mp_gemm_in *in, const mp_arith *ar,
                       const char *file, mp_diag *d)
{
    if (check_output(in, ar, file, d))
        return -1;
    if (ar->dequant == MP_DEQ_PER_WEIGHT) {
        if (ar->order != MP_ORDER_K_ASCENDING)
            return mp_fail(d, file, 0, "order",
                           "per-weight dequantization is k-ascending only");
        if (in->scales && !mp_act_is_float(ar->weight_fmt))
            return mp_fail(d, file, 0, "weight_fmt",
                           "dequantized weights need a float format, got %s",
                           mp_act_name(ar->weight_fmt));
        return 0;
    }
    if (ar->dequant != MP_DEQ_PER_GROUP)
        return mp_fail(d, file, 0, "dequant", "unknown dequant point %d",
                       (int)ar->dequant);
    if (check_group_acc(in, ar, file, d))
        return -1;
    if (ar->order == MP_ORDER_BIT_SERIAL)
        return check_bit_serial(in, ar, file, d);
    if (ar->order != MP_ORDER_K_ASCENDING)
        return mp_fail(d, file, 0, "order", "unknown order %d",
                       (int)ar->order);
    return 0;
}

static int check_overflow(const mp_gemm_in *in, const mp_arith *ar,
                          const char *file, mp_diag *d)
{
    char wname[16], acc[32];
    mp_wfmt_name(in->wfmt, wname, sizeof wname);
    interval r;
    int need = mp_gemm_acc_bits_needed(in, ar);
    if (need > ar->acc_bits) {
        if (ar->group_acc == MP_ACC_INT)
            snprintf(acc, sizeof acc, "INT%d", ar->acc_bits);
        else
            snprintf(acc, sizeof acc, "fixed %d.%d", ar->acc_bits,
                     ar->frac_bits);
        return mp_fail(d, file, 0, "acc_bits",
                       "%s accumulator overflows: group of %d %s x %s%s "
                       "needs %d bits",
                       acc, in->group_size, mp_act_name(in->act), wname,
                       in->zeros ? " with zero points" : "", need);
    }
    if (mp_gemm_int_output(in)) {
        /* y = sum_g (P - z*S) exactly, whatever the order. */
        mp_arith exact = *ar;
        exact.group_acc = MP_ACC_INT;
        exact.order = MP_ORDER_K_ASCENDING;
        group_bits(in, &exact, &r);
        int ybits = bits_for(iv_times(r, in->k / in->group_size));
        if (ybits > 32)
            return mp_fail(d, file, 0, "out_acc",
                           "int32 output overflows: K = %d of %s x %s%s "
                           "needs %d bits",
                           in->k, mp_act_name(in->act), wname,
                           in->zeros ? " with zero points" : "", ybits);
    }
    return 0;
}

int mp_gemm_check_files(const mp_gemm_in *in, const mp_arith *ar,
                        const mp_gemm_files *files, mp_diag *d)
{
    mp_gemm_files f = *files;
    f.wq = name_or(f.wq, f.x);
    f.scales = name_or(f.scales, f.x);
    f.zeros = name_or(f.zeros, f.x);
    f.act_scale = name_or(f.act_scale, f.x);
    f.arith = name_or(f.arith, f.x);
    f.params = name_or(f.params, f.x);
    if (check_shape(in, f.params, d))
        return -1;
    if ((int)in->act < 0 || in->act >= MP_ACT_COUNT)
        return mp_fail(d, f.params, 0, "act", "unknown activation format %d",
                       (int)in->act);
    if (mp_wfmt_check(in->wfmt, f.params, "wbits", d))
        return -1;
    if (in->group_size <= 0 || in->k % in->group_size)
        return mp_fail(d, f.params, 0, "group_size",
                       "group size %d does not divide K = %d",
                       in->group_size, in->k);
    if (check_values(in, &f, d) || check_arith(in, ar, f.arith, d))
        return -1;
    return check_overflow(in, ar, f.arith, d);
}

int mp_gemm_check(const mp_gemm_in *in, const mp_arith *ar, const char *file,
                  mp_diag *d)
{
    mp_gemm_files f = {file, file, file, file, file, file, file};
    return mp_gemm_check_files(in, ar, &f, d);
}
