package org.diffusion4j.experiments.train;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.nn.Module;
import org.diffusion4j.tensor.Tensor;

/**
 * A network as the training loop sees it: a {@link Module} (its parameters, train/eval mode, random state)
 * and one forward signature for every objective.
 */
public interface Network {
    Module module();

    /**
     * @param x      the noised batch, shape [B, ...]
     * @param time   the network's time input per sample, shape [B] (a timestep index, a continuous t or
     *               EDM's c_noise, as the objective decides)
     * @param labels class labels per sample (the value {@code classes} means "no class"), or null for an
     *               unconditional network
     * @return the raw output, the shape of x
     */
    Variable forward(Variable x, Tensor time, int[] labels);
}
