// Weight gradient of the convolution, the paths that are not the plain implicit GEMM
// (gemm_conv_backward_weight.cl). The host (ConvWeightGradientOps) picks one per shape:
//
// 1. 3x3, stride 1, padding 1, one group, >= 8 channels each way: Winograd F(2x2, 3x3) transposed. The forward
//    computes each 2x2 output block as Y = A^T [ (G g G^T) .* (B^T d B) ] A (Lavin & Gray, CVPR 2016; the
//    matrices are written in conv_winograd.cl). Y is bilinear in (g, d), so for a gradient dY of the block
//        <dY, Y> = < G^T [ (A dY A^T) .* (B^T d B) ] G , g >,
//    and the weight gradient of one filter g = w[o, c] is the sum over all blocks of G^T [ (A dY_o A^T) .* (B^T d_c B) ] G
//    (the transposition principle: this is F(3x3, 2x2), the 3x3 "output" being the filter). The sum over
//    blocks is, per position t of the 4x4 transformed tile, a matrix product
//        Mt[t] (C x O) = V[t] (C x P) Ugy[t] (P x O),   P = batch x tiles,
//    with V from conv_winograd.cl's winograd_input and Ugy from winograd_grad_out below; the 16 products run
//    on the GEMM core (batch 16, K = P split in slices summed in slice order) and winograd_grad_weight maps
//    Mt back to the 3x3 filters. 2.25 times fewer multiplications than the implicit GEMM.
// 2. Few output channels (O <= SMALL_O_MAX, the output convolution of a UNet has O = 1 or 3): a reduction.
//    A work-group owns one input channel c and a slice of the batch x output pixels; each item accumulates all
//    O x KH x KW sums over the pixels it visits (coalesced reads of x and gradOut), then the work-group adds
//    the items' sums by a fixed binary tree. Slices are added in slice order by splitk_sum.

// Ugy[t][p][o] = (A g A^T)[t] for the 2x2 block g of gradOut[n, o] at tile p (past the edge: 0), with
//     A = | 1  0 |
//         | 1  1 |
//         | 1 -1 |
//         | 0 -1 |     (the transpose of the forward's A^T).
// One item per (p, o), o fastest, so the 16 writes are coalesced.
__kernel void winograd_grad_out(__global const real* gy, int gyOff, int N, int O, int H, int W, __global real* Ugy) {
    const int TH = (H + 1) / 2, TW = (W + 1) / 2;
    const long P = (long) N * TH * TW;
    long idx = get_global_id(0);
    if (idx >= P * O) return;
    int o = (int) (idx % O);
    long p = idx / O;
    int tw = (int) (p % TW), th = (int) ((p / TW) % TH), n = (int) (p / ((long) TW * TH));
    __global const real* plane = gy + gyOff + ((long) n * O + o) * H * W;
    int h0 = 2 * th, w0 = 2 * tw;
    real g[2][2];
    for (int i = 0; i < 2; i++) {
        for (int j = 0; j < 2; j++) g[i][j] = (h0 + i < H && w0 + j < W) ? plane[(h0 + i) * W + w0 + j] : (real) 0;
    }
    real ag[4][2];  // A g
    for (int j = 0; j < 2; j++) {
        ag[0][j] = g[0][j];
        ag[1][j] = g[0][j] + g[1][j];
        ag[2][j] = g[0][j] - g[1][j];
        ag[3][j] = -g[1][j];
    }
    long stride = P * O;
    for (int i = 0; i < 4; i++) {  // (A g) A^T
        Ugy[(i * 4 + 0) * stride + idx] = ag[i][0];
        Ugy[(i * 4 + 1) * stride + idx] = ag[i][0] + ag[i][1];
        Ugy[(i * 4 + 2) * stride + idx] = ag[i][0] - ag[i][1];
        Ugy[(i * 4 + 3) * stride + idx] = -ag[i][1];
    }
}

// gradW[o, c] = G^T m G for the 16 sums m[t] = Mt[t][c][o], with
//     G^T = | 1  1/2  1/2  0 |
//           | 0  1/2 -1/2  0 |
//           | 0  1/2  1/2  1 |
// One item per (o, c), c fastest.
__kernel void winograd_grad_weight(__global const real* Mt, int O, int C, __global real* gw, int gwOff) {
    int idx = get_global_id(0);
    if (idx >= O * C) return;
    int o = idx / C, c = idx % C;
    long plane = (long) C * O, at = (long) c * O + o;
    real m[4][4];
    for (int t = 0; t < 16; t++) m[t / 4][t % 4] = Mt[t * plane + at];
    const real h = (real) 0.5;
    real gm[3][4];  // G^T m
    for (int j = 0; j < 4; j++) {
        gm[0][j] = m[0][j] + h * (m[1][j] + m[2][j]);
        gm[1][j] = h * (m[1][j] - m[2][j]);
        gm[2][j] = h * (m[1][j] + m[2][j]) + m[3][j];
    }
    __global real* f = gw + gwOff + (long) idx * 9;
    for (int i = 0; i < 3; i++) {  // (G^T m) G
        f[i * 3 + 0] = gm[i][0] + h * (gm[i][1] + gm[i][2]);
        f[i * 3 + 1] = h * (gm[i][1] - gm[i][2]);
        f[i * 3 + 2] = h * (gm[i][1] + gm[i][2]) + gm[i][3];
    }
}

#ifdef SMALL_O
// Build options: SMALL_O (output channels), KHW (kernel height x width), RED_WG (items per group, a power of 2).
// Geometry g as in gemm_conv_common.cl (general, not CONV_STATIC). Group (c, split) writes
// partial[outOff + ((split * O + o) * C + c) * KHW + r] (with one split: gradW itself); the host adds the
// splits in order.
#define SUMS (SMALL_O * KHW)
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void conv_weight_grad_small_o(__global const real* x, int xOff, __global const real* gy, int gyOff, int16 g,
                              int K, int kPer, __global real* partial, int outOff) {
    __local real sums[SUMS][RED_WG];
    const int lid = get_local_id(0), c = get_group_id(0), split = get_group_id(1);
    const int C = g.s0, H = g.s1, W = g.s2, KW = g.s4, OH = g.s5, OW = g.s6;
    const int ohw = OH * OW;
    real acc[SUMS];
    for (int s = 0; s < SUMS; s++) acc[s] = 0;
    const int kBegin = split * kPer, kEnd = min(K, kBegin + kPer);
    for (int k = kBegin + lid; k < kEnd; k += RED_WG) {
        int n = k / ohw, p = k % ohw, oh = p / OW, ow = p % OW;
        __global const real* plane = x + xOff + ((long) n * C + c) * H * W;
        for (int r = 0; r < KHW; r++) {
            int ih = oh * g.s7 - g.s9 + (r / KW) * g.sb, iw = ow * g.s8 - g.sa + (r % KW) * g.sc;
            real xv = (ih >= 0 && ih < H && iw >= 0 && iw < W) ? plane[ih * W + iw] : (real) 0;
            for (int o = 0; o < SMALL_O; o++) acc[o * KHW + r] = fma(gy[gyOff + ((long) n * SMALL_O + o) * ohw + p], xv, acc[o * KHW + r]);
        }
    }
    for (int s = 0; s < SUMS; s++) sums[s][lid] = acc[s];
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int span = RED_WG / 2; span > 0; span /= 2) {
        if (lid < span) for (int s = 0; s < SUMS; s++) sums[s][lid] += sums[s][lid + span];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    for (int s = lid; s < SUMS; s += RED_WG) {
        int o = s / KHW, r = s % KHW;
        partial[outOff + (((long) split * SMALL_O + o) * C + c) * KHW + r] = sums[s][0];
    }
}
#endif
