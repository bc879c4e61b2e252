/*
 * power.c - OpenSTA report_power of one module at an input activity, and
 * the power section of `mpsim synth --power A`; see power.h.
 */
#include "sim/synth/power.h"

#include <stdlib.h>
#include <string.h>

int mp_sta_power_read(const char *log, const char *field, mp_power *p,
                      mp_diag *d)
{
    return mp_sta_power_read_tag(log, field, "Total", p, d);
}

int mp_sta_power_read_tag(const char *log, const char *field,
                          const char *tag, mp_power *p, mp_diag *d)
{
    char fmt[64];
    if (strchr(tag, '%') ||
        snprintf(fmt, sizeof fmt, "%s %%lf %%lf %%lf %%lf", tag) >=
            (int)sizeof fmt)
        return mp_fail(d, log, 0, field, "bad power line tag");
    FILE *fp = fopen(log, "r");
    if (!fp)
        return mp_fail(d, log, 0, field, "OpenSTA wrote no report");
    char line[512];
    int lineno = 0, found = 0, rc = 0;
    while (!rc && fgets(line, sizeof line, fp)) {
        lineno++;
        double total;
        int n;
        if (!strncmp(line, "Error", 5)) {
            line[strcspn(line, "\n")] = 0;
            rc = mp_fail(d, log, lineno, "sta", "%.160s", line);
        } else if ((n = sscanf(line, fmt, &p->internal_w, &p->switching_w,
                               &p->leakage_w, &total)) >= 3) {
            p->total_w = n == 4 ? total
                                : p->internal_w + p->switching_w +
                                      p->leakage_w;
            found = 1;
        } else
            sscanf(line, "mpsim output pins with activity %ld", &p->pins);
    }
    fclose(fp);
    if (!rc && !found)
        rc = mp_fail(d, log, lineno, "sta", "no %s line in the "
                     "report_power output", tag);
    return rc;
}

/* x as the shortest %g that reads back as x ("0.1", not the %.17g
 * "0.10000000000000001"): the script says the activity asked for. */
static void shortest(double x, char *out, size_t cap)
{
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(out, cap, "%.*g", prec, x);
        if (strtod(out, NULL) == x)
            return;
    }
}

static int write_tcl(const char *path, const char *netlist,
                     const char *liberty, const char *module,
                     double activity, double period_ns, mp_diag *d)
{
    FILE *fp = mp_sta_script_open(path, "synth --power", liberty, netlist,
                                  module, "--power", d);
    if (!fp)
        return -1;
    char a[32], duty[32];
    shortest(activity, a, sizeof a);
    shortest(MP_POWER_DUTY, duty, sizeof duty);
    mp_sta_clock(fp, period_ns);
    fprintf(fp, "set_power_activity -input -activity %s -duty %s\n"
            "report_power -digits 6\n", a, duty);
    return mp_sta_script_close(fp, path, "--power", d);
}

int mp_power_module(const char *netlist, const char *liberty,
                    const char *module, double activity, double period_ns,
                    const char *workdir, mp_power *p, mp_diag *d)
{
    memset(p, 0, sizeof *p);
    char name[128];
    snprintf(name, sizeof name, "sta_power_in_%.100s", module);
    mp_sta_files f;
    mp_sta_files_init(&f, workdir, name);
    if (write_tcl(f.tcl, netlist, liberty, module, activity, period_ns, d) ||
        mp_sta_exec(&f, workdir, d))
        return -1;
    return mp_sta_power_read(f.log, "--power", p, d);
}

/* ---- the report section ------------------------------------------------ */

int mp_synth_power_run(const mp_sta_module *mods, int n,
                       const mp_sta_netlist *netlist,
                       const mp_liberty *lib, const char *workdir,
                       double activity, double clock_hz, mp_synth_power *s,
                       mp_diag *d)
{
    memset(s, 0, sizeof *s);
    snprintf(s->liberty, sizeof s->liberty, "%s", lib->label);
    snprintf(s->mapping, sizeof s->mapping, "%s", netlist->mapping);
    s->liberty_vdd = lib->vdd;
    s->liberty_node_nm = lib->node_nm;
    s->activity = activity;
    s->clock_hz = clock_hz;
    for (; s->n < n; s->n++) {
        s->mods[s->n] = mods[s->n];
        if (mp_power_module(netlist->path, lib->path, mods[s->n].name,
                            activity, 1e9 / clock_hz, workdir,
                            &s->power[s->n], d))
            return -1;
    }
    return 0;
}

void mp_synth_power_table(FILE *fp, const mp_synth_power *s)
{
    fprintf(fp, "power         OpenSTA report_power, each module alone, "
            "every input toggling %g per clock (static probability %g) at "
            "%.1f MHz, %s netlist, %s\n",
            s->activity, MP_POWER_DUTY, s->clock_hz / 1e6, s->mapping,
            s->liberty);
    for (int i = 0; i < s->n; i++) {
        const mp_power *p = &s->power[i];
        fprintf(fp, "  %-4s %s: %.6g mW (internal %.6g, switching %.6g, "
                "leakage %.6g mW)\n", s->mods[i].role, s->mods[i].name,
                p->total_w * 1e3, p->internal_w * 1e3, p->switching_w * 1e3,
                p->leakage_w * 1e3);
    }
}

void mp_synth_power_json(mp_json *w, const mp_synth_power *s)
{
    mp_json_object(w, "power", MP_JSON_LINES);
    mp_json_num(w, "input_activity", s->activity, MP_JSON_G6);
    mp_json_num(w, "duty", MP_POWER_DUTY, MP_JSON_G6);
    mp_json_num(w, "clock_hz", s->clock_hz, MP_JSON_G6);
    mp_json_str(w, "liberty", s->liberty);
    mp_json_str(w, "netlist", s->mapping);
    /* the powers are at these: a script scaling them reads them here
     * rather than parsing the liberty itself */
    mp_json_num(w, "liberty_vdd", s->liberty_vdd, MP_JSON_G6);
    mp_json_num(w, "liberty_node_nm", s->liberty_node_nm, MP_JSON_G6);
    mp_json_array(w, "modules", MP_JSON_LINES);
    for (int i = 0; i < s->n; i++) {
        const mp_power *p = &s->power[i];
        mp_json_object(w, NULL, MP_JSON_FLOW);
        mp_json_str(w, "module", s->mods[i].name);
        mp_json_str(w, "role", s->mods[i].role);
        /* as OpenSTA printed them (6 digits): round-trips */
        mp_json_num(w, "internal_w", p->internal_w, MP_JSON_EXACT);
        mp_json_num(w, "switching_w", p->switching_w, MP_JSON_EXACT);
        mp_json_num(w, "leakage_w", p->leakage_w, MP_JSON_EXACT);
        mp_json_num(w, "total_w", p->total_w, MP_JSON_EXACT);
        mp_json_end(w);
    }
    mp_json_end(w);
    mp_json_end(w);
}
