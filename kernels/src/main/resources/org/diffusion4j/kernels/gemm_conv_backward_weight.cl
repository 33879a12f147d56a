// Weight gradient of conv2d as implicit GEMM per group: gradW[o, (c,kh,kw)] = sum over (n, oh, ow) of
// gradOut[n, o, oh, ow] * im2col(x)[(c,kh,kw), (n,oh,ow)]: M = Og, N = Cg*KH*KW, K = batch*OH*OW.
// The long K runs in a fixed order inside each item; with split-K the host adds the slices in order.
// pc = (unused, gradOut offset, x offset, gradW offset).
#define GEMM_KERNEL conv2d_backward_weight
#define LOAD_A(m, k) A[pc.s1 + (((k) / (pb.s5 * pb.s6)) * pb.sf + batch * pb.se + (m)) * (pb.s5 * pb.s6) + (k) % (pb.s5 * pb.s6)]
#define LOAD_B(k, n) conv_im2col(B, pb, pc.s2, batch, n, k)
#define STORE_C(m, n, v) C[pc.s3 + (batch * M + (m)) * N + (n)] = (v)
