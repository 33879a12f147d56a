package org.diffusion4j.nn;

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
        long h = mix(seed);
        h = mix(h ^ fnv64(path));
        h = mix(h ^ step);
        return mix(h ^ call);
    }

    /** SplitMix64's finaliser (Steele, Lea and Flood 2014): a bijective 64-bit mixer. */
    static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** FNV-1a over the UTF-16 code units of s: a stable hash of a layer's name. */
    static long fnv64(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
