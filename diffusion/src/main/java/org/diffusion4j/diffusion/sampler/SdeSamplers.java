package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.tensor.Tensor;

/** Small helpers shared by the samplers that integrate an {@link Sde}. */
final class SdeSamplers {
    private SdeSamplers() { }

    static void checkSteps(int steps, double endTime, Sde sde) {
        if (sde == null) throw new IllegalArgumentException("sde must not be null");
        if (steps < 1) throw new IllegalArgumentException("number of steps must be >= 1, got " + steps);
        if (!(endTime > 0 && endTime < sde.endTime())) throw new IllegalArgumentException("end time must be in (0, "
                + sde.endTime() + "), got " + endTime);
    }

    /** E[x_0 | x_t] by Tweedie's formula: D(x_t / alpha(t); sigma(t) / alpha(t)). */
    static Tensor tweedie(Denoiser model, Sde sde, Tensor x, double t) {
        return model.denoise(x.mul(1 / sde.meanScale(t)), sde.noiseLevel(t));
    }
}
