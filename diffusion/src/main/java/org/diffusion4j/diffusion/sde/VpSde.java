package org.diffusion4j.diffusion.sde;

import org.diffusion4j.tensor.Tensor;

/**
 * The variance-preserving SDE dx = -beta(t)/2 x dt + sqrt(beta(t)) dw with beta(t) = betaMin + t (betaMax - betaMin)
 * on [0, 1] (Song et al. 2021, eq. 11 and Appendix C; betaMin = 0.1, betaMax = 20).
 *
 * <p>With B(t) = int_0^t beta = betaMin t + (betaMax - betaMin) t^2 / 2, the kernel is
 * N(exp(-B/2) x0, (1 - exp(-B)) I) (their eq. 29).
 *
 * <p>Link to DDPM (Ho et al. 2020): the discrete chain x_i = sqrt(1 - beta_i) x_{i-1} + sqrt(beta_i) z with
 * beta_i = beta(i/N)/N is this SDE's discretisation (Song et al. 2021, Appendix B, eq. 21-23); as N grows,
 * prod (1 - beta_i) tends to exp(-B(t)). {@link #discretise} uses exactly that chain.
 */
public final class VpSde extends Sde {
    private final double betaMin, betaMax;
    private final int discreteSteps;

    public VpSde(double betaMin, double betaMax, int discreteSteps) {
        super(1.0);
        if (!(betaMin > 0)) throw new IllegalArgumentException("betaMin must be > 0, got " + betaMin);
        if (!(betaMax > betaMin)) throw new IllegalArgumentException("betaMax must be > betaMin = " + betaMin + ", got " + betaMax);
        if (discreteSteps < 1) throw new IllegalArgumentException("discrete steps N must be >= 1, got " + discreteSteps);
        this.betaMin = betaMin;
        this.betaMax = betaMax;
        this.discreteSteps = discreteSteps;
    }

    /** Song et al.'s defaults: betaMin 0.1, betaMax 20, N = 1000. */
    public VpSde() { this(0.1, 20, 1000); }

    public double beta(double t) { return betaMin + t * (betaMax - betaMin); }

    /** B(t) = int_0^t beta(s) ds. */
    public double integratedBeta(double t) { return betaMin * t + 0.5 * (betaMax - betaMin) * t * t; }

    @Override public double driftCoefficient(double t) { return -0.5 * beta(t); }

    @Override public double diffusion(double t) { return Math.sqrt(beta(t)); }

    @Override public double meanScale(double t) { return Math.exp(-0.5 * integratedBeta(t)); }

    @Override public double std(double t) { return Math.sqrt(-Math.expm1(-integratedBeta(t))); }

    /** sigma^2 = exp(B) - 1, so B = log(1 + sigma^2); solve the quadratic for t. */
    @Override public double timeOfNoiseLevel(double sigma) {
        double b = Math.log1p(sigma * sigma);
        double a = 0.5 * (betaMax - betaMin);
        return (-betaMin + Math.sqrt(betaMin * betaMin + 4 * a * b)) / (2 * a);
    }

    @Override public double priorStd() { return 1.0; }

    /** DDPM's step: f_i = (sqrt(1 - beta_i) - 1) x, G_i = sqrt(beta_i), beta_i = beta(t) dt (Song et al. 2021, eq. 21). */
    @Override public Discretisation discretise(Tensor x, double t, double dt) {
        double b = beta(t) * dt;
        return new Discretisation(x.mul(Math.sqrt(1 - b) - 1), Math.sqrt(b));
    }

    public int discreteSteps() { return discreteSteps; }

    @Override public String describe() { return "VP SDE (betaMin=" + betaMin + ", betaMax=" + betaMax + ")"; }
}
