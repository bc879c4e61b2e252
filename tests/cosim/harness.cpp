// harness.cpp - the thin Verilator harness of `mpsim cosim`.
//
//   harness TILES [--only T] [--trace FILE.fst|.vcd] [--coverage FILE.dat]
//
// Drives the common top-level protocol of docs/rtl.md: reset, then for each
// tile of the tile file (sim/cosim/cosim_tiles.h, written by the C driver) stream
// its load beats one per cycle (honouring ld_ready; a port wider than 32
// bits takes packed beats with ld_count, mp_cosim_beats), pulse start with
// cfg_k,
// count the rising edges until done, read every result through rd_idx /
// rd_data, and let the C golden (mp_cosim_check_tile -> mp_gemm_hw) compare
// them bit for bit.  One line per tile on stdout, parsed by sim/cosim/cosim.c:
//
//   tile I k K kind KIND load_cycles L cycles C mismatches X [m M n N
//        expected HEX got HEX]
//
// then "end".  --coverage (the --coverage-toggle build) writes Verilator's
// per-bit toggle counts at the end (sim/cosim/activity.h reads them).  Errors: a line "error MESSAGE" and exit status 3.  All the
// logic that is not port wiggling lives in C.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <type_traits>
#include <vector>

#include "Vtop.h"
#include "verilated.h"
#if VM_TRACE_VCD
#include "verilated_vcd_c.h"
typedef VerilatedVcdC TraceFile; // the VCD build (cosim --activity --gate)
#elif VM_TRACE
#include "verilated_fst_c.h"
typedef VerilatedFstC TraceFile;
#endif
#if VM_COVERAGE
#include "verilated_cov.h"
#endif
#include "sim/cosim/cosim_tiles.h"

namespace {

struct Bench {
    VerilatedContext ctx;
    Vtop *top = nullptr;
#if VM_TRACE
    TraceFile *trace = nullptr;
#endif
    uint64_t half_cycles = 0;

    void dump()
    {
#if VM_TRACE
        if (trace)
            trace->dump(half_cycles);
#endif
        half_cycles++;
    }
    // One rising edge: inputs set by the caller are sampled by it.
    void tick()
    {
        top->clk = 0;
        top->eval();
        dump();
        top->clk = 1;
        top->eval();
        dump();
    }
};

// ld_data of any width: IData (32), QData (33..64) or VlWide (wider).
template <class T> void put_data(T &port, const uint32_t *w)
{
    static_assert(std::is_integral<T>::value, "ld_data is an integer here");
    if constexpr (sizeof(T) > 4)
        port = (T)w[0] | (T)w[1] << 32;
    else
        port = (T)w[0];
}
template <std::size_t N> void put_data(VlWide<N> &port, const uint32_t *w)
{
    for (std::size_t i = 0; i < N; i++)
        port.at(i) = w[i];
}

// ld_count exists only on ports wider than 32 bits.
template <class T>
auto put_count(T *top, uint32_t n, int) -> decltype(top->ld_count = n, void())
{
    top->ld_count = n;
}
template <class T> void put_count(T *, uint32_t, long) {}

int fail(const char *msg)
{
    std::printf("error %s\n", msg);
    return 3;
}

} // namespace

int main(int argc, char **argv)
{
    const char *tile_path = nullptr, *trace_path = nullptr,
               *coverage_path = nullptr;
    int only = -1;
    for (int i = 1; i < argc; i++) {
        if (!std::strcmp(argv[i], "--only") && i + 1 < argc)
            only = std::atoi(argv[++i]);
        else if (!std::strcmp(argv[i], "--trace") && i + 1 < argc)
            trace_path = argv[++i];
        else if (!std::strcmp(argv[i], "--coverage") && i + 1 < argc)
            coverage_path = argv[++i];
        else
            tile_path = argv[i];
    }
    if (!tile_path)
        return fail("usage: harness TILES [--only T] [--trace FILE] "
                    "[--coverage FILE]");
#if !VM_COVERAGE
    if (coverage_path)
        return fail("this build has no toggle coverage (use the toggle "
                    "variant)");
#endif

    mp_cosim_tiles tiles;
    mp_diag d;
    if (mp_cosim_tiles_read(tile_path, &tiles, &d))
        return fail(d.msg);

    Bench b;
    b.top = new Vtop(&b.ctx);
    if (trace_path) {
#if VM_TRACE
        b.ctx.traceEverOn(true);
        b.trace = new TraceFile;
        b.top->trace(b.trace, 99);
        b.trace->open(trace_path);
#else
        return fail("this build has no tracing (use the --trace variant)");
#endif
    }
    Vtop *top = b.top;
    top->rst_n = 0;
    top->ld_valid = 0;
    top->start = 0;
    for (int i = 0; i < 4; i++)
        b.tick();
    top->rst_n = 1;
    b.tick();

    int results = tiles.m_tile * tiles.n_tile;
    std::vector<uint32_t> got(results);
    int status = 0;
    for (int t = 0; t < tiles.count && !status; t++) {
        if (only >= 0 && t != only)
            continue;
        const mp_cosim_tile *tile = &tiles.tiles[t];
        size_t nbeats = mp_cosim_beat_count(&tiles, tile);
        size_t words = (size_t)mp_cosim_beat_words(&tiles);
        std::vector<mp_cosim_beat> beats(nbeats);
        std::vector<uint32_t> data(nbeats * words + MP_COSIM_BEAT_WORDS_MAX);
        mp_cosim_beats(&tiles, tile, beats.data(), data.data());

        uint64_t load_cycles = 0;
        for (size_t w = 0; w < beats.size();) {
            top->ld_valid = 1;
            top->ld_buf = beats[w].buf;
            top->ld_addr = beats[w].addr;
            put_data(top->ld_data, &data[w * words]);
            put_count(top, beats[w].count, 0);
            top->eval();
            bool taken = top->ld_ready;
            b.tick();
            load_cycles++;
            if (taken)
                w++;
            if (load_cycles > 64 * beats.size() + 1000) {
                status = fail("ld_ready stayed low");
                break;
            }
        }
        top->ld_valid = 0;
        if (status)
            break;

        top->eval();
        if (top->busy) {
            status = fail("busy before start");
            break;
        }
        top->start = 1;
        top->cfg_k = (uint16_t)tile->k;
        b.tick();
        top->start = 0;
        uint64_t cycles = 0, limit = 1000000 + 1000ull * (uint64_t)tile->k;
        while (!top->done && cycles < limit) {
            b.tick();
            cycles++;
        }
        if (!top->done) {
            status = fail("done never came");
            break;
        }
        int latency = tiles.read_latency > 1 ? tiles.read_latency : 1;
        for (int i = 0; i < results; i++) {
            // rd_idx is 16 bits or wider (docs/rtl.md); Verilator makes it
            // a uint16_t or uint32_t member, both take the index unchanged
            top->rd_idx = (uint32_t)i;
            for (int l = 0; l < latency; l++)
                b.tick();
            got[i] = top->rd_data;
        }
        mp_cosim_mismatch mm;
        if (mp_cosim_check_tile(&tiles, tile, got.data(), &mm, &d) < 0) {
            status = fail(d.msg);
            break;
        }
        std::printf("tile %d k %d kind %s load_cycles %llu cycles %llu "
                    "mismatches %d",
                    t, tile->k, tile->kind, (unsigned long long)load_cycles,
                    (unsigned long long)cycles, mm.count);
        if (mm.count)
            std::printf(" m %d n %d expected %08x got %08x", mm.m, mm.n,
                        mm.expected, mm.got);
        std::printf("\n");
    }
    if (!status)
        std::printf("end\n");
    top->final();
#if VM_COVERAGE
    if (coverage_path)
        b.ctx.coveragep()->write(coverage_path);
#endif
#if VM_TRACE
    if (b.trace)
        b.trace->close();
    delete b.trace;
#endif
    delete top;
    mp_cosim_tiles_free(&tiles);
    return status;
}
