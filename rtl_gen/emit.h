/*
 * emit.h - writing Verilog text: one module per file, files.f, params.json.
 *
 * Contract.  A generation run owns one mp_rtl_out: the output directory, a
 * module-name prefix and the list of modules written so far (leaves first,
 * in the order they were finished).  mp_vmod_begin() opens DIR/NAME.v for a
 * module through golden/outfile.h (so a file appears whole or not at all);
 * it returns 1 without opening anything when NAME was already emitted in
 * this run, which lets every emitter call its leaves unconditionally (the
 * FP units are shared by many users).  mp_vmod_end() commits the file and
 * appends the module to the list.  mp_rtl_out_abort() removes every file of
 * the run, so a failed generation leaves no partial output.
 *
 * Every emitted file starts with `default_nettype none` and ends with
 * `default_nettype wire` (Verilog-2005; no SystemVerilog).  Module names
 * equal file names (Verilator's DECLFILENAME).  Widths are concrete numbers:
 * the generator computes them in C, so what is emitted is what is linted.
 */
#ifndef MP_RTL_EMIT_H
#define MP_RTL_EMIT_H

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include "golden/diag.h"
#include "golden/json.h"
#include "golden/outfile.h"

#define MP_RTL_NAME_MAX 96
#define MP_RTL_MAX_MODULES 64

typedef struct mp_rtl_out {
    char dir[MP_DIAG_FILE_MAX];
    char prefix[MP_RTL_NAME_MAX];   /* leaf module names start with it     */
    int count;                      /* modules written, leaves first       */
    char modules[MP_RTL_MAX_MODULES][MP_RTL_NAME_MAX];
    int failed;                     /* a write failed: the run is aborted  */
} mp_rtl_out;

/* One module being written. */
typedef struct mp_vmod {
    mp_rtl_out *out;
    mp_outfile file;
    char name[MP_RTL_NAME_MAX];
    int indent;                     /* current indent level (4 spaces)    */
} mp_vmod;

/* Start a run writing into `dir` (which must exist) with leaf modules
 * named "<prefix>_<leaf>". */
int mp_rtl_out_init(mp_rtl_out *out, const char *dir, const char *prefix,
                    mp_diag *d);
/* Remove every file this run committed. */
void mp_rtl_out_abort(mp_rtl_out *out);
/* 1 if the module was already written in this run. */
int mp_rtl_out_has(const mp_rtl_out *out, const char *module);

/* Build "<prefix>_<fmt...>" into buf (MP_RTL_NAME_MAX bytes). */
const char *mp_rtl_leaf_name(const mp_rtl_out *out, char *buf,
                             const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Open DIR/NAME.v.  Returns 0 (write the module), 1 (already emitted:
 * nothing to do) or -1 (error in d). */
int mp_vmod_begin(mp_vmod *m, mp_rtl_out *out, const char *name,
                  const char *comment, mp_diag *d);
/* One line at the current indent; "" gives an empty line. */
void mp_vline(mp_vmod *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Line, then indent++ ("begin"-like) / indent--, then line ("end"-like). */
void mp_vopen(mp_vmod *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void mp_vclose(mp_vmod *m, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Commit the file and record the module.  On failure removes it. */
int mp_vmod_end(mp_vmod *m, mp_diag *d);
/* Abandon a module being written (error path). */
void mp_vmod_abort(mp_vmod *m);

/* Helpers for concrete widths. */
int mp_clog2(int64_t n);            /* ceil(log2(n)), 0 for n <= 1        */
int mp_idx_bits(int64_t depth);     /* bits to index depth items, >= 1    */
int mp_sbits_for(int64_t lo, int64_t hi); /* two's complement bits for [lo,hi] */
/* "W'dV" / "W'sd-V" style constants: sized unsigned decimal, and a sized
 * signed constant as a Verilog expression ("-8'sd5"). */
const char *mp_vconst(char *buf, int width, uint64_t value);
const char *mp_vsconst(char *buf, int width, int64_t value);

/* Zero-extend or truncate wire `name` of from_bits to to_bits: an
 * expression (buf >= 128 bytes; name < 96 chars). */
const char *mp_vresize(char *buf, const char *name, int from_bits,
                       int to_bits);

/* files.f: one path per line (module files, leaves first, top last). */
int mp_rtl_write_files_f(mp_rtl_out *out, mp_diag *d);

/* params.json: a flat object, one member a line, written whole or not at
 * all with the one JSON writer (golden/json.h); members(w, ctx) puts the
 * members. */
typedef void mp_rtl_params_fn(mp_json *w, const void *ctx);
int mp_rtl_write_params(mp_rtl_out *out, mp_rtl_params_fn *members,
                        const void *ctx, mp_diag *d);

/* The completion marker MP_RTL_DONE (rtl.h): removed before a run writes
 * anything, written after everything else, so a directory whose generation
 * was interrupted is never taken for a complete design. */
void mp_rtl_clear_done(const char *dir);
int mp_rtl_write_done(mp_rtl_out *out, mp_diag *d);

#endif
