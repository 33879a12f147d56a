package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.sde.ReverseSde;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.tensor.Tensor;

/**
 * Integrates the probability-flow ODE dx/dt = f(x, t) - g(t)^2 score(x, t) / 2 (Song et al. 2021, eq. 13) from
 * x_T = priorStd z at t = T down to tEnd with N equal steps of a fixed-step Runge-Kutta method (Euler, Heun, RK4).
 * Deterministic: the same z always gives the same sample. NFE = N times the method's evaluations (+ 1 with
 * denoiseFinal, Tweedie's formula at tEnd).
 */
public final class ProbabilityFlowSampler implements Sampler {
    private final Sde sde;
    private final OdeMethod method;
    private final int steps;
    private final double endTime;
    private final boolean denoiseFinal;

    public ProbabilityFlowSampler(Sde sde, OdeMethod method, int steps, double endTime, boolean denoiseFinal) {
        SdeSamplers.checkSteps(steps, endTime, sde);
        this.sde = sde;
        this.method = method;
        this.steps = steps;
        this.endTime = endTime;
        this.denoiseFinal = denoiseFinal;
    }

    @Override public String name() { return "ode-" + method.name().toLowerCase(java.util.Locale.ROOT); }

    @Override public SampleResult sample(Denoiser model, SampleRequest request) {
        SamplingContext ctx = new SamplingContext(model, request);
        ReverseSde ode = sde.reverse(ctx.model().scoreOn(sde), true);
        ctx.start(ctx.initialNoise().mul(sde.priorStd()));
        double h = -(sde.endTime() - endTime) / steps;   // time runs backwards
        for (int k = 0; k < steps; k++) {
            double t = sde.endTime() + k * h;
            ctx.stepX(x -> step(ode, x, t, h));
        }
        if (denoiseFinal) ctx.stepX(x -> SdeSamplers.tweedie(ctx.model(), sde, x, endTime));
        return ctx.finish();
    }

    private Tensor step(ReverseSde ode, Tensor x, double t, double h) {
        return switch (method) {
            case EULER -> Tensor.linearCombination(1, x, h, ode.drift(x, t), 0, null);
            case HEUN -> {
                Tensor k1 = ode.drift(x, t);
                Tensor k2 = ode.drift(Tensor.linearCombination(1, x, h, k1, 0, null), t + h);
                yield Tensor.linearCombination(1, x, h / 2, k1, h / 2, k2);
            }
            case RK4 -> {
                Tensor k1 = ode.drift(x, t);
                Tensor k2 = ode.drift(Tensor.linearCombination(1, x, h / 2, k1, 0, null), t + h / 2);
                Tensor k3 = ode.drift(Tensor.linearCombination(1, x, h / 2, k2, 0, null), t + h / 2);
                Tensor k4 = ode.drift(Tensor.linearCombination(1, x, h, k3, 0, null), t + h);
                Tensor partial = Tensor.linearCombination(1, x, h / 6, k1, h / 3, k2);
                yield Tensor.linearCombination(1, partial, h / 3, k3, h / 6, k4);
            }
        };
    }
}
