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
        this(schedule, spacing.timesteps(schedule.steps(), steps), eta);
    }

    /** DDIM over explicit 0-based timesteps, descending, each step going to the next one. */
    public DdimSampler(DiscreteSchedule schedule, int[] timesteps, double eta) { this(schedule, timesteps, eta, 0); }

    /**
     * DDIM over explicit 0-based timesteps; with stride &gt; 0 each step from t goes to t - stride (x_0 below 0) instead
     * of to the next timestep, as diffusers' DDIMScheduler does with stride T // S (its prev_timestep). The two agree
     * for leading and trailing spacing of T divisible by S; with linspace spacing diffusers' rule lands between the
     * listed timesteps, and the model is then asked at a timestep whose noise level x does not have.
     */
    public DdimSampler(DiscreteSchedule schedule, int[] timesteps, double eta, int stride) {
        if (!(eta >= 0)) throw new IllegalArgumentException("eta must be >= 0, got " + eta);
        if (stride < 0) throw new IllegalArgumentException("stride must be >= 0, got " + stride);
        this.schedule = schedule;
        this.timesteps = DdpmSampler.checkTimesteps(schedule, timesteps);
        this.eta = eta;
        this.stride = stride;
    }

    private final int stride;

    @Override public String name() { return "ddim"; }

    @Override public SampleResult sample(Denoiser model, SampleRequest request) {
        SamplingContext ctx = new SamplingContext(model, request);
        ctx.start(ctx.initialNoise());
        for (int k = 0; k < timesteps.length; k++) {
            int i = timesteps[k];
            int prev = stride > 0 ? Math.max(-1, i - stride) : k + 1 < timesteps.length ? timesteps[k + 1] : -1;
            long step = k;
            ctx.stepX(x -> update(ctx.model(), x, i, prev, eta, eta > 0 && prev >= 0 ? ctx.noise(step) : null));
        }
        return ctx.finish();
    }

    /** One DDIM move from index i to index to (-1 meaning x_0), deterministic when noise is null. */
    private Tensor update(Denoiser model, Tensor x, int i, int to, double eta, Tensor noise) {
        double ab = schedule.alphaBar(i), abTo = to < 0 ? 1.0 : schedule.alphaBar(to);
        // eps-hat = e1 x_t + e2 x0-hat = (x_t - sqrt(alpha-bar) x0-hat) / sqrt(1 - alpha-bar)
        double e1 = 1 / Math.sqrt(1 - ab), e2 = -Math.sqrt(ab) / Math.sqrt(1 - ab);
        double s = eta * Math.sqrt((1 - abTo) / (1 - ab)) * Math.sqrt(Math.max(0, 1 - ab / abTo));
        double dirCoef = Math.sqrt(Math.max(0, 1 - abTo - s * s));
        if (ab > 0) {
            var affine = model.denoiseAffine(x, 1 / Math.sqrt(ab), schedule.sigma(i));
            if (affine.isPresent()) {
                // x0-hat = cx x_t + cf F, so x_next = sqrt(abTo) x0-hat + dirCoef eps-hat + s noise is one combination of x_t, F, noise
                var d = affine.get();
                double onX0 = Math.sqrt(abTo) + dirCoef * e2;
                return Tensor.linearCombination(onX0 * d.xCoefficient() + dirCoef * e1, x, onX0 * d.outputCoefficient(), d.output(), s, noise);
            }
        }
        // at zero terminal SNR (Lin et al. 2023) x_t = eps exactly, and x0-hat comes from the model's pure-noise answer
        Tensor x0 = ab == 0 ? model.denoiseFromPureNoise(x) : model.denoise(x.mul(1 / Math.sqrt(ab)), schedule.sigma(i));
        Tensor eps = Tensor.linearCombination(e1, x, e2, x0, 0, null);
        return Tensor.linearCombination(Math.sqrt(abTo), x0, dirCoef, eps, s, noise);
    }

    /**
     * DDIM inversion with the default {@value #DEFAULT_REFINEMENTS} fixed-point refinements per step.
     *
     * @see #encode(Denoiser, Tensor, int)
     */
    public SampleResult encode(Denoiser model, Tensor x0) { return encode(model, x0, DEFAULT_REFINEMENTS); }

    /**
     * DDIM inversion: from data x_0 through the same timesteps in increasing order up to x_T, so that decoding the
     * result with eta = 0 gives x_0 back (Song et al. 2021, Sec. 5.4). The decoder's move from index i to the lower
     * index j is x_j = k1 x_i + k2 D(x_i) with k1 = sqrt(1 - alpha-bar_j) / sqrt(1 - alpha-bar_i) and
     * k2 = sqrt(alpha-bar_j) - k1 sqrt(alpha-bar_i) (eq. 12 with eps-hat written through D). Its inverse
     * x_i = (x_j - k2 D(x_i)) / k1 is found by fixed-point iteration started from the usual approximation that
     * evaluates D at x_j (which alone is O(h^2) per step). The first move, from data to the smallest timestep, is
     * x_0 = D(x_first / sqrt(alpha-bar); sigma), inverted the same way. NFE = (steps) (1 + refinements).
     */
    public SampleResult encode(Denoiser model, Tensor x0, int refinements) {
        if (refinements < 0) throw new IllegalArgumentException("refinements must be >= 0, got " + refinements);
        CountingDenoiser counted = new CountingDenoiser(model);
        int first = timesteps[timesteps.length - 1];
        double sqrtAb = Math.sqrt(schedule.alphaBar(first));
        // first move: y = x_first / sqrt(alpha-bar) solves D(y; sigma) = x_0, i.e. y = x_0 - (D(y) - y)
        Tensor x = x0.mul(sqrtAb);
        for (int it = 0; it <= refinements; it++) {
            Tensor xNow = x;
            x = replace(x, x0, () -> {
                Tensor y = xNow.mul(1 / sqrtAb);
                Tensor d = counted.denoise(y, schedule.sigma(first));
                return Tensor.linearCombination(sqrtAb, x0, sqrtAb, y, -sqrtAb, d);
            });
        }
        for (int k = timesteps.length - 1; k > 0; k--) {
            int j = timesteps[k], i = timesteps[k - 1];
            double abI = schedule.alphaBar(i), abJ = schedule.alphaBar(j);
            double k1 = Math.sqrt(1 - abJ) / Math.sqrt(1 - abI), k2 = Math.sqrt(abJ) - k1 * Math.sqrt(abI);
            Tensor xj = x;
            // start: D evaluated at x_j's own noise level (the usual DDIM inversion)
            Tensor guess = withScope(() -> Tensor.linearCombination(1 / k1, xj, -k2 / k1,
                    counted.denoise(xj.mul(1 / Math.sqrt(abJ)), schedule.sigma(j)), 0, null));
            for (int it = 0; it < refinements; it++) {
                Tensor g = guess;
                guess = replace(guess, null, () -> Tensor.linearCombination(1 / k1, xj, -k2 / k1,
                        abI == 0 ? counted.denoiseFromPureNoise(g) : counted.denoise(g.mul(1 / Math.sqrt(abI)), schedule.sigma(i)), 0, null));
            }
            if (xj != x0) xj.storage().close();
            x = guess;
        }
        return new SampleResult(x, counted.evaluations());
    }

    private static final int DEFAULT_REFINEMENTS = 2;

    private static Tensor withScope(java.util.function.Supplier<Tensor> body) {
        try (Scope s = Scope.open()) {
            return s.keep(body.get());
        }
    }

    /** Computes the replacement in its own scope and closes the old tensor unless it is the protected one. */
    private static Tensor replace(Tensor old, Tensor keep, java.util.function.Supplier<Tensor> body) {
        Tensor next = withScope(body);
        if (old != keep && old.storage() != next.storage()) old.storage().close();
        return next;
    }
}
