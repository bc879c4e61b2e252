# vs_x.gp - least latency and least energy per group against a swept
# workload column (batch or sequence length) (mpsim report).  dat: one
# block per group, x latency energy; groups: names; xl: the column.
load term_gp
set multiplot layout 1,2 title 'Latency and energy vs '.xl
set logscale y
set xlabel xl
n = words(groups)
set ylabel 'latency (s)'
set key inside left top
plot for [g = 1:n] dat index (g - 1) using 1:2 with linespoints pt 7 title word(groups, g)
set ylabel 'energy (J)'
plot for [g = 1:n] dat index (g - 1) using 1:3 with linespoints pt 7 title word(groups, g)
unset multiplot
