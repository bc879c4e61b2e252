// fp_units_tb.cpp - checks the generated FP units (rtl_gen/fp_units.h)
// bit for bit against the golden rounding primitives (golden/mpgemm.h,
// golden/formats.h) on edge cases and random operands.  Built by
// tests/cli/test_fp_units.sh around the wrapper fpt_top that
// tests/cosim/fp_units_gen.c emits.  Prints one "ok"/"not ok" line per unit.
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include "Vfpt_top.h"
#include "verilated.h"
extern "C" {
#include "golden/formats.h"
#include "golden/mpgemm.h"
}

namespace {

uint64_t state = 0x9e3779b97f4a7c15ull;
uint64_t next_u64()
{ // splitmix64: only the test's own operand stream
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

// A random float bit pattern biased towards the interesting cases: zeros,
// subnormals, the largest exponents, Inf/NaN, few mantissa bits (ties and
// exact cancellations), and exponents close to `near_exp` when >= 0.
uint32_t pick(int e, int m, int near_exp)
{
    uint64_t r = next_u64();
    uint32_t sign = (uint32_t)(r & 1);
    int emax = (1 << e) - 1;
    int exp;
    switch ((r >> 1) % 8) {
    case 0: exp = 0; break;                                   // zero/subnormal
    case 1: exp = emax - (int)((r >> 8) % 3); break;          // huge, Inf/NaN
    case 2: exp = 1 + (int)((r >> 8) % 3); break;             // tiny normals
    default:
        if (near_exp >= 0) {
            exp = near_exp - (int)((r >> 8) % (m + 6));
            if (exp < 0) exp = 0;
        } else {
            exp = (int)((r >> 8) % (uint64_t)(emax + 1));
        }
    }
    uint32_t man = (uint32_t)(next_u64() & ((1u << m) - 1));
    if ((r >> 20) % 3 == 0) // sparse mantissa
        man &= (uint32_t)(next_u64() | (next_u64() << 7)) & ((1u << m) - 1) &
               (uint32_t)next_u64();
    if ((r >> 24) % 5 == 0)
        man = (r >> 30) & 1 ? 0 : (1u << m) - 1;
    return sign << (e + m) | (uint32_t)exp << m | man;
}

int64_t pick_int(int bits)
{
    uint64_t r = next_u64();
    int b = 1 + (int)(r % (uint64_t)bits);
    int64_t v = (int64_t)(next_u64() & ((b >= 64 ? ~0ull : (1ull << b)) - 1));
    if (b < bits && (r >> 8) & 1) v = -v;
    if (b == bits) v -= (int64_t)1 << (bits - 1); // full range incl. min
    if ((r >> 9) % 7 == 0) v = 0;
    return v;
}

bool same(mp_act_fmt f, uint32_t want, uint32_t got)
{
    if (std::isnan(mp_fp_decode(f, want)))
        return std::isnan(mp_fp_decode(f, got));
    return want == got;
}

struct counter {
    const char *name;
    long fails = 0, runs = 0;
    void check(mp_act_fmt f, uint32_t want, uint32_t got, const char *what,
               uint64_t a, uint64_t b)
    {
        runs++;
        if (!same(f, want, got) && fails++ < 5)
            std::fprintf(stderr, "%s: %s a=%llx b=%llx want %x got %x\n", name,
                         what, (unsigned long long)a, (unsigned long long)b,
                         want, got);
    }
};

uint32_t enc(mp_act_fmt f, double v) { return mp_fp_encode(f, v, MP_OVF_IEEE); }

} // namespace

int main(int argc, char **argv)
{
    Verilated::commandArgs(argc, argv);
    long iters = argc > 1 ? std::atol(argv[1]) : 200000;
    Vfpt_top top;
    counter add32{"add_fp32"}, add16{"add_fp16"}, addb16{"add_bf16"},
        mul32{"mul_fp32"}, mul16{"mul_fp16_fp16_fp32"},
        mul1632{"mul_fp16_fp32_fp16"}, mi32{"mul_int40_fp32"},
        mi16{"mul_int9_fp16"}, mi32f{"mul_int40_frac12_fp32"},
        conv{"conv_fp16_fp32"}, addm16{"add_fp16_plus_fp32_to_fp16"},
        addm32{"fma_bf16xbf16_plus_fp32"}, fromi32{"from_int40_fp32"},
        fromi16{"from_int40_frac30_fp16"}, conv8a{"conv_fp16_fp8e4m3"},
        conv8b{"conv_fp16_fp8e5m2"}, addsh16{"add_shift_fp16"},
        addz32{"add_zmul_fp32_z5"}, mulh{"mul_fp32_bf16_half"},
        grid16{"to_grid_fp16_f24"}, gridb{"to_grid_bf16_int12"},
        addm8{"add_fp32_plus_fp8e4m3"}, fromi8{"from_int10_fp8e4m3"};
    for (long i = 0; i < iters; i++) {
        uint32_t a32 = pick(8, 23, -1);
        int a_exp = (int)(a32 >> 23 & 0xff);
        uint32_t b32 = (i & 1) ? pick(8, 23, a_exp) : pick(8, 23, -1);
        uint32_t a16 = pick(5, 10, -1);
        uint32_t b16 = (i & 1) ? pick(5, 10, (int)(a16 >> 10 & 0x1f))
                               : pick(5, 10, -1);
        if (i % 4 == 2) { // b32 close to -a16: cancellation in the mixed add
            double h = mp_fp_decode(MP_ACT_FP16, a16);
            if (std::isfinite(h))
                b32 = mp_fp_encode(MP_ACT_FP32, -h, MP_OVF_IEEE) ^
                      (uint32_t)(next_u64() & (i % 8 == 2 ? 0x1fffu : 0x3u));
        }
        int64_t r40 = pick_int(40), r9 = pick_int(9);
        top.a32 = a32;
        top.b32 = b32;
        top.a16 = a16;
        top.b16 = b16;
        top.r40 = (uint64_t)r40 & ((1ull << 40) - 1);
        top.r9 = (uint32_t)r9 & 0x1ff;
        uint32_t a8 = pick(4, 3, -1);
        int64_t z5 = pick_int(5), r10 = pick_int(10);
        int sh2 = (int)(next_u64() & 3);
        top.a8 = a8;
        top.z5 = (uint32_t)z5 & 0x1f;
        top.r10 = (uint32_t)r10 & 0x3ff;
        top.sh2 = (uint32_t)sh2;
        top.eval();
        double da = mp_fp_decode(MP_ACT_FP32, a32), db = mp_fp_decode(MP_ACT_FP32, b32);
        double ha = mp_fp_decode(MP_ACT_FP16, a16), hb = mp_fp_decode(MP_ACT_FP16, b16);
        double ba = mp_fp_decode(MP_ACT_BF16, a32 >> 16), bb = mp_fp_decode(MP_ACT_BF16, b32 >> 16);
        add32.check(MP_ACT_FP32, enc(MP_ACT_FP32, mp_round_sum(MP_ACT_FP32, da, db)),
                    top.y_add32, "a+b", a32, b32);
        add16.check(MP_ACT_FP16, enc(MP_ACT_FP16, mp_round_sum(MP_ACT_FP16, ha, hb)),
                    top.y_add16, "a+b", a16, b16);
        addb16.check(MP_ACT_BF16, enc(MP_ACT_BF16, mp_round_sum(MP_ACT_BF16, ba, bb)),
                     top.y_addb16, "a+b", a32 >> 16, b32 >> 16);
        // products of two floats of <= 24 significant bits are exact doubles
        mul32.check(MP_ACT_FP32, enc(MP_ACT_FP32, mp_round_to(MP_ACT_FP32, da * db)),
                    top.y_mul32, "a*b", a32, b32);
        mul16.check(MP_ACT_FP32, enc(MP_ACT_FP32, mp_round_to(MP_ACT_FP32, ha * hb)),
                    top.y_mul16, "a*b", a16, b16);
        mul1632.check(MP_ACT_FP16, enc(MP_ACT_FP16, mp_round_to(MP_ACT_FP16, ha * db)),
                      top.y_mul1632, "a*b", a16, b32);
        mi32.check(MP_ACT_FP32, enc(MP_ACT_FP32, mp_round_scaled(MP_ACT_FP32, da, r40, 0)),
                   top.y_mi32, "s*r", a32, (uint64_t)r40);
        mi16.check(MP_ACT_FP16, enc(MP_ACT_FP16, mp_round_scaled(MP_ACT_FP16, db, r9, 0)),
                   top.y_mi16, "s*r", b32, (uint64_t)r9);
        mi32f.check(MP_ACT_FP32, enc(MP_ACT_FP32, mp_round_scaled(MP_ACT_FP32, db, r40, 12)),
                    top.y_mi32f, "s*r/2^12", b32, (uint64_t)r40);
        conv.check(MP_ACT_FP32, enc(MP_ACT_FP32, ha), top.y_conv, "widen", a16, 0);
        addm16.check(MP_ACT_FP16, enc(MP_ACT_FP16, mp_round_sum(MP_ACT_FP16, ha, db)),
                     top.y_addm16, "a16+b32", a16, b32);
        // bf16 x bf16 is exact in a double (16-bit significands)
        double bx = mp_fp_decode(MP_ACT_BF16, a32 >> 16), by = mp_fp_decode(MP_ACT_BF16, b32 & 0xffff);
        addm32.check(MP_ACT_FP32, enc(MP_ACT_FP32, mp_round_sum(MP_ACT_FP32, da, bx * by)),
                     top.y_addm32, "a32+bf*bf", a32, b32);
        fromi32.check(MP_ACT_FP32, enc(MP_ACT_FP32, mp_round_scaled(MP_ACT_FP32, 1.0, r40, 0)),
                      top.y_fromi32, "int", (uint64_t)r40, 0);
        fromi16.check(MP_ACT_FP16, enc(MP_ACT_FP16, mp_round_scaled(MP_ACT_FP16, 1.0, r40, 30)),
                      top.y_fromi16, "int/2^30", (uint64_t)r40, 0);
        conv8a.check(MP_ACT_FP8_E4M3, enc(MP_ACT_FP8_E4M3, ha), top.y_conv8a,
                     "narrow", a16, 0);
        conv8b.check(MP_ACT_FP8_E5M2, enc(MP_ACT_FP8_E5M2, hb), top.y_conv8b,
                     "narrow", b16, 0);
        addsh16.check(MP_ACT_FP16,
                      enc(MP_ACT_FP16, mp_round_sum(MP_ACT_FP16, ha, std::ldexp(hb, sh2))),
                      top.y_addsh16, "a+b<<sh", a16, b16);
        // z * b is exact in a double (24 + 5 bits)
        addz32.check(MP_ACT_FP32,
                     enc(MP_ACT_FP32, mp_round_sum(MP_ACT_FP32, da, -((double)z5 * db))),
                     top.y_addz32, "a-z*b", a32, b32);
        mulh.check(MP_ACT_FP32, enc(MP_ACT_FP32, mp_round_to(MP_ACT_FP32, da * bb * 0.5)),
                   top.y_mulh, "a*b/2", a32, b32 >> 16);
        // to_grid: exact integers (NaN/Inf give 0); bf16 only where it fits
        uint64_t g16 = std::isfinite(ha) ? (uint64_t)mp_to_grid(ha, 24) : 0;
        grid16.runs++;
        if ((g16 & ((1ull << 42) - 1)) != top.y_grid16 && grid16.fails++ < 5)
            std::fprintf(stderr, "to_grid16: a=%x want %llx got %llx\n", a16,
                         (unsigned long long)g16, (unsigned long long)top.y_grid16);
        if (!std::isfinite(bb) || std::fabs(bb) < 2047.0) {
            uint64_t gb = std::isfinite(bb) ? (uint64_t)mp_to_grid(bb, 0) : 0;
            gridb.runs++;
            if ((gb & 0xfff) != top.y_gridb && gridb.fails++ < 5)
                std::fprintf(stderr, "to_gridb: a=%x want %llx got %x\n",
                             b32 >> 16, (unsigned long long)gb, top.y_gridb);
        }
        double e8 = mp_fp_decode(MP_ACT_FP8_E4M3, a8);
        addm8.check(MP_ACT_FP32, enc(MP_ACT_FP32, mp_round_sum(MP_ACT_FP32, da, e8)),
                    top.y_addm8, "a32+e4m3", a32, a8);
        fromi8.check(MP_ACT_FP8_E4M3,
                     enc(MP_ACT_FP8_E4M3, mp_round_scaled(MP_ACT_FP8_E4M3, 1.0, r10, 0)),
                     top.y_fromi8, "int", (uint64_t)r10, 0);
    }
    // Exhaustive over one operand: every FP16 a against a fixed set of b
    // (zeros, smallest/largest subnormals and normals, Inf, NaN, 1, values
    // a half-ulp or an ulp away from common magnitudes) for add16, and
    // every FP16 a times the same b widened, for mul16/conv.
    static const uint16_t bs[] = {0x0000, 0x8000, 0x0001, 0x8001, 0x03ff, 0x83ff,
                                  0x0400, 0x8400, 0x7bff, 0xfbff, 0x7c00, 0xfc00,
                                  0x7e00, 0x3c00, 0xbc00, 0x3c01, 0xbc01, 0x1000,
                                  0x9000, 0x0200, 0x8200, 0x6800, 0xe800, 0x3555,
                                  0x4248, 0xc248, 0x0c00, 0x8c00, 0x7800, 0xf800};
    counter add16x{"add_fp16_sweep"}, mul16x{"mul_fp16_fp16_fp32_sweep"};
    for (uint32_t a = 0; a < 65536; a++) {
        for (uint16_t b : bs) {
            top.a16 = a;
            top.b16 = b;
            top.eval();
            double ha = mp_fp_decode(MP_ACT_FP16, a), hb = mp_fp_decode(MP_ACT_FP16, b);
            add16x.check(MP_ACT_FP16, enc(MP_ACT_FP16, mp_round_sum(MP_ACT_FP16, ha, hb)),
                         top.y_add16, "a+b", a, b);
            mul16x.check(MP_ACT_FP32, enc(MP_ACT_FP32, mp_round_to(MP_ACT_FP32, ha * hb)),
                         top.y_mul16, "a*b", a, b);
        }
    }
    int bad = 0;
    for (counter *c : {&add16x, &mul16x, &add32, &add16, &addb16, &mul32, &mul16, &mul1632, &mi32,
                       &mi16, &mi32f, &conv, &addm16, &addm32, &fromi32, &fromi16,
                       &conv8a, &conv8b, &addsh16, &addz32, &mulh, &grid16, &gridb,
                       &addm8, &fromi8}) {
        if (c->fails) bad = 1;
        std::printf("%s fp_units_%s (%ld of %ld differ)\n",
                    c->fails ? "not ok" : "ok", c->name, c->fails, c->runs);
    }
    top.final();
    return bad;
}
