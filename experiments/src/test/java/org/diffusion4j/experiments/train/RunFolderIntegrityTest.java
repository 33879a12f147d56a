package org.diffusion4j.experiments.train;

import org.diffusion4j.diffusion.net.NoiseConditionalNetwork;
import org.diffusion4j.experiments.checkpoint.CheckpointStore;
import org.diffusion4j.io.Safetensors;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Sample grids survive a kill next to a checkpoint; resuming skips an unusable checkpoint for an older one. */
class RunFolderIntegrityTest {

    /** Writes a grid file per sampling step (its content: the step), and can fail once at a chosen step, as a kill would. */
    private static final class Grids implements SampleWriter {
        final TinyRun run;
        final List<Long> written = new ArrayList<>();
        long failAt = -1;

        Grids(TinyRun run) { this.run = run; }

        @Override public void write(long step, NoiseConditionalNetwork network) {
            if (step == failAt) {
                failAt = -1;
                throw new IllegalStateException("killed while drawing the grid of step " + step);
            }
            try {
                Files.writeString(run.folder.sampleGrid(step), Long.toString(step));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            written.add(step);
        }
    }

    private static List<Long> gridSteps(TinyRun run) throws IOException {
        try (var s = Files.list(run.folder.samples())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.matches("step-\\d+\\.png"))
                    .map(n -> Long.parseLong(n.replaceAll("\\D", ""))).sorted().toList();
        }
    }

    /** A kill right after the checkpoint of step 8 used to lose the grid of step 8 for good. */
    @Test void aKillBetweenGridAndCheckpointLosesNoGrid(@TempDir Path dir) throws IOException {
        TinyRun first = new TinyRun(dir, false, "sampling.every=4");
        Grids grids = new Grids(first);
        grids.failAt = 8;
        assertThrows(IllegalStateException.class, () -> first.trainer(grids).run(false));
        first.folder.close();
        TinyRun resumed = new TinyRun(dir, true, "sampling.every=4");
        resumed.trainer(new Grids(resumed)).run(true);
        assertEquals(List.of(4L, 8L, 12L), gridSteps(resumed));
        assertTrue(resumed.log.toString().contains("resumed from") && resumed.log.toString().contains("at step 4"),
                "the checkpoint of step 8 was not written before its grid: " + resumed.log);
    }

    @Test void aMissingGridOfTheRestoredStepIsDrawnAgain(@TempDir Path dir) throws IOException {
        TinyRun first = new TinyRun(dir, false, "sampling.every=4");
        first.trainer(new Grids(first)).interruptAfter(10).run(false);
        first.folder.close();
        Files.delete(first.folder.sampleGrid(8));   // what a kill between checkpoint and grid left before grids came first
        TinyRun resumed = new TinyRun(dir, true, "sampling.every=4");
        Grids grids = new Grids(resumed);
        resumed.trainer(grids).run(true);
        assertEquals(List.of(8L, 12L), grids.written);
        assertEquals(List.of(4L, 8L, 12L), gridSteps(resumed));
    }

    /** A resume from a checkpoint whose EMA is NaN used to train to the end with a NaN EMA. */
    @Test void resumeSkipsANonFiniteNewestCheckpointNamingTensorAndFile(@TempDir Path dir) throws IOException {
        TinyRun straight = new TinyRun(dir.resolve("a"), false);
        Trainer.Result a = straight.trainer().run(false);

        TinyRun first = new TinyRun(dir.resolve("b"), false);
        first.trainer().interruptAfter(9).run(false);   // checkpoints 4 and 8
        first.folder.close();
        Path newest = new CheckpointStore(first.folder.checkpoints(), 2).fileFor(8);
        poison(newest, "ema.input.weight");
        TinyRun resumed = new TinyRun(dir.resolve("b"), true);
        Trainer.Result b = resumed.trainer().run(true);
        assertEquals(4, b.resumedFrom());
        String log = resumed.log.toString();
        assertTrue(log.contains(newest.toString()) && log.contains("'ema.input.weight'") && log.contains("non-finite"), log);
        assertArrayEquals(Files.readAllBytes(a.lastCheckpoint()), Files.readAllBytes(b.lastCheckpoint()),
                "resumed from the older checkpoint, the run still ends as the uninterrupted one");
    }

    @Test void resumeSkipsACheckpointWithMissingOptimizerStateNamingIt(@TempDir Path dir) {
        TinyRun first = new TinyRun(dir, false);
        first.trainer().interruptAfter(9).run(false);
        first.folder.close();
        Path newest = new CheckpointStore(first.folder.checkpoints(), 2).fileFor(8);
        Safetensors.Contents c = Safetensors.read(newest);
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>(c.tensors());
        String removed = tensors.keySet().stream().filter(k -> k.startsWith("optim.") && k.endsWith(".exp_avg_sq")).findFirst().orElseThrow();
        tensors.remove(removed);
        Safetensors.write(newest, tensors, c.metadata());
        TinyRun resumed = new TinyRun(dir, true);
        assertEquals(4, resumed.trainer().run(true).resumedFrom());
        String log = resumed.log.toString();
        assertTrue(log.contains(removed.substring("optim.".length())) && log.contains("optimizer state is incomplete"), log);
    }

    static void poison(Path file, String tensor) {
        Safetensors.Contents c = Safetensors.read(file);
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>(c.tensors());
        Tensor t = tensors.get(tensor);
        assertNotNull(t, tensor + " in " + tensors.keySet());
        float[] v = t.toFloatArray();
        v[v.length / 2] = Float.NaN;
        tensors.put(tensor, Tensor.of(Backends.cpu(), v, t.shape()));
        Safetensors.write(file, tensors, c.metadata());
    }

}
