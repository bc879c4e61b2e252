/* workload_src.c - see workload_src.h. */
#include "sim/workload_src.h"
#include "golden/strutil.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A trace file: YAML or CSV, or any path that is not a config.json. */
static int is_trace_file(const char *s)
{
    if (mp_ends_with_nocase(s, ".json"))
        return 0;
    return mp_ends_with_nocase(s, ".yaml") || mp_ends_with_nocase(s, ".yml") ||
           mp_ends_with_nocase(s, ".csv") || strchr(s, '/') != NULL;
}

void mp_workload_opts_init(mp_workload_opts *o)
{
    memset(o, 0, sizeof *o);
    mp_trace_opts_init(&o->trace);
}

int mp_workload_open(const mp_workload_opts *o, mp_trace *t, char *label,
                     size_t cap, mp_diag *d)
{
    mp_trace_init(t);
    const char *spec = o->workload;
    int have_model = (o->trace.given & MP_TOPT_MODEL) != 0;
    if (spec && is_trace_file(spec)) {
        if (mp_trace_opts_any(&o->trace))
            return mp_fail(d, MP_CMDLINE, 0, "--workload", "a trace file "
                           "takes no trace options (--model, --seq, ...)");
        if (mp_trace_load(spec, t, d))
            return -1;
        snprintf(label, cap, "%s", spec);
        return 0;
    }
    if (spec && have_model)
        return mp_fail(d, MP_CMDLINE, 0, "--model", "give either --workload "
                       "or --model, not both");
    mp_trace_opts topts = o->trace;
    if (spec && mp_trace_opts_set(&topts, "model", spec, d) < 0)
        return -1;
    int rc = mp_trace_opts_build(&topts, t, d);
    if (rc)
        return rc;
    snprintf(label, cap, "%s %s seq=%lld batch=%lld%s%s", t->model, t->phase,
             (long long)t->seq, (long long)t->batch, t->quant[0] ? " " : "",
             t->quant);
    return 0;
}
