package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.tensor.Tensor;

/**
 * Linear multistep sampling in sigma (Karras et al. 2022, Sec. 3 on higher-order ODE solvers; k-diffusion's
 * sample_lms, diffusers' LMSDiscreteScheduler): the probability-flow ODE dy/dsigma = d(y, sigma) with
 * d = (y - D(y; sigma)) / sigma is integrated from sigma_i to sigma_{i+1} with the Adams-Bashforth polynomial through
 * the last k = min(i + 1, order) slopes, y_{i+1} = y_i + sum_j c_j d_{i-j}, with
 * c_j = integral over [sigma_i, sigma_{i+1}] of prod_{m != j, m &lt; k} (tau - sigma_{i-m}) / (sigma_{i-j} - sigma_{i-m}) dtau
 * (the Lagrange basis; a polynomial of degree k - 1 &lt;= 3, integrated exactly by 3-point Gauss-Legendre). The last step
 * to sigma = 0 is integrated the same way (it does not return D). NFE = N.
 */
public final class LmsSampler implements Sampler {
    private final SigmaPath path;
    private final int order;

    public LmsSampler(SigmaPath path, int order) {
        if (path == null) throw new IllegalArgumentException("sigma path must not be null");
        if (order < 1 || order > 4) throw new IllegalArgumentException("LMS order must be 1 to 4, got " + order);
        this.path = path;
        this.order = order;
    }

    @Override public String name() { return "lms"; }

    /** c_j for the step from point i with k slopes (Lagrange basis integrated by Gauss-Legendre, exact to degree 5). */
    double[] coefficients(int i, int k) {
        double a = path.sigma(i), b = path.sigma(i + 1);
        double[] nodes = {-Math.sqrt(0.6), 0, Math.sqrt(0.6)}, weights = {5 / 9.0, 8 / 9.0, 5 / 9.0};
        double[] c = new double[k];
        for (int j = 0; j < k; j++) {
            double sum = 0;
            for (int q = 0; q < 3; q++) {
                double tau = (a + b) / 2 + (b - a) / 2 * nodes[q];
                double basis = 1;
                for (int m = 0; m < k; m++) {
                    if (m != j) basis *= (tau - path.sigma(i - m)) / (path.sigma(i - j) - path.sigma(i - m));
                }
                sum += weights[q] * basis;
            }
            c[j] = sum * (b - a) / 2;
        }
        return c;
    }

    @Override public SampleResult sample(Denoiser model, SampleRequest request) {
        SamplingContext ctx = new SamplingContext(model, request);
        // state: y, then the slopes d_{i-1}, d_{i-2}, d_{i-3}
        ctx.start(ctx.initialNoise().mul(path.startScale()), null, null, null);
        for (int i = 0; i < path.steps(); i++) {
            double s = path.sigma(i);
            int k = Math.min(i + 1, order);
            double[] c = coefficients(i, k);
            ctx.step(st -> {
                Tensor y = st[0];
                Tensor d = Tensor.linearCombination(1 / s, y, -1 / s, ctx.model().denoise(y, s), 0, null);
                Tensor[] slopes = {d, st[1], st[2], st[3]};
                Tensor next = Tensor.linearCombination(1, y, c[0], d, 0, null);
                for (int j = 1; j < k; j++) next = Tensor.linearCombination(1, next, c[j], slopes[j], 0, null);
                return new Tensor[]{next, d, st[1], st[2]};
            });
        }
        return ctx.finish();
    }
}
