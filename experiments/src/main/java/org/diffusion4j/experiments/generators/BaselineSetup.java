package org.diffusion4j.experiments.generators;

import org.diffusion4j.experiments.config.ModelConfig;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.train.TrainingLoss;
import org.diffusion4j.experiments.train.TrainingSetup;
import org.diffusion4j.nn.Init;

/**
 * Builds a baseline (model.type gan or vae) that a config describes: its network, initialised from the run's seed,
 * and its loss: MLPs for 2-D data, convolutional networks for Fashion-MNIST. The data, the run folder, the trainer and its checkpoints are the diffusion runs' own.
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

    /**
     * The GAN or VAE for samples of shape [dim] (MLPs) or [C, 28, 28] (the DCGAN pair; the VAE's conv encoder and
     * decoder with a Bernoulli likelihood, model.channels wide), with its initial weights drawn from the run's seed.
     */
    public LatentGenerator network(int[] sampleShape) {
        ModelConfig m = config.model();
        boolean image = sampleShape.length == 3 && sampleShape[1] == 28 && sampleShape[2] == 28;
        if (sampleShape.length != 1 && !image) throw new IllegalArgumentException("the baselines take flat samples [dim] "
                + "or images [C, 28, 28], got shape " + java.util.Arrays.toString(sampleShape));
        boolean gan = m.type().equals("gan");
        try (Init init = Init.seeded(config.seed(), setup.backend(), setup.dtype())) {
            if (!image) return gan ? new Gan(sampleShape[0], m.latent(), m.hidden(), m.depth())
                    : new Vae(sampleShape[0], m.latent(), m.hidden(), m.depth());
            int c = sampleShape[0], w = m.channels();
            return gan ? new Gan(new ConvDecoder(m.latent(), w, c, true), new ConvEncoder(c, w, 1), m.latent())
                    : new Vae(new ConvEncoder(c, w, 2 * m.latent()), new ConvDecoder(m.latent(), w, c, false), m.latent(),
                            sampleShape, Vae.Likelihood.BERNOULLI);
        }
    }

    public TrainingLoss loss() {
        return config.model().type().equals("gan") ? new GanLoss(config.model().ganLoss()) : new VaeLoss();
    }
}
