package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;

/**
 * Scaled dot-product attention, straightforwardly: per batch, the logits s_ij = scale q_i . k_j + mask_ij,
 * a numerically stable softmax P = exp(s - lse) with lse_i = log sum_j exp(s_ij), and out_i = sum_j P_ij v_j.
 * Everything is accumulated in double (also for F32). Rows run in parallel.
 *
 * <p>The backward pass recomputes P from the saved log-sum-exp (as FlashAttention does, Dao et al. 2022):
 * dP = dO V^T, D_i = dO_i . O_i, dS = P * (dP - D), then dQ = scale dS K, dK = scale dS^T Q, dV = P^T dO.
 */
final class CpuAttention {
    private CpuAttention() { }

    private record Dims(int b, int l, int s, int d, int e) { }

    private static Dims dims(String op, View q, View k, View v, View mask, View out) {
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        if (qs.length != 3 || ks.length != 3 || vs.length != 3 || ks[0] != qs[0] || vs[0] != qs[0] || ks[2] != qs[2]
                || vs[1] != ks[1]) throw new IllegalArgumentException("cpu " + op + ": q " + Shapes.str(qs) + ", k "
                + Shapes.str(ks) + ", v " + Shapes.str(vs) + " do not fit [B, L, D], [B, S, D], [B, S, E]");
        Dims d = new Dims(qs[0], qs[1], ks[1], qs[2], vs[2]);
        if (!java.util.Arrays.equals(out.shape(), new int[]{d.b, d.l, d.e})) throw new IllegalArgumentException("cpu "
                + op + ": output " + Shapes.str(out.shape()) + " must be [" + d.b + ", " + d.l + ", " + d.e + "]");
        if (mask != null && !java.util.Arrays.equals(mask.shape(), new int[]{d.b, d.l, d.s})) throw new IllegalArgumentException(
                "cpu " + op + ": mask " + Shapes.str(mask.shape()) + " must be [" + d.b + ", " + d.l + ", " + d.s + "]");
        for (View x : new View[]{q, k, v, out}) if (!x.isContiguous()) throw new IllegalArgumentException("cpu " + op + ": " + x + " must be contiguous");
        return d;
    }

    /** Fills row i of batch bi with the masked, scaled logits s_ij; returns their maximum. */
    private static double logits(Dims d, int bi, int i, CpuStorage qs, View q, CpuStorage ks, View k,
                                 CpuStorage ms, View mask, double scale, double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        int qo = q.offset() + (bi * d.l + i) * d.d;
        for (int j = 0; j < d.s; j++) {
            int ko = k.offset() + (bi * d.s + j) * d.d;
            double dot = 0;
            for (int t = 0; t < d.d; t++) dot += Reductions.load(qs, qo + t) * Reductions.load(ks, ko + t);
            double sij = dot * scale;
            if (mask != null) sij += Reductions.load(ms, mask.offset() + bi * mask.strides()[0] + i * mask.strides()[1] + j * mask.strides()[2]);
            row[j] = sij;
            max = Math.max(max, sij);
        }
        return max;
    }

    static void forward(View q, View k, View v, View mask, double scale, View out, View logSumExp) {
        Dims d = dims("attention", q, k, v, mask, out);
        CpuStorage qs = CpuStorage.of(q), ks = CpuStorage.of(k), vs = CpuStorage.of(v), os = CpuStorage.of(out);
        CpuStorage ms = mask == null ? null : CpuStorage.of(mask), ls = logSumExp == null ? null : CpuStorage.of(logSumExp);
        Parallel.forRange(d.b * d.l, 2L * d.s * (d.d + d.e), (r0, r1) -> {
            double[] p = new double[d.s], acc = new double[d.e];
            for (int r = r0; r < r1; r++) {
                int bi = r / d.l, i = r % d.l;
                double max = logits(d, bi, i, qs, q, ks, k, ms, mask, scale, p);
                double shift = max == Double.NEGATIVE_INFINITY ? 0 : max;
                double sum = 0;
                for (int j = 0; j < d.s; j++) sum += Math.exp(p[j] - shift);
                double lse = shift + Math.log(sum);
                java.util.Arrays.fill(acc, 0.0);
                for (int j = 0; j < d.s; j++) {
                    double pj = Math.exp(p[j] - lse);
                    int vo = v.offset() + (bi * d.s + j) * d.e;
                    for (int t = 0; t < d.e; t++) acc[t] += pj * Reductions.load(vs, vo + t);
                }
                int oo = out.offset() + r * d.e;
                for (int t = 0; t < d.e; t++) Reductions.store(os, oo + t, acc[t]);
                if (ls != null) Reductions.store(ls, logSumExp.offset() + r, lse);
            }
        });
    }

    static void backward(View q, View k, View v, View mask, double scale, View out, View logSumExp, View gradOut,
                         View gradQ, View gradK, View gradV) {
        Dims d = dims("attentionBackward", q, k, v, mask, out);
        View[][] pairs = {{gradOut, out}, {gradQ, q}, {gradK, k}, {gradV, v}};
        for (View[] pair : pairs) {
            if (!java.util.Arrays.equals(pair[0].shape(), pair[1].shape()) || !pair[0].isContiguous())
                throw new IllegalArgumentException("cpu attentionBackward: gradient " + pair[0] + " must be contiguous with shape "
                        + Shapes.str(pair[1].shape()));
        }
        CpuStorage qs = CpuStorage.of(q), ks = CpuStorage.of(k), vs = CpuStorage.of(v), os = CpuStorage.of(out);
        CpuStorage ms = mask == null ? null : CpuStorage.of(mask), ls = CpuStorage.of(logSumExp), gos = CpuStorage.of(gradOut);
        CpuStorage gq = CpuStorage.of(gradQ), gk = CpuStorage.of(gradK), gv = CpuStorage.of(gradV);
        double[] prob = new double[d.l * d.s], ds = new double[d.l * d.s];
        for (int bi = 0; bi < d.b; bi++) {
            final int b = bi;
            // P and dS, row by row
            Parallel.forRange(d.l, 2L * d.s * (d.d + d.e), (i0, i1) -> {
                double[] row = new double[d.s];
                for (int i = i0; i < i1; i++) {
                    logits(d, b, i, qs, q, ks, k, ms, mask, scale, row);
                    double lse = Reductions.load(ls, logSumExp.offset() + b * d.l + i);
                    int go = gradOut.offset() + (b * d.l + i) * d.e, oo = out.offset() + (b * d.l + i) * d.e;
                    double di = 0;
                    for (int t = 0; t < d.e; t++) di += Reductions.load(gos, go + t) * Reductions.load(os, oo + t);
                    for (int j = 0; j < d.s; j++) {
                        double pij = Math.exp(row[j] - lse);
                        int vo = v.offset() + (b * d.s + j) * d.e;
                        double dp = 0;
                        for (int t = 0; t < d.e; t++) dp += Reductions.load(gos, go + t) * Reductions.load(vs, vo + t);
                        prob[i * d.s + j] = pij;
                        ds[i * d.s + j] = pij * (dp - di);
                    }
                }
            });
            // dQ_i = scale sum_j dS_ij k_j
            Parallel.forRange(d.l, 2L * d.s * d.d, (i0, i1) -> {
                double[] acc = new double[d.d];
                for (int i = i0; i < i1; i++) {
                    java.util.Arrays.fill(acc, 0.0);
                    for (int j = 0; j < d.s; j++) {
                        double w = ds[i * d.s + j];
                        int ko = k.offset() + (b * d.s + j) * d.d;
                        for (int t = 0; t < d.d; t++) acc[t] += w * Reductions.load(ks, ko + t);
                    }
                    int o = gradQ.offset() + (b * d.l + i) * d.d;
                    for (int t = 0; t < d.d; t++) Reductions.store(gq, o + t, scale * acc[t]);
                }
            });
            // dK_j = scale sum_i dS_ij q_i and dV_j = sum_i P_ij dO_i
            Parallel.forRange(d.s, 2L * d.l * (d.d + d.e), (j0, j1) -> {
                double[] ak = new double[d.d], av = new double[d.e];
                for (int j = j0; j < j1; j++) {
                    java.util.Arrays.fill(ak, 0.0);
                    java.util.Arrays.fill(av, 0.0);
                    for (int i = 0; i < d.l; i++) {
                        double w = ds[i * d.s + j], pij = prob[i * d.s + j];
                        int qo = q.offset() + (b * d.l + i) * d.d, go = gradOut.offset() + (b * d.l + i) * d.e;
                        for (int t = 0; t < d.d; t++) ak[t] += w * Reductions.load(qs, qo + t);
                        for (int t = 0; t < d.e; t++) av[t] += pij * Reductions.load(gos, go + t);
                    }
                    int ko = gradK.offset() + (b * d.s + j) * d.d, vo = gradV.offset() + (b * d.s + j) * d.e;
                    for (int t = 0; t < d.d; t++) Reductions.store(gk, ko + t, scale * ak[t]);
                    for (int t = 0; t < d.e; t++) Reductions.store(gv, vo + t, av[t]);
                }
            });
        }
    }
}
