/*
 * tech_load.h - read a technology cost table (pe_models/tech/NAME.yaml).
 *
 *   name: asic-45nm          # must match the file's table name
 *   node_nm: 45
 *   vdd: 1.0
 *   fpga: false
 *   description: "..."       # optional
 *   constants:
 *     int8_mult_pj: {value: 0.2, unit: pJ, source: "Horowitz ISSCC 2014"}
 *     fp16_add_pj:  {value: 0.4, unit: pJ, source: "...", node_nm: 45,
 *                    vdd: 0.9}  # measured elsewhere: scaled on load
 *
 * Every constant needs value (a finite number), unit and a non-empty
 * source.  A constant with node_nm (and optionally vdd) different from the
 * table's is scaled to the table's node with mp_tech_scale_factor() by the
 * kind its unit implies; raw_value and from_nm keep what the file said.
 * A constant that needs scaling from or to a node outside 7..180 nm, or at
 * a voltage where the energy fit is not positive, is an error.
 * Errors fill the diag with the file, the 1-based line and the key path
 * ("constants.int8_mult_pj.source").  Unknown keys are errors (typos).
 */
#ifndef MP_TECH_LOAD_H
#define MP_TECH_LOAD_H

#include "golden/diag.h"
#include "pe_models/tech.h"

int mp_tech_load(const char *path, mp_tech *out, mp_diag *d);
/* Parse YAML text (tests, embedded tables); `name` is the diag file. */
int mp_tech_load_string(const char *text, const char *name, mp_tech *out,
                        mp_diag *d);
/* "asic-45nm" -> <data root>/pe_models/tech/asic-45nm.yaml (golden/datadir.h:
 * $MPSIM_DATA, else the executable's repository, else "."). */
int mp_tech_load_builtin(const char *name, mp_tech *out, mp_diag *d);
void mp_tech_free(mp_tech *t);

#endif
