package org.diffusion4j.experiments.config;

/**
 * The loop itself.
 *
 * @param batchSize    samples per step
 * @param steps        total optimiser steps
 * @param gradClip     clip the global gradient norm to this; 0 disables clipping
 * @param emaDecay     decay of the exponential moving average of the weights; 0 disables the EMA
 * @param labelDropout probability of replacing a label by "no class" (classifier-free guidance, Ho and
 *                     Salimans 2022)
 * @param logEvery     a metrics line every this many steps
 * @param emaWarmup    when true the n-th EMA update uses min(emaDecay, (1 + n) / (10 + n)), so that a short run's
 *                     average is not dominated by the random initial weights (default false: the plain EMA)
 */
public record TrainingConfig(Integer batchSize, Integer steps, Double gradClip, Double emaDecay, Double labelDropout,
                             Integer logEvery, Boolean emaWarmup) {
    public TrainingConfig {
        if (batchSize == null) batchSize = 128;
        if (steps == null) steps = 1000;
        if (gradClip == null) gradClip = 1.0;
        if (emaDecay == null) emaDecay = 0.999;
        if (labelDropout == null) labelDropout = 0.0;
        if (logEvery == null) logEvery = 10;
        if (emaWarmup == null) emaWarmup = false;
    }

    public static TrainingConfig defaults() { return new TrainingConfig(null, null, null, null, null, null, null); }
}
