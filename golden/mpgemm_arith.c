/*
 * mpgemm_arith.c - the mp_arith presets and their text names.
 *
 * mp_arith_default() is what a generic accelerator would do: dequantize once
 * per group, keep the in-group sums exact (integers for integer
 * activations, a fixed-point grid fine enough for every value of a small
 * float format), and accumulate groups in FP32.  Wider float activations
 * (BF16, FP32) cannot be summed exactly in a reasonable width, so they get a
 * fused FP32 group accumulator.  docs/numerics.md (GEMM arithmetic) gives the reasons.
 */
#include "golden/mpgemm.h"

#include "golden/decimal.h"
#include "golden/suggest.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const acc_names[] = {"int", "fixed", "fp16", "fp32"};
static const char *const dequant_names[] = {"per-weight", "per-group"};
static const char *const order_names[] = {"k-ascending", "bit-serial"};

#define COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))

const char *mp_acc_fmt_name(mp_acc_fmt acc)
{
    return (int)acc >= 0 && (int)acc < COUNT(acc_names) ? acc_names[acc] : "?";
}

mp_act_fmt mp_acc_float_fmt(mp_acc_fmt acc)
{
    return acc == MP_ACC_FP16 ? MP_ACT_FP16 : MP_ACT_FP32;
}

/* Grid fine enough to hold every value of a small float format exactly:
 * 2^-frac is its smallest subnormal. */
static int exact_frac_bits(mp_act_fmt act)
{
    switch (act) {
    case MP_ACT_FP16: return 24;      /* 2^-14 * 2^-10 */
    case MP_ACT_FP8_E4M3: return 9;   /* 2^-6 * 2^-3   */
    case MP_ACT_FP8_E5M2: return 16;  /* 2^-14 * 2^-2  */
    default: return 0;
    }
}

mp_arith mp_arith_default(const mp_gemm_in *in)
{
    mp_arith ar;
    memset(&ar, 0, sizeof ar);
    ar.dequant = MP_DEQ_PER_GROUP;
    ar.order = MP_ORDER_K_ASCENDING;
    ar.weight_fmt = MP_ACT_FP16;
    ar.fused = 1;
    ar.out_acc = mp_gemm_int_output(in) ? MP_ACC_INT : MP_ACC_FP32;
    if (mp_wfmt_is_float(in->wfmt)) { /* FP16 weights: values, per weight */
        ar.dequant = MP_DEQ_PER_WEIGHT;
        ar.group_acc = MP_ACC_FP32;
        ar.table_fmt = MP_ACT_FP32;
        return ar;
    }
    /* Table entries (if the order is switched to bit-serial): INT16 holds
     * every sum of 4 INT8 (or INT4) values; FP32 holds sums of 4 INT16
     * values exactly and cannot overflow on 4 FP16/FP8 values. */
    ar.table_fmt = in->act == MP_ACT_INT8 || in->act == MP_ACT_INT4
                       ? MP_ACT_INT16
                       : MP_ACT_FP32;
    if (!mp_act_is_float(in->act)) {
        ar.group_acc = MP_ACC_INT;
    } else if (exact_frac_bits(in->act) > 0) {
        ar.group_acc = MP_ACC_FIXED;
        ar.frac_bits = exact_frac_bits(in->act);
    } else {
        ar.group_acc = MP_ACC_FP32;
        ar.acc_bits = 0;
        return ar;
    }
    /* The narrowest of the usual register widths that cannot overflow;
     * when even 64 bits could, mp_gemm_check() says so. */
    static const int widths[] = {32, 48, 64};
    ar.acc_bits = 64;
    for (int i = 0; i < COUNT(widths); i++) {
        ar.acc_bits = widths[i];
        if (mp_gemm_acc_bits_needed(in, &ar) <= widths[i])
            break;
    }
    return ar;
}

static int lookup(const char *const *names, int count, const char *value)
{
    for (int i = 0; i < count; i++)
        if (!strcmp(names[i], value))
            return i;
    return -1;
}

static int parse_bool(const char *value, int *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (int i = 0; i < COUNT(yes); i++) {
        if (!strcasecmp(value, yes[i]))
            return *out = 1, 0;
        if (!strcasecmp(value, no[i]))
            return *out = 0, 0;
    }
    return -1;
}

int mp_arith_set(mp_arith *ar, const char *key, const char *value,
                 const char *file, int line, mp_diag *d)
{
    int i;
    mp_act_fmt fmt;
    if (!strcmp(key, "dequant")) {
        if ((i = lookup(dequant_names, COUNT(dequant_names), value)) < 0)
            return mp_fail(d, file, line, key,
                           "'%s' is not per-weight or per-group", value);
        ar->dequant = (mp_dequant_point)i;
    } else if (!strcmp(key, "group_acc") || !strcmp(key, "out_acc")) {
        if ((i = lookup(acc_names, COUNT(acc_names), value)) < 0)
            return mp_fail(d, file, line, key,
                           "'%s' is not int, fixed, fp16 or fp32", value);
        if (key[0] == 'g')
            ar->group_acc = (mp_acc_fmt)i;
        else
            ar->out_acc = (mp_acc_fmt)i;
    } else if (!strcmp(key, "acc_bits")) {
        if (mp_parse_int(value, 2, 64, &ar->acc_bits))
            return mp_fail(d, file, line, key,
                           "'%s' is not an integer in 2..64", value);
    } else if (!strcmp(key, "frac_bits")) {
        if (mp_parse_int(value, 0, 62, &ar->frac_bits))
            return mp_fail(d, file, line, key,
                           "'%s' is not an integer in 0..62", value);
    } else if (!strcmp(key, "order")) {
        if ((i = lookup(order_names, COUNT(order_names), value)) < 0)
            return mp_fail(d, file, line, key,
                           "'%s' is not k-ascending or bit-serial", value);
        ar->order = (mp_acc_order)i;
    } else if (!strcmp(key, "weight_fmt") || !strcmp(key, "table_fmt")) {
        if (mp_act_parse(value, &fmt))
            return mp_fail(d, file, line, key,
                           "unknown format '%s' (int4, int8, int16, fp16, "
                           "bf16, fp8e4m3, fp8e5m2, fp32)", value);
        if (key[0] == 'w')
            ar->weight_fmt = fmt;
        else
            ar->table_fmt = fmt;
    } else if (!strcmp(key, "fused")) {
        if (parse_bool(value, &ar->fused))
            return mp_fail(d, file, line, key, "'%s' is not true or false",
                           value);
    } else {
        static const char *const keys[] = {
            "dequant", "group_acc", "acc_bits", "frac_bits", "out_acc",
            "weight_fmt", "order", "table_fmt", "fused", NULL};
        return mp_fail_unknown(d, file, line, key, key, keys);
    }
    return 0;
}

const char *mp_arith_describe(const mp_arith *ar, char *buf, int cap)
{
    char group[48];
    if (ar->group_acc == MP_ACC_INT)
        snprintf(group, sizeof group, "int%d", ar->acc_bits);
    else if (ar->group_acc == MP_ACC_FIXED)
        snprintf(group, sizeof group, "fixed%d.%d", ar->acc_bits,
                 ar->frac_bits);
    else
        snprintf(group, sizeof group, "%s", mp_acc_fmt_name(ar->group_acc));
    if (ar->dequant == MP_DEQ_PER_WEIGHT)
        snprintf(buf, (size_t)cap, "per-weight w=%s %s out=%s",
                 mp_act_name(ar->weight_fmt), ar->fused ? "fused" : "unfused",
                 mp_acc_fmt_name(ar->out_acc));
    else if (ar->order == MP_ORDER_BIT_SERIAL)
        snprintf(buf, (size_t)cap, "per-group %s bit-serial table=%s out=%s",
                 group, mp_act_name(ar->table_fmt),
                 mp_acc_fmt_name(ar->out_acc));
    else
        snprintf(buf, (size_t)cap, "per-group %s k-ascending%s out=%s", group,
                 ar->group_acc >= MP_ACC_FP16 ? (ar->fused ? " fused"
                                                           : " unfused")
                                              : "",
                 mp_acc_fmt_name(ar->out_acc));
    return buf;
}
