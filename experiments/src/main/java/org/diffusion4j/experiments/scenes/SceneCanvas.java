package org.diffusion4j.experiments.scenes;

import java.util.Arrays;

/**
 * Drawing scenes and cutting items back out of them. A canvas is float[32 * 32] in [-1, 1], row-major, background
 * -1; the geometry is {@link SceneLayout}'s.
 *
 * <p>Drawing an item: its 28x28 image (intensities in [0, 1]) is shrunk to its box by area averaging, divided by
 * the 95th percentile of its ink (pixels above {@link #INK}) so every item's body reaches about 1 whatever the
 * garment's own shade, clipped to 1, and scaled by the brightness gain.
 */
public final class SceneCanvas {
    /** Pixels per canvas. */
    public static final int PIXELS = SceneLayout.CANVAS * SceneLayout.CANVAS;
    /** Intensity above which a pixel counts as ink when normalising. */
    public static final double INK = 0.05;
    /** The share of ink pixels at or below the normalising level. */
    static final double NORMALISING_QUANTILE = 0.95;

    private SceneCanvas() { }

    /** Intensity u = (x + 1) / 2 of a pixel value x in [-1, 1], clipped to [0, 1]. */
    public static double intensity(double x) { return Math.max(0, Math.min(1, (x + 1) / 2)); }

    /**
     * The canvas of a scene; items[k] is the 28x28 image (784 values in [-1, 1], Fashion-MNIST's range) drawn as
     * spec.item(k).
     */
    public static float[] draw(SceneSpec spec, double[][] items) {
        if (items.length != spec.count()) throw new IllegalArgumentException("scene " + spec + " has " + spec.count()
                + " items, given " + items.length + " images");
        double[] u = new double[PIXELS];
        for (int k = 0; k < items.length; k++) place(u, items[k], spec.item(k));
        float[] canvas = new float[PIXELS];
        for (int i = 0; i < PIXELS; i++) canvas[i] = (float) (2 * u[i] - 1);
        return canvas;
    }

    /** Draws one 28x28 image (values in [-1, 1]) into intensities u as item says. */
    static void place(double[] u, double[] image28, SceneItem item) {
        if (image28.length != 28 * 28) throw new IllegalArgumentException("an item image has " + image28.length
                + " values, expected 784 (28x28)");
        double[] ink = new double[image28.length];
        for (int i = 0; i < ink.length; i++) ink[i] = intensity(image28[i]);
        int side = SceneLayout.side(item.size());
        double[] box = normalised(ImageResize.area(ink, 28, side));
        double gain = SceneLayout.gain(item.brightness());
        int x0 = SceneLayout.boxX(item), y0 = SceneLayout.boxY(item);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                int at = (y0 + y) * SceneLayout.CANVAS + x0 + x;
                u[at] = Math.max(u[at], gain * box[y * side + x]);
            }
        }
    }

    /**
     * The item the spec places at item's box, as a 28x28 image in [-1, 1] for the Fashion-MNIST classifier: the box
     * cut from the canvas, its brightness undone by the same ink normalisation as drawing, grown to 28x28 by
     * bilinear interpolation.
     */
    public static double[] crop28(float[] canvas, SceneItem item) {
        checkCanvas(canvas);
        int side = SceneLayout.side(item.size()), x0 = SceneLayout.boxX(item), y0 = SceneLayout.boxY(item);
        double[] box = new double[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) box[y * side + x] = intensity(canvas[(y0 + y) * SceneLayout.CANVAS + x0 + x]);
        }
        double[] grown = ImageResize.bilinear(normalised(box), side, 28);
        for (int i = 0; i < grown.length; i++) grown[i] = 2 * grown[i] - 1;
        return grown;
    }

    /** Intensities divided by the {@link #NORMALISING_QUANTILE} quantile of their ink and clipped to 1 (unchanged when there is no ink). */
    static double[] normalised(double[] u) {
        double level = inkQuantile(u, NORMALISING_QUANTILE);
        double[] out = new double[u.length];
        for (int i = 0; i < u.length; i++) out[i] = level > 0 ? Math.min(1, u[i] / level) : u[i];
        return out;
    }

    /** The q-quantile (nearest rank) of the values above {@link #INK}; 0 when there are none. */
    static double inkQuantile(double[] u, double q) {
        double[] ink = Arrays.stream(u).filter(v -> v > INK).sorted().toArray();
        if (ink.length == 0) return 0;
        return ink[Math.min(ink.length - 1, (int) Math.ceil(q * ink.length) - 1)];
    }

    static void checkCanvas(float[] canvas) {
        if (canvas == null || canvas.length != PIXELS) throw new IllegalArgumentException("a scene canvas has "
                + PIXELS + " values (1x32x32), got " + (canvas == null ? "null" : canvas.length));
    }
}
