package org.diffusion4j.diffusion.sde;

/**
 * The process of Karras et al. 2022 ("Elucidating the design space of diffusion-based generative models"):
 * sigma(t) = t, s(t) = 1, so x(t) = x0 + t eps and dx = sqrt(2t) dw (their eq. 6 with sigma-dot sigma = t); the
 * probability-flow ODE is dx/dt = -t score(x; t) = (x - D(x; t)) / t (eq. 3-4). Time equals noise level.
 */
public final class EdmSde extends Sde {
    private final double sigmaMax;

    public EdmSde(double sigmaMax) {
        super(sigmaMax);
        this.sigmaMax = sigmaMax;
    }

    /** Karras et al.'s default sigmaMax = 80. */
    public EdmSde() { this(80); }

    @Override public double driftCoefficient(double t) { return 0.0; }

    @Override public double diffusion(double t) { return Math.sqrt(2 * t); }

    @Override public double meanScale(double t) { return 1.0; }

    @Override public double std(double t) { return t; }

    @Override public double timeOfNoiseLevel(double sigma) { return sigma; }

    @Override public double priorStd() { return sigmaMax; }

    @Override public String describe() { return "EDM process sigma(t) = t (sigmaMax=" + sigmaMax + ")"; }
}
