package org.diffusion4j.experiments.eval;

import org.diffusion4j.experiments.io.Npy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Checks and unpacks generated Fashion-MNIST samples: an array of shape (N, 1, 28, 28) or (N, 784) with
 * values in [-1, 1] (the range the models are trained on), as rows of 784 values.
 */
public final class SampleImages {
    /** Values may exceed [-1, 1] by this much (round-off of a final clip or a float32 cast). */
    public static final double RANGE_SLACK = 1e-3;
    static final int PIXELS = 28 * 28;

    private SampleImages() { }

    /** Reads and checks a .npy file of samples. */
    public static double[][] read(Path file) throws IOException {
        Npy.Array a = Npy.read(file);
        return check(a.shape(), a.data(), file.toString());
    }

    /** Checks shape and range (naming source in errors) and returns the images as rows of 784 values. */
    public static double[][] check(int[] shape, double[] data, String source) {
        boolean image = shape.length == 4 && shape[1] == 1 && shape[2] == 28 && shape[3] == 28;
        boolean flat = shape.length == 2 && shape[1] == PIXELS;
        if (!image && !flat) throw new IllegalArgumentException(source + ": samples have shape " + Arrays.toString(shape)
                + ", expected (N, 1, 28, 28) or (N, 784)");
        int n = shape[0];
        if (n < 2) throw new IllegalArgumentException(source + ": " + n + " samples; at least 2 are needed");
        for (int i = 0; i < data.length; i++) {
            double v = data[i];
            if (!(Math.abs(v) <= 1 + RANGE_SLACK)) throw new IllegalArgumentException(source + ": value " + v + " at sample "
                    + i / PIXELS + ", pixel " + i % PIXELS + " is outside [-1, 1]; samples must be scaled as x / 127.5 - 1");
        }
        double[][] rows = new double[n][];
        for (int i = 0; i < n; i++) rows[i] = Arrays.copyOfRange(data, i * PIXELS, (i + 1) * PIXELS);
        return rows;
    }
}
