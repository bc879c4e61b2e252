// sc_tb.cpp - SystemC testbench of `mpsim cosim --systemc`, around the same
// RTL wrapped by `verilator --sc`.
//
//   bench TILES BYTES_PER_CYCLE LATENCY_CYCLES
//
// A memory model feeds each tile's load words (docs/rtl.md order) the way
// the simulator's memory model says the off-chip interface delivers them:
// the tile is requested when the array goes idle, its first byte arrives
// LATENCY_CYCLES later, then BYTES_PER_CYCLE bytes per cycle (a word's size
// is its element width from the tile file's `bits` line).  ld_valid is high
// only for words that have arrived, and the RTL may hold ld_ready low, so
// stalls from both sides show up in the measured load cycles.  Results are
// checked bit for bit against the C golden (mp_cosim_check_tile), as in
// harness.cpp.  One line per tile, parsed by sim/cosim.c:
//
//   tile I k K kind KIND load_cycles L cycles C mismatches X [m M n N
//        expected HEX got HEX]
//
// then "end"; errors: "error MESSAGE", exit status 3.  C++17 (SystemC
// 2.3.4 on Debian links only with C++17).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <systemc.h>

#include "Vtop.h"
#include "sim/cosim_tiles.h"

SC_MODULE(Driver)
{
    sc_in<bool> clk;
    sc_out<bool> rst_n, ld_valid, start;
    sc_in<bool> ld_ready, busy, done;
    sc_out<uint32_t> ld_buf, ld_addr, ld_data, cfg_k, rd_idx;
    sc_in<uint32_t> rd_data;

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
        std::vector<mp_cosim_word> words(mp_cosim_word_count(tiles, tile));
        mp_cosim_words(tiles, tile, words.data());

        // Memory model: word i is deliverable from cycle arrival[i] on.
        std::vector<double> arrival(words.size());
        double bytes = 0;
        for (size_t i = 0; i < words.size(); i++) {
            bytes += tiles->bits[words[i].buf] / 8.0;
            arrival[i] = latency + std::ceil(bytes / bytes_per_cycle - 1e-9);
        }
        uint64_t load_cycles = 0;
        for (size_t i = 0; i < words.size();) {
            bool offer = arrival[i] <= (double)load_cycles;
            ld_valid.write(offer);
            ld_buf.write(words[i].buf);
            ld_addr.write(words[i].addr);
            ld_data.write(words[i].data);
            wait();
            load_cycles++;
            if (offer && ld_ready.read())
                i++;
            if (load_cycles > arrival.back() + 64 * words.size() + 1000)
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
        for (int i = 0; i <= results; i++) { // 1-cycle read latency
            rd_idx.write((uint32_t)(i < results ? i : 0));
            wait();
            if (i > 0)
                got[i - 1] = rd_data.read();
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
    sc_signal<uint32_t> ld_buf, ld_addr, ld_data, cfg_k, rd_idx, rd_data;

    Vtop top("top");
    top.clk(clk);
    top.rst_n(rst_n);
    top.ld_valid(ld_valid);
    top.ld_ready(ld_ready);
    top.ld_buf(ld_buf);
    top.ld_addr(ld_addr);
    top.ld_data(ld_data);
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
