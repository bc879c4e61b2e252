/*
 * cosim_build.h - build a co-simulation executable from RTL with Verilator,
 * cached by content.
 *
 * Contract.  mp_cosim_build() turns the RTL files of one design plus a
 * harness (tests/cosim/harness.cpp, or tests/cosim/sc_tb.cpp for SystemC)
 * into an executable under CACHE/<hash>/, where the hash (FNV-1a 64) covers
 * the content of every RTL file, the top module name, the harness source,
 * the golden sources it links, the variant and the tool flags.  A second
 * call with the same inputs reuses the executable; a build goes to a
 * temporary sibling directory renamed into place when complete, so an
 * interrupted build never poisons the cache.  The C golden (golden/ *.c and
 * sim/cosim/cosim_tiles.c) is compiled with the C compiler into
 * CACHE/golden-<hash>.a and linked by absolute path (Verilator 5.006
 * compiles files handed to --exe as C++, whatever their suffix).
 *
 * Verilator flags: --cc (or --sc) --exe --build -j 2 -Wall -Wno-fatal
 * -MAKEFLAGS OPT_FAST=-O1, never --threads (measured on 2 cores: -O1 builds
 * a 16x16 array in 15 s instead of 40 s; --threads 2 ran 45x slower).  Warnings
 * are kept in the build log but do not stop a hand-edited design.
 *
 * Sources are found under the data root (golden/datadir.h): the repository.
 */
#ifndef MP_COSIM_BUILD_H
#define MP_COSIM_BUILD_H

#include <stddef.h>
#include "golden/diag.h"
#include "sim/tools.h"

typedef enum mp_cosim_variant {
    MP_COSIM_CC,       /* Verilator C++ harness                      */
    MP_COSIM_CC_TRACE, /* same with FST tracing compiled in           */
    MP_COSIM_SC,       /* verilator --sc + SystemC testbench          */
    MP_COSIM_CC_TOGGLE, /* C++ harness with --coverage-toggle: per-bit
                          toggle counts of every signal (activity)    */
    MP_COSIM_CC_VCD    /* same as CC_TRACE with a VCD (--trace): the PE's
                          inputs cycle by cycle (activity --gate)     */
} mp_cosim_variant;

/* Build (or find) the executable; its path goes to exe.  *cached is set to
 * 1 on a cache hit. */
int mp_cosim_build(const mp_rtl_src *src, mp_cosim_variant v,
                   const char *cache_dir, char *exe, size_t cap, int *cached,
                   mp_diag *d);

/* Default cache directory: $MPSIM_COSIM_CACHE, else cosim-cache next to
 * the running executable (build/cosim-cache). */
void mp_cosim_default_cache(char *out, size_t cap);

/* Repository root holding golden/ and tests/cosim/ (0 or -1). */
int mp_cosim_root(char *out, size_t cap, mp_diag *d);

#endif
