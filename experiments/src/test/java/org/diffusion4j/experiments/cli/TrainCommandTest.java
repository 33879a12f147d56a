package org.diffusion4j.experiments.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.diffusion4j.experiments.config.ConfigLoader;
import org.diffusion4j.experiments.config.TrainConfig;
import org.diffusion4j.experiments.run.MetricsLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TrainCommandTest {
    static final String TINY = """
            name: tiny-cli
            seed: 3
            device: cpu
            data: {dataset: two-moons}
            model: {type: mlp, hidden: 16, depth: 2, embedding: 8}
            diffusion: {objective: eps, timesteps: 40, betaStart: 0.0025, betaEnd: 0.5}
            optimizer: {lr: 0.003, warmupSteps: 2}
            training: {batchSize: 33, steps: 9, emaDecay: 0.9, logEvery: 1}
            checkpoint: {every: 3, keepLast: 2}
            sampling: {every: 3, count: 17, sampler: ddim, steps: 4, seed: 5}
            """;

    static Path tinyConfig(Path dir) throws IOException {
        Path file = dir.resolve("tiny.yaml");
        Files.writeString(file, TINY);
        return file;
    }

    @Test
    void trainWritesTheWholeRunFolder(@TempDir Path dir) throws IOException {
        Path runs = dir.resolve("runs");
        CliRun r = CliRun.of("train", "--config", tinyConfig(dir).toString(), "--runs", runs.toString(), "--set", "training.steps=7");
        assertEquals(0, r.exitCode(), r.toString());
        Path run = runs.resolve("tiny-cli");
        assertTrue(r.out().contains("report: " + run.resolve("report.html")), r.out());

        TrainConfig resolved = ConfigLoader.load(run.resolve("config.json"), List.of());
        assertEquals(7, resolved.training().steps(), "the override is part of the resolved config");
        assertEquals(ConfigLoader.parse(TINY, List.of("training.steps=7")), resolved);

        JsonNode env = new ObjectMapper().readTree(run.resolve("env.json").toFile());
        for (String key : new String[]{"gitCommit", "jdk", "os", "device", "precision", "seed", "versions"}) assertTrue(env.has(key), key);
        assertEquals("strict", env.get("precision").asText());
        assertEquals(3, env.get("seed").asLong());
        assertTrue(env.get("jdk").asText().contains(Runtime.version().toString()));
        String commit = env.get("gitCommit").isNull() ? null : env.get("gitCommit").asText();
        assertTrue(commit == null || commit.matches("[0-9a-f]{40}(-dirty)?"), commit);

        List<MetricsLog.Entry> metrics = MetricsLog.read(run.resolve("metrics.jsonl"));
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L), metrics.stream().map(MetricsLog.Entry::step).toList());

        try (var files = Files.list(run.resolve("checkpoints"))) {
            assertEquals(List.of("step-000000006.safetensors", "step-000000007.safetensors"),
                    files.map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (String png : new String[]{"step-3.png", "step-6.png", "step-7.png", "trajectory.png"}) {
            byte[] bytes = Files.readAllBytes(run.resolve("samples").resolve(png));
            assertEquals((byte) 0x89, bytes[0], png);
            assertEquals('P', bytes[1], png);
        }
        String html = Files.readString(run.resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("<polyline"), "loss curve");
        int images = html.split("data:image/png;base64,", -1).length - 1;
        assertEquals(4, images, "three sample grids and the trajectory strip");
        assertTrue(html.contains("tiny-cli") && html.contains("&quot;batchSize&quot;"), "config shown");
    }

    @Test
    void deviceOptionOverridesTheConfigsDeviceInTheResolvedConfig(@TempDir Path dir) throws IOException {
        Path runs = dir.resolve("runs");
        CliRun r = CliRun.of("train", "--device", "cpu", "--config", tinyConfig(dir).toString(), "--runs", runs.toString(),
                "--set", "device=auto", "--set", "training.steps=1", "--set", "sampling.every=0");
        assertEquals(0, r.exitCode(), r.toString());
        assertEquals("cpu", ConfigLoader.load(runs.resolve("tiny-cli/config.json"), List.of()).device());
        CliRun bad = CliRun.of("train", "--device", "tpu", "--config", tinyConfig(dir).toString(), "--runs", runs.toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("tpu"), bad.err());
    }

    @Test
    void precisionIsAConfigKeyAndATensorCorePolicyOnTheCpuIsRefused(@TempDir Path dir) throws IOException {
        Path runs = dir.resolve("runs");
        CliRun bad = CliRun.of("train", "--config", tinyConfig(dir).toString(), "--runs", runs.toString(), "--set", "precision=fp16");
        assertEquals(2, bad.exitCode(), bad.toString());
        assertTrue(bad.err().contains("precision") && bad.err().contains("fp16") && bad.err().contains("strict, tf32, 3xtf32"), bad.err());
        CliRun refused = CliRun.of("train", "--precision", "TF32", "--config", tinyConfig(dir).toString(), "--runs", runs.toString(),
                "--set", "training.steps=1");
        assertEquals(1, refused.exitCode(), refused.toString());
        assertTrue(refused.err().contains("precision tf32 is not available on " + org.diffusion4j.tensor.Backends.cpu().description()
                + ": it supports strict"), refused.err());
        CliRun strict = CliRun.of("train", "--precision", "strict", "--config", tinyConfig(dir).toString(), "--runs", runs.toString(),
                "--set", "training.steps=1", "--set", "sampling.every=0");
        assertEquals(0, strict.exitCode(), strict.toString());
        assertEquals("strict", ConfigLoader.load(runs.resolve("tiny-cli/config.json"), List.of()).precision());
        assertEquals("strict", new ObjectMapper().readTree(runs.resolve("tiny-cli/env.json").toFile()).get("precision").asText());
    }

    @Test
    void badConfigIsExitCode2AndStartsNoRun(@TempDir Path dir) throws IOException {
        Path runs = dir.resolve("runs");
        CliRun r = CliRun.of("train", "--config", tinyConfig(dir).toString(), "--runs", runs.toString(), "--set", "optimizer.lr=-1");
        assertEquals(2, r.exitCode(), r.toString());
        assertTrue(r.err().contains("optimizer.lr") && r.err().contains("-1") && r.err().contains("> 0"), r.err());
        assertFalse(Files.exists(runs), "no run folder for a bad config");

        Files.writeString(dir.resolve("bad.yaml"), TINY + "extra: 1\n");
        CliRun unknown = CliRun.of("train", "--config", dir.resolve("bad.yaml").toString(), "--runs", runs.toString());
        assertEquals(2, unknown.exitCode());
        assertTrue(unknown.err().contains("'extra'"), unknown.err());
    }

    @Test
    void minutesBudgetStopsTheRunAndIsReported(@TempDir Path dir) throws IOException {
        Path runs = dir.resolve("runs");
        // 1e-9 minutes is spent by the end of the first step: one step, a checkpoint at it, the budget named.
        CliRun r = CliRun.of("train", "--config", tinyConfig(dir).toString(), "--runs", runs.toString(), "--minutes", "1e-9");
        assertEquals(0, r.exitCode(), r.toString());
        assertTrue(r.out().contains("trained 1 steps") && r.out().contains("steps/s (stopped by the --minutes budget)"), r.out());
        assertTrue(Files.exists(runs.resolve("tiny-cli/checkpoints/step-000000001.safetensors")));

        for (String bad : new String[]{"0", "-2", "NaN"}) {
            CliRun rejected = CliRun.of("train", "--config", tinyConfig(dir).toString(), "--runs", dir.resolve("none").toString(),
                    "--minutes", bad);
            assertEquals(2, rejected.exitCode(), rejected.toString());
            assertTrue(rejected.err().contains("--minutes") && rejected.err().contains("positive"), rejected.err());
            assertFalse(Files.exists(dir.resolve("none")), "no run folder for a bad budget");
        }
    }

    @Test
    void secondRunIntoTheSameFolderNeedsResumeAndResumeContinues(@TempDir Path dir) throws IOException {
        Path runs = dir.resolve("runs");
        String config = tinyConfig(dir).toString();
        assertEquals(0, CliRun.of("train", "--config", config, "--runs", runs.toString(), "--set", "training.steps=9").exitCode());
        CliRun again = CliRun.of("train", "--config", config, "--runs", runs.toString(), "--set", "training.steps=9");
        assertEquals(1, again.exitCode());
        assertTrue(again.err().contains("--resume"), again.err());
        CliRun changed = CliRun.of("train", "--config", config, "--runs", runs.toString(), "--resume", "--set", "training.steps=12");
        assertEquals(1, changed.exitCode(), "a different config is not the same run");
        assertTrue(changed.err().contains("differs"), changed.err());
        CliRun resumed = CliRun.of("train", "--config", config, "--runs", runs.toString(), "--resume", "--set", "training.steps=9");
        assertEquals(0, resumed.exitCode(), resumed.toString());
        assertTrue(resumed.err().contains("resumed from") && resumed.err().contains("step-000000009"), resumed.err());
    }

    @Test
    void missingImageDataIsOneLineNamingTheFolder(@TempDir Path dir) {
        Path nowhere = dir.resolve("no-such-folder");
        CliRun r = CliRun.of("train", "--config", "configs/ddpm-fashion-mnist.yaml", "--runs", dir.resolve("runs").toString(),
                "--set", "data.folder=" + nowhere);
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("cannot read Fashion-MNIST") && r.err().contains(nowhere.toString()), r.err());
        assertFalse(r.err().contains("\tat "), "no stack trace for missing data: " + r.err());
    }

    @Test
    void divergingRunIsExitCode1NamingStepTensorAndCheckpoint(@TempDir Path dir) throws IOException {
        Path runs = dir.resolve("runs");
        CliRun r = CliRun.of("train", "--config", tinyConfig(dir).toString(), "--runs", runs.toString(), "--set", "optimizer.lr=1e30",
                "--set", "optimizer.warmupSteps=0", "--set", "training.gradClip=0", "--set", "checkpoint.every=1",
                "--set", "sampling.every=0");
        assertEquals(1, r.exitCode(), r.toString());
        assertTrue(r.err().contains("diverged at step") && r.err().contains("last good checkpoint: " + runs.resolve("tiny-cli")),
                r.err());
    }
}
