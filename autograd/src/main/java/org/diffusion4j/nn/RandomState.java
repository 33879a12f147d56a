package org.diffusion4j.nn;

import org.diffusion4j.tensor.SeedMixing;

/**
 * The seed stream of a training run's random layers. A dropout mask is a pure function of
 * (seed, layer path, step counter, element): the Philox key is derived from the seed, the layer's
 * hierarchical name and the current step by SplitMix64 mixing, and element positions are Philox
 * counters. The training loop calls {@link #advance()} once per optimisation step; saving
 * {@link #seed()} and {@link #step()} in a checkpoint and restoring them with {@link #setStep(long)}
 * makes a resumed run draw exactly the masks the uninterrupted run would have drawn.
 *
 * <p>Within one step, a layer that runs several times (e.g. gradient accumulation) uses a call counter that
 * is reset by {@link #advance()}, so repeated calls get distinct masks.
 */
public final class RandomState {
    private final long seed;
    private long step;

    public RandomState(long seed) { this.seed = seed; }

    public long seed() { return seed; }

    /** The step counter. */
    public long step() { return step; }

    public void setStep(long step) {
        if (step < 0) throw new IllegalArgumentException("RandomState step must be >= 0, got " + step);
        this.step = step;
    }

    /** Moves to the next training step. */
    public void advance() { step++; }

    /** The Philox key for one draw of the layer at path in the current step (call is the layer's call index within the step). */
    public long keyFor(String path, long call) {
        return SeedMixing.key(seed, path, step, call);
    }
}
