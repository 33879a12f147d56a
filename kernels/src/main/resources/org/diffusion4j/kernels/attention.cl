// Fused scaled dot-product attention, flash-style (Dao et al., "FlashAttention", NeurIPS 2022): the L x S
// matrix of logits never reaches global memory. A work-group of WG items owns a tile of TQ query rows and
// streams tiles of TKV keys and values through local memory. Per row it keeps the running maximum m, the
// running normaliser l = sum_j exp(s_j - m) and the unnormalised output acc = sum_j exp(s_j - m) v_j
// (online softmax, Milakov & Gimelshein 2018): when the maximum grows from m to m', l and acc are
// rescaled by exp(m - m'). The items share the work of each step: the TQ x TKV logits, then the TQ x E
// outputs, which stay in registers (ACC_* per item) across the whole key loop.
//
// Build options: D_HEAD, E_HEAD (widths of q/k and of v), TQ, TKV, WG. The mask is additive and addressed
// through strides (zero strides broadcast). Rows are padded by one element in local memory so that items
// reading different rows at the same column hit different banks. Every sum runs in a fixed order.

#define CEIL_DIV(a, b) (((a) + (b) - 1) / (b))
#define ACC_O CEIL_DIV(TQ * E_HEAD, WG)
#define ACC_Q CEIL_DIV(TQ * D_HEAD, WG)
#define ACC_K CEIL_DIV(TKV * D_HEAD, WG)
#define ACC_V CEIL_DIV(TKV * E_HEAD, WG)

// Copies rows [row0, row0 + rows) of a [*, width] matrix (rows past limit read as 0) into local memory.
inline void stage_rows(__local real* dst, int pitch, __global const real* src, long srcRow0, int row0, int rows,
                       int limit, int width) {
    for (int idx = get_local_id(0); idx < rows * width; idx += WG) {
        int r = idx / width, c = idx % width;
        dst[r * pitch + c] = row0 + r < limit ? src[(srcRow0 + r) * width + c] : (real) 0;
    }
}

inline real dot_local(__local const real* a, __local const real* b, int n) {
    real s = 0;
    for (int d = 0; d < n; d++) s = fma(a[d], b[d], s);
    return s;
}

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void attention_forward(__global const real* q, int qOff, __global const real* k, int kOff,
                       __global const real* v, int vOff, __global const real* mask, int mOff,
                       int msb, int msl, int mss, int hasMask, real scale, int L, int S,
                       __global real* out, int outOff, __global real* lse, int lseOff, int hasLse) {
    __local real Qs[TQ][D_HEAD + 1];
    __local real Ks[TKV][D_HEAD + 1];
    __local real Vs[TKV][E_HEAD + 1];
    __local real Ps[TQ][TKV + 1];
    __local real rowM[TQ], rowL[TQ], rowScale[TQ];
    const int lid = get_local_id(0), b = get_group_id(1), q0 = get_group_id(0) * TQ;

    stage_rows(&Qs[0][0], D_HEAD + 1, q + qOff, (long) b * L + q0, q0, TQ, L, D_HEAD);
    for (int i = lid; i < TQ; i += WG) { rowM[i] = (real) -INFINITY; rowL[i] = 0; }
    real acc[ACC_O];
    for (int r = 0; r < ACC_O; r++) acc[r] = 0;

    for (int j0 = 0; j0 < S; j0 += TKV) {
        barrier(CLK_LOCAL_MEM_FENCE);
        stage_rows(&Ks[0][0], D_HEAD + 1, k + kOff, (long) b * S + j0, j0, TKV, S, D_HEAD);
        stage_rows(&Vs[0][0], E_HEAD + 1, v + vOff, (long) b * S + j0, j0, TKV, S, E_HEAD);
        barrier(CLK_LOCAL_MEM_FENCE);
        // logits of the tile
        for (int idx = lid; idx < TQ * TKV; idx += WG) {
            int i = idx / TKV, jj = idx % TKV;
            real s = (real) -INFINITY;
            if (q0 + i < L && j0 + jj < S) {
                s = dot_local(Qs[i], Ks[jj], D_HEAD) * scale;
                if (hasMask) s += mask[mOff + b * msb + (q0 + i) * msl + (j0 + jj) * mss];
            }
            Ps[i][jj] = s;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        // online softmax, one item per row: new maximum, rescaling factor, probabilities in place
        online_softmax_tile(&Ps[0][0], TKV + 1, TQ, TKV, rowM, rowL, rowScale, lid, WG);
        barrier(CLK_LOCAL_MEM_FENCE);
        // acc = acc * correction + P V
        for (int r = 0; r < ACC_O; r++) {
            int idx = lid + r * WG;
            if (idx < TQ * E_HEAD) {
                int i = idx / E_HEAD, e = idx % E_HEAD;
                real a = acc[r] * rowScale[i];
                for (int jj = 0; jj < TKV; jj++) a = fma(Ps[i][jj], Vs[jj][e], a);
                acc[r] = a;
            }
        }
    }
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int r = 0; r < ACC_O; r++) {
        int idx = lid + r * WG;
        if (idx < TQ * E_HEAD) {
            int i = idx / E_HEAD, e = idx % E_HEAD;
            if (q0 + i < L) out[outOff + ((long) b * L + q0 + i) * E_HEAD + e] = acc[r] / rowL[i];
        }
    }
    if (hasLse) for (int i = lid; i < TQ; i += WG) if (q0 + i < L) lse[lseOff + b * L + q0 + i] = rowM[i] + log(rowL[i]);
}

// Backward. With P_ij = exp(s_ij - lse_i) recomputed from the saved log-sum-exp, dP_ij = dO_i . v_j and
// Delta_i = dO_i . O_i (= sum_j P_ij dP_ij), the logits' gradient is dS_ij = P_ij (dP_ij - Delta_i); then
// dQ = scale * dS K, dK = scale * dS^T Q and dV = P^T dO. Two kernels, each summing in a fixed order:
// this one owns query tiles (dQ, and Delta for the next), attention_backward_kv owns key tiles (dK, dV).

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void attention_backward_q(__global const real* q, int qOff, __global const real* k, int kOff,
                          __global const real* v, int vOff, __global const real* mask, int mOff,
                          int msb, int msl, int mss, int hasMask, real scale, int L, int S,
                          __global const real* o, int oOff, __global const real* lse, int lseOff,
                          __global const real* gout, int gOff, __global real* gq, int gqOff, __global real* delta) {
    __local real Qs[TQ][D_HEAD + 1];
    __local real Gs[TQ][E_HEAD + 1];
    __local real Ks[TKV][D_HEAD + 1];
    __local real Vs[TKV][E_HEAD + 1];
    __local real dSs[TQ][TKV + 1];
    __local real lseS[TQ], deltaS[TQ];
    const int lid = get_local_id(0), b = get_group_id(1), q0 = get_group_id(0) * TQ;

    stage_rows(&Qs[0][0], D_HEAD + 1, q + qOff, (long) b * L + q0, q0, TQ, L, D_HEAD);
    stage_rows(&Gs[0][0], E_HEAD + 1, gout + gOff, (long) b * L + q0, q0, TQ, L, E_HEAD);
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int i = lid; i < TQ; i += WG) {
        real dl = 0, ls = 0;
        if (q0 + i < L) {
            __global const real* orow = o + oOff + ((long) b * L + q0 + i) * E_HEAD;
            for (int e = 0; e < E_HEAD; e++) dl = fma(Gs[i][e], orow[e], dl);
            ls = lse[lseOff + b * L + q0 + i];
            delta[b * L + q0 + i] = dl;
        }
        deltaS[i] = dl;
        lseS[i] = ls;
    }
    real acc[ACC_Q];
    for (int r = 0; r < ACC_Q; r++) acc[r] = 0;

    for (int j0 = 0; j0 < S; j0 += TKV) {
        barrier(CLK_LOCAL_MEM_FENCE);
        stage_rows(&Ks[0][0], D_HEAD + 1, k + kOff, (long) b * S + j0, j0, TKV, S, D_HEAD);
        stage_rows(&Vs[0][0], E_HEAD + 1, v + vOff, (long) b * S + j0, j0, TKV, S, E_HEAD);
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int idx = lid; idx < TQ * TKV; idx += WG) {
            int i = idx / TKV, jj = idx % TKV;
            real ds = 0;
            if (q0 + i < L && j0 + jj < S) {
                real s = dot_local(Qs[i], Ks[jj], D_HEAD) * scale;
                if (hasMask) s += mask[mOff + b * msb + (q0 + i) * msl + (j0 + jj) * mss];
                real p = exp(s - lseS[i]);
                ds = p * (dot_local(Gs[i], Vs[jj], E_HEAD) - deltaS[i]);
            }
            dSs[i][jj] = ds;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int r = 0; r < ACC_Q; r++) {
            int idx = lid + r * WG;
            if (idx < TQ * D_HEAD) {
                int i = idx / D_HEAD, d = idx % D_HEAD;
                real a = acc[r];
                for (int jj = 0; jj < TKV; jj++) a = fma(dSs[i][jj], Ks[jj][d], a);
                acc[r] = a;
            }
        }
    }
    for (int r = 0; r < ACC_Q; r++) {
        int idx = lid + r * WG;
        if (idx < TQ * D_HEAD) {
            int i = idx / D_HEAD, d = idx % D_HEAD;
            if (q0 + i < L) gq[gqOff + ((long) b * L + q0 + i) * D_HEAD + d] = acc[r] * scale;
        }
    }
}

__kernel __attribute__((reqd_work_group_size(WG, 1, 1)))
void attention_backward_kv(__global const real* q, int qOff, __global const real* k, int kOff,
                           __global const real* v, int vOff, __global const real* mask, int mOff,
                           int msb, int msl, int mss, int hasMask, real scale, int L, int S,
                           __global const real* lse, int lseOff, __global const real* gout, int gOff,
                           __global const real* delta, __global real* gk, int gkOff, __global real* gv, int gvOff) {
    __local real Ks[TKV][D_HEAD + 1];
    __local real Vs[TKV][E_HEAD + 1];
    __local real Qs[TQ][D_HEAD + 1];
    __local real Gs[TQ][E_HEAD + 1];
    __local real Ps[TKV][TQ + 1];
    __local real dSs[TKV][TQ + 1];
    __local real lseS[TQ], deltaS[TQ];
    const int lid = get_local_id(0), b = get_group_id(1), j0 = get_group_id(0) * TKV;

    stage_rows(&Ks[0][0], D_HEAD + 1, k + kOff, (long) b * S + j0, j0, TKV, S, D_HEAD);
    stage_rows(&Vs[0][0], E_HEAD + 1, v + vOff, (long) b * S + j0, j0, TKV, S, E_HEAD);
    real accK[ACC_K], accV[ACC_V];
    for (int r = 0; r < ACC_K; r++) accK[r] = 0;
    for (int r = 0; r < ACC_V; r++) accV[r] = 0;

    for (int i0 = 0; i0 < L; i0 += TQ) {
        barrier(CLK_LOCAL_MEM_FENCE);
        stage_rows(&Qs[0][0], D_HEAD + 1, q + qOff, (long) b * L + i0, i0, TQ, L, D_HEAD);
        stage_rows(&Gs[0][0], E_HEAD + 1, gout + gOff, (long) b * L + i0, i0, TQ, L, E_HEAD);
        for (int i = lid; i < TQ; i += WG) {
            lseS[i] = i0 + i < L ? lse[lseOff + b * L + i0 + i] : (real) 0;
            deltaS[i] = i0 + i < L ? delta[b * L + i0 + i] : (real) 0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int idx = lid; idx < TKV * TQ; idx += WG) {
            int jj = idx / TQ, i = idx % TQ;
            real p = 0, ds = 0;
            if (i0 + i < L && j0 + jj < S) {
                real s = dot_local(Qs[i], Ks[jj], D_HEAD) * scale;
                if (hasMask) s += mask[mOff + b * msb + (i0 + i) * msl + (j0 + jj) * mss];
                p = exp(s - lseS[i]);
                ds = p * (dot_local(Gs[i], Vs[jj], E_HEAD) - deltaS[i]);
            }
            Ps[jj][i] = p;
            dSs[jj][i] = ds;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        for (int r = 0; r < ACC_V; r++) {
            int idx = lid + r * WG;
            if (idx < TKV * E_HEAD) {
                int jj = idx / E_HEAD, e = idx % E_HEAD;
                real a = accV[r];
                for (int i = 0; i < TQ; i++) a = fma(Ps[jj][i], Gs[i][e], a);
                accV[r] = a;
            }
        }
        for (int r = 0; r < ACC_K; r++) {
            int idx = lid + r * WG;
            if (idx < TKV * D_HEAD) {
                int jj = idx / D_HEAD, d = idx % D_HEAD;
                real a = accK[r];
                for (int i = 0; i < TQ; i++) a = fma(dSs[jj][i], Qs[i][d], a);
                accK[r] = a;
            }
        }
    }
    for (int r = 0; r < ACC_K; r++) {
        int idx = lid + r * WG;
        if (idx < TKV * D_HEAD) {
            int jj = idx / D_HEAD, d = idx % D_HEAD;
            if (j0 + jj < S) gk[gkOff + ((long) b * S + j0 + jj) * D_HEAD + d] = accK[r] * scale;
        }
    }
    for (int r = 0; r < ACC_V; r++) {
        int idx = lid + r * WG;
        if (idx < TKV * E_HEAD) {
            int jj = idx / E_HEAD, e = idx % E_HEAD;
            if (j0 + jj < S) gv[gvOff + ((long) b * S + j0 + jj) * E_HEAD + e] = accV[r];
        }
    }
}
