package org.diffusion4j.diffusion.param;

/**
 * The value a network is conditioned on at process time t with variance-exploding noise level sigma:
 * DDPM's integer timestep (Ho et al. 2020), score_sde's 999 t for VP or sigma for VE (Song et al. 2021),
 * EDM's c_noise = ln(sigma) / 4 (Karras et al. 2022, Table 1).
 */
@FunctionalInterface
public interface NoiseConditioning {
    double value(double t, double sigma);

    /** scale * t (scale 1 for a discrete chain, whose time already is the timestep index; 999 for score_sde's VP). */
    static NoiseConditioning time(double scale) { return (t, sigma) -> scale * t; }

    /** ln(sigma) / 4 (Karras et al. 2022, Table 1, "EDM" column). */
    static NoiseConditioning logSigmaQuarter() { return (t, sigma) -> Math.log(sigma) / 4; }

    /** sigma itself (NCSN). */
    static NoiseConditioning sigma() { return (t, sigma) -> sigma; }
}
