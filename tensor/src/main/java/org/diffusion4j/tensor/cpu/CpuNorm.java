package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;

/**
 * Group normalisation (Wu and He, "Group Normalization", ECCV 2018) on contiguous x [N, C, *]: each
 * (sample, group) block of C/G channels is normalised by its mean and biased variance. Each block is read
 * once into a double buffer, so the statistics are accumulated in double also for F32 inputs (two passes:
 * the mean, then the centred sum of squares), which costs little next to the memory traffic and avoids
 * cancellation. Blocks run in parallel; per-channel parameter gradients are summed over samples in order.
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

    /** A [C] parameter as doubles, or null. */
    private static double[] parameter(View p, int c) {
        if (p == null) return null;
        double[] d = new double[c];
        CpuStorage.of(p).read(p.offset(), d, 0, c);
        return d;
    }

    static void forward(View x, View gamma, View beta, int groups, double eps, boolean silu, View out, View mean, View rstd) {
        Geometry g = Geometry.of("groupNorm", x, groups);
        CpuStorage xs = CpuStorage.of(x), os = CpuStorage.of(out);
        CpuStorage ms = mean == null ? null : CpuStorage.of(mean), rs = rstd == null ? null : CpuStorage.of(rstd);
        double[] gm = parameter(gamma, g.c()), bt = parameter(beta, g.c());
        int cpg = g.channelsPerGroup(), sp = g.spatial(), m = g.blockSize();
        Parallel.forRange(g.n() * groups, 8L * m, (b0, b1) -> {
            double[] buf = new double[m];
            for (int blk = b0; blk < b1; blk++) {
                int base = blk * m;
                xs.read(x.offset() + base, buf, 0, m);
                double sum = 0;
                for (int i = 0; i < m; i++) sum += buf[i];
                double mu = sum / m;
                double sq = 0;
                for (int i = 0; i < m; i++) {
                    double d = buf[i] - mu;
                    sq += d * d;
                }
                double r = 1.0 / Math.sqrt(sq / m + eps);
                if (ms != null) Reductions.store(ms, mean.offset() + blk, mu);
                if (rs != null) Reductions.store(rs, rstd.offset() + blk, r);
                int group = blk % groups;
                for (int cc = 0; cc < cpg; cc++) {
                    int ch = group * cpg + cc;
                    double scale = gm == null ? r : r * gm[ch];
                    double shift = bt == null ? 0.0 : bt[ch];
                    int cb = cc * sp;
                    for (int s = cb; s < cb + sp; s++) buf[s] = (buf[s] - mu) * scale + shift;
                }
                if (silu) VectorMath.silu(buf, buf, m); // the same kernel as the SILU op
                os.write(out.offset() + base, buf, 0, m);
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
        if (!gradOut.isContiguous() || !java.util.Arrays.equals(gradOut.shape(), x.shape()))
            throw new IllegalArgumentException("cpu groupNormBackward: gradOut " + gradOut + " must be contiguous with shape " + Shapes.str(x.shape()));
        CpuStorage dys = CpuStorage.of(gradOut), xs = CpuStorage.of(x), dxs = CpuStorage.of(gradInput);
        CpuStorage ms = CpuStorage.of(mean), rs = CpuStorage.of(rstd);
        double[] gm = parameter(gamma, g.c());
        int cpg = g.channelsPerGroup(), sp = g.spatial(), m = g.blockSize();
        double[] partGamma = new double[g.n() * g.c()], partBeta = new double[g.n() * g.c()];
        Parallel.forRange(g.n() * groups, 10L * m, (b0, b1) -> {
            double[] xb = new double[m], dy = new double[m];
            for (int blk = b0; blk < b1; blk++) {
                int base = blk * m, group = blk % groups, sample = blk / groups;
                xs.read(x.offset() + base, xb, 0, m);
                dys.read(gradOut.offset() + base, dy, 0, m);
                double mu = Reductions.load(ms, mean.offset() + blk), r = Reductions.load(rs, rstd.offset() + blk);
                for (int i = 0; i < m; i++) xb[i] = (xb[i] - mu) * r;                 // xhat
                double sumD = 0, sumDX = 0;
                for (int cc = 0; cc < cpg; cc++) {
                    int ch = group * cpg + cc;
                    double w = gm == null ? 1.0 : gm[ch];
                    double pg = 0, pb = 0;
                    for (int i = cc * sp; i < (cc + 1) * sp; i++) {
                        pg += dy[i] * xb[i];
                        pb += dy[i];
                    }
                    partGamma[sample * g.c() + ch] = pg;
                    partBeta[sample * g.c() + ch] = pb;
                    sumD += w * pb;
                    sumDX += w * pg;
                }
                double meanD = sumD / m, meanDX = sumDX / m;
                for (int cc = 0; cc < cpg; cc++) {
                    double w = gm == null ? 1.0 : gm[group * cpg + cc];
                    for (int i = cc * sp; i < (cc + 1) * sp; i++) dy[i] = r * (dy[i] * w - meanD - xb[i] * meanDX);
                }
                dxs.write(gradInput.offset() + base, dy, 0, m);
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
