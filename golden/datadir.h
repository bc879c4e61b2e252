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

/* Names (ext stripped, shorter than 64 characters, sorted) of the files
 * <root>/subdir/NAME<ext>: the presets, tech tables and models `mpsim
 * list` shows and the tests iterate.  The count (at most cap), or -1 if
 * the folder cannot be read. */
int mp_data_names(const char *subdir, const char *ext, char names[][64],
                  int cap);

#endif
