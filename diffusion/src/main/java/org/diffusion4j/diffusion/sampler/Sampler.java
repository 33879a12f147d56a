package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.Denoiser;

/**
 * Draws samples from the distribution a denoiser describes. A sampler only ever asks the model for D(x; sigma) (and
 * the score derived from it), counts those evaluations (NFE), and is otherwise independent of the network and of
 * the backend. Noise comes from Philox with one stream per sample (sample i uses stream i), so a sample does not
 * depend on the batch it is drawn in.
 */
public interface Sampler {
    /** The sampler's registry name (see {@link Samplers}). */
    String name();

    /** Draws request.batch() samples. */
    SampleResult sample(Denoiser model, SampleRequest request);
}
