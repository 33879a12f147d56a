package org.diffusion4j.diffusion.ddpm;

/**
 * The fixed variance sigma_t^2 of the reverse step p(x_{t-1} | x_t) = N(mu, sigma_t^2 I) (Ho et al. 2020, Sec. 3.2):
 * beta_t (optimal for x_0 ~ N(0, I)) or the posterior's beta-tilde_t = (1 - alpha-bar_{t-1}) / (1 - alpha-bar_t) beta_t
 * (optimal for x_0 deterministic). Both give similar samples.
 */
public enum ReverseVariance {
    BETA, BETA_TILDE
}
