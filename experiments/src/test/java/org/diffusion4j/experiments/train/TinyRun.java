package org.diffusion4j.experiments.train;

import org.diffusion4j.diffusion.schedule.DiscreteSchedule;
import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.run.RunFolder;
import org.diffusion4j.nn.Init;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A tiny MLP on the swiss roll, on the CPU: a whole run takes well under a second. */
final class TinyRun {
    static final String YAML = """
            name: tiny
            seed: 5
            device: cpu
            data: {dataset: swiss-roll}
            model: {type: mlp, hidden: 16, depth: 2, embedding: 8, dropout: 0.1}
            diffusion: {objective: eps, timesteps: 50, betaEnd: 0.2}
            optimizer: {lr: 0.003, warmupSteps: 3, weightDecay: 0.01}
            training: {batchSize: 17, steps: 12, gradClip: 1.0, emaDecay: 0.9, logEvery: 1}
            checkpoint: {every: 4, keepLast: 2}
            sampling: {every: 0}
            """;

    final TrainConfig config;
    final RunFolder folder;
    final StringWriter log = new StringWriter();

    TinyRun(Path runs, boolean resume, String... overrides) {
        config = ConfigLoader.parse(YAML, List.of(overrides));
        folder = RunFolder.prepare(runs, config, resume);
    }

    Trainer trainer() { return trainer(null); }

    Trainer trainer(SampleWriter samples) {
        var m = config.model();
        MlpNetwork net;
        try (Init init = Init.seeded(config.seed(), Backends.cpu(), DType.F32)) {
            net = new MlpNetwork(2, m.hidden(), m.depth(), m.embedding(), m.dropout());
        }
        var d = config.diffusion();
        Objective objective = new DenoisingObjective(NoiseDistribution.discrete(
                DiscreteSchedule.linear(d.timesteps(), d.betaStart(), d.betaEnd())), Preconditioning.EPSILON);
        BatchSource data = new ToyBatchSource(config.data().dataset(), config.seed(), Backends.cpu(), DType.F32);
        return new Trainer(config, folder, net, objective, data, samples,
                Progress.lines("tiny", 0, config.training().steps(), 1, new PrintWriter(log, true)));
    }

    static List<String> overridesWith(String... more) { return new ArrayList<>(List.of(more)); }
}
