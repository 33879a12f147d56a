// Input gradient of conv2d: the transposed convolution, as implicit GEMM per group.
// gradIn[n, c, h, w] = sum over (o, kh, kw) of W[o, c, kh, kw] * gradOut[n, o, oh, ow] where
// oh*sh - ph + kh*dh = h (and the same for w): M = Cg, N = batch*H*W, K = Og*KH*KW.
// A[c, (o,kh,kw)] reads the weight, B[(o,kh,kw), (n,h,w)] reads gradOut where (h + ph - kh*dh) is a
// non-negative multiple of the stride inside the output, else 0.
// pc = (unused, gradOut offset, weight offset, gradIn offset).
inline real conv_bwd_input_a(__global const real* w, int16 g, int wOff, int grp, int c, int k) {
    int khw = g.s3 * g.s4;
    int o = k / khw, r = k % khw;
    return w[wOff + ((grp * g.se + o) * g.sd + c) * khw + r];
}
inline real conv_bwd_input_b(__global const real* gy, int16 g, int gyOff, int grp, int k, int col) {
    int khw = g.s3 * g.s4;
    int o = k / khw, r = k % khw;
    int kh = r / g.s4, kw = r % g.s4;
    int hw = g.s1 * g.s2;
    int n = col / hw, p = col % hw;
    int h = p / g.s2, w = p % g.s2;
    int th = h + g.s9 - kh * g.sb, tw = w + g.sa - kw * g.sc;
    if (th < 0 || tw < 0 || th % g.s7 != 0 || tw % g.s8 != 0) return (real) 0;
    int oh = th / g.s7, ow = tw / g.s8;
    if (oh >= g.s5 || ow >= g.s6) return (real) 0;
    return gy[gyOff + ((n * g.sf + grp * g.se + o) * g.s5 + oh) * g.s6 + ow];
}
#define GEMM_KERNEL conv2d_backward_input
#define LOAD_A(m, k) conv_bwd_input_a(A, pb, pc.s2, batch, m, k)
#define LOAD_B(k, n) conv_bwd_input_b(B, pb, pc.s1, batch, k, n)
#define STORE_C(m, n, v) C[pc.s3 + ((((n) / (pb.s1 * pb.s2)) * pb.s0 + batch * pb.sd + (m)) * (pb.s1 * pb.s2)) + (n) % (pb.s1 * pb.s2)] = (v)
