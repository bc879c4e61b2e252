# term.gp - output set-up shared by the report figures (mpsim report):
# term ('png' | 'svg' | 'pdf'), out (file), stamp (provenance line:
# command, results hash, mpsim version), printed small under the plot.
if (term eq 'png') set terminal pngcairo size 1000,700 font ',11' noenhanced
if (term eq 'svg') set terminal svg size 1000,700 dynamic font 'sans,11' noenhanced
if (term eq 'pdf') set terminal pdfcairo size 7in,4.9in font ',9' noenhanced
set output out
set bmargin 6
set label 99 stamp at screen 0.01, screen 0.015 font ',7' noenhanced
set grid
set key outside right top
