/*
 * fuzz_main.c - the libFuzzer entry point for one reader, chosen at build
 * time with -DMP_FUZZ_READER='"name"' (tests/fuzz/run.sh builds one binary
 * per reader of readers.c).  A reader may refuse any input; it must
 * never crash, hang, leak, or refuse without a diag.
 */
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/readers.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mp_diag d;
    memset(&d, 0, sizeof d);
    if (mp_fuzz_run(MP_FUZZ_READER, data, size, &d) != 0 &&
        (!d.msg[0] || !d.file[0]))
        abort(); /* refused without saying where and why */
    return 0;
}
