package org.diffusion4j.experiments.config;

import java.util.List;

/**
 * The forward process and the training objective.
 *
 * <ul>
 *   <li>{@code eps}, {@code x0}, {@code v}: DDPM (Ho et al. 2020, eq. 14) with the network predicting the
 *       noise, the clean sample or the velocity v = sqrt(abar) eps - sqrt(1-abar) x0 (Salimans and Ho 2022);
 *       uses schedule, timesteps, betaStart, betaEnd.</li>
 *   <li>{@code dsm}: NCSN denoising score matching over geometric noise levels (Song and Ermon 2019, eq. 5);
 *       uses sigmaMin, sigmaMax, noiseLevels.</li>
 *   <li>{@code vp-sde}: continuous-time score matching on the VP SDE (Song et al. 2021, eq. 7 and 11);
 *       uses betaMin, betaMax.</li>
 *   <li>{@code edm}: Karras et al. 2022 preconditioning and loss weighting, log sigma ~ N(pMean, pStd^2);
 *       uses sigmaData, pMean, pStd, sigmaMin, sigmaMax (for sampling).</li>
 * </ul>
 */
public record DiffusionConfig(String objective, String schedule, Integer timesteps, Double betaStart, Double betaEnd,
                              Double sigmaMin, Double sigmaMax, Integer noiseLevels, Double betaMin, Double betaMax,
                              Double sigmaData, Double pMean, Double pStd) {
    public static final List<String> OBJECTIVES = List.of("eps", "x0", "v", "dsm", "vp-sde", "edm");
    public static final List<String> SCHEDULES = List.of("linear", "scaled-linear", "cosine", "sigmoid");

    public DiffusionConfig {
        if (objective == null) objective = "eps";
        if (schedule == null) schedule = "linear";
        if (timesteps == null) timesteps = 1000;
        if (betaStart == null) betaStart = 1e-4;
        if (betaEnd == null) betaEnd = 0.02;
        if (sigmaMin == null) sigmaMin = 0.01;
        if (sigmaMax == null) sigmaMax = 50.0;
        if (noiseLevels == null) noiseLevels = 10;
        if (betaMin == null) betaMin = 0.1;
        if (betaMax == null) betaMax = 20.0;
        if (sigmaData == null) sigmaData = 0.5;
        if (pMean == null) pMean = -1.2;
        if (pStd == null) pStd = 1.2;
    }

    public static DiffusionConfig defaults() {
        return new DiffusionConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** True for the objectives trained on the discrete DDPM chain. */
    public boolean usesDiscreteChain() { return List.of("eps", "x0", "v").contains(objective); }
}
