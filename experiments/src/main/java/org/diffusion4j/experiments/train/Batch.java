package org.diffusion4j.experiments.train;

import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.tensor.Tensor;

/**
 * One batch of clean data and what the network is to be conditioned on for it.
 *
 * @param x0        shape [B, ...]
 * @param condition the batch's condition ({@link Conditioning#NONE} for unconditional runs), before dropout
 */
public record Batch(Tensor x0, Conditioning condition) {
    public Batch {
        condition = Conditioning.orNone(condition);
    }

    /** The class labels of the condition, or null when it has none. */
    public int[] labels() { return condition.labels(); }
}
