/*
 * arch.h - an accelerator architecture: an R x C array (per core) of one PE
 * family, its dataflow, on-chip buffers, off-chip memory and vector unit.
 *
 * Contract.  An architecture comes from a YAML file (see docs/model.md,
 * "Architecture files"), a built-in preset (sim/arch/NAME.yaml, found with
 * mp_data_path()) or a SCALE-Sim .cfg (sim/scalesim_cfg.h).  Parsing fills
 * plain fields and checks their ranges; mp_arch_bind() then looks the PE
 * family up in the registry, loads the technology table and checks the PE's
 * default precision, so the engine only ever sees a bound, valid arch.
 * Every failure is one diag naming file, line and field.
 *
 * The engine (sim/engine.h) needs only rows, cols, cores, dataflow,
 * fold_overlap and a PE timing; tests may fill those fields by hand without
 * binding.
 */
#ifndef MP_ARCH_H
#define MP_ARCH_H

#include <stddef.h>
#include <stdint.h>
#include "golden/diag.h"
#include "pe_models/pe.h"
#include "pe_models/tech.h"
#include "sim/energy_cal.h"

typedef enum mp_dataflow {
    MP_DF_OS, /* output stationary: rows x cols hold outputs, K streams   */
    MP_DF_WS, /* weight stationary: rows x cols hold W[k][n], M streams   */
    MP_DF_IS  /* input stationary: rows x cols hold X[m][k], N streams    */
} mp_dataflow;

const char *mp_dataflow_name(mp_dataflow df);          /* "os" ...     */
struct mp_arch;
/* "os", or for a searched dataflow "auto(os)" / "auto(os,ws,is)". */
const char *mp_arch_dataflow_label(const struct mp_arch *a, char *buf,
                                   int cap);
int mp_dataflow_parse(const char *name, mp_dataflow *out); /* 0 or -1 */

/* One on-chip buffer (weights, activations or outputs). */
typedef struct mp_buffer {
    int64_t bytes;        /* capacity                                    */
    int banks;            /* for documentation and SRAM word width      */
    int double_buffered;  /* half the capacity fills while half is used */
    double read_pj_bit;   /* dynamic energy per bit read                */
    double write_pj_bit;  /* dynamic energy per bit written             */
} mp_buffer;

/* Off-chip memory (DRAM or HBM). */
typedef struct mp_dram {
    char kind[16];         /* "dram", "hbm" (labels only)               */
    double bytes_per_s;    /* nominal peak bandwidth                    */
    double efficiency;     /* sustained / peak (burst, channel effects) */
    double latency_s;      /* first-access latency, paid once per layer */
    double read_pj_bit;
    double write_pj_bit;
    double background_w;   /* refresh/standby power while running       */
    double capacity_bytes; /* 0 = not given: the report says so         */
    int capacity_refuse;   /* policy when weights + KV + activations do
                              not fit: 1 refuse the run, 0 report it     */
} mp_dram;

typedef struct mp_arch {
    char name[64];
    char file[MP_DIAG_FILE_MAX]; /* where it was read from              */
    char description[160];
    /* the PE family and its default operand precision */
    char pe_name[32];
    mp_pe_params pe_params;
    mp_pe_params pe_written; /* pe_params as mp_arch_bind() received them
                                (fields the file left unset still 0):
                                another precision re-resolves the family
                                defaults from it (mp_arch_pe_at) */
    char tech_name[48];
    int pe_line, tech_line; /* where pe.family / tech were given (diags) */
    int energy_gate;        /* pe.energy: 0 model (default), 1 gate-level */
    int energy_line;        /* where pe.energy was given (diags)          */
    /* the array */
    int rows, cols, cores;
    double clock_hz;
    mp_dataflow dataflow;  /* the fixed dataflow (auto: the first tried) */
    int dataflow_auto;     /* 0: fixed; else a bitmask (1 << mp_dataflow)
                              searched per layer: `auto` = the dataflows
                              the RTL generator implements (MP_RTL_DATAFLOW),
                              `auto-all` = os, ws, is (model only)       */
    int load_cycles;       /* WS/IS: cycles to load one fold's stationary
                              operand; 0 = rows (one array row per cycle,
                              SCALE-Sim's convention)                    */
    int fold_overlap;      /* 1: consecutive folds pipelined (fill/drain
                              paid once per GEMM); 0: each fold fills and
                              drains (SCALE-Sim's convention)           */
    /* memories */
    mp_buffer wbuf, abuf, obuf;
    double sram_leakage_w; /* all buffers; 0 when no source gives it    */
    double sram_area_mm2;  /* all buffers; 0 when no source gives it    */
    int weights_on_chip;   /* every weight resident in the weight buffer:
                              no DRAM weight traffic; the capacity check
                              holds the weights against that buffer      */
    mp_dram dram;
    /* data layout in DRAM */
    int scale_bits;        /* per-group weight scale                    */
    int zero_bits;         /* per-group zero point (0: use weight bits) */
    int out_bits;          /* GEMM outputs written back                 */
    int acc_bits;          /* partial sums kept in the output buffer    */
    /* vector unit (softmax, norms, activations) */
    double vector_ops_per_cycle;
    double vector_pj_op;
    /* controller (docs/model.md, "Control overheads"); all 0 = none */
    double ctrl_issue_cycles;    /* cycles the array waits per instruction
                                    issued (not hidden behind compute)  */
    double ctrl_insts_per_chunk; /* instructions per transfer chunk of a
                                    GEMM (its loads plus the compute)   */
    double ctrl_sync_cycles;     /* cycles per trace op: synchronising
                                    the cores and switching layers      */
    /* SCALE-Sim comparison mode: PE pipeline depth taken as 0 */
    int scalesim;
    int scalesim_calc_bw; /* InterfaceBandwidth CALC: no stalls        */

    /* attention array (docs/model.md, "Attention array"): a second array
     * of its own PE family running the activation x activation GEMMs
     * (GEMM_ACT) in place of the array; it shares the clock, tech,
     * buffers, DRAM, vector unit and controller.  attn_rows 0: none. */
    char attn_pe_name[32];
    mp_pe_params attn_pe_params;
    mp_pe_params attn_pe_written; /* as pe_written, attention array */
    int attn_pe_line;
    int attn_rows, attn_cols, attn_cores;

    /* filled by mp_arch_bind() */
    const mp_pe_ops *pe;
    mp_tech tech;
    int tech_loaded;
    mp_pe_timing timing;   /* at the default precision                  */
    mp_pe_cost cost;       /* at the default precision                  */
    mp_gate_energy gate_energy[MP_ACT_COUNT]; /* per activation format,
                              with energy_gate (sim/energy_cal.h)       */
    double static_w;       /* device static power: the tech table's
                              "static_w" constant if it has one (FPGA)  */
    double buffer_w;       /* FPGA: clocked power of the on-chip buffers:
                              one enabled UltraRAM block per bank (each
                              bank a cascade, Xilinx UG440) x the tech's
                              uram_uw_per_mhz x clock; 0 on ASIC, whose
                              buffers cost per bit                      */
    const mp_pe_ops *attn_pe;  /* the attention array's, NULL if none    */
    mp_pe_cost attn_cost;      /* its PE at its default precision        */
    double idle_leak_w;        /* PE leakage of the other array of the
                                  chip (the attention array's, or in the
                                  attention view the array's): it leaks
                                  through every op                       */
} mp_arch;

/* Defaults every parser starts from (documented in docs/model.md). */
void mp_arch_defaults(mp_arch *a);

/* Parse an architecture YAML file / text.  Does not bind. */
int mp_arch_load(const char *path, mp_arch *a, mp_diag *d);
int mp_arch_load_string(const char *text, const char *name, mp_arch *a,
                        mp_diag *d);

/* Parse an already loaded architecture document (a sweep sets fields of
 * it point by point: sim/sweep/ydoc_override.h).  Does not bind. */
struct mp_yaml;
int mp_arch_read(struct mp_yaml *y, mp_arch *a, mp_diag *d);

/* Range checks shared by every reader: rows/cols/cores > 0, clock > 0,
 * bandwidth > 0, efficiency in (0,1], buffer sizes > 0 ... */
int mp_arch_validate(const mp_arch *a, mp_diag *d);

/* Look up the PE family, load the tech table, check the default precision,
 * fill timing and cost.  mp_arch_free() releases the tech table. */
int mp_arch_bind(mp_arch *a, mp_diag *d);
void mp_arch_free(mp_arch *a);

/* "--arch" argument: a preset name, a .yaml file or a SCALE-Sim .cfg.
 * Parsed, validated and bound.  `field` names the option in diags. */
int mp_arch_open(const char *spec, const char *field, mp_arch *a, mp_diag *d);

/* Built-in preset names (sorted), from <data root>/sim/arch/NAME.yaml.
 * Returns the count (at most cap) or -1. */
int mp_arch_presets(char names[][64], int cap);

/* The arch as its attention array sees it: pe, params, rows, cols,
 * cores and cost of the attention array, no attention array of its own,
 * model energies (pe.energy gate-level is the array family's), the
 * array's PE leakage as idle_leak_w.  `a` must be bound with one; the
 * view shares a's tech table and is never freed. */
void mp_arch_attention_view(const mp_arch *a, mp_arch *view);

/* The PE params the arch runs at weights w and activations act.  Its
 * own precision: its params as bound.  Another precision: the params as
 * the file wrote them (pe_written) with the new formats, so that check()
 * fills the family defaults of that precision (accumulator, table format,
 * tile...) while a field the file set survives (docs/model.md, "Another
 * precision").  The simulator (per op) and mp_cosim_gen_cfg (--act,
 * --weight, --wbits) both use it.  `out` is unchecked. */
void mp_arch_pe_at(const mp_arch *a, mp_wfmt w, mp_act_fmt act,
                   mp_pe_params *out);

/* The weight format the PE runs for weights w: w, unless the family's
 * datapath is fixed at the arch's width (pe.h widens_weights) and w is
 * narrower; ternary codes widen to signed integers. */
mp_wfmt mp_arch_datapath_wfmt(const mp_arch *a, mp_wfmt w);

/* The arch as its file would be with weights w and activations act
 * written in pe: (gemm --wbits/--weights/--act): params from
 * mp_arch_pe_at at the datapath's weights, rebound (timing, cost,
 * leakage, area at that precision).  -1 with d (mp_arch_refuse, opname)
 * when the family refuses them; `a` is then unchanged. */
int mp_arch_set_precision(mp_arch *a, mp_wfmt w, mp_act_fmt act,
                          const char *opname, mp_diag *d);

/* The one message for a precision the PE family refuses (check()'s
 * reason in why), as field opname of the arch's file. */
int mp_arch_refuse(const mp_arch *a, mp_wfmt w, mp_act_fmt act,
                   const char *opname, const mp_diag *why, mp_diag *d);

/* UltraRAM blocks (4096 x 72 bits, Xilinx UG573 URAM288) the three
 * buffers take on an FPGA, at least one per bank. */
double mp_arch_fpga_buffer_blocks(const mp_arch *a);

/* Peak MACs per cycle of the whole machine at its default precision. */
double mp_arch_peak_macs_per_cycle(const mp_arch *a);

#endif
