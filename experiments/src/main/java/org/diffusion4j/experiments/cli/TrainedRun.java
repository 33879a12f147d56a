package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.checkpoint.CheckpointStore;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.run.RunFolder;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.diffusion.objective.DenoisingObjective;
import org.diffusion4j.experiments.train.TrainingSetup;
import org.diffusion4j.io.Checkpoint;
import org.diffusion4j.io.Safetensors;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * A finished (or checkpointed) run opened for sampling: its config, its network holding the EMA weights of
 * the chosen checkpoint (the training weights when the run kept no EMA), in evaluation mode.
 */
record TrainedRun(TrainConfig config, TrainingSetup setup, NoiseConditionalNetwork network, DenoisingObjective objective, int[] sampleShape,
                  Path checkpoint, long step, boolean ema) {

    static TrainedRun open(Path runDir, Path checkpointFile, Backend backend) {
        RunFolder folder = RunFolder.open(runDir);
        TrainConfig config = folder.readConfig();
        TrainingSetup setup = new TrainingSetup(config, backend);
        int[] shape = config.data().holdsImages() ? new int[]{1, 28, 28} : new int[]{2};
        NoiseConditionalNetwork network = setup.network(shape);
        Path file = checkpointFile;
        if (file == null) {
            List<Path> all = new CheckpointStore(folder.checkpoints(), 1).list();
            if (all.isEmpty()) throw new IllegalArgumentException("run " + runDir + " has no checkpoint in " + folder.checkpoints());
            file = all.get(all.size() - 1);
        }
        Safetensors.Contents contents = Safetensors.read(file, backend);
        LinkedHashMap<String, Tensor> emaWeights = Checkpoint.withPrefix(contents.tensors(), Checkpoint.EMA);
        boolean ema = !emaWeights.isEmpty();
        network.module().loadStateDict(ema ? emaWeights : Checkpoint.withPrefix(contents.tensors(), Checkpoint.MODEL));
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
            throw new IllegalArgumentException("checkpoint " + file + ": metadata 'step' is '" + step + "', expected an integer");
        }
    }
}
