package org.diffusion4j.diffusion.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Named analytic data distributions with closed-form scores at every noise level, for tests, teaching and the CLI.
 * <ul>
 *   <li>{@code gaussian}: one 2D Gaussian, mean (1, -0.5), covariance [[1, 0.6], [0.6, 0.5]] (correlation 0.85);</li>
 *   <li>{@code 8gaussians}: eight equal-weight Gaussians with means 2 (cos(k pi/4), sin(k pi/4)), k = 0..7, and
 *       isotropic standard deviation 0.1;</li>
 *   <li>{@code checkerboard-gmm}: a Gaussian-mixture stand-in for the 4x4 checkerboard on [-2, 2]^2 (as in FFJORD's
 *       toy data): one equal-weight isotropic Gaussian at the centre of each of the 8 cells [i, i+1] x [j, j+1]
 *       (i, j in {-2, -1, 0, 1}) with i + j even, standard deviation 1/sqrt(12) = 0.2887, the standard deviation of
 *       a uniform distribution on a unit interval.</li>
 * </ul>
 */
public final class AnalyticModels {
    private AnalyticModels() { }

    public static List<String> names() { return List.of("gaussian", "8gaussians", "checkerboard-gmm"); }

    public static GaussianMixture byName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "gaussian" -> gaussian2d();
            case "8gaussians" -> eightGaussians();
            case "checkerboard-gmm" -> checkerboard();
            default -> throw new IllegalArgumentException("unknown analytic model '" + name + "': expected one of " + names());
        };
    }

    public static GaussianMixture gaussian2d() {
        return GaussianMixture.gaussian("gaussian", new double[]{1.0, -0.5}, new double[][]{{1.0, 0.6}, {0.6, 0.5}});
    }

    public static GaussianMixture eightGaussians() {
        int k = 8;
        double[] w = new double[k];
        double[][] m = new double[k][];
        double[][][] c = new double[k][][];
        for (int i = 0; i < k; i++) {
            w[i] = 1.0 / k;
            m[i] = new double[]{2 * Math.cos(i * Math.PI / 4), 2 * Math.sin(i * Math.PI / 4)};
            c[i] = isotropic(2, 0.1 * 0.1);
        }
        return new GaussianMixture("8gaussians", w, m, c);
    }

    public static GaussianMixture checkerboard() {
        List<double[]> centres = new ArrayList<>();
        for (int i = -2; i <= 1; i++) for (int j = -2; j <= 1; j++) {
            if (Math.floorMod(i + j, 2) == 0) centres.add(new double[]{i + 0.5, j + 0.5});
        }
        int k = centres.size();
        double[] w = new double[k];
        double[][][] c = new double[k][][];
        for (int i = 0; i < k; i++) {
            w[i] = 1.0 / k;
            c[i] = isotropic(2, 1.0 / 12);
        }
        return new GaussianMixture("checkerboard-gmm", w, centres.toArray(new double[0][]), c);
    }

    public static double[][] isotropic(int dim, double variance) {
        double[][] c = new double[dim][dim];
        for (int i = 0; i < dim; i++) c[i][i] = variance;
        return c;
    }
}
