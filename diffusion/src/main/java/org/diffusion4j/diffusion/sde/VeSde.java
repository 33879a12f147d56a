package org.diffusion4j.diffusion.sde;

import org.diffusion4j.tensor.Tensor;

/**
 * The variance-exploding SDE dx = sqrt(d sigma(t)^2 / dt) dw with sigma(t) = sigmaMin (sigmaMax / sigmaMin)^t on
 * [0, 1] (Song et al. 2021, eq. 9 and Appendix C), so g(t) = sigma(t) sqrt(2 ln(sigmaMax / sigmaMin)).
 *
 * <p>As in Song et al., the kernel is taken as N(x0, sigma(t)^2 I): the exact variance accumulated from t = 0 is
 * sigma(t)^2 - sigmaMin^2, i.e. the data is treated as already carrying noise sigmaMin at t = 0. The
 * discretisation is NCSN's chain x_i = x_{i-1} + sqrt(sigma_i^2 - sigma_{i-1}^2) z (their eq. 19).
 */
public final class VeSde extends Sde {
    private final double sigmaMin, sigmaMax;

    public VeSde(double sigmaMin, double sigmaMax) {
        super(1.0);
        if (!(sigmaMin > 0)) throw new IllegalArgumentException("sigmaMin must be > 0, got " + sigmaMin);
        if (!(sigmaMax > sigmaMin)) throw new IllegalArgumentException("sigmaMax must be > sigmaMin = " + sigmaMin + ", got " + sigmaMax);
        this.sigmaMin = sigmaMin;
        this.sigmaMax = sigmaMax;
    }

    public double sigmaMin() { return sigmaMin; }

    public double sigmaMax() { return sigmaMax; }

    public double sigma(double t) { return sigmaMin * Math.pow(sigmaMax / sigmaMin, t); }

    @Override public double driftCoefficient(double t) { return 0.0; }

    @Override public double diffusion(double t) { return sigma(t) * Math.sqrt(2 * Math.log(sigmaMax / sigmaMin)); }

    @Override public double meanScale(double t) { return 1.0; }

    @Override public double std(double t) { return sigma(t); }

    @Override public double timeOfNoiseLevel(double sigma) { return Math.log(sigma / sigmaMin) / Math.log(sigmaMax / sigmaMin); }

    @Override public double priorStd() { return sigmaMax; }

    /** f_i = 0, G_i = sqrt(sigma(t + dt)^2 - sigma(t)^2) (Song et al. 2021, eq. 19 read over [t, t + dt]). */
    @Override public Discretisation discretise(Tensor x, double t, double dt) {
        double hi = sigma(t), lo = sigma(Math.max(0, t - dt));
        // score_sde pairs step i with sigma_i and sigma_{i-1}: the step that ends at t
        return new Discretisation(x.zerosLike(), Math.sqrt(Math.max(0, hi * hi - lo * lo)));
    }

    @Override public String describe() { return "VE SDE (sigmaMin=" + sigmaMin + ", sigmaMax=" + sigmaMax + ")"; }
}
