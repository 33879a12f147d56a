// conv2d forward as implicit GEMM per group: M = Og output channels, N = batch*OH*OW output pixels,
// K = Cg*KH*KW. A is the weight [O, Cg*KH*KW] (row-major), B the virtual im2col matrix of x.
// pc = (hasBias, x offset, weight offset, out offset, bias offset).
inline void conv_forward_store(__global real* out, __global const real* bias, int16 g, int16 pc, int grp, int m, int col, real v) {
    int ohw = G_OH(g) * G_OW(g);
    int n = col / ohw, p = col % ohw;
    int o = grp * G_OG(g) + m;
    if (pc.s0) v += bias[pc.s4 + o];
    out[pc.s3 + (n * G_O(g) + o) * ohw + p] = v;
}
#define GEMM_KERNEL conv2d_forward
#define LOAD_A(m, k) A[pc.s2 + (batch * G_OG(pb) + (m)) * K + (k)]
#define LOAD_B(k, n) conv_im2col(B, pb, pc.s1, batch, k, n)
#define STORE_C(m, n, v) conv_forward_store(C, D, pb, pc, batch, m, n, v)
