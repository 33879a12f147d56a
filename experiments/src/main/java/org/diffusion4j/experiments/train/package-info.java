/**
 * The training loop and what it needs: {@link org.diffusion4j.experiments.train.Trainer} (AdamW with warmup,
 * clipping, EMA, label dropout, checkpoints, NaN guard), data as a pure function of the step
 * ({@link org.diffusion4j.experiments.train.BatchSource}), the random streams of a step
 * ({@link org.diffusion4j.experiments.train.StepRandom}), and every objective of a config as one preconditioned
 * denoising loss ({@link org.diffusion4j.experiments.train.DenoisingObjective}, after Karras et al. 2022), with
 * the matching denoiser for the samplers ({@link org.diffusion4j.experiments.train.NetworkDenoiser}, with
 * classifier-free guidance).
 *
 * <p>The objective, preconditioning and denoiser classes here were written before the diffusion module's
 * {@code objective} and {@code param} packages existed and overlap with them (same mathematics, different
 * choices: here every objective predicts the noise or EDM's F with loss weight 1/c_out^2; there NCSN and
 * continuous score matching predict the score). Unifying them is a follow-up.
 */
package org.diffusion4j.experiments.train;
