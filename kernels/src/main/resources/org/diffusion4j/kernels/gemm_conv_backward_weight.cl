// Weight gradient of conv2d as implicit GEMM per group: gradW[o, (c,kh,kw)] = sum over (n, oh, ow) of
// gradOut[n, o, oh, ow] * im2col(x)[(c,kh,kw), (n,oh,ow)]: M = Og, N = Cg*KH*KW, K = batch*OH*OW.
// The long K runs in a fixed order inside each item; with split-K the host adds the slices in order.
// pc = (unused, gradOut offset, x offset, gradW offset).
inline real conv_bwd_weight_a(__global const real* gy, int16 g, int gyOff, int grp, int o, int k) {
    int ohw = G_OH(g) * G_OW(g);
    int n = k / ohw, p = k % ohw;
    return gy[gyOff + (n * G_O(g) + grp * G_OG(g) + o) * ohw + p];
}
#define GEMM_KERNEL conv2d_backward_weight
#define LOAD_A(m, k) conv_bwd_weight_a(A, pb, pc.s1, batch, m, k)
#define LOAD_B(k, n) conv_im2col(B, pb, pc.s2, batch, n, k)
#define STORE_C(m, n, v) C[pc.s3 + (batch * M + (m)) * N + (n)] = (v)
