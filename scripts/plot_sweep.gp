# plot_sweep.gp - energy vs latency of every point of a sweep CSV
# (mpsim run --sweep), coloured by array size (rows x cols).
#   gnuplot -e "csv='sweep.csv'; out='sweep.svg'" scripts/plot_sweep.gp
if (!exists("csv")) csv = 'sweep.csv'
if (!exists("out")) out = 'sweep.svg'
set terminal svg size 900,600 dynamic
set output out
set datafile separator ','
set key autotitle columnhead
set logscale xy
set xlabel 'latency (s)'
set ylabel 'energy (J)'
set cblabel 'PEs (rows x cols)'
set logscale cb
set palette rgbformulae 33,13,10
set grid
set title 'mpsim sweep: '.csv noenhanced
# columns: 1 point, 2 rows, 3 cols, ..., 10 latency_s, 11 energy_pj
plot csv using 10:($11*1e-12):($2*$3) with points pt 7 ps 0.5 lc palette notitle
