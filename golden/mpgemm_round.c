/*
 * mpgemm_round.c - exact rounding primitives of the hardware reference.
 *
 * The hardware rounds the *exact* result of an add or a multiply once.  A
 * float64 add or multiply may itself round, and rounding that again to FP16
 * or FP32 can differ from one correct rounding (double rounding).  We avoid
 * it with round-to-odd (Boldo & Melquiond, "Emulation of FMA and correctly
 * rounded sums: proved algorithms using rounding to odd", IEEE TC 2008):
 * if a value is first rounded to odd at 53 bits and then rounded to nearest
 * even at p <= 51 bits, the result is the correct RNE rounding of the exact
 * value.  Every target format here has p <= 24.
 *
 *   sum:      TwoSum gives s = RN(a+b) and the exact error e; if e != 0 and
 *             s has an even significand, step s one ulp towards e.
 *   product:  s * r with s a double and r an int64 is formed exactly in
 *             __int128 (53 + 63 bits), truncated to 53 bits with a sticky
 *             low bit (that is round-to-odd), then scaled by a power of two.
 */
#include "golden/mpgemm.h"

#include <math.h>
#include <string.h>

double mp_round_to(mp_act_fmt fmt, double v)
{
    return mp_act_round(fmt, v, MP_OVF_IEEE);
}

static int significand_is_odd(double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    return (int)(bits & 1);
}

/* a + b rounded to odd at 53 bits (finite inputs). */
static double add_round_odd(double a, double b)
{
    double s = a + b;
    if (!isfinite(s))
        return s;
    double bb = s - a;
    double err = (a - (s - bb)) + (b - bb); /* TwoSum: a + b = s + err */
    if (err == 0.0 || significand_is_odd(s))
        return s;
    return nextafter(s, err > 0 ? INFINITY : -INFINITY);
}

double mp_round_sum(mp_act_fmt fmt, double a, double b)
{
    return mp_round_to(fmt, add_round_odd(a, b));
}

/* mag * 2^exp rounded to odd at 53 bits, with the sign applied. */
static double u128_round_odd(unsigned __int128 mag, int negative, int exp)
{
    int nbits = 0;
    for (unsigned __int128 t = mag; t; t >>= 1)
        nbits++;
    uint64_t top;
    if (nbits <= 53) {
        top = (uint64_t)mag;
    } else {
        int shift = nbits - 53;
        unsigned __int128 rest = mag & ((((unsigned __int128)1) << shift) - 1);
        top = (uint64_t)(mag >> shift) | (rest != 0);
        exp += shift;
    }
    double v = ldexp((double)top, exp); /* exact: top < 2^53 */
    return negative ? -v : v;
}

double mp_round_scaled(mp_act_fmt fmt, double s, int64_t r, int frac_bits)
{
    if (!isfinite(s))
        return mp_round_to(fmt, s * (double)r);
    if (s == 0.0 || r == 0)
        return mp_round_to(fmt, s * (double)r); /* keeps the sign of zero */
    int e;
    double m = frexp(s, &e);                  /* s = m * 2^e, |m| in [0.5,1) */
    int64_t sig = (int64_t)ldexp(m, 53);      /* exact 53-bit integer       */
    __int128 prod = (__int128)sig * (__int128)r; /* < 2^116: exact          */
    int negative = prod < 0;
    unsigned __int128 mag = negative ? (unsigned __int128)(-prod)
                                     : (unsigned __int128)prod;
    return mp_round_to(fmt, u128_round_odd(mag, negative, e - 53 - frac_bits));
}

int64_t mp_to_grid(double v, int frac_bits)
{
    return (int64_t)llrint(ldexp(v, frac_bits)); /* RNE in the default mode */
}
