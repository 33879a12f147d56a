package org.diffusion4j.experiments.scenes;

import org.diffusion4j.tensor.Philox;

/**
 * The draws of one scene: a sequence of uniforms from Philox stream {@code index} under a key, word after word,
 * so a scene is a pure function of (key, index) and never of the order scenes are made in.
 */
final class SceneRandom {
    private final long key, stream;
    private final int[] words = new int[4];
    private long block = -1;
    private int next = 4;

    SceneRandom(long key, long stream) {
        this.key = key;
        this.stream = stream;
    }

    /** A uniform in (0, 1). */
    double uniform() {
        if (next == 4) {
            Philox.words(key, stream, ++block, words);
            next = 0;
        }
        return Philox.uniform64(words[next++]);
    }

    /** A uniform integer in 0..n-1. */
    int below(int n) { return Math.min(n - 1, (int) (uniform() * n)); }

    boolean coin() { return uniform() < 0.5; }

    <T> T pick(T[] options) { return options[below(options.length)]; }

    <T> T pick(java.util.List<T> options) { return options.get(below(options.size())); }
}
