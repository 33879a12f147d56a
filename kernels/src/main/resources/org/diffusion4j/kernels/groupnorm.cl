// Group normalisation (Wu & He, ECCV 2018) of contiguous x [N, C, HW] in G groups, with the optional
// fused SiLU of diffusion UNets. Group (n, g) is the contiguous block of Cg*HW elements starting at
// (n*G + g)*Cg*HW; one work-group of RED_WG items owns it. Sums use a fixed binary tree (deterministic).

inline real gn_tree_sum(__local real* scratch, real v) {
    int lid = get_local_id(0);
    barrier(CLK_LOCAL_MEM_FENCE);
    scratch[lid] = v;
    barrier(CLK_LOCAL_MEM_FENCE);
    for (int s = RED_WG / 2; s > 0; s >>= 1) {
        if (lid < s) scratch[lid] += scratch[lid + s];
        barrier(CLK_LOCAL_MEM_FENCE);
    }
    return scratch[0];
}

// mean = sum x / cnt; var = sum (x - mean)^2 / cnt (biased, two passes for accuracy); rstd = 1/sqrt(var + eps);
// y = (x - mean) * rstd * gamma[c] + beta[c], then y * sigmoid(y) when silu.
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void group_norm_forward(__global const real* x, int xOff, __global const real* gamma, int gammaOff, int hasGamma,
                        __global const real* beta, int betaOff, int hasBeta, int C, int G, int HW, real eps, int silu,
                        __global real* out, int outOff, __global real* mean, int meanOff,
                        __global real* rstd, int rstdOff, int hasStats) {
    __local real scratch[RED_WG];
    const int ng = get_group_id(0), lid = get_local_id(0);
    const int g = ng % G, Cg = C / G, cnt = Cg * HW;
    __global const real* xg = x + xOff + (long) ng * cnt;
    __global real* og = out + outOff + (long) ng * cnt;
    real s = 0;
    for (int i = lid; i < cnt; i += RED_WG) s += xg[i];
    real mu = gn_tree_sum(scratch, s) / (real) cnt;
    real ss = 0;
    for (int i = lid; i < cnt; i += RED_WG) { real d = xg[i] - mu; ss = fma(d, d, ss); }
    real var = gn_tree_sum(scratch, ss) / (real) cnt;
    real rs = (real) 1 / sqrt(var + eps);
    for (int i = lid; i < cnt; i += RED_WG) {
        int c = g * Cg + i / HW;
        real y = (xg[i] - mu) * rs;
        if (hasGamma) y *= gamma[gammaOff + c];
        if (hasBeta) y += beta[betaOff + c];
        if (silu) y = y * sigmoid_r(y);
        og[i] = y;
    }
    if (hasStats && lid == 0) {
        mean[meanOff + ng] = mu;
        rstd[rstdOff + ng] = rs;
    }
}

// dx = rstd * (dy*gamma - mean_group(dy*gamma) - xhat * mean_group(dy*gamma*xhat)), xhat = (x - mean) * rstd.
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void group_norm_backward_input(__global const real* gy, int gyOff, __global const real* x, int xOff,
                               __global const real* gamma, int gammaOff, int hasGamma,
                               __global const real* mean, int meanOff, __global const real* rstd, int rstdOff,
                               int C, int G, int HW, __global real* gx, int gxOff) {
    __local real scratch[RED_WG];
    const int ng = get_group_id(0), lid = get_local_id(0);
    const int g = ng % G, Cg = C / G, cnt = Cg * HW;
    const long base = (long) ng * cnt;
    const real mu = mean[meanOff + ng], rs = rstd[rstdOff + ng];
    real s1 = 0, s2 = 0;
    for (int i = lid; i < cnt; i += RED_WG) {
        real gam = hasGamma ? gamma[gammaOff + g * Cg + i / HW] : (real) 1;
        real dxh = gy[gyOff + base + i] * gam;
        real xh = (x[xOff + base + i] - mu) * rs;
        s1 += dxh;
        s2 = fma(dxh, xh, s2);
    }
    real m1 = gn_tree_sum(scratch, s1) / (real) cnt;
    real m2 = gn_tree_sum(scratch, s2) / (real) cnt;
    for (int i = lid; i < cnt; i += RED_WG) {
        real gam = hasGamma ? gamma[gammaOff + g * Cg + i / HW] : (real) 1;
        real dxh = gy[gyOff + base + i] * gam;
        real xh = (x[xOff + base + i] - mu) * rs;
        gx[gxOff + base + i] = rs * (dxh - m1 - xh * m2);
    }
}

// dgamma[c] = sum over (n, hw) of dy * xhat and dbeta[c] = sum of dy; one work-group per channel.
__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void group_norm_backward_affine(__global const real* gy, int gyOff, __global const real* x, int xOff,
                                __global const real* mean, int meanOff, __global const real* rstd, int rstdOff,
                                int N, int C, int G, int HW, __global real* ggamma, int ggOff,
                                __global real* gbeta, int gbOff) {
    __local real scratch[RED_WG];
    const int c = get_group_id(0), lid = get_local_id(0);
    const int g = c / (C / G);
    real sg = 0, sb = 0;
    for (int t = lid; t < N * HW; t += RED_WG) {
        int n = t / HW, hw = t % HW;
        long at = ((long) n * C + c) * HW + hw;
        real dy = gy[gyOff + at];
        real xh = (x[xOff + at] - mean[meanOff + n * G + g]) * rstd[rstdOff + n * G + g];
        sg = fma(dy, xh, sg);
        sb += dy;
    }
    real tg = gn_tree_sum(scratch, sg);
    real tb = gn_tree_sum(scratch, sb);
    if (lid == 0) {
        ggamma[ggOff + c] = tg;
        gbeta[gbOff + c] = tb;
    }
}

// group_norm_forward of concat(x1, x2) along channels, x1 [N, C1, HW] and x2 [N, C - C1, HW] contiguous, without
// materialising the concatenation (the UNet's skip connections): element i of group (n, g) is channel g*Cg + i/HW, read
// from x1 or x2. The same values summed in the same order as group_norm_forward on the concatenation; no statistics.
inline real gn_concat_at(__global const real* x1, int x1Off, __global const real* x2, int x2Off, int C, int C1, int HW,
                         int n, int c, int hw) {
    return c < C1 ? x1[x1Off + ((long) n * C1 + c) * HW + hw] : x2[x2Off + ((long) n * (C - C1) + (c - C1)) * HW + hw];
}

__kernel __attribute__((reqd_work_group_size(RED_WG, 1, 1)))
void group_norm_forward_concat(__global const real* x1, int x1Off, __global const real* x2, int x2Off, int C1,
                               __global const real* gamma, int gammaOff, int hasGamma, __global const real* beta, int betaOff,
                               int hasBeta, int C, int G, int HW, real eps, int silu, __global real* out, int outOff) {
    __local real scratch[RED_WG];
    const int ng = get_group_id(0), lid = get_local_id(0);
    const int n = ng / G, g = ng % G, Cg = C / G, cnt = Cg * HW, c0 = g * Cg;
    __global real* og = out + outOff + (long) ng * cnt;
    real s = 0;
    for (int i = lid; i < cnt; i += RED_WG) s += gn_concat_at(x1, x1Off, x2, x2Off, C, C1, HW, n, c0 + i / HW, i % HW);
    real mu = gn_tree_sum(scratch, s) / (real) cnt;
    real ss = 0;
    for (int i = lid; i < cnt; i += RED_WG) {
        real d = gn_concat_at(x1, x1Off, x2, x2Off, C, C1, HW, n, c0 + i / HW, i % HW) - mu;
        ss = fma(d, d, ss);
    }
    real var = gn_tree_sum(scratch, ss) / (real) cnt;
    real rs = (real) 1 / sqrt(var + eps);
    for (int i = lid; i < cnt; i += RED_WG) {
        int c = c0 + i / HW;
        real y = (gn_concat_at(x1, x1Off, x2, x2Off, C, C1, HW, n, c, i % HW) - mu) * rs;
        if (hasGamma) y *= gamma[gammaOff + c];
        if (hasBeta) y += beta[betaOff + c];
        if (silu) y = y * sigmoid_r(y);
        og[i] = y;
    }
}
