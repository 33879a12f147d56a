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
    private long cachedEpoch = -1;
    private int[] cachedOrder;

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
        this.flips = flips;
        this.backend = backend;
        this.dtype = dtype;
        this.conditioner = conditioner;
    }

    @Override public Batch batch(long step, int batchSize) {
        int[] indices = new int[batchSize];
        long position = step * batchSize;
        for (int i = 0; i < batchSize; i++, position++) {
            long epoch = position / data.size();
            indices[i] = order(epoch)[(int) (position % data.size())];
        }
        boolean[] flip = new boolean[batchSize];
        if (flips) {
            double[] u = new StepRandom(seed, step).hostUniforms("flip", batchSize);
            for (int i = 0; i < batchSize; i++) flip[i] = u[i] < 0.5;
        }
        Tensor x0 = data.batch(backend, dtype, indices, flip);
        return new Batch(x0, conditioner.condition(x0, data.labels(indices)));
    }

    /** The permutation of an epoch: Fisher-Yates with Philox uniforms keyed by (seed, epoch). */
    int[] order(long epoch) {
        if (epoch == cachedEpoch) return cachedOrder;
        int n = data.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        double[] u = new StepRandom(StepRandom.key(seed, epoch, "epoch"), 0).hostUniforms("order", n);
        for (int i = n - 1; i > 0; i--) {
            int j = (int) Math.floor(u[i] * (i + 1));
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        cachedEpoch = epoch;
        cachedOrder = order;
        return order;
    }

    @Override public int[] sampleShape() { return new int[]{data.channels(), data.height(), data.width()}; }

    @Override public int classes() { return data.classes(); }
}
