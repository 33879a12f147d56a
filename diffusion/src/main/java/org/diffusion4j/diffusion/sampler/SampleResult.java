package org.diffusion4j.diffusion.sampler;

import org.diffusion4j.tensor.Tensor;

/** The samples x_0 [N, ...] and the number of network function evaluations spent on them (each batched call once). */
public record SampleResult(Tensor samples, long nfe) { }
