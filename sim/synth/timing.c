/*
 * timing.c - OpenSTA on one module of a mapped netlist; see timing.h.
 */
#include "sim/synth/timing.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "golden/formats.h"
#include "pe_models/tech.h"
#include "golden/datadir.h"
#include "sim/tools.h"
#include "sim/tech_load.h"

int mp_is_clock_port(const char *name)
{
    const char *s = MP_CLOCK_PORTS;
    size_t n = strlen(name);
    while (*s) {
        size_t len = strcspn(s, " ");
        if (len == n && !strncmp(s, name, n))
            return 1;
        s += len;
        s += strspn(s, " ");
    }
    return 0;
}

FILE *mp_sta_script_open(const char *path, const char *command,
                         const char *liberty, const char *netlist,
                         const char *module, const char *field, mp_diag *d)
{
    FILE *fp = fopen(path, "w");
    if (!fp) {
        mp_fail(d, path, 0, field, "cannot write the STA script");
        return NULL;
    }
    fprintf(fp, "# written by mpsim %s\n"
            "read_liberty {%s}\nread_verilog {%s}\nlink_design %s\n",
            command, liberty, netlist, module);
    return fp;
}

int mp_sta_script_close(FILE *fp, const char *path, const char *field,
                        mp_diag *d)
{
    int bad = ferror(fp);
    if (fclose(fp) || bad)
        return mp_fail(d, path, 0, field, "write error");
    return 0;
}

void mp_sta_clock(FILE *fp, double period_ns)
{
    fprintf(fp, "set clk_port [get_ports -quiet {" MP_CLOCK_PORTS "}]\n"
            "if {[llength $clk_port]} {\n"
            "  create_clock -name clk -period %.17g $clk_port\n"
            "} else {\n"
            "  create_clock -name clk -period %.17g\n}\n"
            "set_input_delay -clock clk 0 "
            "[delete_from_list [all_inputs] $clk_port]\n", period_ns,
            period_ns);
}

static int write_tcl(const char *path, const char *netlist,
                     const char *liberty, const char *module, mp_diag *d)
{
    FILE *fp = mp_sta_script_open(path, "synth --timing", liberty, netlist,
                                  module, "timing", d);
    if (!fp)
        return -1;
    mp_sta_clock(fp, MP_TIMING_PERIOD_NS);
    fprintf(fp, "set_output_delay -clock clk 0 [all_outputs]\n"
            "report_checks -path_delay max -digits 3\n");
    return mp_sta_script_close(fp, path, "timing", d);
}

/* "NAME (kind...)" -> NAME */
static void point_name(const char *text, char *out, size_t cap)
{
    size_t n = strcspn(text, " \n");
    if (n >= cap)
        n = cap - 1;
    memcpy(out, text, n);
    out[n] = 0;
}

/* The instance of a pin "a/b/_12_/Y": "a/b/_12_"; "" for a port. */
static void pin_instance(const char *pin, char *out, size_t cap)
{
    snprintf(out, cap, "%s", pin);
    char *slash = strrchr(out, '/');
    if (slash)
        *slash = 0;
    else
        out[0] = 0;
}

int mp_timing_parse(const char *log, mp_timing_path *p, mp_diag *d)
{
    FILE *fp = fopen(log, "r");
    if (!fp)
        return mp_fail(d, log, 0, "timing", "OpenSTA wrote no report");
    char line[512];
    int lineno = 0, in_path = 0, done = 0, have_slack = 0;
    double slack = 0;
    p->found = 0;
    p->levels = 0;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        if (!strncmp(line, "Error", 5)) {
            line[strcspn(line, "\n")] = 0;
            fclose(fp);
            return mp_fail(d, log, lineno, "sta", "%.160s", line);
        }
        if (done)
            continue;
        if (!strncmp(line, "Startpoint: ", 12)) {
            point_name(line + 12, p->start, sizeof p->start);
            p->found = 1;
            continue;
        }
        if (!strncmp(line, "Endpoint: ", 10)) {
            point_name(line + 10, p->end, sizeof p->end);
            in_path = 1;
            continue;
        }
        double delay, time, x;
        char edge, pin[256], cell[64];
        if (in_path && sscanf(line, " %lf %lf %c %255s (%63[^)])", &delay,
                              &time, &edge, pin, cell) == 5 &&
            (edge == '^' || edge == 'v')) {
            char inst[256];
            pin_instance(pin, inst, sizeof inst);
            if (inst[0] && strcmp(inst, p->start) && strcmp(inst, p->end))
                p->levels++;
            continue;
        }
        if (in_path && sscanf(line, " %lf data arrival time", &x) == 1 &&
            strstr(line, "data arrival time")) {
            p->arrival_ns = x;
            in_path = 0;
            continue;
        }
        if (p->found && sscanf(line, " %lf slack (", &x) == 1 &&
            strstr(line, "slack (")) {
            slack = x;
            have_slack = done = 1;
        }
    }
    fclose(fp);
    if (!p->found)
        return 0; /* "No paths found." */
    if (!have_slack || !(p->arrival_ns >= 0))
        return mp_fail(d, log, lineno, "sta", "a path without arrival time "
                       "or slack in the OpenSTA report");
    p->period_ns = MP_TIMING_PERIOD_NS - slack;
    if (!(p->period_ns > 0))
        return mp_fail(d, log, lineno, "sta", "minimum period %g ns is not "
                       "positive", p->period_ns);
    p->fmax_hz = 1e9 / p->period_ns;
    return 0;
}

void mp_sta_files_init(mp_sta_files *f, const char *workdir,
                       const char *name)
{
    snprintf(f->script, sizeof f->script, "%.190s.tcl", name);
    snprintf(f->tcl, sizeof f->tcl, "%.900s/%s", workdir, f->script);
    snprintf(f->log, sizeof f->log, "%.900s/%.190s.log", workdir, name);
    remove(f->log);
}

int mp_sta_exec(const mp_sta_files *f, const char *workdir, mp_diag *d)
{
    char *argv[] = {"sta", "-no_splash", "-exit", (char *)f->script, NULL};
    int rc = mp_tool_exec(argv, workdir, f->log, f->log, d);
    if (rc < 0)
        return -1;
    if (rc)
        return mp_fail(d, f->tcl, 0, "sta", "OpenSTA exited with status %d "
                       "(log: %s)", rc, f->log);
    return 0;
}

int mp_timing_module(const char *netlist, const char *liberty,
                     const char *module, const char *workdir,
                     mp_timing_path *p, mp_diag *d)
{
    memset(p, 0, sizeof *p);
    snprintf(p->module, sizeof p->module, "%s", module);
    char name[128];
    snprintf(name, sizeof name, "sta_%.100s", module);
    mp_sta_files f;
    mp_sta_files_init(&f, workdir, name);
    if (write_tcl(f.tcl, netlist, liberty, module, d) ||
        mp_sta_exec(&f, workdir, d))
        return -1;
    return mp_timing_parse(f.log, p, d);
}

double mp_timing_fmax_from(double fmax_hz, double from_nm, double from_vdd,
                           double node_nm, double vdd)
{
    /* a delay scales by D(to)/D(from); a frequency by the inverse */
    return fmax_hz / mp_tech_scale_factor(MP_SCALE_DELAY, from_nm, from_vdd,
                                          node_nm, vdd);
}

double mp_timing_fmax_at(double fmax_180_hz, double node_nm, double vdd)
{
    return mp_timing_fmax_from(fmax_180_hz, 180.0, 1.8, node_nm, vdd);
}

void mp_timing_lookup(const mp_tech *t, const char *family, const char *act,
                      mp_timing_verdict *v)
{
    memset(v, 0, sizeof *v);
    const mp_tech_const *pe = mp_tech_find_entry(t, family, act,
                                                 "_pe_path_ns", v->entry,
                                                 sizeof v->entry);
    if (!pe)
        return;
    /* the edge path of the same entry, if the design has edge units */
    const mp_tech_const *edge = mp_tech_find_entry(t, v->entry, NULL,
                                                   "_edge_path_ns", NULL, 0);
    v->known = 1;
    v->pe_ns = pe->value;
    v->edge_ns = edge ? edge->value : 0;
}

int mp_timing_arch(const mp_arch *a, mp_timing_verdict *v, mp_diag *d)
{
    memset(v, 0, sizeof *v);
    if (a->tech.is_fpga || !a->pe)
        return 0;
    char path[4096];
    if (mp_data_path("pe_models/tech", MP_TIMING_TECH, ".yaml", path,
                     sizeof path))
        return 0; /* not installed: nothing measured */
    mp_tech t;
    if (mp_tech_load(path, &t, d))
        return -1;
    mp_timing_lookup(&t, a->pe->name, mp_act_name(a->pe_params.act), v);
    mp_tech_free(&t);
    if (v->known) {
        double ns = v->pe_ns > v->edge_ns ? v->pe_ns : v->edge_ns;
        v->fmax_hz = mp_timing_fmax_at(1e9 / ns, a->tech.node_nm,
                                       a->tech.vdd);
        v->known = isfinite(v->fmax_hz);
        v->ok = v->fmax_hz >= a->clock_hz;
    }
    return 0;
}
