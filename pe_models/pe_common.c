/* pe_common.c - what the PE families share; see pe_common.h. */
#include "pe_models/pe_common.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- weight codes ----------------------------------------------------- */

int mp_pe_code(const mp_gemm_in *in, int k, int n)
{
    return mp_wcode_value(in->wfmt, in->wq[(size_t)k * in->n + n]);
}

int mp_pe_code_bits(mp_wfmt w)
{
    return w.kind == MP_W_TERNARY ? 2 : w.bits;
}

int mp_pe_bricks(int bits)
{
    int need = (bits + 1) / 2, bricks = 1;
    while (bricks < need)
        bricks *= 2;
    return bricks;
}

int mp_pe_msb_negative(mp_wfmt w)
{
    return w.kind != MP_W_UNSIGNED;
}

int mp_pe_code_bit(mp_wfmt w, int code, int b)
{
    unsigned pattern = (unsigned)code & ((1u << mp_pe_code_bits(w)) - 1u);
    return (int)(pattern >> b & 1u);
}

int mp_pe_ceil_log2(int64_t v)
{
    int b = 0;
    while (b < 62 && ((int64_t)1 << b) < v)
        b++;
    return b;
}

/* ---- group view ------------------------------------------------------- */

void mp_pe_ctx_init(mp_pe_ctx *c, const mp_gemm_in *in, const mp_arith *ar)
{
    memset(c, 0, sizeof *c);
    c->in = in;
    c->ar = ar;
    /* The golden's rule: integer output has no rounding anywhere. */
    c->exact = mp_gemm_int_output(in) || ar->group_acc == MP_ACC_INT ||
               ar->group_acc == MP_ACC_FIXED;
    c->frac_bits = c->exact && ar->group_acc == MP_ACC_FIXED ? ar->frac_bits
                                                             : 0;
    c->group_fmt = mp_acc_float_fmt(ar->group_acc);
    c->out_fmt = mp_acc_float_fmt(ar->out_acc);
    c->groups = in->k / in->group_size;
}

void mp_pe_act_sum(const mp_pe_ctx *c, int m, int g, mp_pe_greg *s)
{
    const mp_gemm_in *in = c->in;
    const double *x = in->x + (size_t)m * in->k;
    memset(s, 0, sizeof *s);
    for (int k = g * in->group_size; k < (g + 1) * in->group_size; k++) {
        if (!c->exact)
            s->rounded = mp_round_sum(c->group_fmt, s->rounded, x[k]);
        else if (c->frac_bits)
            s->exact += mp_to_grid(x[k], c->frac_bits);
        else
            s->exact += (int64_t)x[k];
    }
}

/* The dequant unit for one group: r = P - z'*S, then one scale multiply
 * rounded into the output format (or the exact r for integer output). */
static double dequant_group(const mp_pe_ctx *c, const mp_pe_group_model *mdl,
                            const mp_pe_greg *p, const mp_pe_greg *s, int g,
                            int n, int64_t *int_out)
{
    const mp_gemm_in *in = c->in;
    size_t at = (size_t)g * in->n + n;
    int64_t zero = in->zeros ? in->zeros[at] : 0;
    if (mdl->zero_mul)
        zero = mdl->zero_mul * (zero + mdl->zero_off) + mdl->zero_add;
    double scale = in->scales ? ldexp((double)in->scales[at],
                                      -mdl->scale_shift)
                              : 1.0;
    if (c->exact) {
        int64_t r = p->exact - zero * s->exact;
        if (int_out) {
            *int_out = r / ((int64_t)1 << c->frac_bits);
            return 0.0;
        }
        return mp_round_scaled(c->out_fmt, scale, r, c->frac_bits);
    }
    double r = p->rounded;
    if (zero != 0)
        r = mp_round_sum(c->group_fmt, r, -((double)zero * s->rounded));
    return mp_round_to(c->out_fmt, scale * r);
}

static void run_column(const mp_pe_ctx *c, const mp_pe_group_model *mdl,
                       const mp_pe_greg *sums, int m, int n, double *y)
{
    const mp_gemm_in *in = c->in;
    double acc = 0.0;
    int64_t total = 0;
    for (int g = 0; g < c->groups; g++) {
        mp_pe_greg p;
        int64_t exact = 0;
        memset(&p, 0, sizeof p);
        mdl->group(mdl->state, c, m, n, g, &p);
        double dq = dequant_group(c, mdl, &p, &sums[g], g, n,
                                  in->scales ? NULL : &exact);
        if (in->scales)
            acc = mp_round_sum(c->out_fmt, acc, dq);
        else
            total += exact / ((int64_t)1 << mdl->scale_shift);
    }
    if (!in->scales) {
        *y = (double)total;
        return;
    }
    if (in->act_scale)
        acc = mp_round_to(c->out_fmt, acc * (double)in->act_scale[m]);
    *y = acc;
}

int mp_pe_run_groups(const mp_pe_ctx *c, const mp_pe_group_model *mdl,
                     double *y, mp_diag *d)
{
    const mp_gemm_in *in = c->in;
    mp_pe_greg *sums = calloc((size_t)c->groups, sizeof *sums);
    if (!sums)
        return mp_fail(d, "<memory>", 0, "gemm", "out of memory");
    for (int m = 0; m < in->m; m++) {
        for (int g = 0; g < c->groups; g++)
            mp_pe_act_sum(c, m, g, &sums[g]);
        if (mdl->row && mdl->row(mdl->state, c, m, d)) {
            free(sums);
            return -1;
        }
        for (int n = 0; n < in->n; n++)
            run_column(c, mdl, sums, m, n, &y[(size_t)m * in->n + n]);
    }
    free(sums);
    return 0;
}

int mp_pe_compute(const mp_pe_ops *ops, const mp_pe_params *p,
                  const mp_gemm_in *in, mp_pe_group_model *model, double *y,
                  mp_diag *d)
{
    mp_pe_params local = *p;
    if (ops->check(&local, d))
        return -1;
    mp_arith ar;
    mp_pe_arith_for(ops, &local, in, &ar);
    if (mp_pe_check_input(&local, in, &ar, d))
        return -1;
    mp_pe_ctx c;
    mp_pe_ctx_init(&c, in, &ar);
    c.params = &local;
    return mp_pe_run_groups(&c, model, y, d);
}

void mp_pe_fp_fields(mp_act_fmt fmt, double x, int *neg, int64_t *sig,
                     int *exp2)
{
    const mp_float_layout *l = mp_float_layout_of(fmt);
    uint32_t bits = mp_fp_encode(fmt, x, MP_OVF_IEEE);
    int total = 1 + l->exp_bits + l->man_bits;
    uint32_t man = bits & ((1u << l->man_bits) - 1u);
    uint32_t field = bits >> l->man_bits & ((1u << l->exp_bits) - 1u);
    *neg = (int)(bits >> (total - 1) & 1u);
    if (field == 0) { /* subnormal (or zero): no hidden bit */
        *sig = man;
        *exp2 = 1 - l->bias - l->man_bits;
    } else {
        *sig = (int64_t)(man | 1u << l->man_bits);
        *exp2 = (int)field - l->bias - l->man_bits;
    }
}

int64_t mp_pe_align(int64_t v, int shift)
{
    if (shift >= 0)
        return v * ((int64_t)1 << shift);
    if (shift < -63)
        return 0; /* |v| < 2^63 <= half an ulp of the grid */
    int neg = v < 0;
    uint64_t mag = neg ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    int s = -shift;
    uint64_t q = mag >> s, rem = mag & ((1ull << s) - 1), half = 1ull << (s - 1);
    if (rem > half || (rem == half && (q & 1)))
        q++;
    return neg ? -(int64_t)q : (int64_t)q;
}

int mp_pe_check_input(const mp_pe_params *p, const mp_gemm_in *in,
                      const mp_arith *ar, mp_diag *d)
{
    static const char *const file = "<gemm input>";
    char want[16], got[16];
    if (in->act != p->act)
        return mp_fail(d, file, 0, "act",
                       "PE built for %s activations, GEMM has %s",
                       mp_act_name(p->act), mp_act_name(in->act));
    if (in->wfmt.kind != p->wfmt.kind || in->wfmt.bits != p->wfmt.bits)
        return mp_fail(d, file, 0, "wbits",
                       "PE built for %s weights, GEMM has %s",
                       mp_wfmt_name(p->wfmt, want, sizeof want),
                       mp_wfmt_name(in->wfmt, got, sizeof got));
    int group = p->group_size > 0 ? p->group_size : in->k;
    if (in->group_size != group)
        return mp_fail(d, file, 0, "group_size",
                       "PE built for groups of %d, GEMM has %d", group,
                       in->group_size);
    if (in->zeros && !p->has_zeros)
        return mp_fail(d, file, 0, "zeros",
                       "GEMM has zero points, PE built symmetric "
                       "(has_zeros = 0)");
    return mp_gemm_check(in, ar, file, d);
}

void mp_pe_arith_for(const mp_pe_ops *ops, const mp_pe_params *p,
                     const mp_gemm_in *in, mp_arith *ar)
{
    mp_pe_params local = *p;
    if (local.group_size <= 0)
        local.group_size = in->k;
    ops->arith(&local, ar);
    if (mp_gemm_int_output(in))
        ar->out_acc = MP_ACC_INT;
}

/* ---- check() helpers -------------------------------------------------- */

int mp_pe_check_act(const char *family, mp_act_fmt act,
                    const mp_act_fmt *allowed, mp_diag *d)
{
    char list[128] = "";
    for (int i = 0; allowed[i] != MP_ACT_COUNT; i++) {
        if (allowed[i] == act)
            return 0;
        size_t len = strlen(list);
        snprintf(list + len, sizeof list - len, "%s%s", i ? ", " : "",
                 mp_act_name(allowed[i]));
    }
    const char *name = (int)act >= 0 && act < MP_ACT_COUNT ? mp_act_name(act)
                                                           : "unknown";
    return mp_fail(d, MP_CMDLINE, 0, "act",
                   "%s does not support %s activations (supported: %s)",
                   family, name, list);
}

int mp_pe_check_wfmt(const char *family, mp_wfmt w, int min_bits,
                     int max_signed, int max_unsigned, int ternary_ok,
                     mp_diag *d)
{
    char name[16], supported[96];
    if (mp_wfmt_check(w, MP_CMDLINE, "wbits", d))
        return -1;
    int ok;
    if (w.kind == MP_W_FP16)
        ok = 0; /* a family that takes FP16 weights checks them itself */
    else if (w.kind == MP_W_TERNARY)
        ok = ternary_ok;
    else if (w.kind == MP_W_SIGNED)
        ok = w.bits >= min_bits && w.bits <= max_signed;
    else
        ok = w.bits >= min_bits && w.bits <= max_unsigned;
    if (ok)
        return 0;
    int n = snprintf(supported, sizeof supported, "int%d..int%d", min_bits,
                     max_signed);
    if (max_unsigned >= min_bits)
        n += snprintf(supported + n, sizeof supported - (size_t)n,
                      ", uint%d..uint%d", min_bits, max_unsigned);
    if (ternary_ok)
        snprintf(supported + n, sizeof supported - (size_t)n, ", ternary");
    return mp_fail(d, MP_CMDLINE, 0, "wbits",
                   "%s does not support %s weights (supported: %s)", family,
                   mp_wfmt_name(w, name, sizeof name), supported);
}

int mp_pe_check_common(const char *family, const mp_pe_params *p,
                       int sparse_ok, mp_diag *d)
{
    if (p->group_size < 0)
        return mp_fail(d, MP_CMDLINE, 0, "group_size",
                       "must be > 0 (or 0 for per-channel), got %d",
                       p->group_size);
    if (!(p->clock_hz >= 0) || p->clock_hz > 10e9)
        return mp_fail(d, MP_CMDLINE, 0, "clock_hz",
                       "must be in (0, 10 GHz], got %g", p->clock_hz);
    if (p->tile_m < 0 || p->tile_n < 0 || p->tile_k < 0 ||
        p->tile_m > 4096 || p->tile_n > 4096 || p->tile_k > 4096)
        return mp_fail(d, MP_CMDLINE, 0, "tile",
                       "tile dimensions must be in 1..4096, got %dx%dx%d",
                       p->tile_m, p->tile_n, p->tile_k);
    if (p->edge_units < 0 || p->edge_units > 1 << 20)
        return mp_fail(d, MP_CMDLINE, 0, "edge_units",
                       "must be >= 0 (0: one per array column), got %d",
                       p->edge_units);
    if (p->dequant_stages < 0 || p->dequant_stages > MP_DEQUANT_STAGES_MAX)
        return mp_fail(d, MP_CMDLINE, 0, "dequant_stages",
                       "must be in 1..%d (0: default 1), got %d",
                       MP_DEQUANT_STAGES_MAX, p->dequant_stages);
    if (p->fma_stages < 0 || p->fma_stages > MP_FMA_STAGES_MAX)
        return mp_fail(d, MP_CMDLINE, 0, "fma_stages",
                       "must be in 1..%d (0: default 1), got %d",
                       MP_FMA_STAGES_MAX, p->fma_stages);
    if (p->scale_stages < 0 || p->scale_stages > MP_SCALE_STAGES_MAX)
        return mp_fail(d, MP_CMDLINE, 0, "scale_stages",
                       "must be in 1..%d (0: default 1), got %d",
                       MP_SCALE_STAGES_MAX, p->scale_stages);
    if (p->int_output != 0 && p->int_output != 1)
        return mp_fail(d, MP_CMDLINE, 0, "int_output",
                       "must be 0 or 1, got %d", p->int_output);
    if ((p->sparse_n || p->sparse_m) && !sparse_ok)
        return mp_fail(d, MP_CMDLINE, 0, "sparsity",
                       "%s has no N:M sparsity support (only dsp-chain)",
                       family);
    return 0;
}

int mp_pe_check_unused(const char *family, const mp_pe_params *p,
                       const char *const *unused, mp_diag *d)
{
    for (int i = 0; unused[i]; i++) {
        const char *f = unused[i];
        int set = (!strcmp(f, "tile") && (p->tile_m || p->tile_n || p->tile_k)) ||
                  (!strcmp(f, "table_fmt") && p->table_fmt != MP_ACT_INT8) ||
                  (!strcmp(f, "table_fused") && p->table_fused) ||
                  (!strcmp(f, "chain_len") && p->chain_len) ||
                  (!strcmp(f, "pack_products") && p->pack_products) ||
                  (!strcmp(f, "acc") && p->acc != MP_ACC_INT) ||
                  (!strcmp(f, "dequant_stages") && p->dequant_stages) ||
                  (!strcmp(f, "fma_stages") && p->fma_stages);
        if (set)
            return mp_fail(d, MP_CMDLINE, 0, f,
                           "%s has no '%s' knob (leave it at its default)",
                           family, f);
    }
    return 0;
}

int mp_pe_group_acc_bits(const mp_pe_params *p, const mp_arith *ar)
{
    /* A one-group GEMM with the format extremes decides the width; the
     * golden bounds by formats, not data, so no arrays are read. */
    static const mp_wcode code = 0;
    static const int32_t zero = 0;
    static const float scale = 1.0f;
    static const double x = 0.0;
    if (p->group_size <= 0) /* per-channel, K unknown: a 32-bit register */
        return ar->group_acc == MP_ACC_INT ? 32 : 64;
    mp_gemm_in in = {
        .m = 1, .n = 1, .k = p->group_size,
        .act = p->act, .x = &x, .wfmt = p->wfmt, .wq = &code,
        .group_size = p->group_size,
        .scales = &scale, .zeros = p->has_zeros ? &zero : NULL,
    };
    return mp_gemm_acc_bits_needed(&in, ar);
}

static int exact_frac_bits(mp_act_fmt act)
{
    /* Smallest subnormal of the format: every value is on this grid. */
    const mp_float_layout *l = mp_float_layout_of(act);
    if (!l)
        return 0;
    int frac = (l->bias - 1) + l->man_bits;
    return frac > 62 ? 62 : frac; /* BF16/FP32: no exact grid fits */
}

void mp_pe_arith_group_exact(const mp_pe_params *p, mp_arith *ar)
{
    memset(ar, 0, sizeof *ar);
    ar->dequant = MP_DEQ_PER_GROUP;
    ar->order = MP_ORDER_K_ASCENDING;
    ar->out_acc = MP_ACC_FP32;
    ar->weight_fmt = MP_ACT_FP16;
    ar->table_fmt = MP_ACT_INT16;
    ar->fused = 1;
    if (mp_act_is_float(p->act)) {
        ar->group_acc = MP_ACC_FIXED;
        ar->frac_bits = exact_frac_bits(p->act);
    } else {
        ar->group_acc = MP_ACC_INT;
    }
    ar->acc_bits = 64;
    int need = mp_pe_group_acc_bits(p, ar);
    ar->acc_bits = need < 2 ? 2 : need > 64 ? 64 : need;
}

double mp_pe_group_len(const mp_pe_params *p, const mp_gemm_shape *s)
{
    return p->group_size > 0 ? (double)p->group_size : (double)s->k;
}

/* ---- cost composition ------------------------------------------------- */

/* The optional narrow-operand FP16 adders, in mp_prims order. */
static const struct {
    mp_act_fmt fmt;
    const char *name;
} narrow_add[3] = {{MP_ACT_BF16, "fp16_add_bf16_um2"},
                   {MP_ACT_FP8_E4M3, "fp16_add_fp8e4m3_um2"},
                   {MP_ACT_FP8_E5M2, "fp16_add_fp8e5m2_um2"}};

/* The fabric rules of an FPGA table (xcup.yaml, each with its source). */
static int fpga_rules_load(const mp_tech *t, mp_fpga_rules *r, mp_diag *d)
{
    struct {
        const char *name;
        double *out;
    } want[] = {
        {"clb_lut_mux_ways", &r->lut_mux_ways},
        {"clb_wide_mux_ways", &r->clb_mux_ways},
        {"clb_lut6_2_bits", &r->dual_bits_per_lut},
        {"carry8_bits_per_lut", &r->adder_bits_per_lut},
        {"dsp48e2_a_bits", &r->dsp_a_bits},
        {"dsp48e2_b_bits", &r->dsp_b_bits},
        {"dsp48e2_alu_bits", &r->dsp_acc_bits},
        {"yosys_dsp_min_product_bits", &r->dsp_min_product_bits},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (mp_tech_get(t, want[i].name, want[i].out, d))
            return -1;
    return 0;
}

int mp_prims_load(const mp_tech *t, mp_prims *pr, mp_diag *d)
{
    memset(pr, 0, sizeof *pr);
    if (t->is_fpga) {
        pr->fpga = 1;
        return mp_fpga_prims_load(t, &pr->power, d) ||
                       fpga_rules_load(t, &pr->rules, d)
                   ? -1
                   : 0;
    }
    struct {
        const char *name;
        double *out;
    } want[] = {
        {"int_add8_pj", &pr->add8_pj},       {"int_add32_pj", &pr->add32_pj},
        {"int_mult8_pj", &pr->mult8_pj},     {"int_add8_um2", &pr->add8_um2},
        {"int_mult8_um2", &pr->mult8_um2},   {"fp16_add_pj", &pr->fp16_add_pj},
        {"fp32_add_pj", &pr->fp32_add_pj},   {"fp16_mult_pj", &pr->fp16_mult_pj},
        {"fp32_mult_pj", &pr->fp32_mult_pj}, {"fp16_add_um2", &pr->fp16_add_um2},
        {"fp32_add_um2", &pr->fp32_add_um2},
        {"fp16_mult_um2", &pr->fp16_mult_um2},
        {"fp32_mult_um2", &pr->fp32_mult_um2},
        {"reg_pj_per_bit", &pr->reg_pj_bit},
        {"reg_um2_per_bit", &pr->reg_um2_bit},
        {"mux2_pj_per_bit", &pr->mux2_pj_bit},
        {"mux2_um2_per_bit", &pr->mux2_um2_bit},
        {"and2_pj_per_bit", &pr->and2_pj_bit},
        {"and2_um2_per_bit", &pr->and2_um2_bit},
        {"leakage_uw_per_um2", &pr->leak_uw_um2},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (mp_tech_get(t, want[i].name, want[i].out, d))
            return -1;
    for (int i = 0; i < 3; i++) {
        const mp_tech_const *c = mp_tech_find(t, narrow_add[i].name);
        pr->fp16_add_narrow_um2[i] = c ? c->value : 0.0;
    }
    return 0;
}

/* ---- FPGA pricing of the parts (docs/model.md section 5) -------------
 * Each part maps to fabric by one rule of the table's mp_fpga_rules; no
 * logic is merged across parts (an AND that feeds an adder keeps its own
 * LUT), and every part is priced alone: the count is an estimate of what
 * a mapper that packs each part apart would use. */
static void fpga_add(mp_parts *c, const mp_prims *pr, double count,
                     double lut, double ff, double dsp)
{
    c->lut += count * lut;
    c->ff += count * ff;
    c->dsp += count * dsp;
    c->pj += count * mp_fpga_pj_cycle(&pr->power, dsp, lut, ff, 0, 0);
}

/* LUT6s per bit of a ways:1 mux: 2:1 muxes pair up in a LUT6_2 (five
 * shared inputs), a LUT6 is a 4:1 mux, LUTs + F7/F8/F9 muxes make up to
 * 32:1 in one CLB (UG574); wider muxes are trees of those. */
static double fpga_mux_luts(const mp_fpga_rules *r, double ways)
{
    if (ways <= 1)
        return 0;
    if (ways <= 2)
        return 1.0 / r->dual_bits_per_lut;
    if (ways <= r->clb_mux_ways)
        return ceil(ways / r->lut_mux_ways);
    double first = ceil(ways / r->clb_mux_ways);
    return first * (r->clb_mux_ways / r->lut_mux_ways) +
           fpga_mux_luts(r, first);
}

/* Does an abits x bbits product go to DSP48E2s?  Yosys synth_xilinx
 * (map_dsp: DSP_A/B_MINWIDTH 2, DSP_Y_MINWIDTH 9) leaves narrower ones in
 * LUTs; wider operands than 27 x 18 take a grid of slices. */
static double fpga_mult_dsps(const mp_fpga_rules *r, int abits, int bbits)
{
    int wide = abits > bbits ? abits : bbits;
    int narrow = abits > bbits ? bbits : abits;
    if (narrow < 2 || abits + bbits < r->dsp_min_product_bits)
        return 0;
    return ceil(wide / r->dsp_a_bits) * ceil(narrow / r->dsp_b_bits);
}

/* IEEE-style layout of a float unit of `bits` (8: E4M3, 16: FP16, else
 * FP32): the widths the FPGA float units are composed of. */
static void fp_layout(int bits, int *exp_bits, int *man_bits)
{
    const mp_float_layout *l = mp_float_layout_of(
        bits <= 8 ? MP_ACT_FP8_E4M3 : bits <= 16 ? MP_ACT_FP16 : MP_ACT_FP32);
    *exp_bits = l->exp_bits;
    *man_bits = l->man_bits;
}

/* Adders: energy linear in width through Horowitz's 8b and 32b points
 * (below 8 bits, proportional to width); area linear in width from the 8b adder (ripple-carry-like,
 * an mpsim assumption stated in docs/model.md (section 9)). */
void mp_parts_adder(mp_parts *c, const mp_prims *pr, double count, int bits)
{
    if (pr->fpga) { /* CARRY8: one LUT per bit (UG574) */
        fpga_add(c, pr, count, bits / pr->rules.adder_bits_per_lut, 0, 0);
        return;
    }
    double pj = bits >= 8 ? pr->add8_pj + (pr->add32_pj - pr->add8_pj) *
                                              (bits - 8) / 24.0
                          : pr->add8_pj * bits / 8.0; /* narrow: per bit */
    c->pj += count * pj;
    c->um2 += count * pr->add8_um2 * bits / 8.0;
}

/* Array multipliers grow with the product of the operand widths (8x8 ->
 * 32x32 predicts 3.2 pJ against Horowitz's 3.1). */
void mp_parts_mult(mp_parts *c, const mp_prims *pr, double count, int abits,
                   int bbits)
{
    if (pr->fpga) {
        double dsps = fpga_mult_dsps(&pr->rules, abits, bbits);
        /* in LUTs: one carry-chain row per bit of b, abits wide */
        fpga_add(c, pr, count,
                 dsps > 0 ? 0 : (double)abits * bbits /
                                    pr->rules.adder_bits_per_lut,
                 0, dsps);
        return;
    }
    double cells = (double)abits * bbits / 64.0;
    c->pj += count * pr->mult8_pj * cells;
    c->um2 += count * pr->mult8_um2 * cells;
}

void mp_parts_reg(mp_parts *c, const mp_prims *pr, double count, int bits)
{
    if (pr->fpga) { /* one CLB flip-flop per bit */
        fpga_add(c, pr, count, 0, bits, 0);
        return;
    }
    c->pj += count * bits * pr->reg_pj_bit;
    c->um2 += count * bits * pr->reg_um2_bit;
}

void mp_parts_mux(mp_parts *c, const mp_prims *pr, double count, int ways,
                  int bits)
{
    if (pr->fpga) {
        fpga_add(c, pr, count, bits * fpga_mux_luts(&pr->rules, ways), 0, 0);
        return;
    }
    double cells = (double)(ways - 1) * bits; /* a tree of 2:1 muxes */
    c->pj += count * cells * pr->mux2_pj_bit;
    c->um2 += count * cells * pr->mux2_um2_bit;
}

void mp_parts_and(mp_parts *c, const mp_prims *pr, double count, int bits)
{
    if (pr->fpga) { /* 2-input gates pair up in a LUT6_2 */
        fpga_add(c, pr, count, bits / pr->rules.dual_bits_per_lut, 0, 0);
        return;
    }
    c->pj += count * bits * pr->and2_pj_bit;
    c->um2 += count * bits * pr->and2_um2_bit;
}

void mp_parts_shifter(mp_parts *c, const mp_prims *pr, double count,
                      int bits, int max_shift)
{
    int stages = mp_pe_ceil_log2(max_shift + 1);
    if (pr->fpga) { /* a LUT6 (4:1 mux) does two stages */
        mp_parts_mux(c, pr, count * (stages / 2), 4, bits);
        mp_parts_mux(c, pr, count * (stages % 2), 2, bits);
        return;
    }
    mp_parts_mux(c, pr, count * stages, 2, bits);
}

/* Float units: Horowitz's 16b and 32b points, linear in width between and
 * below them (an FP8 adder ~ extrapolated; mpsim assumption). */
static double fp_interp(double at16, double at32, int bits)
{
    double v = at16 + (at32 - at16) * (bits - 16) / 16.0;
    return v > 0.25 * at16 ? v : 0.25 * at16;
}

/* FPGA float adder from integer parts: exponent difference, operand
 * swap, alignment shift (with guard, round, sticky), significand add,
 * leading-zero count (one LUT per bit), normalization shift, rounding
 * increment, exponent adjust. */
static void fpga_fp_add(mp_parts *c, const mp_prims *pr, double count,
                        int bits)
{
    int e, m;
    fp_layout(bits, &e, &m);
    int wide = m + 4; /* hidden bit, guard, round, sticky */
    mp_parts_adder(c, pr, count, e + 1);
    mp_parts_mux(c, pr, count * 2, 2, e + m + 1);
    mp_parts_shifter(c, pr, count, wide, wide - 1);
    mp_parts_adder(c, pr, count, wide);
    fpga_add(c, pr, count, wide, 0, 0);
    mp_parts_shifter(c, pr, count, wide, wide - 1);
    mp_parts_adder(c, pr, count, m + 1);
    mp_parts_adder(c, pr, count, e);
}

/* FPGA float multiplier: significand product (a DSP48E2 for FP16: 11 x 11),
 * exponent add, one-bit normalization, rounding, exponent adjust. */
static void fpga_fp_mult(mp_parts *c, const mp_prims *pr, double count,
                         int bits)
{
    int e, m;
    fp_layout(bits, &e, &m);
    mp_parts_mult(c, pr, count, m + 1, m + 1);
    mp_parts_adder(c, pr, count, e + 1);
    mp_parts_mux(c, pr, count, 2, m + 1);
    mp_parts_adder(c, pr, count, m + 1);
    mp_parts_adder(c, pr, count, e);
}

void mp_parts_fp_add(mp_parts *c, const mp_prims *pr, double count, int bits)
{
    if (pr->fpga) {
        fpga_fp_add(c, pr, count, bits);
        return;
    }
    c->pj += count * fp_interp(pr->fp16_add_pj, pr->fp32_add_pj, bits);
    c->um2 += count * fp_interp(pr->fp16_add_um2, pr->fp32_add_um2, bits);
}

void mp_parts_fp_acc_add(mp_parts *c, const mp_prims *pr, double count,
                         int acc_bits, mp_act_fmt operand)
{
    for (int i = 0; !pr->fpga && acc_bits == 16 && i < 3; i++)
        if (narrow_add[i].fmt == operand && pr->fp16_add_narrow_um2[i] > 0) {
            c->pj += count * pr->fp16_add_pj;
            c->um2 += count * pr->fp16_add_narrow_um2[i];
            return;
        }
    mp_parts_fp_add(c, pr, count, acc_bits);
}

void mp_parts_fp_mult(mp_parts *c, const mp_prims *pr, double count,
                      int bits)
{
    if (pr->fpga) {
        fpga_fp_mult(c, pr, count, bits);
        return;
    }
    c->pj += count * fp_interp(pr->fp16_mult_pj, pr->fp32_mult_pj, bits);
    c->um2 += count * fp_interp(pr->fp16_mult_um2, pr->fp32_mult_um2, bits);
}

void mp_parts_mac(mp_parts *c, const mp_prims *pr, double count, int abits,
                  int bbits, int acc_bits, int operand_bits)
{
    if (pr->fpga && acc_bits <= pr->rules.dsp_acc_bits &&
        fpga_mult_dsps(&pr->rules, abits, bbits) == 1) {
        fpga_add(c, pr, count, 0, operand_bits, 1); /* P = P + A*B */
        return;
    }
    mp_parts_mult(c, pr, count, abits, bbits);
    mp_parts_adder(c, pr, count, acc_bits);
    mp_parts_reg(c, pr, count, operand_bits + acc_bits);
}

void mp_parts_to_cost(const mp_parts *c, const mp_prims *pr,
                      int cycles_per_tile, double clock_hz, mp_pe_cost *out)
{
    memset(out, 0, sizeof *out);
    out->energy_pj_tile = c->pj;
    if (pr->fpga) {
        out->lut = c->lut;
        out->ff = c->ff;
        out->dsp = c->dsp;
        out->fpga_dynamic_w = c->pj / (cycles_per_tile > 0 ? cycles_per_tile
                                                           : 1) *
                              1e-12 * clock_hz;
        return;
    }
    out->area_um2 = c->um2;
    out->leakage_uw = c->um2 * pr->leak_uw_um2;
}

void mp_parts_to_edge(mp_edge_cost *e, const mp_parts *c, double units)
{
    e->energy_pj_op = c->pj;
    e->area_um2 = units * c->um2;
    e->lut = units * c->lut;
    e->ff = units * c->ff;
    e->dsp = units * c->dsp;
}

int mp_fpga_prims_load(const mp_tech *t, mp_fpga_prims *f, mp_diag *d)
{
    return mp_tech_get(t, "dsp_uw_per_mhz", &f->dsp, d) ||
                   mp_tech_get(t, "lut_uw_per_mhz", &f->lut, d) ||
                   mp_tech_get(t, "ff_uw_per_mhz", &f->ff, d) ||
                   mp_tech_get(t, "bram36_uw_per_mhz", &f->bram, d) ||
                   mp_tech_get(t, "uram_uw_per_mhz", &f->uram, d)
               ? -1
               : 0;
}

/* uW per MHz is pJ per cycle: 1e-6 W / 1e6 Hz = 1e-12 J. */
double mp_fpga_pj_cycle(const mp_fpga_prims *f, double dsp, double lut,
                        double ff, double bram, double uram)
{
    return dsp * f->dsp + lut * f->lut + ff * f->ff + bram * f->bram +
           uram * f->uram;
}

int mp_pe_want_tech(const char *family, const mp_tech *t, int fpga,
                    mp_diag *d)
{
    if (!t)
        return mp_fail(d, MP_CMDLINE, 0, "tech", "no technology table");
    if (!!t->is_fpga == !!fpga)
        return 0;
    return mp_fail(d, t->file[0] ? t->file : MP_CMDLINE, 0, "tech",
                   "%s needs %s technology table, '%s' is %s", family,
                   fpga ? "an FPGA" : "an ASIC", t->name,
                   t->is_fpga ? "an FPGA" : "an ASIC");
}

/* ---- edge units ------------------------------------------------------- */

void mp_edge_set(mp_edge_cost *e, const char *name, double ops,
                 double ops_per_cycle, double energy_pj_op, int overlaps)
{
    memset(e, 0, sizeof *e);
    snprintf(e->name, sizeof e->name, "%s", name);
    e->ops = ops;
    e->ops_per_cycle = ops_per_cycle;
    e->energy_pj_op = energy_pj_op;
    e->overlaps_compute = overlaps;
}

int mp_pe_check_shape(const mp_pe_params *p, const mp_gemm_shape *s,
                      int rows, int cols, mp_diag *d)
{
    const int64_t limit = (int64_t)1 << 40;
    if (s->m <= 0 || s->n <= 0 || s->k <= 0 || s->m > limit ||
        s->n > limit || s->k > limit)
        return mp_fail(d, MP_CMDLINE, 0, "shape",
                       "M, N, K must be in 1..2^40, got %lld x %lld x %lld",
                       (long long)s->m, (long long)s->n, (long long)s->k);
    if (rows <= 0 || cols <= 0 || rows > 1 << 16 || cols > 1 << 16)
        return mp_fail(d, MP_CMDLINE, 0, "array",
                       "rows and cols must be in 1..65536, got %d x %d", rows,
                       cols);
    if (p->group_size > 0 && s->k % p->group_size)
        return mp_fail(d, MP_CMDLINE, 0, "group_size",
                       "group size %d does not divide K = %lld",
                       p->group_size, (long long)s->k);
    return 0;
}

/* Bits of S[m][g]: activation width plus log2 of the group. */
static int act_sum_bits(const mp_pe_params *p, double group)
{
    return mp_act_bits(p->act) + mp_pe_ceil_log2((int64_t)group) + 1;
}

/* One dequant op: z*S (zero-point bits x S bits) and P - z*S when
 * asymmetric, int->FP32 (costed as an FP32 add: align + normalize), the
 * scale multiply and the FP32 cross-group add.  Pipelined (dequant_stages
 * S > 1, scaled) it also clocks the stage registers of rtl_gen/
 * dequant_unit.c: S >= 2 d (32 bits), S >= 3 the exact product before
 * rounding (24 + P bits of magnitude, 10 of exponent, 3 flags), S >= 4
 * the exact sum before rounding (28 bits, 10 of exponent, 3 flags), S >= 5
 * r and s (P + 1 and 32 bits), S = 6 the product normalized inside its
 * rounding (24 + P bits, 14 of exponent, 4 flags); the column's one-hot
 * token per stage is left out (a few bits). */
static void dequant_op_parts(const mp_pe_params *p, const mp_prims *pr,
                             double group, mp_parts *c)
{
    int sbits = act_sum_bits(p, group);
    int pbits = sbits + mp_pe_code_bits(p->wfmt);
    if (p->has_zeros) {
        mp_parts_mult(c, pr, 1, mp_pe_code_bits(p->wfmt) + 1, sbits);
        mp_parts_adder(c, pr, 1, pbits + 1);
    }
    mp_parts_fp_add(c, pr, 1, 32);  /* int -> fp32 conversion */
    mp_parts_fp_mult(c, pr, 1, 32); /* s * r                  */
    mp_parts_fp_add(c, pr, 1, 32);  /* y += ...               */
    mp_parts_reg(c, pr, 1, 32 + pbits);
    int st = p->int_output ? 1 : p->dequant_stages;
    if (st >= 2)
        mp_parts_reg(c, pr, 1, 32);
    if (st >= 3)
        mp_parts_reg(c, pr, 1, 24 + pbits + 10 + 3);
    if (st >= 4)
        mp_parts_reg(c, pr, 1, 28 + 10 + 3);
    if (st >= 5)
        mp_parts_reg(c, pr, 1, pbits + 1 + 32);
    if (st >= 6)
        mp_parts_reg(c, pr, 1, 24 + pbits + 14 + 4);
}

/* FPGA dequant unit resources (xcup.yaml: fpga_dequant_unit_*). */
static int fpga_unit(const mp_tech *t, const char *prefix, double *dsp,
                     double *lut, double *ff, mp_diag *d)
{
    char name[64];
    snprintf(name, sizeof name, "%s_dsp", prefix);
    if (mp_tech_get(t, name, dsp, d))
        return -1;
    snprintf(name, sizeof name, "%s_lut", prefix);
    if (mp_tech_get(t, name, lut, d))
        return -1;
    snprintf(name, sizeof name, "%s_ff", prefix);
    return mp_tech_get(t, name, ff, d);
}

int mp_pe_edge_dequantizes(const mp_pe_params *p)
{
    return !p->int_output || p->has_zeros || mp_act_is_float(p->act);
}

/* Steps (cycles) of one quantization group on PE groups of `span` rows:
 * ceil(ceil(G * density) / (tile_k * span)) x cycles_per_tile; 0 per
 * channel (the tile's K is one group). */
static int64_t group_steps(const mp_pe_params *p, const mp_pe_timing *tm,
                           int64_t span)
{
    if (p->group_size <= 0)
        return 0;
    int64_t per_step = (int64_t)tm->tile_k * span;
    int64_t k_eff = (int64_t)ceil((double)p->group_size * tm->density);
    return (k_eff + per_step - 1) / per_step *
           (tm->cycles_per_tile > 0 ? tm->cycles_per_tile : 1);
}

int mp_pe_check_dequant_stages(const mp_pe_params *p, const mp_pe_timing *tm,
                               mp_diag *d)
{
    if (p->dequant_stages < 4)
        return 0; /* the acc loop is one cycle */
    /* the widest cascade gives the fewest steps per group */
    int64_t steps = group_steps(p, tm, tm->k_span > 1 ? tm->k_span : 1);
    if (steps == 0 || steps >= 2)
        return 0;
    return mp_fail(d, MP_CMDLINE, 0, "dequant_stages",
                   "%d stages split the acc += d rounding over 2 cycles, "
                   "so a group must take >= 2 steps (group_size %d takes "
                   "%lld)", p->dequant_stages, p->group_size,
                   (long long)steps);
}

/* The generated tops' dequant tail (docs/rtl.md).  Systolic tops: the
 * unit folds a group into the output on the edge after the last PE's last
 * pair, 1 cycle.  Block-step tops: the group is handed to the units one
 * column per cycle, E = min(N_TILE, steps per group (per channel:
 * N_TILE), ceil(M_TILE*N_TILE / edge_units) when edge_units > 0).  A
 * scaled unit of dequant_stages S finishes its last column S - 1 cycles
 * later. */
int64_t mp_pe_edge_drain(const mp_pe_params *p, const mp_pe_timing *tm,
                         int rows, int cols)
{
    if (!mp_pe_edge_dequantizes(p))
        return 0;
    int64_t extra = !p->int_output && p->dequant_stages > 1
                        ? p->dequant_stages - 1
                        : 0;
    if (!tm->operand_broadcast)
        return 1 + extra;
    /* the engine's span: a cascade of at most the array's rows */
    int64_t span = tm->k_span <= 1 ? 1 : tm->k_span < rows ? tm->k_span
                                                            : rows;
    int64_t m_tile = rows / span * (int64_t)tm->tile_m;
    int64_t n_tile = (int64_t)cols * tm->tile_n;
    int64_t e = n_tile;
    int64_t steps = group_steps(p, tm, span);
    if (steps > 0 && steps < e)
        e = steps;
    if (p->edge_units > 0) {
        int64_t want = (m_tile * n_tile + p->edge_units - 1) / p->edge_units;
        if (want < e)
            e = want;
    }
    return (e > 0 ? e : 1) + extra;
}

int mp_pe_edge_group_dequant(const mp_pe_params *p, const mp_pe_timing *tm,
                             const mp_tech *t, const mp_gemm_shape *s,
                             int rows, int cols, mp_edge_cost *out,
                             mp_diag *d)
{
    if (mp_pe_check_shape(p, s, rows, cols, d))
        return -1;
    double group = mp_pe_group_len(p, s);
    double groups = (double)s->k / group;
    /* Default dequant units: enough to keep up with the array, which
     * finishes one group partial sum per G x density MACs it performs (N:M
     * sparsity skips the rest of the group's K, so sparse groups finish
     * faster, as the generated RTL's units per steps of a group do,
     * docs/rtl.md); activation sums: one adder lane per activation the
     * array reads per cycle. */
    double macs = (double)rows * cols * mp_pe_macs_per_cycle(tm);
    double units = p->edge_units > 0 ? p->edge_units
                                     : ceil(macs / (group * tm->density));
    double out_rows = (double)rows * tm->tile_m;
    double lanes = out_rows * tm->tile_k;
    mp_edge_set(&out[0], "dequant", (double)s->m * (double)s->n * groups,
                units, 0, 1);
    out[0].drain_cycles = mp_pe_edge_drain(p, tm, rows, cols);
    mp_edge_set(&out[1], "act_sum", (double)s->m * (double)s->k, lanes, 0,
                1);
    if (t->is_fpga) {
        mp_fpga_prims f;
        double dsp, lut, ff;
        if (mp_fpga_prims_load(t, &f, d) ||
            fpga_unit(t, "fpga_dequant_unit", &dsp, &lut, &ff, d))
            return -1;
        out[0].dsp = units * dsp;
        out[0].lut = units * lut;
        out[0].ff = units * ff;
        out[0].energy_pj_op = mp_fpga_pj_cycle(&f, dsp, lut, ff, 0, 0);
        int sbits = act_sum_bits(p, group);
        out[1].lut = lanes * sbits; /* one carry-chain LUT per bit */
        out[1].ff = lanes * sbits;
        out[1].energy_pj_op = mp_fpga_pj_cycle(&f, 0, sbits, sbits, 0, 0);
        return 2;
    }
    mp_prims pr;
    if (mp_prims_load(t, &pr, d))
        return -1;
    mp_parts dq = {0, 0}, sum = {0, 0};
    dequant_op_parts(p, &pr, group, &dq);
    out[0].energy_pj_op = dq.pj;
    out[0].area_um2 = units * dq.um2;
    int sbits = act_sum_bits(p, group);
    if (mp_act_is_float(p->act))
        mp_parts_fp_add(&sum, &pr, 1, 32); /* float activations: FP32 sum */
    else
        mp_parts_adder(&sum, &pr, 1, sbits);
    mp_parts_reg(&sum, &pr, 1, sbits);
    out[1].energy_pj_op = sum.pj;
    out[1].area_um2 = lanes * sum.um2;
    return 2;
}
