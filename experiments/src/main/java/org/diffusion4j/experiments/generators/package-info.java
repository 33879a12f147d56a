/**
 * The generative baselines of the diffusion comparison (issue 18): a GAN and a VAE with MLP networks for 2-D data,
 * trained by the same {@link org.diffusion4j.experiments.train.Trainer} into the same run folders as the diffusion
 * models. docs/generators.md explains the objectives and the choices made.
 */
package org.diffusion4j.experiments.generators;
