package org.diffusion4j.experiments.train;

import org.diffusion4j.experiments.io.ImageGrid;
import org.diffusion4j.experiments.report.ScatterPlot;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.List;

/** Pictures of samples: scatter plots for 2-D points, grids for images, and the denoising strip. */
public final class SamplePictures {
    /** The window [-4, 4]^2 holds every toy set (the swiss roll reaches about 2.9). */
    public static final double TOY_RANGE = 4.0;

    private SamplePictures() { }

    /** rows: [N][features]; sampleShape: [2], [1, L] (waveforms: their spectrograms) or [C, H, W]. */
    public static BufferedImage of(double[][] rows, int[] sampleShape) {
        if (sampleShape.length == 1) return ScatterPlot.render(rows, TOY_RANGE, 320);
        if (sampleShape.length == 2) return org.diffusion4j.experiments.audio.AudioPictures.spectrogramGrid(rows, (int) Math.ceil(Math.sqrt(rows.length)));
        int columns = (int) Math.ceil(Math.sqrt(rows.length));
        return ImageGrid.render(rows, sampleShape[0], sampleShape[1], sampleShape[2], columns);
    }

    /**
     * The sampler's path: each snapshot's states shown in variance-preserving scale, x / sqrt(1 + sigma^2), so
     * that pure noise and data share one scale; side by side from noise (left) to data (right).
     */
    public static BufferedImage trajectory(List<RecordingDenoiser.Snapshot> snapshots, int[] sampleShape, double[][] finalRows) {
        List<double[][]> frames = new java.util.ArrayList<>();
        for (RecordingDenoiser.Snapshot s : snapshots) {
            double scale = 1 / Math.sqrt(1 + s.sigma() * s.sigma());
            double[][] rows = new double[s.rows().length][];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = s.rows()[r].clone();
                for (int j = 0; j < rows[r].length; j++) rows[r][j] *= scale;
            }
            frames.add(rows);
        }
        frames.add(finalRows);
        if (sampleShape.length == 1) {
            int size = 160;
            BufferedImage strip = new BufferedImage(size * frames.size(), size, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = strip.createGraphics();
            for (int i = 0; i < frames.size(); i++) g.drawImage(ScatterPlot.render(frames.get(i), TOY_RANGE, size), i * size, 0, null);
            g.dispose();
            return strip;
        }
        // Images: one row per sample, one column per frame.
        int samples = Math.min(4, finalRows.length);
        double[][] cells = new double[samples * frames.size()][];
        for (int r = 0; r < samples; r++) {
            for (int f = 0; f < frames.size(); f++) {
                double[][] frame = frames.get(f);
                cells[r * frames.size() + f] = frame[Math.min(r, frame.length - 1)];
            }
        }
        if (sampleShape.length == 2) return org.diffusion4j.experiments.audio.AudioPictures.spectrogramGrid(cells, frames.size());
        return ImageGrid.render(cells, sampleShape[0], sampleShape[1], sampleShape[2], frames.size());
    }
}
