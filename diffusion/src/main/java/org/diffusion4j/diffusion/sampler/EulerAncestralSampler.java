package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.tensor.Tensor;

/**
 * Euler ancestral sampling over any noise-level sequence (k-diffusion's sample_euler_ancestral, diffusers'
 * EulerAncestralDiscreteScheduler at eta = 1): each step splits sigma_{i+1} into the part reached deterministically
 * and fresh noise, sigma_up = min(sigma_{i+1}, eta sqrt(sigma_{i+1}^2 (sigma_i^2 - sigma_{i+1}^2) / sigma_i^2)),
 * sigma_down = sqrt(sigma_{i+1}^2 - sigma_up^2) (the DDPM posterior's variance written in sigma; Song et al. 2021,
 * DDIM eq. 16 with eta), then y_{i+1} = y_i + (sigma_down - sigma_i) (y_i - D(y_i; sigma_i)) / sigma_i + sigma_up z_i.
 * eta = 0 is {@link EulerSampler}. The last step returns D. NFE = N.
 */
public final class EulerAncestralSampler implements Sampler {
    private final SigmaPath path;
    private final double eta;

    public EulerAncestralSampler(SigmaPath path, double eta) {
        if (path == null) throw new IllegalArgumentException("sigma path must not be null");
        if (!(eta >= 0 && eta <= 1)) throw new IllegalArgumentException("eta must be in [0, 1], got " + eta);
        this.path = path;
        this.eta = eta;
    }

    @Override public String name() { return "euler-ancestral"; }

    @Override public SampleResult sample(Denoiser model, SampleRequest request) {
        SamplingContext ctx = new SamplingContext(model, request);
        ctx.start(ctx.initialNoise().mul(path.startScale()));
        for (int i = 0; i < path.steps(); i++) {
            double s = path.sigma(i), sNext = path.sigma(i + 1);
            double up = Math.min(sNext, eta * Math.sqrt(sNext * sNext * (s * s - sNext * sNext) / (s * s)));
            double down = Math.sqrt(sNext * sNext - up * up);
            long step = i;
            ctx.stepX(y -> {
                Tensor d = ctx.model().denoise(y, s);
                return Tensor.linearCombination(down / s, y, 1 - down / s, d, up, up > 0 ? ctx.noise(step) : null);
            });
        }
        return ctx.finish();
    }
}
