/*
 * simulate.h - cost a workload trace on a bound architecture: per layer
 * (trace op) cycles, seconds, bound, traffic and an energy breakdown, and
 * run totals (latency, energy, area, throughput, efficiency).
 *
 * Data flows one way: arch + trace op -> PE timing/cost at the op's
 * precision (pe.h ops, cached per distinct precision) -> array mapping
 * (engine.h) -> blocking, traffic and overlap (memory.h) -> energies.
 * Cost is proportional to the number of trace ops, never to repeat counts,
 * tokens or cycles.  Layer figures are those of ONE instance; totals
 * multiply by repeat.  docs/model.md gives every equation.
 */
#ifndef MP_SIMULATE_H
#define MP_SIMULATE_H

#include <stddef.h>
#include <stdint.h>
#include "golden/diag.h"
#include "sim/arch.h"
#include "workloads/trace.h"

typedef struct mp_energy {  /* picojoules */
    double pe;       /* micro-tiles x energy per tile                    */
    double edge;     /* dequant / table precompute / correction units    */
    double vector;   /* vector-unit ops                                  */
    double sram;     /* on-chip buffer reads and writes (FPGA: the
                        buffer blocks' clocked power x latency)          */
    double dram;     /* off-chip reads, writes and background power      */
    double leakage;  /* PE and SRAM leakage over the layer's latency     */
    double total;
} mp_energy;

typedef struct mp_layer {
    char name[64];
    mp_op_kind kind;
    int64_t m, n, k, repeat;
    double macs;              /* M*N*K (0 for vector ops)                 */
    mp_dataflow dataflow;     /* the mapping used (chosen, with auto)     */
    int64_t folds;
    int64_t compute_cycles;   /* array, incl. fill/drain                  */
    int64_t edge_cycles;      /* serial edge work + exposed overlapped    */
    int64_t vector_cycles;
    int64_t stall_cycles;     /* cycles waiting for memory                */
    int64_t control_cycles;   /* instruction issue and layer sync          */
    int64_t cycles;           /* the layer's latency in cycles            */
    double seconds;
    double util;              /* MACs / (cycles x peak), the peak at the
                                 precision this layer runs (the one
                                 definition of utilisation, docs/model.md) */
    double peak_macs_per_cycle; /* that peak; vector ops: the arch's nominal */
    double mapping_eff, compute_util; /* SCALE-Sim's definitions         */
    int memory_bound;
    double dram_read_bytes, dram_write_bytes;
    double sram_read_bytes, sram_write_bytes;
    double w_bits;            /* stored bits per weight (with scales)     */
    mp_act_fmt pe_act;        /* GEMM ops: the activation format the PE
                                 ran at (its energy's source:
                                 mp_energy_source, sim/energy_cal.h)      */
    int on_attention;         /* ran on the arch's attention array        */
    mp_energy e;
} mp_layer;

typedef struct mp_run {
    mp_layer *layers;
    size_t count;
    /* totals over layers x repeat */
    double macs;
    double cycles;
    double latency_s;
    mp_energy e;
    double dram_bytes;
    /* off-chip capacity: weights stored (every layer and expert, in the
     * format each op's datapath reads), KV cache, activations */
    double weight_store_bytes, kv_cache_bytes, activation_bytes;
    double capacity_bytes;    /* the arch's, 0 = not given               */
    int capacity_exceeded;    /* needs more than capacity_bytes          */
    double onchip_capacity_bytes; /* weights_on_chip: the weight buffer  */
    int onchip_exceeded;      /* the weights do not fit it               */
    /* hardware */
    int64_t pes;
    double peak_macs_per_cycle; /* nominal: the arch's default precision */
    double util;              /* macs / sum(cycles x repeat x layer peak)  */
    double area_mm2;          /* PEs + edge units (+ buffers if given)   */
    double pe_area_mm2, edge_area_mm2, sram_area_mm2;
    double attn_area_mm2;     /* of pe + edge: the attention array's      */
    double dsp, lut, ff, bram, uram; /* FPGA resources                   */
    int is_fpga;
    /* workload */
    int64_t tokens;
    double tokens_per_s, tokens_per_j;
    double tops, tops_per_w, tops_per_mm2;
    int compute_layers, memory_layers;
    /* gate-level timing (sim/synth/timing.h), set by `mpsim run` only: the JSON
     * report carries fmax_hz and timing_ok when timing_checked */
    int timing_checked;
    int timing_known, timing_ok;
    double fmax_hz;
} mp_run;

int mp_simulate_op(const mp_arch *a, const mp_trace_op *op, mp_layer *out,
                   mp_diag *d);
/* Whole trace; out->layers is malloc'd (mp_run_free). */
int mp_simulate_trace(const mp_arch *a, const mp_trace *t, mp_run *out,
                      mp_diag *d);
void mp_run_free(mp_run *r);

#endif
