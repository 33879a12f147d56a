package org.diffusion4j.experiments.audio;

import org.diffusion4j.experiments.train.Batch;
import org.diffusion4j.experiments.train.BatchConditioner;
import org.diffusion4j.experiments.train.BatchSource;
import org.diffusion4j.experiments.train.StepRandom;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/**
 * Epochs over the spoken digits as batches [B, 1, L], the same scheme as the image data's: epoch e is a permutation
 * drawn from (run seed, e), step s takes positions [s B, (s+1) B) of the endless sequence of epochs, so batch(s)
 * depends on s alone (and a resumed run reads what the uninterrupted one would). No augmentation.
 */
public final class AudioBatchSource implements BatchSource {
    private final AudioDataset data;
    private final long seed;
    private final Backend backend;
    private final DType dtype;
    private final BatchConditioner conditioner;
    private long cachedEpoch = -1;
    private int[] cachedOrder;

    public AudioBatchSource(AudioDataset data, long seed, Backend backend, DType dtype, BatchConditioner conditioner) {
        if (conditioner == null) throw new IllegalArgumentException("a batch conditioner must be given (BatchConditioner.NONE for none)");
        if (data.size() == 0) throw new IllegalArgumentException("the audio dataset is empty");
        this.data = data;
        this.seed = seed;
        this.backend = backend;
        this.dtype = dtype;
        this.conditioner = conditioner;
    }

    @Override public Batch batch(long step, int batchSize) {
        int[] indices = new int[batchSize];
        long position = step * batchSize;
        for (int i = 0; i < batchSize; i++, position++) indices[i] = order(position / data.size())[(int) (position % data.size())];
        Tensor x0 = data.batch(backend, dtype, indices);
        return new Batch(x0, conditioner.condition(x0, data.labels(indices)));
    }

    private int[] order(long epoch) {
        if (epoch == cachedEpoch) return cachedOrder;
        int n = data.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        double[] u = new StepRandom(StepRandom.key(seed, epoch, "audio-epoch"), 0).hostUniforms("order", n);
        for (int i = n - 1; i > 0; i--) {
            int j = (int) Math.floor(u[i] * (i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        cachedEpoch = epoch;
        cachedOrder = order;
        return order;
    }

    @Override public int[] sampleShape() { return new int[]{1, data.length()}; }

    @Override public int classes() { return data.classes(); }
}
