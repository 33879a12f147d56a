// Deterministic reductions: every sum runs in a fixed order. Within a work-group each item folds a strided
// run of elements, then a fixed binary tree in local memory combines the items; when one row is split
// over several work-groups (chunks), a second kernel folds the chunks' partials in chunk order. No atomics.
// Op codes R_SUM, R_MEAN, R_MAX, R_MIN are #defined by the host; RED_WG is the work-group size (a power of two).

inline real red_init(int op) {
    return op == R_MAX ? (real) -INFINITY : (op == R_MIN ? (real) INFINITY : (real) 0);
}

inline real red_combine(int op, real a, real b) {
    return op == R_MAX ? max_nan(a, b) : (op == R_MIN ? min_nan(a, b) : a + b);
}

// Folds scratch[0..RED_WG) into scratch[0] by a fixed binary tree.
inline void tree_reduce(__local real* scratch, int op) {
    int lid = get_local_id(0);
    for (int s = RED_WG / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] = red_combine(op, scratch[lid], scratch[lid + s]);
        barrier(CLK_LOCAL_MEM_FENCE);
    }
}

// One work-group per (kept element, chunk). kept* describe the axes that remain (in x's strides and in
// out's strides), red* the reduced axes. With chunks == 1 the result goes straight to out.
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void reduce_rows(__global const real* x, int xOff, int keptRank, int8 keptShape_v, int8 keptStrides_v,
                 int redRank, int8 redShape_v, int8 redStrides_v, int R, int chunks, int chunkLen, int op,
                 __global real* partial, __global real* out, int outOff, int8 outStrides_v) {
    __local real scratch[RED_WG];
    int keptShape[8], keptStrides[8], redShape[8], redStrides[8], outStrides[8];
    vstore8(keptShape_v, 0, keptShape); vstore8(keptStrides_v, 0, keptStrides);
    vstore8(redShape_v, 0, redShape); vstore8(redStrides_v, 0, redStrides); vstore8(outStrides_v, 0, outStrides);
    int group = get_group_id(0), lid = get_local_id(0);
    int kept = group / chunks, chunk = group % chunks;
    int base = xOff + strided_offset(kept, keptRank, keptShape, keptStrides);
    int begin = chunk * chunkLen, end = min(R, begin + chunkLen);
    real acc = red_init(op);
    if (redRank == 1) {
        int s = redStrides[0];
        for (int r = begin + lid; r < end; r += RED_WG) acc = red_combine(op, acc, x[base + r * s]);
    } else {
        for (int r = begin + lid; r < end; r += RED_WG) acc = red_combine(op, acc, x[base + strided_offset(r, redRank, redShape, redStrides)]);
    }
    scratch[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    tree_reduce(scratch, op);
    if (lid == 0) {
        if (chunks == 1) {
            real v = scratch[0];
            if (op == R_MEAN) v = v / (real) R;
            out[outOff + strided_offset(kept, keptRank, keptShape, outStrides)] = v;
        } else {
            partial[group] = scratch[0];
        }
    }
}

// Second pass: one work-group per kept element folds its chunks' partials in a fixed tree.
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void reduce_finish(__global const real* partial, int chunks, int R, int op, __global real* out, int outOff,
                   int keptRank, int8 keptShape_v, int8 outStrides_v) {
    __local real scratch[RED_WG];
    int keptShape[8], outStrides[8];
    vstore8(keptShape_v, 0, keptShape); vstore8(outStrides_v, 0, outStrides);
    int kept = get_group_id(0), lid = get_local_id(0);
    real acc = red_init(op);
    for (int c = lid; c < chunks; c += RED_WG) acc = red_combine(op, acc, partial[kept * chunks + c]);
    scratch[lid] = acc;
    barrier(CLK_LOCAL_MEM_FENCE);
    tree_reduce(scratch, op);
    if (lid == 0) {
        real v = scratch[0];
        if (op == R_MEAN) v = v / (real) R;
        out[outOff + strided_offset(kept, keptRank, keptShape, outStrides)] = v;
    }
}

// Index of the first maximum along one axis; one item per output element. shape is x's shape with the
// axis set to 1.
__kernel void argmax_axis(__global const real* x, int xOff, __global real* out, int outOff, int n, int rank,
                          int8 shape_v, int8 sx_v, int8 so_v, int axisLen, int axisStride) {
    int i = get_global_id(0);
    if (i >= n) return;
    int shape[8], sx[8], so[8];
    vstore8(shape_v, 0, shape); vstore8(sx_v, 0, sx); vstore8(so_v, 0, so);
    int base = xOff + strided_offset(i, rank, shape, sx);
    real best = x[base];
    int arg = 0;
    for (int j = 1; j < axisLen; j++) {
        real v = x[base + j * axisStride];
        if (v > best || (isnan(v) && !isnan(best))) { best = v; arg = j; }
        if (isnan(best)) break;
    }
    out[outOff + strided_offset(i, rank, shape, so)] = (real) arg;
}

// Softmax (or log-softmax) of contiguous rows of length n; one work-group per row.
// softmax(x)_j = exp(x_j - m) / sum_k exp(x_k - m) with m = max_k x_k, which cannot overflow.
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void softmax_rows(__global const real* x, int xOff, __global real* out, int outOff, int n, int logSoftmax) {
    __local real scratch[RED_WG];
    int row = get_group_id(0), lid = get_local_id(0);
    __global const real* xr = x + xOff + (long) row * n;
    __global real* orow = out + outOff + (long) row * n;
    real m = (real) -INFINITY;
    for (int j = lid; j < n; j += RED_WG) m = max_nan(m, xr[j]);
    scratch[lid] = m;
    barrier(CLK_LOCAL_MEM_FENCE);
    tree_reduce(scratch, R_MAX);
    m = scratch[0];
    barrier(CLK_LOCAL_MEM_FENCE);
    real s = 0;
    for (int j = lid; j < n; j += RED_WG) s += exp(xr[j] - m);
    scratch[lid] = s;
    barrier(CLK_LOCAL_MEM_FENCE);
    tree_reduce(scratch, R_SUM);
    s = scratch[0];
    if (logSoftmax) {
        real ls = log(s);
        for (int j = lid; j < n; j += RED_WG) orow[j] = xr[j] - m - ls;
    } else {
        real inv = (real) 1 / s;
        for (int j = lid; j < n; j += RED_WG) orow[j] = exp(xr[j] - m) * inv;
    }
}

// Split-K epilogue of the GEMM core: out[b, i] = sum over s of partial[b, s, i], in the order s = 0, 1, ...
__kernel void splitk_sum(__global const real* partial, int splits, int mn, int total, __global real* out, int outOff) {
    int i = get_global_id(0);
    if (i >= total) return;
    int b = i / mn, r = i % mn;
    real acc = 0;
    for (int s = 0; s < splits; s++) acc += partial[((long) b * splits + s) * mn + r];
    out[outOff + i] = acc;
}
