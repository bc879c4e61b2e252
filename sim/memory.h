/*
 * memory.h - on-chip buffers, off-chip DRAM/HBM traffic and time, and the
 * overlap of compute with transfers.  Closed form; docs/model.md, "Memory",
 * derives every equation.
 *
 * Blocking (mp_memory_plan).  An output block Mt x Nt of acc_bits partial
 * sums lives in the output buffer while K streams through in chunks Kt;
 * the X chunk Mt x Kt and the W chunk Kt x Nt each fit their buffer.  With
 * double buffering only half of each buffer is usable (the other half is
 * being filled or drained).  Two loop orders are considered:
 *   M outer (X panels resident): X read once if an Mt x K panel fits, else
 *     once per N block; W read once per M block unless all of W fits.
 *   N outer (W panels resident): W read once if a K x Nt panel fits, else
 *     once per M block; X read once per N block unless all of X fits.
 * Outputs are written once (K never leaves the chip half-reduced).  Mt runs
 * over m_align * 2^i (and M itself), Nt is the largest multiple of n_align
 * the output buffer allows; the plan with the least DRAM traffic wins
 * (ties: the first, i.e. the smaller Mt).
 *
 * Overlap (mp_memory_overlap).  The transfer is split into `steps` equal
 * chunks (one per X/W chunk pair); with double buffering the first chunk
 * is loaded before compute starts and every later chunk is fetched while
 * the previous one is used:
 *     t = latency + t_first + max(t_compute, t_transfer - t_first)
 * without double buffering  t = latency + t_transfer + t_compute.
 * The layer is memory-bound when the transfer term exceeds compute.
 */
#ifndef MP_MEMORY_H
#define MP_MEMORY_H

#include <stdint.h>
#include "sim/arch.h"
#include "sim/engine.h"

/* Operand widths in bits per element as stored in DRAM (weights include
 * their amortized per-group scale and zero point). */
typedef struct mp_operand_bits {
    double x_bits;  /* X [M][K]                                   */
    double w_bits;  /* W [K][N] (weights, or the KV operand)      */
    double o_bits;  /* Y [M][N] written back                      */
    double acc_bits;/* partial sums in the output buffer          */
} mp_operand_bits;

typedef struct mp_mem_plan {
    int64_t mt, nt, kt;         /* block sizes                          */
    int64_t nm, nn, nk;         /* block counts                         */
    int m_outer;                /* 1: M outer, 0: N outer               */
    double x_bytes, w_bytes, o_bytes; /* operand sizes                  */
    double x_reads, w_reads;    /* times each operand crosses from DRAM */
    double dram_read_bytes, dram_write_bytes;
    double steps;               /* transfer chunks (nm * nn * nk)       */
} mp_mem_plan;

int mp_memory_plan(const mp_arch *a, int64_t m, int64_t n, int64_t k,
                   const mp_operand_bits *b, int64_t m_align,
                   int64_t n_align, mp_mem_plan *out);

/* SRAM traffic of one GEMM given its array mapping: what the array reads
 * from each buffer, plus DRAM fills and write-backs (bytes). */
typedef struct mp_sram_traffic {
    double w_read, w_write, x_read, x_write, o_read, o_write;
    double energy_pj;
} mp_sram_traffic;

void mp_memory_sram(const mp_arch *a, const mp_gemm_map *g,
                    const mp_mem_plan *p, const mp_operand_bits *b,
                    mp_sram_traffic *out);

/* Seconds to move `bytes` over the off-chip interface (no latency). */
double mp_memory_transfer_s(const mp_dram *m, double bytes);
/* Same in cycles for a testbench: latency + bytes / (bytes_per_cycle *
 * efficiency). */
double mp_memory_transfer_cycles(double bytes, double bytes_per_cycle,
                                 double efficiency, double latency_cycles);

typedef struct mp_overlap {
    double total_s;
    double exposed_transfer_s; /* time the array waits for memory      */
    int memory_bound;          /* transfer term > compute term         */
} mp_overlap;

void mp_memory_overlap(double compute_s, double transfer_s, double steps,
                       double latency_s, int double_buffered,
                       mp_overlap *out);

/* DRAM dynamic energy (pJ) of the given traffic. */
double mp_memory_dram_pj(const mp_dram *m, double read_bytes,
                         double write_bytes);

#endif
