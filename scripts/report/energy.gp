# energy.gp - energy breakdown (J) of each group's best point as stacked
# bars (mpsim report).  dat: header row, then group pe edge vector sram
# dram leakage; best: the objective that chose the points.
load term_gp
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.7
set ylabel 'energy (J)'
set title 'Energy breakdown of each group''s best point (by '.best.')'
set xtics rotate by -30
plot for [c = 2:7] dat using c:xtic(1) title columnheader(c)
