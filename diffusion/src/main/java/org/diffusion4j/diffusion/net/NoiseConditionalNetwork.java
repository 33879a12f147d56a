package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Module;
import org.diffusion4j.tensor.Tensor;

/**
 * A network F(x; c_noise, label) conditioned on a per-sample noise value (a timestep, a time, or ln(sigma)/4: the
 * {@link org.diffusion4j.diffusion.param.NoiseConditioning} decides) and optionally a class label. What its output
 * means (epsilon, x_0, v, score, EDM's F) is the business of a {@link org.diffusion4j.diffusion.param.Parameterisation}.
 */
public interface NoiseConditionalNetwork {
    /**
     * @param x              a batch [N, ...]
     * @param noiseCondition [N], in x's dtype and backend
     * @param labels         class labels [N] in [0, classes), or null for an unconditional forward
     */
    Variable forward(Variable x, Tensor noiseCondition, int[] labels);

    /** The module holding the trainable parameters. */
    Module module();
}
