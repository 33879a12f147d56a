package org.diffusion4j.diffusion.ddpm;

import org.diffusion4j.diffusion.model.Denoiser;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

/**
 * The discrete DDPM chain of Ho et al. 2020 ("Denoising diffusion probabilistic models") over a
 * {@link DiscreteSchedule}: the forward marginal q(x_t | x_0), the posterior q(x_{t-1} | x_t, x_0), the reverse step
 * with either fixed variance, and the variational bound in bits per dimension.
 *
 * <p>Indices are 0-based as in {@link DiscreteSchedule}: index i is the paper's t = i + 1, and "index -1" is x_0.
 *
 * <p>Link to the VP SDE (Song et al. 2021, Appendix B): with beta_i = beta(i / N) / N the chain
 * x_i = sqrt(1 - beta_i) x_{i-1} + sqrt(beta_i) z is the Euler discretisation of dx = -beta(t)/2 x dt + sqrt(beta(t)) dw
 * ({@link org.diffusion4j.diffusion.sde.VpSde}), and alpha-bar_i tends to exp(-int_0^t beta); the DDPM defaults
 * (1e-4 .. 0.02, T = 1000) are the VP SDE's (0.1 .. 20) divided by N = 1000.
 */
@SuppressWarnings("try") // Scope and NoGrad blocks act by being open, their variables are unused
public final class DdpmChain {
    private final DiscreteSchedule schedule;

    public DdpmChain(DiscreteSchedule schedule) {
        if (schedule == null) throw new IllegalArgumentException("schedule must not be null");
        this.schedule = schedule;
    }

    public DiscreteSchedule schedule() { return schedule; }

    /** x_t = sqrt(alpha-bar_t) x_0 + sqrt(1 - alpha-bar_t) eps (Ho et al. 2020, eq. 4). */
    public Tensor qSample(Tensor x0, Tensor eps, int i) {
        double ab = schedule.alphaBar(i);
        return Tensor.linearCombination(Math.sqrt(ab), x0, Math.sqrt(1 - ab), eps, 0, null);
    }

    /**
     * The posterior q(x_{t-1} | x_t, x_0) = N(c0 x_0 + ct x_t, beta-tilde_t I) between index i and an earlier index
     * {@code prev} (prev = i - 1 for the full chain; any prev &lt; i, or -1 for x_0, for a respaced chain): with
     * alpha_t' = alpha-bar_i / alpha-bar_prev and beta_t' = 1 - alpha_t',
     * c0 = sqrt(alpha-bar_prev) beta_t' / (1 - alpha-bar_i), ct = sqrt(alpha_t') (1 - alpha-bar_prev) / (1 - alpha-bar_i),
     * beta-tilde = (1 - alpha-bar_prev) / (1 - alpha-bar_i) beta_t' (Ho et al. 2020, eq. 6-7).
     */
    public Posterior posterior(int i, int prev) {
        if (prev >= i || prev < -1) throw new IllegalArgumentException("posterior needs -1 <= prev < i, got i=" + i + ", prev=" + prev);
        double ab = schedule.alphaBar(i), abPrev = prev < 0 ? 1.0 : schedule.alphaBar(prev);
        if (!(ab < 1)) throw new IllegalStateException("alpha-bar at index " + i + " is 1: no noise to remove");
        double alphaStep = ab / abPrev, betaStep = 1 - alphaStep;
        double c0 = Math.sqrt(abPrev) * betaStep / (1 - ab);
        double ct = Math.sqrt(alphaStep) * (1 - abPrev) / (1 - ab);
        return new Posterior(c0, ct, (1 - abPrev) / (1 - ab) * betaStep, betaStep);
    }

    public Posterior posterior(int i) { return posterior(i, i - 1); }

    /**
     * Coefficients of q(x_prev | x_i, x_0): mean = x0Coefficient x_0 + xtCoefficient x_t, variance betaTilde; and the
     * step's own beta (1 - alpha-bar_i / alpha-bar_prev), the other choice of reverse variance.
     */
    public record Posterior(double x0Coefficient, double xtCoefficient, double betaTilde, double beta) {
        public Tensor mean(Tensor x0, Tensor xt) { return Tensor.linearCombination(x0Coefficient, x0, xtCoefficient, xt, 0, null); }

        /** The reverse variance of the chosen kind. */
        public double variance(ReverseVariance kind) { return kind == ReverseVariance.BETA ? beta : betaTilde; }
    }

    /**
     * The model's x_0 estimate at index i from a denoiser on variance-exploding coordinates:
     * D(x_t / sqrt(alpha-bar_t); sigma_t) with sigma_t = sqrt((1 - alpha-bar_t) / alpha-bar_t); at alpha-bar = 0 (zero
     * terminal SNR) the model's {@link Denoiser#denoiseFromPureNoise}.
     */
    public Tensor predictX0(Denoiser model, Tensor xt, int i) {
        double ab = schedule.alphaBar(i);
        // at zero terminal SNR (Lin et al. 2023) x_t carries no signal and has no finite noise level
        if (ab == 0) return model.denoiseFromPureNoise(xt);
        return model.denoise(xt.mul(1 / Math.sqrt(ab)), schedule.sigma(i));
    }

    /** mu_theta(x_t, t) = posterior mean with x_0 replaced by the model's estimate (Ho et al. 2020, eq. 7 and Sec. 3.2). */
    public Tensor modelMean(Denoiser model, Tensor xt, int i, int prev) {
        return posterior(i, prev).mean(predictX0(model, xt, i), xt);
    }

    // ----------------------------------------------------------------------------- variational bound

    /**
     * The variational bound L = L_T + sum_{t=2}^T L_{t-1} + L_0 (Ho et al. 2020, eq. 5) for image-like data x_0 whose
     * values lie on the 8-bit grid scaled to [-1, 1] ({-1, -1 + 2/255, ..., 1}), estimated with one draw of x_t per
     * data point and timestep (the sum over t is exact). The decoder L_0 = -log p(x_0 | x_1) is the discretised
     * Gaussian of eq. 13: the mass of N(mu_theta(x_1, 1), sigma_1^2) on each value's bin of width 2/255, with the
     * outermost bins extended to infinity. Returns per-term averages in nats per dimension and the total in bits per
     * dimension.
     *
     * <p>The decoder's variance sigma_1^2 is beta_1 for {@link ReverseVariance#BETA}; beta-tilde_1 is 0, so for
     * {@link ReverseVariance#BETA_TILDE} it is clipped to beta-tilde_2 (as Ho et al.'s implementation does).
     *
     * @param seed the x_t of data point n at index i uses Philox stream n under seed + i
     */
    public VariationalBound variationalBound(Denoiser model, Tensor x0, ReverseVariance variance, long seed, boolean discreteDecoder) {
        int n = x0.shape(0);
        long dims = x0.numel() / n;
        int steps = schedule.steps();
        double[] perSample = new double[n];
        // L_T = KL(q(x_T | x_0) || N(0, I)) = 1/2 (b^2 + a^2 x_0^2 - 1 - log b^2) per dimension, a^2 = alpha-bar_T, b^2 = 1 - a^2
        double abT = schedule.alphaBar(steps - 1);
        double[] priorPer;
        try (Scope s = Scope.open()) {
            Tensor sq = x0.reshape(n, -1).square().sum(false, 1);
            priorPer = sq.mul(0.5 * abT).add(0.5 * dims * ((1 - abT) - 1 - Math.log(1 - abT))).toDoubleArray();
        }
        double[] klTerms = new double[steps];
        for (int i = 1; i < steps; i++) {
            try (Scope s = Scope.open()) {
                Tensor eps = Tensor.randn(x0.backend(), x0.dtype(), seed + i, 0, x0.shape());
                Tensor xt = qSample(x0, eps, i);
                Posterior p = posterior(i);
                double var = p.variance(variance);
                Tensor x0Hat = predictX0(model, xt, i);
                // KL(N(m1, v1) || N(m2, v2)) per dimension = 1/2 (log(v2/v1) + v1/v2 - 1 + (m1 - m2)^2 / v2), and
                // m1 - m2 = c0 (x_0 - x0Hat) (Ho et al. 2020, eq. 5 and 8)
                double constant = 0.5 * (Math.log(var / p.betaTilde()) + p.betaTilde() / var - 1);
                double[] sq = x0.sub(x0Hat).reshape(n, -1).square().sum(false, 1).toDoubleArray();
                double mean = 0;
                for (int k = 0; k < n; k++) {
                    double kl = dims * constant + p.x0Coefficient() * p.x0Coefficient() * sq[k] / (2 * var);
                    perSample[k] += kl;
                    mean += kl;
                }
                klTerms[i] = mean / (n * (double) dims);
            }
        }
        double[] decoderPer = new double[n];
        try (Scope s = Scope.open()) {
            Tensor eps = Tensor.randn(x0.backend(), x0.dtype(), seed, 0, x0.shape());
            Tensor x1 = qSample(x0, eps, 0);
            double var = variance == ReverseVariance.BETA ? schedule.beta(0) : (steps > 1 ? posterior(1).betaTilde() : schedule.beta(0));
            double[] mu = predictX0(model, x1, 0).toDoubleArray();   // the posterior mean at t = 1 is x0Hat itself
            double[] x = x0.contiguous().toDoubleArray();
            double sd = Math.sqrt(var);
            for (int k = 0; k < n; k++) {
                double nll = 0;
                for (long j = 0; j < dims; j++) {
                    int idx = (int) (k * dims + j);
                    nll += discreteDecoder ? -discretisedGaussianLogLikelihood(x[idx], mu[idx], sd)
                            : 0.5 * Math.log(2 * Math.PI * var) + (x[idx] - mu[idx]) * (x[idx] - mu[idx]) / (2 * var);
                }
                decoderPer[k] = nll;
            }
        }
        double prior = 0, decoder = 0, total = 0;
        double[] totals = new double[n];
        for (int k = 0; k < n; k++) {
            totals[k] = (priorPer[k] + perSample[k] + decoderPer[k]) / dims;
            prior += priorPer[k] / dims;
            decoder += decoderPer[k] / dims;
            total += totals[k];
        }
        return new VariationalBound(prior / n, klTerms, decoder / n, total / n / Math.log(2), totals);
    }

    /**
     * log of the mass of N(mu, sd^2) on the bin of x on the 8-bit grid in [-1, 1]: [x - 1/255, x + 1/255], with the
     * bins of -1 and 1 extended to -infinity and +infinity (Ho et al. 2020, eq. 13).
     */
    public static double discretisedGaussianLogLikelihood(double x, double mu, double sd) {
        double half = 1.0 / 255;
        double lo = x <= -1 + 1e-6 ? Double.NEGATIVE_INFINITY : (x - half - mu) / sd;
        double hi = x >= 1 - 1e-6 ? Double.POSITIVE_INFINITY : (x + half - mu) / sd;
        return StandardNormal.logProbability(lo, hi);
    }

    /**
     * The terms of the bound, each averaged over data points and dimensions in nats: prior L_T, klTerms[i] =
     * L_{t-1} for t = i + 1 (klTerms[0] unused, 0), decoder L_0; the total in bits per dimension; and each data
     * point's total in nats per dimension (for standard errors).
     */
    public record VariationalBound(double priorNats, double[] klTerms, double decoderNats, double bitsPerDim,
                                   double[] perSampleNatsPerDim) {
        public double klSumNats() {
            double s = 0;
            for (double k : klTerms) s += k;
            return s;
        }
    }
}
