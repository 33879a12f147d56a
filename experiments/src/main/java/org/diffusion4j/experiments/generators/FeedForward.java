package org.diffusion4j.experiments.generators;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Module;

/**
 * One of a baseline's networks (a GAN's generator or discriminator, a VAE's encoder or decoder): a module mapping a
 * batch [N, ...] to a batch [N, ...]. With frozen = true it reads its weights as constants, so gradients reach its
 * input but not its parameters (the GAN's generator loss goes through the discriminator this way; {@link GanLoss}).
 */
public interface FeedForward {
    Variable forward(Variable x, boolean frozen);

    default Variable forward(Variable x) { return forward(x, false); }

    /** The network as a module (its parameters, for checkpoints and the optimiser). */
    Module module();

    /** Its parameter or, when frozen, a constant holding the parameter's value. */
    static Variable weight(Variable parameter, boolean frozen) {
        return frozen ? Variable.constant(parameter.value()) : parameter;
    }
}
