package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.tensor.Tensor;

/**
 * The stochastic sampler of Karras et al. 2022 (Algorithm 2; Algorithm 1 when churn is 0) over decreasing noise
 * levels t_0 &gt; ... &gt; t_N = 0 (their eq. 5 schedule by default). Per step, with
 * gamma_i = min(S_churn / N, sqrt 2 - 1) when t_i is in [S_tmin, S_tmax], else 0:
 * t-hat = t_i (1 + gamma_i); x-hat = x_i + sqrt(t-hat^2 - t_i^2) S_noise z; d = (x-hat - D(x-hat; t-hat)) / t-hat;
 * x_{i+1} = x-hat + (t_{i+1} - t-hat) d; and unless t_{i+1} = 0 Heun's correction
 * x_{i+1} = x-hat + (t_{i+1} - t-hat) (d + d') / 2 with d' = (x_{i+1} - D(x_{i+1}; t_{i+1})) / t_{i+1}.
 * Starts from x_0 = c z with c the path's start scale (t_0 for variance-exploding processes). With churn 0 this is
 * also diffusers' HeunDiscreteScheduler and k-diffusion's sample_heun. NFE = 2N - 1.
 */
public final class EdmHeunSampler implements Sampler {
    private final double[] sigmas;
    private final double startScale;
    private final double churn, tMin, tMax, noiseScale;

    public EdmHeunSampler(double[] sigmas, double churn, double tMin, double tMax, double noiseScale) {
        this(SigmaPath.exploding(sigmas), churn, tMin, tMax, noiseScale);
    }

    public EdmHeunSampler(SigmaPath path, double churn, double tMin, double tMax, double noiseScale) {
        double[] sigmas = path.sigmas();
        if (!(churn >= 0)) throw new IllegalArgumentException("S_churn must be >= 0, got " + churn);
        if (!(tMin >= 0) || !(tMax >= tMin)) throw new IllegalArgumentException("need 0 <= S_tmin <= S_tmax, got S_tmin=" + tMin
                + ", S_tmax=" + tMax);
        if (!(noiseScale > 0)) throw new IllegalArgumentException("S_noise must be > 0, got " + noiseScale);
        this.sigmas = sigmas;
        this.startScale = path.startScale();
        this.churn = churn;
        this.tMin = tMin;
        this.tMax = tMax;
        this.noiseScale = noiseScale;
    }

    /** The deterministic sampler (Algorithm 1). */
    public static EdmHeunSampler deterministic(double[] sigmas) {
        return new EdmHeunSampler(sigmas, 0, 0, Double.POSITIVE_INFINITY, 1);
    }

    @Override public String name() { return "edm-heun"; }

    @Override public SampleResult sample(Denoiser model, SampleRequest request) {
        SamplingContext ctx = new SamplingContext(model, request);
        ctx.start(ctx.initialNoise().mul(startScale));
        int n = sigmas.length - 1;
        for (int i = 0; i < n; i++) {
            double t = sigmas[i], tNext = sigmas[i + 1];
            double gamma = t >= tMin && t <= tMax ? Math.min(churn / n, Math.sqrt(2) - 1) : 0;
            double tHat = t * (1 + gamma);
            int step = i;
            ctx.stepX(x -> {
                Tensor xHat = gamma > 0
                        ? Tensor.linearCombination(1, x, Math.sqrt(tHat * tHat - t * t) * noiseScale, ctx.noise(step), 0, null)
                        : x;
                // d = (x-hat - D(x-hat; t-hat)) / t-hat, the ODE's slope dx/dt (Karras et al. 2022, eq. 4 with sigma(t) = t)
                Tensor d = Tensor.linearCombination(1 / tHat, xHat, -1 / tHat, ctx.model().denoise(xHat, tHat), 0, null);
                Tensor euler = Tensor.linearCombination(1, xHat, tNext - tHat, d, 0, null);
                if (tNext == 0) return euler;
                Tensor d2 = Tensor.linearCombination(1 / tNext, euler, -1 / tNext, ctx.model().denoise(euler, tNext), 0, null);
                return Tensor.linearCombination(1, xHat, (tNext - tHat) / 2, d, (tNext - tHat) / 2, d2);
            });
        }
        return ctx.finish();
    }
}
