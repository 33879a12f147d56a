package org.diffusion4j.io;

import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint file that was read but cannot be restored: a tensor holds NaN or infinity, or the model, optimiser
 * or EMA state in it is incomplete or does not fit. The message names the file and every problem. An
 * IllegalArgumentException, as the file's format errors are, so that callers treat both alike (skip the file).
 */
public final class UnusableCheckpointException extends IllegalArgumentException {
    private final Path file;
    private final List<String> problems;

    public UnusableCheckpointException(Path file, List<String> problems) {
        super("checkpoint " + file + " cannot be used: " + String.join("; ", problems));
        this.file = file;
        this.problems = List.copyOf(problems);
    }

    public Path file() { return file; }

    public List<String> problems() { return problems; }
}
