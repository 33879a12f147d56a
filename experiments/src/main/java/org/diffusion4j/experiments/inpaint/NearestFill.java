package org.diffusion4j.experiments.inpaint;

/**
 * The nearest-neighbour baseline for inpainting: every unknown pixel takes the value of the nearest known pixel of
 * the same channel (Euclidean distance on the pixel grid; ties go to the first in row-major order).
 */
public final class NearestFill {
    private NearestFill() { }

    /**
     * @param image C*H*W values
     * @param mask  C*H*W values, 1 known, 0 unknown
     */
    public static double[] fill(double[] image, double[] mask, int channels, int height, int width) {
        double[] out = image.clone();
        int plane = height * width;
        for (int c = 0; c < channels; c++) {
            int base = c * plane;
            for (int j = 0; j < plane; j++) {
                if (mask[base + j] == 1) continue;
                int y = j / width, x = j % width, best = -1;
                long bestD = Long.MAX_VALUE;
                for (int k = 0; k < plane; k++) {
                    if (mask[base + k] != 1) continue;
                    long dy = k / width - y, dx = k % width - x, d = dy * dy + dx * dx;
                    if (d < bestD) { bestD = d; best = k; }
                }
                if (best < 0) throw new IllegalArgumentException("nearest-neighbour fill needs at least one known pixel per channel");
                out[base + j] = image[base + best];
            }
        }
        return out;
    }
}
