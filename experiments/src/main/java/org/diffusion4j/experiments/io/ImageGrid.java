package org.diffusion4j.experiments.io;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Tiles images into one PNG. Input values are in [-1, 1] (the models' range) and are mapped to 0..255 by
 * round((x + 1) * 127.5), clipped; images are [n][C*H*W] with C = 1 (grey) or 3 (RGB, planar).
 */
public final class ImageGrid {
    private ImageGrid() { }

    /** A grid of {@code columns} images per row with a 2-pixel border. */
    public static BufferedImage render(double[][] images, int channels, int height, int width, int columns) {
        if (channels != 1 && channels != 3) throw new IllegalArgumentException("image grid: channels must be 1 or 3, got " + channels);
        int n = images.length, cols = Math.max(1, Math.min(columns, n)), rows = (n + cols - 1) / cols, pad = 2;
        BufferedImage img = new BufferedImage(cols * (width + pad) + pad, rows * (height + pad) + pad, BufferedImage.TYPE_INT_RGB);
        for (int k = 0; k < n; k++) {
            if (images[k].length != channels * height * width) throw new IllegalArgumentException("image grid: image " + k
                    + " has " + images[k].length + " values, expected " + channels + "x" + height + "x" + width);
            int ox = pad + (k % cols) * (width + pad), oy = pad + (k / cols) * (height + pad);
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    int r = toByte(images[k][y * width + x]);
                    int g = channels == 3 ? toByte(images[k][(height + y) * width + x]) : r;
                    int b = channels == 3 ? toByte(images[k][(2 * height + y) * width + x]) : r;
                    img.setRGB(ox + x, oy + y, (r << 16) | (g << 8) | b);
                }
            }
        }
        return img;
    }

    /** Maps [-1, 1] to 0..255. */
    public static int toByte(double v) {
        long b = Math.round((v + 1) * 127.5);
        return (int) Math.max(0, Math.min(255, b));
    }

    /** Writes a PNG atomically ({@link AtomicFiles}: temporary file forced to disk, then rename). */
    public static void writePng(BufferedImage img, Path file) throws IOException {
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        if (!ImageIO.write(img, "png", png)) throw new IOException("no PNG writer available");
        AtomicFiles.write(file, png.toByteArray());
    }

    public static void writePng(double[][] images, int channels, int height, int width, int columns, Path file) throws IOException {
        writePng(render(images, channels, height, width, columns), file);
    }
}
