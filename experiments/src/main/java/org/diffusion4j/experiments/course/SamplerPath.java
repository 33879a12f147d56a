package org.diffusion4j.experiments.course;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.sampler.Sampler;
import org.diffusion4j.tensor.Tensor;

/**
 * A deterministic sampler together with the path it claims to follow, written on variance-exploding coordinates
 * y = x / alpha with noise level sigma, so that its exact endpoint can be computed by an {@link ExactFlow}:
 * the sampler starts from x = priorScale z at noise level sigmaStart, where x = startAlpha y; it follows the
 * probability-flow ODE down to sigmaEnd; and it returns either x = endAlpha y(sigmaEnd) or, when
 * endsWithDenoiser, the denoiser's answer D(y(sigmaEnd); sigmaEnd) (the last step to sigma = 0 of the EDM,
 * DPM-Solver and DDIM samplers, which is not an ODE step: see docs/course/07-samplers.md, "What the error measures").
 */
public record SamplerPath(Sampler sampler, double sigmaStart, double priorScale, double startAlpha, double sigmaEnd,
                          double endAlpha, boolean endsWithDenoiser) {

    public SamplerPath {
        if (sampler == null) throw new IllegalArgumentException("sampler must not be null");
        if (!(sigmaStart > sigmaEnd && sigmaEnd > 0)) throw new IllegalArgumentException("need sigmaStart > sigmaEnd > 0, got "
                + sigmaStart + " and " + sigmaEnd);
        if (!(startAlpha > 0) || !(endAlpha > 0) || !(priorScale > 0)) throw new IllegalArgumentException(
                "scales must be > 0, got priorScale=" + priorScale + ", startAlpha=" + startAlpha + ", endAlpha=" + endAlpha);
    }

    /** The exact endpoint of this path from the standard-normal start z [N, D]. */
    public Tensor exactEndpoint(ExactFlow flow, Denoiser model, Tensor z) {
        Tensor yStart = z.mul(priorScale / startAlpha);
        Tensor yEnd = flow.flow(yStart, sigmaStart, sigmaEnd);
        return endsWithDenoiser ? model.denoise(yEnd, sigmaEnd) : yEnd.mul(endAlpha);
    }
}
