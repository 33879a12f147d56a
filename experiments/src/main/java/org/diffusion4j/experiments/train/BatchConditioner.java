package org.diffusion4j.experiments.train;

import org.diffusion4j.diffusion.net.Conditioning;
import org.diffusion4j.tensor.Tensor;

/**
 * What a batch of training images is conditioned on, from the images and their labels: nothing, their class labels,
 * or something derived from the images themselves (a low-resolution copy for super-resolution). A new kind of
 * condition is a new conditioner; the trainer only passes the result on (with its dropout).
 */
@FunctionalInterface
public interface BatchConditioner {
    /**
     * @param x0     the batch's clean images [B, C, H, W]
     * @param labels their class labels, or null for an unlabelled dataset
     */
    Conditioning condition(Tensor x0, int[] labels);

    /** No condition. */
    BatchConditioner NONE = (x0, labels) -> Conditioning.NONE;

    /** The images' area-downsampled copy, upsampled back (SR3's condition; {@link org.diffusion4j.experiments.superres.LowResolution}). */
    static BatchConditioner lowResolution(int factor) {
        return (x0, labels) -> Conditioning.image(org.diffusion4j.experiments.superres.LowResolution.condition(x0, factor));
    }

    /** Both conditions together. */
    default BatchConditioner and(BatchConditioner other) {
        return (x0, labels) -> condition(x0, labels).and(other.condition(x0, labels));
    }

    /** The class labels, with "no class" = classes (the extra label a class-conditional UNet has). */
    static BatchConditioner classLabels(int classes) {
        return (x0, labels) -> {
            if (labels == null) throw new IllegalStateException("a class-conditional model needs labelled data; this dataset has no labels");
            return Conditioning.labels(labels, classes);
        };
    }
}
