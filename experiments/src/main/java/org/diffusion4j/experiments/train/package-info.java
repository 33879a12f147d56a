/**
 * The training loop and what it needs: {@link org.diffusion4j.experiments.train.Trainer} (AdamW with warmup,
 * clipping, EMA, label dropout, checkpoints, NaN guard), data as a pure function of the step
 * ({@link org.diffusion4j.experiments.train.BatchSource}), the random streams of a step
 * ({@link org.diffusion4j.experiments.train.StepRandom}), and the translation of a config into the diffusion
 * module's parts ({@link org.diffusion4j.experiments.train.TrainingSetup}, {@link org.diffusion4j.experiments.train.RunSamplers}).
 *
 * <p>The mathematics is not here: networks ({@link org.diffusion4j.diffusion.net.MlpScoreNetwork},
 * {@link org.diffusion4j.diffusion.net.UNet}), the objectives ({@link org.diffusion4j.diffusion.objective.DenoisingObjective}
 * and its noise-level samplers and weightings) and the denoiser the samplers ask for, with classifier-free guidance
 * ({@link org.diffusion4j.diffusion.param.NetworkDenoiser}), are the diffusion module's. A training step draws its
 * objective's noise levels and noise from the Philox key {@code StepRandom.key("objective")}, so a resumed run repeats
 * them exactly.
 */
package org.diffusion4j.experiments.train;
