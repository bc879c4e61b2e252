/* infile.c - see infile.h. */
#include "golden/infile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *kind_of(mode_t mode)
{
    if (S_ISDIR(mode))
        return "a directory";
    if (S_ISFIFO(mode))
        return "a FIFO";
    if (S_ISCHR(mode) || S_ISBLK(mode))
        return "a device";
    if (S_ISSOCK(mode))
        return "a socket";
    return "not a regular file";
}

FILE *mp_in_open(const char *path, int64_t max_bytes, const char *field,
                 int64_t *size, mp_diag *d)
{
    /* O_NONBLOCK: opening a FIFO for reading must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        mp_fail(d, path, 0, field, "cannot open: %s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0) {
        mp_fail(d, path, 0, field, "cannot read: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        mp_fail(d, path, 0, field, "%s, not a regular file",
                kind_of(st.st_mode));
        close(fd);
        return NULL;
    }
    if ((int64_t)st.st_size > max_bytes) {
        mp_fail(d, path, 0, field, "file of %lld bytes is larger than the "
                "limit of %lld bytes", (long long)st.st_size,
                (long long)max_bytes);
        close(fd);
        return NULL;
    }
    int flags = fcntl(fd, F_GETFL);
    if (flags != -1)
        fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
    FILE *fp = fdopen(fd, "rb");
    if (!fp) {
        mp_fail(d, path, 0, field, "cannot read: %s", strerror(errno));
        close(fd);
        return NULL;
    }
    if (size)
        *size = (int64_t)st.st_size;
    return fp;
}

int mp_in_slurp(const char *path, int64_t max_bytes, const char *field,
                char **text, size_t *len, mp_diag *d)
{
    int64_t size;
    FILE *fp = mp_in_open(path, max_bytes, field, &size, d);
    if (!fp)
        return -1;
    /* One byte more than the size: a file that grew meanwhile is seen. */
    char *buf = malloc((size_t)size + 2);
    if (!buf) {
        fclose(fp);
        return mp_fail(d, path, 0, field, "out of memory");
    }
    size_t got = fread(buf, 1, (size_t)size + 1, fp);
    int err = ferror(fp);
    fclose(fp);
    if (err || got > (size_t)size) {
        free(buf);
        return mp_fail(d, path, 0, field, err ? "read error"
                                              : "file changed while read");
    }
    buf[got] = '\0';
    if (memchr(buf, '\0', got)) {
        free(buf);
        return mp_fail(d, path, 0, field, "binary data (a NUL byte) in a "
                       "text file");
    }
    *text = buf;
    *len = got;
    return 0;
}
