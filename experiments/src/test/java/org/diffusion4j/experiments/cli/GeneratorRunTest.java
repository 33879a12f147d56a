package org.diffusion4j.experiments.cli;

import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.io.Npy;
import org.diffusion4j.io.Checkpoint;
import org.diffusion4j.io.Safetensors;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** d4j sample and d4j eval on GAN and VAE runs (2-D and Fashion-MNIST), shrunk to seconds. */
class GeneratorRunTest {
    private static CliRun train(Path runs, String config, String... sets) {
        String[] base = {"train", "--config", config, "--runs", runs.toString(), "--set", "training.steps=4",
                "--set", "checkpoint.every=2", "--set", "sampling.every=4", "--set", "sampling.count=6", "--set", "training.logEvery=1"};
        String[] args = Arrays.copyOf(base, base.length + 2 * sets.length);
        for (int i = 0; i < sets.length; i++) { args[base.length + 2 * i] = "--set"; args[base.length + 2 * i + 1] = sets[i]; }
        return CliRun.of(args);
    }

    /** The MLP generator in plain float64 loops (ReLU hidden layers), on the checkpoint's EMA weights. */
    private static double[] generator(Map<String, Tensor> ema, double[] z) {
        int layers = (int) ema.keySet().stream().filter(k -> k.startsWith("generator.") && k.endsWith(".weight")).count();
        double[] h = z;
        for (int l = 0; l < layers; l++) {
            Tensor w = ema.get("generator." + l + ".weight");
            double[] wv = w.contiguous().toDoubleArray(), bv = ema.get("generator." + l + ".bias").toDoubleArray();
            double[] y = new double[w.shape(0)];
            for (int o = 0; o < y.length; o++) {
                double s = bv[o];
                for (int i = 0; i < w.shape(1); i++) s += wv[o * w.shape(1) + i] * h[i];
                y[o] = l < layers - 1 ? Math.max(0, s) : s;
            }
            h = y;
        }
        return h;
    }

    @Test
    void sampleDrawsFromTheEmaGeneratorOfAGanRunAndFromAVaeRun(@TempDir Path dir) throws Exception {
        Path runs = dir.resolve("runs");
        CliRun t = train(runs, "configs/gan-25gaussians.yaml", "model.hidden=8", "model.depth=2", "training.batchSize=16");
        assertEquals(0, t.exitCode(), t.toString());
        Path run = runs.resolve("gan-25gaussians"), npy = dir.resolve("g.npy");
        CliRun s = CliRun.of("sample", "--run", run.toString(), "--n", "5", "--seed", "3", "--npy", npy.toString(),
                "--out", dir.resolve("g.png").toString());
        assertEquals(0, s.exitCode(), s.toString());
        assertTrue(s.out().contains("NFE 1") && s.out().contains("EMA weights") && s.out().contains("step 4"), s.out());
        assertTrue(Files.size(dir.resolve("g.png")) > 0);
        Npy.Array a = Npy.read(npy);
        assertArrayEquals(new int[]{5, 2}, a.shape());
        // Reference: the checkpoint's EMA generator in float64 loops, on the latents of seed 3 (latent i on stream i).
        var ema = Checkpoint.withPrefix(Safetensors.read(run.resolve("checkpoints/step-000000004.safetensors"), Backends.cpu()).tensors(),
                Checkpoint.EMA);
        double[] z = Tensor.randn(Backends.cpu(), DType.F32, 3, 0, 5, 2).toDoubleArray();
        for (int i = 0; i < 5; i++) {
            double[] expected = generator(ema, Arrays.copyOfRange(z, 2 * i, 2 * i + 2));
            assertArrayEquals(expected, Arrays.copyOfRange(a.data(), 2 * i, 2 * i + 2), 1e-5, "sample " + i);
        }
        CliRun withSampler = CliRun.of("sample", "--run", run.toString(), "--n", "5", "--sampler", "ddpm", "--npy", npy.toString());
        assertEquals(2, withSampler.exitCode(), withSampler.toString());
        assertTrue(withSampler.err().contains("GAN or VAE") && withSampler.err().contains("--sampler"), withSampler.err());
        CliRun eval2d = CliRun.of("eval", "--run", run.toString(), "--n", "4");
        assertTrue(eval2d.exitCode() != 0 && eval2d.err().contains("25gaussians"), eval2d.toString());
        CliRun nll = CliRun.of("nll", "--run", run.toString(), "--n", "4");
        assertTrue(nll.exitCode() != 0 && nll.err().contains("GAN or VAE run") && nll.err().contains("needs a diffusion run"),
                nll.toString());

        CliRun tv = train(runs, "configs/vae-25gaussians.yaml", "model.hidden=8", "model.depth=2", "training.batchSize=16");
        assertEquals(0, tv.exitCode(), tv.toString());
        Path vnpy = dir.resolve("v.npy");
        CliRun sv = CliRun.of("sample", "--run", runs.resolve("vae-25gaussians").toString(), "--n", "7", "--npy", vnpy.toString());
        assertEquals(0, sv.exitCode(), sv.toString());
        Npy.Array v = Npy.read(vnpy);
        assertArrayEquals(new int[]{7, 2}, v.shape());
        for (double x : v.data()) assertTrue(Double.isFinite(x));
        CliRun again = CliRun.of("sample", "--run", runs.resolve("vae-25gaussians").toString(), "--n", "7", "--npy", vnpy.toString());
        assertEquals(0, again.exitCode());
        assertArrayEquals(v.data(), Npy.read(vnpy).data(), 0.0, "same seed, same samples");
    }

    @Test
    void dcganAndConvVaeTrainOnFashionMnistAndAreScoredByEvalRun(@TempDir Path dir) throws Exception {
        Path folder = FashionMnist.folder(null);
        Assumptions.assumeTrue(Files.isRegularFile(folder.resolve("train-images-idx3-ubyte.gz"))
                        || Files.isRegularFile(folder.resolve("train-images-idx3-ubyte")),
                "Fashion-MNIST is not installed (Debian package dataset-fashion-mnist)");
        Path runs = dir.resolve("runs");
        for (String name : new String[]{"dcgan-fashion-mnist", "vae-fashion-mnist"}) {
            CliRun t = train(runs, "configs/" + name + ".yaml", "device=cpu", "model.channels=32", "model.latent=4",
                    "training.batchSize=2");
            assertEquals(0, t.exitCode(), t.toString());
            Path run = runs.resolve(name);
            assertTrue(Files.exists(run.resolve("samples/step-4.png")), "the training's sample grid");
            Path npy = dir.resolve(name + ".npy");
            CliRun s = CliRun.of("sample", "--run", run.toString(), "--n", "3", "--npy", npy.toString());
            assertEquals(0, s.exitCode(), s.toString());
            Npy.Array a = Npy.read(npy);
            assertArrayEquals(new int[]{3, 1, 28, 28}, a.shape());
            for (double x : a.data()) assertTrue(x >= -1 && x <= 1, name + ": value " + x + " outside [-1, 1]");
            if (!name.startsWith("dcgan")) continue;   // one FD-FMNIST scoring is enough: both take the same path
            CliRun e = CliRun.of("eval", "--run", run.toString(), "--n", "12", "--seed", "3", "--pr-rows", "12", "--kid-subsets", "2");
            assertEquals(0, e.exitCode(), e.toString());
            assertTrue(e.out().contains("FD-FMNIST") && e.out().contains("NFE 1"), e.out());
            String metrics = Files.readString(run.resolve("metrics.jsonl"));
            assertTrue(metrics.contains("\"kind\":\"eval\"") && metrics.contains("\"nfe\":1"), metrics);
            CliRun withSteps = CliRun.of("eval", "--run", run.toString(), "--n", "12", "--sampler", "ddim", "--steps", "2");
            assertFalse(withSteps.exitCode() == 0);
            assertTrue(withSteps.err().contains("--sampler and --steps do not apply"), withSteps.err());
        }
    }
}
