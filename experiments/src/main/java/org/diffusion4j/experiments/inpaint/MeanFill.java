package org.diffusion4j.experiments.inpaint;

import org.diffusion4j.experiments.data.ImageDataset;

/**
 * The mean-image baseline for inpainting: every unknown pixel takes that pixel's mean over a reference set (the
 * training split), the best constant guess under squared error when nothing of the image itself is used.
 */
public final class MeanFill {
    private MeanFill() { }

    /** The per-pixel mean of the data set's images, in the images' [-1, 1] scale. */
    public static double[] meanImage(ImageDataset data) {
        if (data.size() == 0) throw new IllegalArgumentException("the mean image needs at least one image, got an empty set");
        double[] mean = new double[data.channels() * data.height() * data.width()];
        for (int i = 0; i < data.size(); i++) {
            double[] img = data.image(i);
            for (int j = 0; j < mean.length; j++) mean[j] += img[j];
        }
        for (int j = 0; j < mean.length; j++) mean[j] /= data.size();
        return mean;
    }

    /**
     * @param image C*H*W values
     * @param mask  C*H*W values, 1 known, 0 unknown
     * @param mean  C*H*W values, the mean image
     */
    public static double[] fill(double[] image, double[] mask, double[] mean) {
        if (image.length != mask.length || image.length != mean.length) throw new IllegalArgumentException("image ("
                + image.length + " values), mask (" + mask.length + ") and mean image (" + mean.length + ") must have one size");
        double[] out = image.clone();
        for (int j = 0; j < out.length; j++) if (mask[j] != 1) out[j] = mean[j];
        return out;
    }
}
