package org.diffusion4j.experiments.train;

import org.diffusion4j.diffusion.net.UNetConfig;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.sde.VpSde;
import org.diffusion4j.experiments.config.DiffusionConfig;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.nn.Init;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Builds what a config describes: the data, the network (initialised from the run's seed on the run's
 * backend and dtype), the objective, and the discrete schedule where there is one.
 */
public final class TrainingSetup {
    private final TrainConfig config;
    private final Backend backend;
    private final DType dtype;

    public TrainingSetup(TrainConfig config, Backend backend) {
        this.config = config;
        this.backend = backend;
        this.dtype = config.dtype().equals("f64") ? DType.F64 : DType.F32;
    }

    public DType dtype() { return dtype; }

    public Backend backend() { return backend; }

    public BatchSource data() {
        if (!config.data().holdsImages()) return new ToyBatchSource(config.data().dataset(), config.seed(), backend, dtype);
        Path explicit = config.data().folder().isEmpty() ? null : Path.of(config.data().folder());
        try {
            ImageDataset images = FashionMnist.load(FashionMnist.folder(explicit), FashionMnist.Split.TRAIN);
            return new ImageBatchSource(images, config.seed(), config.data().flip(), backend, dtype);
        } catch (IOException e) {
            // An expected failure (the data is not installed): one line from the CLI, no stack trace.
            throw new IllegalStateException("cannot read Fashion-MNIST: " + e.getMessage(), e);
        }
    }

    /** The network with its initial weights, drawn from the run's seed. */
    public Network network(int[] sampleShape) {
        var m = config.model();
        try (Init init = Init.seeded(config.seed(), backend, dtype)) {
            return switch (m.type()) {
                case "mlp" -> new MlpNetwork(sampleShape[0], m.hidden(), m.depth(), m.embedding(), m.dropout());
                case "unet-s" -> new UNetNetwork(unetConfig(sampleShape[0]));
                default -> throw new IllegalArgumentException("model.type '" + m.type() + "': expected mlp or unet-s");
            };
        }
    }

    /** The UNet's shape from the config; class-conditional UNets get the extra "no class" label. */
    public UNetConfig unetConfig(int inChannels) {
        var m = config.model();
        int classes = m.classConditional() ? m.classes() + 1 : 0;
        return new UNetConfig(inChannels, m.channels(), m.multipliers().stream().mapToInt(Integer::intValue).toArray(),
                m.resBlocks(), m.attentionLevels().stream().mapToInt(Integer::intValue).toArray(), m.dropout(), classes, 32);
    }

    /** The discrete schedule of the eps/x0/v objectives. */
    public DiscreteSchedule schedule() {
        DiffusionConfig d = config.diffusion();
        return switch (d.schedule()) {
            case "linear" -> DiscreteSchedule.linear(d.timesteps(), d.betaStart(), d.betaEnd());
            case "scaled-linear" -> DiscreteSchedule.scaledLinear(d.timesteps(), d.betaStart(), d.betaEnd());
            case "cosine" -> DiscreteSchedule.cosine(d.timesteps());
            case "sigmoid" -> DiscreteSchedule.sigmoid(d.timesteps());
            default -> throw new IllegalArgumentException("diffusion.schedule '" + d.schedule() + "'");
        };
    }

    public VpSde vpSde() {
        return new VpSde(config.diffusion().betaMin(), config.diffusion().betaMax(), config.diffusion().timesteps());
    }

    public DenoisingObjective objective() {
        DiffusionConfig d = config.diffusion();
        return switch (d.objective()) {
            case "eps" -> new DenoisingObjective(NoiseDistribution.discrete(schedule()), Preconditioning.EPSILON);
            case "x0" -> new DenoisingObjective(NoiseDistribution.discrete(schedule()), Preconditioning.X0);
            case "v" -> new DenoisingObjective(NoiseDistribution.discrete(schedule()), Preconditioning.V);
            case "dsm" -> new DenoisingObjective(NoiseDistribution.geometric(d.sigmaMin(), d.sigmaMax(), d.noiseLevels()),
                    Preconditioning.EPSILON);
            case "vp-sde" -> new DenoisingObjective(NoiseDistribution.vpSde(vpSde(), 1e-5), Preconditioning.EPSILON);
            case "edm" -> new DenoisingObjective(NoiseDistribution.logNormal(d.pMean(), d.pStd()), Preconditioning.edm(d.sigmaData()));
            default -> throw new IllegalArgumentException("diffusion.objective '" + d.objective() + "'");
        };
    }
}
