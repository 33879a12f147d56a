package org.diffusion4j.experiments.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * 2-D points as a PNG scatter plot on a fixed square window [-range, range]^2 (so that plots of data and of
 * samples share one scale). Points outside the window are drawn on its edge in red, so divergent samples
 * show instead of vanishing.
 */
public final class ScatterPlot {
    private ScatterPlot() { }

    public static BufferedImage render(double[][] points, double range, int size) {
        if (!(range > 0)) throw new IllegalArgumentException("scatter plot range must be > 0, got " + range);
        if (size < 16) throw new IllegalArgumentException("scatter plot size must be >= 16 pixels, got " + size);
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, size, size);
        g.setColor(new Color(0xdddddd));
        g.drawLine(size / 2, 0, size / 2, size);
        g.drawLine(0, size / 2, size, size / 2);
        Color inside = new Color(31, 119, 180, 140), outside = new Color(214, 39, 40);
        for (double[] p : points) {
            if (p.length != 2) throw new IllegalArgumentException("scatter plot needs 2-D points, got one of dimension " + p.length);
            double x = (p[0] / range + 1) / 2 * (size - 1), y = (1 - p[1] / range) / 2 * (size - 1);
            boolean in = Double.isFinite(x) && Double.isFinite(y) && x >= 0 && x <= size - 1 && y >= 0 && y <= size - 1;
            double cx = clamp(x, size), cy = clamp(y, size);
            g.setColor(in ? inside : outside);
            g.fillOval((int) Math.round(cx) - 1, (int) Math.round(cy) - 1, 3, 3);
        }
        g.dispose();
        return img;
    }

    private static double clamp(double v, int size) {
        if (Double.isNaN(v)) return 0;
        return Math.max(0, Math.min(size - 1, v));
    }
}
