package org.diffusion4j.experiments.generators;

import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.tensor.Tensor;

/**
 * A model that samples in one network evaluation from a standard-normal latent: a GAN's generator, a VAE's decoder.
 * It is a {@link NoiseConditionalNetwork} only so that the trainer, which needs its module, can hold it: its forward
 * maps latents to samples and takes no noise level.
 */
public interface LatentGenerator extends NoiseConditionalNetwork {
    /** count samples [count, dim] from the latents drawn from seed (latent i on Philox stream i), without a tape. */
    Tensor generate(int count, long seed);

    int latentDim();
}
