package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.tensor.Tensor;

/**
 * Euler's method on the probability-flow ODE dy/dsigma = (y - D(y; sigma)) / sigma over any noise-level sequence
 * (Karras et al. 2022, Algorithm 1 without the Heun correction; k-diffusion's sample_euler, diffusers'
 * EulerDiscreteScheduler): d_i = (y_i - D(y_i; sigma_i)) / sigma_i, y_{i+1} = y_i + (sigma_{i+1} - sigma_i) d_i.
 * The last step (to sigma = 0) returns D. NFE = N.
 */
public final class EulerSampler implements Sampler {
    private final SigmaPath path;

    public EulerSampler(SigmaPath path) {
        if (path == null) throw new IllegalArgumentException("sigma path must not be null");
        this.path = path;
    }

    @Override public String name() { return "euler"; }

    @Override public SampleResult sample(Denoiser model, SampleRequest request) {
        SamplingContext ctx = new SamplingContext(model, request);
        ctx.start(ctx.initialNoise().mul(path.startScale()));
        for (int i = 0; i < path.steps(); i++) {
            double s = path.sigma(i), sNext = path.sigma(i + 1);
            ctx.stepX(y -> {
                Tensor d = ctx.model().denoise(y, s);
                // y + (sNext - s) (y - D) / s = (sNext / s) y + (1 - sNext / s) D
                return Tensor.linearCombination(sNext / s, y, 1 - sNext / s, d, 0, null);
            });
        }
        return ctx.finish();
    }
}
