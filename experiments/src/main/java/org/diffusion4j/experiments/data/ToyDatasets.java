package org.diffusion4j.experiments.data;

import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;

import java.util.Locale;

/**
 * Two-dimensional toy distributions, generated from a seed (Philox, one stream per point, so point i does
 * not depend on how many are drawn). Scaled to roughly unit spread, as in the score-matching literature.
 */
public final class ToyDatasets {
    public static final String[] NAMES = {"swiss-roll", "two-moons", "8gaussians", "checkerboard", "25gaussians"};

    private ToyDatasets() { }

    /** n points of the named set as [n][2]. */
    public static double[][] sample(String name, int n, long seed) {
        double[][] out = new double[n][];
        for (int i = 0; i < n; i++) out[i] = point(name, seed, i);
        return out;
    }

    private static double u(long seed, long i, int k) { return Philox.element(RandomKind.UNIFORM, DType.F64, seed, i, k); }

    private static double z(long seed, long i, int k) { return Philox.element(RandomKind.NORMAL, DType.F64, seed, i, 4 + k); }

    static double[] point(String name, long seed, long i) {
        switch (name.toLowerCase(Locale.ROOT)) {
            case "swiss-roll": {
                // sklearn-style 2D swiss roll: t in [1.5 pi, 4.5 pi], (t cos t, t sin t) / 5, plus noise 0.05.
                double t = 1.5 * Math.PI * (1 + 2 * u(seed, i, 0));
                return new double[]{t * Math.cos(t) / 5 + 0.05 * z(seed, i, 0), t * Math.sin(t) / 5 + 0.05 * z(seed, i, 1)};
            }
            case "two-moons": {
                double a = Math.PI * u(seed, i, 0);
                boolean upper = u(seed, i, 1) < 0.5;
                double x = upper ? Math.cos(a) : 1 - Math.cos(a), y = upper ? Math.sin(a) : 0.5 - Math.sin(a);
                return new double[]{x - 0.5 + 0.05 * z(seed, i, 0), y - 0.25 + 0.05 * z(seed, i, 1)};
            }
            case "8gaussians": {
                int k = (int) Math.min(7, Math.floor(8 * u(seed, i, 0)));
                double ang = k * Math.PI / 4;
                return new double[]{2 * Math.cos(ang) + 0.1 * z(seed, i, 0), 2 * Math.sin(ang) + 0.1 * z(seed, i, 1)};
            }
            case "25gaussians": {
                // The 5x5 grid of VEEGAN and PacGAN at half their scale: centres {-2,-1,0,1,2}^2, std 0.05, equal weights.
                int k = (int) Math.min(24, Math.floor(25 * u(seed, i, 0)));
                return new double[]{k % 5 - 2 + 0.05 * z(seed, i, 0), k / 5 - 2 + 0.05 * z(seed, i, 1)};
            }
            case "checkerboard": {
                // Uniform on the 8 black squares of a 4x4 board over [-2, 2]^2.
                int cell = (int) Math.min(7, Math.floor(8 * u(seed, i, 0)));
                int row = cell / 2, col = 2 * (cell % 2) + (row % 2);
                return new double[]{-2 + col + u(seed, i, 1), -2 + row + u(seed, i, 2)};
            }
            default:
                throw new IllegalArgumentException("unknown toy dataset '" + name + "'; known: " + String.join(", ", NAMES));
        }
    }
}
