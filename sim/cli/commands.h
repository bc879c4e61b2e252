/*
 * commands.h - the mpsim subcommands.
 *
 * Each command lives in its own sim/cli/cmd_*.c, takes argv starting at the
 * command name, prints its own --help, and returns the process exit status
 * (0 success, 1 bad input or failure, with exactly one "mpsim: ..." line on
 * stderr, 2 bad usage).
 */
#ifndef MP_COMMANDS_H
#define MP_COMMANDS_H

typedef struct mp_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv);
} mp_command;

int cmd_list(int argc, char **argv);
int cmd_golden(int argc, char **argv);
int cmd_quantize(int argc, char **argv);
int cmd_trace(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_gemm(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_rtl(int argc, char **argv);
int cmd_cosim(int argc, char **argv);
int cmd_synth(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_report(int argc, char **argv);
/* `mpsim sweep`'s option parsing, also behind `mpsim run --sweep FILE`
 * (`command` names the command in usage errors). */
int mp_sweep_main(int argc, char **argv, const char *command);

#endif
