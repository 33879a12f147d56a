package org.diffusion4j.experiments.config;

/**
 * @param every    write a checkpoint every this many steps (and always at the end)
 * @param keepLast how many of the newest checkpoints to keep
 */
public record CheckpointConfig(Integer every, Integer keepLast) {
    public CheckpointConfig {
        if (every == null) every = 1000;
        if (keepLast == null) keepLast = 3;
    }

    public static CheckpointConfig defaults() { return new CheckpointConfig(null, null); }
}
