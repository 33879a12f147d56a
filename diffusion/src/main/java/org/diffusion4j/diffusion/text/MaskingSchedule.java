package org.diffusion4j.diffusion.text;

/**
 * alpha(t), the probability that a token is still unmasked at time t in [0, 1], decreasing from alpha(0) = 1 to
 * alpha(1) = 0, with its derivative. The ELBO weight of a masked token at time t is w(t) = -alpha'(t) / (1 - alpha(t))
 * (MDLM, Sahoo et al. 2024, Eq. 10).
 */
public interface MaskingSchedule {
    double alpha(double t);

    double alphaDerivative(double t);

    /** w(t) = -alpha'(t) / (1 - alpha(t)), the weight of the cross-entropy of a token masked at time t. */
    default double weight(double t) { return -alphaDerivative(t) / (1 - alpha(t)); }

    String name();

    /** alpha(t) = 1 - t; w(t) = 1 / t. MDLM's default ("log-linear" noise sigma(t) = -log(1 - t)). */
    MaskingSchedule LINEAR = new MaskingSchedule() {
        @Override public double alpha(double t) { return 1 - t; }
        @Override public double alphaDerivative(double t) { return -1; }
        @Override public double weight(double t) { return 1 / t; }
        @Override public String name() { return "linear"; }
    };

    /** alpha(t) = 1 - cos(pi/2 (1 - t)) (MD4's cosine schedule, Shi et al. 2024, Table 4). */
    MaskingSchedule COSINE = new MaskingSchedule() {
        @Override public double alpha(double t) { return 1 - Math.cos(Math.PI / 2 * (1 - t)); }
        @Override public double alphaDerivative(double t) { return -Math.PI / 2 * Math.sin(Math.PI / 2 * (1 - t)); }
        @Override public String name() { return "cosine"; }
    };

    static MaskingSchedule named(String name) {
        return switch (name) {
            case "linear" -> LINEAR;
            case "cosine" -> COSINE;
            default -> throw new IllegalArgumentException("unknown masking schedule '" + name + "', expected linear or cosine");
        };
    }
}
