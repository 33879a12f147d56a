package org.diffusion4j.experiments.train;

import org.diffusion4j.tensor.Tensor;

/**
 * One batch of clean data.
 *
 * @param x0     shape [B, ...]
 * @param labels class labels, or null for unlabelled data
 */
public record Batch(Tensor x0, int[] labels) { }
