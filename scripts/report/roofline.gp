# roofline.gp - each group's best point on its own roofline (mpsim
# report).  dat: group intensity(ops/B) perf(ops/s) peak(ops/s) bw(B/s),
# one MAC = 2 ops, bandwidth the nominal DRAM rate.
load term_gp
set logscale xy
set xlabel 'operational intensity (ops per DRAM byte)'
set ylabel 'performance (ops/s)'
set title 'Roofline: best point of each group'
set xrange [0.01:100000]
set samples 400
stats dat using 2 nooutput
n = STATS_records
roof(x, p, b) = (x * b < p) ? x * b : p
peak(i) = real(system(sprintf("awk '!/^#/ {k++} k == %d {print $4; exit}' '%s'", i, dat)))
bw(i) = real(system(sprintf("awk '!/^#/ {k++} k == %d {print $5; exit}' '%s'", i, dat)))
plot for [i = 1:n] roof(x, peak(i), bw(i)) with lines lw 1.5 lc i title sprintf('roof %d', i), \
     for [i = 1:n] dat every ::(i - 1)::(i - 1) using 2:3 with points pt 7 ps 1.5 lc i title stringcolumn(1)
