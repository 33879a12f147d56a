package org.diffusion4j.experiments.scenes;

import org.diffusion4j.experiments.io.ImageGrid;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A PNG of scene canvases, each enlarged 4x (nearest neighbour) with its caption written beneath it. */
public final class SceneGrid {
    static final int SCALE = 4, PAD = 8, TEXT_LINES = 4, LINE = 13;

    private SceneGrid() { }

    public static BufferedImage render(List<float[]> canvases, List<String> captions, int columns) {
        if (canvases.size() != captions.size()) throw new IllegalArgumentException(canvases.size() + " canvases but "
                + captions.size() + " captions");
        if (canvases.isEmpty()) throw new IllegalArgumentException("no scenes to draw");
        if (columns <= 0) throw new IllegalArgumentException("columns must be positive, got " + columns);
        int side = SceneLayout.CANVAS * SCALE, cellW = side + 2 * PAD + 16, cellH = side + PAD + TEXT_LINES * LINE + PAD;
        int n = canvases.size(), cols = Math.min(columns, n), rows = (n + cols - 1) / cols;
        BufferedImage img = new BufferedImage(cols * cellW, rows * cellH, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        for (int k = 0; k < n; k++) {
            float[] c = canvases.get(k);
            SceneCanvas.checkCanvas(c);
            int ox = (k % cols) * cellW + (cellW - side) / 2, oy = (k / cols) * cellH + PAD;
            for (int y = 0; y < side; y++) {
                for (int x = 0; x < side; x++) {
                    int v = ImageGrid.toByte(c[(y / SCALE) * SceneLayout.CANVAS + x / SCALE]);
                    img.setRGB(ox + x, oy + y, (v << 16) | (v << 8) | v);
                }
            }
            List<String> lines = wrap(captions.get(k), fm, cellW - 8);
            for (int l = 0; l < Math.min(TEXT_LINES, lines.size()); l++) {
                g.drawString(lines.get(l), (k % cols) * cellW + 4, oy + side + PAD + (l + 1) * LINE - 3);
            }
        }
        g.dispose();
        return img;
    }

    public static void writePng(List<float[]> canvases, List<String> captions, int columns, Path file) throws IOException {
        ImageGrid.writePng(render(canvases, captions, columns), file);
    }

    private static List<String> wrap(String text, FontMetrics fm, int width) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String w : text.split(" ")) {
            String next = line.isEmpty() ? w : line + " " + w;
            if (fm.stringWidth(next) > width && !line.isEmpty()) {
                lines.add(line.toString());
                line = new StringBuilder(w);
            } else {
                line = new StringBuilder(next);
            }
        }
        if (!line.isEmpty()) lines.add(line.toString());
        return lines;
    }
}
