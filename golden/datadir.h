/*
 * datadir.h - where mpsim's data files (arch presets, tech tables, models)
 * live at run time.
 *
 * Order: $MPSIM_DATA if set (the repository root or an install prefix
 * holding the same folders), else the repository the running executable
 * was built in (build/mpsim -> ..), else the current directory.
 * mp_data_path("pe_models/tech", "asic-45nm", ".yaml", buf, cap) gives the
 * first existing "<root>/pe_models/tech/asic-45nm.yaml"; 0 or -1 if none.
 */
#ifndef MP_DATADIR_H
#define MP_DATADIR_H

#include <stddef.h>

int mp_data_path(const char *subdir, const char *name, const char *ext,
                 char *out, size_t cap);
/* The roots searched, in order (for messages and `mpsim list`). */
const char *mp_data_root(void);

#endif
