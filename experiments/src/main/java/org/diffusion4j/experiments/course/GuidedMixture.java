package org.diffusion4j.experiments.course;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.model.GaussianMixture;

/**
 * Classifier-free guidance (Ho &amp; Salimans 2022, eq. 6) with exact denoisers: D_w = D_u + w (D_c - D_u), where D_u
 * is the denoiser of the whole mixture and D_c that of one class (a sub-mixture with renormalised weights). w = 0 is
 * unconditional, w = 1 conditional; on scores this is grad log p_u + w grad log p(c | x), the same convention as
 * param.NetworkDenoiser.withGuidance.
 */
public final class GuidedMixture implements Denoiser {
    private final GaussianMixture unconditional, conditional;
    private final double weight;

    public GuidedMixture(GaussianMixture unconditional, GaussianMixture conditional, double weight) {
        if (!Double.isFinite(weight)) throw new IllegalArgumentException("guidance weight must be finite, got " + weight);
        if (unconditional.dimension() != conditional.dimension()) throw new IllegalArgumentException("class mixture has dimension "
                + conditional.dimension() + ", the unconditional one " + unconditional.dimension());
        this.unconditional = unconditional;
        this.conditional = conditional;
        this.weight = weight;
    }

    /** The mixture's first half of components as the class, guided with weight w. */
    public static GuidedMixture halves(GaussianMixture all, double w) { return new GuidedMixture(all, firstHalf(all), w); }

    /** The first half of the components (at least one), weights renormalised. */
    public static GaussianMixture firstHalf(GaussianMixture all) {
        int k = Math.max(1, all.components() / 2);
        double total = 0;
        for (int i = 0; i < k; i++) total += all.weight(i);
        double[] w = new double[k];
        double[][] m = new double[k][];
        double[][][] c = new double[k][][];
        for (int i = 0; i < k; i++) {
            w[i] = all.weight(i) / total;
            m[i] = all.mean(i);
            c[i] = all.covariance(i);
        }
        return new GaussianMixture(all.name() + "-class0", w, m, c);
    }

    @Override public Variable denoise(Variable x, double sigma) {
        Variable du = unconditional.denoise(x, sigma);
        if (weight == 0) return du;
        return du.add(conditional.denoise(x, sigma).sub(du).mul(weight));
    }
}
