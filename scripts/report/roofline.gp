# roofline.gp - each group's best point on its own roofline (mpsim
# report).  dat: group intensity(ops/B) perf(ops/s) peak(ops/s) bw(B/s),
# one MAC = 2 ops, bandwidth the nominal DRAM rate; names: the groups;
# layers (optional, report --sweep): one block per group of that point's
# GEMM layers, intensity perf (one instance each).
load term_gp
set logscale xy
set xlabel 'operational intensity (ops per DRAM byte)'
set ylabel 'performance (ops/s)'
set title 'Roofline: best point of each group (filled: whole run; lines: its peak and DRAM roofs)'
set xrange [0.01:100000]
set samples 400
n = words(names)
array P[n]
array B[n]
do for [i = 1:n] {
    stats dat every ::(i - 1)::(i - 1) using 4 nooutput
    P[i] = STATS_min
    stats dat every ::(i - 1)::(i - 1) using 5 nooutput
    B[i] = STATS_min
}
roof(x, p, b) = (x * b < p) ? x * b : p
if (exists("layers")) {
    set title 'Roofline: best point of each group (filled: whole run; open: its GEMM layers)'
    plot for [i = 1:n] roof(x, P[i], B[i]) with lines lw 1.5 lc i notitle, \
         for [i = 1:n] layers index (i - 1) using 1:2 with points pt 6 ps 1 lc i notitle, \
         for [i = 1:n] dat every ::(i - 1)::(i - 1) using 2:3 with points pt 7 ps 1.8 lc i title word(names, i)
} else {
    plot for [i = 1:n] roof(x, P[i], B[i]) with lines lw 1.5 lc i notitle, \
         for [i = 1:n] dat every ::(i - 1)::(i - 1) using 2:3 with points pt 7 ps 1.8 lc i title word(names, i)
}
