package org.diffusion4j.experiments.train;

import org.diffusion4j.autograd.Variable;
import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.diffusion.objective.DenoisingObjective;
import org.diffusion4j.diffusion.sde.VeSde;
import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.run.RunFolder;
import org.diffusion4j.nn.Init;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Module;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class LabelDropoutTest {
    /** A linear map on flattened images that records the labels it was given. */
    private static final class Recording extends Module implements NoiseConditionalNetwork {
        final Linear layer;
        final List<int[]> labels = new ArrayList<>();
        Recording() {
            try (Init init = Init.seeded(1, Backends.cpu(), DType.F32)) {
                layer = register("layer", new Linear(9, 9));
            }
        }
        @Override public Module module() { return this; }
        @Override public Variable forward(Variable x, Tensor time, Conditioning c) {
            labels.add(c.labels());
            return layer.forward(x.reshape(x.shape(0), 9)).reshape(x.shape());
        }
    }

    private static List<int[]> run(Path dir, double p) {
        TrainConfig config = ConfigLoader.parse("""
                name: cond
                data: {dataset: fashion-mnist}
                model: {type: unet-s, classConditional: true, classes: 10}
                training: {batchSize: 20, steps: 25, labelDropout: %s, emaDecay: 0}
                checkpoint: {every: 100}
                sampling: {every: 0}
                """.formatted(p), List.of());
        RunFolder folder = RunFolder.prepare(dir, config, false);
        Recording net = new Recording();
        BatchSource data = new ImageBatchSource(ImageBatchSourceTest.dataset(17), 3, false, Backends.cpu(), DType.F32);
        DenoisingObjective objective = DenoisingObjective.ncsn(new double[]{1, Math.sqrt(0.1), 0.1}, new VeSde(0.1, 1));
        new Trainer(config, folder, net, objective, data, null, Progress.lines("t", 0, 25, 100, new PrintWriter(new StringWriter())))
                .run(false);
        return net.labels;
    }

    @Test
    void aboutTheConfiguredFractionOfLabelsBecomesTheNoClassLabel(@TempDir Path dir) {
        List<int[]> seen = run(dir.resolve("a"), 0.3);
        int dropped = 0, total = 0;
        for (int[] batch : seen) {
            for (int l : batch) {
                total++;
                if (l == 10) dropped++;
                else assertTrue(l >= 0 && l < 10);
            }
        }
        // 500 labels, p = 0.3: mean 150, standard deviation 10.2; allow five.
        assertEquals(500, total);
        assertEquals(150, dropped, 51, dropped + " of " + total);
        List<int[]> again = run(dir.resolve("b"), 0.3);
        for (int i = 0; i < seen.size(); i++) assertArrayEquals(seen.get(i), again.get(i), "the same labels dropped in step " + i);
    }

    @Test
    void withoutDropoutTheLabelsAreTheData(@TempDir Path dir) {
        for (int[] batch : run(dir, 0.0)) for (int l : batch) assertTrue(l >= 0 && l < 10);
    }
}
