/*
 * activity.c - Verilator toggle counts and OpenSTA power; see activity.h.
 */
#include "sim/cosim/activity.h"

#include "golden/decimal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/synth/timing.h"

#define HEADER "# SystemC::Coverage-"

void mp_toggles_free(mp_toggles *t)
{
    free(t->v);
    t->v = NULL;
    t->count = 0;
}

double mp_toggle_count(const mp_toggles *t, const char *name)
{
    for (int i = 0; i < t->count; i++)
        if (!strcmp(t->v[i].name, name))
            return t->v[i].count;
    return 0;
}

static int add(mp_toggles *t, const char *name, double n, const char *path,
               int line, mp_diag *d)
{
    for (int i = 0; i < t->count; i++)
        if (!strcmp(t->v[i].name, name))
            return t->v[i].count += n, 0;
    if (t->count == MP_TOGGLE_MAX)
        return mp_fail(d, path, line, "coverage", "more than %d signal bits "
                       "in one module", MP_TOGGLE_MAX);
    if (t->count % 256 == 0) {
        mp_toggle *v = realloc(t->v, (size_t)(t->count + 256) * sizeof *v);
        if (!v)
            return mp_fail(d, path, line, "coverage", "out of memory");
        t->v = v;
    }
    snprintf(t->v[t->count].name, MP_TOGGLE_NAME_MAX, "%s", name);
    t->v[t->count++].count = n;
    return 0;
}

/* The value of key `key` in a \1key\2value list (NUL-terminated), copied
 * into out; 0 if found. */
static int kv_get(const char *kv, const char *key, char *out, size_t cap)
{
    size_t klen = strlen(key);
    for (const char *p = kv; (p = strchr(p, '\1')) != NULL; p++) {
        if (strncmp(p + 1, key, klen) || p[1 + klen] != '\2')
            continue;
        const char *v = p + 2 + klen;
        size_t n = strcspn(v, "\1");
        if (n >= cap)
            return -1;
        memcpy(out, v, n);
        out[n] = 0;
        return 0;
    }
    return -1;
}

/* pg is page "v_toggle/MODULE", or that of a specialization Verilator
 * made of a parameterized MODULE, "v_toggle/MODULE__<suffix>" (the
 * DSP48E2 model: DSP48E2__B2). */
static int page_is(const char *pg, const char *page)
{
    size_t n = strlen(page);
    return !strncmp(pg, page, n) && (!pg[n] || !strncmp(pg + n, "__", 2));
}

/* One "C '...' COUNT" line (newline stripped). */
static int parse_line(char *line, const char *page, mp_toggles *t,
                      const char *path, int lineno, mp_diag *d)
{
    if (strncmp(line, "C '", 3))
        return mp_fail(d, path, lineno, "coverage", "expected a \"C '...' "
                       "COUNT\" line");
    char *close = strrchr(line, '\'');
    if (close == line + 2 || close[1] != ' ' || !close[2])
        return mp_fail(d, path, lineno, "coverage", "unterminated key list "
                       "or no count");
    const char *num = close + 2;
    int64_t count = 0;
    if (mp_parse_i64(num, 0, 999999999999999999LL, &count)) /* 18 digits */
        return mp_fail(d, path, lineno, "coverage", "count '%.40s' is not a "
                       "decimal number", num);
    *close = 0;
    const char *kv = line + 3;
    if (kv[0] != '\1')
        return mp_fail(d, path, lineno, "coverage", "key list does not "
                       "start with a key");
    char pg[160], name[MP_TOGGLE_NAME_MAX];
    if (kv_get(kv, "page", pg, sizeof pg))
        return mp_fail(d, path, lineno, "coverage", "no page key");
    if (!page_is(pg, page))
        return 0;
    if (kv_get(kv, "o", name, sizeof name) || !name[0])
        return mp_fail(d, path, lineno, "coverage", "toggle point without "
                       "a signal name (o)");
    return add(t, name, (double)count, path, lineno, d);
}

int mp_toggle_read(const char *path, const char *module, mp_toggles *t,
                   mp_diag *d)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return mp_fail(d, path, 0, "coverage", "cannot read the toggle "
                       "counts");
    char page[160], line[MP_TOGGLE_LINE_MAX + 2];
    snprintf(page, sizeof page, "v_toggle/%.140s", module);
    int lineno = 0, rc = 0;
    while (!rc && fgets(line, sizeof line, fp)) {
        lineno++;
        size_t n = strlen(line);
        if (n == 0 || line[n - 1] != '\n') {
            rc = mp_fail(d, path, lineno, "coverage", n > MP_TOGGLE_LINE_MAX
                         ? "line longer than %d bytes"
                         : "last line without a newline", MP_TOGGLE_LINE_MAX);
            break;
        }
        line[n - 1] = 0;
        if (memchr(line, 0, n - 1)) {
            rc = mp_fail(d, path, lineno, "coverage", "NUL byte");
            break;
        }
        if (lineno == 1) {
            if (strncmp(line, HEADER, strlen(HEADER)))
                rc = mp_fail(d, path, 1, "coverage", "not a Verilator "
                             "coverage file (no '%s' header)", HEADER);
            continue;
        }
        rc = parse_line(line, page, t, path, lineno, d);
    }
    if (!rc && lineno == 0)
        rc = mp_fail(d, path, 0, "coverage", "empty file");
    fclose(fp);
    return rc;
}

/* ---- OpenSTA report_power --------------------------------------------- */

/* Gate-level rates of cell output pins ("INST/PIN"): OpenSTA 0~20191111
 * ignores pin activities (`set_power_activity -pins` calls a missing
 * get_pins_error; sta::set_power_pin_activity is not read by
 * report_power) but its global activity overrides every non-clock pin
 * and each cell's internal + switching power is linear in it.  So per
 * cell P(0) (its clock pins' share) and P(1), and the cell's power at its
 * measured output toggle rate a (the mean of its outputs': FA/HA have
 * two; an output's rate is that of the net it drives, else of the pin
 * itself: iverilog without specify delays dumps cell pins that never
 * move) is P(0) + (P(1) - P(0)) a: what OpenSTA computes when that pin's
 * activity is a (internal power on output arcs and the output net's
 * switching; inputs' own internal power taken at the output's rate).
 * Every rate set is priced in the one session (P(0), P(1) once), one
 * line each: "Total INT SW LEAK" (set 0, read by mp_sta_power_read) and
 * "Total_S INT SW LEAK" (set S).  One command a rate: OpenSTA reads a
 * script line by line, testing after each whether the command is complete
 * (`info complete`), so one multi-line `array set` of a unit's 1.6 million
 * pins takes time quadratic in its lines (no result after 10 minutes on
 * lut-tc's 284k-cell unit; 33 s as one command a line). */
static void write_gate_body(FILE *fp, int nsets, const mp_toggles *const *t,
                            const double *scale)
{
    for (int s = 0; s < nsets; s++) {
        for (int i = 0; i < t[s]->count; i++)
            if (!strpbrk(t[s]->v[i].name, "{}\\ "))
                fprintf(fp, "array set rate%d {{%s} %.9g}\n", s,
                        t[s]->v[i].name, t[s]->v[i].count * scale[s]);
        fprintf(fp, "set pint(%d) 0; set psw(%d) 0\n", s, s);
    }
    fprintf(fp, "set corner [sta::cmd_corner]\n"
            "set cells [get_cells -hierarchical *]\n"
            "foreach g {0 1} {\n"
            "  set_power_activity -global -activity $g -duty 0.5\n"
            "  foreach c $cells { set p${g}($c) [sta::instance_power $c "
            "$corner] }\n}\n"
            "set leak 0; set measured 0\n"
            "foreach c $cells {\n  set names {}\n"
            "  foreach p [get_pins -of_objects $c] {\n"
            "    if {[get_property $p direction] != \"output\"} continue\n"
            "    set net [get_nets -quiet -of_objects $p]\n"
            "    set name [expr {[llength $net] ? [get_full_name $net] : \"\"}]\n"
            "    if {![info exists rate0($name)]} { set name [get_full_name $p] }\n"
            "    if {[info exists rate0($name)]} { lappend names $name }\n"
            "  }\n"
            "  set n [llength $names]\n  if {$n} { incr measured }\n"
            "  for {set s 0} {$s < %d} {incr s} {\n"
            "    set a 0\n"
            "    foreach name $names {\n"
            "      if {[info exists rate${s}($name)]} { set a [expr {$a + [set rate${s}($name)]}] }\n"
            "    }\n"
            "    if {$n} { set a [expr {$a / $n}] }\n"
            "    foreach k {0 1} v {pint psw} {\n"
            "      set lo [lindex $p0($c) $k]; set hi [lindex $p1($c) $k]\n"
            "      set ${v}($s) [expr {[set ${v}($s)] + $lo + ($hi - $lo) * $a}]\n"
            "    }\n  }\n"
            "  set leak [expr {$leak + [lindex $p0($c) 2]}]\n}\n"
            "puts \"mpsim output pins with activity $measured of "
            "[llength $cells] cells\"\n"
            "for {set s 0} {$s < %d} {incr s} {\n"
            "  set tag [expr {$s ? \"Total_$s\" : \"Total\"}]\n"
            "  puts [format \"%%s %%.9e %%.9e %%.9e\" $tag $pint($s) "
            "$psw($s) $leak]\n}\n", nsets, nsets);
}

static int write_power_tcl(const char *path, const char *netlist,
                           const char *liberty, const char *module,
                           int nsets, const mp_toggles *const *ts,
                           const double *scales, double period_ns,
                           int per_pin, mp_diag *d)
{
    const mp_toggles *t = ts[0];
    double scale = scales[0];
    FILE *fp = mp_sta_script_open(path, "cosim --activity", liberty, netlist,
                                  module, "activity", d);
    if (!fp)
        return -1;
    if (per_pin) {
        mp_sta_clock(fp, period_ns);
        write_gate_body(fp, nsets, ts, scales);
        return mp_sta_script_close(fp, path, "activity", d);
    }
    mp_sta_clock(fp, period_ns);
    fprintf(fp, "set_power_activity -input -activity 0 -duty 0.5\n"
            "foreach {port rate} {\n");
    for (int i = 0; i < t->count; i++)
        if (!mp_is_clock_port(t->v[i].name) && !strpbrk(t->v[i].name, "{}\\"))
            fprintf(fp, "  {%s} %.9g\n", t->v[i].name, t->v[i].count * scale);
    fprintf(fp, "} {\n  set p [get_ports -quiet $port]\n"
            "  if {[llength $p]} {\n"
            "    set_power_activity -input_ports $p -activity $rate "
            "-duty 0.5\n  }\n}\nreport_power -digits 6\n");
    return mp_sta_script_close(fp, path, "activity", d);
}

int mp_activity_power_sets(const char *netlist, const char *liberty,
                           const char *module, int nsets,
                           const mp_toggles *const *t, const double *scale,
                           double period_ns, int per_pin,
                           const char *workdir, mp_power *p, mp_diag *d)
{
    if (nsets < 1 || nsets > MP_POWER_SETS_MAX || (nsets > 1 && !per_pin))
        return mp_fail(d, workdir, 0, "activity", "%d rate sets (1, or up "
                       "to %d per pin)", nsets, MP_POWER_SETS_MAX);
    memset(p, 0, (size_t)nsets * sizeof *p);
    char name[140];
    snprintf(name, sizeof name, "sta_power_%.100s", module);
    mp_sta_files f;
    mp_sta_files_init(&f, workdir, name);
    if (write_power_tcl(f.tcl, netlist, liberty, module, nsets, t, scale,
                        period_ns, per_pin, d) ||
        mp_sta_exec(&f, workdir, d))
        return -1;
    if (mp_sta_power_read(f.log, "activity", &p[0], d))
        return -1;
    for (int s = 1; s < nsets; s++) {
        char tag[24]; /* "Total_" and any int */
        snprintf(tag, sizeof tag, "Total_%d", s);
        if (mp_sta_power_read_tag(f.log, "activity", tag, &p[s], d))
            return -1;
    }
    return 0;
}

int mp_activity_power(const char *netlist, const char *liberty,
                      const char *module, const mp_toggles *t, double scale,
                      double period_ns, int per_pin, const char *workdir,
                      mp_power *p, mp_diag *d)
{
    return mp_activity_power_sets(netlist, liberty, module, 1, &t, &scale,
                                  period_ns, per_pin, workdir, p, d);
}
