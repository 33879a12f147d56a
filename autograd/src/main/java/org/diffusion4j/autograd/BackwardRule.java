package org.diffusion4j.autograd;

import org.diffusion4j.tensor.Tensor;

/**
 * The backward rule of one recorded op: given the gradient of the loss with respect to the op's output,
 * it returns the gradient with respect to each input, in input order (null for an input that needs
 * none). Each returned gradient has its input's exact shape (broadcasting already summed away).
 */
@FunctionalInterface
public interface BackwardRule {
    Tensor[] apply(Tensor gradOut);
}
