package org.diffusion4j.experiments.generators;

import org.diffusion4j.experiments.config.ModelConfig;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.train.TrainingLoss;
import org.diffusion4j.experiments.train.TrainingSetup;
import org.diffusion4j.nn.Init;

/**
 * Builds a baseline (model.type gan or vae) that a config describes: its network, initialised from the run's seed,
 * and its loss. The data, the run folder, the trainer and its checkpoints are the diffusion runs' own.
 */
public final class BaselineSetup {
    private final TrainConfig config;
    private final TrainingSetup setup;

    public BaselineSetup(TrainConfig config, TrainingSetup setup) {
        if (!config.model().describesBaseline()) throw new IllegalArgumentException("model.type '" + config.model().type()
                + "' is no baseline; expected gan or vae");
        this.config = config;
        this.setup = setup;
    }

    /** The GAN or VAE for samples of shape [dim], with its initial weights drawn from the run's seed. */
    public LatentGenerator network(int[] sampleShape) {
        if (sampleShape.length != 1) throw new IllegalArgumentException("the baselines take flat samples, got shape "
                + java.util.Arrays.toString(sampleShape));
        ModelConfig m = config.model();
        try (Init init = Init.seeded(config.seed(), setup.backend(), setup.dtype())) {
            return m.type().equals("gan") ? new Gan(sampleShape[0], m.latent(), m.hidden(), m.depth())
                    : new Vae(sampleShape[0], m.latent(), m.hidden(), m.depth());
        }
    }

    public TrainingLoss loss() {
        return config.model().type().equals("gan") ? new GanLoss(config.model().ganLoss()) : new VaeLoss();
    }
}
