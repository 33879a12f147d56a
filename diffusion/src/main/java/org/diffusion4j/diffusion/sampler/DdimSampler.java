package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.CountingDenoiser;
import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.TimestepSpacing;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

/**
 * DDIM (Song, Meng &amp; Ermon 2021, "Denoising diffusion implicit models", eq. 12): with x_0-hat and eps-hat the model's
 * estimates at x_t,
 * x_prev = sqrt(alpha-bar_prev) x_0-hat + sqrt(1 - alpha-bar_prev - s^2) eps-hat + s z,
 * s = eta sqrt((1 - alpha-bar_prev) / (1 - alpha-bar_t)) sqrt(1 - alpha-bar_t / alpha-bar_prev) (eq. 16).
 * eta = 0 is deterministic (the probability-flow ODE's discretisation); eta = 1 is DDPM's ancestral sampler with
 * beta-tilde. Any subsequence of timesteps works. One NFE per step.
 */
public final class DdimSampler implements Sampler {
    private final DiscreteSchedule schedule;
    private final int[] timesteps;
    private final double eta;

    public DdimSampler(DiscreteSchedule schedule, int steps, TimestepSpacing spacing, double eta) {
        if (!(eta >= 0)) throw new IllegalArgumentException("eta must be >= 0, got " + eta);
        this.schedule = schedule;
        this.timesteps = spacing.timesteps(schedule.steps(), steps);
        this.eta = eta;
    }

    @Override public String name() { return "ddim"; }

    @Override public SampleResult sample(Denoiser model, SampleRequest request) {
        SamplingContext ctx = new SamplingContext(model, request);
        ctx.start(ctx.initialNoise());
        for (int k = 0; k < timesteps.length; k++) {
            int i = timesteps[k], prev = k + 1 < timesteps.length ? timesteps[k + 1] : -1;
            long step = k;
            ctx.stepX(x -> update(ctx.model(), x, i, prev, eta, eta > 0 && prev >= 0 ? ctx.noise(step) : null));
        }
        return ctx.finish();
    }

    /** One DDIM move from index i to index to (-1 meaning x_0), deterministic when noise is null. */
    private Tensor update(Denoiser model, Tensor x, int i, int to, double eta, Tensor noise) {
        double ab = schedule.alphaBar(i), abTo = to < 0 ? 1.0 : schedule.alphaBar(to);
        if (!(ab > 0)) throw new IllegalArgumentException("alpha-bar at index " + i + " is 0: DDIM cannot start at zero SNR");
        Tensor x0 = model.denoise(x.mul(1 / Math.sqrt(ab)), schedule.sigma(i));
        // eps-hat = (x_t - sqrt(alpha-bar) x0-hat) / sqrt(1 - alpha-bar)
        Tensor eps = Tensor.linearCombination(1 / Math.sqrt(1 - ab), x, -Math.sqrt(ab) / Math.sqrt(1 - ab), x0, 0, null);
        double s = eta * Math.sqrt((1 - abTo) / (1 - ab)) * Math.sqrt(Math.max(0, 1 - ab / abTo));
        double dirCoef = Math.sqrt(Math.max(0, 1 - abTo - s * s));
        return Tensor.linearCombination(Math.sqrt(abTo), x0, dirCoef, eps, s, noise);
    }

    /**
     * DDIM inversion: runs the deterministic (eta = 0) update forwards, from data x_0 through the same timesteps in
     * increasing order, up to x_T (Song et al. 2021, Sec. 5.4). Decoding the result with eta = 0 gives x_0 back up to
     * the discretisation error. Returns the latent and the NFE.
     */
    public SampleResult encode(Denoiser model, Tensor x0) {
        CountingDenoiser counted = new CountingDenoiser(model);
        Tensor x = x0;
        // from the data (sigma = 0) to the smallest chosen timestep the model is not needed: x0-hat = x0 exactly
        int first = timesteps[timesteps.length - 1];
        x = Tensor.linearCombination(Math.sqrt(schedule.alphaBar(first)), x0, Math.sqrt(1 - schedule.alphaBar(first)),
                x0.zerosLike(), 0, null);
        for (int k = timesteps.length - 1; k > 0; k--) {
            int from = timesteps[k], to = timesteps[k - 1];
            Tensor next;
            try (Scope s = Scope.open()) {
                next = s.keep(update(counted, x, from, to, 0, null));
            }
            if (x != x0) x.storage().close();
            x = next;
        }
        return new SampleResult(x, counted.evaluations());
    }
}
