package org.diffusion4j.experiments.eval;

import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.tensor.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The reference floors of FD-FMNIST and KID: what a perfect model scores (real training images against the
 * test split, on equal-size subsets) and what simple baselines score (Gaussian noise, blurred and noisy
 * training images). Every candidate set is built from the training split, never from the reference images
 * themselves, so no baseline shares a single image with the reference.
 */
public final class ReferenceFloors {
    public static final double BLUR_SIGMA = 1.0, NOISE_SIGMA = 0.2;

    /** One line of the table: a named candidate set and its scores against the reference. */
    public record Row(String name, Metrics metrics) { }

    private final FmnistClassifier model;
    private final Backend backend;

    public ReferenceFloors(FmnistClassifier model, Backend backend) {
        this.model = model;
        this.backend = backend;
    }

    /**
     * The floors at subset size n: reference = n seeded test images, candidates = n seeded training images
     * (as they are, blurred, with noise) and n noise images. Subsets and noise are keyed by seed.
     */
    public List<Row> compute(ImageDataset train, ImageDataset test, int n, long seed, int prRows, int kidSubsets) {
        if (n < 4 || n > test.size() || n > train.size()) throw new IllegalArgumentException("floor subset size must be in [4, "
                + Math.min(test.size(), train.size()) + "], got " + n);
        double[][] reference = images(test, PhiloxShuffle.prefix(test.size(), n, seed, 10));
        double[][] real = images(train, PhiloxShuffle.prefix(train.size(), n, seed, 11));
        ClassifierFeatures.Output ref = ClassifierFeatures.of(model, reference, backend);
        List<Row> rows = new ArrayList<>();
        rows.add(row("train vs test (perfect model)", real, ref, seed, prRows, kidSubsets));
        rows.add(row("train + N(0, " + NOISE_SIGMA + "^2) noise", Degradations.addNoise(real, NOISE_SIGMA, seed), ref, seed, prRows, kidSubsets));
        rows.add(row("train blurred (sigma " + BLUR_SIGMA + " px)", Degradations.blur(real, BLUR_SIGMA), ref, seed, prRows, kidSubsets));
        rows.add(row("Gaussian noise N(0,1) clipped", Degradations.gaussianNoise(n, seed + 1), ref, seed, prRows, kidSubsets));
        return rows;
    }

    private Row row(String name, double[][] candidate, ClassifierFeatures.Output ref, long seed, int prRows, int kidSubsets) {
        return new Row(name, Metrics.compute(ClassifierFeatures.of(model, candidate, backend), ref, seed, prRows, kidSubsets));
    }

    private static double[][] images(ImageDataset data, int[] indices) {
        int[] sorted = indices.clone();
        Arrays.sort(sorted);
        double[][] out = new double[sorted.length][];
        for (int i = 0; i < sorted.length; i++) out[i] = data.image(sorted[i]);
        return out;
    }
}
