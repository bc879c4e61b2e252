/* cmd_gemm.c - placeholder until the command lands; fails loudly. */
#include <stdio.h>
#include "sim/commands.h"

int cmd_gemm(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "mpsim: <command line>: gemm: not implemented yet\n");
    return 1;
}
