// The register-blocked GEMM core, C[m, n] = sum_k A[m, k] B[k, n], instantiated once per "loader" file:
// before this text the host places a file that #defines GEMM_KERNEL (the kernel's name) and the three
// accessors LOAD_A(m, k), LOAD_B(k, n) and STORE_C(m, n, v). The accessors may read the kernel's
// arguments (A, B, C, D, M, N, K, pa, pb, pc, batch), which is how one core serves matmul on any strides
// and the implicit-GEMM convolutions (which compute their im2col addresses on the fly and never
// materialise the unfolded matrix).
//
// Tiling (WG_M, WG_N, WPT_M, WPT_N, TK come from GemmConfig): a work-group of WG_N x WG_M items owns a
// TM x TN tile of C; each item accumulates WPT_M x WPT_N outputs in registers, the rows ty + i*WG_M and
// columns tx + j*WG_N (a strided assignment, so that neighbouring items read neighbouring local words).
// K advances TK at a time through tiles of A and B staged in local memory (GemmConfig guarantees that the
// THREADS items split each tile evenly).
//
// Split-K (kSplit > 1): group z = batch * kSplit + split sums only its own slice of K and writes the raw
// partial sum to C[z, m, n]; the host then adds the kSplit partials in a fixed order (splitk_sum), so the
// result stays deterministic without atomics.

#define TM (WG_M * WPT_M)
#define TN (WG_N * WPT_N)
#define THREADS (WG_M * WG_N)
#define LOADS_A (TM * TK / THREADS)
#define LOADS_B (TN * TK / THREADS)

// A loader may declare more parameters after pc with GEMM_EXTRA_PARAMS (", __global const real* E").
#ifndef GEMM_EXTRA_PARAMS
#define GEMM_EXTRA_PARAMS
#endif

__kernel __attribute__((reqd_work_group_size(WG_N, WG_M, 1)))
void GEMM_KERNEL(__global const real* A, __global const real* B, __global real* C, __global const real* D,
                 int M, int N, int K, int kSplit, int16 pa, int16 pb, int16 pc GEMM_EXTRA_PARAMS) {
    __local real As[TK][TM + 1];
    __local real Bs[TK][TN + 1];
    const int tx = get_local_id(0), ty = get_local_id(1);
    const int tid = ty * WG_N + tx;
    const int m0 = get_group_id(1) * TM, n0 = get_group_id(0) * TN;
    const int z = get_group_id(2);
    const int batch = z / kSplit, split = z % kSplit;
    const int kPer = ((K + kSplit - 1) / kSplit + TK - 1) / TK * TK;
    const int kBegin = split * kPer;
    const int kEnd = min(K, kBegin + kPer);

    real acc[WPT_M][WPT_N];
    #pragma unroll
    for (int i = 0; i < WPT_M; i++) {
        #pragma unroll
        for (int j = 0; j < WPT_N; j++) acc[i][j] = 0;
    }

    // Double buffering through registers: while the work-group computes on the tile in local memory, each
    // item already holds its share of the next tile (LOADS_A + LOADS_B elements) in registers, so global
    // latency overlaps the arithmetic. Element e of an item's share is tile position tid + e * threads.
    real nextA[LOADS_A], nextB[LOADS_B];
    #pragma unroll
    for (int e = 0; e < LOADS_A; e++) {
        int idx = tid + e * THREADS, kk = idx % TK, mm = idx / TK;
        int m = m0 + mm, k = kBegin + kk;
        nextA[e] = (m < M && k < kEnd) ? (LOAD_A(m, k)) : (real) 0;
    }
    #pragma unroll
    for (int e = 0; e < LOADS_B; e++) {
        int idx = tid + e * THREADS, nn = idx % TN, kk = idx / TN;
        int n = n0 + nn, k = kBegin + kk;
        nextB[e] = (n < N && k < kEnd) ? (LOAD_B(k, n)) : (real) 0;
    }

    for (int k0 = kBegin; k0 < kEnd; k0 += TK) {
        #pragma unroll
        for (int e = 0; e < LOADS_A; e++) { int idx = tid + e * THREADS; As[idx % TK][idx / TK] = nextA[e]; }
        #pragma unroll
        for (int e = 0; e < LOADS_B; e++) { int idx = tid + e * THREADS; Bs[idx / TN][idx % TN] = nextB[e]; }
        barrier(CLK_LOCAL_MEM_FENCE);
        const int k1 = k0 + TK;
        if (k1 < kEnd) {
            #pragma unroll
            for (int e = 0; e < LOADS_A; e++) {
                int idx = tid + e * THREADS, kk = idx % TK, mm = idx / TK;
                int m = m0 + mm, k = k1 + kk;
                nextA[e] = (m < M && k < kEnd) ? (LOAD_A(m, k)) : (real) 0;
            }
            #pragma unroll
            for (int e = 0; e < LOADS_B; e++) {
                int idx = tid + e * THREADS, nn = idx % TN, kk = idx / TN;
                int n = n0 + nn, k = k1 + kk;
                nextB[e] = (n < N && k < kEnd) ? (LOAD_B(k, n)) : (real) 0;
            }
        }
        #pragma unroll
        for (int kk = 0; kk < TK; kk++) {
            real a[WPT_M], b[WPT_N];
            #pragma unroll
            for (int i = 0; i < WPT_M; i++) a[i] = As[kk][ty + i * WG_M];
            #pragma unroll
            for (int j = 0; j < WPT_N; j++) b[j] = Bs[kk][tx + j * WG_N];
            #pragma unroll
            for (int i = 0; i < WPT_M; i++) {
                #pragma unroll
                for (int j = 0; j < WPT_N; j++) acc[i][j] = fma(a[i], b[j], acc[i][j]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }

    #pragma unroll
    for (int i = 0; i < WPT_M; i++) {
        #pragma unroll
        for (int j = 0; j < WPT_N; j++) {
            int m = m0 + ty + i * WG_M, n = n0 + tx + j * WG_N;
            if (m < M && n < N) {
                if (kSplit > 1) C[((long) z * M + m) * N + n] = acc[i][j];
                else { STORE_C(m, n, acc[i][j]); }
            }
        }
    }
}
