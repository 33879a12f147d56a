package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.sde.ReverseSde;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.tensor.Tensor;

/**
 * Euler-Maruyama on the reverse-time SDE (Song et al. 2021, eq. 6): from x_T ~ p_T, with dt = (T - tEnd) / N,
 * x &lt;- x - [f(x, t) - g(t)^2 score(x, t)] dt + g(t) sqrt(dt) z, for t = T, T - dt, ..., tEnd + dt. With
 * denoiseFinal, the result is D(x / alpha; sigma) at tEnd (Tweedie's formula, one more NFE) instead of the noisy
 * x(tEnd). NFE = N (+ 1).
 */
public final class EulerMaruyamaSampler implements Sampler {
    private final Sde sde;
    private final int steps;
    private final double endTime;
    private final boolean denoiseFinal;

    public EulerMaruyamaSampler(Sde sde, int steps, double endTime, boolean denoiseFinal) {
        SdeSamplers.checkSteps(steps, endTime, sde);
        this.sde = sde;
        this.steps = steps;
        this.endTime = endTime;
        this.denoiseFinal = denoiseFinal;
    }

    @Override public String name() { return "euler-maruyama"; }

    @Override public SampleResult sample(Denoiser model, SampleRequest request) {
        SamplingContext ctx = new SamplingContext(model, request);
        ReverseSde reverse = sde.reverse(ctx.model().scoreOn(sde), false);
        ctx.start(ctx.initialNoise().mul(sde.priorStd()));
        double dt = (sde.endTime() - endTime) / steps;
        for (int k = 0; k < steps; k++) {
            double t = sde.endTime() - k * dt;
            long s = k;
            ctx.stepX(x -> Tensor.linearCombination(1, x, -dt, reverse.drift(x, t), reverse.diffusion(t) * Math.sqrt(dt), ctx.noise(s)));
        }
        if (denoiseFinal) ctx.stepX(x -> SdeSamplers.tweedie(ctx.model(), sde, x, endTime));
        return ctx.finish();
    }
}
