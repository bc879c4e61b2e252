/* cmd_trace.c - placeholder until the command lands; fails loudly. */
#include <stdio.h>
#include "sim/commands.h"

int cmd_trace(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "mpsim: <command line>: trace: not implemented yet\n");
    return 1;
}
