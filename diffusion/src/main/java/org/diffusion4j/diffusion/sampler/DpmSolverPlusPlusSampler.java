package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.tensor.Tensor;
import org.diffusion4j.diffusion.model.Denoiser;

/**
 * Multistep DPM-Solver++ of order 1, 2 or 3, deterministic or SDE (Lu et al. 2022, "DPM-Solver++: fast solver for
 * guided sampling of diffusion probabilistic models", Algorithm 2 (2M), Appendix B (SDE-DPM-Solver++), and the
 * third-order multistep of their Appendix A; diffusers' DPMSolverMultistepScheduler with algorithm_type dpmsolver++
 * or sde-dpmsolver++ and solver_type midpoint; k-diffusion's sample_dpmpp_2m), written on variance-exploding
 * coordinates (alpha = 1) over sigma_0 &gt; ... &gt; sigma_N = 0, lambda = -log sigma.
 *
 * <p>Step i goes from sigma_i to sigma_{i+1} = sigma_i e^{-h}. With m_k = D(y_k; sigma_k), h_0 = lambda_i - lambda_{i-1},
 * h_1 = lambda_{i-1} - lambda_{i-2}, r_0 = h_0 / h, r_1 = h_1 / h, D1_0 = (m_i - m_{i-1}) / r_0,
 * D1_1 = (m_{i-1} - m_{i-2}) / r_1:
 * <ul>
 *   <li>order 1: y' = (sigma_{i+1} / sigma_i) y - (e^{-h} - 1) m_i;</li>
 *   <li>order 2: y' = (sigma_{i+1} / sigma_i) y - (e^{-h} - 1) (m_i + D1_0 / 2);</li>
 *   <li>order 3: with D1 = D1_0 + r_0 / (r_0 + r_1) (D1_0 - D1_1) and D2 = (D1_0 - D1_1) / (r_0 + r_1),
 *       y' = (sigma_{i+1} / sigma_i) y - (e^{-h} - 1) m_i + ((e^{-h} - 1) / h + 1) D1 - ((e^{-h} - 1 + h) / h^2 - 1/2) D2;</li>
 *   <li>SDE: y' = (sigma_{i+1} / sigma_i) e^{-h} y + (1 - e^{-2h}) (m_i + D1_0 / 2) + sigma_{i+1} sqrt(1 - e^{-2h}) z
 *       at order 2, and at order 3 the coefficients (1 - e^{-2h}) / (-2h) + 1 of D1 and
 *       (1 - e^{-2h} - 2h) / (2h)^2 - 1/2 of D2 (diffusers' transcription; k-diffusion's sample_dpmpp_3m_sde differs).</li>
 * </ul>
 * Orders as diffusers chooses them: step i uses at most min(i + 1, order); the last step (to 0) is first order, so it
 * returns m_{N-1}; with lowerOrderFinal and fewer than 15 steps, the second-to-last is at most second order.
 * NFE = N.
 *
 * <p>Not fused through {@link Denoiser#denoiseAffine} (as DDIM and DDPM are): the multistep history needs m_i itself for
 * the next steps, so D must be materialised anyway, and folding c_skip, c_out into the update would save no pass; the
 * order-3 and SDE updates also combine four tensors, more than one linearCombination takes.
 */
public final class DpmSolverPlusPlusSampler implements Sampler {
    private final SigmaPath path;
    private final int order;
    private final boolean stochastic;
    private final boolean lowerOrderFinal;

    public DpmSolverPlusPlusSampler(SigmaPath path, int order, boolean stochastic, boolean lowerOrderFinal) {
        if (path == null) throw new IllegalArgumentException("sigma path must not be null");
        if (order < 1 || order > 3) throw new IllegalArgumentException("DPM-Solver++ order must be 1, 2 or 3, got " + order);
        this.path = path;
        this.order = order;
        this.stochastic = stochastic;
        this.lowerOrderFinal = lowerOrderFinal;
    }

    /** DPM-Solver++(2M) or its SDE variant over the given sigmas, starting at sigma_0 z (variance exploding). */
    public DpmSolverPlusPlusSampler(double[] sigmas, boolean stochastic) { this(SigmaPath.exploding(sigmas), 2, stochastic, true); }

    @Override public String name() { return "dpm++" + order + "m" + (stochastic ? "-sde" : ""); }

    /** The order diffusers uses at step i of n. */
    int orderAt(int i, int n) {
        if (order == 1 || i < 1 || i == n - 1) return 1;
        if (order == 2 || i < 2 || (i == n - 2 && lowerOrderFinal && n < 15)) return 2;
        return 3;
    }

    @Override public SampleResult sample(Denoiser model, SampleRequest request) {
        SamplingContext ctx = new SamplingContext(model, request);
        // state: y, m_{i-1}, m_{i-2}
        ctx.start(ctx.initialNoise().mul(path.startScale()), null, null);
        int n = path.steps();
        for (int i = 0; i < n; i++) {
            double s = path.sigma(i), sNext = path.sigma(i + 1);
            int k = orderAt(i, n);
            int step = i;
            ctx.step(st -> {
                Tensor y = st[0], m1 = st[1], m2 = st[2];
                Tensor m0 = ctx.model().denoise(y, s);
                if (sNext == 0) return new Tensor[]{m0, null, null};
                double h = Math.log(s / sNext);
                Tensor data = m0;   // the combination of data predictions that multiplies the first-order coefficient
                Tensor extra = null;
                double extraCoef = 0;
                if (k >= 2) {
                    double r0 = Math.log(path.sigma(step - 1) / s) / h;
                    // m0 + D1_0 / 2 with D1_0 = (m0 - m1) / r0
                    if (k == 2) {
                        data = Tensor.linearCombination(1 + 0.5 / r0, m0, -0.5 / r0, m1, 0, null);
                    } else {
                        double r1 = Math.log(path.sigma(step - 2) / path.sigma(step - 1)) / h;
                        // D1_0 = (m0 - m1) / r0, D1_1 = (m1 - m2) / r1
                        double a0 = 1 / r0, a1 = -1 / r0 - 1 / r1, a2 = 1 / r1;       // D1_0 - D1_1 = a0 m0 + a1 m1 + a2 m2
                        double w = r0 / (r0 + r1), v = 1 / (r0 + r1);
                        // D1 = D1_0 + w (D1_0 - D1_1), D2 = v (D1_0 - D1_1)
                        double c1, c2;
                        if (!stochastic) {
                            c1 = Math.expm1(-h) / h + 1;
                            c2 = -((Math.expm1(-h) + h) / (h * h) - 0.5);
                        } else {
                            c1 = Math.expm1(-2 * h) / (2 * h) + 1;
                            c2 = (-Math.expm1(-2 * h) - 2 * h) / (4 * h * h) - 0.5;
                        }
                        double firstCoef = stochastic ? -Math.expm1(-2 * h) : -Math.expm1(-h);
                        // everything as one combination of m0, m1, m2 divided by the first-order coefficient
                        double q0 = c1 * (1 / r0 + w * a0) + c2 * v * a0;
                        double q1 = c1 * (-1 / r0 + w * a1) + c2 * v * a1;
                        double q2 = c1 * (w * a2) + c2 * v * a2;
                        data = Tensor.linearCombination(1 + q0 / firstCoef, m0, q1 / firstCoef, m1, q2 / firstCoef, m2);
                    }
                }
                Tensor next;
                if (!stochastic) {
                    next = Tensor.linearCombination(sNext / s, y, -Math.expm1(-h), data, 0, null);
                } else {
                    next = Tensor.linearCombination(sNext / s * Math.exp(-h), y, -Math.expm1(-2 * h), data,
                            sNext * Math.sqrt(-Math.expm1(-2 * h)), ctx.noise(step));
                }
                return new Tensor[]{next, m0, m1};
            });
        }
        return ctx.finish();
    }
}
