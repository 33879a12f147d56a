// Attention backward, flash-style and register-blocked (FlashAttention-2's backward, Dao 2023, Algorithm 2,
// made deterministic). With P_ij = exp(s_ij - lse_i) recomputed from the forward's log-sum-exp, dP = dO V^T,
// Delta_i = dO_i . O_i (= sum_j P_ij dP_ij) and dS_ij = P_ij (dP_ij - Delta_i):
//     dV = P^T dO,   dK = scale * dS^T Q,   dQ = scale * dS K.
// attention_backward_blocked owns one block of TKV keys of one batch element and walks over all query blocks
// of TQ rows: it keeps dK and dV of its keys in registers, and writes the block's share of dQ,
// dS_(query block, key block) K_(key block), to dqPart[key block]. attention_backward_dq_sum then adds the
// key blocks' shares in key-block order (FlashAttention adds them with atomics; here the order is fixed, so
// the result is bitwise reproducible). No L x S matrix reaches global memory: P and dS live in local memory,
// one TQ x TKV tile at a time. Five matrix products per tile (S, dP, dV, dK, dQ), none recomputed.
//
// The work-group is a TY x TX grid of items (as in attention_forward.cl); item (ty, tx) owns
//   S, dP (TQ x TKV):   query rows ty + r*TY (r < RQ), keys tx + c*TX (c < RK);
//   dV, dK (TKV x E/D): key rows ty + r*TY (r < RKR), 4-wide columns tx + c*TX (c < EC / DC);
//   dQ share (TQ x D):  query rows ty + r*TY (r < RQ), 4-wide columns tx + c*TX (c < DC).
// K, Q and dO are staged in local memory as 4-vectors (rows padded with zeros to a multiple of 4, and one
// vector more so that items reading different rows at the same column hit different banks); V is read
// through the cache (the 48 KiB of local memory hold K, Q and dO but not V as well at D = E = 128).
// Every sum runs in a fixed order: over d (e) for S (dP), over the query rows in order for dV and dK, over
// the block's keys in order for a dQ share, then over the key blocks in order.
//
// Build options: D_HEAD, E_HEAD (widths of q/k and of v), TQ (a multiple of TY), TKV (a multiple of TX and TY);
// STAGE_V: stage the V tile in local memory too (for tiles small enough to hold it), instead of reading it
// through the cache; UNROLL_DOTS: unroll the loops over d (e) of S and dP by 4, so that more loads are in flight.

#define TX 16
#define TY 8
#define WG (TX * TY)
#define CEIL_DIV(a, b) (((a) + (b) - 1) / (b))
#define DV CEIL_DIV(D_HEAD, 4)
#define EV CEIL_DIV(E_HEAD, 4)
#define RQ (TQ / TY)
#define RK (TKV / TX)
#define RKR (TKV / TY)
#define DC CEIL_DIV(DV, TX)
#define EC CEIL_DIV(EV, TX)
#ifdef UNROLL_DOTS
#define DOT_UNROLL _Pragma("unroll 4")
#else
#define DOT_UNROLL
#endif

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

// The 4-vector c4 of a row of width `width` in global memory (past the width: zeros).
inline real4 load_row4(__global const real* row, int c4, int width) {
    int c = c4 * 4;
    if (c + 4 <= width) return vload4(0, row + c);
    real4 val = (real4) 0;
    if (c < width) val.s0 = row[c];
    if (c + 1 < width) val.s1 = row[c + 1];
    if (c + 2 < width) val.s2 = row[c + 2];
    return val;
}

inline real dot4(real4 a, real4 b, real acc) {
    acc = fma(a.s0, b.s0, acc);
    acc = fma(a.s1, b.s1, acc);
    acc = fma(a.s2, b.s2, acc);
    return fma(a.s3, b.s3, acc);
}

// Delta_r = dO_r . O_r for every row r of the [rows, E] matrices; one item per row, e in order.
__kernel void attention_backward_delta(__global const real* o, int oOff, __global const real* gout, int gOff, int rows,
                                       __global real* delta) {
    int r = get_global_id(0);
    if (r >= rows) return;
    __global const real* orow = o + oOff + (long) r * E_HEAD;
    __global const real* grow = gout + gOff + (long) r * E_HEAD;
    real acc = 0;
    for (int e = 0; e < E_HEAD; e++) acc = fma(grow[e], orow[e], acc);
    delta[r] = acc;
}

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void attention_backward_blocked(__global const real* q, int qOff, __global const real* k, int kOff,
                                __global const real* v, int vOff, __global const real* mask, int mOff,
                                int msb, int msl, int mss, int hasMask, real scale, int L, int S,
                                __global const real* lse, int lseOff, __global const real* gout, int gOff,
                                __global const real* delta, __global real* gk, int gkOff, __global real* gv, int gvOff,
                                __global real* dqPart) {
    __local real4 Ks[TKV][DV + 1];
    __local real4 Qs[TQ][DV + 1];
    __local real4 Gs[TQ][EV + 1];
#ifdef STAGE_V
    __local real4 Vs[TKV][EV + 1];
#endif
    __local real Ps[TQ][TKV + 1];
    __local real dSs[TQ][TKV + 1];
    __local real lseS[TQ], deltaS[TQ];
    const int lid = get_local_id(0), tx = lid % TX, ty = lid / TX;
    const int jb = get_group_id(0), b = get_group_id(1), B = get_num_groups(1), j0 = jb * TKV;

    stage_rows4(&Ks[0][0], DV + 1, k + kOff, (long) b * S + j0, j0, TKV, S, D_HEAD);
#ifdef STAGE_V
    stage_rows4(&Vs[0][0], EV + 1, v + vOff, (long) b * S + j0, j0, TKV, S, E_HEAD);
#endif
    real4 accK[RKR][DC], accV[RKR][EC];
    #pragma unroll
    for (int r = 0; r < RKR; r++) {
        #pragma unroll
        for (int c = 0; c < DC; c++) accK[r][c] = (real4) 0;
        #pragma unroll
        for (int c = 0; c < EC; c++) accV[r][c] = (real4) 0;
    }
    // the rows of V this item reads for dP (a zero row past S)
    __global const real* vrow[RK];
    #pragma unroll
    for (int c = 0; c < RK; c++) {
        int j = j0 + tx + c * TX;
        vrow[c] = j < S ? v + vOff + ((long) b * S + j) * E_HEAD : (__global const real*) 0;
    }

    for (int i0 = 0; i0 < L; i0 += TQ) {
        barrier(CLK_LOCAL_MEM_FENCE);
        stage_rows4(&Qs[0][0], DV + 1, q + qOff, (long) b * L + i0, i0, TQ, L, D_HEAD);
        stage_rows4(&Gs[0][0], EV + 1, gout + gOff, (long) b * L + i0, i0, TQ, L, E_HEAD);
        for (int i = lid; i < TQ; i += WG) {
            lseS[i] = i0 + i < L ? lse[lseOff + b * L + i0 + i] : (real) 0;
            deltaS[i] = i0 + i < L ? delta[b * L + i0 + i] : (real) 0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);

        // S = Q K^T and dP = dO V^T, an RQ x RK block of each per item
        real s[RQ][RK], dp[RQ][RK];
        #pragma unroll
        for (int r = 0; r < RQ; r++) {
            #pragma unroll
            for (int c = 0; c < RK; c++) { s[r][c] = 0; dp[r][c] = 0; }
        }
        DOT_UNROLL
        for (int d4 = 0; d4 < DV; d4++) {
            real4 qv[RQ], kv[RK];
            #pragma unroll
            for (int r = 0; r < RQ; r++) qv[r] = Qs[ty + r * TY][d4];
            #pragma unroll
            for (int c = 0; c < RK; c++) kv[c] = Ks[tx + c * TX][d4];
            #pragma unroll
            for (int r = 0; r < RQ; r++) {
                #pragma unroll
                for (int c = 0; c < RK; c++) s[r][c] = dot4(qv[r], kv[c], s[r][c]);
            }
        }
        DOT_UNROLL
        for (int e4 = 0; e4 < EV; e4++) {
            real4 gv4[RQ], vv[RK];
            #pragma unroll
            for (int r = 0; r < RQ; r++) gv4[r] = Gs[ty + r * TY][e4];
            #pragma unroll
            for (int c = 0; c < RK; c++) {
#ifdef STAGE_V
                vv[c] = Vs[tx + c * TX][e4];
#else
                vv[c] = vrow[c] ? load_row4(vrow[c], e4, E_HEAD) : (real4) 0;
#endif
            }
            #pragma unroll
            for (int r = 0; r < RQ; r++) {
                #pragma unroll
                for (int c = 0; c < RK; c++) dp[r][c] = dot4(gv4[r], vv[c], dp[r][c]);
            }
        }
        #pragma unroll
        for (int r = 0; r < RQ; r++) {
            #pragma unroll
            for (int c = 0; c < RK; c++) {
                int i = ty + r * TY, jj = tx + c * TX;
                real p = 0, ds = 0;
                if (i0 + i < L && j0 + jj < S) {
                    real logit = s[r][c] * scale;
                    if (hasMask) logit += mask[mOff + b * msb + (i0 + i) * msl + (j0 + jj) * mss];
                    p = exp(logit - lseS[i]);
                    ds = p * (dp[r][c] - deltaS[i]);
                }
                Ps[i][jj] = p;
                dSs[i][jj] = ds;
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);

        // dV += P^T dO and dK += dS^T Q (scaled at the end), over the query rows in order
        for (int i = 0; i < TQ; i++) {
            real pj[RKR], dsj[RKR];
            #pragma unroll
            for (int r = 0; r < RKR; r++) { pj[r] = Ps[i][ty + r * TY]; dsj[r] = dSs[i][ty + r * TY]; }
            #pragma unroll
            for (int c = 0; c < EC; c++) {
                if (c * TX + tx < EV) {
                    real4 g4 = Gs[i][c * TX + tx];
                    #pragma unroll
                    for (int r = 0; r < RKR; r++) accV[r][c] = fma((real4) pj[r], g4, accV[r][c]);
                }
            }
            #pragma unroll
            for (int c = 0; c < DC; c++) {
                if (c * TX + tx < DV) {
                    real4 q4 = Qs[i][c * TX + tx];
                    #pragma unroll
                    for (int r = 0; r < RKR; r++) accK[r][c] = fma((real4) dsj[r], q4, accK[r][c]);
                }
            }
        }

        // this key block's share of dQ: dS K, over the block's keys in order
        real4 dq[RQ][DC];
        #pragma unroll
        for (int r = 0; r < RQ; r++) {
            #pragma unroll
            for (int c = 0; c < DC; c++) dq[r][c] = (real4) 0;
        }
        for (int jj = 0; jj < TKV; jj++) {
            real dsr[RQ];
            #pragma unroll
            for (int r = 0; r < RQ; r++) dsr[r] = dSs[ty + r * TY][jj];
            #pragma unroll
            for (int c = 0; c < DC; c++) {
                if (c * TX + tx < DV) {
                    real4 k4 = Ks[jj][c * TX + tx];
                    #pragma unroll
                    for (int r = 0; r < RQ; r++) dq[r][c] = fma((real4) dsr[r], k4, dq[r][c]);
                }
            }
        }
        #pragma unroll
        for (int r = 0; r < RQ; r++) {
            int i = ty + r * TY;
            if (i0 + i >= L) continue;
            __global real* row = dqPart + ((long) (jb * B + b) * L + i0 + i) * D_HEAD;
            #pragma unroll
            for (int c = 0; c < DC; c++) {
                int d = (c * TX + tx) * 4;
                if (d + 4 <= D_HEAD) vstore4(dq[r][c], 0, row + d);
                else {
                    if (d < D_HEAD) row[d] = dq[r][c].s0;
                    if (d + 1 < D_HEAD) row[d + 1] = dq[r][c].s1;
                    if (d + 2 < D_HEAD) row[d + 2] = dq[r][c].s2;
                }
            }
        }
    }

    #pragma unroll
    for (int r = 0; r < RKR; r++) {
        int j = j0 + ty + r * TY;
        if (j >= S) continue;
        __global real* krow = gk + gkOff + ((long) b * S + j) * D_HEAD;
        __global real* vrowOut = gv + gvOff + ((long) b * S + j) * E_HEAD;
        #pragma unroll
        for (int c = 0; c < DC; c++) {
            int d = (c * TX + tx) * 4;
            real4 val = accK[r][c] * scale;
            if (d + 4 <= D_HEAD) vstore4(val, 0, krow + d);
            else {
                if (d < D_HEAD) krow[d] = val.s0;
                if (d + 1 < D_HEAD) krow[d + 1] = val.s1;
                if (d + 2 < D_HEAD) krow[d + 2] = val.s2;
            }
        }
        #pragma unroll
        for (int c = 0; c < EC; c++) {
            int e = (c * TX + tx) * 4;
            real4 val = accV[r][c];
            if (e + 4 <= E_HEAD) vstore4(val, 0, vrowOut + e);
            else {
                if (e < E_HEAD) vrowOut[e] = val.s0;
                if (e + 1 < E_HEAD) vrowOut[e + 1] = val.s1;
                if (e + 2 < E_HEAD) vrowOut[e + 2] = val.s2;
            }
        }
    }
}

// dQ[r, d] = scale * sum over the key blocks kb = 0, 1, ... of dqPart[kb][r, d] (in that order).
__kernel void attention_backward_dq_sum(__global const real* dqPart, int blocks, int total, real scale,
                                        __global real* gq, int gqOff) {
    int idx = get_global_id(0);
    if (idx >= total) return;
    real acc = 0;
    for (int kb = 0; kb < blocks; kb++) acc += dqPart[(long) kb * total + idx];
    gq[gqOff + idx] = acc * scale;
}
