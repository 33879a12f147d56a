package org.diffusion4j.experiments.audio;

import org.diffusion4j.experiments.train.Batch;
import org.diffusion4j.experiments.train.BatchConditioner;
import org.diffusion4j.experiments.train.BatchSource;
import org.diffusion4j.experiments.train.EpochOrder;
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
    private final Backend backend;
    private final DType dtype;
    private final BatchConditioner conditioner;
    private final EpochOrder epochs;

    public AudioBatchSource(AudioDataset data, long seed, Backend backend, DType dtype, BatchConditioner conditioner) {
        if (conditioner == null) throw new IllegalArgumentException("a batch conditioner must be given (BatchConditioner.NONE for none)");
        if (data.size() == 0) throw new IllegalArgumentException("the audio dataset is empty");
        this.data = data;
        this.epochs = new EpochOrder(data.size(), seed, "audio-epoch");
        this.backend = backend;
        this.dtype = dtype;
        this.conditioner = conditioner;
    }

    @Override public Batch batch(long step, int batchSize) {
        int[] indices = epochs.indices(step, batchSize);
        Tensor x0 = data.batch(backend, dtype, indices);
        return new Batch(x0, conditioner.condition(x0, data.labels(indices)));
    }

    @Override public int[] sampleShape() { return new int[]{1, data.length()}; }

    @Override public int classes() { return data.classes(); }
}
