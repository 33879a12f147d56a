package org.diffusion4j.experiments.train;

import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/**
 * Epochs over an image dataset: the data is read as one endless sequence of epochs, each a permutation of
 * the dataset drawn from (run seed, epoch); step s takes positions [s B, (s+1) B) of that sequence. Flips
 * come from (run seed, s). So batch(s) depends on s alone, and a resumed run reads exactly the batches the
 * uninterrupted run would have read.
 */
public final class ImageBatchSource implements BatchSource {
    private final ImageDataset data;
    private final long seed;
    private final boolean flips;
    private final Backend backend;
    private final DType dtype;
    private final BatchConditioner conditioner;
    private final EpochOrder epochs;

    /** Batches conditioned on their class labels ("no class" = the dataset's class count). */
    public ImageBatchSource(ImageDataset data, long seed, boolean flips, Backend backend, DType dtype) {
        this(data, seed, flips, backend, dtype, BatchConditioner.classLabels(data.classes()));
    }

    /** Batches conditioned as the conditioner says (on nothing, labels, a degraded copy of the images, ...). */
    public ImageBatchSource(ImageDataset data, long seed, boolean flips, Backend backend, DType dtype, BatchConditioner conditioner) {
        if (conditioner == null) throw new IllegalArgumentException("a batch conditioner must be given (BatchConditioner.NONE for none)");
        if (data.size() == 0) throw new IllegalArgumentException("the image dataset is empty");
        this.data = data;
        this.seed = seed;
        this.epochs = new EpochOrder(data.size(), seed, "epoch");
        this.flips = flips;
        this.backend = backend;
        this.dtype = dtype;
        this.conditioner = conditioner;
    }

    @Override public Batch batch(long step, int batchSize) {
        int[] indices = epochs.indices(step, batchSize);
        boolean[] flip = new boolean[batchSize];
        if (flips) {
            double[] u = new StepRandom(seed, step).hostUniforms("flip", batchSize);
            for (int i = 0; i < batchSize; i++) flip[i] = u[i] < 0.5;
        }
        Tensor x0 = data.batch(backend, dtype, indices, flip);
        return new Batch(x0, conditioner.condition(x0, data.labels(indices)));
    }

    /** The permutation of an epoch: Fisher-Yates with Philox uniforms keyed by (seed, epoch) ({@link EpochOrder}). */
    int[] order(long epoch) { return epochs.order(epoch); }

    @Override public int[] sampleShape() { return new int[]{data.channels(), data.height(), data.width()}; }

    @Override public int classes() { return data.classes(); }
}
