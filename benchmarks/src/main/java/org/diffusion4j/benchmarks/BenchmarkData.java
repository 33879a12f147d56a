package org.diffusion4j.benchmarks;

import java.util.SplittableRandom;

/** Benchmark inputs: uniform floats in [-1, 1) from a fixed seed, so every run times the same numbers. */
final class BenchmarkData {

    private BenchmarkData() { }

    static float[] uniform(long seed, int length) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[length];
        for (int i = 0; i < length; i++) data[i] = (float) (2 * random.nextDouble() - 1);
        return data;
    }
}
