package org.diffusion4j.experiments.checkpoint;

import org.diffusion4j.io.Checkpoint;
import org.diffusion4j.io.UnusableCheckpointException;
import org.diffusion4j.nn.Module;
import org.diffusion4j.optim.Ema;
import org.diffusion4j.optim.Optimizer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checkpoints/ folder of a run: one safetensors file per saved step, named step-000001000.safetensors,
 * holding model, EMA and optimiser state and the caller's metadata (step, RNG position). Writing goes
 * through {@link Checkpoint#write}, which writes a temporary file, forces it to disk and renames it over
 * the final name, so a file with the final name is complete unless something outside damaged it.
 * Restoring tries the newest file first and falls back to older ones when a file cannot be used (truncated,
 * corrupt, non-finite, incomplete state), so a kill during a write, or a damaged newest file, costs at most the
 * steps since the previous checkpoint. Only the newest {@code keepLast} files are kept.
 */
public final class CheckpointStore {
    private static final Pattern NAME = Pattern.compile("step-(\\d{9,})\\.safetensors");

    private final Path dir;
    private final int keepLast;

    /** A checkpoint that was restored: its file and the caller's metadata. */
    public record Restored(Path file, long step, Map<String, String> metadata) { }

    public CheckpointStore(Path dir, int keepLast) {
        if (keepLast < 1) throw new IllegalArgumentException("keepLast must be >= 1, got " + keepLast);
        this.dir = dir;
        this.keepLast = keepLast;
    }

    public Path dir() { return dir; }

    public Path fileFor(long step) { return dir.resolve(String.format("step-%09d.safetensors", step)); }

    /** Writes the checkpoint of step atomically, then deletes all but the newest keepLast; returns its path. */
    public Path save(long step, Module model, Optimizer optimizer, Ema ema, Map<String, String> metadata) {
        Path file = fileFor(step);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
        }
        Checkpoint.write(file, model, optimizer, ema, metadata);
        prune();
        return file;
    }

    /** The checkpoint files by ascending step (temporary files of unfinished writes are not listed). */
    public List<Path> list() {
        if (!Files.isDirectory(dir)) return List.of();
        List<Path> files = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).forEach(files::add);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        files.sort(Comparator.comparingLong(CheckpointStore::stepOf));
        return files;
    }

    /** The step in a checkpoint file's name. */
    public static long stepOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) throw new IllegalArgumentException("'" + file + "' is not a checkpoint file name (step-NNNNNNNNN.safetensors)");
        return Long.parseLong(m.group(1));
    }

    /**
     * Restores the newest usable checkpoint into model, optimiser and EMA (either may be null). A file that cannot
     * be used (truncated or corrupt, a tensor holding NaN or infinity, optimiser or EMA state incomplete: see
     * {@link Checkpoint#problems}) is reported to skipped with the reason, and the next older one is tried; each file
     * is read and checked completely before anything is restored, so a bad file changes nothing. Empty when the
     * folder holds no checkpoint.
     *
     * @throws IllegalStateException when there are checkpoints but none can be used (starting over from step 0
     *                               would silently discard them)
     */
    public Optional<Restored> restoreNewest(Module model, Optimizer optimizer, Ema ema, Consumer<String> skipped) {
        List<Path> files = list();
        List<String> reasons = new ArrayList<>();
        for (int i = files.size() - 1; i >= 0; i--) {
            Path file = files.get(i);
            try {
                Map<String, String> meta = Checkpoint.restore(file, model, optimizer, ema);
                return Optional.of(new Restored(file, stepOf(file), meta));
            } catch (UncheckedIOException | IllegalArgumentException | IllegalStateException e) {
                String reason = e instanceof UnusableCheckpointException ? e.getMessage() : "checkpoint " + file + " cannot be read: " + e.getMessage();
                skipped.accept("skipping " + reason);
                reasons.add(reason);
            }
        }
        if (!files.isEmpty()) {
            throw new IllegalStateException("none of the " + files.size() + " checkpoints in " + dir + " can be used ("
                    + String.join("; ", reasons) + "); move them away to start the run again from step 0");
        }
        return Optional.empty();
    }

    /**
     * Restores one named checkpoint file (for {@code sample --checkpoint}).
     *
     * @throws UnusableCheckpointException when a tensor is not finite or the state does not fit
     */
    public static Restored restore(Path file, Module model, Optimizer optimizer, Ema ema) {
        Map<String, String> meta = Checkpoint.restore(file, model, optimizer, ema);
        long step = NAME.matcher(file.getFileName().toString()).matches() ? stepOf(file) : -1;
        return new Restored(file, step, meta);
    }

    private void prune() {
        List<Path> files = list();
        for (int i = 0; i < files.size() - keepLast; i++) {
            try {
                Files.deleteIfExists(files.get(i));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete old checkpoint " + files.get(i) + ": " + e.getMessage(), e);
            }
        }
    }
}
