package org.diffusion4j.experiments.cli;

import org.diffusion4j.io.Safetensors;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;

import static org.junit.jupiter.api.Assertions.*;

/** A checkpoint whose weights are NaN used to sample NaN with exit code 0. */
class NanCheckpointCommandTest {

    private static Path trainedRun(Path dir) throws IOException {
        Path runs = dir.resolve("runs");
        CliRun r = CliRun.of("train", "--config", TrainCommandTest.tinyConfig(dir).toString(), "--runs", runs.toString(),
                "--set", "sampling.every=0");
        assertEquals(0, r.exitCode(), r.toString());
        return runs.resolve("tiny-cli");
    }

    private static void poison(Path file, String prefix) {
        Safetensors.Contents c = Safetensors.read(file);
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>(c.tensors());
        String name = tensors.keySet().stream().filter(k -> k.startsWith(prefix)).findFirst().orElseThrow();
        float[] v = tensors.get(name).toFloatArray();
        v[0] = Float.NaN;
        tensors.put(name, Tensor.of(Backends.cpu(), v, tensors.get(name).shape()));
        Safetensors.write(file, tensors, c.metadata());
    }

    @Test void aNanNewestCheckpointIsSkippedForTheOlderOne(@TempDir Path dir) throws IOException {
        Path run = trainedRun(dir);   // checkpoints 6 and 9 (keepLast 2)
        Path newest = run.resolve("checkpoints/step-000000009.safetensors");
        poison(newest, "ema.");
        Path npy = dir.resolve("x.npy");
        CliRun r = CliRun.of("sample", "--run", run.toString(), "--sampler", "ddim", "--steps", "3", "--n", "5", "--npy", npy.toString());
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.err().contains("skipping") && r.err().contains(newest.toString()) && r.err().contains("non-finite"), r.err());
        for (double x : org.diffusion4j.experiments.io.Npy.read(npy).data()) assertTrue(Double.isFinite(x), "sampled " + x);
    }

    @Test void aNamedNanCheckpointIsExitCode1NamingTensorAndFile(@TempDir Path dir) throws IOException {
        Path run = trainedRun(dir);
        Path file = run.resolve("checkpoints/step-000000009.safetensors");
        poison(file, "ema.");
        Path npy = dir.resolve("x.npy");
        CliRun r = CliRun.of("sample", "--run", run.toString(), "--checkpoint", file.toString(), "--sampler", "ddim", "--steps", "3",
                "--n", "5", "--npy", npy.toString());
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains(file.toString()) && r.err().contains("'ema."), r.err());
        assertFalse(r.err().contains("\tat "), "one line, no stack trace: " + r.err());
        assertFalse(Files.exists(npy), "nothing written from a NaN checkpoint");
        // Every checkpoint NaN: an error, not NaN samples.
        poison(run.resolve("checkpoints/step-000000006.safetensors"), "model.");
        CliRun all = CliRun.of("nll", "--run", run.toString(), "--n", "4");
        assertNotEquals(0, all.exitCode(), all.toString());
        assertTrue(all.err().contains("none of the 2 checkpoints"), all.err());
    }
}
