/* datadir.c - see datadir.h. */
#include "golden/datadir.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "golden/strutil.h"

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

static int cmp_names(const void *x, const void *y)
{
    return strcmp((const char *)x, (const char *)y);
}

int mp_data_names(const char *subdir, const char *ext, char names[][64],
                  int cap)
{
    char dir[PATH_MAX + 64];
    snprintf(dir, sizeof dir, "%s/%s", mp_data_root(), subdir);
    DIR *dp = opendir(dir);
    if (!dp)
        return -1;
    size_t elen = strlen(ext);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(dp)) && n < cap) {
        size_t len = strlen(e->d_name);
        if (len <= elen || len - elen >= 64 || !mp_ends_with(e->d_name, ext))
            continue;
        memcpy(names[n], e->d_name, len - elen);
        names[n][len - elen] = '\0';
        n++;
    }
    closedir(dp);
    qsort(names, (size_t)n, sizeof names[0], cmp_names);
    return n;
}
