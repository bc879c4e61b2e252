/*
 * cosim.c - run a design's tiles through the Verilator harness or the
 * SystemC testbench and compare with the golden and the cycle model; see
 * cosim.h.
 */
#include "sim/cosim/cosim.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sim/cosim/cosim_stim.h"
#include "sim/engine.h"
#include "sim/memory.h"

void mp_cosim_opts_init(mp_cosim_opts *o)
{
    memset(o, 0, sizeof *o);
    mp_cosim_default_cache(o->cache_dir, sizeof o->cache_dir);
    o->tiles = 8;
    o->seed = 1;
    o->bytes_per_cycle = 0;
    o->latency_cycles = -1;
}

void mp_cosim_result_free(mp_cosim_result *r)
{
    free(r->per_tile);
    r->per_tile = NULL;
}

/* ---- the harness's output --------------------------------------------- */

/* "tile I k K kind KIND load_cycles L cycles C mismatches X [m M n N
 *  expected HEX got HEX]" */
static int parse_tile_line(const char *line, mp_cosim_result *r,
                           int *index)
{
    mp_cosim_tile_result t;
    long long load, cycles;
    int i, used = 0;
    memset(&t, 0, sizeof t);
    if (sscanf(line, "tile %d k %d kind %15s load_cycles %lld cycles %lld "
                     "mismatches %d%n",
               &i, &t.k, t.kind, &load, &cycles, &t.mm.count, &used) != 6)
        return -1;
    if (t.mm.count > 0 &&
        sscanf(line + used, " m %d n %d expected %x got %x", &t.mm.m,
               &t.mm.n, &t.mm.expected, &t.mm.got) != 4)
        return -1;
    if (i < 0 || i >= r->tiles)
        return -1;
    t.load_cycles = load;
    t.rtl_cycles = cycles;
    r->per_tile[i] = t;
    *index = i;
    return 0;
}

/* Read the bench's stdout; 0 when every tile reported and "end" came. */
static int parse_output(const char *path, mp_cosim_result *r, int expect,
                        const char *what, mp_diag *d)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return mp_fail(d, path, 0, what, "no output");
    char line[512];
    int seen = 0, ended = 0, rc = 0;
    while (fgets(line, sizeof line, fp)) {
        line[strcspn(line, "\n")] = 0;
        int i;
        if (!strncmp(line, "tile ", 5)) {
            if (parse_tile_line(line, r, &i)) {
                rc = mp_fail(d, path, 0, what, "unreadable line '%.80s'",
                             line);
                break;
            }
            seen++;
        } else if (!strcmp(line, "end")) {
            ended = 1;
        } else if (!strncmp(line, "error ", 6)) {
            rc = mp_fail(d, MP_CMDLINE, 0, what, "%s", line + 6);
            break;
        }
    }
    fclose(fp);
    if (!rc && (!ended || seen != expect))
        rc = mp_fail(d, path, 0, what, "the bench stopped after %d of %d "
                     "tiles", seen, expect);
    return rc;
}

/* ---- model side ------------------------------------------------------- */

double mp_cosim_arch_bytes_per_cycle(const mp_arch *a)
{
    double clock = a->clock_hz > 0 ? a->clock_hz : 1e9;
    return a->dram.bytes_per_s * a->dram.efficiency / clock;
}

static void memory_of(const mp_cosim_design *dz, const mp_cosim_opts *o,
                      mp_cosim_result *r)
{
    const mp_arch *a = &dz->arch;
    double clock = a->clock_hz > 0 ? a->clock_hz : 1e9;
    r->bytes_per_cycle = o->bytes_per_cycle > 0
                             ? o->bytes_per_cycle
                             : mp_cosim_arch_bytes_per_cycle(a);
    r->latency_cycles = o->latency_cycles >= 0 ? o->latency_cycles
                                               : a->dram.latency_s * clock;
}

static int model_cycles(mp_cosim_design *dz, mp_cosim_result *r, mp_diag *d)
{
    r->rtl_cycles = r->model_cycles = r->formula_cycles = 0;
    r->measured_cycles = 0;
    r->predicted_cycles = 0;
    for (int i = 0; i < r->tiles; i++) {
        mp_cosim_tile_result *t = &r->per_tile[i];
        t->model_cycles = mp_engine_fold_cycles(&dz->arch, dz->hdr.m_tile,
                                                dz->hdr.n_tile, t->k);
        if (t->model_cycles < 0)
            return mp_fail(d, dz->dir, 0, "model", "the engine cannot map "
                           "a %dx%dx%d tile", dz->hdr.m_tile, dz->hdr.n_tile,
                           t->k);
        mp_diag ignored;
        t->formula_cycles = mp_rtl_cycles(&dz->cfg, t->k, &ignored);
        r->rtl_cycles += t->rtl_cycles;
        r->model_cycles += t->model_cycles;
        r->formula_cycles += t->formula_cycles;
        if (r->systemc) {
            t->mem_cycles = mp_memory_transfer_cycles(
                mp_cosim_tile_bytes(&dz->hdr, &dz->hdr.tiles[i]),
                r->bytes_per_cycle, 1.0, r->latency_cycles);
            r->measured_cycles += t->load_cycles + t->rtl_cycles;
            r->predicted_cycles += t->mem_cycles + (double)t->model_cycles;
        }
    }
    r->cycle_error = r->rtl_cycles > 0
                         ? fabs((double)(r->model_cycles - r->rtl_cycles)) /
                               (double)r->rtl_cycles
                         : 0;
    r->systemc_ratio = r->predicted_cycles > 0
                           ? (double)r->measured_cycles / r->predicted_cycles
                           : 0;
    return 0;
}

static void tally(mp_cosim_result *r)
{
    r->first_bad = -1;
    for (int i = 0; i < r->tiles; i++) {
        const mp_cosim_mismatch *mm = &r->per_tile[i].mm;
        if (!mm->count)
            continue;
        r->mismatches += mm->count;
        if (r->bad_tiles++ == 0) {
            r->first_bad = i;
            r->first = *mm;
        }
    }
}

/* ---- running ---------------------------------------------------------- */

/* Re-run the first failing tile in the tracing build; best effort. */
static void write_wave(mp_cosim_design *dz, const mp_cosim_opts *o,
                       const char *tiles, mp_cosim_result *r,
                       const char *scratch)
{
    char exe[MP_DIAG_FILE_MAX + 64], only[16], log[MP_DIAG_FILE_MAX + 64],
        out[MP_DIAG_FILE_MAX + 64];
    int cached;
    mp_diag d;
    if (!o->wave || r->first_bad < 0 ||
        mp_cosim_build(&dz->src, MP_COSIM_CC_TRACE, o->cache_dir, exe,
                       sizeof exe, &cached, &d))
        return;
    snprintf(only, sizeof only, "%d", r->first_bad);
    snprintf(log, sizeof log, "%s.wlog", scratch);
    snprintf(out, sizeof out, "%s.wout", scratch);
    char *argv[] = {exe, (char *)tiles, "--only", only, "--trace",
                    (char *)o->wave, NULL};
    if (mp_tool_exec(argv, NULL, out, log, &d) == 0 &&
        access(o->wave, R_OK) == 0)
        snprintf(r->wave, sizeof r->wave, "%s", o->wave);
    remove(log);
    remove(out);
}

int mp_cosim_run(mp_cosim_design *dz, const mp_cosim_opts *o,
                 mp_cosim_result *r, mp_diag *d)
{
    memset(r, 0, sizeof *r);
    r->first_bad = -1;
    r->systemc = o->systemc;
    if (!dz->have_arch)
        return mp_fail(d, dz->dir, 0, "arch", "no architecture to model");
    memory_of(dz, o, r);
    mp_cosim_tiles_free(&dz->hdr);
    mp_stim_opts so = {o->tiles, o->seed, dz->k_step, o->trace_k};
    if (mp_cosim_stim(&dz->hdr, &so, d))
        return -1;
    r->tiles = dz->hdr.count;
    r->per_tile = calloc((size_t)r->tiles + 1, sizeof *r->per_tile);
    if (!r->per_tile)
        return mp_fail(d, "<memory>", 0, "cosim", "out of memory");

    char exe[MP_DIAG_FILE_MAX + 64];
    if (mp_mkdirs(o->cache_dir, d) ||
        mp_cosim_build(&dz->src, o->systemc ? MP_COSIM_SC : MP_COSIM_CC,
                       o->cache_dir, exe, sizeof exe, &r->cached, d))
        return -1;

    char scratch[MP_DIAG_FILE_MAX + 32], tiles[MP_DIAG_FILE_MAX + 48],
        out[MP_DIAG_FILE_MAX + 48], log[MP_DIAG_FILE_MAX + 48];
    snprintf(scratch, sizeof scratch, "%s/run-%d", o->cache_dir,
             (int)getpid());
    snprintf(tiles, sizeof tiles, "%s.tiles", scratch);
    snprintf(out, sizeof out, "%s.out", scratch);
    snprintf(log, sizeof log, "%s.log", scratch);
    if (mp_cosim_tiles_write(tiles, &dz->hdr, d))
        return -1;
    char bw[32], lat[32];
    snprintf(bw, sizeof bw, "%.17g", r->bytes_per_cycle);
    snprintf(lat, sizeof lat, "%.17g", r->latency_cycles);
    char *cc_argv[] = {exe, tiles, NULL};
    char *sc_argv[] = {exe, tiles, bw, lat, NULL};
    int status = mp_tool_exec(o->systemc ? sc_argv : cc_argv, NULL, out, log,
                              d);
    int rc = status < 0 ? -1
                        : parse_output(out, r, r->tiles,
                                       o->systemc ? "systemc" : "harness", d);
    if (!rc && status != 0)
        rc = mp_fail(d, exe, 0, "harness", "exit status %d (see %s)", status,
                     log);
    if (!rc) {
        tally(r);
        rc = model_cycles(dz, r, d);
        write_wave(dz, o, tiles, r, scratch);
    }
    remove(tiles);
    remove(out);
    if (!rc)
        remove(log);
    return rc;
}
