package org.diffusion4j.experiments.inpaint;

import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.experiments.io.Npy;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The images an image-to-image command works on, as rows of C*H*W values in [-1, 1]: {@code test:A-B} or
 * {@code train:A-B} (Fashion-MNIST indices A..B inclusive, or a single index), a .npy array [N, C, H, W] (or [N, H*W]
 * for one channel), or PNG files (grey, 0..255 mapped to [-1, 1]) separated by commas.
 *
 * @param labels the dataset's class labels for dataset images, else null
 */
public record InputImages(double[][] rows, int channels, int height, int width, int[] labels) {

    /** The same images with every value rounded to the dtype (to float for F32), as a run of that dtype sees them. */
    public InputImages roundedTo(org.diffusion4j.tensor.DType dtype) {
        if (dtype == org.diffusion4j.tensor.DType.F64) return this;
        double[][] r = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            r[i] = new double[rows[i].length];
            for (int j = 0; j < r[i].length; j++) r[i][j] = (float) rows[i][j];
        }
        return new InputImages(r, channels, height, width, labels);
    }

    public static InputImages read(String spec, Path dataFolder, int channels, int height, int width) throws IOException {
        if (spec == null || spec.isBlank()) throw new IllegalArgumentException("--images needs test:A-B, train:A-B, a .npy or PNG files");
        InputImages in;
        if (spec.startsWith("test:") || spec.startsWith("train:")) {
            in = fromDataset(spec, dataFolder);
        } else if (spec.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            in = fromNpy(Path.of(spec), channels, height, width);
        } else {
            in = fromPngs(spec);
        }
        if (in.channels != channels || in.height != height || in.width != width) throw new IllegalArgumentException("--images "
                + spec + ": images are " + in.channels + "x" + in.height + "x" + in.width + ", the run's are "
                + channels + "x" + height + "x" + width);
        for (int i = 0; i < in.rows.length; i++) for (double v : in.rows[i]) {
            if (!(v >= -1 && v <= 1)) throw new IllegalArgumentException("--images " + spec + ": image " + i + " has the value "
                    + v + " outside [-1, 1] (scale the data to [-1, 1])");
        }
        return in;
    }

    private static InputImages fromDataset(String spec, Path dataFolder) throws IOException {
        boolean test = spec.startsWith("test:");
        String range = spec.substring(spec.indexOf(':') + 1);
        int from, to;
        try {
            String[] ab = range.split("-", 2);
            from = Integer.parseInt(ab[0].trim());
            to = ab.length == 2 ? Integer.parseInt(ab[1].trim()) : from;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--images " + spec + ": expected " + (test ? "test" : "train") + ":A-B with indices A <= B");
        }
        ImageDataset data = FashionMnist.load(FashionMnist.folder(dataFolder), test ? FashionMnist.Split.TEST : FashionMnist.Split.TRAIN);
        if (from < 0 || to < from || to >= data.size()) throw new IllegalArgumentException("--images " + spec
                + ": indices must satisfy 0 <= A <= B < " + data.size());
        double[][] rows = new double[to - from + 1][];
        int[] labels = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = data.image(from + i);
            labels[i] = data.label(from + i);
        }
        return new InputImages(rows, data.channels(), data.height(), data.width(), labels);
    }

    private static InputImages fromNpy(Path file, int channels, int height, int width) throws IOException {
        Npy.Array a = Npy.read(file);
        int[] s = a.shape();
        boolean fits = (s.length == 4 && s[1] == channels && s[2] == height && s[3] == width)
                || (s.length == 2 && s[1] == channels * height * width);
        if (!fits) throw new IllegalArgumentException("--images " + file + " has shape " + Arrays.toString(s) + ", expected [N, "
                + channels + ", " + height + ", " + width + "]");
        return new InputImages(a.asRows(), channels, height, width, null);
    }

    private static InputImages fromPngs(String spec) throws IOException {
        List<double[]> rows = new ArrayList<>();
        int h = -1, w = -1;
        for (String name : spec.split(",")) {
            Path file = Path.of(name.trim());
            if (!Files.isRegularFile(file)) throw new IllegalArgumentException("--images " + file + ": no such file");
            BufferedImage img = ImageIO.read(file.toFile());
            if (img == null) throw new IllegalArgumentException("--images " + file + ": not a readable PNG");
            if (h >= 0 && (img.getHeight() != h || img.getWidth() != w)) throw new IllegalArgumentException("--images: "
                    + file + " is " + img.getWidth() + "x" + img.getHeight() + ", the first image " + w + "x" + h);
            h = img.getHeight();
            w = img.getWidth();
            double[] row = new double[h * w];
            for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                row[y * w + x] = ((((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff)) / 3.0) / 127.5 - 1.0;
            }
            rows.add(row);
        }
        return new InputImages(rows.toArray(new double[0][]), 1, h, w, null);
    }
}
