package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.checkpoint.CheckpointStore;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.run.RunFolder;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.diffusion.objective.DenoisingObjective;
import org.diffusion4j.experiments.train.TrainingSetup;
import org.diffusion4j.io.Checkpoint;
import org.diffusion4j.io.Safetensors;
import org.diffusion4j.io.UnusableCheckpointException;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Tensor;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.Consumer;

/**
 * A finished (or checkpointed) run opened for sampling: its config, its network holding the EMA weights of
 * the chosen checkpoint (the training weights when the run kept no EMA), in evaluation mode. For a GAN or VAE run
 * the network is its {@link org.diffusion4j.experiments.generators.LatentGenerator}.
 */
record TrainedRun(TrainConfig config, TrainingSetup setup, NoiseConditionalNetwork network, DenoisingObjective objective, int[] sampleShape,
                  Path checkpoint, long step, boolean ema) {

    /**
     * Opens the run's checkpointFile, or, when it is null, its newest usable checkpoint: a newer one that cannot be
     * used (unreadable, a tensor holding NaN or infinity, weights that do not fit) is reported to skipped and the
     * next older one tried. A named file that cannot be used is an IllegalStateException naming the file and the tensor.
     */
    static TrainedRun open(Path runDir, Path checkpointFile, Backend backend, Consumer<String> skipped) {
        RunFolder folder = RunFolder.open(runDir);
        TrainConfig config = folder.readConfig();
        TrainingSetup setup = new TrainingSetup(config, backend);
        int[] shape = config.data().holdsScenes() ? new int[]{1, 32, 32} : config.data().holdsImages() ? new int[]{1, 28, 28}
                : config.data().holdsAudio() ? new int[]{1, org.diffusion4j.experiments.audio.SpokenDigits.CLIP_SAMPLES} : new int[]{2};
        NoiseConditionalNetwork network = config.model().textConditional()
                ? setup.textNetwork(shape, org.diffusion4j.experiments.texttoimage.TextToImageRun.savedTokenizer(runDir).vocabulary())
                : config.model().describesBaseline()
                ? new org.diffusion4j.experiments.generators.BaselineSetup(config, setup).network(shape) : setup.network(shape);
        if (checkpointFile != null) {
            try {
                return load(config, setup, network, shape, checkpointFile, backend);
            } catch (UnusableCheckpointException e) {
                // A bad file, not bad usage: an IllegalStateException, so that commands report it as a failure (exit 1)
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        List<Path> all = new CheckpointStore(folder.checkpoints(), 1).list();
        if (all.isEmpty()) throw new IllegalArgumentException("run " + runDir + " has no checkpoint in " + folder.checkpoints());
        List<String> reasons = new ArrayList<>();
        for (int i = all.size() - 1; i >= 0; i--) {
            try {
                return load(config, setup, network, shape, all.get(i), backend);
            } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
                skipped.accept("skipping " + e.getMessage());
                reasons.add(e.getMessage());
            }
        }
        throw new IllegalStateException("none of the " + all.size() + " checkpoints of run " + runDir + " can be used: "
                + String.join("; ", reasons));
    }

    /** As {@link #open}, for a command that needs a diffusion network: a GAN or VAE run is an IllegalArgumentException. */
    static TrainedRun openDiffusion(String command, Path runDir, Path checkpointFile, Backend backend, Consumer<String> skipped) {
        if (isBaseline(runDir)) throw new IllegalArgumentException("run " + runDir + " is a GAN or VAE run (model.type "
                + RunFolder.open(runDir).readConfig().model().type() + "); d4j " + command + " needs a diffusion run");
        return open(runDir, checkpointFile, backend, skipped);
    }

    /**
     * Whether runDir holds a GAN or VAE run (model.type gan, vae), which samples in one network call, without a sampler.
     * False when it is no readable run folder: {@link #open} then reports what is wrong with it.
     */
    static boolean isBaseline(Path runDir) {
        try {
            return RunFolder.open(runDir).readConfig().model().describesBaseline();
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            return false;
        }
    }

    /** The run's GAN or VAE; an IllegalStateException for a diffusion run. */
    org.diffusion4j.experiments.generators.LatentGenerator generator() {
        if (network instanceof org.diffusion4j.experiments.generators.LatentGenerator g) return g;
        throw new IllegalStateException("run " + config.name() + " is a diffusion run (model.type " + config.model().type() + ")");
    }

    /** Loads the sampling weights of file (EMA when it has them) after checking every tensor in it is finite. */
    private static TrainedRun load(TrainConfig config, TrainingSetup setup, NoiseConditionalNetwork network, int[] shape,
                                   Path file, Backend backend) {
        Safetensors.Contents contents;
        try {
            contents = Safetensors.read(file, backend);
        } catch (UncheckedIOException | IllegalStateException e) {
            throw new IllegalStateException("checkpoint " + file + " cannot be read: " + e.getMessage(), e);
        }
        List<String> nonFinite = Checkpoint.nonFinite(contents.tensors());
        if (!nonFinite.isEmpty()) throw new UnusableCheckpointException(file, nonFinite);
        LinkedHashMap<String, Tensor> emaWeights = Checkpoint.withPrefix(contents.tensors(), Checkpoint.EMA);
        boolean ema = !emaWeights.isEmpty();
        try {
            network.module().loadStateDict(ema ? emaWeights : Checkpoint.withPrefix(contents.tensors(), Checkpoint.MODEL));
        } catch (IllegalArgumentException e) {
            throw new UnusableCheckpointException(file, List.of(e.getMessage()));
        }
        network.module().eval();
        return new TrainedRun(config, setup, network, setup.objective(), shape, file, step(contents, file), ema);
    }

    /** The checkpoint's "step" metadata, -1 when absent. */
    private static long step(Safetensors.Contents contents, Path file) {
        String step = contents.metadata().get("step");
        if (step == null) return -1;
        try {
            return Long.parseLong(step);
        } catch (NumberFormatException e) {
            throw new UnusableCheckpointException(file, List.of("its metadata 'step' is '" + step + "', not an integer"));
        }
    }
}
