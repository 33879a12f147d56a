package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;

/**
 * Group normalisation (Wu and He, "Group Normalization", ECCV 2018) on contiguous x [N, C, *]: each
 * (sample, group) block of C/G channels is normalised by its mean and biased variance. Statistics are
 * accumulated in double also for F32 inputs (two passes: mean, then the centred sum of squares), which
 * costs little next to the memory traffic and avoids cancellation. Blocks run in parallel.
 */
final class CpuNorm {
    private CpuNorm() { }

    private record Geometry(int n, int c, int spatial, int groups) {
        int channelsPerGroup() { return c / groups; }
        int blockSize() { return channelsPerGroup() * spatial; }

        static Geometry of(String op, View x, int groups) {
            int[] s = x.shape();
            if (s.length < 2) throw new IllegalArgumentException("cpu " + op + ": input must be [N, C, ...], got " + Shapes.str(s));
            if (groups < 1 || s[1] % groups != 0) throw new IllegalArgumentException("cpu " + op + ": " + s[1]
                    + " channels are not divisible into " + groups + " groups");
            if (!x.isContiguous()) throw new IllegalArgumentException("cpu " + op + ": input must be contiguous");
            return new Geometry(s[0], s[1], (int) (x.numel() / Math.max(1, (long) s[0] * s[1])), groups);
        }
    }

    private static double at(View v, CpuStorage s, int i) { return v == null ? Double.NaN : Reductions.load(s, v.offset() + i); }

    static void forward(View x, View gamma, View beta, int groups, double eps, boolean silu, View out, View mean, View rstd) {
        Geometry g = Geometry.of("groupNorm", x, groups);
        CpuStorage xs = CpuStorage.of(x), os = CpuStorage.of(out);
        CpuStorage gs = gamma == null ? null : CpuStorage.of(gamma), bs = beta == null ? null : CpuStorage.of(beta);
        CpuStorage ms = mean == null ? null : CpuStorage.of(mean), rs = rstd == null ? null : CpuStorage.of(rstd);
        int cpg = g.channelsPerGroup(), sp = g.spatial();
        Parallel.forRange(g.n() * groups, 8L * g.blockSize(), (b0, b1) -> {
            for (int blk = b0; blk < b1; blk++) {
                int base = blk * g.blockSize();
                double sum = 0;
                for (int i = 0; i < g.blockSize(); i++) sum += Reductions.load(xs, x.offset() + base + i);
                double mu = sum / g.blockSize();
                double sq = 0;
                for (int i = 0; i < g.blockSize(); i++) {
                    double d = Reductions.load(xs, x.offset() + base + i) - mu;
                    sq += d * d;
                }
                double r = 1.0 / Math.sqrt(sq / g.blockSize() + eps);
                if (ms != null) Reductions.store(ms, mean.offset() + blk, mu);
                if (rs != null) Reductions.store(rs, rstd.offset() + blk, r);
                int group = blk % groups;
                for (int cc = 0; cc < cpg; cc++) {
                    int ch = group * cpg + cc;
                    double scale = gamma == null ? r : r * at(gamma, gs, ch);
                    double shift = beta == null ? 0.0 : at(beta, bs, ch);
                    int cb = base + cc * sp;
                    for (int s = 0; s < sp; s++) {
                        double y = (Reductions.load(xs, x.offset() + cb + s) - mu) * scale + shift;
                        if (silu) y = y * Elementwise.sigmoid(y);
                        Reductions.store(os, out.offset() + cb + s, y);
                    }
                }
            }
        });
    }

    /**
     * With xhat = (x - mean) rstd and dxhat = dy gamma, the input gradient of one block of m elements is
     * dx = rstd (dxhat - mean(dxhat) - xhat mean(dxhat xhat)); gradGamma[c] = sum dy xhat and
     * gradBeta[c] = sum dy over samples and positions. Per-(sample, channel) partial sums are computed in
     * parallel and then added over samples in order.
     */
    static void backward(View gradOut, View x, View gamma, View mean, View rstd, int groups,
                         View gradInput, View gradGamma, View gradBeta) {
        Geometry g = Geometry.of("groupNormBackward", x, groups);
        CpuStorage dys = CpuStorage.of(gradOut), xs = CpuStorage.of(x), dxs = CpuStorage.of(gradInput);
        CpuStorage gs = gamma == null ? null : CpuStorage.of(gamma);
        CpuStorage ms = CpuStorage.of(mean), rs = CpuStorage.of(rstd);
        int cpg = g.channelsPerGroup(), sp = g.spatial(), m = g.blockSize();
        double[] partGamma = new double[g.n() * g.c()], partBeta = new double[g.n() * g.c()];
        Parallel.forRange(g.n() * groups, 10L * m, (b0, b1) -> {
            for (int blk = b0; blk < b1; blk++) {
                int base = blk * m, group = blk % groups, sample = blk / groups;
                double mu = Reductions.load(ms, mean.offset() + blk), r = Reductions.load(rs, rstd.offset() + blk);
                double sumD = 0, sumDX = 0;
                for (int cc = 0; cc < cpg; cc++) {
                    int ch = group * cpg + cc;
                    double gm = gamma == null ? 1.0 : at(gamma, gs, ch);
                    double pg = 0, pb = 0;
                    for (int s = 0; s < sp; s++) {
                        int i = base + cc * sp + s;
                        double dy = Reductions.load(dys, gradOut.offset() + i);
                        double xhat = (Reductions.load(xs, x.offset() + i) - mu) * r;
                        pg += dy * xhat;
                        pb += dy;
                        sumD += dy * gm;
                        sumDX += dy * gm * xhat;
                    }
                    partGamma[sample * g.c() + ch] = pg;
                    partBeta[sample * g.c() + ch] = pb;
                }
                double meanD = sumD / m, meanDX = sumDX / m;
                for (int cc = 0; cc < cpg; cc++) {
                    int ch = group * cpg + cc;
                    double gm = gamma == null ? 1.0 : at(gamma, gs, ch);
                    for (int s = 0; s < sp; s++) {
                        int i = base + cc * sp + s;
                        double dxhat = Reductions.load(dys, gradOut.offset() + i) * gm;
                        double xhat = (Reductions.load(xs, x.offset() + i) - mu) * r;
                        Reductions.store(dxs, gradInput.offset() + i, r * (dxhat - meanD - xhat * meanDX));
                    }
                }
            }
        });
        for (int ch = 0; ch < g.c(); ch++) {
            double sg = 0, sb = 0;
            for (int n = 0; n < g.n(); n++) {
                sg += partGamma[n * g.c() + ch];
                sb += partBeta[n * g.c() + ch];
            }
            if (gradGamma != null) Reductions.store(CpuStorage.of(gradGamma), gradGamma.offset() + ch, sg);
            if (gradBeta != null) Reductions.store(CpuStorage.of(gradBeta), gradBeta.offset() + ch, sb);
        }
    }
}
