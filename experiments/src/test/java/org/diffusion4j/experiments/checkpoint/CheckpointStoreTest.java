package org.diffusion4j.experiments.checkpoint;

import org.diffusion4j.nn.Init;
import org.diffusion4j.nn.Linear;
import org.diffusion4j.nn.Module;
import org.diffusion4j.optim.AdamW;
import org.diffusion4j.optim.Ema;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

class CheckpointStoreTest {

    /** A 3x17 linear layer whose weights are set to a value that identifies the step. */
    private static Linear model(long seed) {
        try (Init init = Init.seeded(seed, Backends.cpu(), DType.F32)) {
            return new Linear(3, 17);
        }
    }

    private static float[] weights(Module m) { return m.stateDict().get("weight").toFloatArray(); }

    private static Path saveStep(CheckpointStore store, long step) {
        Linear m = model(step);
        return store.save(step, m, null, null, Map.of("step", Long.toString(step)));
    }

    @Test
    void restoresTheNewestExactly(@TempDir Path dir) {
        CheckpointStore store = new CheckpointStore(dir, 3);
        saveStep(store, 4);
        saveStep(store, 8);
        Linear target = model(99);
        Optional<CheckpointStore.Restored> r = store.restoreNewest(target, null, null, msg -> fail(msg));
        assertTrue(r.isPresent());
        assertEquals(8, r.get().step());
        assertEquals("8", r.get().metadata().get("step"));
        assertArrayEquals(weights(model(8)), weights(target));
    }

    @Test
    void partialNewestFileIsSkippedAndThePreviousOneIsRestored(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 3);
        saveStep(store, 4);
        Path newest = saveStep(store, 8);
        try (RandomAccessFile f = new RandomAccessFile(newest.toFile(), "rw")) {
            f.setLength(f.length() / 2); // a kill in the middle of a non-atomic copy, or a damaged disk
        }
        Linear target = model(99);
        List<String> skipped = new ArrayList<>();
        CheckpointStore.Restored r = store.restoreNewest(target, null, null, skipped::add).orElseThrow();
        assertEquals(4, r.step());
        assertArrayEquals(weights(model(4)), weights(target));
        assertEquals(1, skipped.size());
        assertTrue(skipped.get(0).contains(newest.toString()), skipped.get(0));
    }

    @Test
    void truncatedTemporaryFileOfAnUnfinishedWriteIsIgnored(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 3);
        Path good = saveStep(store, 4);
        // What a kill during the write of step 8 leaves: a temporary file with part of the bytes.
        byte[] bytes = Files.readAllBytes(good);
        Files.write(dir.resolve(".step-000000008.safetensors.123456.tmp"), java.util.Arrays.copyOf(bytes, bytes.length / 3));
        assertEquals(List.of(good), store.list());
        Linear target = model(99);
        CheckpointStore.Restored r = store.restoreNewest(target, null, null, msg -> fail(msg)).orElseThrow();
        assertEquals(4, r.step());
        assertArrayEquals(weights(model(4)), weights(target));
    }

    @Test
    void aFileWithOnlyAFewBytesIsSkippedToo(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 3);
        saveStep(store, 4);
        Files.write(store.fileFor(12), new byte[]{1, 2, 3});
        List<String> skipped = new ArrayList<>();
        assertEquals(4, store.restoreNewest(model(99), null, null, skipped::add).orElseThrow().step());
        assertEquals(1, skipped.size());
    }

    @Test
    void noCheckpointMeansEmptyButOnlyUnusableOnesAreAnError(@TempDir Path dir) throws IOException {
        CheckpointStore store = new CheckpointStore(dir, 2);
        assertTrue(store.restoreNewest(model(1), null, null, msg -> { }).isEmpty());
        Files.write(store.fileFor(3), new byte[40]);
        // Starting over at step 0 would prune the damaged file away unseen: the caller is told instead.
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> store.restoreNewest(model(1), null, null, msg -> { }));
        assertTrue(e.getMessage().contains("none of the 1 checkpoints") && e.getMessage().contains(store.fileFor(3).toString()),
                e.getMessage());
    }

    @Test
    void keepsTheLastKSortedByStepNotByName(@TempDir Path dir) {
        CheckpointStore store = new CheckpointStore(dir, 2);
        for (long step : new long[]{1, 5, 33, 1000}) saveStep(store, step);
        assertEquals(List.of(33L, 1000L), store.list().stream().map(CheckpointStore::stepOf).toList());
    }

    @Test
    void optimiserAndEmaStateRoundTrip(@TempDir Path dir) {
        Linear m = model(1);
        AdamW opt = new AdamW(m.namedParameters(), 0.01, 0.9, 0.99, 1e-8, 0.1);
        Ema ema = new Ema(m.namedParameters(), 0.5, false);
        // One real step so the moments are not zero.
        for (var p : m.parameters()) p.setGrad(Tensor.randn(Backends.cpu(), DType.F32, 7, 0, p.shape()));
        opt.step();
        ema.update();
        CheckpointStore store = new CheckpointStore(dir, 1);
        store.save(1, m, opt, ema, Map.of());

        Linear m2 = model(2);
        AdamW opt2 = new AdamW(m2.namedParameters(), 0.01, 0.9, 0.99, 1e-8, 0.1);
        Ema ema2 = new Ema(m2.namedParameters(), 0.5, false);
        store.restoreNewest(m2, opt2, ema2, msg -> fail(msg)).orElseThrow();
        assertArrayEquals(weights(m), weights(m2));
        assertEquals(opt.stepCount(), opt2.stepCount());
        for (String k : opt.stateTensors().keySet()) {
            assertArrayEquals(opt.stateTensors().get(k).toFloatArray(), opt2.stateTensors().get(k).toFloatArray(), k);
        }
        assertArrayEquals(ema.averages().get("weight").toFloatArray(), ema2.averages().get("weight").toFloatArray());
        assertEquals(1, ema2.updates());
    }

    @Test
    void badKeepLastAndBadNamesAreRejected(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CheckpointStore(dir, 0));
        assertTrue(e.getMessage().contains("0"));
        assertThrows(IllegalArgumentException.class, () -> CheckpointStore.stepOf(Path.of("model.safetensors")));
    }
}
