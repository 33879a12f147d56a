// 3x3 convolution (stride 1, padding 1, dilation 1, one group) by Winograd's minimal filtering F(2x2, 3x3)
// (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", CVPR 2016, section 4). Each 2x2 block
// of outputs of one output channel is Y = A^T [ sum_c (G g_c G^T) .* (B^T d_c B) ] A, where g_c is the 3x3
// filter of input channel c and d_c the 4x4 input patch (padding read as 0) whose top-left corner sits one
// row and one column before the block. With
//     B^T = | 1  0 -1  0 |     G = | 1    0    0   |     A^T = | 1  1  1  0 |
//           | 0  1  1  0 |         | 1/2  1/2  1/2 |           | 0  1 -1 -1 |
//           | 0 -1  1  0 |         | 1/2 -1/2  1/2 |
//           | 0  1  0 -1 |         | 0    0    1   |
// the sum over c, for each of the 16 positions t of the 4x4 transformed tile, is a matrix product:
// M[t] (O x P) = U[t] (O x C) V[t] (C x P), P = batch x tiles. Three kernels here transform (weight -> U,
// input -> V, M -> output); the 16 products run on the GEMM core (gemm_matmul, batch 16). 2.25 times fewer
// multiplications than the direct convolution; every sum in a fixed order.
//
// Layouts: U [16][O][C], V [16][C][P], M [16][O][P]; tile p = (n * TH + th) * TW + tw, TH = ceil(H/2),
// TW = ceil(W/2) (the output has the input's size).

// U[t][o][c] = (G g G^T)[t] for the filter g = w[o, c, :, :]; one item per (o, c) of the [O][C] plane.
// With flip = 1 the plane is [C][O] instead, and g = w[o, c] rotated by 180 degrees: the filters of the
// input gradient, which is the 3x3 convolution of gradOut with the transposed, rotated weight.
__kernel void winograd_weight(__global const real* w, int wOff, int O, int C, int flip, __global real* U) {
    int idx = get_global_id(0);
    if (idx >= O * C) return;
    int o = flip ? idx % O : idx / C, c = flip ? idx / O : idx % C;
    __global const real* f = w + wOff + ((long) o * C + c) * 9;
    real g[9];
    for (int e = 0; e < 9; e++) g[e] = f[flip ? 8 - e : e];
    const real h = (real) 0.5;
    real gg[4][3];  // G g
    for (int j = 0; j < 3; j++) {
        real g0 = g[j], g1 = g[3 + j], g2 = g[6 + j];
        gg[0][j] = g0;
        gg[1][j] = h * (g0 + g1 + g2);
        gg[2][j] = h * (g0 - g1 + g2);
        gg[3][j] = g2;
    }
    long plane = (long) O * C;
    for (int i = 0; i < 4; i++) {  // (G g) G^T
        real a = gg[i][0], b = gg[i][1], c = gg[i][2];
        U[(i * 4 + 0) * plane + idx] = a;
        U[(i * 4 + 1) * plane + idx] = h * (a + b + c);
        U[(i * 4 + 2) * plane + idx] = h * (a - b + c);
        U[(i * 4 + 3) * plane + idx] = c;
    }
}

// V[t][c][p] = (B^T d B)[t] for the 4x4 patch of channel c at tile p; one item per (c, p), p fastest.
__kernel void winograd_input(__global const real* x, int xOff, int N, int C, int H, int W, __global real* V) {
    const int TH = (H + 1) / 2, TW = (W + 1) / 2;
    const long P = (long) N * TH * TW;
    long idx = get_global_id(0);
    if (idx >= P * C) return;
    int c = (int) (idx / P);
    long p = idx % P;
    int tw = (int) (p % TW), th = (int) ((p / TW) % TH), n = (int) (p / ((long) TW * TH));
    __global const real* plane = x + xOff + ((long) n * C + c) * H * W;
    int h0 = 2 * th - 1, w0 = 2 * tw - 1;
    real d[4][4];
    for (int i = 0; i < 4; i++) {
        int ih = h0 + i;
        for (int j = 0; j < 4; j++) {
            int iw = w0 + j;
            d[i][j] = (ih >= 0 && ih < H && iw >= 0 && iw < W) ? plane[ih * W + iw] : (real) 0;
        }
    }
    real bd[4][4];  // B^T d
    for (int j = 0; j < 4; j++) {
        bd[0][j] = d[0][j] - d[2][j];
        bd[1][j] = d[1][j] + d[2][j];
        bd[2][j] = d[2][j] - d[1][j];
        bd[3][j] = d[1][j] - d[3][j];
    }
    long stride = (long) C * P, at = (long) c * P + p;
    for (int i = 0; i < 4; i++) {  // (B^T d) B
        V[(i * 4 + 0) * stride + at] = bd[i][0] - bd[i][2];
        V[(i * 4 + 1) * stride + at] = bd[i][1] + bd[i][2];
        V[(i * 4 + 2) * stride + at] = bd[i][2] - bd[i][1];
        V[(i * 4 + 3) * stride + at] = bd[i][1] - bd[i][3];
    }
}

// out[n, o, 2th + i, 2tw + j] = (A^T m A)[i][j] (+ bias[o]) (+ sb[n, o]) (+ res[n, o, ., .]) for the 16 values
// m[t] = M[t][o][p]; one item per (o, p), p fastest. Rows and columns past the output (odd H or W) are not written.
// The optional per-sample bias sb (strides sbN, sbO) and residual (contiguous like out) are Backend#conv2dAdd's
// additions, done in its order, each rounded, so the result is bitwise that of the convolution followed by them.
__kernel void winograd_output(__global const real* Mt, int N, int O, int H, int W, __global real* out, int outOff,
                              __global const real* bias, int biasOff, int hasBias,
                              __global const real* sb, int sbOff, int sbN, int sbO, int hasSb,
                              __global const real* res, int resOff, int hasRes) {
    const int TH = (H + 1) / 2, TW = (W + 1) / 2;
    const long P = (long) N * TH * TW;
    long idx = get_global_id(0);
    if (idx >= P * O) return;
    int o = (int) (idx / P);
    long p = idx % P;
    int tw = (int) (p % TW), th = (int) ((p / TW) % TH), n = (int) (p / ((long) TW * TH));
    long stride = (long) O * P, at = (long) o * P + p;
    real m[4][4];
    for (int t = 0; t < 16; t++) m[t / 4][t % 4] = Mt[t * stride + at];
    real am[2][4];  // A^T m
    for (int j = 0; j < 4; j++) {
        am[0][j] = m[0][j] + m[1][j] + m[2][j];
        am[1][j] = m[1][j] - m[2][j] - m[3][j];
    }
    real add = hasBias ? bias[biasOff + o] : (real) 0;
    real perSample = hasSb ? sb[sbOff + (long) n * sbN + (long) o * sbO] : (real) 0;
    long planeAt = ((long) n * O + o) * H * W;
    __global real* plane = out + outOff + planeAt;
    __global const real* resPlane = res + resOff + planeAt;
    for (int i = 0; i < 2; i++) {  // (A^T m) A
        int oh = 2 * th + i;
        if (oh >= H) continue;
        real y[2];
        y[0] = am[i][0] + am[i][1] + am[i][2];
        y[1] = am[i][1] - am[i][2] - am[i][3];
        for (int j = 0; j < 2 && 2 * tw + j < W; j++) {
            int at = oh * W + 2 * tw + j;
            real v = y[j] + add;
            if (hasSb) v = v + perSample;
            if (hasRes) v = v + resPlane[at];
            plane[at] = v;
        }
    }
}
