// Input gradient of conv2d: the transposed convolution, as implicit GEMM per group.
// gradIn[n, c, h, w] = sum over (o, kh, kw) of W[o, c, kh, kw] * gradOut[n, o, oh, ow] where
// oh*sh - ph + kh*dh = h (and the same for w): M = Cg, N = batch*H*W, K = Og*KH*KW.
// A[c, (o,kh,kw)] reads the weight, B[(o,kh,kw), (n,h,w)] reads gradOut where (h + ph - kh*dh) is a
// non-negative multiple of the stride inside the output, else 0.
// pc = (unused, gradOut offset, weight offset, gradIn offset).
inline real conv_bwd_input_a(__global const real* w, int16 g, int wOff, int grp, int c, int k) {
    int khw = G_KH(g) * G_KW(g);
    int o = k / khw, r = k % khw;
    return w[wOff + ((grp * G_OG(g) + o) * G_CG(g) + c) * khw + r];
}
inline real conv_bwd_input_b(__global const real* gy, int16 g, int gyOff, int grp, int k, int col) {
    int khw = G_KH(g) * G_KW(g);
    int o = k / khw, r = k % khw;
    int kh = r / G_KW(g), kw = r % G_KW(g);
    int hw = G_H(g) * G_W(g);
    int n = col / hw, p = col % hw;
    int h = p / G_W(g), w = p % G_W(g);
    int th = h + G_PH(g) - kh * G_DH(g), tw = w + G_PW(g) - kw * G_DW(g);
    if (th < 0 || tw < 0 || th % G_SH(g) != 0 || tw % G_SW(g) != 0) return (real) 0;
    int oh = th / G_SH(g), ow = tw / G_SW(g);
    if (oh >= G_OH(g) || ow >= G_OW(g)) return (real) 0;
    return gy[gyOff + ((n * G_O(g) + grp * G_OG(g) + o) * G_OH(g) + oh) * G_OW(g) + ow];
}
inline void conv_bwd_input_store(__global real* gx, int16 g, int gxOff, int grp, int c, int col, real v) {
    int hw = G_H(g) * G_W(g);
    int n = col / hw, p = col % hw;
    gx[gxOff + (n * G_C(g) + grp * G_CG(g) + c) * hw + p] = v;
}
#define GEMM_KERNEL conv2d_backward_input
#define LOAD_A(m, k) conv_bwd_input_a(A, pb, pc.s2, batch, m, k)
#define LOAD_B(k, n) conv_bwd_input_b(B, pb, pc.s1, batch, k, n)
#define STORE_C(m, n, v) conv_bwd_input_store(C, pb, pc.s3, batch, m, n, v)
