package org.diffusion4j.experiments.train;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/** A captioned image set: image i with its caption, both pure functions of i (a generated set is regenerated, not stored). */
public interface CaptionedImages {
    int size();

    /** The shape of one image, [C, H, W]. */
    int[] sampleShape();

    /** Images at these indices as [n, C, H, W] in [-1, 1]. */
    Tensor images(Backend backend, DType dtype, int[] indices);

    /** The caption of image i. */
    String caption(int index);
}
