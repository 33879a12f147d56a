package org.diffusion4j.experiments.metrics;

import java.util.Arrays;
import java.util.List;

/**
 * The mode-collapse metrics of the GAN literature on mixtures of isotropic Gaussians with known centres (VEEGAN,
 * Srivastava et al. 2017, Sec. 5.1; PacGAN, Lin et al. 2018, Sec. 5). A sample is <em>high quality</em> when it lies
 * within 3 standard deviations of its nearest centre, and then it counts for that mode; a mode is <em>covered</em>
 * when at least minCount high-quality samples count for it. The KL divergence compares the histogram of the
 * high-quality samples over the modes with the uniform one: KL(p || U) = sum_k p_k ln(K p_k), in nats, 0 ln 0 = 0.
 *
 * @param name    the toy set this mixture is (a {@link org.diffusion4j.experiments.data.ToyDatasets} name)
 * @param centres the K mode centres, [K][d]
 * @param std     the common standard deviation of the modes
 */
public record ModeCoverage(String name, double[][] centres, double std) {
    /** The 8-Gaussian ring of the toy set "8gaussians": radius 2, std 0.1. */
    public static ModeCoverage ring8() {
        double[][] c = new double[8][];
        for (int k = 0; k < 8; k++) c[k] = new double[]{2 * Math.cos(k * Math.PI / 4), 2 * Math.sin(k * Math.PI / 4)};
        return new ModeCoverage("8gaussians", c, 0.1);
    }

    /** The 5x5 grid of the toy set "25gaussians": centres {-2,...,2}^2, std 0.05. */
    public static ModeCoverage grid25() {
        double[][] c = new double[25][];
        for (int k = 0; k < 25; k++) c[k] = new double[]{k % 5 - 2, k / 5 - 2};
        return new ModeCoverage("25gaussians", c, 0.05);
    }

    /** The mixture of a toy set, or an error naming the sets that have one. */
    public static ModeCoverage of(String dataset) {
        for (ModeCoverage m : List.of(ring8(), grid25())) if (m.name.equals(dataset)) return m;
        throw new IllegalArgumentException("no mode metrics for dataset '" + dataset + "'; expected 8gaussians or 25gaussians");
    }

    public ModeCoverage {
        if (centres.length == 0) throw new IllegalArgumentException("a mixture needs at least one centre");
        if (!(std > 0)) throw new IllegalArgumentException("mode std must be > 0, got " + std);
        centres = centres.clone();
    }

    /**
     * @param counts           high-quality samples per mode
     * @param modesCovered     modes with at least minCount of them
     * @param highQuality      fraction of all samples that are high quality
     * @param klToUniform      KL(histogram of the high-quality samples || uniform) in nats; NaN when none is high quality
     */
    public record Result(int[] counts, int minCount, int modesCovered, double highQuality, double klToUniform) {
        @Override public String toString() {
            return String.format(java.util.Locale.ROOT, "modes %d/%d (min %d), high quality %.3f, KL %.4f", modesCovered,
                    counts.length, minCount, highQuality, klToUniform);
        }
    }

    /** Scores samples [N][d]; minCount >= 1 is the number of high-quality samples a covered mode needs. */
    public Result score(double[][] samples, int minCount) {
        if (samples.length == 0) throw new IllegalArgumentException("no samples to score");
        if (minCount < 1) throw new IllegalArgumentException("minCount must be >= 1, got " + minCount);
        int[] counts = new int[centres.length];
        int good = 0;
        double radius = 3 * std;
        for (double[] x : samples) {
            if (x.length != centres[0].length) throw new IllegalArgumentException("sample has " + x.length
                    + " coordinates, the mixture " + centres[0].length);
            int nearest = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < centres.length; k++) {
                double d = SampleDistances.sq(x, centres[k]);
                if (d < best) { best = d; nearest = k; }
            }
            if (Math.sqrt(best) <= radius) { counts[nearest]++; good++; }   // a NaN sample is never high quality
        }
        int covered = 0;
        for (int c : counts) if (c >= minCount) covered++;
        double kl = Double.NaN;
        if (good > 0) {
            kl = 0;
            for (int c : counts) if (c > 0) { double p = (double) c / good; kl += p * Math.log(centres.length * p); }
        }
        return new Result(counts, minCount, covered, (double) good / samples.length, kl);
    }

    @Override public String toString() { return name + " (" + centres.length + " modes, std " + std + ")"; }

    @Override public boolean equals(Object o) {
        return o instanceof ModeCoverage m && m.name.equals(name) && m.std == std && Arrays.deepEquals(m.centres, centres);
    }

    @Override public int hashCode() { return name.hashCode(); }
}
