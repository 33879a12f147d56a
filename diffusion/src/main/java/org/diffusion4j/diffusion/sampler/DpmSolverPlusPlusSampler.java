package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.tensor.Tensor;

/**
 * DPM-Solver++(2M) and its SDE variant (Lu et al. 2022, "DPM-Solver++: fast solver for guided sampling of diffusion
 * probabilistic models", Algorithm 2 and Appendix B), written on variance-exploding coordinates (alpha = 1) over a
 * decreasing noise-level sequence sigma_0 &gt; ... &gt; sigma_N = 0, with lambda = -log sigma and h_i = lambda_{i+1} - lambda_i.
 * With D_i = D(x_i; sigma_i) and, after the first step, the second-order data estimate
 * D' = (1 + 1/(2 r)) D_i - 1/(2 r) D_{i-1}, r = h_{i-1} / h_i:
 * <ul>
 *   <li>ODE (2M): x_{i+1} = (sigma_{i+1} / sigma_i) x_i - (e^{-h} - 1) D' (Algorithm 2 with alpha = 1);</li>
 *   <li>SDE (2M SDE): x_{i+1} = (sigma_{i+1} / sigma_i) e^{-h} x_i + (1 - e^{-2h}) D' + sigma_{i+1} sqrt(1 - e^{-2h}) z
 *       (the SDE-DPM-Solver++ update, Lu et al. 2022, eq. 18-19 and Appendix B, with the same multistep D').</li>
 * </ul>
 * The last step (sigma_{i+1} = 0) returns D_i. Starts from x_0 = sigma_0 z. NFE = N.
 */
public final class DpmSolverPlusPlusSampler implements Sampler {
    private final double[] sigmas;
    private final boolean stochastic;

    /** @param sigmas decreasing noise levels ending with 0 (e.g. {@link org.diffusion4j.diffusion.schedule.NoiseLevels#karras}) */
    public DpmSolverPlusPlusSampler(double[] sigmas, boolean stochastic) {
        EdmHeunSampler.checkSigmas(sigmas);
        this.sigmas = sigmas.clone();
        this.stochastic = stochastic;
    }

    @Override public String name() { return stochastic ? "dpm++2m-sde" : "dpm++2m"; }

    @Override public SampleResult sample(Denoiser model, SampleRequest request) {
        SamplingContext ctx = new SamplingContext(model, request);
        ctx.start(ctx.initialNoise().mul(sigmas[0]), null);
        int n = sigmas.length - 1;
        for (int i = 0; i < n; i++) {
            double s = sigmas[i], sNext = sigmas[i + 1];
            double h = sNext == 0 ? 0 : Math.log(s / sNext);
            double hPrev = i == 0 ? 0 : Math.log(sigmas[i - 1] / s);
            int step = i;
            ctx.step(st -> {
                Tensor x = st[0], dPrev = st[1];
                Tensor d = ctx.model().denoise(x, s);
                if (sNext == 0) return new Tensor[]{d, null};
                Tensor dHat = d;
                if (dPrev != null) {
                    double r = hPrev / h;
                    dHat = Tensor.linearCombination(1 + 1 / (2 * r), d, -1 / (2 * r), dPrev, 0, null);
                }
                Tensor next;
                if (!stochastic) {
                    next = Tensor.linearCombination(sNext / s, x, -Math.expm1(-h), dHat, 0, null);
                } else {
                    double decay = Math.exp(-h);
                    next = Tensor.linearCombination(sNext / s * decay, x, -Math.expm1(-2 * h), dHat,
                            sNext * Math.sqrt(-Math.expm1(-2 * h)), ctx.noise(step));
                }
                return new Tensor[]{next, d};
            });
        }
        return ctx.finish();
    }
}
