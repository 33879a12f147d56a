package org.diffusion4j.experiments.train;

import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.sde.VpSde;

/**
 * Which noise levels training visits, and what the network is told about the level (its time input
 * c_noise). Noise levels are sigma on variance-exploding coordinates, x = x0 + sigma n.
 */
public interface NoiseDistribution {
    /** One noise level per sample, from the uniforms u in (0, 1) (one per sample). */
    double sigma(double u);

    /** The network's time input at noise level sigma. */
    double networkTime(double sigma);

    /** DDPM: t uniform on {0..T-1}, sigma_t = sqrt((1 - abar_t)/abar_t); the network sees the index t. */
    static NoiseDistribution discrete(DiscreteSchedule schedule) {
        return new NoiseDistribution() {
            public double sigma(double u) { return schedule.sigma(Math.min(schedule.steps() - 1, (int) Math.floor(u * schedule.steps()))); }
            public double networkTime(double sigma) { return schedule.indexOfSigma(sigma); }
        };
    }

    /**
     * NCSN: sigma uniform over L geometric levels from sigmaMax down to sigmaMin (Song and Ermon 2019, sec. 4.2);
     * the network sees ln(sigma) / 4 (as EDM's c_noise), so it can be asked about any level when sampling.
     */
    static NoiseDistribution geometric(double sigmaMin, double sigmaMax, int levels) {
        return new NoiseDistribution() {
            public double sigma(double u) {
                int i = Math.min(levels - 1, (int) Math.floor(u * levels));
                return sigmaMax * Math.pow(sigmaMin / sigmaMax, (double) i / (levels - 1));
            }
            public double networkTime(double sigma) { return Math.log(sigma) / 4; }
        };
    }

    /**
     * Continuous VP SDE (Song et al. 2021, eq. 7 and 11): t uniform on (eps, 1], sigma(t) = s(t)/alpha(t);
     * the network sees 999 t (score_sde's convention for DDPM-style networks).
     */
    static NoiseDistribution vpSde(VpSde sde, double eps) {
        return new NoiseDistribution() {
            public double sigma(double u) { return sde.noiseLevel(eps + (1 - eps) * u); }
            public double networkTime(double sigma) { return 999 * sde.timeOfNoiseLevel(sigma); }
        };
    }

    /** EDM: ln sigma ~ N(pMean, pStd^2) (Karras et al. 2022, Table 1); the network sees ln(sigma) / 4. */
    static NoiseDistribution logNormal(double pMean, double pStd) {
        return new NoiseDistribution() {
            public double sigma(double u) { return Math.exp(pMean + pStd * StandardNormalQuantile.of(u)); }
            public double networkTime(double sigma) { return Math.log(sigma) / 4; }
        };
    }
}
