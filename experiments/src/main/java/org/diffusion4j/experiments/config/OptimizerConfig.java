package org.diffusion4j.experiments.config;

/**
 * AdamW (Loshchilov and Hutter 2019) with a linear warmup of the learning rate over the first warmupSteps.
 */
public record OptimizerConfig(Double lr, Double beta1, Double beta2, Double eps, Double weightDecay, Integer warmupSteps) {
    public OptimizerConfig {
        if (lr == null) lr = 2e-4;
        if (beta1 == null) beta1 = 0.9;
        if (beta2 == null) beta2 = 0.999;
        if (eps == null) eps = 1e-8;
        if (weightDecay == null) weightDecay = 0.0;
        if (warmupSteps == null) warmupSteps = 0;
    }

    public static OptimizerConfig defaults() { return new OptimizerConfig(null, null, null, null, null, null); }
}
