/*
 * tech.h - technology cost tables: named constants, each with its source.
 *
 * A table is loaded by sim/ from a YAML file (pe_models/tech/NAME.yaml, see
 * sim/tech_load.h) into this plain struct; PE models only read it, by name,
 * and never see YAML.  Every constant carries a unit and a source (paper and
 * table, or "mpsim assumption"), so every number in a report can be traced.
 *
 * Node scaling: a constant measured at another node (its `node_nm`/`vdd` in
 * the file) is scaled to the table's node when loaded, with
 * mp_tech_scale_factor(), which uses the published scaling equations of
 * Stillmaker & Baas 2017 (Integration 58:74-81, with corrigendum; HP fits
 * at 45 nm and below) in node_scale.c.  Nodes the paper does not tabulate
 * (28 nm) are interpolated log-log between neighbours, an mpsim choice;
 * nodes outside 7..180 nm are refused.  See docs/model.md (section 9).
 */
#ifndef MP_TECH_H
#define MP_TECH_H

#include <stddef.h>
#include "golden/diag.h"

typedef struct mp_tech_const {
    char name[48];    /* e.g. "int8_mult_pj" */
    double value;     /* at the table's node (after scaling)           */
    char unit[16];    /* "pJ", "um2", "uW", "count" ...                 */
    char source[200]; /* "Horowitz ISSCC'14, Fig. 1.1.9"                */
    int line;         /* line in the tech file, for diagnostics         */
    double raw_value; /* as written in the file                         */
    double from_nm;   /* node the raw value was measured at (0: same)   */
} mp_tech_const;

typedef struct mp_tech {
    char name[48];   /* "asic-45nm", "asic-28nm", "xcup" */
    char file[256];  /* where it was read from ("<built-in>" if none) */
    double node_nm;  /* 45, 28, 180; 16 for UltraScale+ */
    double vdd;      /* volts */
    int is_fpga;
    size_t count;
    mp_tech_const *consts;
} mp_tech;

/* Look a constant up; NULL if absent. */
const mp_tech_const *mp_tech_find(const mp_tech *t, const char *name);
/* Value of a required constant: 0, or -1 with d naming the tech file and
 * the missing field. */
int mp_tech_get(const mp_tech *t, const char *name, double *out, mp_diag *d);

/* A measured entry of a calibration table (osu018-timing, osu018-energy):
 * FAMILY_ACT + suffix if t has it (family and activation format, e.g.
 * "mixpe_int8_pe_path_ns"), else FAMILY + suffix (the family's fallback
 * for formats never measured), else NULL; '-' in the key reads as '_'
 * (act NULL: FAMILY only).  The key used goes to key (cap bytes; may be
 * NULL), e.g. "mixpe_int8". */
const mp_tech_const *mp_tech_find_entry(const mp_tech *t, const char *family,
                                        const char *act, const char *suffix,
                                        char *key, size_t cap);

/* SRAM read energy per bit of a buffer of `bytes` (> 0): log-log
 * interpolation through the table's sram_8kb/32kb/1mb_pj_per_bit points
 * (Horowitz: energy grows about as sqrt(size)), extrapolated with the
 * nearest segment's slope outside 8 KB..1 MB.  -1 with d naming a missing
 * constant or a bad size. */
int mp_tech_sram_pj_per_bit(const mp_tech *t, double bytes, double *out,
                            mp_diag *d);
/* Area (mm^2) of one SRAM bank of `bytes`: log-log interpolation through
 * the table's sram_bank_128b/4096b/8192b_mm2 points (CACTI banks),
 * extrapolated with the nearest segment's slope.  Returns 1 when the
 * table has no such points (area unknown), 0 with *out, -1 on a bad
 * size. */
int mp_tech_sram_bank_mm2(const mp_tech *t, double bytes, double *out,
                          mp_diag *d);

/* What a unit scales like between nodes. */
typedef enum mp_scale_kind {
    MP_SCALE_NONE,   /* counts, ratios, bits, Hz, DRAM/HBM off-chip figures */
    MP_SCALE_ENERGY, /* pJ, pJ/bit, nJ: the paper's energy fit              */
    MP_SCALE_POWER,  /* uW, mW, W at a fixed clock: same as energy          */
    MP_SCALE_AREA,   /* um2, mm2: the paper's area matrix                   */
    MP_SCALE_DELAY   /* ns, ps: a path delay, the paper's delay fit          */
} mp_scale_kind;

/* Scaling kind implied by a unit string ("pJ", "pJ/bit", "uW", "um2"...). */
mp_scale_kind mp_tech_unit_kind(const char *unit);
/* Multiplier taking a value of the given kind from (from_nm, from_vdd) to
 * (to_nm, to_vdd).  A vdd <= 0 means that node's nominal voltage
 * (mp_node_nominal_vdd).  1 for MP_SCALE_NONE; NaN when a node is outside
 * 7..180 nm or a voltage fit is not positive there: check with
 * mp_node_scale_supported() (and isfinite) before use. */
double mp_tech_scale_factor(mp_scale_kind kind, double from_nm,
                            double from_vdd, double to_nm, double to_vdd);

/* ---- node_scale.c: Stillmaker & Baas 2017 scaling equations ---------- */

/* The paper's per-node voltage fits. */
typedef enum mp_node_metric {
    MP_NODE_DELAY,  /* gate delay (cubic in V)                            */
    MP_NODE_ENERGY, /* energy per operation (quadratic in V)              */
    MP_NODE_POWER   /* power at the node's own maximum clock (quadratic)  */
} mp_node_metric;

/* 1 if nm is within the paper's 7..180 nm, else 0. */
int mp_node_scale_supported(double nm);
/* The fit of `metric` at node nm and supply vdd (relative units: only
 * ratios between nodes mean anything).  Untabulated nodes interpolate
 * log(fit) linearly in log(node) between neighbours (mpsim choice).  NaN
 * if nm is unsupported, vdd <= 0, or the fit is not positive at vdd. */
double mp_node_fit(mp_node_metric metric, double nm, double vdd);
/* Area multiplier from_nm -> to_nm: the paper's area matrix entry, log-log
 * interpolated for untabulated nodes (mpsim choice).  NaN if unsupported. */
double mp_node_area_factor(double from_nm, double to_nm);
/* Nominal supply of a node (mpsim assumption, see docs/model.md (section 9)):
 * 180 1.8 V, 130 1.3, 90 1.2, 65 1.1, 45 1.0, 32 0.9, 20 0.9, 16/14 0.8,
 * 10/7 0.7; interpolated linearly in log(node) between.  NaN if
 * unsupported. */
double mp_node_nominal_vdd(double nm);

#endif
