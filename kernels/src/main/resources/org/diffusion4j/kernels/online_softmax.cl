// One step of the online softmax (Milakov & Gimelshein 2018; FlashAttention, Dao et al. 2022, Algorithm 1),
// shared by the attention forward kernels. It folds a tile of logits P[rows][cols] (row pitch `pitch`) into
// each row's running maximum rowM and running sum rowL: the logits are replaced by p = exp(s - m_new), and
// rowScale[i] receives exp(m_old - m_new), the factor by which the row's output accumulated so far must be
// rescaled. One work item per row; a row whose logits are all -inf so far gets p = 0 and scale 1.
inline void online_softmax_tile(__local real* P, int pitch, int rows, int cols, __local real* rowM,
                                __local real* rowL, __local real* rowScale, int lid, int wg) {
    for (int i = lid; i < rows; i += wg) {
        __local real* p = P + i * pitch;
        real m = rowM[i], tileMax = (real) -INFINITY;
        for (int jj = 0; jj < cols; jj++) tileMax = max_nan(tileMax, p[jj]);
        real mNew = max_nan(m, tileMax);
        if (mNew == (real) -INFINITY) {
            for (int jj = 0; jj < cols; jj++) p[jj] = 0;
            rowScale[i] = 1;
        } else {
            real sum = 0;
            for (int jj = 0; jj < cols; jj++) { real e = exp(p[jj] - mNew); p[jj] = e; sum += e; }
            real correction = exp(m - mNew);
            rowScale[i] = correction;
            rowL[i] = rowL[i] * correction + sum;
            rowM[i] = mNew;
        }
    }
}
