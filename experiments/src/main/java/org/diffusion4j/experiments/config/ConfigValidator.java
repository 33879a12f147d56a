package org.diffusion4j.experiments.config;

import java.util.List;
import java.util.regex.Pattern;

/** The range and consistency rules of a {@link TrainConfig}; the first broken rule is thrown. */
final class ConfigValidator {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    private ConfigValidator() { }

    static void check(TrainConfig c) {
        if (!NAME.matcher(c.name()).matches()) {
            throw new ConfigException("name", c.name(), "letters, digits, '.', '_' and '-', starting with a letter or digit");
        }
        if (c.seed() < 0) throw new ConfigException("seed", c.seed(), "an integer >= 0");
        // the device grammar is the tensor module's (DeviceSelection); whether the device exists is decided when a run opens it
        if (!c.device().equals("auto") && !org.diffusion4j.tensor.DeviceSelection.wellFormed(c.device())) {
            throw new ConfigException("device", c.device(), "auto, cpu, opencl or opencl:N");
        }
        oneOf("dtype", c.dtype(), List.of("f32", "f64"));
        try {
            org.diffusion4j.tensor.Precision.parse(c.precision());
        } catch (IllegalArgumentException e) {
            throw new ConfigException("precision", c.precision(), org.diffusion4j.tensor.Precision.names());
        }
        data(c.data());
        model(c.model(), c.data());
        diffusion(c.diffusion());
        optimizer(c.optimizer());
        training(c.training(), c.model());
        atLeast("checkpoint.every", c.checkpoint().every(), 1);
        atLeast("checkpoint.keepLast", c.checkpoint().keepLast(), 1);
        sampling(c.sampling());
    }

    private static void data(DataConfig d) {
        oneOf("data.dataset", d.dataset(), DataConfig.DATASETS);
        if (d.flip() && !d.holdsImages()) throw new ConfigException("data.flip", true, "false for the 2-D toy sets, audio and "
                + "the captioned scenes (a flip would swap left and right in the captions)");
        atLeast("data.scenes", d.scenes(), 1);
    }

    /** The GAN and VAE baselines: MLPs for 2-D data, conv networks for images, unconditional, without dropout. */
    private static void baseline(ModelConfig m, DataConfig d) {
        if (d.holdsAudio()) throw new ConfigException("model.type", m.type(), "diffwave for the audio dataset '" + d.dataset()
                + "' (the baselines are for 2-D data and images)");
        atLeast("model.latent", m.latent(), 1);
        oneOf("model.ganLoss", m.ganLoss(), org.diffusion4j.experiments.generators.GanLoss.KINDS);
        if (d.holdsImages() && m.ganLoss().equals("wgan-gp")) throw new ConfigException("model.ganLoss", m.ganLoss(),
                "non-saturating or hinge for images (the gradient penalty needs the 2-D MLP critic; docs/generators.md)");
        if (m.classConditional()) throw new ConfigException("model.classConditional", true, "false for model.type " + m.type());
        if (m.dropout() != 0) throw new ConfigException("model.dropout", m.dropout(), "0 for model.type " + m.type());
    }

    private static void model(ModelConfig m, DataConfig d) {
        oneOf("model.type", m.type(), ModelConfig.TYPES);
        if (m.textConditional() != d.holdsScenes()) throw new ConfigException("model.type", m.type(), d.holdsScenes()
                ? "text-unet for the captioned dataset '" + d.dataset() + "'" : "a model other than text-unet for the uncaptioned "
                + "dataset '" + d.dataset() + "'");
        if (m.textConditional()) text(m);
        if (!d.holdsScenes() && m.type().equals("diffwave") != d.holdsAudio()) throw new ConfigException("model.type", m.type(), d.holdsAudio()
                ? "diffwave for the audio dataset '" + d.dataset() + "'" : (d.holdsImages() ? "unet-s, gan or vae" : "mlp, gan or vae")
                + " for the dataset '" + d.dataset() + "'");
        range("model.dilationCycle", m.dilationCycle(), 1, 20);
        if (m.type().equals("unet-s") && !d.holdsImages()) {
            throw new ConfigException("model.type", m.type(), "mlp (diffusion), gan or vae for the 2-D dataset '" + d.dataset() + "'");
        }
        if (m.type().equals("mlp") && (d.holdsImages() || d.holdsAudio())) {
            throw new ConfigException("model.type", m.type(), "unet-s (diffusion), gan or vae for the image dataset '" + d.dataset() + "'");
        }
        if (m.describesBaseline()) baseline(m, d);
        atLeast("model.channels", m.channels(), 32);
        if (m.channels() % 32 != 0) throw new ConfigException("model.channels", m.channels(), "a multiple of 32 (GroupNorm has 32 groups)");
        if (m.multipliers().isEmpty()) throw new ConfigException("model.multipliers", "[]", "a non-empty list of integers >= 1");
        for (int i = 0; i < m.multipliers().size(); i++) atLeast("model.multipliers[" + i + "]", m.multipliers().get(i), 1);
        for (int i = 0; i < m.attentionLevels().size(); i++) {
            range("model.attentionLevels[" + i + "]", m.attentionLevels().get(i), 0, m.multipliers().size() - 1);
        }
        atLeast("model.resBlocks", m.resBlocks(), 1);
        atLeast("model.hidden", m.hidden(), 1);
        atLeast("model.depth", m.depth(), 1);
        atLeast("model.embedding", m.embedding(), 2);
        if (m.embedding() % 2 != 0) throw new ConfigException("model.embedding", m.embedding(), "an even integer (sin and cos halves)");
        halfOpen("model.dropout", m.dropout(), 0, 1);
        atLeast("model.classes", m.classes(), 1);
        if (m.classConditional() && !d.holdsImages() && !d.holdsAudio()) {
            throw new ConfigException("model.classConditional", true, "false for the unlabelled dataset '" + d.dataset() + "'");
        }
        if (m.superResolution() != 0) {
            int f = m.superResolution();
            if (!d.holdsImages() || !m.type().equals("unet-s")) throw new ConfigException("model.superResolution", f,
                    "0 unless the model is a unet-s on images");
            if (f < 2 || 28 % f != 0) throw new ConfigException("model.superResolution", f, "0 or a factor of 28 above 1 (2: 14x14, 4: 7x7)");
        }
    }

    /** The text encoder and cross-attention of a text-unet. */
    private static void text(ModelConfig m) {
        atLeast("model.textWidth", m.textWidth(), 1);
        atLeast("model.textDepth", m.textDepth(), 0);
        atLeast("model.textHeads", m.textHeads(), 1);
        if (m.textWidth() % m.textHeads() != 0) throw new ConfigException("model.textHeads", m.textHeads(),
                "a divisor of model.textWidth = " + m.textWidth());
        atLeast("model.crossHeads", m.crossHeads(), 1);
        for (int mult : m.multipliers()) if ((m.channels() * mult) % m.crossHeads() != 0) throw new ConfigException(
                "model.crossHeads", m.crossHeads(), "a divisor of every level's channels (" + m.channels() * mult + ")");
        atLeast("model.captionLength", m.captionLength(), 1);
        if (m.attentionLevels().isEmpty()) throw new ConfigException("model.attentionLevels", "[]",
                "at least one level: cross-attention to the caption follows each self-attention");
        if (m.classConditional()) throw new ConfigException("model.classConditional", true, "false for model.type text-unet");
    }

    private static void diffusion(DiffusionConfig f) {
        oneOf("diffusion.objective", f.objective(), DiffusionConfig.OBJECTIVES);
        oneOf("diffusion.schedule", f.schedule(), DiffusionConfig.SCHEDULES);
        atLeast("diffusion.timesteps", f.timesteps(), 2);
        open("diffusion.betaStart", f.betaStart(), 0, 1);
        open("diffusion.betaEnd", f.betaEnd(), 0, 1);
        if (f.betaEnd() <= f.betaStart()) {
            throw new ConfigException("diffusion.betaEnd", f.betaEnd(), "a number greater than diffusion.betaStart = " + f.betaStart());
        }
        positive("diffusion.sigmaMin", f.sigmaMin());
        positive("diffusion.sigmaMax", f.sigmaMax());
        if (f.sigmaMax() <= f.sigmaMin()) {
            throw new ConfigException("diffusion.sigmaMax", f.sigmaMax(), "a number greater than diffusion.sigmaMin = " + f.sigmaMin());
        }
        atLeast("diffusion.noiseLevels", f.noiseLevels(), 2);
        positive("diffusion.betaMin", f.betaMin());
        positive("diffusion.betaMax", f.betaMax());
        if (f.betaMax() <= f.betaMin()) {
            throw new ConfigException("diffusion.betaMax", f.betaMax(), "a number greater than diffusion.betaMin = " + f.betaMin());
        }
        positive("diffusion.sigmaData", f.sigmaData());
        finite("diffusion.pMean", f.pMean());
        positive("diffusion.pStd", f.pStd());
    }

    private static void optimizer(OptimizerConfig o) {
        positive("optimizer.lr", o.lr());
        halfOpen("optimizer.beta1", o.beta1(), 0, 1);
        halfOpen("optimizer.beta2", o.beta2(), 0, 1);
        positive("optimizer.eps", o.eps());
        halfOpen("optimizer.weightDecay", o.weightDecay(), 0, 1);
        atLeast("optimizer.warmupSteps", o.warmupSteps(), 0);
    }

    private static void training(TrainingConfig t, ModelConfig m) {
        atLeast("training.batchSize", t.batchSize(), 1);
        atLeast("training.steps", t.steps(), 1);
        if (!(t.gradClip() >= 0) || Double.isInfinite(t.gradClip())) {
            throw new ConfigException("training.gradClip", t.gradClip(), "a finite number >= 0 (0 disables clipping)");
        }
        halfOpen("training.emaDecay", t.emaDecay(), 0, 1);
        halfOpen("training.labelDropout", t.labelDropout(), 0, 1);
        if (t.labelDropout() > 0 && !m.classConditional() && !m.textConditional()) {
            throw new ConfigException("training.labelDropout", t.labelDropout(), "0 unless model.classConditional is true "
                    + "or model.type is text-unet (caption dropout)");
        }
        atLeast("training.logEvery", t.logEvery(), 1);
    }

    private static void sampling(SamplingConfig s) {
        atLeast("sampling.every", s.every(), 0);
        atLeast("sampling.count", s.count(), 1);
        sampler(s.sampler());
        atLeast("sampling.steps", s.steps(), 1);
        if (s.seed() < 0) throw new ConfigException("sampling.seed", s.seed(), "an integer >= 0");
    }

    /** The sampler's name is checked against the sampler registry itself (names and aliases live there). */
    private static void sampler(String name) {
        try {
            org.diffusion4j.diffusion.sampler.Samplers.canonicalName(name);
        } catch (IllegalArgumentException e) {
            List<String> names = org.diffusion4j.diffusion.sampler.Samplers.names().stream()
                    .map(org.diffusion4j.diffusion.sampler.Samplers::cliName).toList();
            throw new ConfigException("sampling.sampler", name, "one of " + String.join(", ", names));
        }
    }

    private static void oneOf(String key, String value, List<String> allowed) {
        if (!allowed.contains(value)) throw new ConfigException(key, value, "one of " + String.join(", ", allowed));
    }

    private static void atLeast(String key, int value, int min) {
        if (value < min) throw new ConfigException(key, value, "an integer >= " + min);
    }

    private static void range(String key, int value, int min, int max) {
        if (value < min || value > max) throw new ConfigException(key, value, "an integer in [" + min + ", " + max + "]");
    }

    private static void positive(String key, double value) {
        if (!(value > 0) || Double.isInfinite(value)) throw new ConfigException(key, value, "a finite number > 0");
    }

    private static void finite(String key, double value) {
        if (!Double.isFinite(value)) throw new ConfigException(key, value, "a finite number");
    }

    /** value in [min, max). */
    private static void halfOpen(String key, double value, double min, double max) {
        if (!(value >= min && value < max)) throw new ConfigException(key, value, "a number in [" + min + ", " + max + ")");
    }

    /** value in (min, max). */
    private static void open(String key, double value, double min, double max) {
        if (!(value > min && value < max)) throw new ConfigException(key, value, "a number in (" + min + ", " + max + ")");
    }
}
