/* outfile.c - see outfile.h. */
#include "golden/outfile.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int mp_out_open(mp_outfile *of, const char *path, mp_diag *d)
{
    memset(of, 0, sizeof *of);
    if (strlen(path) >= sizeof of->path)
        return mp_fail(d, path, 0, "-o", "output path too long");
    snprintf(of->path, sizeof of->path, "%s", path);
    if (strcmp(path, "-") == 0) {
        of->fp = stdout;
        of->is_stdout = 1;
        return 0;
    }
    snprintf(of->tmp_path, sizeof of->tmp_path, "%s.tmp.%ld", path,
             (long)getpid());
    of->fp = fopen(of->tmp_path, "wb");
    if (!of->fp)
        return mp_fail(d, path, 0, "-o", "cannot write: %s", strerror(errno));
    return 0;
}

int mp_out_commit(mp_outfile *of, mp_diag *d)
{
    if (of->is_stdout) {
        if (fflush(stdout) != 0)
            return mp_fail(d, "<stdout>", 0, "-o", "write failed");
        return 0;
    }
    int bad = ferror(of->fp);
    if (fclose(of->fp) != 0)
        bad = 1;
    of->fp = NULL;
    if (bad) {
        remove(of->tmp_path);
        return mp_fail(d, of->path, 0, "-o", "write failed");
    }
    if (rename(of->tmp_path, of->path) != 0) {
        int err = errno;
        remove(of->tmp_path);
        return mp_fail(d, of->path, 0, "-o", "cannot create: %s", strerror(err));
    }
    return 0;
}

void mp_out_abort(mp_outfile *of)
{
    if (of->is_stdout || !of->fp)
        return;
    fclose(of->fp);
    of->fp = NULL;
    remove(of->tmp_path);
}
