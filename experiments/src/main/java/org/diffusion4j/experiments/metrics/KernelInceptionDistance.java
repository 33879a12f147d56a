package org.diffusion4j.experiments.metrics;

import org.diffusion4j.tensor.Philox;

/**
 * Kernel Inception Distance (Binkowski et al. 2018, "Demystifying MMD GANs", Sec. 4): the unbiased estimate
 * of the squared maximum mean discrepancy with the cubic polynomial kernel k(x, y) = (x.y / d + 1)^3,
 * averaged over random subsets, with the standard error of that average.
 *
 * <pre>
 *   MMD^2_u = 1/(m(m-1)) sum_{i != j} k(x_i, x_j) + 1/(m(m-1)) sum_{i != j} k(y_i, y_j) - 2/m^2 sum_{i,j} k(x_i, y_j)
 * </pre>
 *
 * Subsets are drawn without replacement by a Philox-keyed shuffle, so a seed fixes the result.
 */
public final class KernelInceptionDistance {

    /** Mean of the subset estimates and its standard error (std / sqrt(subsets)). */
    public record Result(double mean, double standardError, int subsets, int subsetSize) { }

    /** KID over {@code subsets} random subsets of {@code subsetSize} rows from each set (clipped to the smaller set). */
    public static Result compute(double[][] x, double[][] y, int subsets, int subsetSize, long seed) {
        if (subsets < 1) throw new IllegalArgumentException("KID needs at least one subset, got " + subsets);
        int m = Math.min(subsetSize, Math.min(x.length, y.length));
        if (m < 2) throw new IllegalArgumentException("KID needs subsets of at least 2 rows, got " + m);
        int d = x[0].length;
        if (y[0].length != d) throw new IllegalArgumentException("KID: feature widths differ: " + d + " and " + y[0].length);
        double[] est = new double[subsets];
        for (int s = 0; s < subsets; s++) {
            int[] ix = sample(x.length, m, seed, 2L * s), iy = sample(y.length, m, seed, 2L * s + 1);
            est[s] = unbiasedMmd2(x, ix, y, iy, d);
        }
        double mean = 0;
        for (double e : est) mean += e;
        mean /= subsets;
        double var = 0;
        for (double e : est) var += (e - mean) * (e - mean);
        double se = subsets > 1 ? Math.sqrt(var / (subsets - 1) / subsets) : Double.NaN;
        return new Result(mean, se, subsets, m);
    }

    static double kernel(double[] a, double[] b, int d) {
        double dot = 0;
        for (int i = 0; i < d; i++) dot += a[i] * b[i];
        double k = dot / d + 1;
        return k * k * k;
    }

    static double unbiasedMmd2(double[][] x, int[] ix, double[][] y, int[] iy, int d) {
        int m = ix.length;
        double kxx = 0, kyy = 0, kxy = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                if (i != j) {
                    kxx += kernel(x[ix[i]], x[ix[j]], d);
                    kyy += kernel(y[iy[i]], y[iy[j]], d);
                }
                kxy += kernel(x[ix[i]], y[iy[j]], d);
            }
        }
        return kxx / (m * (m - 1.0)) + kyy / (m * (m - 1.0)) - 2 * kxy / ((double) m * m);
    }

    /** The first m entries of a Fisher-Yates shuffle of 0..n-1 driven by Philox stream {@code stream}. */
    static int[] sample(int n, int m, long seed, long stream) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        int[] w = new int[4];
        for (int i = 0; i < m; i++) {
            Philox.words(seed, stream, i, w);
            long r = ((w[0] & 0xffffffffL) << 32 | (w[1] & 0xffffffffL)) >>> 1;
            int j = i + (int) (r % (n - i));
            int t = idx[i]; idx[i] = idx[j]; idx[j] = t;
        }
        return java.util.Arrays.copyOf(idx, m);
    }
}
