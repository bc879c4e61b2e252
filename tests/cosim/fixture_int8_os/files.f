mpsim_top.v
