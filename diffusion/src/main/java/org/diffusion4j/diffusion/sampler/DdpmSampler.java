package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.ddpm.DdpmChain;
import org.diffusion4j.diffusion.ddpm.ReverseVariance;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.TimestepSpacing;
import org.diffusion4j.tensor.Tensor;

/**
 * Ancestral sampling of DDPM (Ho et al. 2020, Algorithm 2): from x_T ~ N(0, I), repeatedly draw
 * x_{t-1} ~ N(mu_theta(x_t, t), sigma_t^2 I) with mu_theta the posterior mean at the model's x_0 estimate (eq. 7) and
 * sigma_t^2 = beta_t or beta-tilde_t; no noise on the last step. With fewer steps than the chain, the timesteps are
 * respaced (Nichol &amp; Dhariwal 2021, Sec. 4): the step from index i to the previous chosen index uses the betas
 * 1 - alpha-bar_i / alpha-bar_prev. One NFE per step.
 */
public final class DdpmSampler implements Sampler {
    private final DdpmChain chain;
    private final int[] timesteps;
    private final ReverseVariance variance;

    public DdpmSampler(DiscreteSchedule schedule, int steps, TimestepSpacing spacing, ReverseVariance variance) {
        this(schedule, spacing.timesteps(schedule.steps(), steps), variance);
    }

    /** DDPM over explicit 0-based timesteps, descending. */
    public DdpmSampler(DiscreteSchedule schedule, int[] timesteps, ReverseVariance variance) {
        this.chain = new DdpmChain(schedule);
        this.timesteps = checkTimesteps(schedule, timesteps);
        this.variance = variance;
    }

    /** A copy of timesteps after checking they are distinct 0-based indices of the schedule, descending. */
    static int[] checkTimesteps(DiscreteSchedule schedule, int[] timesteps) {
        if (timesteps.length < 1) throw new IllegalArgumentException("need at least one timestep, got none");
        for (int k = 0; k < timesteps.length; k++) {
            if (timesteps[k] < 0 || timesteps[k] >= schedule.steps()) throw new IllegalArgumentException("timestep " + timesteps[k]
                    + " is outside [0, " + (schedule.steps() - 1) + "]");
            if (k > 0 && timesteps[k] >= timesteps[k - 1]) throw new IllegalArgumentException("timesteps must decrease: "
                    + timesteps[k] + " after " + timesteps[k - 1]);
        }
        return timesteps.clone();
    }

    @Override public String name() { return "ddpm"; }

    @Override public SampleResult sample(Denoiser model, SampleRequest request) {
        SamplingContext ctx = new SamplingContext(model, request);
        ctx.start(ctx.initialNoise());
        for (int k = 0; k < timesteps.length; k++) {
            int i = timesteps[k], prev = k + 1 < timesteps.length ? timesteps[k + 1] : -1;
            long step = k;
            ctx.stepX(x -> {
                DdpmChain.Posterior p = chain.posterior(i, prev);
                double ab = chain.schedule().alphaBar(i), sd = prev < 0 ? 0 : Math.sqrt(p.variance(variance));
                var affine = ab > 0 ? ctx.model().denoiseAffine(x, 1 / Math.sqrt(ab), chain.schedule().sigma(i)) : java.util.Optional.<Denoiser.AffineDenoised>empty();
                if (affine.isPresent()) {
                    // mean = c0 x0-hat + ct x_t with x0-hat = cx x_t + cf F: the step is one combination of x_t, F and noise
                    var d = affine.get();
                    return Tensor.linearCombination(p.x0Coefficient() * d.xCoefficient() + p.xtCoefficient(), x,
                            p.x0Coefficient() * d.outputCoefficient(), d.output(), sd, prev < 0 ? null : ctx.noise(step));
                }
                Tensor mean = p.mean(chain.predictX0(ctx.model(), x, i), x);
                if (prev < 0) return mean;
                return Tensor.linearCombination(1, mean, sd, ctx.noise(step), 0, null);
            });
        }
        return ctx.finish();
    }
}
