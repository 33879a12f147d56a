package org.diffusion4j.experiments.train;

/**
 * Writes the sample grid of a step (samples/step-N.png) during training. The loop calls it with the network
 * in evaluation mode and holding its EMA weights (when the run keeps an EMA), and restores the training
 * weights afterwards.
 */
@FunctionalInterface
public interface SampleWriter {
    void write(long step, Network network);
}
