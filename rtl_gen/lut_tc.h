/*
 * lut_tc.h - the LUT Tensor Core generator's layout and array core, shared
 * by its rtl ops (lut_tc.c) and its tests.
 *
 * The core is M_TILE x N_TILE outputs built from rows x cols LUT units of
 * tile_m x tile_n x tile_k (M2N64K4 by default).  It runs one step per
 * cycle: step (g, b, j) = group g, weight plane b, K-block j of tile_k
 * values, in the golden's order (docs/numerics.md, GEMM arithmetic): per
 * group, planes b = 0..B-1 lowest first, per plane the blocks of the group
 * ascending.
 * Plane 0 computes the symmetrized tables from the activations and stores
 * them (one table-RF word per block); planes 1..B-1 read them back.
 */
#ifndef MP_RTL_LUT_TC_H
#define MP_RTL_LUT_TC_H

#include "golden/diag.h"
#include "rtl_gen/emit.h"
#include "rtl_gen/fp_units.h"

typedef struct mp_lut_cfg {
    /* given (lut_setup() in lut_tc.c fills them from the golden arith) */
    int m_tile, n_tile;      /* outputs of the core                        */
    int tile_m, tile_n;      /* one LUT unit                               */
    int tile_k;              /* K per step, a multiple of 4                */
    mp_act_fmt act, table_fmt; /* the PE's formats (lut_arith)           */
    int act_bits;            /* activation word bits                       */
    int act_float;           /* activations are afmt floats (else ints)    */
    mp_fpf afmt;
    int table_float;         /* entries rounded to tfmt (else exact ints)  */
    mp_fpf tfmt;
    int group_float;         /* group sums L, P', S in gfmt floats (else
                                exact integers on the grid 2^-frac_bits)   */
    mp_fpf gfmt;
    int frac_bits;           /* exact group sums: grid of entries and S    */
    int planes;              /* B: weight bits (ternary: 2)                */
    int msb_flip;            /* signed/ternary codes: offset 2^(B-1)       */
    int group;               /* K values per group (the whole K if per-
                                channel: then k_max)                       */
    /* derived by mp_lut_layout() */
    int rounded;             /* exact group sums of rounded (float) table
                                entries: decoded onto the grid, S formed
                                from the activations                       */
    int store_bits;          /* a table RF entry: int or tfmt bits         */
    int64_t entry_max;       /* |entry| on the grid (exact group sums)     */
    int64_t x_max;           /* |x| on the grid (exact group sums)         */
    int entry_bits;          /* an entry on the grid (exact group sums)    */
    int tree_bits;           /* sum of tile_k/4 signed entries             */
    int acc_bits;            /* P' of one group                            */
    int sum_bits;            /* S of one group                             */
    int blocks;              /* K-blocks per group: group / tile_k         */
    int latency;             /* step offered -> p_* / s_* updated          */
} mp_lut_cfg;

int mp_lut_layout(mp_lut_cfg *c);

/* Row r's table word: the fresh entries tc_<r>_<g4>_<i> (entry_bits each:
 * store_bits) concatenated into tw_<r>, registered into tr_<r> (on plane 0
 * from tw, on later planes from the row's table RF trf_<r>, written on
 * plane 0 at in_block), and sliced into t_<r>_<g4>_<i>. */
void mp_lut_emit_table_word(mp_vmod *m, const mp_lut_cfg *c, int entry_bits,
                            int r);
/* Emit the table builder of 4 activations x0..x3 -> t0..t7 (store_bits):
 * exact integer sums, or the exact sums rounded once to tfmt. */
int mp_lut_emit_table(mp_rtl_out *out, const mp_lut_cfg *c, char *name,
                      mp_diag *d);
/* Plane bits of column n (wp_<n>, offset binary), registered. */
void mp_lut_emit_planes(mp_vmod *m, const mp_lut_cfg *c, int n);
/* Instance unit_<ur>_<uc> of LUT unit module `unit` in a core, its
 * table inputs from <tab>_<row>_<g4>_<i>, its control ports connected by
 * the text ctl (".en(v1), .first(f1)," and so on). */
void mp_lut_emit_unit_inst(mp_vmod *m, const mp_lut_cfg *c, const char *unit,
                           const char *tab, int ur, int uc, const char *ctl);

/* Port lists shared by the integer core (lut_tc.c) and the float one
 * (lut_fp.c), which differ in widths and a few control inputs. */
typedef struct mp_lut_core_io {
    int x_bits, p_bits, s_bits;  /* activations, group sums P', sums S   */
    int blast;                   /* in_blast: last block of the group    */
    int plane, block;            /* in_plane / in_block inputs           */
} mp_lut_core_io;
/* "module <m->name> (" through ");" for the core ports described at
 * mp_lut_emit_core (plus in_blast when io->blast). */
void mp_lut_emit_core_ports(mp_vmod *m, const mp_lut_cfg *c,
                            const mp_lut_core_io *io);
/* A LUT unit's ports after its control inputs: tables t_<row>_<g4>_<i>
 * (entry_bits), weight planes wp_<col> (tile_k bits), accumulators
 * acc_<row>_<col> (acc_bits); closes the port list. */
void mp_lut_emit_unit_data_ports(mp_vmod *m, const mp_lut_cfg *c,
                                 int entry_bits, int acc_bits);
/* Emit "<prefix>_lut_core" (and its leaves).  Ports: clk, rst_n, in_valid,
 * in_first (first step of a group), in_last (last step of a group),
 * [in_plane] (b, when B > 1), [in_block] (j within the group, when the
 * table RF has more than one word), x_<row>_<offset> (tile_k activations,
 * read on plane 0), w_<col>_<offset> (raw B-bit codes), outputs
 * p_<row>_<col> (P' = sum_b 2^b L_b of the group), s_<row> (S of the group)
 * and out_valid (one cycle, `latency` cycles after the group's last step). */
int mp_lut_emit_core(mp_rtl_out *out, const mp_lut_cfg *c, char *name,
                     mp_diag *d);

#endif
