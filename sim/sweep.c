/* sweep.c - see sweep.h. */
#include "sim/sweep.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "golden/outfile.h"
#include "sim/arch.h"
#include "sim/simulate.h"
#include "sim/workload_src.h"
#include "workloads/yaml_doc.h"

#define MAX_VALUES 64

enum { P_ROWS, P_COLS, P_DATAFLOW, P_CLOCK, P_DRAM, P_WKIB, P_AKIB, P_OKIB,
       P_COUNT };
static const char *const param_names[P_COUNT] = {
    "rows", "cols", "dataflow", "clock_hz", "dram_gbytes_per_s",
    "weight_kib", "act_kib", "out_kib"};

typedef struct sweep_spec {
    double values[P_COUNT][MAX_VALUES];
    int count[P_COUNT]; /* 0: parameter not swept (base value) */
    char arch[256], workload[256], model[128], phase[16], quant[64];
    int64_t seq, batch, decode_steps;
} sweep_spec;

typedef struct point_result {
    double param[P_COUNT];
    double latency_s, energy_pj, area_mm2, tokens_per_s, tokens_per_j;
    double tops, util;
    int memory_layers, compute_layers;
    int failed;
} point_result;

static int read_list(mp_yaml *y, yaml_node_t *sw, int p, sweep_spec *s,
                     mp_diag *d)
{
    yaml_node_t *n = mp_yaml_get(y, sw, param_names[p]);
    if (!n)
        return 0;
    char path[48];
    snprintf(path, sizeof path, "sweep.%s", param_names[p]);
    if (!(n = mp_yaml_want_seq(y, n, path, d)))
        return -1;
    size_t len = mp_yaml_seq_len(n);
    if (len == 0 || len > MAX_VALUES)
        return mp_yaml_fail(y, d, n, "sweep", param_names[p],
                            "needs 1..%d values", MAX_VALUES);
    for (size_t i = 0; i < len; i++) {
        yaml_node_t *v = mp_yaml_seq_at(y, n, i);
        const char *text = mp_yaml_scalar(v);
        double x;
        char *end = NULL;
        if (p == P_DATAFLOW) {
            mp_dataflow df;
            if (!text || mp_dataflow_parse(text, &df))
                return mp_yaml_fail(y, d, v, "sweep", param_names[p],
                                    "unknown dataflow '%s'",
                                    text ? text : "?");
            x = (double)df;
        } else {
            x = text ? strtod(text, &end) : 0;
            if (!text || end == text || *end || !isfinite(x) || !(x > 0))
                return mp_yaml_fail(y, d, v, "sweep", param_names[p],
                                    "not a positive number: '%s'",
                                    text ? text : "?");
            if ((p == P_ROWS || p == P_COLS) &&
                (x != floor(x) || x > 65536))
                return mp_yaml_fail(y, d, v, "sweep", param_names[p],
                                    "must be an integer 1..65536");
        }
        s->values[p][i] = x;
    }
    s->count[p] = (int)len;
    return 0;
}

static int read_spec(const char *path, sweep_spec *s, mp_diag *d)
{
    static const char *const keys[] = {"arch", "workload", "model", "phase",
                                       "seq", "batch", "decode_steps",
                                       "quant", "sweep", NULL};
    static const char *const sweep_keys[] = {
        "rows", "cols", "dataflow", "clock_hz", "dram_gbytes_per_s",
        "weight_kib", "act_kib", "out_kib", NULL};
    memset(s, 0, sizeof *s);
    mp_yaml y;
    if (mp_yaml_load(path, &y, d))
        return -1;
    int rc = -1;
    yaml_node_t *root = mp_yaml_root_map(&y, d), *sw;
    if (!root || mp_yaml_check_keys(&y, root, "", keys, d) ||
        mp_yaml_string(&y, root, "", "arch", 1, s->arch, sizeof s->arch, d) ||
        mp_yaml_string(&y, root, "", "workload", 0, s->workload,
                       sizeof s->workload, d) ||
        mp_yaml_string(&y, root, "", "model", 0, s->model, sizeof s->model,
                       d) ||
        mp_yaml_string(&y, root, "", "phase", 0, s->phase, sizeof s->phase,
                       d) ||
        mp_yaml_string(&y, root, "", "quant", 0, s->quant, sizeof s->quant,
                       d) ||
        mp_yaml_int(&y, root, "", "seq", 0, 1, 1 << 24, &s->seq, d) ||
        mp_yaml_int(&y, root, "", "batch", 0, 1, 1 << 20, &s->batch, d) ||
        mp_yaml_int(&y, root, "", "decode_steps", 0, 1, 1 << 24,
                    &s->decode_steps, d))
        goto out;
    if (!s->workload[0] && !s->model[0]) {
        mp_yaml_fail(&y, d, root, "", "workload", "missing (workload or "
                     "model)");
        goto out;
    }
    sw = mp_yaml_get(&y, root, "sweep");
    if (!sw) {
        mp_yaml_fail(&y, d, root, "", "sweep", "missing");
        goto out;
    }
    if (!(sw = mp_yaml_want_map(&y, sw, "sweep", d)) ||
        mp_yaml_check_keys(&y, sw, "sweep", sweep_keys, d))
        goto out;
    for (int p = 0; p < P_COUNT; p++)
        if (read_list(&y, sw, p, s, d))
            goto out;
    rc = 0;
out:
    mp_yaml_free(&y);
    return rc;
}

/* Point index -> parameter values (last parameter varies fastest). */
static void point_params(const sweep_spec *s, const mp_arch *base,
                         long idx, double *param)
{
    const double base_val[P_COUNT] = {
        base->rows, base->cols, base->dataflow, base->clock_hz,
        base->dram.bytes_per_s / 1e9, (double)base->wbuf.bytes / 1024.0,
        (double)base->abuf.bytes / 1024.0, (double)base->obuf.bytes / 1024.0};
    for (int p = P_COUNT - 1; p >= 0; p--) {
        if (!s->count[p]) {
            param[p] = base_val[p];
            continue;
        }
        param[p] = s->values[p][idx % s->count[p]];
        idx /= s->count[p];
    }
}

static void apply(mp_arch *a, const double *param)
{
    a->rows = (int)param[P_ROWS];
    a->cols = (int)param[P_COLS];
    a->dataflow = (mp_dataflow)(int)param[P_DATAFLOW];
    a->clock_hz = param[P_CLOCK];
    a->pe_params.clock_hz = param[P_CLOCK];
    a->dram.bytes_per_s = param[P_DRAM] * 1e9;
    a->wbuf.bytes = (int64_t)llround(param[P_WKIB] * 1024.0);
    a->abuf.bytes = (int64_t)llround(param[P_AKIB] * 1024.0);
    a->obuf.bytes = (int64_t)llround(param[P_OKIB] * 1024.0);
}

static void eval_point(const sweep_spec *s, const mp_arch *base,
                       const mp_trace *t, long idx, point_result *out)
{
    memset(out, 0, sizeof *out);
    point_params(s, base, idx, out->param);
    mp_arch a = *base;
    apply(&a, out->param);
    /* A clock change may change PE cost (power at the clock): rebind the
     * PE cost; the tech table is shared with the base (read-only). */
    mp_diag d;
    if (a.pe->cost(&a.pe_params, &a.tech, &a.cost, &d)) {
        out->failed = 1;
        return;
    }
    mp_run r;
    if (mp_simulate_trace(&a, t, &r, &d)) {
        out->failed = 1;
        return;
    }
    out->latency_s = r.latency_s;
    out->energy_pj = r.e.total;
    out->area_mm2 = r.area_mm2;
    out->tokens_per_s = r.tokens_per_s;
    out->tokens_per_j = r.tokens_per_j;
    out->tops = r.tops;
    out->util = r.cycles > 0 ? r.macs / (r.cycles * r.peak_macs_per_cycle)
                             : 0;
    out->memory_layers = r.memory_layers;
    out->compute_layers = r.compute_layers;
    mp_run_free(&r);
}

static void write_rows(FILE *fp, const point_result *res, long n)
{
    fprintf(fp, "point");
    for (int p = 0; p < P_COUNT; p++)
        fprintf(fp, ",%s", param_names[p]);
    fprintf(fp, ",latency_s,energy_pj,area_mm2,tokens_per_s,tokens_per_j,"
                "tops,util,compute_layers,memory_layers\n");
    for (long i = 0; i < n; i++) {
        const point_result *r = &res[i];
        fprintf(fp, "%ld", i);
        for (int p = 0; p < P_COUNT; p++) {
            if (p == P_DATAFLOW)
                fprintf(fp, ",%s", mp_dataflow_name((mp_dataflow)(int)
                                                    r->param[p]));
            else
                fprintf(fp, ",%.17g", r->param[p]);
        }
        if (r->failed) {
            fprintf(fp, ",,,,,,,,,\n");
            continue;
        }
        fprintf(fp, ",%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%.17g,%d,%d\n",
                r->latency_s, r->energy_pj, r->area_mm2, r->tokens_per_s,
                r->tokens_per_j, r->tops, r->util, r->compute_layers,
                r->memory_layers);
    }
}

static int run_points(const sweep_spec *s, const mp_arch *base,
                      const mp_trace *t, long n, int jobs,
                      point_result *res, mp_diag *d)
{
    if (jobs <= 1 || n < 2 * jobs) {
        for (long i = 0; i < n; i++)
            eval_point(s, base, t, i, &res[i]);
        return 0;
    }
    pid_t pids[256];
    int started = 0;
    fflush(NULL);
    for (int j = 0; j < jobs; j++) {
        pid_t pid = fork();
        if (pid < 0)
            break;
        if (pid == 0) {
            for (long i = j; i < n; i += jobs)
                eval_point(s, base, t, i, &res[i]);
            _exit(0);
        }
        pids[started++] = pid;
    }
    int ok = started == jobs;
    for (int j = 0; j < started; j++) {
        int status;
        if (waitpid(pids[j], &status, 0) < 0 || !WIFEXITED(status) ||
            WEXITSTATUS(status) != 0)
            ok = 0;
    }
    if (!ok)
        return mp_fail(d, MP_CMDLINE, 0, "--jobs", "a sweep worker failed");
    return 0;
}

int mp_sweep_run(const char *path, int jobs, const char *out_path,
                 mp_diag *d)
{
    sweep_spec s;
    if (read_spec(path, &s, d))
        return -1;
    mp_arch base;
    if (mp_arch_open(s.arch, "arch", &base, d))
        return -1;
    if (base.scalesim) {
        mp_arch_free(&base);
        return mp_fail(d, path, 0, "arch", "sweeps take a preset or YAML "
                       "architecture, not a .cfg");
    }
    mp_workload_opts wo;
    mp_workload_opts_init(&wo);
    wo.workload = s.workload[0] ? s.workload : NULL;
    char num[32];
    int bad = 0;
    if (s.model[0])
        bad |= mp_trace_opts_set(&wo.trace, "model", s.model, d) < 0;
    if (s.phase[0])
        bad |= mp_trace_opts_set(&wo.trace, "phase", s.phase, d) < 0;
    if (s.quant[0])
        bad |= mp_trace_opts_set(&wo.trace, "quant", s.quant, d) < 0;
    const int64_t nums[3] = {s.seq, s.batch, s.decode_steps};
    static const char *const num_keys[3] = {"seq", "batch", "decode-steps"};
    for (int i = 0; i < 3 && !bad; i++) {
        if (!nums[i])
            continue;
        snprintf(num, sizeof num, "%lld", (long long)nums[i]);
        bad |= mp_trace_opts_set(&wo.trace, num_keys[i], num, d) < 0;
    }
    if (bad) {
        mp_arch_free(&base);
        return -1;
    }
    mp_trace t;
    char label[256];
    if (mp_workload_open(&wo, &t, label, sizeof label, d)) {
        mp_trace_free(&t);
        mp_arch_free(&base);
        return -1;
    }
    long n = 1;
    for (int p = 0; p < P_COUNT; p++)
        if (s.count[p])
            n *= s.count[p];
    int rc = -1;
    size_t bytes = (size_t)n * sizeof(point_result);
    point_result *res = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                             MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (res == MAP_FAILED) {
        mp_fail(d, path, 0, "sweep", "out of memory for %ld points", n);
        goto out;
    }
    if (run_points(&s, &base, &t, n, jobs, res, d) == 0) {
        mp_outfile of;
        if (mp_out_open(&of, out_path, d) == 0) {
            write_rows(of.fp, res, n);
            rc = mp_out_commit(&of, d);
        }
    }
    munmap(res, bytes);
out:
    mp_trace_free(&t);
    mp_arch_free(&base);
    return rc;
}
