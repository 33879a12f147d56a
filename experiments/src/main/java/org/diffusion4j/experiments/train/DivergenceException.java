package org.diffusion4j.experiments.train;

import java.nio.file.Path;

/**
 * The run stopped because a loss or a gradient was not finite. Names the step, the offending tensor
 * ("loss" or a parameter's gradient, e.g. "grad of hidden0.weight") and the last good checkpoint (null
 * when none was written yet), from which the run can be resumed with other settings.
 */
public final class DivergenceException extends RuntimeException {
    private final long step;
    private final String tensor;
    private final Path lastGoodCheckpoint;

    public DivergenceException(long step, String tensor, double value, Path lastGoodCheckpoint) {
        super("training diverged at step " + step + ": " + tensor + " is " + value + " (not finite); last good checkpoint: "
                + (lastGoodCheckpoint == null ? "none written yet" : lastGoodCheckpoint.toString()));
        this.step = step;
        this.tensor = tensor;
        this.lastGoodCheckpoint = lastGoodCheckpoint;
    }

    public long step() { return step; }

    public String tensor() { return tensor; }

    public Path lastGoodCheckpoint() { return lastGoodCheckpoint; }
}
