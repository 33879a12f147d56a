// Pooling, upsampling and indexing; one item per output element, every sum in a fixed order.

// out[nc, oh, ow] = (1/k^2) * sum over the k x k window of x[nc, oh*k + i, ow*k + j] (contiguous NCHW).
__kernel void avg_pool2d(__global const real* x, int xOff, __global real* out, int outOff, int total, int H, int W, int k) {
    int e = get_global_id(0);
    if (e >= total) return;
    int OH = H / k, OW = W / k;
    int nc = e / (OH * OW), p = e % (OH * OW);
    int oh = p / OW, ow = p % OW;
    __global const real* xp = x + xOff + (long) nc * H * W;
    real s = 0;
    for (int i = 0; i < k; i++)
        for (int j = 0; j < k; j++) s += xp[(oh * k + i) * W + ow * k + j];
    out[outOff + e] = s / (real) (k * k);
}

__kernel void avg_pool2d_backward(__global const real* gy, int gyOff, __global real* gx, int gxOff, int total, int H, int W, int k) {
    int e = get_global_id(0);
    if (e >= total) return;
    int OH = H / k, OW = W / k;
    int nc = e / (H * W), p = e % (H * W);
    int h = p / W, w = p % W;
    gx[gxOff + e] = gy[gyOff + ((long) nc * OH + h / k) * OW + w / k] / (real) (k * k);
}

// out[nc, h, w] = x[nc, h / f, w / f], for an input of H x W.
__kernel void upsample_nearest2d(__global const real* x, int xOff, __global real* out, int outOff, int total, int H, int W, int f) {
    int e = get_global_id(0);
    if (e >= total) return;
    int UH = H * f, UW = W * f;
    int nc = e / (UH * UW), p = e % (UH * UW);
    int h = p / UW, w = p % UW;
    out[outOff + e] = x[xOff + ((long) nc * H + h / f) * W + w / f];
}

// gx[nc, h, w] = sum over the f x f block of gy (row by row), for gx of H x W.
__kernel void upsample_nearest2d_backward(__global const real* gy, int gyOff, __global real* gx, int gxOff, int total, int H, int W, int f) {
    int e = get_global_id(0);
    if (e >= total) return;
    int nc = e / (H * W), p = e % (H * W);
    int h = p / W, w = p % W;
    int UW = W * f;
    __global const real* gp = gy + gyOff + (long) nc * H * f * UW;
    real s = 0;
    for (int i = 0; i < f; i++)
        for (int j = 0; j < f; j++) s += gp[(h * f + i) * UW + w * f + j];
    gx[gxOff + e] = s;
}

// out[..., i, ...] = x[..., idx[i], ...]; shape is out's shape (rank <= 8).
__kernel void index_select(__global const real* x, int xOff, __global real* out, int outOff, int total, int rank,
                           int8 shape_v, int8 sx_v, int8 so_v, int axis, __global const int* idx) {
    int e = get_global_id(0);
    if (e >= total) return;
    int shape[8], sx[8], so[8];
    vstore8(shape_v, 0, shape); vstore8(sx_v, 0, sx); vstore8(so_v, 0, so);
    int rem = e, xo = xOff, oo = outOff;
    for (int d = rank - 1; d >= 0; d--) {
        int c = rem % shape[d];
        rem /= shape[d];
        oo += c * so[d];
        xo += (d == axis ? idx[c] : c) * sx[d];
    }
    out[oo] = x[xo];
}

// out (shape) = sum over i with idx[i] == coordinate along axis of src[..., i, ...], added in order of i.
__kernel void index_add(__global const real* src, int srcOff, __global real* out, int outOff, int total, int rank,
                        int8 shape_v, int8 ss_v, int8 so_v, int axis, __global const int* idx, int count) {
    int e = get_global_id(0);
    if (e >= total) return;
    int shape[8], ss[8], so[8];
    vstore8(shape_v, 0, shape); vstore8(ss_v, 0, ss); vstore8(so_v, 0, so);
    int rem = e, sbase = srcOff, oo = outOff, t = 0;
    for (int d = rank - 1; d >= 0; d--) {
        int c = rem % shape[d];
        rem /= shape[d];
        oo += c * so[d];
        if (d == axis) t = c; else sbase += c * ss[d];
    }
    real acc = 0;
    for (int i = 0; i < count; i++) if (idx[i] == t) acc += src[sbase + i * ss[axis]];
    out[oo] = acc;
}
