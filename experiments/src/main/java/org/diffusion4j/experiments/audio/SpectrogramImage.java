package org.diffusion4j.experiments.audio;

import org.diffusion4j.experiments.io.ImageGrid;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Log-mel spectrograms as pictures: time left to right, low frequencies at the bottom, each value mapped to a
 * colour over the top {@link #RANGE} nepers (ln units; 10 nepers = 43 dB) below the picture's own maximum, on a
 * dark-to-bright ramp (black, purple, red, orange, pale yellow). A grid puts several side by side, 2 px apart.
 */
public final class SpectrogramImage {
    static final double RANGE = 10;
    private static final int[][] RAMP = {{0, 0, 4}, {80, 18, 123}, {182, 54, 121}, {251, 136, 97}, {252, 253, 191}};
    private static final int GAP = 2;

    private SpectrogramImage() {}

    /** One spectrogram [frames][bands] drawn at scale x scale pixels per cell. */
    public static BufferedImage render(double[][] logMel, int scale) {
        return grid(List.<double[][]>of(logMel), 1, scale);
    }

    /** Several spectrograms of one shape, columns per row, each coloured against its own maximum. */
    public static BufferedImage grid(List<double[][]> spectrograms, int columns, int scale) {
        if (spectrograms.isEmpty()) throw new IllegalArgumentException("no spectrograms to draw");
        if (columns < 1 || scale < 1) throw new IllegalArgumentException("columns and scale must be >= 1, got " + columns + ", " + scale);
        int frames = spectrograms.get(0).length, bands = spectrograms.get(0)[0].length;
        int cols = Math.min(columns, spectrograms.size()), rows = (spectrograms.size() + cols - 1) / cols;
        int w = frames * scale, h = bands * scale;
        BufferedImage img = new BufferedImage(cols * w + (cols - 1) * GAP, rows * h + (rows - 1) * GAP, BufferedImage.TYPE_INT_RGB);
        for (int s = 0; s < spectrograms.size(); s++) {
            double[][] m = spectrograms.get(s);
            if (m.length != frames || m[0].length != bands) throw new IllegalArgumentException("spectrogram " + s + " is "
                    + m.length + "x" + m[0].length + "; expected " + frames + "x" + bands + " like the first");
            double max = Double.NEGATIVE_INFINITY;
            for (double[] row : m) for (double v : row) max = Math.max(max, v);
            int x0 = (s % cols) * (w + GAP), y0 = (s / cols) * (h + GAP);
            for (int t = 0; t < frames; t++) {
                for (int b = 0; b < bands; b++) {
                    int rgb = colour((m[t][b] - (max - RANGE)) / RANGE);
                    for (int dy = 0; dy < scale; dy++) for (int dx = 0; dx < scale; dx++)
                        img.setRGB(x0 + t * scale + dx, y0 + (bands - 1 - b) * scale + dy, rgb);
                }
            }
        }
        return img;
    }

    public static void writePng(List<double[][]> spectrograms, int columns, int scale, Path file) throws IOException {
        ImageGrid.writePng(grid(spectrograms, columns, scale), file);
    }

    /** The ramp at u in [0, 1] (clamped), linearly between its stops. */
    static int colour(double u) {
        double p = Math.max(0, Math.min(1, u)) * (RAMP.length - 1);
        int i = Math.min(RAMP.length - 2, (int) p);
        double f = p - i;
        int r = (int) Math.round(RAMP[i][0] + f * (RAMP[i + 1][0] - RAMP[i][0]));
        int g = (int) Math.round(RAMP[i][1] + f * (RAMP[i + 1][1] - RAMP[i][1]));
        int b = (int) Math.round(RAMP[i][2] + f * (RAMP[i + 1][2] - RAMP[i][2]));
        return (r << 16) | (g << 8) | b;
    }
}
