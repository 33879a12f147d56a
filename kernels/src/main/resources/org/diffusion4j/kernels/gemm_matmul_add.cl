// gemm_matmul with an epilogue: C = act((A B + bias) + residual), the Linear layer's bias (and SiLU) and a residual
// connection without extra passes. pa and pb as in gemm_matmul.cl. pc: s0-s2 C's offset, batch stride and row stride
// (C is contiguous along n); s3-s6 the bias's offset, batch, row and column strides (in D); s7-sa the residual's (in
// E); sb flags: 1 bias, 2 residual, 4 SiLU. Zero strides broadcast (Linear's bias [N] has batch and row stride 0).
// The additions and the SiLU are the same operations, in the same order, as matmul followed by add, add, silu.
inline real matmul_epilogue(real v, __global const real* bias, __global const real* res, int16 pc, int batch, int m, int n) {
    if (pc.sb & 1) v += bias[pc.s3 + batch * pc.s4 + m * pc.s5 + n * pc.s6];
    if (pc.sb & 2) v += res[pc.s7 + batch * pc.s8 + m * pc.s9 + n * pc.sa];
    if (pc.sb & 4) v = v * sigmoid_r(v);
    return v;
}

// Split-K: adds the kSplit partial sums of each element in order (as splitk_sum), then the epilogue.
__kernel void splitk_sum_add(__global const real* partial, int splits, int M, int N, int total, __global real* C,
                             __global const real* D, __global const real* E, int16 pc) {
    int i = get_global_id(0);
    if (i >= total) return;
    int mn = M * N, batch = i / mn, r = i % mn, m = r / N, n = r % N;
    real acc = 0;
    for (int s = 0; s < splits; s++) acc += partial[((long) batch * splits + s) * mn + r];
    C[pc.s0 + batch * pc.s1 + m * pc.s2 + n] = matmul_epilogue(acc, D, E, pc, batch, m, n);
}

#define LOAD_A(m, k) A[pa.s0 + batch * pa.s1 + (m) * pa.s2 + (k) * pa.s3]
#ifdef CONCAT_B
// B is the concatenation along K of two operands, as a 1x1 convolution of concat(x1, x2) along channels reads it: rows
// k < pb.s4 from B, the others from F, whose offset, batch, row and column strides are pb.s5-s8 (row k - pb.s4).
#define GEMM_KERNEL gemm_matmul_concat
#define GEMM_EXTRA_PARAMS , __global const real* E, __global const real* F
#define LOAD_B(k, n) ((k) < pb.s4 ? B[pb.s0 + batch * pb.s1 + (k) * pb.s2 + (n) * pb.s3] \
                              : F[pb.s5 + batch * pb.s6 + ((k) - pb.s4) * pb.s7 + (n) * pb.s8])
#else
#define GEMM_KERNEL gemm_matmul_add
#define GEMM_EXTRA_PARAMS , __global const real* E
#define LOAD_B(k, n) B[pb.s0 + batch * pb.s1 + (k) * pb.s2 + (n) * pb.s3]
#endif
#define STORE_C(m, n, v) C[pc.s0 + batch * pc.s1 + (m) * pc.s2 + (n)] = matmul_epilogue(v, D, E, pc, batch, m, n)
