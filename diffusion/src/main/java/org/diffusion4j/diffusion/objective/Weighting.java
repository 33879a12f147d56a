package org.diffusion4j.diffusion.objective;

import org.diffusion4j.diffusion.sde.Sde;

/**
 * The per-sample weight of the squared error |F - target|^2 in a denoising objective. Weightings that the
 * literature states on another scale (the denoised x_0 or the score) are converted with the parameterisation's
 * error scale w (|D - x_0|^2 = w |F - target|^2) and, for the score, |score error| = (a / s^2) |D - x_0| on a
 * process x_t = a x_0 + s eps.
 */
@FunctionalInterface
public interface Weighting {
    /**
     * @param t          the process time
     * @param a          mean scale at t
     * @param s          noise std at t
     * @param errorScale the parameterisation's w at (a, s)
     */
    double weight(double t, double a, double s, double errorScale);

    /** Unit weight on the network's own output: Ho et al.'s L_simple for epsilon (2020, eq. 14), and the EDM loss with EDM preconditioning. */
    static Weighting simple() { return (t, a, s, w) -> 1.0; }

    /** Denoising score matching with lambda(sigma) = sigma^2 on the score error (Song &amp; Ermon 2019, eq. 6; Song et al. 2021, eq. 7 default). */
    static Weighting scoreSigmaSquared() { return (t, a, s, w) -> s * s * (a * a / (s * s * s * s)) * w; }

    /**
     * Likelihood weighting lambda(t) = g(t)^2 on the score error (Song, Durkan, Murray &amp; Ermon 2021, "Maximum
     * likelihood training of score-based diffusion models", Theorem 1), which makes the loss an upper bound on the
     * negative log-likelihood.
     */
    static Weighting likelihood(Sde sde) {
        return (t, a, s, w) -> {
            double g = sde.diffusion(t);
            return g * g * (a * a / (s * s * s * s)) * w;
        };
    }

    /**
     * Min-SNR-gamma (Hang et al. 2023, "Efficient diffusion training via Min-SNR weighting strategy", eq. 8-9):
     * weight min(SNR, gamma) on |D - x_0|^2 with SNR = a^2 / s^2; e.g. min(SNR, gamma) / SNR for epsilon prediction.
     */
    static Weighting minSnr(double gamma) {
        if (!(gamma > 0)) throw new IllegalArgumentException("Min-SNR gamma must be > 0, got " + gamma);
        return (t, a, s, w) -> Math.min(a * a / (s * s), gamma) * w;
    }

    /**
     * EDM's lambda(sigma) = (sigma^2 + sd^2) / (sigma sd)^2 on |D - x_0|^2 (Karras et al. 2022, Table 1); with EDM
     * preconditioning it equals 1 / c_out^2, i.e. unit weight on F.
     */
    static Weighting edm(double sigmaData) {
        double sd2 = sigmaData * sigmaData;
        return (t, a, s, w) -> {
            double sigma2 = (s / a) * (s / a);
            return (sigma2 + sd2) / (sigma2 * sd2) * w;
        };
    }
}
