package org.diffusion4j.experiments.data;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;

/**
 * Images held as unsigned bytes, served as batches scaled to [-1, 1] (x / 127.5 - 1), the range DDPM
 * models are trained on, with optional random horizontal flips.
 */
public final class ImageDataset {
    private final byte[][] pixels;
    private final int[] labels;
    private final int channels, height, width, classes;

    public ImageDataset(byte[][] pixels, int[] labels, int channels, int height, int width, int classes) {
        this.pixels = pixels;
        this.labels = labels;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
    }

    public int size() { return pixels.length; }

    public int channels() { return channels; }

    public int height() { return height; }

    public int width() { return width; }

    public int classes() { return classes; }

    public int label(int i) { return labels[i]; }

    /** Pixel j of image i scaled to [-1, 1]. */
    public double scaled(int i, int j) { return (pixels[i][j] & 0xff) / 127.5 - 1.0; }

    /** Image i as doubles in [-1, 1], row-major [C, H, W]. */
    public double[] image(int i) {
        double[] d = new double[pixels[i].length];
        for (int j = 0; j < d.length; j++) d[j] = scaled(i, j);
        return d;
    }

    /**
     * A batch [n, C, H, W] of the given indices in [-1, 1]; flip[k] mirrors image k left-right (flip may be null).
     */
    public Tensor batch(Backend backend, DType dtype, int[] indices, boolean[] flip) {
        int per = channels * height * width;
        double[] d = new double[indices.length * per];
        for (int k = 0; k < indices.length; k++) {
            byte[] src = pixels[indices[k]];
            boolean mirror = flip != null && flip[k];
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < height; y++) {
                    for (int x = 0; x < width; x++) {
                        int sx = mirror ? width - 1 - x : x;
                        d[k * per + (c * height + y) * width + x] = (src[(c * height + y) * width + sx] & 0xff) / 127.5 - 1.0;
                    }
                }
            }
        }
        return Tensor.of(backend, dtype, d, indices.length, channels, height, width);
    }

    public int[] labels(int[] indices) {
        int[] out = new int[indices.length];
        for (int k = 0; k < indices.length; k++) out[k] = labels[indices[k]];
        return out;
    }

    /** The first n images (or all when fewer) as a view-free copy. */
    public ImageDataset head(int n) {
        int m = Math.min(n, size());
        return new ImageDataset(java.util.Arrays.copyOf(pixels, m), java.util.Arrays.copyOf(labels, m), channels, height, width, classes);
    }
}
