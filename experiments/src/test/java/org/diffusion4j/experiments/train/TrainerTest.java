package org.diffusion4j.experiments.train;

import org.diffusion4j.experiments.checkpoint.CheckpointStore;
import org.diffusion4j.experiments.run.MetricsLog;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.io.Safetensors;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class TrainerTest {

    @Test
    void stoppedAndResumedRunEndsBitwiseIdenticalToAnUninterruptedOne(@TempDir Path dir) throws IOException {
        TinyRun straight = new TinyRun(dir.resolve("a"), false);
        Trainer.Result a = straight.trainer().run(false);
        assertEquals(12, a.steps());

        TinyRun interrupted = new TinyRun(dir.resolve("b"), false);
        // Killed after step 6: the newest checkpoint is step 4, so steps 5 and 6 are done twice.
        interrupted.trainer().interruptAfter(6).run(false);
        assertEquals(List.of(4L), steps(interrupted));
        interrupted.folder.close();   // its run lock, which a killed process's operating system would release
        TinyRun resumed = new TinyRun(dir.resolve("b"), true);
        Trainer.Result b = resumed.trainer().run(true);
        assertEquals(4, b.resumedFrom());
        assertTrue(resumed.log.toString().contains("resumed from"), resumed.log.toString());

        // Model, optimiser moments and step, EMA and metadata: the final checkpoint files are byte-identical.
        Path fa = a.lastCheckpoint(), fb = b.lastCheckpoint();
        assertEquals("step-000000012.safetensors", fa.getFileName().toString());
        assertArrayEquals(Files.readAllBytes(fa), Files.readAllBytes(fb));
        // And the metrics lines agree step for step (times aside), with no duplicate lines for steps 5 and 6.
        List<MetricsLog.Entry> ma = MetricsLog.read(straight.folder.metrics()), mb = MetricsLog.read(resumed.folder.metrics());
        assertEquals(12, ma.size());
        assertEquals(12, mb.size());
        for (int i = 0; i < 12; i++) {
            assertEquals(ma.get(i).step(), mb.get(i).step());
            assertEquals(ma.get(i).loss(), mb.get(i).loss(), 0.0);
            assertEquals(ma.get(i).gradNorm(), mb.get(i).gradNorm(), 0.0);
            assertEquals(ma.get(i).lr(), mb.get(i).lr(), 0.0);
        }
    }

    @Test
    void wallClockBudgetEndsTheRunAsIfItsStepWereTheLast(@TempDir Path dir) {
        // A budget of 1 ns is spent by the end of the first step: that step gets the final checkpoint and metrics line.
        TinyRun run = new TinyRun(dir.resolve("a"), false, "training.logEvery=5", "checkpoint.every=4");
        Trainer.Result r = run.trainer().stopAfter(java.time.Duration.ofNanos(1)).run(false);
        assertTrue(r.stoppedByBudget());
        assertEquals(1, r.steps());
        assertEquals("step-000000001.safetensors", r.lastCheckpoint().getFileName().toString());
        assertEquals(List.of(1L), MetricsLog.read(run.folder.metrics()).stream().map(MetricsLog.Entry::step).toList());
        assertTrue(r.trainedSeconds() > 0 && r.stepsPerSecond() > 0, r.toString());
        assertTrue(run.log.toString().contains("wall-clock budget"), run.log.toString());

        // A budget the run never reaches changes nothing: all 12 steps, same final checkpoint bytes as no budget.
        Trainer.Result full = new TinyRun(dir.resolve("b"), false).trainer().stopAfter(java.time.Duration.ofHours(1)).run(false);
        Trainer.Result plain = new TinyRun(dir.resolve("c"), false).trainer().run(false);
        assertFalse(full.stoppedByBudget());
        assertEquals(12, full.steps());
        try {
            assertArrayEquals(Files.readAllBytes(plain.lastCheckpoint()), Files.readAllBytes(full.lastCheckpoint()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void emaWarmupFoldsTheFirstUpdateWithDecayTwoElevenths(@TempDir Path dir) {
        // Ema warmup: the n-th update uses min(decay, (1 + n) / (10 + n)); after one step EMA = 2/11 init + 9/11 p1.
        for (boolean warmup : new boolean[]{true, false}) {
            TinyRun run = new TinyRun(dir.resolve("w" + warmup), false, "training.steps=1", "training.emaWarmup=" + warmup);
            Trainer trainer = run.trainer();
            java.util.Map<String, double[]> init = new java.util.LinkedHashMap<>();
            trainer.network().module().stateDict().forEach((k, v) -> init.put(k, v.toDoubleArray()));
            Trainer.Result r = trainer.run(false);
            var saved = org.diffusion4j.io.Safetensors.read(r.lastCheckpoint());
            assertEquals(Boolean.toString(warmup), saved.metadata().get("ema.warmup"));
            double d = warmup ? 2.0 / 11 : 0.9;   // TinyRun's emaDecay is 0.9
            int checked = 0;
            for (var e : init.entrySet()) {
                double[] p1 = saved.tensors().get("model." + e.getKey()).toDoubleArray();
                double[] ema = saved.tensors().get("ema." + e.getKey()).toDoubleArray();
                for (int j = 0; j < p1.length; j++) {
                    double expected = d * e.getValue()[j] + (1 - d) * p1[j];
                    assertEquals(expected, ema[j], 1e-6 * (1 + Math.abs(expected)), e.getKey() + "[" + j + "] warmup=" + warmup);
                    checked++;
                }
            }
            assertTrue(checked > 100, "checked " + checked + " values");
        }
    }

    @Test
    void nonPositiveBudgetIsRejectedWithItsValue(@TempDir Path dir) {
        var e = assertThrows(IllegalArgumentException.class,
                () -> new TinyRun(dir, false).trainer().stopAfter(java.time.Duration.ZERO));
        assertTrue(e.getMessage().contains("PT0S") && e.getMessage().contains("positive"), e.getMessage());
    }

    @Test
    void differentSeedGivesADifferentRunSoTheBitwiseCheckCanFail(@TempDir Path dir) throws IOException {
        Trainer.Result a = new TinyRun(dir.resolve("a"), false).trainer().run(false);
        Trainer.Result b = new TinyRun(dir.resolve("b"), false, "seed=6").trainer().run(false);
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(a.lastCheckpoint()), Files.readAllBytes(b.lastCheckpoint())));
    }

    @Test
    void keepsOnlyTheNewestCheckpointsAndLogsWarmupLearningRates(@TempDir Path dir) {
        TinyRun run = new TinyRun(dir, false);
        run.trainer().run(false);
        assertEquals(List.of(8L, 12L), steps(run));
        List<MetricsLog.Entry> m = MetricsLog.read(run.folder.metrics());
        // Linear warmup over 3 steps: lr of step k (1-based) is 0.003 k / 3, then 0.003.
        assertEquals(0.001, m.get(0).lr(), 1e-15);
        assertEquals(0.002, m.get(1).lr(), 1e-15);
        assertEquals(0.003, m.get(2).lr(), 1e-15);
        assertEquals(0.003, m.get(11).lr(), 1e-15);
        for (MetricsLog.Entry e : m) assertTrue(Double.isFinite(e.loss()) && e.loss() > 0 && e.gradNorm() > 0, e.toString());
    }

    @Test
    void lossFallsOnTheSwissRoll(@TempDir Path dir) {
        TinyRun run = new TinyRun(dir, false, "training.steps=150", "training.logEvery=1", "training.batchSize=64",
                "model.dropout=0", "optimizer.lr=0.01");
        run.trainer().run(false);
        List<MetricsLog.Entry> m = MetricsLog.read(run.folder.metrics());
        double first = m.subList(0, 10).stream().mapToDouble(MetricsLog.Entry::loss).average().orElseThrow();
        double last = m.subList(140, 150).stream().mapToDouble(MetricsLog.Entry::loss).average().orElseThrow();
        // The eps-loss of a network that outputs ~0 is E|eps|^2 / 2 = 1 per coordinate; learning must beat it clearly.
        assertTrue(first > 0.7, "first losses average " + first);
        assertTrue(last < 0.8 * first, "loss went from " + first + " to " + last);
    }

    @Test
    void divergingRunStopsNamingStepTensorAndLastGoodCheckpoint(@TempDir Path dir) {
        TinyRun run = new TinyRun(dir, false, "optimizer.lr=1e30", "optimizer.warmupSteps=0", "checkpoint.every=1",
                "training.gradClip=0", "training.emaDecay=0");
        DivergenceException e = assertThrows(DivergenceException.class, () -> run.trainer().run(false));
        assertTrue(e.step() >= 2, "diverged at " + e.step());
        assertTrue(e.tensor().equals("loss") || e.tensor().startsWith("gradient of"), e.tensor());
        assertEquals(run.folder.checkpoints().resolve(String.format("step-%09d.safetensors", e.step() - 1)), e.lastGoodCheckpoint());
        assertTrue(Files.exists(e.lastGoodCheckpoint()));
        assertTrue(e.getMessage().contains("step " + e.step()) && e.getMessage().contains(e.lastGoodCheckpoint().toString()),
                e.getMessage());
    }

    @Test
    void trainingStateLivesInTheSameStoragesAcrossStepScopes(@TempDir Path dir) {
        TinyRun run = new TinyRun(dir, false, "training.steps=3", "checkpoint.every=100");
        Trainer trainer = run.trainer();
        List<Tensor> initial = trainer.network().module().namedParameters().values().stream()
                .map(p -> p.value()).toList();
        float[] before = initial.get(0).toFloatArray();
        trainer.run(false);
        // Updated in place: the same storages, open after three step scopes closed, holding new values.
        List<Tensor> now = trainer.network().module().namedParameters().values().stream()
                .map(p -> p.value()).toList();
        for (int i = 0; i < initial.size(); i++) {
            assertSame(initial.get(i).storage(), now.get(i).storage());
            assertFalse(now.get(i).storage().isClosed());
        }
        assertFalse(java.util.Arrays.equals(before, now.get(0).toFloatArray()), "the first layer trained");
    }

    @Test
    void sampleGridsDuringTrainingDoNotChangeTheRun(@TempDir Path dir) {
        // Sampling swaps the EMA weights in and the training weights back; the run must not notice.
        Trainer.Result plain = new TinyRun(dir.resolve("a"), false).trainer().run(false);
        int[] calls = {0};
        SampleWriter writer = (step, network) -> {
            calls[0]++;
            assertFalse(network.module().isTraining(), "samples are drawn in evaluation mode");
            Tensor x = Tensor.randn(Backends.cpu(), DType.F32, 1, 0, 3, 2);
            network.forward(Variable.constant(x), Tensor.of(Backends.cpu(), new float[]{1, 2, 3}, 3), null);
        };
        Trainer.Result sampled = new TinyRun(dir.resolve("b"), false, "sampling.every=5").trainer(writer).run(false);
        assertEquals(3, calls[0], "steps 5, 10 and the last");
        Safetensors.Contents a = Safetensors.read(plain.lastCheckpoint()), b = Safetensors.read(sampled.lastCheckpoint());
        assertEquals(a.tensors().keySet(), b.tensors().keySet());
        assertTrue(a.tensors().keySet().stream().anyMatch(k -> k.startsWith("ema.")) && a.tensors().size() > 12);
        for (String k : a.tensors().keySet()) {
            assertArrayEquals(a.tensors().get(k).toFloatArray(), b.tensors().get(k).toFloatArray(), k);
        }
    }

    private static List<Long> steps(TinyRun run) {
        return new CheckpointStore(run.folder.checkpoints(), 1).list().stream().map(CheckpointStore::stepOf).toList();
    }
}
