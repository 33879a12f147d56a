package org.diffusion4j.experiments.train;

/**
 * The order in which a dataset of n items is read: epoch e is a permutation drawn by Fisher-Yates from Philox
 * uniforms keyed by (seed, e, key), and step s takes positions [s B, (s+1) B) of the endless sequence of epochs.
 * So a batch depends on its step alone, and a resumed run reads exactly what an uninterrupted one would. The last
 * epoch's permutation is kept, since consecutive steps almost always stay in one epoch.
 */
public final class EpochOrder {
    private final int size;
    private final long seed;
    private final String key;
    private long cachedEpoch = -1;
    private int[] cachedOrder;

    /** key names the data kind in the random key ("epoch" for images, "audio-epoch" for audio: they must not change). */
    public EpochOrder(int size, long seed, String key) {
        if (size <= 0) throw new IllegalArgumentException("a dataset to read in epochs must hold at least one item, got " + size);
        this.size = size;
        this.seed = seed;
        this.key = key;
    }

    /** The dataset indices of step's batch of batchSize items. */
    public int[] indices(long step, int batchSize) {
        int[] indices = new int[batchSize];
        long position = step * batchSize;
        for (int i = 0; i < batchSize; i++, position++) indices[i] = order(position / size)[(int) (position % size)];
        return indices;
    }

    /** The permutation of an epoch (shared: do not modify). */
    public int[] order(long epoch) {
        if (epoch == cachedEpoch) return cachedOrder;
        int[] order = new int[size];
        for (int i = 0; i < size; i++) order[i] = i;
        double[] u = new StepRandom(StepRandom.key(seed, epoch, key), 0).hostUniforms("order", size);
        for (int i = size - 1; i > 0; i--) {
            int j = (int) Math.floor(u[i] * (i + 1));
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        cachedEpoch = epoch;
        cachedOrder = order;
        return order;
    }
}
