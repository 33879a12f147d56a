package org.diffusion4j.experiments.eval;

import org.diffusion4j.autograd.NoGrad;
import org.diffusion4j.autograd.Variable;
import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;

/**
 * Batched, gradient-free inference of {@link FmnistClassifier}: penultimate features and class
 * probabilities of images given as rows of 784 values in [-1, 1].
 */
public final class ClassifierFeatures {
    /** Images per forward pass: large enough for the GEMMs to be efficient, small enough for memory. */
    public static final int BATCH = 500;

    /** Features [n][128] and class probabilities [n][10] of n images. */
    public record Output(double[][] features, double[][] probabilities) {
        public int size() { return features.length; }

        /** Index of the most probable class of each image. */
        public int[] predictions() {
            int[] out = new int[probabilities.length];
            for (int i = 0; i < out.length; i++) {
                int best = 0;
                for (int j = 1; j < probabilities[i].length; j++) if (probabilities[i][j] > probabilities[i][best]) best = j;
                out[i] = best;
            }
            return out;
        }
    }

    private ClassifierFeatures() { }

    /** Runs the model over images (each a row of 28*28 values in [-1, 1]). */
    public static Output of(FmnistClassifier model, double[][] images, Backend backend) {
        int n = images.length, per = 28 * 28;
        double[][] features = new double[n][], probabilities = new double[n][];
        for (int start = 0; start < n; start += BATCH) {
            int m = Math.min(BATCH, n - start);
            double[] flat = new double[m * per];
            for (int k = 0; k < m; k++) {
                if (images[start + k].length != per) throw new IllegalArgumentException("image " + (start + k) + " has "
                        + images[start + k].length + " values, expected " + per + " (28x28)");
                System.arraycopy(images[start + k], 0, flat, k * per, per);
            }
            try (Scope s = Scope.open(); NoGrad g = NoGrad.enter()) {
                Variable x = Variable.constant(Tensor.of(backend, DType.F32, flat, m, 1, 28, 28));
                Variable f = model.features(x);
                Tensor p = model.logits(f).value().softmax(1);
                split(f.value().toDoubleArray(), m, FmnistClassifier.FEATURES, features, start);
                split(p.toDoubleArray(), m, FmnistClassifier.CLASSES, probabilities, start);
            }
        }
        return new Output(features, probabilities);
    }

    /** Runs the model over every image of a dataset. */
    public static Output of(FmnistClassifier model, ImageDataset data, Backend backend) {
        double[][] images = new double[data.size()][];
        for (int i = 0; i < images.length; i++) images[i] = data.image(i);
        return of(model, images, backend);
    }

    /** Fraction of a labelled dataset the model classifies correctly. */
    public static double accuracy(FmnistClassifier model, ImageDataset data, Backend backend) {
        int[] predicted = of(model, data, backend).predictions();
        int correct = 0;
        for (int i = 0; i < predicted.length; i++) if (predicted[i] == data.label(i)) correct++;
        return correct / (double) predicted.length;
    }

    private static void split(double[] flat, int rows, int width, double[][] into, int offset) {
        for (int r = 0; r < rows; r++) into[offset + r] = java.util.Arrays.copyOfRange(flat, r * width, (r + 1) * width);
    }
}
