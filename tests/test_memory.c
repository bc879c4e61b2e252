/*
 * test_memory.c - blocking, DRAM traffic and time, double-buffer overlap
 * and the energy breakdown (sim/memory.h, sim/simulate.h), on cases worked
 * by hand in the comments.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <string.h>

#include "sim/arch.h"
#include "sim/memory.h"
#include "sim/simulate.h"

static void near(double got, double want, double rel)
{
    if (fabs(got - want) > rel * fabs(want) + 1e-12)
        fail_msg("got %.17g, want %.17g", got, want);
}

static mp_arch mem_arch(double w_kib, double a_kib, double o_kib)
{
    mp_arch a;
    mp_arch_defaults(&a);
    a.rows = a.cols = 8;
    a.clock_hz = 500e6;
    a.wbuf.bytes = (int64_t)(w_kib * 1024);
    a.abuf.bytes = (int64_t)(a_kib * 1024);
    a.obuf.bytes = (int64_t)(o_kib * 1024);
    a.dram.bytes_per_s = 64e9;
    a.dram.efficiency = 1.0;
    return a;
}

/* A decode layer: M=1, N=K=4096, INT4 weights with FP16 scales and 4-bit
 * zeros per group of 128: 4 + (16+4)/128 = 4.15625 bits per weight ->
 * 4096*4096*4.15625/8 = 8,716,288 bytes, read once (M = 1: one M block);
 * X = 4096 bytes (INT8) once; Y = 4096 x 2 bytes written.
 * DRAM time at 64 GB/s: (8,716,288 + 4,096 + 8,192) / 64e9 = 136.384 us. */
static void decode_layer_dram_time(void **state)
{
    (void)state;
    mp_arch a = mem_arch(128, 256, 128);
    mp_operand_bits b = {8, 4 + 20.0 / 128, 16, 32};
    mp_mem_plan p;
    assert_int_equal(mp_memory_plan(&a, 1, 4096, 4096, &b, 8, 8, &p), 0);
    near(p.w_bytes, 8716288, 1e-15);
    near(p.w_reads, 1, 0);
    near(p.x_reads, 1, 0);
    near(p.dram_read_bytes, 8716288 + 4096, 1e-15);
    near(p.dram_write_bytes, 8192, 1e-15);
    double t = mp_memory_transfer_s(&a.dram, p.dram_read_bytes +
                                                 p.dram_write_bytes);
    near(t, 136.384e-6, 1e-12);
    /* burst efficiency 0.5 doubles it; the cycle form adds latency */
    a.dram.efficiency = 0.5;
    near(mp_memory_transfer_s(&a.dram, 8728576), 272.768e-6, 1e-12);
    near(mp_memory_transfer_cycles(1000, 10, 0.5, 7), 207, 1e-15);
    near(mp_memory_transfer_cycles(0, 10, 0.5, 7), 0, 0);
}

/* Blocking with tiny buffers, M=N=K=64, 8-bit X and W, 32-bit partial
 * sums; usable halves: X 1024 B, W 1024 B, out 256 B = 64 partial sums.
 *   Mt=8:  Nt=8,  nm=8, nn=8;  X panel 512 fits -> M outer: X once,
 *          W (4096 > 1024) 8 times = 4096 + 32768 = 36864
 *   Mt=16: Nt=4,  nm=4, nn=16; X panel 1024 fits -> M outer:
 *          4096 + 4*4096 = 20480   <- least traffic
 *   Mt=32: Nt=2;  panel 2048 does not fit -> >= 32*4096
 *   Mt=64: Nt=1;  worse still.
 * K chunk: min(1024/16, 1024/4) = 64 = K -> nk = 1, steps 4*16 = 64. */
static void blocking_reuse(void **state)
{
    (void)state;
    mp_arch a = mem_arch(2, 2, 0.5);
    mp_operand_bits b = {8, 8, 8, 32};
    mp_mem_plan p;
    assert_int_equal(mp_memory_plan(&a, 64, 64, 64, &b, 8, 8, &p), 0);
    assert_int_equal(p.mt, 16);
    assert_int_equal(p.nt, 4);
    assert_int_equal(p.m_outer, 1);
    near(p.dram_read_bytes, 20480, 0);
    assert_int_equal(p.kt, 64);
    near(p.steps, 64, 0);
    /* Single-buffered, all 2 KiB / 512 B are usable: Mt=32 gives Nt =
     * 512/(32*4) = 4, nm = 2, and the 32x64 X panel (2048 B) fits:
     * M outer reads X once and W twice = 4096 + 2*4096 = 12288. */
    a.wbuf.double_buffered = a.abuf.double_buffered = 0;
    a.obuf.double_buffered = 0;
    assert_int_equal(mp_memory_plan(&a, 64, 64, 64, &b, 8, 8, &p), 0);
    near(p.dram_read_bytes, 12288, 0);
}

/* Double buffering: the first of `steps` equal chunks is exposed, the
 * rest overlaps compute.
 *   compute 10, transfer 8, 4 steps: 2 + max(10, 6) = 12, compute-bound
 *   compute 4,  transfer 8, 4 steps: 2 + max(4, 6)  = 8,  memory-bound
 *   single-buffered: 4 + 8 = 12; latency 1 adds 1. */
static void double_buffer_overlap(void **state)
{
    (void)state;
    mp_overlap o;
    mp_memory_overlap(10, 8, 4, 0, 1, &o);
    near(o.total_s, 12, 1e-15);
    assert_int_equal(o.memory_bound, 0);
    mp_memory_overlap(4, 8, 4, 0, 1, &o);
    near(o.total_s, 8, 1e-15);
    near(o.exposed_transfer_s, 4, 1e-15);
    assert_int_equal(o.memory_bound, 1);
    mp_memory_overlap(4, 8, 4, 0, 0, &o);
    near(o.total_s, 12, 1e-15);
    mp_memory_overlap(4, 8, 4, 1, 1, &o);
    near(o.total_s, 9, 1e-15);
    mp_memory_overlap(4, 0, 4, 1, 1, &o);
    near(o.total_s, 4, 1e-15);
}

/* SRAM traffic of an OS mapping: X read once per column fold, W once per
 * row fold.  M=N=K=16 on 8x8: 2 x 2 folds; X 256 B -> 512 read,
 * W 256 B -> 512 read, Y 256 B written once; with read energies 1 and 2
 * pJ/bit and free writes: 8 x (512*1 + 512*2) pJ. */
static void sram_traffic_os(void **state)
{
    (void)state;
    mp_arch a = mem_arch(128, 128, 128);
    a.timing = (mp_pe_timing){1, 1, 1, 1, 0, 1.0};
    a.abuf.read_pj_bit = 1, a.wbuf.read_pj_bit = 2;
    a.abuf.write_pj_bit = a.wbuf.write_pj_bit = 0;
    a.obuf.read_pj_bit = a.obuf.write_pj_bit = 0;
    mp_gemm_map g;
    assert_int_equal(mp_engine_map(&a, NULL, 16, 16, 16, &g, NULL), 0);
    mp_operand_bits b = {8, 8, 8, 32};
    mp_mem_plan p;
    mp_memory_plan(&a, 16, 16, 16, &b, 8, 8, &p);
    mp_sram_traffic s;
    mp_memory_sram(&a, &g, &p, &b, &s);
    near(s.x_read, 512, 0);
    near(s.w_read, 512, 0);
    near(s.o_write, 256, 0);
    near(s.energy_pj, 8.0 * (512 * 1 + 512 * 2), 1e-15);
}

/* WS: M=16 N=8 K=16 on 8x8: K folds 2, N folds 1.  W (128 B) loaded once,
 * X (256 B) streamed once per N fold = 256; partial sums 16*8*4 = 512 B
 * written per K fold (1024) and read back for all but the first (512),
 * plus the 128-byte Y read out for write-back = 640. */
static void sram_traffic_ws(void **state)
{
    (void)state;
    mp_arch a = mem_arch(128, 128, 128);
    a.dataflow = MP_DF_WS;
    a.timing = (mp_pe_timing){1, 1, 1, 1, 0, 1.0};
    mp_gemm_map g;
    assert_int_equal(mp_engine_map(&a, NULL, 16, 8, 16, &g, NULL), 0);
    assert_int_equal(g.folds_r, 2);
    assert_int_equal(g.folds_c, 1);
    mp_operand_bits b = {8, 8, 8, 32};
    mp_mem_plan p;
    mp_memory_plan(&a, 16, 8, 16, &b, 1, 8, &p);
    mp_sram_traffic s;
    mp_memory_sram(&a, &g, &p, &b, &s);
    near(s.w_read, 128, 0);
    near(s.x_read, 256, 0);
    near(s.o_write, 1024, 0);
    near(s.o_read, 640, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(decode_layer_dram_time),
        cmocka_unit_test(blocking_reuse),
        cmocka_unit_test(double_buffer_overlap),
        cmocka_unit_test(sram_traffic_os),
        cmocka_unit_test(sram_traffic_ws),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
