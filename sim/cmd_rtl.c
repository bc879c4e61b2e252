/* cmd_rtl.c - placeholder until the command lands; fails loudly. */
#include <stdio.h>
#include "sim/commands.h"

int cmd_rtl(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "mpsim: <command line>: rtl: not implemented yet\n");
    return 1;
}
