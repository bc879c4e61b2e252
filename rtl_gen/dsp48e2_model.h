/*
 * dsp48e2_model.h - the behavioural DSP48E2 model (DSP48E2.v, module
 * DSP48E2) the DSP chain designs ship for simulation; see dsp48e2_model.c
 * for its scope.  The file name equals the module name (Verilator's
 * DECLFILENAME), and its body sits inside `ifndef SYNTHESIS.
 */
#ifndef MP_RTL_DSP48E2_MODEL_H
#define MP_RTL_DSP48E2_MODEL_H

#include "golden/diag.h"
#include "rtl_gen/emit.h"

/* The primitive's (and the model's) module name. */
#define MP_RTL_DSP48E2 "DSP48E2"

/* Writes DSP48E2.v into the run (once per run); 0 or -1 with d filled. */
int mp_rtl_emit_dsp48e2(mp_rtl_out *out, mp_diag *d);

#endif
