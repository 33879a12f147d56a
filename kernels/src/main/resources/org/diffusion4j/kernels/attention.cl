// Fused scaled dot-product attention, flash-style (Dao et al., "FlashAttention", NeurIPS 2022): the
// L x S matrix of logits never reaches global memory. Each work item owns one query row; the work-group
// streams tiles of BK keys and values through local memory and keeps, per row, the running maximum m,
// the running normaliser l = sum_j exp(s_j - m) and the unnormalised output acc = sum_j exp(s_j - m) v_j
// (online softmax, Milakov & Gimelshein 2018): when the maximum grows from m to m', l and acc are rescaled
// by exp(m - m'). D_HEAD, E_HEAD (widths of q/k and of v), BQ (rows per work-group) and BK (keys per tile)
// are build options. The mask is additive, addressed through strides (zero strides broadcast).

inline real attn_logit(const real* qv, __local const real* krow, real scale) {
    real s = 0;
    for (int d = 0; d < D_HEAD; d++) s = fma(qv[d], krow[d], s);
    return s * scale;
}

__kernel __attribute__((reqd_work_group_size(BQ, 1, 1)))
void attention_forward(__global const real* q, int qOff, __global const real* k, int kOff,
                       __global const real* v, int vOff, __global const real* mask, int mOff,
                       int msb, int msl, int mss, int hasMask, real scale, int L, int S,
                       __global real* out, int outOff, __global real* lse, int lseOff, int hasLse) {
    __local real Ks[BK][D_HEAD];
    __local real Vs[BK][E_HEAD];
    const int lid = get_local_id(0), b = get_group_id(1);
    const int i = get_group_id(0) * BQ + lid;
    const bool valid = i < L;
    real qv[D_HEAD], acc[E_HEAD];
    for (int d = 0; d < D_HEAD; d++) qv[d] = valid ? q[qOff + ((long) b * L + i) * D_HEAD + d] : (real) 0;
    for (int e = 0; e < E_HEAD; e++) acc[e] = 0;
    real m = (real) -INFINITY, l = 0;
    for (int j0 = 0; j0 < S; j0 += BK) {
        const int tile = min(BK, S - j0);
        for (int idx = lid; idx < BK * D_HEAD; idx += BQ) {
            int jj = idx / D_HEAD, d = idx % D_HEAD;
            Ks[jj][d] = jj < tile ? k[kOff + ((long) b * S + j0 + jj) * D_HEAD + d] : (real) 0;
        }
        for (int idx = lid; idx < BK * E_HEAD; idx += BQ) {
            int jj = idx / E_HEAD, e = idx % E_HEAD;
            Vs[jj][e] = jj < tile ? v[vOff + ((long) b * S + j0 + jj) * E_HEAD + e] : (real) 0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        if (valid) {
            real s[BK];
            real tileMax = (real) -INFINITY;
            for (int jj = 0; jj < tile; jj++) {
                s[jj] = attn_logit(qv, Ks[jj], scale);
                if (hasMask) s[jj] += mask[mOff + b * msb + i * msl + (j0 + jj) * mss];
                tileMax = max_nan(tileMax, s[jj]);
            }
            real mNew = max_nan(m, tileMax);
            if (mNew != (real) -INFINITY) {
                real correction = exp(m - mNew);
                l *= correction;
                for (int e = 0; e < E_HEAD; e++) acc[e] *= correction;
                for (int jj = 0; jj < tile; jj++) {
                    real p = exp(s[jj] - mNew);
                    l += p;
                    for (int e = 0; e < E_HEAD; e++) acc[e] = fma(p, Vs[jj][e], acc[e]);
                }
                m = mNew;
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (valid) {
        real inv = (real) 1 / l;
        for (int e = 0; e < E_HEAD; e++) out[outOff + ((long) b * L + i) * E_HEAD + e] = acc[e] * inv;
        if (hasLse) lse[lseOff + b * L + i] = m + log(l);
    }
}

// Backward, part 1 (one item per query row i): with P_ij = exp(s_ij - lse_i) recomputed from the saved
// log-sum-exp, dP_ij = dO_i . v_j and Delta_i = dO_i . O_i = sum_j P_ij dP_ij, the logits' gradient is
// dS_ij = P_ij (dP_ij - Delta_i) and dQ_i = scale * sum_j dS_ij k_j. Delta is saved for part 2.
__kernel __attribute__((reqd_work_group_size(BQ, 1, 1)))
void attention_backward_q(__global const real* q, int qOff, __global const real* k, int kOff,
                          __global const real* v, int vOff, __global const real* mask, int mOff,
                          int msb, int msl, int mss, int hasMask, real scale, int L, int S,
                          __global const real* o, int oOff, __global const real* lse, int lseOff,
                          __global const real* gout, int gOff, __global real* gq, int gqOff, __global real* delta) {
    __local real Ks[BK][D_HEAD];
    __local real Vs[BK][E_HEAD];
    const int lid = get_local_id(0), b = get_group_id(1);
    const int i = get_group_id(0) * BQ + lid;
    const bool valid = i < L;
    real qv[D_HEAD], dq[D_HEAD], dov[E_HEAD];
    real dlt = 0, rowLse = 0;
    for (int d = 0; d < D_HEAD; d++) { qv[d] = valid ? q[qOff + ((long) b * L + i) * D_HEAD + d] : (real) 0; dq[d] = 0; }
    for (int e = 0; e < E_HEAD; e++) {
        dov[e] = valid ? gout[gOff + ((long) b * L + i) * E_HEAD + e] : (real) 0;
        if (valid) dlt = fma(dov[e], o[oOff + ((long) b * L + i) * E_HEAD + e], dlt);
    }
    if (valid) rowLse = lse[lseOff + b * L + i];
    for (int j0 = 0; j0 < S; j0 += BK) {
        const int tile = min(BK, S - j0);
        for (int idx = lid; idx < BK * D_HEAD; idx += BQ) {
            int jj = idx / D_HEAD, d = idx % D_HEAD;
            Ks[jj][d] = jj < tile ? k[kOff + ((long) b * S + j0 + jj) * D_HEAD + d] : (real) 0;
        }
        for (int idx = lid; idx < BK * E_HEAD; idx += BQ) {
            int jj = idx / E_HEAD, e = idx % E_HEAD;
            Vs[jj][e] = jj < tile ? v[vOff + ((long) b * S + j0 + jj) * E_HEAD + e] : (real) 0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        if (valid) {
            for (int jj = 0; jj < tile; jj++) {
                real s = attn_logit(qv, Ks[jj], scale);
                if (hasMask) s += mask[mOff + b * msb + i * msl + (j0 + jj) * mss];
                real p = exp(s - rowLse);
                real dp = 0;
                for (int e = 0; e < E_HEAD; e++) dp = fma(dov[e], Vs[jj][e], dp);
                real ds = p * (dp - dlt);
                for (int d = 0; d < D_HEAD; d++) dq[d] = fma(ds, Ks[jj][d], dq[d]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (valid) {
        for (int d = 0; d < D_HEAD; d++) gq[gqOff + ((long) b * L + i) * D_HEAD + d] = dq[d] * scale;
        delta[b * L + i] = dlt;
    }
}

// Backward, part 2 (one item per key row j): dV_j = sum_i P_ij dO_i and dK_j = scale * sum_i dS_ij q_i,
// streaming tiles of queries, output gradients, lse and Delta through local memory. Each sum runs over i
// in a fixed order, so no atomics are needed.
__kernel __attribute__((reqd_work_group_size(BQ, 1, 1)))
void attention_backward_kv(__global const real* q, int qOff, __global const real* k, int kOff,
                           __global const real* v, int vOff, __global const real* mask, int mOff,
                           int msb, int msl, int mss, int hasMask, real scale, int L, int S,
                           __global const real* lse, int lseOff, __global const real* gout, int gOff,
                           __global const real* delta, __global real* gk, int gkOff, __global real* gv, int gvOff) {
    __local real Qs[BK][D_HEAD];
    __local real Gs[BK][E_HEAD];
    __local real lseS[BK], deltaS[BK];
    const int lid = get_local_id(0), b = get_group_id(1);
    const int j = get_group_id(0) * BQ + lid;
    const bool valid = j < S;
    real kv[D_HEAD], dk[D_HEAD], vv[E_HEAD], dv[E_HEAD];
    for (int d = 0; d < D_HEAD; d++) { kv[d] = valid ? k[kOff + ((long) b * S + j) * D_HEAD + d] : (real) 0; dk[d] = 0; }
    for (int e = 0; e < E_HEAD; e++) { vv[e] = valid ? v[vOff + ((long) b * S + j) * E_HEAD + e] : (real) 0; dv[e] = 0; }
    for (int i0 = 0; i0 < L; i0 += BK) {
        const int tile = min(BK, L - i0);
        for (int idx = lid; idx < BK * D_HEAD; idx += BQ) {
            int ii = idx / D_HEAD, d = idx % D_HEAD;
            Qs[ii][d] = ii < tile ? q[qOff + ((long) b * L + i0 + ii) * D_HEAD + d] : (real) 0;
        }
        for (int idx = lid; idx < BK * E_HEAD; idx += BQ) {
            int ii = idx / E_HEAD, e = idx % E_HEAD;
            Gs[ii][e] = ii < tile ? gout[gOff + ((long) b * L + i0 + ii) * E_HEAD + e] : (real) 0;
        }
        for (int ii = lid; ii < BK; ii += BQ) {
            lseS[ii] = ii < tile ? lse[lseOff + b * L + i0 + ii] : (real) 0;
            deltaS[ii] = ii < tile ? delta[b * L + i0 + ii] : (real) 0;
        }
        barrier(CLK_LOCAL_MEM_FENCE);
        if (valid) {
            for (int ii = 0; ii < tile; ii++) {
                real s = 0;
                for (int d = 0; d < D_HEAD; d++) s = fma(Qs[ii][d], kv[d], s);
                s *= scale;
                if (hasMask) s += mask[mOff + b * msb + (i0 + ii) * msl + j * mss];
                real p = exp(s - lseS[ii]);
                real dp = 0;
                for (int e = 0; e < E_HEAD; e++) {
                    dv[e] = fma(p, Gs[ii][e], dv[e]);
                    dp = fma(Gs[ii][e], vv[e], dp);
                }
                real ds = p * (dp - deltaS[ii]);
                for (int d = 0; d < D_HEAD; d++) dk[d] = fma(ds, Qs[ii][d], dk[d]);
            }
        }
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    if (valid) {
        for (int d = 0; d < D_HEAD; d++) gk[gkOff + ((long) b * S + j) * D_HEAD + d] = dk[d] * scale;
        for (int e = 0; e < E_HEAD; e++) gv[gvOff + ((long) b * S + j) * E_HEAD + e] = dv[e];
    }
}
