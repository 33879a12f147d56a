// Batched matmul on any strides: pa = (offset, batch stride, row stride, column stride) of A, pb the same
// for B, pc = (offset, batch stride, row stride) of the contiguous C. The host folds the batch axes into
// one (or loops over the outer ones when they cannot be folded).
#define GEMM_KERNEL gemm_matmul
#define LOAD_A(m, k) A[pa.s0 + batch * pa.s1 + (m) * pa.s2 + (k) * pa.s3]
#define LOAD_B(k, n) B[pb.s0 + batch * pb.s1 + (k) * pb.s2 + (n) * pb.s3]
#define STORE_C(m, n, v) C[pc.s0 + batch * pc.s1 + (m) * pc.s2 + (n)] = (v)
