/* readers.c - see readers.h. */
#include "tests/fuzz/readers.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "golden/npy.h"
#include "sim/activity.h"
#include "sim/analysis/results.h"
#include "sim/arch.h"
#include "sim/cosim.h"
#include "sim/scalesim_cfg.h"
#include "sim/sweep/spec.h"
#include "sim/tech_load.h"
#include "workloads/model.h"
#include "workloads/quant_scheme.h"
#include "workloads/scalesim_topo.h"
#include "workloads/trace.h"
#include "workloads/yaml_doc.h"

/* ---- inputs as strings and as files ------------------------------------ */

static char *as_string(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1);
    if (text) {
        memcpy(text, data, size);
        text[size] = '\0';
    }
    return text;
}

static char scratch_dir[64];

/* Every file the readers below write, relative to the scratch directory
 * (deepest first, so that removing them in order empties it). */
static const char *const scratch_files[] = {
    "topo.csv", "trace.yaml", "model.yaml", "config.json", "quant.yaml",
    "a.npy", "coverage.dat", "sweep.yaml", "results.csv", "rtl/params.json", "rtl/files.f", "rtl/mpsim_top.v",
    "rtl/mpsim-rtl.done", "rtl", NULL};

static void remove_scratch(void)
{
    char path[128];
    for (const char *const *f = scratch_files; *f; f++) {
        snprintf(path, sizeof path, "%s/%s", scratch_dir, *f);
        remove(path);
    }
    rmdir(scratch_dir);
}

/* A scratch directory for the process, removed at exit. */
static const char *scratch(void)
{
    if (!scratch_dir[0]) {
        /* tmpfs when there is one: a file is rewritten per input */
        snprintf(scratch_dir, sizeof scratch_dir, "%s/mpsim-fuzz-XXXXXX",
                 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
        if (!mkdtemp(scratch_dir))
            abort();
        atexit(remove_scratch);
    }
    return scratch_dir;
}

static int write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        abort(); /* the harness's own failure, not the reader's */
    fwrite(data, 1, size, fp);
    fclose(fp);
    return 0;
}

/* data written to SCRATCH/name; the path in buf */
static const char *to_file(const char *name, const uint8_t *data,
                           size_t size, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s", scratch(), name);
    write_file(buf, data, size);
    return buf;
}

/* ---- the readers -------------------------------------------------------- */

typedef int (*arch_parse_fn)(const char *text, const char *name,
                             mp_arch *a, mp_diag *d);

/* Parse (arch YAML or SCALE-Sim .cfg), then bind as --arch does. */
static int arch_text(arch_parse_fn parse, const char *name,
                     const uint8_t *data, size_t size, mp_diag *d)
{
    char *text = as_string(data, size);
    mp_arch a;
    int rc = parse(text, name, &a, d);
    if (rc == 0) {
        rc = mp_arch_bind(&a, d);
        mp_arch_free(&a);
    }
    free(text);
    return rc;
}

static int run_arch(const uint8_t *data, size_t size, mp_diag *d)
{
    return arch_text(mp_arch_load_string, "fuzz.yaml", data, size, d);
}

static int run_cfg(const uint8_t *data, size_t size, mp_diag *d)
{
    return arch_text(mp_scalesim_cfg_parse, "fuzz.cfg", data, size, d);
}

static int run_tech(const uint8_t *data, size_t size, mp_diag *d)
{
    char *text = as_string(data, size);
    mp_tech t;
    int rc = mp_tech_load_string(text, "fuzz-tech.yaml", &t, d);
    if (rc == 0)
        mp_tech_free(&t);
    free(text);
    return rc;
}

static int run_yaml(const uint8_t *data, size_t size, mp_diag *d)
{
    mp_yaml y;
    int rc = mp_yaml_load_string((const char *)data, size, "fuzz.yaml", &y,
                                 d);
    if (rc == 0)
        mp_yaml_free(&y);
    return rc;
}

static int run_topo(const uint8_t *data, size_t size, mp_diag *d)
{
    char path[128];
    mp_trace t;
    int rc = mp_scalesim_topo_read(to_file("topo.csv", data, size, path,
                                           sizeof path), &t, d);
    if (rc == 0)
        mp_trace_free(&t);
    return rc;
}

static int run_trace(const uint8_t *data, size_t size, mp_diag *d)
{
    char path[128];
    mp_trace t;
    mp_trace_init(&t);
    int rc = mp_trace_read(to_file("trace.yaml", data, size, path,
                                   sizeof path), &t, d);
    mp_trace_free(&t);
    return rc;
}

/* A model description: mpsim's YAML or a Hugging Face config.json. */
static int model_file(int (*load)(const char *, mp_model *, mp_diag *),
                      const char *name, const uint8_t *data, size_t size,
                      mp_diag *d)
{
    char path[128];
    mp_model m;
    return load(to_file(name, data, size, path, sizeof path), &m, d);
}

static int run_model(const uint8_t *data, size_t size, mp_diag *d)
{
    return model_file(mp_model_load_yaml, "model.yaml", data, size, d);
}

static int run_hf(const uint8_t *data, size_t size, mp_diag *d)
{
    return model_file(mp_model_load_hf, "config.json", data, size, d);
}

static int run_quant(const uint8_t *data, size_t size, mp_diag *d)
{
    char path[128];
    mp_quant_config c;
    return mp_quant_config_load(to_file("quant.yaml", data, size, path,
                                        sizeof path), &c, d);
}

static int run_npy(const uint8_t *data, size_t size, mp_diag *d)
{
    char path[128];
    mp_npy a;
    int rc = mp_npy_read(to_file("a.npy", data, size, path, sizeof path), &a,
                         d);
    if (rc == 0)
        mp_npy_free(&a);
    return rc;
}

/* Verilator toggle counts (cosim --activity) */
static int run_coverage(const uint8_t *data, size_t size, mp_diag *d)
{
    char path[128];
    mp_toggles t = {0, NULL};
    int rc = mp_toggle_read(to_file("coverage.dat", data, size, path,
                                    sizeof path), "mpsim_top_pe", &t, d);
    mp_toggles_free(&t);
    return rc;
}

static int run_sweep(const uint8_t *data, size_t size, mp_diag *d)
{
    char path[128];
    mp_sweep sw;
    int rc = mp_sweep_read(to_file("sweep.yaml", data, size, path,
                                   sizeof path), &sw, d);
    if (rc == 0)
        mp_sweep_free(&sw);
    return rc;
}

/* A sweep's results CSV as `mpsim report` reads it: two numeric columns
 * and the first configuration column as the group. */
static int run_results(const uint8_t *data, size_t size, mp_diag *d)
{
    char path[128];
    mp_results r;
    int rc = mp_results_open(to_file("results.csv", data, size, path,
                                     sizeof path), &r, d);
    if (rc == 0) {
        mp_results_want(&r, "cycles");
        mp_results_want(&r, "energy_j");
        rc = mp_results_load(&r, r.ncols > 3 ? r.names[3] : NULL, d);
    }
    mp_results_free(&r);
    return rc;
}

/* An RTL directory: the input as params.json next to a completion marker
 * and a files.f naming one stub .v file (the reader's checks, not
 * Verilator, are fuzzed). */
static int run_params(const uint8_t *data, size_t size, mp_diag *d)
{
    char dir[96], path[160];
    snprintf(dir, sizeof dir, "%s/rtl", scratch());
    mkdir(dir, 0777);
    snprintf(path, sizeof path, "%s/params.json", dir);
    write_file(path, data, size);
    static const char stub[] = "module mpsim_top; endmodule\n";
    snprintf(path, sizeof path, "%s/mpsim_top.v", dir);
    write_file(path, (const uint8_t *)stub, sizeof stub - 1);
    snprintf(path, sizeof path, "%s/files.f", dir);
    write_file(path, (const uint8_t *)"mpsim_top.v\n", 12);
    snprintf(path, sizeof path, "%s/mpsim-rtl.done", dir);
    write_file(path, (const uint8_t *)"", 0);
    mp_cosim_design dz;
    int rc = mp_cosim_design_read(dir, NULL, &dz, d);
    if (rc == 0)
        mp_cosim_design_free(&dz);
    return rc;
}

const mp_fuzz_reader mp_fuzz_readers[] = {
    {"arch", run_arch},     {"cfg", run_cfg},     {"tech", run_tech},
    {"yaml", run_yaml},     {"topo", run_topo},   {"trace", run_trace},
    {"model", run_model},   {"hf", run_hf},       {"quant", run_quant},
    {"npy", run_npy},       {"params", run_params}, {"sweep", run_sweep},
    {"results", run_results}, {"coverage", run_coverage}, {NULL, NULL},
};

const mp_fuzz_reader *mp_fuzz_find(const char *name)
{
    for (const mp_fuzz_reader *r = mp_fuzz_readers; r->name; r++)
        if (!strcmp(r->name, name))
            return r;
    return NULL;
}
