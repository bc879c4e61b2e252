/*
 * pe.h - the one interface every processing-element family implements.
 *
 * A PE family is a struct of function pointers (mp_pe_ops), as Linux *_ops
 * are, plus the parameters it is instantiated with (mp_pe_params).  Adding a
 * family is five files and nothing else (README.md, "Layout"): its model
 * here (pe_models/NAME.c, with ops->acts), its generator (rtl_gen/NAME.c),
 * a preset (sim/arch/PRESET.yaml), and two lines in each registry (the
 * extern and the entry: pe_models/registry.c, rtl_gen/rtl_registry.c).
 * The tests iterate the registries and presets, so they check, generate,
 * lint and co-simulate it without naming it.
 *
 * A PE model knows its arithmetic, timing and cost for one PE and for the
 * edge units it needs (dequantization, table precompute, packing
 * correction); it knows nothing of YAML, files, or arrays larger than a tile.
 * The engine in sim/ maps a GEMM onto an R x C array of these PEs.
 *
 * The PE's unit of work is a micro-tile: tile_m x tile_n x tile_k MACs every
 * cycles_per_tile cycles (INT8 MAC: 1x1x1 in 1 cycle; LUT Tensor Core
 * M2N64K4 in B cycles for B-bit weights; a packed DSP48E2: 2x1x1 in 1).
 *
 * Semantics settled here (read before using the params):
 *  - A zero field means "family default"; check() writes the default back.
 *    For the two enum knobs this makes value 0 the default: acc ==
 *    MP_ACC_INT and table_fmt == MP_ACT_INT8 both mean "family default"
 *    (integer group sums for integer activations; INT8 tables, which need a
 *    per-table scale, are not modelled).
 *  - group_size 0 means per-channel (one group = the whole K); compute and
 *    edge take G = K from the GEMM, cost assumes a 32-bit group register.
 *  - compute() equals mp_gemm_hw(in, ar) with ar from mp_pe_arith_for()
 *    (arith() cannot know whether a GEMM has scales; without them the
 *    output is integer and out_acc must be MP_ACC_INT).
 *  - The activation sum S[m][g] for the zero-point correction is formed once
 *    per row at the array edge (edge entry "act_sum"), and the dequant units
 *    (edge entry "dequant") do y += s * (P - z*S) once per group.  Other
 *    edge entries: "table_precompute" (lut-tc), "pack_correction"
 *    (dsp-chain), "weight_dequant" (fp16-mac).
 *  - energy_pj_tile is per micro-tile (all cycles_per_tile cycles); on FPGA
 *    it is the resources' pJ per cycle times cycles, fpga_dynamic_w the same
 *    at clock_hz.
 *  - compute() also validates the data against the knobs a family has (N:M
 *    sparsity of the weight codes for dsp-chain) and fails naming "wq".
 *  - clock_hz 0 means the family's evaluation clock (dsp-chain: 225 MHz as
 *    FlightLLM; ASIC families: 500 MHz as MixPE/BitFusion, lut-tc 1 GHz).
 */
#ifndef MP_PE_H
#define MP_PE_H

#include <stdint.h>
#include "golden/diag.h"
#include "golden/formats.h"
#include "golden/mpgemm.h"
#include "pe_models/tech.h"

typedef struct mp_pe_params {
    /* operand precisions */
    mp_wfmt wfmt;
    mp_act_fmt act;
    int group_size;  /* quantization group along K; K = per-channel */
    int has_zeros;   /* asymmetric weights */
    /* micro-architecture; 0 / defaults mean "family default" */
    int tile_m, tile_n, tile_k; /* LUT Tensor Core elongated tile       */
    mp_acc_fmt acc;             /* accumulator choice where it is free  */
    mp_act_fmt table_fmt;       /* LUT Tensor Core table entries        */
    int table_fused;            /* LUT TC: precompute fused upstream    */
    int chain_len;              /* DSP chain: DSP48E2 slices per chain  */
    int sparse_n, sparse_m;     /* N:M activation sparsity, 0:0 = dense */
    int pack_products;          /* products per PE per cycle: DSP 1, 2
                                   or 4 per DSP48E2; mixpe L codes in an
                                   activation-wide weight operand (0/1:
                                   none; docs/model.md, mixpe)          */
    int edge_units;             /* dequant / correction units per edge  */
    int dequant_stages;         /* pipeline stages of a scaled dequant
                                   unit, 1..6 (0: family default 1):
                                   2 registers d = round(s*r), 3 also
                                   the exact product before its
                                   rounding, 4 also the exact sum of
                                   acc + d before its rounding (the acc
                                   loop then spans 2 cycles: a group
                                   must take >= 2 steps), 5 also r and
                                   s before the multiplier, 6 also the
                                   product's normalized magnitude inside
                                   its rounding; each adds a
                                   drain cycle (docs/model.md, "Array
                                   timing"; docs/rtl.md)               */
    int fma_stages;             /* fp16-mac PE: 1 (0: default) forms the
                                   product and accumulates it in one
                                   cycle; 2 registers the exact product
                                   first (pipeline_depth 1)            */
    int scale_stages;           /* the read port's per-token act_scale
                                   multiplier: 1 (0: default) one cycle
                                   from rd_idx to rd_data; 2 registers
                                   the exact product before its
                                   rounding, read latency 2 (docs/rtl.md,
                                   "Read port"; no fold cycle changes)   */
    int int_output;             /* 1: the GEMM has no scales (integer
                                   output); without zero points nothing
                                   is dequantized, so the edge adds no
                                   drain (docs/model.md, "Array timing") */
    double clock_hz;
} mp_pe_params;

#define MP_DEQUANT_STAGES_MAX 6 /* dequant_stages 1..6 */
#define MP_FMA_STAGES_MAX 2     /* fma_stages 1..2     */
#define MP_SCALE_STAGES_MAX 2   /* scale_stages 1..2   */
#define MP_FDEQ_STAGES_MAX 3    /* dequant_stages of a float group edge
                                   (lut-tc float sums, rtl_gen/block_top.c
                                   fdeq): 1..3                        */

/* What the array needs to know of one PE (docs/model.md, "Array timing";
 * with a generator, every field equals the generated RTL's, docs/rtl.md). */
typedef struct mp_pe_timing {
    int tile_m, tile_n, tile_k; /* MACs per tile = tile_m*tile_n*tile_k  */
    int cycles_per_tile;        /* >1 for bit-serial or multi-cycle PEs  */
    int pipeline_depth;         /* fixed latency of a fold beyond the
                                   streaming steps and the systolic skew:
                                   the generated RTL's (0 for the
                                   systolic families, whose PE adds a
                                   pair on the edge after it arrives).
                                   It includes the cascade fill k_span
                                   - 1 of a whole PE group: an array of
                                   fewer rows than k_span cascades all
                                   its rows, and the engine takes the
                                   k_span - rows slices it lacks off     */
    double density;             /* fraction of K actually multiplied
                                   (N/M for N:M sparsity, else 1)        */
    int operand_broadcast;      /* 0: operands enter with systolic skew
                                   (fill/drain R + C - 2 per fold);
                                   1: broadcast to the whole array (the
                                   block-step tops): no skew             */
    int k_span;                 /* array rows one PE group spans along K
                                   through a cascade (DSP chain:
                                   chain_len); 0 or 1: one row.  In OS
                                   the array holds rows/k_span groups
                                   along M, each taking tile_k*k_span K
                                   per step                              */
    int k_group;                /* K values (before sparsity) a step may
                                   not straddle: the PE sums each
                                   quantization group apart, so with
                                   more than one K per step each group
                                   of k_group takes ceil(ceil(k_group *
                                   density) / (tile_k*k_span)) steps;
                                   0: the whole K is one group (per
                                   channel, or steps never straddle)     */
    double stored_wbits;        /* bits one weight position (of K x N,
                                   before sparsity) occupies in DRAM and
                                   in the weight buffer, index metadata
                                   included: N:M sparse weights are kept
                                   compressed, N/M x (code bits + log2 M
                                   index bits) (docs/model.md, "DRAM
                                   layout"); 0: the code width (dense)   */
} mp_pe_timing;

typedef struct mp_pe_cost {
    double area_um2;         /* one PE (0 on FPGA)                       */
    double energy_pj_tile;   /* dynamic energy of one micro-tile        */
    double leakage_uw;       /* one PE                                  */
    /* FPGA resources per PE (0 on ASIC) and power per PE at the clock   */
    double dsp, lut, ff, bram, uram;
    double fpga_dynamic_w;
} mp_pe_cost;

typedef struct mp_gemm_shape {
    int64_t m, n, k;
} mp_gemm_shape;

/* Work for one kind of edge unit over one GEMM. */
typedef struct mp_edge_cost {
    char name[32];          /* "dequant", "table_precompute", ...       */
    double ops;             /* operations this GEMM needs               */
    double ops_per_cycle;   /* throughput of all such units             */
    double energy_pj_op;
    double area_um2;        /* all such units (0 on FPGA)               */
    double lut, ff, dsp;    /* FPGA resources of all such units          */
    int overlaps_compute;   /* 1: pipelined with the array; 0: serial   */
    int64_t drain_cycles;   /* cycles this unit adds after the array's
                               last output of a fold before the fold's
                               results are final (OS dequant edge: 1;
                               block-step tops: E, docs/rtl.md); the
                               engine adds the largest entry's          */
} mp_edge_cost;

#define MP_MAX_EDGE 4

typedef struct mp_pe_ops {
    const char *name;    /* unique in the registry, e.g. "mixpe"; the
                            pe: family: of architecture files            */
    const char *summary; /* one line for `mpsim list`                    */
    /* The activation formats check() accepts, ending with MP_ACT_COUNT.
     * Generators and tests take a family's formats from here (operand
     * ranges follow from the format, golden/formats.h), never from a list
     * of their own. */
    const mp_act_fmt *acts;
    /* 1: the datapath is as wide as the arch's weight format; a narrower
     * workload format is stored, moved and multiplied at that width (the
     * INT8 MAC baseline is fed INT8 codes); 0: the PE runs each format
     * it accepts natively (or dequantizes on load in a unit it charges). */
    int widens_weights;

    /* Are these precisions and knobs supported?  Fills defaults in place
     * (tile shape, accumulator...) and returns 0, or -1 naming the field. */
    int (*check)(mp_pe_params *p, mp_diag *d);
    /* The golden hardware-reference arithmetic this PE implements. */
    void (*arith)(const mp_pe_params *p, mp_arith *out);
    /* Functional model: compute a small GEMM the way the PE does (shift&add,
     * table lookups, packed DSP products...).  Must equal mp_gemm_hw() with
     * arith() bit for bit. */
    int (*compute)(const mp_pe_params *p, const mp_gemm_in *in, double *y,
                   mp_diag *d);
    void (*timing)(const mp_pe_params *p, mp_pe_timing *out);
    int (*cost)(const mp_pe_params *p, const mp_tech *t, mp_pe_cost *out,
                mp_diag *d);
    /* Edge units for a GEMM of this shape on a rows x cols array; returns
     * how many entries of out[MP_MAX_EDGE] were filled, or -1. */
    int (*edge)(const mp_pe_params *p, const mp_tech *t,
                const mp_gemm_shape *shape, int rows, int cols,
                mp_edge_cost *out, mp_diag *d);
} mp_pe_ops;

/* Registry (pe_models/registry.c).  The array ends with NULL. */
extern const mp_pe_ops *const mp_pe_registry[];
const mp_pe_ops *mp_pe_find(const char *name);

/* Zero the params and set the common starting point: int4 weights, int8
 * activations, G = 128, symmetric; every micro-architecture knob at its
 * family default. */
void mp_pe_params_init(mp_pe_params *p);

/* ops->arith(p) for this GEMM: arith() returns FP32 cross-group
 * accumulation; a GEMM without scales has integer output, so out_acc
 * becomes MP_ACC_INT.  compute() equals mp_gemm_hw(in, this). */
void mp_pe_arith_for(const mp_pe_ops *ops, const mp_pe_params *p,
                     const mp_gemm_in *in, mp_arith *ar);

/* MACs one PE completes per cycle at full density:
 * tile_m*tile_n*tile_k / cycles_per_tile. */
double mp_pe_macs_per_cycle(const mp_pe_timing *t);

#endif
