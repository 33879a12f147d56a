package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.sde.ReverseSde;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.tensor.Tensor;

/**
 * The probability-flow ODE (Song et al. 2021, eq. 13) integrated with adaptive Dormand-Prince RK45 to tolerances
 * rtol, atol (Song et al. use scipy's RK45 with rtol = atol = 1e-5). NFE depends on the tolerances and the model.
 */
public final class AdaptiveProbabilityFlowSampler implements Sampler {
    private final Sde sde;
    private final double rtol, atol, endTime;
    private final boolean denoiseFinal;

    public AdaptiveProbabilityFlowSampler(Sde sde, double rtol, double atol, double endTime, boolean denoiseFinal) {
        SdeSamplers.checkSteps(1, endTime, sde);
        if (!(rtol > 0)) throw new IllegalArgumentException("rtol must be > 0, got " + rtol);
        if (!(atol > 0)) throw new IllegalArgumentException("atol must be > 0, got " + atol);
        this.sde = sde;
        this.rtol = rtol;
        this.atol = atol;
        this.endTime = endTime;
        this.denoiseFinal = denoiseFinal;
    }

    @Override public String name() { return "ode-rk45"; }

    @Override public SampleResult sample(Denoiser model, SampleRequest request) {
        SamplingContext ctx = new SamplingContext(model, request);
        ReverseSde ode = sde.reverse(ctx.model().scoreOn(sde), true);
        Tensor x0 = ctx.initialNoise().mul(sde.priorStd());
        ctx.start(x0);
        ctx.stepX(x -> DormandPrince.integrate(ode::drift, x, sde.endTime(), endTime, rtol, atol).x());
        if (denoiseFinal) ctx.stepX(x -> SdeSamplers.tweedie(ctx.model(), sde, x, endTime));
        return ctx.finish();
    }
}
