#!/usr/bin/env bash
# Array size (docs/rtl.md "Address and index widths; array size"): `mpsim
# rtl` takes rows/cols up to the arch's 65536 and widens rd_idx / ld_addr
# when the results or the buffers need it; arrays above the resource bound
# (2^20 PEs or results) are refused in one line, leaving no files.  Large
# shapes are only generated and grepped; one 300-row array is linted, a
# 257-row array and a 21-bit ld_addr are co-simulated.
source "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/rtl_lib.sh"
export SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1

# has_line NAME FILE FIXED-STRING: FILE contains the string
has_line() {
    if grep -qF -- "$3" "$2"; then ok "$1"
    else not_ok "$1 (no '$3' in $(basename "$2"))"; fi
}

# gen NAME ARGS...: `mpsim rtl ARGS -o $TMP/NAME` succeeds
gen() {
    local name=$1; shift
    if "$MP" rtl "$@" -o "$TMP/$name" >"$TMP/$name.out" 2>"$TMP/$name.err"
    then ok "rtl_size_gen_$name"
    else not_ok "rtl_size_gen_$name ($(head -c 300 "$TMP/$name.err"))"; fi
}

# ---- beyond 65536 results: a 17-bit rd_idx, one case arm per result -----
gen i512x256 --pe int8-mac --rows 512 --cols 256 --k-max 16
has_line rtl_size_rd_idx_17 "$TMP/i512x256/mpsim_top.v" "input  wire [16:0] rd_idx,"
has_line rtl_size_ld_addr_20 "$TMP/i512x256/mpsim_top.v" "input  wire [19:0] ld_addr,"
has_line rtl_size_last_arm "$TMP/i512x256/mpsim_top.v" "17'd131071: begin rsel = res_131071;"
has_line rtl_size_params_idx "$TMP/i512x256/params.json" '"idx_bits": 17'
rm -rf "$TMP/i512x256" # 81 MB

# ---- the old 256 bound keeps the protocol's ports and params.json -------
gen i256 --pe int8-mac --rows 256 --cols 2 --k-max 4096
has_line rtl_size_keep_rd_idx "$TMP/i256/mpsim_top.v" "input  wire [15:0] rd_idx,"
has_line rtl_size_keep_ld_addr "$TMP/i256/mpsim_top.v" "input  wire [19:0] ld_addr,"
if grep -q '_bits"' "$TMP/i256/params.json"; then
    not_ok "rtl_size_keep_params (width keys in a default params.json)"
else ok rtl_size_keep_params; fi

# ---- a deep buffer: 64 x 65408 activations need a 22-bit ld_addr ---------
gen deep --pe int8-mac --rows 64 --cols 2 --k-max 65408
has_line rtl_size_ld_addr_22 "$TMP/deep/mpsim_top.v" "input  wire [21:0] ld_addr,"
has_line rtl_size_ld_addr_check "$TMP/deep/mpsim_top.v" "(ld_addr <= 22'd4186111)"
has_line rtl_size_params_addr "$TMP/deep/params.json" '"addr_bits": 22'

# ---- the DSP chain: 1024 DSP48E2 slices along K in one chain ------------
sed 's/^\(  chain_len:\) *16 /\1 1024 /' sim/arch/flightllm-u280.yaml \
    >"$TMP/dsp1024.yaml"
gen dsp1024 --arch "$TMP/dsp1024.yaml" --rows 1024 --cols 1 --k-max 2048
has_line rtl_size_dsp_chain_len "$TMP/dsp1024/params.json" '"chain_len": 1024'
has_line rtl_size_dsp_rows "$TMP/dsp1024/params.json" '"rows": 1024'

# ---- a wide block top: N_TILE 64 (lut-tc's M2N64K4 unit) reads its weights
# at {k, n}, constant column bits, not at k*64 + n (K_MAX*N:1 read muxes
# per port, docs/rtl.md "Steps"); N_TILE 3 keeps the product form
gen lut64 --arch lut-tc --rows 1 --cols 1 --k-max 32 --group 32
has_line rtl_size_wfetch_concat "$TMP/lut64/mpsim_top.v" "wire [1:0] w_63_3 = wmem[{kw_3, 6'd63}];"
has_line rtl_size_wfetch_kw "$TMP/lut64/mpsim_top.v" "wire [4:0] kw_3 = k0[4:0] + 5'd3;"
rm -rf "$TMP/lut64"
gen bf3 --pe bitfusion --weight int4 --rows 1 --cols 3 --k-max 8 --group 4
has_line rtl_size_wfetch_product "$TMP/bf3/mpsim_top.v" "wmem[kw_1 + 5'd2];"

# ---- rows > 256 lints (Verilator -Wall, no waivers) ---------------------
gen i300 --pe int8-mac --rows 300 --cols 1 --k-max 8
lint_dir size_300x1 "$TMP/i300"

# ---- co-simulation: 257 rows; a 21-bit ld_addr (17 x 65535 activations) --
# cosim_clean NAME DIR: 3 tiles, exit 0, 0 mismatches, cycle error 0
cosim_clean() { cosim_check "$1" 0 --rtl "$2" --tiles 3; }
gen c257 --pe int8-mac --weight int8 --rows 257 --cols 1 --k-max 8 \
    --no-scales --no-act-scale
cosim_clean cosim_size_257x1 "$TMP/c257"
gen c17 --pe int8-mac --weight int8 --rows 17 --cols 1 --k-max 65535 \
    --group 0 --no-scales --no-act-scale
has_line rtl_size_ld_addr_21 "$TMP/c17/mpsim_top.v" "input  wire [20:0] ld_addr,"
cosim_clean cosim_size_ld_addr_21 "$TMP/c17"

# ---- refusals: one line naming the field, no files -----------------------
# no_files NAME DIR: DIR is absent or empty
no_files() {
    if [ -z "$(ls -A "$2" 2>/dev/null)" ]; then ok "$1"
    else not_ok "$1 (left: $(ls "$2" | head -3 | tr '\n' ' '))"; fi
}
expect_error rtl_size_pes 'rows: a 1025 x 1024 array is 1049600 PEs, more than 1048576: the generator writes one instance per PE' \
    "$MPSIM" rtl --pe int8-mac --rows 1025 --cols 1024 -o "$TMP/no_pes"
no_files rtl_size_pes_nofile "$TMP/no_pes"
expect_error rtl_size_pes_cols 'cols: a 17 x 65536 array is 1114112 PEs' \
    "$MPSIM" rtl --pe int8-mac --rows 17 --cols 65536 -o "$TMP/no_pes"
expect_error rtl_size_results 'rows: a 192 x 6144 tile is 1179648 results, more than 1048576' \
    "$MPSIM" rtl --pe lut-tc --act fp16 --group 0 --rows 96 --cols 96 \
    --k-max 16 -o "$TMP/no_res"
no_files rtl_size_results_nofile "$TMP/no_res"
expect_error rtl_size_addr_33 'k-max: .* needs a 33-bit ld_addr, more than 32' \
    "$MPSIM" rtl --pe lut-tc --act fp16 --group 0 --rows 1 --cols 8192 \
    --k-max 16384 -o "$TMP/no_addr"
no_files rtl_size_addr_nofile "$TMP/no_addr"
expect_error rtl_size_rows_max '--rows: must be in 1..65536, got 65537' \
    "$MPSIM" rtl --pe int8-mac --rows 65537 --cols 1 -o "$TMP/no_rows"
"$MPSIM" rtl --pe int8-mac --rows 65537 -o "$TMP/no_rows" 2>/dev/null
rc=$?
if [ "$rc" -eq 2 ]; then ok rtl_size_rows_exit
else not_ok "rtl_size_rows_exit (exit $rc, want 2)"; fi
if "$MP" rtl --help | grep -q -- '--rows R .*1\.\.65536'; then ok rtl_size_help
else not_ok "rtl_size_help (--rows bound not in the help)"; fi
