package org.diffusion4j.diffusion.schedule;

/**
 * What a denoiser or an objective needs to know of a diffusion process: its Gaussian marginals
 * x_t = alpha(t) x_0 + sigma(t) eps (Kingma et al. 2021, eq. 1; Karras et al. 2022, eq. 4 with s = alpha), and the
 * map between its time and the variance-exploding noise level sigma(t) / alpha(t). Implemented by the continuous
 * SDEs (time in [0, T]) and by the discrete DDPM chain (time = fractional timestep index).
 */
public interface MarginalProcess {
    /** alpha(t), the scale of x_0 in x_t. */
    double meanScale(double t);

    /** sigma(t), the standard deviation of the noise in x_t. */
    double std(double t);

    /** The variance-exploding noise level sigma(t) / alpha(t). */
    default double noiseLevel(double t) { return std(t) / meanScale(t); }

    /** The time whose noise level is sigma (the inverse of {@link #noiseLevel}). */
    double timeOfNoiseLevel(double sigma);
}
