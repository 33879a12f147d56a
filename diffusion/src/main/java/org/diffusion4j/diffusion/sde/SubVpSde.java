package org.diffusion4j.diffusion.sde;

/**
 * The sub-VP SDE dx = -beta(t)/2 x dt + sqrt(beta(t) (1 - exp(-2 B(t)))) dw (Song et al. 2021, eq. 17), with the
 * same linear beta(t) and B(t) as {@link VpSde}. Its kernel is N(exp(-B/2) x0, (1 - exp(-B))^2 I) (their eq. 29):
 * the variance is everywhere below the VP one.
 */
public final class SubVpSde extends Sde {
    private final VpSde vp;

    public SubVpSde(double betaMin, double betaMax) {
        super(1.0);
        this.vp = new VpSde(betaMin, betaMax, 1000);
    }

    public SubVpSde() { this(0.1, 20); }

    @Override public double driftCoefficient(double t) { return vp.driftCoefficient(t); }

    @Override public double diffusion(double t) {
        return Math.sqrt(vp.beta(t) * -Math.expm1(-2 * vp.integratedBeta(t)));
    }

    @Override public double meanScale(double t) { return vp.meanScale(t); }

    @Override public double std(double t) { return -Math.expm1(-vp.integratedBeta(t)); }

    /** noise level (1 - e^-B) / e^(-B/2) = 2 sinh(B/2), so B = 2 asinh(sigma / 2). */
    @Override public double timeOfNoiseLevel(double sigma) {
        double x = sigma / 2;
        double b = 2 * Math.log(x + Math.sqrt(x * x + 1));
        double betaMin = vp.beta(0), a = 0.5 * (vp.beta(1) - betaMin);
        return (-betaMin + Math.sqrt(betaMin * betaMin + 4 * a * b)) / (2 * a);
    }

    @Override public double priorStd() { return 1.0; }

    @Override public String describe() { return "sub-VP SDE (betaMin=" + vp.beta(0) + ", betaMax=" + vp.beta(1) + ")"; }
}
