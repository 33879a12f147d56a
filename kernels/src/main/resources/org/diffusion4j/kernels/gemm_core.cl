// The register-blocked GEMM core, C[m, n] = sum_k A[m, k] B[k, n], instantiated once per "loader" file:
// before this text the host places a file that #defines GEMM_KERNEL (the kernel's name) and the three
// accessors LOAD_A(m, k), LOAD_B(k, n) and STORE_C(m, n, v). The accessors may read the kernel's
// arguments (A, B, C, D, M, N, K, pa, pb, pc, batch), which is how one core serves matmul on any strides
// and the implicit-GEMM convolutions (which compute their im2col addresses on the fly and never
// materialise the unfolded matrix).
//
// Tiling (WG_M, WG_N, WPT_M, WPT_N, TK come from GemmConfig): a work-group of WG_N x WG_M items owns a
// TM x TN tile of C; each item accumulates WPT_M x WPT_N outputs in registers. K advances TK at a time
// through tiles of A and B staged in local memory (GemmConfig guarantees that the THREADS items split each
// tile evenly).
//
// Which rows and columns an item owns: strided in runs of VW (4 when WPT_M and WPT_N are multiples of 4,
// else 1), as CLBlast does: item (ty, tx) owns the rows (i / VW) * WG_M * VW + ty * VW + i % VW, and the
// columns likewise. Neighbouring items then read neighbouring vectors of local memory, and one vector
// load (LDS.128 on NVIDIA) brings VW operands: per step of k an item issues WPT_M / VW + WPT_N / VW local
// loads for WPT_M * WPT_N fused multiply-adds, instead of WPT_M + WPT_N. Local rows are padded by one
// vector: the transposing store of the A tile (consecutive items write consecutive k) then spreads over
// the banks, and vector reads stay aligned.
//
// Split-K (kSplit > 1): group z = batch * kSplit + split sums only its own slice of K and writes the raw
// partial sum to C[z, m, n]; the host then adds the kSplit partials in a fixed order (splitk_sum), so the
// result stays deterministic without atomics.

#define TM (WG_M * WPT_M)
#define TN (WG_N * WPT_N)
#define THREADS (WG_M * WG_N)
#define LOADS_A (TM * TK / THREADS)
#define LOADS_B (TN * TK / THREADS)

#if WPT_M % 4 == 0 && WPT_N % 4 == 0
#define VW 4
typedef real4 realv;
#define VUNPACK(dst, base, v) { dst[(base)] = (v).s0; dst[(base) + 1] = (v).s1; dst[(base) + 2] = (v).s2; dst[(base) + 3] = (v).s3; }
#else
#define VW 1
typedef real realv;
#define VUNPACK(dst, base, v) { dst[(base)] = (v); }
#endif
#define PITCH_A (TM + VW)
#define PITCH_B (TN + VW)
// the row (column) of the C tile held in an item's accumulator row i (column j)
#define ROW_OF(i, t, wg) (((i) / VW) * (wg) * VW + (t) * VW + (i) % VW)

__kernel __attribute__((reqd_work_group_size(WG_N, WG_M, 1)))
void GEMM_KERNEL(__global const real* A, __global const real* B, __global real* C, __global const real* D,
                 int M, int N, int K, int kSplit, int16 pa, int16 pb, int16 pc) {
    __local realv AsV[TK][TM / VW + 1];
    __local realv BsV[TK][TN / VW + 1];
    __local real* As = (__local real*) AsV;
    __local real* Bs = (__local real*) BsV;
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
        for (int e = 0; e < LOADS_A; e++) { int idx = tid + e * THREADS; As[(idx % TK) * PITCH_A + idx / TK] = nextA[e]; }
        #pragma unroll
        for (int e = 0; e < LOADS_B; e++) { int idx = tid + e * THREADS; Bs[(idx / TN) * PITCH_B + idx % TN] = nextB[e]; }
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
            for (int i = 0; i < WPT_M / VW; i++) { realv av = AsV[kk][i * WG_M + ty]; VUNPACK(a, i * VW, av); }
            #pragma unroll
            for (int j = 0; j < WPT_N / VW; j++) { realv bv = BsV[kk][j * WG_N + tx]; VUNPACK(b, j * VW, bv); }
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
            int m = m0 + ROW_OF(i, ty, WG_M), n = n0 + ROW_OF(j, tx, WG_N);
            if (m < M && n < N) {
                if (kSplit > 1) C[((long) z * M + m) * N + n] = acc[i][j];
                else { STORE_C(m, n, acc[i][j]); }
            }
        }
    }
}
