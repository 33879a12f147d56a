package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.Tensor;

/**
 * WGAN-GP's gradient penalty (Gulrajani et al. 2017, eq. 3): lambda E[(||grad D(x_hat)||_2 - 1)^2] at
 * x_hat = eps x + (1 - eps) x_fake, eps ~ U[0, 1] per sample, which softly holds the critic 1-Lipschitz along the
 * lines between real and generated samples.
 *
 * <p>The engine's tape has first-order backward rules only (no create_graph), so grad_x D cannot come from a backward
 * pass that is itself recorded. The critic instead writes its input gradient out as Variables ({@link Mlp#inputGradient}),
 * exact for a piecewise-linear MLP; the penalty's gradient in the critic's weights then comes from the ordinary
 * backward pass. No finite differences are involved. The DCGAN critic has no such form yet (it would need the
 * convolution's input gradient, a transposed convolution, as a tape op), so WGAN-GP is for the 2-D MLP critic.
 */
public final class GradientPenalty {
    /** The paper's weight lambda = 10 (Sec. 4, "Penalty coefficient"). */
    public static final double LAMBDA = 10.0;

    /** A critic's input gradient: grad_x D(x) [N, dim] for x [N, dim], differentiable in the critic's weights. */
    @FunctionalInterface
    public interface Critic {
        Variable inputGradient(Variable x);
    }

    private GradientPenalty() { }

    /** The interpolation weights eps [B, 1] of a step: uniforms on streams B..2B-1 of seed (the latents use 0..B-1). */
    static Tensor interpolationWeights(Tensor like, long seed, int rows) {
        return Tensor.random(like.backend(), like.dtype(), RandomKind.UNIFORM, seed, rows, rows, 1);
    }

    /**
     * lambda mean_i (||grad D(x_hat_i)|| - 1)^2 with x_hat_i = eps_i real_i + (1 - eps_i) fake_i, for real and fake
     * [B, dim] and eps [B, 1]. The norm is sqrt(sum g^2 + 1e-12), so that its gradient is finite at g = 0.
     */
    public static Variable of(Critic critic, Tensor real, Tensor fake, Tensor eps, double lambda) {
        if (real.rank() != 2 || !java.util.Arrays.equals(real.shape(), fake.shape())) {
            throw new IllegalArgumentException("gradient penalty: real and fake must both be [B, dim], got "
                    + java.util.Arrays.toString(real.shape()) + " and " + java.util.Arrays.toString(fake.shape()));
        }
        Tensor xHat = fake.add(real.sub(fake).mul(eps));
        Variable g = critic.inputGradient(Variable.constant(xHat));
        Variable norm = g.square().sum(false, 1).add(1e-12).sqrt();
        return norm.sub(1.0).square().mean().mul(lambda);
    }
}
