package org.diffusion4j.experiments.train;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.tensor.Tensor;

/**
 * What the trainer minimises at one step: a scalar whose gradient, after one backward pass, is the update direction
 * of every parameter. A diffusion run's is its DenoisingObjective's loss; the baselines (GAN, VAE) have their own.
 */
@FunctionalInterface
public interface TrainingLoss {
    /**
     * @param x0        the step's clean batch [B, ...]
     * @param condition the batch's condition after label dropout
     * @param seed      the step's Philox key for everything random in the loss (noise, levels, latents)
     */
    Variable loss(NoiseConditionalNetwork network, Tensor x0, Conditioning condition, long seed);
}
