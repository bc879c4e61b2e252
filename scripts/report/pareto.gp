# pareto.gp - every feasible point by group, and the Pareto front
# (mpsim report).  pts: one block per group (index g); front: x y;
# groups: group names; xl, yl: axis labels.
load term_gp
set logscale xy
set xlabel xl
set ylabel yl
set title 'Pareto front of '.xl.' and '.yl
n = words(groups)
plot for [g = 1:n] pts index (g - 1) using 1:2 with points pt 7 ps 0.5 title word(groups, g), \
     front using 1:2 with linespoints lw 2 pt 6 ps 1.2 lc rgb 'black' title 'Pareto front'
