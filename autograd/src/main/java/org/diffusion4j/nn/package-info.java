/**
 * Neural-network modules: {@link org.diffusion4j.nn.Module} with hierarchical parameter names and state
 * dicts, the layers of the UNet (Linear, Conv2d, GroupNorm, SiLU, Dropout, SelfAttention2d,
 * SinusoidalEmbedding), containers (Sequential, ModuleList), PyTorch-default initialisation drawn from a
 * seeded Philox stream ({@link org.diffusion4j.nn.Init}) and the run-level seed stream of random layers
 * ({@link org.diffusion4j.nn.RandomState}).
 */
package org.diffusion4j.nn;
