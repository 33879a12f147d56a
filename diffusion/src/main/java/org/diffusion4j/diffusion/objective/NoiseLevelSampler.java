package org.diffusion4j.diffusion.objective;

import org.diffusion4j.diffusion.schedule.MarginalProcess;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;

/**
 * Draws each training sample's process time. Sample n uses Philox stream n under the given seed (elements 0 and 1),
 * so a sample's noise level does not depend on its batch.
 */
@FunctionalInterface
public interface NoiseLevelSampler {
    /** Times t_n for n = 0..count-1 on the given process. */
    double[] times(MarginalProcess process, int count, long seed);

    private static double uniform(long seed, int n, int element) {
        return Philox.element(RandomKind.UNIFORM, DType.F64, seed, n, element);
    }

    /** A uniform integer timestep index in [0, steps) (Ho et al. 2020, Algorithm 1). */
    static NoiseLevelSampler uniformTimestep(int steps) {
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        return (p, count, seed) -> {
            double[] t = new double[count];
            for (int n = 0; n < count; n++) t[n] = Math.min(steps - 1, Math.floor(uniform(seed, n, 0) * steps));
            return t;
        };
    }

    /** t uniform on [tMin, tMax] (Song et al. 2021 train on [1e-5, 1]). */
    static NoiseLevelSampler uniformTime(double tMin, double tMax) {
        if (!(tMax > tMin)) throw new IllegalArgumentException("need tMin < tMax, got " + tMin + " and " + tMax);
        return (p, count, seed) -> {
            double[] t = new double[count];
            for (int n = 0; n < count; n++) t[n] = tMin + (tMax - tMin) * uniform(seed, n, 0);
            return t;
        };
    }

    /**
     * ln sigma ~ N(pMean, pStd^2) (Karras et al. 2022, Sec. 5 and Table 1: pMean = -1.2, pStd = 1.2); the time is the
     * process's time of that noise level.
     */
    static NoiseLevelSampler logNormal(double pMean, double pStd) {
        if (!(pStd > 0)) throw new IllegalArgumentException("P_std must be > 0, got " + pStd);
        return (p, count, seed) -> {
            double[] t = new double[count];
            for (int n = 0; n < count; n++) {
                double z = Philox.element(RandomKind.NORMAL, DType.F64, seed, n, 0);
                t[n] = p.timeOfNoiseLevel(Math.exp(pMean + pStd * z));
            }
            return t;
        };
    }

    /** One of a fixed set of noise levels, uniformly (NCSN, Song &amp; Ermon 2019, eq. 6). */
    static NoiseLevelSampler uniformLevel(double[] sigmas) {
        if (sigmas.length < 1) throw new IllegalArgumentException("need at least one noise level");
        double[] copy = sigmas.clone();
        return (p, count, seed) -> {
            double[] t = new double[count];
            for (int n = 0; n < count; n++) {
                int k = (int) Math.min(copy.length - 1, Math.floor(uniform(seed, n, 0) * copy.length));
                t[n] = p.timeOfNoiseLevel(copy[k]);
            }
            return t;
        };
    }
}
