/* readers.c - see readers.h. */
#include "tests/fuzz/readers.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "golden/npy.h"
#include "sim/cosim/activity.h"
#include "sim/analysis/results.h"
#include "sim/arch.h"
#include "sim/cosim/cosim.h"
#include "sim/cosim/vcd.h"
#include "sim/scalesim_cfg.h"
#include "sim/sweep/spec.h"
#include "sim/tech_load.h"
#include "workloads/model.h"
#include "workloads/quant_scheme.h"
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

static int remove_entry(const char *path, const struct stat *st, int flag,
                        struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    remove(path);
    return 0;
}

static void remove_scratch(void)
{
    nftw(scratch_dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
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

static void write_file(const char *path, const uint8_t *data, size_t size)
{
    FILE *fp = fopen(path, "wb");
    if (!fp)
        abort(); /* the harness's own failure, not the reader's */
    fwrite(data, 1, size, fp);
    fclose(fp);
}

/* ---- the readers: `in` is the input as a NUL-terminated string and, for
 * readers that take a path, as the scratch file `path` ---------------- */

typedef struct input {
    const char *text;  /* NUL-terminated copy (cut at the first NUL)    */
    const uint8_t *data;
    size_t size;
    const char *path;  /* the input written to SCRATCH/<file>, or NULL */
} input;

/* arch YAML or SCALE-Sim .cfg, parsed and bound as --arch does */
static int bind_arch(int rc, mp_arch *a, mp_diag *d)
{
    if (rc == 0) {
        rc = mp_arch_bind(a, d);
        mp_arch_free(a);
    }
    return rc;
}

static int run_arch(const input *in, mp_diag *d)
{
    mp_arch a;
    return bind_arch(mp_arch_load_string(in->text, "fuzz.yaml", &a, d), &a,
                     d);
}

static int run_cfg(const input *in, mp_diag *d)
{
    mp_arch a;
    return bind_arch(mp_scalesim_cfg_parse(in->text, "fuzz.cfg", &a, d), &a,
                     d);
}

static int run_tech(const input *in, mp_diag *d)
{
    mp_tech t;
    int rc = mp_tech_load_string(in->text, "fuzz-tech.yaml", &t, d);
    if (rc == 0)
        mp_tech_free(&t);
    return rc;
}

static int run_yaml(const input *in, mp_diag *d)
{
    mp_yaml y;
    int rc = mp_yaml_load_string((const char *)in->data, in->size,
                                 "fuzz.yaml", &y, d);
    if (rc == 0)
        mp_yaml_free(&y);
    return rc;
}

/* SCALE-Sim topology CSV (read into a trace) or trace YAML */
static int run_trace(const input *in, mp_diag *d)
{
    mp_trace t;
    mp_trace_init(&t);
    int rc = mp_trace_load(in->path, &t, d);
    mp_trace_free(&t);
    return rc;
}

static int run_model(const input *in, mp_diag *d)
{
    mp_model m;
    return mp_model_load_yaml(in->path, &m, d);
}

static int run_hf(const input *in, mp_diag *d)
{
    mp_model m;
    return mp_model_load_hf(in->path, &m, d);
}

static int run_quant(const input *in, mp_diag *d)
{
    mp_quant_config c;
    return mp_quant_config_load(in->path, &c, d);
}

static int run_npy(const input *in, mp_diag *d)
{
    mp_npy a;
    int rc = mp_npy_read(in->path, &a, d);
    if (rc == 0)
        mp_npy_free(&a);
    return rc;
}

/* Verilator toggle counts (cosim --activity) */
static int run_coverage(const input *in, mp_diag *d)
{
    mp_toggles t = {0, NULL};
    int rc = mp_toggle_read(in->path, "mpsim_top_pe", &t, d);
    mp_toggles_free(&t);
    return rc;
}

/* value change dumps (cosim --activity --gate): toggles below tb.dut
 * and samples of its x at clk's rising edges; then, of a file read, the
 * toggles again split into busy and idle clock windows as gate_sim.c
 * asks (period 0.1 ns from 0.05 ns: the seeds' 10 ps units; a file
 * without a $timescale is refused there, not here) */
static int run_vcd(const input *in, mp_diag *d)
{
    static const unsigned char busy[] = {0, 1, 0, 1, 1, 0};
    mp_toggles t = {0, NULL}, idle = {0, NULL};
    const char *sig[] = {"x"};
    FILE *fp = fopen("/dev/null", "w");
    mp_vcd_req q = {"tb.dut", &t, "clk", 1, sig, fp, 0};
    int rc = fp ? mp_vcd_read(in->path, &q, d) : -1;
    if (!fp)
        mp_fail(d, "/dev/null", 0, "vcd", "cannot write");
    else
        fclose(fp);
    mp_toggles_free(&t);
    if (rc == 0) {
        mp_vcd_req qs = {"tb.dut", &t, NULL, 0, NULL, NULL, 0, &idle, 0.1,
                         0.05, busy, (long)sizeof busy};
        mp_diag ds;
        if (mp_vcd_read(in->path, &qs, &ds) == 0 && t.count != idle.count)
            abort(); /* the two sets name the same bits */
        mp_toggles_free(&t);
        mp_toggles_free(&idle);
    }
    return rc;
}

static int run_sweep(const input *in, mp_diag *d)
{
    mp_sweep sw;
    int rc = mp_sweep_read(in->path, &sw, d);
    if (rc == 0)
        mp_sweep_free(&sw);
    return rc;
}

/* A sweep's results CSV as `mpsim report` reads it: two numeric columns
 * and the fourth column as the group. */
static int run_results(const input *in, mp_diag *d)
{
    mp_results r;
    int rc = mp_results_open(in->path, &r, d);
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
static int run_params(const input *in, mp_diag *d)
{
    static const char stub[] = "module mpsim_top; endmodule\n";
    static const struct { const char *name, *text; } files[] = {
        {"rtl/mpsim_top.v", stub}, {"rtl/files.f", "mpsim_top.v\n"},
        {"rtl/mpsim-rtl.done", ""}};
    char dir[96], path[160];
    snprintf(dir, sizeof dir, "%s/rtl", scratch());
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(path, sizeof path, "%s/%s", scratch(), files[i].name);
        write_file(path, (const uint8_t *)files[i].text,
                   strlen(files[i].text));
    }
    mp_cosim_design dz;
    int rc = mp_cosim_design_read(dir, NULL, &dz, d);
    if (rc == 0)
        mp_cosim_design_free(&dz);
    (void)in; /* written as rtl/params.json by mp_fuzz_run */
    return rc;
}

/* ---- the table ----------------------------------------------------------- */

typedef struct reader_entry {
    const char *name;
    const char *file; /* scratch file the input is written to, or NULL */
    int (*run)(const input *in, mp_diag *d);
} reader_entry;

static const reader_entry entries[] = {
    {"arch", NULL, run_arch},
    {"cfg", NULL, run_cfg},
    {"tech", NULL, run_tech},
    {"yaml", NULL, run_yaml},
    {"topo", "topo.csv", run_trace},
    {"trace", "trace.yaml", run_trace},
    {"model", "model.yaml", run_model},
    {"hf", "config.json", run_hf},
    {"quant", "quant.yaml", run_quant},
    {"npy", "a.npy", run_npy},
    {"coverage", "coverage.dat", run_coverage},
    {"vcd", "a.vcd", run_vcd},
    {"params", "rtl/params.json", run_params},
    {"sweep", "sweep.yaml", run_sweep},
    {"results", "results.csv", run_results},
};

#define N_ENTRIES (sizeof entries / sizeof *entries)

int mp_fuzz_run(const char *name, const uint8_t *data, size_t size,
                mp_diag *d)
{
    const reader_entry *e = NULL;
    for (size_t i = 0; i < N_ENTRIES && !e; i++)
        if (!strcmp(entries[i].name, name))
            e = &entries[i];
    if (!e)
        abort();
    char path[128];
    input in = {as_string(data, size), data, size, NULL};
    if (e->file) {
        if (!strncmp(e->file, "rtl/", 4)) {
            snprintf(path, sizeof path, "%s/rtl", scratch());
            mkdir(path, 0777);
        }
        snprintf(path, sizeof path, "%s/%s", scratch(), e->file);
        write_file(path, data, size);
        in.path = path;
    }
    int rc = e->run(&in, d);
    free((char *)in.text);
    return rc;
}

const char *mp_fuzz_reader_name(size_t i)
{
    return i < N_ENTRIES ? entries[i].name : NULL;
}
