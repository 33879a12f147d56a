package org.diffusion4j.experiments.metrics;

import org.diffusion4j.tensor.Philox;

import java.util.Arrays;

/** Distances between two sets of low-dimensional samples (toy 2D data): MMD, energy distance, sliced Wasserstein. */
public final class SampleDistances {
    private SampleDistances() { }

    /**
     * Unbiased MMD^2 with the Gaussian (RBF) kernel k(x, y) = exp(-|x - y|^2 / (2 bandwidth^2))
     * (Gretton et al. 2012, eq. 3).
     */
    public static double mmdRbf(double[][] x, double[][] y, double bandwidth) {
        if (bandwidth <= 0) throw new IllegalArgumentException("MMD bandwidth must be > 0, got " + bandwidth);
        double g = 1.0 / (2 * bandwidth * bandwidth);
        int n = x.length, m = y.length;
        double kxx = 0, kyy = 0, kxy = 0;
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) if (i != j) kxx += Math.exp(-g * sq(x[i], x[j]));
        for (int i = 0; i < m; i++) for (int j = 0; j < m; j++) if (i != j) kyy += Math.exp(-g * sq(y[i], y[j]));
        for (double[] a : x) for (double[] b : y) kxy += Math.exp(-g * sq(a, b));
        return kxx / (n * (n - 1.0)) + kyy / (m * (m - 1.0)) - 2 * kxy / ((double) n * m);
    }

    /**
     * Energy distance 2 E|X - Y| - E|X - X'| - E|Y - Y'| (Szekely &amp; Rizzo 2013), with the within-set means
     * over distinct pairs; zero exactly when the distributions agree.
     */
    public static double energyDistance(double[][] x, double[][] y) {
        double xy = 0, xx = 0, yy = 0;
        for (double[] a : x) for (double[] b : y) xy += Math.sqrt(sq(a, b));
        for (int i = 0; i < x.length; i++) for (int j = 0; j < x.length; j++) if (i != j) xx += Math.sqrt(sq(x[i], x[j]));
        for (int i = 0; i < y.length; i++) for (int j = 0; j < y.length; j++) if (i != j) yy += Math.sqrt(sq(y[i], y[j]));
        return 2 * xy / ((double) x.length * y.length) - xx / (x.length * (x.length - 1.0)) - yy / (y.length * (y.length - 1.0));
    }

    /**
     * Sliced 1-Wasserstein distance: the mean over {@code projections} random unit directions (Philox normals,
     * normalised) of the 1D Wasserstein-1 distance between the projected sets. Both sets must have equal size,
     * so the 1D distance is the mean absolute difference of sorted projections.
     */
    public static double slicedWasserstein(double[][] x, double[][] y, int projections, long seed) {
        if (x.length != y.length) throw new IllegalArgumentException("sliced Wasserstein needs equal set sizes, got "
                + x.length + " and " + y.length);
        int d = x[0].length;
        double total = 0;
        double[] px = new double[x.length], py = new double[y.length], dir = new double[d];
        for (int p = 0; p < projections; p++) {
            double norm = 0;
            for (int j = 0; j < d; j++) {
                dir[j] = Philox.element(org.diffusion4j.tensor.RandomKind.NORMAL, org.diffusion4j.tensor.DType.F64, seed, p, j);
                norm += dir[j] * dir[j];
            }
            norm = Math.sqrt(norm);
            for (int i = 0; i < x.length; i++) { px[i] = dot(x[i], dir) / norm; py[i] = dot(y[i], dir) / norm; }
            Arrays.sort(px);
            Arrays.sort(py);
            double s = 0;
            for (int i = 0; i < px.length; i++) s += Math.abs(px[i] - py[i]);
            total += s / px.length;
        }
        return total / projections;
    }

    static double sq(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return s;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
