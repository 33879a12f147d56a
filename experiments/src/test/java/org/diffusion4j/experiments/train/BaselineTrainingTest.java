package org.diffusion4j.experiments.train;

import org.diffusion4j.experiments.checkpoint.CheckpointStore;
import org.diffusion4j.experiments.config.ConfigException;
import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.generators.BaselineSetup;
import org.diffusion4j.experiments.generators.GeneratorSamples;
import org.diffusion4j.experiments.run.MetricsLog;
import org.diffusion4j.experiments.run.RunFolder;
import org.diffusion4j.tensor.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The GAN and VAE baselines in the diffusion runs' trainer: run folders, checkpoints, bitwise resume, samples. */
class BaselineTrainingTest {
    private static final String YAML = """
            name: tiny-baseline
            seed: 3
            device: cpu
            data: {dataset: 25gaussians}
            model: {type: gan, hidden: 16, depth: 2, latent: 2}
            optimizer: {lr: 0.002, beta1: 0.5, warmupSteps: 2, weightDecay: 0.0}
            training: {batchSize: 33, steps: 10, gradClip: 1.0, emaDecay: 0.9, logEvery: 1}
            checkpoint: {every: 4, keepLast: 2}
            sampling: {every: 5, count: 50}
            """;

    private record Run(TrainConfig config, RunFolder folder, StringWriter log) {
        Trainer trainer() {
            TrainingSetup setup = new TrainingSetup(config, Backends.cpu());
            BaselineSetup b = new BaselineSetup(config, setup);
            BatchSource data = setup.data();
            return new Trainer(config, folder, b.network(data.sampleShape()), b.loss(), data, new GeneratorSamples(config, folder, data.sampleShape()),
                    Progress.lines(config.name(), 0, config.training().steps(), 1, new PrintWriter(log, true)));
        }
    }

    private static Run run(Path runs, boolean resume, List<String> overrides) {
        TrainConfig c = ConfigLoader.parse(YAML, overrides);
        return new Run(c, RunFolder.prepare(runs, c, resume), new StringWriter());
    }

    @Test
    void ganNonSaturatingHingeWganGpAndVaeRunsStoppedAndResumedEndBitwiseIdentical(@TempDir Path dir) throws IOException {
        List<List<String>> variants = List.of(List.of(), List.of("model.ganLoss=hinge"), List.of("model.ganLoss=wgan-gp"),
                List.of("model.type=vae"));
        for (int v = 0; v < variants.size(); v++) {
            List<String> o = variants.get(v);
            Run straight = run(dir.resolve("a" + v), false, o);
            Trainer.Result a = straight.trainer().run(false);
            straight.folder().close();
            Run interrupted = run(dir.resolve("b" + v), false, o);
            interrupted.trainer().interruptAfter(6).run(false);   // the newest checkpoint is step 4
            interrupted.folder().close();
            Run resumed = run(dir.resolve("b" + v), true, o);
            Trainer.Result b = resumed.trainer().run(true);
            resumed.folder().close();
            assertEquals(4, b.resumedFrom(), o.toString());
            assertEquals("step-000000010.safetensors", a.lastCheckpoint().getFileName().toString());
            assertArrayEquals(Files.readAllBytes(a.lastCheckpoint()), Files.readAllBytes(b.lastCheckpoint()), o.toString());
            List<MetricsLog.Entry> ma = MetricsLog.read(straight.folder().metrics());
            assertEquals(10, ma.size());
            for (MetricsLog.Entry e : ma) assertTrue(Double.isFinite(e.loss()), o + ": " + e);
            // The sample scatters of steps 5 and 10, byte-identical after the resume.
            for (long step : List.of(5L, 10L)) {
                Path pa = dir.resolve("a" + v).resolve("tiny-baseline").resolve("samples").resolve("step-" + step + ".png");
                assertTrue(Files.exists(pa), pa.toString());
                assertArrayEquals(Files.readAllBytes(pa), Files.readAllBytes(dir.resolve("b" + v).resolve("tiny-baseline")
                        .resolve("samples").resolve("step-" + step + ".png")));
            }
            // The losses differ between the variants, so the bitwise check above compares runs that can differ.
            if (v > 0) assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.lastCheckpoint()),
                    Files.readAllBytes(dir.resolve("a0").resolve("tiny-baseline").resolve("checkpoints")
                            .resolve("step-000000010.safetensors"))), o.toString());
        }
    }

    @Test
    void ganTrainingMovesTheGeneratorAndKeepsBothPlayersInOneCheckpoint(@TempDir Path dir) {
        Run r = run(dir, false, List.of());
        Trainer.Result res = r.trainer().run(false);
        r.folder().close();
        var names = org.diffusion4j.io.Safetensors.read(res.lastCheckpoint()).tensors().keySet();
        assertTrue(names.contains("model.generator.0.weight") && names.contains("model.discriminator.0.weight")
                && names.contains("ema.generator.0.weight") && names.contains("optim.discriminator.2.bias.exp_avg"), names.toString());
        assertEquals(List.of(8L, 10L), new CheckpointStore(r.folder().checkpoints(), 1).list().stream().map(CheckpointStore::stepOf).toList());
    }

    @Test
    void baselineConfigsOutsideTheirScopeAreRejectedNamingTheKey() {
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.parse(YAML, List.of("model.ganLoss=wgan")))
                .getMessage().contains("model.ganLoss"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.parse(YAML, List.of("model.latent=0")))
                .getMessage().contains("model.latent"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.parse(YAML, List.of("model.dropout=0.1")))
                .getMessage().contains("model.dropout"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.parse(YAML, List.of("data.dataset=fashion-mnist",
                "model.ganLoss=wgan-gp"))).getMessage().contains("model.ganLoss"));
        assertTrue(assertThrows(ConfigException.class, () -> ConfigLoader.parse(YAML, List.of("data.dataset=spoken-digits")))
                .getMessage().contains("diffwave"));
        ConfigLoader.parse(YAML, List.of("data.dataset=fashion-mnist"));   // the DCGAN pair
    }
}
