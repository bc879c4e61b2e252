# plot_layers.gp - energy per layer instance, stacked by component (PE, edge,
# vector, SRAM, DRAM, leakage), from a `mpsim run --format csv` report
# (first 40 layers).
#   gnuplot -e "csv='run.csv'; out='run.svg'" scripts/plot_layers.gp
if (!exists("csv")) csv = 'run.csv'
if (!exists("out")) out = 'run.svg'
set terminal svg size 1200,600 dynamic
set output out
set datafile separator ','
set style data histograms
set style histogram rowstacked
set style fill solid 0.8 border -1
set boxwidth 0.8
set xtics rotate by -60 font ',8' noenhanced
set ylabel 'energy per instance (uJ)'
set key outside right
set title 'mpsim: energy breakdown per layer ('.csv.')' noenhanced
# columns: 1 layer ... 22 pe_pj_per_instance ... 27 leakage_pj_per_instance;
# the last row ("total") has no per-instance figures and is skipped
plot for [c=22:27] csv every ::1::40 using (strcol(1) eq 'total' ? NaN : column(c)*1e-6):xtic(1) title columnhead(c)
