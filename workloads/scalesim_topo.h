/*
 * scalesim_topo.h - read a SCALE-Sim v2 topology CSV as a trace.
 *
 * Two forms, told apart by the header row (SCALE-Sim itself is told by
 * its config; the header is unambiguous, so we look):
 *
 *   Layer, M, N, K,                                      (GEMM form)
 *   Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width,
 *   Channels, Num Filter, Strides,                       (convolution form;
 *                                   a 9th column gives the width stride,
 *                                   or the batch when its header reads
 *                                   "Batch Size" as in SCALE-Sim v3: the
 *                                   width stride is then the row stride
 *                                   and each image is one more repeat)
 *
 * Every row ends with a comma, as SCALE-Sim writes them (a missing final
 * comma is accepted too).  A convolution becomes the GEMM SCALE-Sim runs:
 * ofmap = (ifmap - filter) / stride + 1 (integer division, per dimension),
 * M = ofmap_h * ofmap_w output pixels, N = Num Filter, K = Filter Height *
 * Filter Width * Channels.  A layer whose name contains "DP" is depthwise,
 * as in SCALE-Sim: one GEMM per channel with K = Filter Height * Filter
 * Width, which we keep as one op with repeat = Channels.  Operands are INT8
 * activations x INT8 per-channel weights (w8a8).
 */
#ifndef MP_SCALESIM_TOPO_H
#define MP_SCALESIM_TOPO_H

#include "workloads/trace.h"

/* out must be mp_trace_init()ed; on error it is left empty. */
int mp_scalesim_topo_read(const char *path, mp_trace *out, mp_diag *d);

#endif
