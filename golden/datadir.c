/* datadir.c - see datadir.h. */
#include "golden/datadir.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char root_buf[PATH_MAX];

/* The directory two levels above the executable (repo/build/mpsim), found
 * by walking up from /proc/self/exe until a folder holds pe_models/. */
static int exe_root(char *out, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0)
        return -1;
    exe[n] = '\0';
    for (int up = 0; up < 4; up++) {
        char *slash = strrchr(exe, '/');
        if (!slash)
            return -1;
        *slash = '\0';
        char probe[PATH_MAX + 16];
        snprintf(probe, sizeof probe, "%s/pe_models", exe[0] ? exe : "/");
        if (access(probe, R_OK) == 0) {
            snprintf(out, cap, "%s", exe[0] ? exe : "/");
            return 0;
        }
    }
    return -1;
}

const char *mp_data_root(void)
{
    const char *env = getenv("MPSIM_DATA");
    if (env && env[0])
        return env;
    if (exe_root(root_buf, sizeof root_buf) == 0)
        return root_buf;
    return ".";
}

int mp_data_path(const char *subdir, const char *name, const char *ext,
                 char *out, size_t cap)
{
    int n = snprintf(out, cap, "%s/%s/%s%s", mp_data_root(), subdir, name,
                     ext ? ext : "");
    if (n < 0 || (size_t)n >= cap)
        return -1;
    return access(out, R_OK) == 0 ? 0 : -1;
}
