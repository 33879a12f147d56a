/**
 * Reverse-mode automatic differentiation over a dynamic tape.
 *
 * <p>{@link org.diffusion4j.autograd.Variable} wraps an immutable tensor; each op computes its value at
 * once and records its inputs and a backward rule (a lambda next to the forward code) when some input
 * requires a gradient. {@code backward()} visits the recorded graph in reverse topological order and
 * accumulates gradients on the leaves. {@link org.diffusion4j.autograd.NoGrad} turns recording off for a
 * block (sampling, evaluation); {@link org.diffusion4j.autograd.GradCheck} verifies any rule by central
 * differences in F64.
 *
 * <p>Memory: the tape keeps the tensors its rules need until the output variable is unreachable. In a hot
 * loop, run forward, backward and the optimiser step inside one {@link org.diffusion4j.tensor.Scope} per
 * iteration; parameters and optimiser state are updated in place and survive it.
 */
package org.diffusion4j.autograd;
