/* cmd_cosim.c - placeholder until the command lands; fails loudly. */
#include <stdio.h>
#include "sim/commands.h"

int cmd_cosim(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "mpsim: <command line>: cosim: not implemented yet\n");
    return 1;
}
