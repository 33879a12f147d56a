package org.diffusion4j.experiments.course;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.diffusion.sampler.DormandPrince;
import org.diffusion4j.tensor.Tensor;

/**
 * The probability-flow ODE solved (near) exactly, on variance-exploding coordinates y with noise level sigma
 * (Karras et al. 2022, eq. 4 with s = 1): dy/dsigma = (y - D(y; sigma)) / sigma. Every process this project has
 * (VP, sub-VP, VE, EDM, the discrete DDPM chain) is this one ODE after the change of variables y = x / alpha, so one
 * exact flow is the reference for every deterministic sampler (docs/course/07-samplers.md).
 *
 * <ul>
 *   <li>{@link #gaussian}: closed form. With data N(mu, S), D(y; sigma) = mu + S (S + sigma^2 I)^{-1} (y - mu), so
 *       u = y - mu obeys du/dsigma = sigma (S + sigma^2 I)^{-1} u; in the eigenbasis S = Q diag(lambda) Q^T each
 *       coordinate solves to u_i(b) = u_i(a) sqrt((lambda_i + b^2) / (lambda_i + a^2)).</li>
 *   <li>{@link #rk45}: any denoiser, by adaptive Dormand-Prince in u = log sigma, dy/du = y - D(y; e^u), to a tight
 *       tolerance (the reference of the mixtures). A step to sigma = 0 is not an ODE step (the ODE is singular there)
 *       and is refused.</li>
 * </ul>
 */
public interface ExactFlow {

    /** y at noise level to, given y [N, D] at noise level from (both &gt; 0). */
    Tensor flow(Tensor y, double from, double to);

    /** The closed-form flow of a single Gaussian (a mixture with one component). */
    static ExactFlow gaussian(GaussianMixture g) {
        if (g.components() != 1) throw new IllegalArgumentException("the closed-form flow needs one Gaussian, got "
                + g.components() + " components in " + g.name() + "; use ExactFlow.rk45");
        double[] mu = g.mean(0);
        SymmetricEigen eig = SymmetricEigen.of(g.covariance(0));
        int d = mu.length;
        return (y, from, to) -> {
            checkLevels(from, to);
            double[] in = y.toDoubleArray(), out = new double[in.length];
            int n = in.length / d;
            double[] u = new double[d];
            for (int s = 0; s < n; s++) {
                for (int i = 0; i < d; i++) u[i] = in[s * d + i] - mu[i];
                double[] c = eig.rotateIn(u);   // Q^T u
                for (int i = 0; i < d; i++) {
                    double l = eig.value(i);
                    c[i] *= Math.sqrt((l + to * to) / (l + from * from));
                }
                double[] back = eig.rotateOut(c);
                for (int i = 0; i < d; i++) out[s * d + i] = mu[i] + back[i];
            }
            return Tensor.of(y.backend(), y.dtype(), out, y.shape());
        };
    }

    /** The flow of any denoiser by RK45 in log sigma with rtol = atol = tol. */
    static ExactFlow rk45(Denoiser model, double tol) {
        return (y, from, to) -> {
            checkLevels(from, to);
            if (from == to) return y;
            DormandPrince.Field f = (x, u) -> Tensor.linearCombination(1, x, -1, model.denoise(x, Math.exp(u)), 0, null);
            return DormandPrince.integrate(f, y, Math.log(from), Math.log(to), tol, tol).x();
        };
    }

    private static void checkLevels(double from, double to) {
        if (!(from > 0) || !(to > 0)) throw new IllegalArgumentException("the exact flow runs between noise levels > 0, got "
                + from + " -> " + to + " (the last step to sigma = 0 is the denoiser D, not an ODE step)");
    }
}
