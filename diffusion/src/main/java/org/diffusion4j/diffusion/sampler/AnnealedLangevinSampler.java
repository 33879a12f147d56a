package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.tensor.Tensor;

/**
 * Annealed Langevin dynamics (Song &amp; Ermon 2019, "Generative modeling by estimating gradients of the data
 * distribution", Algorithm 1): for each noise level sigma_i of a decreasing sequence, with step size
 * alpha_i = epsilon sigma_i^2 / sigma_L^2, run T steps x &lt;- x + alpha_i/2 score(x; sigma_i) + sqrt(alpha_i) z.
 * Starts from x = sigma_1 z (Song &amp; Ermon 2020, "Improved techniques", Technique 1 suggests sigma_1 as large as the
 * data's spread). With denoiseFinal, a last step x &lt;- x + sigma_L^2 score(x; sigma_L) = D(x; sigma_L) removes the
 * remaining noise (Jolicoeur-Martineau et al. 2021; Song &amp; Ermon 2020, Appendix). NFE = L T (+ 1).
 */
public final class AnnealedLangevinSampler implements Sampler {
    private final double[] sigmas;
    private final int stepsPerLevel;
    private final double epsilon;
    private final boolean denoiseFinal;

    public AnnealedLangevinSampler(double[] sigmas, int stepsPerLevel, double epsilon, boolean denoiseFinal) {
        if (sigmas.length < 1) throw new IllegalArgumentException("need at least one noise level, got 0");
        for (int i = 0; i < sigmas.length; i++) {
            if (!(sigmas[i] > 0)) throw new IllegalArgumentException("noise level " + i + " is " + sigmas[i] + ", expected > 0");
            if (i > 0 && !(sigmas[i] < sigmas[i - 1])) throw new IllegalArgumentException("noise levels must decrease: sigma["
                    + i + "] = " + sigmas[i] + " after " + sigmas[i - 1]);
        }
        if (stepsPerLevel < 1) throw new IllegalArgumentException("steps per level must be >= 1, got " + stepsPerLevel);
        if (!(epsilon > 0)) throw new IllegalArgumentException("step size epsilon must be > 0, got " + epsilon);
        this.sigmas = sigmas.clone();
        this.stepsPerLevel = stepsPerLevel;
        this.epsilon = epsilon;
        this.denoiseFinal = denoiseFinal;
    }

    @Override public String name() { return "langevin"; }

    @Override public SampleResult sample(Denoiser model, SampleRequest request) {
        SamplingContext ctx = new SamplingContext(model, request);
        Tensor z0 = ctx.initialNoise();
        ctx.start(z0.mul(sigmas[0]));
        double last = sigmas[sigmas.length - 1];
        long step = 0;
        for (double sigma : sigmas) {
            double alpha = epsilon * sigma * sigma / (last * last);
            for (int k = 0; k < stepsPerLevel; k++) {
                long s = step++;
                ctx.stepX(x -> Tensor.linearCombination(1, x, alpha / 2, ctx.model().score(x, sigma), Math.sqrt(alpha), ctx.noise(s)));
            }
        }
        if (denoiseFinal) ctx.stepX(x -> ctx.model().denoise(x, last));
        return ctx.finish();
    }
}
