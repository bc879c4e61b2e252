/*
 * scalesim_cfg.h - read a SCALE-Sim v2 configuration (.cfg) as an mpsim
 * architecture: an INT8 MAC array in SCALE-Sim's conventions.
 *
 *   [architecture_presets]
 *   ArrayHeight: 32          rows
 *   ArrayWidth: 32           cols
 *   IfmapSramSzkB: 64        activation buffer (KiB)
 *   FilterSramSzkB: 64       weight buffer (KiB)
 *   OfmapSramSzkB: 64        output buffer (KiB)
 *   Dataflow: os|ws|is
 *   Bandwidth: 10            words (bytes) per cycle, used when
 *   [run_presets]
 *   InterfaceBandwidth: USER (CALC: the bandwidth that never stalls)
 *
 * "key: value" and "key = value" are both accepted; '#' and ';' start
 * comments; keys and sections are case-insensitive, as in SCALE-Sim's
 * configparser.  The other keys SCALE-Sim v2 reads (run_name, offsets,
 * MemoryBanks, memory-map files, TopologyCsvLoc) are accepted and do not
 * change the model.  Strict like every mpsim reader: an unknown section or
 * key (with a did-you-mean: `Bandwith` names `Bandwidth`), a duplicate
 * section or key, a line that is neither a [section] nor key/value, a
 * number that is not decimal or outside its range, or an unknown dataflow
 * is an error naming the file, line and key.  The result is not bound
 * (see arch.h).
 */
#ifndef MP_SCALESIM_CFG_H
#define MP_SCALESIM_CFG_H

#include "golden/diag.h"
#include "sim/arch.h"

int mp_scalesim_cfg_load(const char *path, mp_arch *a, mp_diag *d);
int mp_scalesim_cfg_parse(const char *text, const char *name, mp_arch *a,
                          mp_diag *d);

#endif
