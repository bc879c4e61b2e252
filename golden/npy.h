/*
 * npy.h - read and write NumPy .npy files (format versions 1.0 and 2.0).
 *
 * Supported dtypes: int8, uint8, int16, uint16, int32, int64, float16
 * ('<f2'), float32, float64, little-endian (and '|' for 1-byte types),
 * C order (fortran_order False), any number of dimensions.  Anything else is
 * an error naming the file and the header field ("descr", "shape",
 * "fortran_order").  Values are handed over as doubles, which hold every
 * supported dtype exactly (int64 only within +-2^53, else an error).
 * Reading checks, before allocating anything, that the file is a regular
 * file of at most MP_NPY_MAX_BYTES and that the header length and the
 * shape x itemsize match the file's size exactly.
 */
#ifndef MP_NPY_H
#define MP_NPY_H

#include <stddef.h>
#include <stdint.h>
#include "golden/diag.h"

typedef enum mp_npy_dtype {
    MP_NPY_I8, MP_NPY_U8, MP_NPY_I16, MP_NPY_U16, MP_NPY_I32, MP_NPY_I64,
    MP_NPY_F16, MP_NPY_F32, MP_NPY_F64
} mp_npy_dtype;

#define MP_NPY_MAX_DIMS 8
/* Largest .npy read: 4 GiB (2^30 float32 values, held as 8 GiB of
 * doubles); far above one LLM weight matrix. */
#define MP_NPY_MAX_BYTES (4LL << 30)

typedef struct mp_npy {
    mp_npy_dtype dtype;
    int ndim;
    int64_t shape[MP_NPY_MAX_DIMS];
    size_t count;  /* product of shape */
    double *data;  /* count values, C order */
} mp_npy;

int mp_npy_read(const char *path, mp_npy *out, mp_diag *d);
void mp_npy_free(mp_npy *a);
/* Write values (converted exactly; an unrepresentable value is an error,
 * naming field "data" and the index) as any dtype above, in format 1.0,
 * atomically (see outfile.h).  I/O failures name field "-o". */
int mp_npy_write(const char *path, mp_npy_dtype dtype, int ndim,
                 const int64_t *shape, const double *values, mp_diag *d);
const char *mp_npy_dtype_name(mp_npy_dtype t); /* "int8", "float32", ... */

#endif
