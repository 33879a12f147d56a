// The tensor-core GEMM core, C[m, n] = sum_k A[m, k] B[k, n], for the tf32 and 3xtf32 precision policies.
// Same contract as gemm_core.cl: a loader file placed before this text #defines GEMM_KERNEL, LOAD_A(m, k),
// LOAD_B(k, n) and STORE_C(m, n, v); the kernel's arguments, split-K and the batch index are the same, so
// matmul, the implicit-GEMM convolutions and the Winograd products reuse their loaders unchanged.
//
// NVIDIA only: the products are PTX `mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32` (inline PTX, which
// NVIDIA's OpenCL compiler accepts; sm_80 and newer), operands rounded by `cvt.rna.tf32.f32`. The host builds
// this program only when the policy asks for it, so no other driver ever compiles it.
//
// Tiling (MmaConfig): WARPS_M x WARPS_N warps of 32 lanes; each warp owns MT x NT mma tiles of 16 x 8, so a
// work-group computes a TM x TN tile of C. K advances TK = 16 at a time (two k-steps of 8). The A and B tiles
// are staged in local memory, double-buffered: while the warps multiply out of one buffer, every item holds
// its share of the next tile in registers (loaded from global memory before the products) and writes it to
// the other buffer after them; one barrier per K-tile.
//
// Fragment layouts (PTX ISA, "Matrix fragments for mma.m16n8k8", .tf32), with g = lane / 4, t = lane % 4:
//   A (16 x 8, row): a0 = (g, t), a1 = (g + 8, t), a2 = (g, t + 4), a3 = (g + 8, t + 4)
//   B (8 x 8, col):  b0 = (t, g), b1 = (t + 4, g)
//   C (16 x 8):      c0 = (g, 2t), c1 = (g, 2t + 1), c2 = (g + 8, 2t), c3 = (g + 8, 2t + 1)
// Local rows are padded (A by 4 words, B by 8) so the 32 lanes of a fragment load hit 32 different banks.
//
// MMA_3X: 3xTF32. Local memory holds the raw F32 values; each fragment element x is split into
// hi = tf32(x) and lo = tf32(x - hi) and the warp accumulates lo(a) hi(b) + hi(a) lo(b) + hi(a) hi(b)
// (small terms first, as CUTLASS orders them). Otherwise (tf32) the values are rounded once, as they are
// written to local memory.
//
// Accumulation under MMA_3X: the tensor cores' own additions are not round-to-nearest (measured on an H200:
// with one accumulator over K = 1024 the error against F64 was 3.4x strict FP32's, a bias that grows with K).
// So each K-tile's 16 products go into a fresh tile accumulator, which is then added to the running sum with
// an ordinary (round-to-nearest) FP32 addition: the biased additions only ever see 16 terms.

#define TM (WARPS_M * MT * 16)
#define TN (WARPS_N * NT * 8)
#define THREADS (WARPS_M * WARPS_N * 32)
#define TK 16
#define AS_STRIDE (TK + 4)
#define BS_STRIDE (TN + 8)
#define LOADS_A (TM * TK / THREADS)
#define LOADS_B (TN * TK / THREADS)

inline uint tf32_rna(float x) {
    uint r;
    asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
    return r;
}

#ifdef MMA_3X
#define TO_LOCAL(x) as_uint(x)
#else
#define TO_LOCAL(x) tf32_rna(x)
#endif

// acc (4 floats) += a (4 tf32 words) * b (2 tf32 words)
#define MMA_TF32(acc, a, b) \
    asm volatile("mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, {%0,%1,%2,%3};" \
                 : "+f"((acc)[0]), "+f"((acc)[1]), "+f"((acc)[2]), "+f"((acc)[3]) \
                 : "r"((a)[0]), "r"((a)[1]), "r"((a)[2]), "r"((a)[3]), "r"((b)[0]), "r"((b)[1]))

__kernel __attribute__((reqd_work_group_size(THREADS, 1, 1)))
void GEMM_KERNEL(__global const float* A, __global const float* B, __global float* C, __global const float* D,
                 int M, int N, int K, int kSplit, int16 pa, int16 pb, int16 pc) {
    __local uint As[2][TM * AS_STRIDE];
    __local uint Bs[2][TK * BS_STRIDE];
    const int tid = get_local_id(0);
    const int lane = tid % 32, warp = tid / 32;
    const int g = lane / 4, t = lane % 4;
    const int wm = (warp / WARPS_N) * (MT * 16), wn = (warp % WARPS_N) * (NT * 8);
    const int m0 = get_group_id(1) * TM, n0 = get_group_id(0) * TN;
    const int z = get_group_id(2);
    const int batch = z / kSplit, split = z % kSplit;
    const int kPer = ((K + kSplit - 1) / kSplit + TK - 1) / TK * TK;
    const int kBegin = split * kPer;
    const int kEnd = min(K, kBegin + kPer);

    float acc[MT][NT][4];
    #pragma unroll
    for (int i = 0; i < MT; i++) {
        #pragma unroll
        for (int j = 0; j < NT; j++) {
            #pragma unroll
            for (int r = 0; r < 4; r++) acc[i][j][r] = 0.0f;
        }
    }

    // Element e of an item's share of a tile is position tid + e * THREADS: A row-major over (m, k) with k
    // fastest, B over (k, n) with n fastest, so neighbouring items read neighbouring global addresses.
    float nextA[LOADS_A], nextB[LOADS_B];
    #define LOAD_TILE(kt) { \
        for (int e = 0; e < LOADS_A; e++) { \
            int idx = tid + e * THREADS, kk = idx % TK, mm = idx / TK; \
            int m = m0 + mm, k = (kt) + kk; \
            nextA[e] = (m < M && k < kEnd) ? (LOAD_A(m, k)) : 0.0f; \
        } \
        for (int e = 0; e < LOADS_B; e++) { \
            int idx = tid + e * THREADS, nn = idx % TN, kk = idx / TN; \
            int n = n0 + nn, k = (kt) + kk; \
            nextB[e] = (n < N && k < kEnd) ? (LOAD_B(k, n)) : 0.0f; \
        } }
    #define STORE_TILE(buf) { \
        for (int e = 0; e < LOADS_A; e++) { \
            int idx = tid + e * THREADS; As[buf][(idx / TK) * AS_STRIDE + idx % TK] = TO_LOCAL(nextA[e]); \
        } \
        for (int e = 0; e < LOADS_B; e++) { \
            int idx = tid + e * THREADS; Bs[buf][(idx / TN) * BS_STRIDE + idx % TN] = TO_LOCAL(nextB[e]); \
        } }

    if (kBegin < kEnd) {
        LOAD_TILE(kBegin);
        STORE_TILE(0);
    }
    barrier(CLK_LOCAL_MEM_FENCE);

    int buf = 0;
    for (int k0 = kBegin; k0 < kEnd; k0 += TK) {
        const bool more = k0 + TK < kEnd;
        if (more) LOAD_TILE(k0 + TK);
        __local const uint* as = As[buf];
        __local const uint* bs = Bs[buf];
#ifdef MMA_3X
        float tacc[MT][NT][4];
        #pragma unroll
        for (int i = 0; i < MT; i++) {
            #pragma unroll
            for (int j = 0; j < NT; j++) {
                #pragma unroll
                for (int r = 0; r < 4; r++) tacc[i][j][r] = 0.0f;
            }
        }
#endif
        #pragma unroll
        for (int ks = 0; ks < TK; ks += 8) {
            uint a[MT][4], b[NT][2];
            #pragma unroll
            for (int i = 0; i < MT; i++) {
                int r = wm + i * 16 + g;
                a[i][0] = as[r * AS_STRIDE + ks + t];
                a[i][1] = as[(r + 8) * AS_STRIDE + ks + t];
                a[i][2] = as[r * AS_STRIDE + ks + t + 4];
                a[i][3] = as[(r + 8) * AS_STRIDE + ks + t + 4];
            }
            #pragma unroll
            for (int j = 0; j < NT; j++) {
                int c = wn + j * 8 + g;
                b[j][0] = bs[(ks + t) * BS_STRIDE + c];
                b[j][1] = bs[(ks + t + 4) * BS_STRIDE + c];
            }
#ifdef MMA_3X
            uint aLo[MT][4], bLo[NT][2];
            #pragma unroll
            for (int i = 0; i < MT; i++) {
                #pragma unroll
                for (int r = 0; r < 4; r++) {
                    float x = as_float(a[i][r]);
                    a[i][r] = tf32_rna(x);
                    aLo[i][r] = tf32_rna(x - as_float(a[i][r]));
                }
            }
            #pragma unroll
            for (int j = 0; j < NT; j++) {
                #pragma unroll
                for (int r = 0; r < 2; r++) {
                    float x = as_float(b[j][r]);
                    b[j][r] = tf32_rna(x);
                    bLo[j][r] = tf32_rna(x - as_float(b[j][r]));
                }
            }
            #pragma unroll
            for (int i = 0; i < MT; i++) {
                #pragma unroll
                for (int j = 0; j < NT; j++) {
                    MMA_TF32(tacc[i][j], aLo[i], b[j]);
                    MMA_TF32(tacc[i][j], a[i], bLo[j]);
                    MMA_TF32(tacc[i][j], a[i], b[j]);
                }
            }
#else
            #pragma unroll
            for (int i = 0; i < MT; i++) {
                #pragma unroll
                for (int j = 0; j < NT; j++) MMA_TF32(acc[i][j], a[i], b[j]);
            }
#endif
        }
#ifdef MMA_3X
        #pragma unroll
        for (int i = 0; i < MT; i++) {
            #pragma unroll
            for (int j = 0; j < NT; j++) {
                #pragma unroll
                for (int r = 0; r < 4; r++) acc[i][j][r] += tacc[i][j][r];
            }
        }
#endif
        if (more) STORE_TILE(buf ^ 1);
        barrier(CLK_LOCAL_MEM_FENCE);
        buf ^= 1;
    }

    #pragma unroll
    for (int i = 0; i < MT; i++) {
        #pragma unroll
        for (int j = 0; j < NT; j++) {
            #pragma unroll
            for (int r = 0; r < 4; r++) {
                int m = m0 + wm + i * 16 + g + (r >= 2 ? 8 : 0);
                int n = n0 + wn + j * 8 + 2 * t + (r & 1);
                if (m < M && n < N) {
                    if (kSplit > 1) C[((long) z * M + m) * N + n] = acc[i][j][r];
                    else { STORE_C(m, n, acc[i][j][r]); }
                }
            }
        }
    }
}
