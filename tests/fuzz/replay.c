/*
 * replay.c - run inputs through a reader without libFuzzer:
 *
 *     fuzz-replay [--refuse] READER FILE...
 *     fuzz-replay --list          the readers, one a line
 *
 * prints one line per file ("ok FILE" or the reader's one-line diag) and
 * exits 0 when every input was either accepted or refused with a diag;
 * with --refuse (regression inputs, each of which a reader once accepted
 * silently or crashed on) every input must be refused.
 * A crash, a sanitizer report or a hang is the failure `make test` looks
 * for (tests/cli/test_fuzz_regress.sh runs the corpora and regressions).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden/infile.h"
#include "tests/fuzz/readers.h"

int main(int argc, char **argv)
{
    if (argc == 2 && !strcmp(argv[1], "--list")) {
        for (size_t i = 0; mp_fuzz_reader_name(i); i++)
            printf("%s\n", mp_fuzz_reader_name(i));
        return 0;
    }
    int refuse = argc > 1 && !strcmp(argv[1], "--refuse");
    argv += refuse;
    argc -= refuse;
    const char *reader = NULL;
    for (size_t i = 0; argc > 1 && mp_fuzz_reader_name(i); i++)
        if (!strcmp(mp_fuzz_reader_name(i), argv[1]))
            reader = argv[1];
    if (!reader) {
        fprintf(stderr, "usage: fuzz-replay [--refuse] READER FILE...  "
                "(readers:");
        for (size_t i = 0; mp_fuzz_reader_name(i); i++)
            fprintf(stderr, " %s", mp_fuzz_reader_name(i));
        fprintf(stderr, ")\n");
        return 2;
    }
    int bad = 0;
    for (int i = 2; i < argc; i++) {
        mp_diag d;
        int64_t size;
        FILE *fp = mp_in_open(argv[i], 64L << 20, "file", &size, &d);
        if (!fp) {
            mp_diag_print(&d, stderr);
            return 2;
        }
        unsigned char *data = malloc((size_t)size + 1);
        if (!data || fread(data, 1, (size_t)size, fp) != (size_t)size)
            return 2;
        fclose(fp);
        memset(&d, 0, sizeof d);
        if (mp_fuzz_run(reader, data, (size_t)size, &d) == 0) {
            printf("%s %s\n", refuse ? "BAD (accepted)" : "ok", argv[i]);
            bad |= refuse;
        } else if (d.msg[0] && d.file[0]) {
            printf("refused %s: ", argv[i]);
            mp_diag_print(&d, stdout);
        } else {
            printf("BAD %s: refused without a diagnostic\n", argv[i]);
            bad = 1;
        }
        free(data);
    }
    return bad;
}
