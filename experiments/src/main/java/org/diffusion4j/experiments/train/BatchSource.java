package org.diffusion4j.experiments.train;

/** The training data as a pure function of the step: batch(s) is the same every time it is asked for. */
public interface BatchSource {
    Batch batch(long step, int batchSize);

    /** The shape of one sample (e.g. [2] or [1, 28, 28]). */
    int[] sampleShape();

    /** Number of classes, or 0 for unlabelled data. */
    int classes();
}
