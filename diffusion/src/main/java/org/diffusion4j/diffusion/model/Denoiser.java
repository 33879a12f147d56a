package org.diffusion4j.diffusion.model;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.schedule.MarginalProcess;
import org.diffusion4j.diffusion.sde.Sde;
import org.diffusion4j.tensor.Tensor;

/**
 * The one thing every sampler asks of a model: the denoiser D(x; sigma), an estimate of E[x_0 | x] for
 * x = x_0 + sigma n, n ~ N(0, I) (Karras et al. 2022, eq. 2), on variance-exploding coordinates. Its score follows
 * as grad log p(x; sigma) = (D(x; sigma) - x) / sigma^2 (their eq. 3).
 *
 * <p>A process with marginals alpha(t) x_0 + s(t) eps is the same thing in coordinates x_t = alpha(t) y with
 * sigma = s(t) / alpha(t); {@link #scoreOn} translates. Networks become denoisers through a
 * {@link org.diffusion4j.diffusion.param.Parameterisation}; the analytic models are denoisers in closed form.
 *
 * <p>Written on {@link Variable}s so that likelihood computations can differentiate through it; the Tensor
 * overloads run without recording a tape.
 */
@SuppressWarnings("try") // Scope and NoGrad blocks act by being open, their variables are unused
public interface Denoiser {

    /** D(x; sigma) for a batch x [N, ...] at noise level sigma &gt;= 0. */
    Variable denoise(Variable x, double sigma);

    /** D(x; sigma) without recording gradients. */
    default Tensor denoise(Tensor x, double sigma) {
        try (NoGrad g = NoGrad.enter()) {
            return denoise(Variable.constant(x), sigma).value();
        }
    }

    /**
     * D(scale x; sigma) as an affine form in x and one tensor F: D = xCoefficient x + outputCoefficient F, with F the
     * network's output (scalars for the whole batch). A network denoiser can always say this (every parameterisation
     * is D = c_skip y + c_out F(c_in y), Karras et al. 2022, Table 1), so a sampler folds the coefficients into its own
     * update and runs the step as one fused linear combination instead of the denoiser's and its own elementwise
     * passes. Empty when the model has no such form (analytic models); the sampler then calls {@link #denoise}.
     * Wrappers that count or report calls must forward it, counting one evaluation.
     *
     * @param x     the sampler's state, e.g. x_t
     * @param scale the factor from the state to the variance-exploding input y = scale x (e.g. 1 / sqrt(alpha-bar))
     * @param sigma the noise level of y, &gt; 0
     */
    default java.util.Optional<AffineDenoised> denoiseAffine(Tensor x, double scale, double sigma) { return java.util.Optional.empty(); }

    /** D = xCoefficient x + outputCoefficient output (see {@link #denoiseAffine}). */
    record AffineDenoised(double xCoefficient, double outputCoefficient, Tensor output) {
        /** D itself, in one linear combination. */
        public Tensor denoised(Tensor x) { return Tensor.linearCombination(xCoefficient, x, outputCoefficient, output, 0, null); }
    }

    /** grad_x log p(x; sigma) = (D(x; sigma) - x) / sigma^2 (Karras et al. 2022, eq. 3); sigma must be &gt; 0. */
    default Tensor score(Tensor x, double sigma) {
        checkPositive(sigma);
        return Tensor.linearCombination(1 / (sigma * sigma), denoise(x, sigma), -1 / (sigma * sigma), x, 0, null);
    }

    /** The score as a Variable of x. */
    default Variable score(Variable x, double sigma) {
        checkPositive(sigma);
        return denoise(x, sigma).sub(x).mul(1 / (sigma * sigma));
    }

    /**
     * The score of the process's marginal p_t on its own coordinates x_t = alpha y:
     * grad log p_t(x) = score_VE(x / alpha; sigma(t)) / alpha (change of variables y = x / alpha).
     */
    default Sde.ScoreField scoreOn(MarginalProcess process) {
        return (x, t) -> {
            double a = process.meanScale(t), sigma = process.noiseLevel(t);
            return score(x.mul(1 / a), sigma).mul(1 / a);
        };
    }

    /**
     * E[x_0 | x_t] where x_t = eps carries no signal at all (the last step of a zero-terminal-SNR schedule, Lin et al.
     * 2023): the data mean, as far as the model knows it. sigma is infinite there, so {@link #denoise} cannot express
     * it; models that can answer override this (the analytic mixtures; networks with v- or x0-prediction). The
     * default throws.
     *
     * @param x the pure-noise state [N, ...] (only its shape matters to an exact model)
     */
    default Tensor denoiseFromPureNoise(Tensor x) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot predict x_0 at zero signal-to-noise"
                + " ratio; use a v- or x0-prediction network (Lin et al. 2023, Sec. 3.2) or start one timestep earlier");
    }

    private static void checkPositive(double sigma) {
        if (!(sigma > 0)) throw new IllegalArgumentException("the score needs a noise level sigma > 0, got " + sigma);
    }
}
