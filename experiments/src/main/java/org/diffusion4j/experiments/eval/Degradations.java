package org.diffusion4j.experiments.eval;

import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/**
 * The simple baselines of the reference floors, applied to images given as rows of 28x28 values in [-1, 1]:
 * pure Gaussian noise, Gaussian blur and additive Gaussian noise, always clipped back to [-1, 1]. Noise is
 * Philox normals (seed, stream 0), so every baseline is a pure function of its arguments.
 */
public final class Degradations {
    static final int SIDE = 28;

    private Degradations() { }

    /** n images of independent N(0, 1) pixels clipped to [-1, 1]. */
    public static double[][] gaussianNoise(int n, long seed) {
        double[] z = normals(n * SIDE * SIDE, seed);
        double[][] out = new double[n][SIDE * SIDE];
        for (int i = 0; i < n; i++) for (int j = 0; j < SIDE * SIDE; j++) out[i][j] = clip(z[i * SIDE * SIDE + j]);
        return out;
    }

    /** clip(x + sigma z), z ~ N(0, I). */
    public static double[][] addNoise(double[][] images, double sigma, long seed) {
        double[] z = normals(images.length * SIDE * SIDE, seed);
        double[][] out = new double[images.length][SIDE * SIDE];
        for (int i = 0; i < images.length; i++) {
            for (int j = 0; j < SIDE * SIDE; j++) out[i][j] = clip(images[i][j] + sigma * z[i * SIDE * SIDE + j]);
        }
        return out;
    }

    /**
     * Separable Gaussian blur with standard deviation sigma (in pixels), kernel radius ceil(3 sigma), borders
     * clamped to the nearest edge pixel.
     */
    public static double[][] blur(double[][] images, double sigma) {
        if (!(sigma > 0)) throw new IllegalArgumentException("blur sigma must be > 0, got " + sigma);
        int r = (int) Math.ceil(3 * sigma);
        double[] k = new double[2 * r + 1];
        double sum = 0;
        for (int i = -r; i <= r; i++) sum += k[i + r] = Math.exp(-i * i / (2 * sigma * sigma));
        for (int i = 0; i < k.length; i++) k[i] /= sum;
        double[][] out = new double[images.length][];
        for (int n = 0; n < images.length; n++) {
            double[] img = images[n], rows = new double[SIDE * SIDE], both = new double[SIDE * SIDE];
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    double acc = 0;
                    for (int i = -r; i <= r; i++) acc += k[i + r] * img[y * SIDE + clamp(x + i)];
                    rows[y * SIDE + x] = acc;
                }
            }
            for (int y = 0; y < SIDE; y++) {
                for (int x = 0; x < SIDE; x++) {
                    double acc = 0;
                    for (int i = -r; i <= r; i++) acc += k[i + r] * rows[clamp(y + i) * SIDE + x];
                    both[y * SIDE + x] = acc;
                }
            }
            out[n] = both;
        }
        return out;
    }

    private static int clamp(int i) { return Math.max(0, Math.min(SIDE - 1, i)); }

    private static double clip(double v) { return Math.max(-1, Math.min(1, v)); }

    private static double[] normals(int count, long seed) {
        return Tensor.randn(Backends.cpu(), DType.F64, seed, 0, count).toDoubleArray();
    }
}
