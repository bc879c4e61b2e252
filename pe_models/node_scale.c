/*
 * node_scale.c - CMOS node scaling after Stillmaker & Baas 2017; see tech.h.
 *
 * A. Stillmaker, B. Baas, "Scaling equations for the accurate prediction of
 * CMOS device performance from 180 nm to 7 nm", Integration, the VLSI
 * Journal 58 (2017) 74-81, and its corrigendum (which fixes the Section
 * 4.2.1 example).  The data below are the paper's tables:
 *   - the area scaling matrix: entry [from][to] multiplies an area at node
 *     `from` into node `to` (the paper's matrix, not a single per-node
 *     number, so its rounding is kept as published);
 *   - per-node fits in the supply voltage V: delay a cubic, energy and
 *     power quadratics.  A quantity scales by fit(to, Vto) / fit(from,
 *     Vfrom).  For 45 nm and below the HP (high performance) fits are used;
 *     the paper also has LP fits, which mpsim does not use.
 *
 * mpsim choices (not in the paper), documented in docs/model.md (section 9):
 *   - untabulated nodes inside 7..180 nm (e.g. 28 nm) are interpolated
 *     between the two neighbouring tabulated nodes, linearly in log(value)
 *     against log(node), for both the area matrix and the V fits;
 *   - a nominal supply voltage per node, used when a constant gives no vdd;
 *   - nodes outside 7..180 nm are refused (NaN here; the loader reports a
 *     one-line error before that can reach a cost).
 * The fits are only meaningful over the voltage range the paper fitted
 * each node at; a fit that is not positive at the requested voltage gives
 * NaN, which the loader also refuses.
 */
#include "pe_models/tech.h"

#include <math.h>

enum { NODES = 11 };

/* Tabulated nodes, largest first (the paper's order). */
static const double node_nm[NODES] = {180, 130, 90, 65, 45, 32,
                                      20,  16,  14, 10, 7};

/* Paper's area scaling matrix: area_matrix[from][to], same node order. */
static const double area_matrix[NODES][NODES] = {
    {1, 0.34, 0.15, 0.08, 0.053, 0.025, 0.011, 0.01, 0.0093, 0.0055, 0.0032},
    {2.9, 1, 0.44, 0.23, 0.16, 0.072, 0.033, 0.03, 0.027, 0.016, 0.0092},
    {6.6, 2.3, 1, 0.53, 0.35, 0.16, 0.075, 0.067, 0.061, 0.036, 0.021},
    {12, 4.3, 1.9, 1, 0.66, 0.31, 0.14, 0.13, 0.12, 0.068, 0.039},
    {19, 6.4, 2.8, 1.5, 1, 0.46, 0.21, 0.19, 0.17, 0.1, 0.059},
    {40, 14, 6.1, 3.3, 2.2, 1, 0.46, 0.41, 0.38, 0.22, 0.13},
    {88, 30, 13, 7.1, 4.7, 2.2, 1, 0.89, 0.82, 0.48, 0.28},
    {99, 34, 15, 7.9, 5.3, 2.4, 1.1, 1, 0.91, 0.54, 0.31},
    {110, 37, 16, 8.7, 5.8, 2.7, 1.2, 1.1, 1, 0.59, 0.34},
    {180, 63, 28, 15, 9.8, 4.5, 2.1, 1.9, 1.7, 1, 0.58},
    {320, 110, 48, 25, 17, 7.8, 3.6, 3.2, 2.9, 1.7, 1},
};

/* Paper's per-node fits in V, highest power first: delay cubic
 * {d3,d2,d1,d0}, energy and power quadratics {x2,x1,x0}.  HP fits from
 * 45 nm down. */
static const double fit_delay[NODES][4] = {
    {0, 97.09, -356.7, 406.5},           /* 180      */
    {-76.65, 334.9, -493.4, 275.8},      /* 130      */
    {-60.34, 262.5, -384.2, 210.9},      /* 90       */
    {-53.3, 230.4, -333.9, 178.6},       /* 65       */
    {-501.6, 1567, -1619, 566.1},        /* HP45     */
    {-1047, 2982, -2797, 873.5},         /* HP32     */
    {0, 34.63, -66.37, 41.15},           /* HP20     */
    {0, 24.8, -47.52, 28.87},            /* HP16     */
    {-40.66, 109.2, -100.6, 35.92},      /* HP14     */
    {-34.95, 93.65, -85.99, 30.4},       /* HP10     */
    {-28.58, 76.6, -70.26, 24.69},       /* HP7      */
};
static const double fit_energy[NODES][3] = {
    {0, 24.64, -17.98},          {7.171, -6.709, 2.904},
    {4.762, -4.781, 2.092},      {3.755, -4.398, 1.975},
    {1.018, -0.3107, 0.1539},    {0.8367, -0.4341, 0.1701},
    {0.373, -0.1582, 0.04104},   {0.2958, -0.1241, 0.03024},
    {0.2363, -0.09675, 0.02239}, {0.2068, -0.09311, 0.02375},
    {0.1776, -0.09097, 0.02447},
};
static const double fit_power[NODES][3] = {
    {0, 101000, -79720},   {27020, -15450, 5630}, {17320, -11230, 4328},
    {12890, -10510, 4362}, {5462, -1760, 522.4},  {4001, -1733, 533.6},
    {2922, -1286, 299.9},  {2133, -882.6, 197.7}, {1675, -711, 159},
    {1456, -621.6, 143.8}, {1179, -515.7, 123.4},
};

/* Nominal supply per tabulated node, used when a constant gives no vdd:
 * an mpsim assumption (typical core voltages of each generation). */
static const double nominal_vdd[NODES] = {1.8, 1.3, 1.2, 1.1, 1.0, 0.9,
                                          0.9, 0.8, 0.8, 0.7, 0.7};

int mp_node_scale_supported(double nm)
{
    return nm >= node_nm[NODES - 1] && nm <= node_nm[0];
}

/* Where nm sits: tabulated index *i and log-distance *t in [0,1) towards
 * index *i + 1 (t == 0: exactly tabulated).  nm must be supported. */
static void bracket(double nm, int *i, double *t)
{
    for (int k = 0; k < NODES; k++) {
        if (nm == node_nm[k]) {
            *i = k;
            *t = 0;
            return;
        }
        if (k + 1 < NODES && nm < node_nm[k] && nm > node_nm[k + 1]) {
            *i = k;
            *t = log(node_nm[k] / nm) / log(node_nm[k] / node_nm[k + 1]);
            return;
        }
    }
}

/* log-linear blend of two positive values (a exactly when t == 0). */
static double blend(double a, double b, double t)
{
    if (t == 0)
        return a;
    if (!(a > 0) || !(b > 0))
        return NAN;
    return exp((1 - t) * log(a) + t * log(b));
}

double mp_node_nominal_vdd(double nm)
{
    if (!mp_node_scale_supported(nm))
        return NAN;
    int i;
    double t;
    bracket(nm, &i, &t);
    /* between nodes: linear in log(node), like the other interpolations */
    return t == 0 ? nominal_vdd[i]
                  : (1 - t) * nominal_vdd[i] + t * nominal_vdd[i + 1];
}

/* One tabulated node's fit at v; NaN unless positive. */
static double fit_at(mp_node_metric metric, int i, double v)
{
    double f;
    if (metric == MP_NODE_DELAY)
        f = ((fit_delay[i][0] * v + fit_delay[i][1]) * v + fit_delay[i][2]) *
                v + fit_delay[i][3];
    else if (metric == MP_NODE_ENERGY)
        f = (fit_energy[i][0] * v + fit_energy[i][1]) * v + fit_energy[i][2];
    else
        f = (fit_power[i][0] * v + fit_power[i][1]) * v + fit_power[i][2];
    return f > 0 && isfinite(f) ? f : NAN;
}

double mp_node_fit(mp_node_metric metric, double nm, double vdd)
{
    if (!mp_node_scale_supported(nm) || !(vdd > 0) || !isfinite(vdd))
        return NAN;
    int i;
    double t;
    bracket(nm, &i, &t);
    double a = fit_at(metric, i, vdd);
    return t == 0 ? a : blend(a, fit_at(metric, i + 1, vdd), t);
}

double mp_node_area_factor(double from_nm, double to_nm)
{
    if (!mp_node_scale_supported(from_nm) || !mp_node_scale_supported(to_nm))
        return NAN;
    /* The paper's matrix entries are rounded, so m[a][b] m[b][a] is not
     * exactly 1 and the interpolation below would give 28 -> 28 nm
     * 1.0024: the same node is the identity by definition. */
    if (from_nm == to_nm)
        return 1.0;
    int r, c;
    double tr, tc;
    bracket(from_nm, &r, &tr);
    bracket(to_nm, &c, &tc);
    /* along `to` in the row(s) of `from`, then along `from` */
    double row = blend(area_matrix[r][c],
                       tc == 0 ? 0 : area_matrix[r][c + 1], tc);
    if (tr == 0)
        return row;
    double next = blend(area_matrix[r + 1][c],
                        tc == 0 ? 0 : area_matrix[r + 1][c + 1], tc);
    return blend(row, next, tr);
}
