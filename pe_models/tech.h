/*
 * tech.h - technology cost tables: named constants, each with its source.
 *
 * A table is loaded by sim/ from a YAML file (data/tech/*.yaml) into this
 * plain struct; PE models only read it, by name, and never see YAML.
 * Every constant carries a unit and a source (paper and table, or synthesis
 * run), so every number in a report can be traced.  Node scaling between
 * technologies follows Stillmaker & Baas 2017 (see docs/model.md).
 */
#ifndef MP_TECH_H
#define MP_TECH_H

#include <stddef.h>
#include "golden/diag.h"

typedef struct mp_tech_const {
    char name[48];    /* e.g. "int8_mult_pj" */
    double value;
    char unit[16];    /* "pJ", "um2", "uW", "count" ... */
    char source[200]; /* "Horowitz ISSCC'14, Fig. 1.1.9" */
    int line;         /* line in the tech file, for diagnostics */
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

#endif
