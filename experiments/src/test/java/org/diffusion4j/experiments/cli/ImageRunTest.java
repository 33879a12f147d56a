package org.diffusion4j.experiments.cli;

import org.diffusion4j.diffusion.net.UNetConfig;
import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.io.Npy;
import org.diffusion4j.experiments.train.TrainingSetup;
import org.diffusion4j.tensor.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** A class-conditional UNet on Fashion-MNIST, shrunk to seconds: train two steps, then sample with guidance. */
class ImageRunTest {
    @Test
    void referenceConfigBuildsUNetS() {
        var config = ConfigLoader.load(Path.of("configs", "ddpm-fashion-mnist.yaml"), List.of());
        UNetConfig unet = new TrainingSetup(config, Backends.cpu()).unetConfig(1);
        assertEquals(UNetConfig.unetS(1).baseChannels(), unet.baseChannels());
        assertArrayEquals(UNetConfig.unetS(1).multipliers(), unet.multipliers());
        assertArrayEquals(UNetConfig.unetS(1).attentionLevels(), unet.attentionLevels());
        assertEquals(UNetConfig.unetS(1).resBlocksPerLevel(), unet.resBlocksPerLevel());
        assertEquals(0.1, unet.dropout());
        assertEquals(0, unet.classes());
        var conditional = ConfigLoader.load(Path.of("configs", "class-conditional-guidance.yaml"), List.of());
        assertEquals(11, new TrainingSetup(conditional, Backends.cpu()).unetConfig(1).classes(), "ten classes and 'no class'");
    }

    @Test
    void tinyConditionalUNetTrainsAndSamplesWithGuidance(@TempDir Path dir) throws IOException {
        Path folder = FashionMnist.folder(null);
        Assumptions.assumeTrue(Files.isRegularFile(folder.resolve("train-images-idx3-ubyte.gz"))
                        || Files.isRegularFile(folder.resolve("train-images-idx3-ubyte")),
                "Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        Path runs = dir.resolve("runs");
        CliRun train = CliRun.of("train", "--config", "configs/class-conditional-guidance.yaml", "--runs", runs.toString(),
                "--set", "model.channels=32", "--set", "model.multipliers=[1]", "--set", "model.attentionLevels=[0]",
                "--set", "model.resBlocks=1", "--set", "training.batchSize=2", "--set", "training.steps=2",
                "--set", "checkpoint.every=2", "--set", "sampling.every=2", "--set", "sampling.count=3", "--set", "sampling.steps=2",
                "--set", "data.flip=true", "--set", "training.logEvery=1");
        assertEquals(0, train.exitCode(), train.toString());
        Path run = runs.resolve("class-conditional-guidance");
        assertTrue(Files.exists(run.resolve("samples/step-2.png")) && Files.exists(run.resolve("samples/trajectory.png")));
        Path npy = dir.resolve("s.npy");
        CliRun sample = CliRun.of("sample", "--run", run.toString(), "--sampler", "ddim", "--steps", "2", "--n", "2", "--seed", "1",
                "--guidance", "3", "--class", "7", "--out", dir.resolve("g.png").toString(), "--npy", npy.toString());
        assertEquals(0, sample.exitCode(), sample.toString());
        assertTrue(sample.out().contains("NFE 2"), sample.out());
        assertArrayEquals(new int[]{2, 1, 28, 28}, Npy.read(npy).shape());
        CliRun badClass = CliRun.of("sample", "--run", run.toString(), "--sampler", "ddim", "--n", "2", "--class", "10", "--npy",
                npy.toString());
        assertEquals(2, badClass.exitCode());
        assertTrue(badClass.err().contains("--class 10") && badClass.err().contains("0..9"), badClass.err());

        // eval --run: samples the run, scores the samples, and records the scores in metrics.jsonl and the report.
        CliRun eval = CliRun.of("eval", "--run", run.toString(), "--sampler", "ddim", "--steps", "2", "--n", "12", "--seed", "3",
                "--pr-rows", "12", "--kid-subsets", "2");
        assertEquals(0, eval.exitCode(), eval.toString());
        assertTrue(eval.out().contains("FD-FMNIST") && eval.out().contains("NFE 2"), eval.out());
        String metrics = Files.readString(run.resolve("metrics.jsonl"));
        assertTrue(metrics.contains("\"kind\":\"eval\"") && metrics.contains("\"nfe\":2"), metrics);
        String report = Files.readString(run.resolve("report.html"));
        assertTrue(report.contains("Evaluations") && report.contains("<th>nfe</th>"), "the report shows the evaluation");
    }
}
