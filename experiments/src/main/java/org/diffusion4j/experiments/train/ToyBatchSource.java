package org.diffusion4j.experiments.train;

import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.experiments.data.ToyDatasets;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/**
 * A 2-D toy set drawn fresh at every step: the batch of step s is {@link ToyDatasets#sample} with a seed
 * derived from (run seed, s), so the data stream is infinite and needs no shuffling.
 */
public final class ToyBatchSource implements BatchSource {
    private final String name;
    private final long seed;
    private final Backend backend;
    private final DType dtype;

    public ToyBatchSource(String name, long seed, Backend backend, DType dtype) {
        ToyDatasets.sample(name, 1, 0); // fails early, naming the allowed sets, for an unknown name
        this.name = name;
        this.seed = seed;
        this.backend = backend;
        this.dtype = dtype;
    }

    @Override public Batch batch(long step, int batchSize) {
        double[][] points = ToyDatasets.sample(name, batchSize, StepRandom.key(seed, step, "data"));
        double[] flat = new double[batchSize * 2];
        for (int i = 0; i < batchSize; i++) {
            flat[2 * i] = points[i][0];
            flat[2 * i + 1] = points[i][1];
        }
        return new Batch(Tensor.of(backend, dtype, flat, batchSize, 2), Conditioning.NONE);
    }

    @Override public int[] sampleShape() { return new int[]{2}; }

    @Override public int classes() { return 0; }
}
