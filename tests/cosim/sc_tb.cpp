// sc_tb.cpp - SystemC testbench of `mpsim cosim --systemc`, around the same
// RTL wrapped by `verilator --sc`.
//
//   bench TILES BYTES_PER_CYCLE LATENCY_CYCLES
//
// A memory model feeds each tile's load beats (docs/rtl.md order, packed by
// mp_cosim_beats for the design's ld_data width) the way the simulator's
// memory model says the off-chip interface delivers them: the tile is
// requested when the array goes idle, its first byte arrives LATENCY_CYCLES
// later, then BYTES_PER_CYCLE bytes per cycle (an element's size is its
// width from the tile file's `bits` line; a beat is deliverable once all
// its elements have arrived).  ld_valid is high only for arrived beats,
// and the RTL may hold ld_ready low, so
// stalls from both sides show up in the measured load cycles.  Results are
// checked bit for bit against the C golden (mp_cosim_check_tile), as in
// harness.cpp.  One line per tile, parsed by sim/cosim/cosim.c:
//
//   tile I k K kind KIND load_cycles L cycles C mismatches X [m M n N
//        expected HEX got HEX]
//
// then "end"; errors: "error MESSAGE", exit status 3.  C++17 (SystemC
// 2.3.4 on Debian links only with C++17).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <type_traits>
#include <vector>

#include <systemc.h>

#include "Vtop.h"
#include "sim/cosim/cosim_tiles.h"

// ld_data as verilator --sc declares it: uint32_t, uint64_t or sc_bv<W>.
using LdData = std::remove_reference_t<decltype(Vtop::ld_data)>::data_type;

template <class T> void pack(T &v, const uint32_t *w)
{
    static_assert(std::is_integral<T>::value, "ld_data is an integer here");
    if constexpr (sizeof(T) > 4)
        v = (T)w[0] | (T)w[1] << 32;
    else
        v = (T)w[0];
}
template <int W> void pack(sc_bv<W> &v, const uint32_t *w)
{
    for (int i = 0; i < (W + 31) / 32; i++)
        v.set_word(i, w[i]);
}

// ld_count exists only on ports wider than 32 bits: a signal bound to it
// when the design has it, else a no-op.
template <class T, class = void> struct CountPort {
    void bind(T &) {}
    void write(uint32_t) {}
};
template <class T>
struct CountPort<T, std::void_t<decltype(std::declval<T &>().ld_count)>> {
    using Port = std::remove_reference_t<decltype(std::declval<T &>().ld_count)>;
    sc_signal<typename Port::data_type> sig;
    void bind(T &top) { top.ld_count(sig); }
    void write(uint32_t n) { sig.write(n); }
};

SC_MODULE(Driver)
{
    sc_in<bool> clk;
    sc_out<bool> rst_n, ld_valid, start;
    sc_in<bool> ld_ready, busy, done;
    // Verilator --sc makes every port of 2..32 bits a uint32_t one, so
    // these bind whatever width ld_addr and rd_idx have (<= 32, rtl.h)
    sc_out<uint32_t> ld_buf, ld_addr, cfg_k, rd_idx;
    sc_out<LdData> ld_data;
    sc_in<uint32_t> rd_data;
    CountPort<Vtop> *ld_count = nullptr;

    const mp_cosim_tiles *tiles = nullptr;
    double bytes_per_cycle = 1, latency = 0;
    int status = 0;

    void fail(const char *msg)
    {
        std::printf("error %s\n", msg);
        status = 3;
        sc_stop();
    }

    // Edge-synchronous: after wait() we are at a rising edge and read the
    // values the DUT sampled at it (signals update after this delta).
    void run_tile(int t)
    {
        const mp_cosim_tile *tile = &tiles->tiles[t];
        size_t nbeats = mp_cosim_beat_count(tiles, tile);
        size_t words = (size_t)mp_cosim_beat_words(tiles);
        std::vector<mp_cosim_beat> beats(nbeats);
        std::vector<uint32_t> data(nbeats * words + MP_COSIM_BEAT_WORDS_MAX);
        mp_cosim_beats(tiles, tile, beats.data(), data.data());

        // Memory model: beat i is deliverable from cycle arrival[i] on,
        // when the last byte of its elements has arrived.
        std::vector<double> arrival(beats.size());
        double bytes = 0;
        for (size_t i = 0; i < beats.size(); i++) {
            bytes += beats[i].bytes;
            arrival[i] = latency + std::ceil(bytes / bytes_per_cycle - 1e-9);
        }
        uint64_t load_cycles = 0;
        LdData beat{};
        for (size_t i = 0; i < beats.size();) {
            bool offer = arrival[i] <= (double)load_cycles;
            ld_valid.write(offer);
            ld_buf.write(beats[i].buf);
            ld_addr.write(beats[i].addr);
            pack(beat, &data[i * words]);
            ld_data.write(beat);
            ld_count->write(beats[i].count);
            wait();
            load_cycles++;
            if (offer && ld_ready.read())
                i++;
            if (load_cycles > arrival.back() + 64 * beats.size() + 1000)
                return fail("ld_ready stayed low");
        }
        ld_valid.write(false);

        start.write(true);
        cfg_k.write((uint32_t)tile->k);
        wait(); // the edge sampling start
        start.write(false);
        uint64_t edges = 0, limit = 1000000 + 1000ull * (uint64_t)tile->k;
        do { // done read at edge j was set by edge j - 1
            wait();
            edges++;
        } while (!done.read() && edges < limit);
        if (!done.read())
            return fail("done never came");
        uint64_t cycles = edges - 1;

        int results = tiles->m_tile * tiles->n_tile;
        std::vector<uint32_t> got(results);
        // pipelined reads: rd_data of index i is there L edges later
        int lat = tiles->read_latency > 1 ? tiles->read_latency : 1;
        for (int i = 0; i < results + lat; i++) {
            rd_idx.write((uint32_t)(i < results ? i : 0));
            wait();
            if (i >= lat)
                got[i - lat] = rd_data.read();
        }
        mp_cosim_mismatch mm;
        mp_diag d;
        if (mp_cosim_check_tile(tiles, tile, got.data(), &mm, &d) < 0)
            return fail(d.msg);
        std::printf("tile %d k %d kind %s load_cycles %llu cycles %llu "
                    "mismatches %d",
                    t, tile->k, tile->kind, (unsigned long long)load_cycles,
                    (unsigned long long)cycles, mm.count);
        if (mm.count)
            std::printf(" m %d n %d expected %08x got %08x", mm.m, mm.n,
                        mm.expected, mm.got);
        std::printf("\n");
    }

    void thread()
    {
        rst_n.write(false);
        ld_valid.write(false);
        start.write(false);
        for (int i = 0; i < 4; i++)
            wait();
        rst_n.write(true);
        wait();
        for (int t = 0; t < tiles->count && !status; t++)
            run_tile(t);
        if (!status)
            std::printf("end\n");
        sc_stop();
    }

    SC_CTOR(Driver)
    {
        SC_THREAD(thread);
        sensitive << clk.pos();
    }
};

int sc_main(int argc, char **argv)
{
    if (argc != 4) {
        std::printf("error usage: bench TILES BYTES_PER_CYCLE LATENCY\n");
        return 3;
    }
    mp_cosim_tiles tiles;
    mp_diag d;
    if (mp_cosim_tiles_read(argv[1], &tiles, &d)) {
        std::printf("error %s\n", d.msg);
        return 3;
    }
    sc_clock clk("clk", 1, SC_NS);
    sc_signal<bool> rst_n, ld_valid, ld_ready, start, busy, done;
    sc_signal<uint32_t> ld_buf, ld_addr, cfg_k, rd_idx, rd_data;
    sc_signal<LdData> ld_data;
    CountPort<Vtop> ld_count;

    Vtop top("top");
    top.clk(clk);
    top.rst_n(rst_n);
    top.ld_valid(ld_valid);
    top.ld_ready(ld_ready);
    top.ld_buf(ld_buf);
    top.ld_addr(ld_addr);
    top.ld_data(ld_data);
    ld_count.bind(top);
    top.start(start);
    top.cfg_k(cfg_k);
    top.busy(busy);
    top.done(done);
    top.rd_idx(rd_idx);
    top.rd_data(rd_data);

    Driver drv("drv");
    drv.tiles = &tiles;
    drv.bytes_per_cycle = std::atof(argv[2]);
    drv.latency = std::atof(argv[3]);
    if (!(drv.bytes_per_cycle > 0) || !(drv.latency >= 0)) {
        std::printf("error bad bandwidth or latency\n");
        return 3;
    }
    drv.clk(clk);
    drv.rst_n(rst_n);
    drv.ld_valid(ld_valid);
    drv.ld_ready(ld_ready);
    drv.ld_buf(ld_buf);
    drv.ld_addr(ld_addr);
    drv.ld_data(ld_data);
    drv.ld_count = &ld_count;
    drv.start(start);
    drv.cfg_k(cfg_k);
    drv.busy(busy);
    drv.done(done);
    drv.rd_idx(rd_idx);
    drv.rd_data(rd_data);

    sc_start();
    top.final();
    int status = drv.status;
    mp_cosim_tiles_free(&tiles);
    return status;
}
