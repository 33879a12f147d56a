package org.diffusion4j.experiments.inpaint;

import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Philox;
import org.diffusion4j.tensor.RandomKind;
import org.diffusion4j.tensor.SeedMixing;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Inpainting masks over C x H x W images, 1 where a pixel is known and 0 where it is to be filled (the same for every
 * channel). By name:
 * <ul>
 *   <li>{@code center} (or {@code center:K}): a K x K box in the middle is unknown, K = H / 2 by default (14 for 28x28);</li>
 *   <li>{@code left}, {@code right}, {@code top}, {@code bottom}: that half is unknown;</li>
 *   <li>{@code strokes} (or {@code strokes:K}): K random brush strokes (3 pixels wide, random walks of 2 H steps) are unknown, K = 4;</li>
 *   <li>{@code pixels} (or {@code pixels:F}): each pixel is unknown with probability F = 0.5;</li>
 *   <li>a path to a PNG of H x W pixels: a pixel is known where its grey value is at least 128 (white), unknown where it is
 *       darker (black).</li>
 * </ul>
 * The random masks are drawn with Philox from the seed and are the same for every image.
 */
public final class InpaintMask {
    private InpaintMask() { }

    public static final String NAMES = "center[:K], left, right, top, bottom, strokes[:K], pixels[:F] or a mask .png";

    /** The mask as C*H*W values in {0, 1}. */
    public static double[] of(String spec, int channels, int height, int width, long seed) throws IOException {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("--mask must be one of " + NAMES);
        String name = spec, arg = null;
        int colon = spec.indexOf(':');
        if (colon > 0 && !spec.toLowerCase(Locale.ROOT).endsWith(".png")) {
            name = spec.substring(0, colon);
            arg = spec.substring(colon + 1);
        }
        double[] plane = new double[height * width];
        java.util.Arrays.fill(plane, 1.0);
        switch (name) {
            case "center" -> {
                int k = arg == null ? height / 2 : parseInt(spec, arg);
                if (k < 1 || k > Math.min(height, width)) throw new IllegalArgumentException("--mask " + spec
                        + ": the box size must be in [1, " + Math.min(height, width) + "]");
                int y0 = (height - k) / 2, x0 = (width - k) / 2;
                for (int y = y0; y < y0 + k; y++) for (int x = x0; x < x0 + k; x++) plane[y * width + x] = 0;
            }
            case "left", "right", "top", "bottom" -> {
                if (arg != null) throw new IllegalArgumentException("--mask " + name + " takes no argument, got " + spec);
                for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) {
                    boolean unknown = switch (name) {
                        case "left" -> x < width / 2;
                        case "right" -> x >= width - width / 2;
                        case "top" -> y < height / 2;
                        default -> y >= height - height / 2;
                    };
                    if (unknown) plane[y * width + x] = 0;
                }
            }
            case "strokes" -> strokes(plane, height, width, arg == null ? 4 : parseInt(spec, arg), seed);
            case "pixels" -> {
                double f = arg == null ? 0.5 : parseFraction(spec, arg);
                long key = SeedMixing.key(seed, "mask-pixels");
                for (int j = 0; j < plane.length; j++) if (Philox.element(RandomKind.UNIFORM, DType.F64, key, 0, j) < f) plane[j] = 0;
            }
            default -> {
                if (!spec.toLowerCase(Locale.ROOT).endsWith(".png")) throw new IllegalArgumentException("--mask '" + spec
                        + "': expected " + NAMES);
                plane = fromPng(Path.of(spec), height, width);
            }
        }
        double[] mask = new double[channels * plane.length];
        for (int c = 0; c < channels; c++) System.arraycopy(plane, 0, mask, c * plane.length, plane.length);
        return mask;
    }

    /** Random walks of a 3x3 brush, each from a uniform start, 2 H steps of one pixel in one of 8 directions. */
    private static void strokes(double[] plane, int height, int width, int count, long seed) {
        if (count < 1) throw new IllegalArgumentException("--mask strokes:K needs K >= 1, got " + count);
        int steps = 2 * height;
        for (int s = 0; s < count; s++) {
            long key = SeedMixing.key(seed, "mask-strokes", s);
            int y = (int) (u(key, 0) * height), x = (int) (u(key, 1) * width);
            int dir = (int) (u(key, 2) * 8);
            for (int k = 0; k < steps; k++) {
                for (int dy = -1; dy <= 1; dy++) for (int dx = -1; dx <= 1; dx++) {
                    int yy = y + dy, xx = x + dx;
                    if (yy >= 0 && yy < height && xx >= 0 && xx < width) plane[yy * width + xx] = 0;
                }
                if (u(key, 3 + k) < 0.25) dir = (dir + (u(key, 1_000_000 + k) < 0.5 ? 7 : 1)) % 8;   // turn by 45 degrees now and then
                int[] dys = {-1, -1, 0, 1, 1, 1, 0, -1}, dxs = {0, 1, 1, 1, 0, -1, -1, -1};
                y = Math.clamp(y + dys[dir], 0, height - 1);
                x = Math.clamp(x + dxs[dir], 0, width - 1);
            }
        }
    }

    private static double u(long key, long element) { return Philox.element(RandomKind.UNIFORM, DType.F64, key, 0, element); }

    private static double[] fromPng(Path file, int height, int width) throws IOException {
        if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--mask " + file + ": no such file");
        BufferedImage img = ImageIO.read(file.toFile());
        if (img == null) throw new IllegalArgumentException("--mask " + file + ": not a readable PNG");
        if (img.getHeight() != height || img.getWidth() != width) throw new IllegalArgumentException("--mask " + file
                + " is " + img.getWidth() + "x" + img.getHeight() + " pixels, expected " + width + "x" + height + " (the images' size)");
        double[] plane = new double[height * width];
        for (int y = 0; y < height; y++) for (int x = 0; x < width; x++) {
            int rgb = img.getRGB(x, y);
            int grey = (((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3;
            plane[y * width + x] = grey >= 128 ? 1 : 0;
        }
        return plane;
    }

    private static int parseInt(String spec, String arg) {
        try {
            return Integer.parseInt(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--mask " + spec + ": '" + arg + "' is not an integer");
        }
    }

    private static double parseFraction(String spec, String arg) {
        double f;
        try {
            f = Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--mask " + spec + ": '" + arg + "' is not a number");
        }
        if (!(f > 0 && f < 1)) throw new IllegalArgumentException("--mask " + spec + ": the unknown fraction must be in (0, 1)");
        return f;
    }
}
