// mpsim_top.v - hand-written co-simulation fixture (NOT generated): a 2x2
// output-stationary INT8 x INT8 array with int32 output, following the
// common top-level protocol of docs/rtl.md.  It lets the cosim harness, the
// SystemC testbench and the broken-RTL test run without the generators.
//
// Dataflow: X row m enters column 0 skewed by m cycles, W column n enters
// row 0 skewed by n cycles; operands move right/down one PE per cycle, so
// PE(m,n) multiplies x[m][k] * w[k][n] at step k + m + n and accumulates
// the product on that step's edge, as the generated arrays do.  No
// scales, no zero points, no act_scale: Y = X x Wq exactly (int32).
// Cycles from the edge sampling `start` to `done`: K + ROWS + COLS - 2, the
// generated integer-output array's rtl_cycles (docs/rtl.md, int8-mac).
module mpsim_top (
    input  wire        clk,
    input  wire        rst_n,
    input  wire        ld_valid,
    output wire        ld_ready,
    input  wire [2:0]  ld_buf,
    input  wire [19:0] ld_addr,
    input  wire [31:0] ld_data,
    input  wire        start,
    input  wire [15:0] cfg_k,
    output reg         busy,
    output reg         done,
    input  wire [15:0] rd_idx,
    output reg  [31:0] rd_data
);
    localparam ROWS = 2;
    localparam COLS = 2;
    localparam K_MAX = 32;

    reg signed [7:0] x_mem [0:ROWS*K_MAX-1];
    reg signed [7:0] w_mem [0:K_MAX*COLS-1];

    reg [15:0] k_cfg;  // K of the running tile
    reg [15:0] step;   // compute step since start

    assign ld_ready = !busy;

    // Loads: X at m*K + k, Wq at k*COLS + n; other buffers are unused.
    always @(posedge clk) begin
        if (ld_valid && ld_ready && ld_buf == 3'd0 && ld_addr < ROWS*K_MAX)
            x_mem[ld_addr[5:0]] <= ld_data[7:0];
        if (ld_valid && ld_ready && ld_buf == 3'd1 && ld_addr < K_MAX*COLS)
            w_mem[ld_addr[5:0]] <= ld_data[7:0];
    end

    // Edge feeds: the operand entering row m / column n at this step, or 0
    // outside the tile's K (step < m wraps k_here above any K).
    wire signed [7:0] x_feed [0:ROWS-1];
    wire signed [7:0] w_feed [0:COLS-1];
    genvar m, n;
    generate
        for (m = 0; m < ROWS; m = m + 1) begin : g_xfeed
            wire [15:0] k_here = step - m;
            wire [15:0] x_addr = m * k_cfg + k_here;
            assign x_feed[m] = (busy && k_here < k_cfg)
                               ? x_mem[x_addr[5:0]] : 8'sd0;
            wire unused_x_addr = &{1'b0, x_addr[15:6]};
        end
        for (n = 0; n < COLS; n = n + 1) begin : g_wfeed
            wire [15:0] k_here = step - n;
            wire [15:0] w_addr = k_here * COLS + n;
            assign w_feed[n] = (busy && k_here < k_cfg)
                               ? w_mem[w_addr[5:0]] : 8'sd0;
            wire unused_w_addr = &{1'b0, w_addr[15:6]};
        end
    endgenerate

    // The PE grid: a PE multiplies the operands arriving this step (from
    // the edge feed or its left/upper neighbour's register), accumulates
    // the product and registers the operands for its right/lower
    // neighbour (a moving right, b moving down).
    reg signed [7:0]  a   [0:ROWS*COLS-1];
    reg signed [7:0]  b   [0:ROWS*COLS-1];
    reg signed [31:0] acc [0:ROWS*COLS-1];
    generate
        for (m = 0; m < ROWS; m = m + 1) begin : g_row
            for (n = 0; n < COLS; n = n + 1) begin : g_col
                wire signed [7:0] a_in = (n == 0) ? x_feed[m] : a[m*COLS+n-1];
                wire signed [7:0] b_in = (m == 0) ? w_feed[n] : b[(m-1)*COLS+n];
                wire signed [15:0] product = a_in * b_in;
                always @(posedge clk) begin
                    if (start && !busy) begin
                        a[m*COLS+n] <= 8'sd0;
                        b[m*COLS+n] <= 8'sd0;
                        acc[m*COLS+n] <= 32'sd0;
                    end else if (busy) begin
                        a[m*COLS+n] <= a_in;
                        b[m*COLS+n] <= b_in;
                        acc[m*COLS+n] <= acc[m*COLS+n]
                                         + {{16{product[15]}}, product};
                    end
                end
            end
        end
    endgenerate

    // Controller: the last product (k = K-1 at PE(ROWS-1, COLS-1)) is
    // accumulated on the edge of step K + ROWS + COLS - 3; done is set on
    // the same edge (the generated arrays' controller does the same).
    always @(posedge clk) begin
        if (!rst_n) begin
            busy <= 1'b0;
            done <= 1'b0;
            step <= 16'd0;
            k_cfg <= 16'd0;
        end else begin
            done <= 1'b0;
            if (start && !busy) begin
                busy <= 1'b1;
                step <= 16'd0;
                k_cfg <= cfg_k;
            end else if (busy) begin
                step <= step + 16'd1;
                if (step == k_cfg + ROWS + COLS - 3) begin
                    busy <= 1'b0;
                    done <= 1'b1;
                end
            end
        end
    end

    // 1-cycle registered read port.
    always @(posedge clk)
        rd_data <= (rd_idx < ROWS*COLS) ? acc[rd_idx[1:0]] : 32'd0;

    wire unused_ok = &{1'b0, ld_data[31:8], ld_addr[19:6], rd_idx[15:2]};
endmodule
