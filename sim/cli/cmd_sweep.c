/*
 * cmd_sweep.c - `mpsim sweep`: a design-space sweep into a CSV (the file
 * format is in sim/sweep/spec.h and docs/model.md, section 8).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/cli/cli_util.h"
#include "sim/cli/commands.h"
#include "sim/sweep.h"

enum { OPT_SHARD = 256, OPT_RESUME, OPT_QUIET, OPT_SWEEP };

static const mp_option sweep_own[] = {
    {"jobs", 'j', "N", "worker processes (default 1); output identical"},
    {"shard", OPT_SHARD, "I/N", "only shard I of N (contiguous points); "
     "shards\nconcatenate, header once, to the whole sweep"},
    {"resume", OPT_RESUME, NULL, "keep the whole rows of an existing FILE "
     "and run\nthe rest"},
    {"quiet", OPT_QUIET, NULL, "no progress on stderr"},
    {"output", 'o', "FILE", "output CSV (default stdout)"},
    {"sweep", OPT_SWEEP, "FILE", "the sweep, instead of the SWEEP.yaml "
     "operand\n(mpsim run --sweep FILE)"},
    {NULL, 0, NULL, NULL},
};

static void usage(FILE *out)
{
    fprintf(out,
        "usage: mpsim sweep SWEEP.yaml [-j N] [--shard I/N] [--resume]\n"
        "                  [--quiet] [-o FILE.csv]\n\n"
        "Run every point of a design-space sweep (base architecture and\n"
        "workload, swept fields, constraints, derived columns) and write one\n"
        "CSV row per point in point order: configuration, hash, status\n"
        "(ok / violates / refused, with the reason), every total.\n\n");
    mp_options_help(out, sweep_own, MP_CLI_HELP_COL);
    mp_options_help(out, mp_cli_help_options, MP_CLI_HELP_COL);
}

/* "I/N" with 1 <= I <= N <= 65536. */
static int parse_shard(const char *text, mp_sweep_opts *o, mp_diag *d)
{
    char num[32];
    const char *slash = strchr(text, '/');
    int64_t i, n;
    if (!slash || (size_t)(slash - text) >= sizeof num)
        return mp_fail(d, MP_CMDLINE, 0, "--shard", "expected I/N, got "
                       "'%s'", text);
    memcpy(num, text, (size_t)(slash - text));
    num[slash - text] = '\0';
    if (mp_cli_i64(slash + 1, "--shard", 1, 65536, &n, d) ||
        mp_cli_i64(num, "--shard", 1, n, &i, d))
        return -1;
    o->shard_i = (int)i, o->shard_n = (int)n;
    return 0;
}

int mp_sweep_main(int argc, char **argv, const char *command)
{
    static const mp_option *const groups[] = {sweep_own, mp_cli_help_options,
                                              NULL};
    mp_sweep_opts o = {.out_path = "-", .jobs = 1, .shard_i = 1,
                       .shard_n = 1};
    mp_diag d;
    memset(&d, 0, sizeof d);
    mp_cli_parser p;
    const mp_option *e;
    int c;
    mp_cli_parser_init(&p, groups);
    while ((c = mp_cli_next(&p, argc, argv, &e)) != -1) {
        switch (c) {
        case 'j':
            if (mp_cli_int(optarg, "--jobs", 1, 256, &o.jobs, &d))
                goto bad;
            break;
        case OPT_SHARD:
            if (parse_shard(optarg, &o, &d))
                goto bad;
            break;
        case OPT_RESUME: o.resume = 1; break;
        case OPT_QUIET: o.quiet = 1; break;
        case 'o': o.out_path = optarg; break;
        case OPT_SWEEP: o.path = optarg; break; /* mpsim run --sweep */
        case 'h': usage(stdout); return 0;
        default: return mp_cli_bad_option(c, command, argv);
        }
    }
    if (!o.path && optind < argc)
        o.path = argv[optind++];
    if (mp_cli_no_extra_args(argc, argv, optind))
        return 2;
    if (!o.path)
        return mp_cli_missing("SWEEP.yaml", NULL, command);
    if (mp_sweep_run(&o, &d) == 0)
        return 0;
bad:
    mp_diag_print(&d, stderr);
    return 1;
}

int cmd_sweep(int argc, char **argv)
{
    return mp_sweep_main(argc, argv, "sweep");
}
