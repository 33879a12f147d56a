// Fused attention forward, register-blocked (the same mathematics as attention_forward in attention.cl:
// flash-style tiles, online softmax, Dao et al. 2022 and Milakov & Gimelshein 2018). The plain kernel gives
// every item a few logits and reads two local words per multiply-add; here the work-group is a TY x TX grid
// of items and each item owns a small block of every product, so the operands it loads from local memory
// are reused across its block (as in a register-blocked GEMM):
//   logits  S = Q K^T (TQ x TKV):  item (ty, tx) owns rows ty + r*TY (r < RQ) and keys tx + c*TX (c < RK);
//   output  O = P V   (TQ x E):    the same rows, and the 4-wide column vectors tx + c*TX (c < EC).
// Q, K and V are staged in local memory as vectors of 4 (rows padded with zeros to a multiple of 4, plus one
// vector so that items reading different rows at the same column hit different banks), so one local load
// brings 4 operands. K and V share one buffer: V is staged while one item per row does the softmax
// bookkeeping. Every sum keeps the order of the plain kernel: over d = 0, 1, ... for a logit, over the keys
// in order for an output.
//
// Build options: D_HEAD, E_HEAD (widths of q/k and of v), TQ (a multiple of TY), TKV (a multiple of TX).

#define TX 16
#define TY 8
#define WG (TX * TY)
#define CEIL_DIV(a, b) (((a) + (b) - 1) / (b))
#define DV CEIL_DIV(D_HEAD, 4)
#define EV CEIL_DIV(E_HEAD, 4)
#define KVV (DV > EV ? DV : EV)
#define RQ (TQ / TY)
#define RK (TKV / TX)
#define EC CEIL_DIV(EV, TX)

// Rows [row0, row0 + rows) of a [*, width] matrix into local vectors of 4 (past limit or width: zeros).
inline void stage_rows4(__local real4* dst, int pitch, __global const real* src, long srcRow0, int row0, int rows,
                        int limit, int width) {
    int vecs = CEIL_DIV(width, 4);
    for (int idx = get_local_id(0); idx < rows * vecs; idx += WG) {
        int r = idx / vecs, c = (idx % vecs) * 4;
        real4 val = (real4) 0;
        if (row0 + r < limit) {
            __global const real* p = src + (srcRow0 + r) * width + c;
            val.s0 = p[0];
            if (c + 1 < width) val.s1 = p[1];
            if (c + 2 < width) val.s2 = p[2];
            if (c + 3 < width) val.s3 = p[3];
        }
        dst[r * pitch + idx % vecs] = val;
    }
}

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void attention_forward_blocked(__global const real* q, int qOff, __global const real* k, int kOff,
                               __global const real* v, int vOff, __global const real* mask, int mOff,
                               int msb, int msl, int mss, int hasMask, real scale, int L, int S,
                               __global real* out, int outOff, __global real* lse, int lseOff, int hasLse) {
    __local real4 Qs[TQ][DV + 1];
    __local real4 KVs[TKV][KVV + 1];
    __local real Ps[TQ][TKV + 1];
    __local real rowM[TQ], rowL[TQ], rowScale[TQ];
    const int lid = get_local_id(0), tx = lid % TX, ty = lid / TX;
    const int b = get_group_id(1), q0 = get_group_id(0) * TQ;

    stage_rows4(&Qs[0][0], DV + 1, q + qOff, (long) b * L + q0, q0, TQ, L, D_HEAD);
    for (int i = lid; i < TQ; i += WG) { rowM[i] = (real) -INFINITY; rowL[i] = 0; }
    real4 acc[RQ][EC];
    #pragma unroll
    for (int r = 0; r < RQ; r++) {
        #pragma unroll
        for (int c = 0; c < EC; c++) acc[r][c] = (real4) 0;
    }

    for (int j0 = 0; j0 < S; j0 += TKV) {
        barrier(CLK_LOCAL_MEM_FENCE);
        stage_rows4(&KVs[0][0], KVV + 1, k + kOff, (long) b * S + j0, j0, TKV, S, D_HEAD);
        barrier(CLK_LOCAL_MEM_FENCE);
        // logits of the tile, an RQ x RK block per item
        real s[RQ][RK];
        #pragma unroll
        for (int r = 0; r < RQ; r++) {
            #pragma unroll
            for (int c = 0; c < RK; c++) s[r][c] = 0;
        }
        for (int d4 = 0; d4 < DV; d4++) {
            real4 qv[RQ], kv[RK];
            #pragma unroll
            for (int r = 0; r < RQ; r++) qv[r] = Qs[ty + r * TY][d4];
            #pragma unroll
            for (int c = 0; c < RK; c++) kv[c] = KVs[tx + c * TX][d4];
            #pragma unroll
            for (int r = 0; r < RQ; r++) {
                #pragma unroll
                for (int c = 0; c < RK; c++) {
                    real a = s[r][c];
                    a = fma(qv[r].s0, kv[c].s0, a);
                    a = fma(qv[r].s1, kv[c].s1, a);
                    a = fma(qv[r].s2, kv[c].s2, a);
                    a = fma(qv[r].s3, kv[c].s3, a);
                    s[r][c] = a;
                }
            }
        }
        #pragma unroll
        for (int r = 0; r < RQ; r++) {
            #pragma unroll
            for (int c = 0; c < RK; c++) {
                int i = ty + r * TY, jj = tx + c * TX;
                real val = (real) -INFINITY;
                if (q0 + i < L && j0 + jj < S) {
                    val = s[r][c] * scale;
                    if (hasMask) val += mask[mOff + b * msb + (q0 + i) * msl + (j0 + jj) * mss];
                }
                Ps[i][jj] = val;
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        // K is no longer needed: stage V in its place while one item per row does the online softmax
        stage_rows4(&KVs[0][0], KVV + 1, v + vOff, (long) b * S + j0, j0, TKV, S, E_HEAD);
        online_softmax_tile(&Ps[0][0], TKV + 1, TQ, TKV, rowM, rowL, rowScale, lid, WG);
        barrier(CLK_LOCAL_MEM_FENCE);
        // acc = acc * correction + P V, an RQ x EC block of 4-vectors per item
        #pragma unroll
        for (int r = 0; r < RQ; r++) {
            real corr = rowScale[ty + r * TY];
            #pragma unroll
            for (int c = 0; c < EC; c++) acc[r][c] *= corr;
        }
        for (int jj = 0; jj < TKV; jj++) {
            real p[RQ];
            #pragma unroll
            for (int r = 0; r < RQ; r++) p[r] = Ps[ty + r * TY][jj];
            #pragma unroll
            for (int c = 0; c < EC; c++) {
                if (c * TX + tx < EV) {
                    real4 vv = KVs[jj][c * TX + tx];
                    #pragma unroll
                    for (int r = 0; r < RQ; r++) acc[r][c] = fma((real4) p[r], vv, acc[r][c]);
                }
            }
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    #pragma unroll
    for (int r = 0; r < RQ; r++) {
        int i = ty + r * TY;
        if (q0 + i >= L) continue;
        real l = rowL[i];
        __global real* orow = out + outOff + ((long) b * L + q0 + i) * E_HEAD;
        #pragma unroll
        for (int c = 0; c < EC; c++) {
            int e = (c * TX + tx) * 4;
            if (e < E_HEAD) orow[e] = acc[r][c].s0 / l;
            if (e + 1 < E_HEAD) orow[e + 1] = acc[r][c].s1 / l;
            if (e + 2 < E_HEAD) orow[e + 2] = acc[r][c].s2 / l;
            if (e + 3 < E_HEAD) orow[e + 3] = acc[r][c].s3 / l;
        }
    }
    if (hasLse) for (int i = lid; i < TQ; i += WG) if (q0 + i < L) lse[lseOff + b * L + q0 + i] = rowM[i] + log(rowL[i]);
}
