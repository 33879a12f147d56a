package org.diffusion4j.diffusion.net;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Module;
import org.diffusion4j.tensor.Tensor;

/**
 * A network F(x; c_noise, c) conditioned on a per-sample noise value (a timestep, a time, or ln(sigma)/4: the
 * {@link org.diffusion4j.diffusion.param.NoiseConditioning} decides) and a {@link Conditioning} c (nothing, class
 * labels, a context sequence, an image, or several). A network rejects, naming it, a condition it cannot read. What its output
 * means (epsilon, x_0, v, score, EDM's F) is the business of a {@link org.diffusion4j.diffusion.param.Parameterisation}.
 */
public interface NoiseConditionalNetwork {
    /**
     * @param x              a batch [N, ...]
     * @param noiseCondition [N], in x's dtype and backend
     * @param condition      what else the network is conditioned on; {@link Conditioning#NONE} (or null) for nothing
     */
    Variable forward(Variable x, Tensor noiseCondition, Conditioning condition);

    /** The module holding the trainable parameters. */
    Module module();
}
