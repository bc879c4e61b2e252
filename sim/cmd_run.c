/* cmd_run.c - placeholder until the command lands; fails loudly. */
#include <stdio.h>
#include "sim/commands.h"

int cmd_run(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "mpsim: <command line>: run: not implemented yet\n");
    return 1;
}
