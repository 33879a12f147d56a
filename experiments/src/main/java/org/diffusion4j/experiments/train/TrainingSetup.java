package org.diffusion4j.experiments.train;

import org.diffusion4j.diffusion.net.MlpScoreNetwork;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.diffusion.net.TextConditionedUNet;
import org.diffusion4j.diffusion.net.TextEncoder;
import org.diffusion4j.diffusion.net.UNet;
import org.diffusion4j.diffusion.net.UNetConfig;
import org.diffusion4j.diffusion.objective.DenoisingObjective;
import org.diffusion4j.diffusion.objective.Weighting;
import org.diffusion4j.diffusion.param.Parameterisation;
import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.diffusion.schedule.NoiseLevels;
import org.diffusion4j.diffusion.sde.EdmSde;
import org.diffusion4j.diffusion.sde.VeSde;
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
 * backend and dtype), the objective, and the discrete schedule where there is one. Networks and objectives are
 * the diffusion module's ({@link MlpScoreNetwork}, {@link UNet}, {@link DenoisingObjective}).
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
        if (config.data().holdsAudio()) return spokenDigits();
        if (!config.data().holdsImages()) return new ToyBatchSource(config.data().dataset(), config.seed(), backend, dtype);
        Path explicit = config.data().folder().isEmpty() ? null : Path.of(config.data().folder());
        try {
            ImageDataset images = FashionMnist.load(FashionMnist.folder(explicit), FashionMnist.Split.TRAIN, config.data().anySize());
            return new ImageBatchSource(images, config.seed(), config.data().flip(), backend, dtype, conditioner());
        } catch (IOException e) {
            // An expected failure (the data is not installed): one line from the CLI, no stack trace.
            throw new IllegalStateException("cannot read Fashion-MNIST: " + e.getMessage(), e);
        }
    }

    /** The training split of the spoken digits made by `d4j data spoken-digits` (data.folder, or its default folder). */
    private BatchSource spokenDigits() {
        Path folder = config.data().folder().isEmpty() ? org.diffusion4j.experiments.audio.SpokenDigits.defaultFolder(0)
                : Path.of(config.data().folder());
        try {
            var clips = org.diffusion4j.experiments.audio.AudioDataset.load(folder, "train");
            return new org.diffusion4j.experiments.audio.AudioBatchSource(clips, config.seed(), backend, dtype, conditioner());
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the spoken digits: " + e.getMessage(), e);
        }
    }

    /** Test-split images from..from+count-1 as [count, C, H, W] in [-1, 1] (for super-resolution conditions). */
    public org.diffusion4j.tensor.Tensor testImages(int from, int count) {
        Path explicit = config.data().folder().isEmpty() ? null : Path.of(config.data().folder());
        try {
            ImageDataset images = FashionMnist.load(FashionMnist.folder(explicit), FashionMnist.Split.TEST);
            if (from < 0 || from + count > images.size()) throw new IllegalArgumentException("test images " + from + ".."
                    + (from + count - 1) + " are outside the " + images.size() + " of the test split");
            int[] idx = new int[count];
            for (int i = 0; i < count; i++) idx[i] = from + i;
            return images.batch(backend, dtype, idx, null);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read Fashion-MNIST: " + e.getMessage(), e);
        }
    }

    /**
     * What the config's network is conditioned on: class labels ("no class" = model.classes), the low-resolution
     * image (model.superResolution), both, or nothing.
     */
    public BatchConditioner conditioner() {
        var m = config.model();
        BatchConditioner c = m.classConditional() ? BatchConditioner.classLabels(m.classes()) : BatchConditioner.NONE;
        return m.superResolution() > 0 ? c.and(BatchConditioner.lowResolution(m.superResolution())) : c;
    }

    /** The network with its initial weights, drawn from the run's seed. */
    public NoiseConditionalNetwork network(int[] sampleShape) {
        var m = config.model();
        try (Init init = Init.seeded(config.seed(), backend, dtype)) {
            return switch (m.type()) {
                // model.depth counts the MLP's hidden layers of width model.hidden: the input layer and depth - 1 residual ones
                case "mlp" -> new MlpScoreNetwork(sampleShape[0], m.hidden(), m.depth() - 1, m.embedding(), m.dropout());
                case "unet-s" -> new UNet(unetConfig(sampleShape[0]));
                case "text-unet" -> throw new IllegalStateException("a text-unet needs its tokenizer's vocabulary: textNetwork(...)");
                // waveforms: model.channels residual channels, model.depth layers, model.hidden step-embedding width
                case "diffwave" -> new org.diffusion4j.diffusion.net.DiffWave(new org.diffusion4j.diffusion.net.DiffWaveConfig(
                        m.channels(), m.depth(), m.dilationCycle(), m.hidden(), m.classConditional() ? m.classes() + 1 : 0));
                default -> throw new IllegalArgumentException("model.type '" + m.type() + "': expected mlp, unet-s or diffwave (gan and vae are built by generators.BaselineSetup)");
            };
        }
    }

    /**
     * The text-to-image network of a text-unet config with its initial weights, drawn from the run's seed: a text encoder
     * over this vocabulary (model.textWidth, textDepth, textHeads, captionLength) and the UNet of the config reading its
     * token states by cross-attention (model.crossHeads).
     */
    public TextConditionedUNet textNetwork(int[] sampleShape, int vocabulary) {
        var m = config.model();
        if (!m.textConditional()) throw new IllegalStateException("model.type " + m.type() + " is not text-conditioned");
        try (Init init = Init.seeded(config.seed(), backend, dtype)) {
            return new TextConditionedUNet(new TextEncoder.Config(vocabulary, m.captionLength(), m.textWidth(), m.textDepth(), m.textHeads()),
                    unetConfig(sampleShape[0]).withContext(m.textWidth(), m.crossHeads()));
        }
    }

    /** The UNet's shape from the config; class-conditional UNets get the extra "no class" label. */
    public UNetConfig unetConfig(int inChannels) {
        var m = config.model();
        int classes = m.classConditional() ? m.classes() + 1 : 0;
        return new UNetConfig(inChannels, m.channels(), m.multipliers().stream().mapToInt(Integer::intValue).toArray(),
                m.resBlocks(), m.attentionLevels().stream().mapToInt(Integer::intValue).toArray(), m.dropout(), classes, 32,
                m.superResolution() > 0 ? inChannels : 0);
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

    /**
     * The config's objective as the diffusion module defines it:
     * <ul>
     *   <li>eps, x0, v: DDPM's loss on the discrete chain with unit weight on the network output (Ho et al. 2020,
     *       eq. 14; Salimans and Ho 2022 for v), the network conditioned on the timestep index;</li>
     *   <li>dsm: NCSN's denoising score matching over the geometric levels with lambda(sigma) = sigma^2, the network
     *       predicting the score and conditioned on sigma (Song and Ermon 2019, eq. 6);</li>
     *   <li>vp-sde: continuous score matching on the VP SDE, t uniform on [1e-5, 1], lambda = sigma(t)^2, the network
     *       predicting the score and conditioned on 999 t (Song et al. 2021, eq. 7);</li>
     *   <li>edm: log-normal sigma with EDM's preconditioning and weighting (Karras et al. 2022, Table 1).</li>
     * </ul>
     */
    public DenoisingObjective objective() {
        DiffusionConfig d = config.diffusion();
        return switch (d.objective()) {
            case "eps" -> DenoisingObjective.ddpm(schedule(), Parameterisation.EPSILON, Weighting.simple());
            case "x0" -> DenoisingObjective.ddpm(schedule(), Parameterisation.X0, Weighting.simple());
            case "v" -> DenoisingObjective.ddpm(schedule(), Parameterisation.V, Weighting.simple());
            case "dsm" -> DenoisingObjective.ncsn(NoiseLevels.geometric(d.sigmaMax(), d.sigmaMin(), d.noiseLevels()),
                    new VeSde(d.sigmaMin(), d.sigmaMax()));
            case "vp-sde" -> DenoisingObjective.continuousScoreMatching(vpSde(), 1e-5, false);
            case "edm" -> DenoisingObjective.edm(new EdmSde(d.sigmaMax()), d.sigmaData(), d.pMean(), d.pStd());
            default -> throw new IllegalArgumentException("diffusion.objective '" + d.objective() + "'");
        };
    }
}
