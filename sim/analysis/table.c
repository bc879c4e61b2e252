/* table.c - see table.h. */
#include "sim/analysis/table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "golden/outfile.h"

void mp_table_init(mp_table *t, int ncols, const char *const *head)
{
    memset(t, 0, sizeof *t);
    t->ncols = ncols;
    for (int c = 0; c < ncols; c++)
        snprintf(t->head[c], MP_TABLE_CELL, "%s", head[c]);
}

char (*mp_table_row(mp_table *t))[MP_TABLE_CELL]
{
    if (t->nrows == t->cap) {
        int cap = t->cap ? t->cap * 2 : 16;
        void *p = realloc(t->cell, (size_t)cap * sizeof *t->cell);
        if (!p)
            return NULL;
        t->cell = p, t->cap = cap;
    }
    memset(t->cell[t->nrows], 0, sizeof t->cell[0]);
    return t->cell[t->nrows++];
}

void mp_table_free(mp_table *t)
{
    free(t->cell);
    memset(t, 0, sizeof *t);
}

static void csv_cell(FILE *fp, const char *s, int first)
{
    fputs(first ? "" : ",", fp);
    if (!strpbrk(s, ",\"")) {
        fputs(s, fp);
        return;
    }
    fputc('"', fp);
    for (; *s; s++)
        fputs(*s == '"' ? "\"\"" : (char[2]){*s, 0}, fp);
    fputc('"', fp);
}

static void tex_cell(FILE *fp, const char *s)
{
    for (; *s; s++) {
        if (strchr("_%&#$", *s))
            fputc('\\', fp);
        fputc(*s, fp);
    }
}

static void write_md(FILE *fp, const mp_table *t, const char *stamp)
{
    fprintf(fp, "<!-- %s -->\n\n|", stamp);
    for (int c = 0; c < t->ncols; c++)
        fprintf(fp, " %s |", t->head[c]);
    fputs("\n|", fp);
    for (int c = 0; c < t->ncols; c++)
        fputs(c ? " ---: |" : " --- |", fp);
    for (int r = 0; r < t->nrows; r++) {
        fputs("\n|", fp);
        for (int c = 0; c < t->ncols; c++)
            fprintf(fp, " %s |", t->cell[r][c]);
    }
    fputc('\n', fp);
}

static void write_csv(FILE *fp, const mp_table *t, const char *stamp)
{
    fprintf(fp, "# %s\n", stamp);
    for (int c = 0; c < t->ncols; c++)
        csv_cell(fp, t->head[c], c == 0);
    for (int r = 0; r < t->nrows; r++) {
        fputc('\n', fp);
        for (int c = 0; c < t->ncols; c++)
            csv_cell(fp, t->cell[r][c], c == 0);
    }
    fputc('\n', fp);
}

static void write_tex(FILE *fp, const mp_table *t, const char *stamp)
{
    fprintf(fp, "%% %s\n\\begin{tabular}{l", stamp);
    for (int c = 1; c < t->ncols; c++)
        fputc('r', fp);
    fputs("}\n\\toprule\n", fp);
    for (int c = 0; c < t->ncols; c++) {
        fputs(c ? " & " : "", fp);
        tex_cell(fp, t->head[c]);
    }
    fputs(" \\\\\n\\midrule\n", fp);
    for (int r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            fputs(c ? " & " : "", fp);
            tex_cell(fp, t->cell[r][c]);
        }
        fputs(" \\\\\n", fp);
    }
    fputs("\\bottomrule\n\\end{tabular}\n", fp);
}

int mp_table_write(const mp_table *t, const char *dir, const char *stem,
                   const char *stamp, mp_diag *d)
{
    static const char *const ext[] = {"md", "csv", "tex"};
    void (*const fn[])(FILE *, const mp_table *, const char *) = {
        write_md, write_csv, write_tex};
    for (int i = 0; i < 3; i++) {
        char path[MP_DIAG_FILE_MAX];
        snprintf(path, sizeof path, "%s/%s.%s", dir, stem, ext[i]);
        mp_outfile of;
        if (mp_out_open(&of, path, d))
            return -1;
        fn[i](of.fp, t, stamp);
        if (mp_out_commit(&of, d))
            return -1;
    }
    return 0;
}
