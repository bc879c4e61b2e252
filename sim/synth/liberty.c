/*
 * liberty.c - a Liberty library's name, supply and node; see liberty.h.
 */
#include "sim/synth/liberty.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/synth/synth.h"

/* Remove C-style block comments from line in place; *in_comment carries
 * an open comment to the next line. */
static void strip_comments(char *line, int *in_comment)
{
    char *w = line;
    for (const char *r = line; *r;) {
        if (*in_comment) {
            if (r[0] == '*' && r[1] == '/') {
                *in_comment = 0;
                r += 2;
            } else
                r++;
        } else if (r[0] == '/' && r[1] == '*') {
            *in_comment = 1;
            r += 2;
        } else
            *w++ = *r++;
    }
    *w = 0;
}

/* If line is `word PUNCT ...` (blanks around word): what follows PUNCT;
 * else NULL.  The start of a group (PUNCT '(') or a simple attribute
 * (':'). */
static const char *keyword(const char *line, const char *word, char punct)
{
    const char *s = line + strspn(line, " \t");
    size_t n = strlen(word);
    if (strncmp(s, word, n))
        return NULL;
    s += n;
    s += strspn(s, " \t");
    return *s == punct ? s + 1 : NULL;
}

/* If line opens a group `word ( ARG )`: ARG (trimmed, unquoted) into arg
 * and 1; else 0. */
static int group(const char *line, const char *word, char *arg, size_t cap)
{
    const char *s = keyword(line, word, '(');
    if (!s)
        return 0;
    s += strspn(s, " \t\"");
    size_t len = strcspn(s, "\")");
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    snprintf(arg, cap, "%.*s", (int)len, s);
    return 1;
}

/* If line is `nom_voltage : V ;`: V into *v (NAN when not a number) and
 * 1; else 0. */
static int nom_voltage(const char *line, double *v)
{
    const char *s = keyword(line, "nom_voltage", ':');
    if (!s)
        return 0;
    char *end;
    *v = strtod(s, &end);
    end += strspn(end, " \t");
    if (end == s || (*end && !strchr(";\r\n", *end)))
        *v = NAN;
    return 1;
}

/* Name, supply and the line of the library group from the file's header
 * (up to its first cell group). */
static int read_header(mp_liberty *lib, mp_diag *d)
{
    FILE *fp = fopen(lib->path, "r");
    if (!fp)
        return mp_fail(d, lib->path, 0, "--liberty", "cannot read the "
                       "liberty file");
    char line[4096], arg[128];
    int lineno = 0, in_comment = 0, voltage_line = 0;
    lib->vdd = NAN;
    while (fgets(line, sizeof line, fp)) {
        lineno++;
        strip_comments(line, &in_comment);
        if (!lib->name_line && group(line, "library", arg, sizeof arg)) {
            snprintf(lib->name, sizeof lib->name, "%.*s",
                     (int)sizeof lib->name - 1, arg);
            lib->name_line = lineno;
        } else if (lib->name_line && !voltage_line &&
                   nom_voltage(line, &lib->vdd))
            voltage_line = lineno;
        else if (lib->name_line && group(line, "cell", arg, sizeof arg))
            break;
    }
    fclose(fp);
    if (!lib->name_line)
        return mp_fail(d, lib->path, 0, "library", "no 'library (NAME)' "
                       "group: not a Liberty file");
    if (!voltage_line)
        return mp_fail(d, lib->path, lib->name_line, "nom_voltage",
                       "missing from library %s's header (its supply, "
                       "from which mpsim scales)", lib->name);
    if (!(lib->vdd > 0 && lib->vdd <= 5))
        return mp_fail(d, lib->path, voltage_line, "nom_voltage",
                       "not a supply in (0, 5] V");
    return 0;
}

/* If line is the simple attribute `name : VALUE ;`: VALUE (quotes,
 * parentheses and blanks dropped: "(A)" is A) into val and 1; else 0. */
static int attribute(const char *line, const char *name, char *val,
                     size_t cap)
{
    const char *s = keyword(line, name, ':');
    if (!s)
        return 0;
    size_t k = 0;
    for (; *s && *s != ';' && *s != '\n'; s++)
        if (!strchr(" \t\"()", *s) && k + 1 < cap)
            val[k++] = *s;
    val[k] = 0;
    return 1;
}

/* The cell being read by find_buffer(): its one input, one output and
 * that output's function; bad: it has another pin or is not a plain
 * combinational cell. */
typedef struct cell_scan {
    char name[64], in[32], out[32], function[64];
    char pin[32], dir[16], pin_function[64];
    int inputs, outputs, bad, in_pin;
} cell_scan;

/* Groups of a cell that make it no buffer (sequential, tristate or bussed
 * cells). */
static const char *const not_buffer_groups[] = {
    "ff", "latch", "statetable", "bus", "bundle", "test_cell", NULL};

static void scan_cell_line(cell_scan *c, const char *line, int depth)
{
    char arg[64];
    if (depth == 2) {
        if (group(line, "pin", arg, sizeof arg)) {
            snprintf(c->pin, sizeof c->pin, "%.31s", arg);
            c->dir[0] = c->pin_function[0] = 0;
            c->in_pin = 1;
        }
        for (int i = 0; not_buffer_groups[i]; i++)
            if (group(line, not_buffer_groups[i], arg, sizeof arg))
                c->bad = 1;
    } else if (depth == 3 && c->in_pin) {
        attribute(line, "direction", c->dir, sizeof c->dir);
        attribute(line, "function", c->pin_function, sizeof c->pin_function);
        if (attribute(line, "three_state", arg, sizeof arg))
            c->bad = 1;
    }
}

/* The pin whose group just closed, counted. */
static void end_pin(cell_scan *c)
{
    c->in_pin = 0;
    if (!strcmp(c->dir, "input")) {
        c->inputs++;
        snprintf(c->in, sizeof c->in, "%s", c->pin);
    } else if (!strcmp(c->dir, "output")) {
        c->outputs++;
        snprintf(c->out, sizeof c->out, "%s", c->pin);
        snprintf(c->function, sizeof c->function, "%s", c->pin_function);
    } else
        c->bad = 1;
}

/* The first buffer cell of the library (one input pin, one output pin
 * whose function is that input, nothing sequential, tristate or bussed),
 * which mpsim's Yosys flow puts on a port alias (synth.c).  Liberty
 * writers put one statement a line, as OSU's and Nangate's do; groups
 * are followed by their braces. */
static int find_buffer(mp_liberty *lib, mp_diag *d)
{
    FILE *fp = fopen(lib->path, "r");
    if (!fp)
        return mp_fail(d, lib->path, 0, "--liberty", "cannot read the "
                       "liberty file");
    char line[4096];
    int in_comment = 0, depth = 0;
    cell_scan c;
    memset(&c, 0, sizeof c);
    while (!lib->buffer[0] && fgets(line, sizeof line, fp)) {
        strip_comments(line, &in_comment);
        char arg[64];
        if (depth == 1 && group(line, "cell", arg, sizeof arg)) {
            memset(&c, 0, sizeof c);
            snprintf(c.name, sizeof c.name, "%.63s", arg);
        } else if (c.name[0])
            scan_cell_line(&c, line, depth);
        int was = depth;
        for (const char *p = line; *p; p++)
            depth += (*p == '{') - (*p == '}');
        if (c.in_pin && was >= 3 && depth <= 2)
            end_pin(&c);
        if (c.name[0] && was >= 2 && depth == 1) {
            if (!c.bad && c.inputs == 1 && c.outputs == 1 &&
                !strcmp(c.function, c.in)) {
                snprintf(lib->buffer, sizeof lib->buffer, "%s", c.name);
                snprintf(lib->buffer_in, sizeof lib->buffer_in, "%s", c.in);
                snprintf(lib->buffer_out, sizeof lib->buffer_out, "%s",
                         c.out);
            }
            c.name[0] = 0;
        }
    }
    fclose(fp);
    if (!lib->buffer[0])
        return mp_fail(d, lib->path, lib->name_line, "library", "no buffer "
                       "cell in %s (one input, one output whose function "
                       "is that input): mpsim's netlists need one",
                       lib->name);
    return 0;
}

int mp_liberty_open(mp_liberty *lib, const char *path, double node_nm,
                    const char *node_field, int osu_only, mp_diag *d)
{
    memset(lib, 0, sizeof *lib);
    snprintf(lib->path, sizeof lib->path, "%s", path);
    if (read_header(lib, d) || find_buffer(lib, d))
        return -1;
    lib->is_osu = !strcmp(lib->name, MP_LIBERTY_OSU);
    if (node_nm && (node_nm < MP_LIBERTY_NODE_MIN ||
                    node_nm > MP_LIBERTY_NODE_MAX))
        return mp_fail(d, MP_CMDLINE, 0, node_field, "%g nm: outside "
                       "%g..%g nm (the node scaling fits' range)", node_nm,
                       MP_LIBERTY_NODE_MIN, MP_LIBERTY_NODE_MAX);
    if (!lib->is_osu && osu_only)
        return mp_fail(d, path, lib->name_line, "library", "'%s' is not "
                       "OSU 0.18 um (%s): these figures are OSU's, give "
                       "its liberty or none", lib->name, MP_LIBERTY_OSU);
    if (lib->is_osu) {
        if (node_nm && node_nm != MP_LIBERTY_OSU_NODE_NM)
            return mp_fail(d, MP_CMDLINE, 0, node_field, "%g nm, but %s "
                           "is OSU 0.18 um, a %g nm library", node_nm,
                           path, MP_LIBERTY_OSU_NODE_NM);
        lib->node_nm = MP_LIBERTY_OSU_NODE_NM;
        snprintf(lib->cells, sizeof lib->cells, "OSU 0.18 um");
    } else if (!node_nm)
        return mp_fail(d, path, lib->name_line, "library", "'%s' is not "
                       "OSU 0.18 um: give its process node with %s NM "
                       "(mpsim scales its figures from that node)",
                       lib->name, node_field);
    else {
        lib->node_nm = node_nm;
        snprintf(lib->cells, sizeof lib->cells, "%.60s (%g nm)", lib->name,
                 node_nm);
    }
    snprintf(lib->label, sizeof lib->label, "%s at %g V", lib->cells,
             lib->vdd);
    return 0;
}

int mp_liberty_find(mp_liberty *lib, const char *given, double node_nm,
                    const char *node_field, int osu_only, mp_diag *d)
{
    char path[MP_DIAG_FILE_MAX], abs[PATH_MAX];
    if (given)
        snprintf(path, sizeof path, "%s", given);
    else if (mp_synth_find_liberty(path, sizeof path, d))
        return -1;
    if (!realpath(path, abs))
        return mp_fail(d, path, 0, "--liberty", "cannot read the liberty "
                       "file");
    return mp_liberty_open(lib, abs, node_nm, node_field, osu_only, d);
}
