package org.diffusion4j.experiments.train;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.tensor.Tensor;

/** A training objective: the scalar loss of one batch of clean data. */
public interface Objective {
    /**
     * @param network the network being trained
     * @param x0      clean data, shape [B, ...]
     * @param labels  class labels (after label dropout), or null
     * @param random  this step's random streams; the objective draws its noise and noise levels from them
     * @return the mean loss over the batch, a 0-d Variable connected to the network's parameters
     */
    Variable loss(Network network, Tensor x0, int[] labels, StepRandom random);
}
