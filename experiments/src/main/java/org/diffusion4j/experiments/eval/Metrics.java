package org.diffusion4j.experiments.eval;

import org.diffusion4j.experiments.metrics.ClassifierScore;
import org.diffusion4j.experiments.metrics.FeatureStats;
import org.diffusion4j.experiments.metrics.FrechetDistance;
import org.diffusion4j.experiments.metrics.KernelInceptionDistance;
import org.diffusion4j.experiments.metrics.PrecisionRecall;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The scores of one set of generated images against a reference set, all on the features of
 * {@link FmnistClassifier}: FD-FMNIST, KID with its standard error, precision and recall (k = 3) and the
 * classifier score of the generated set.
 *
 * <p>Precision/recall cost O(n^2) distance evaluations, so they use at most {@code prRows} rows of each set
 * (a seeded subset; the count used is reported). KID averages {@code kidSubsets} subsets of
 * min({@link #KID_SUBSET_SIZE}, n / 2) rows, n the smaller set: at most half of each set, so that the subsets
 * differ and their spread gives a standard error (subsets of the whole set would all be the same set).
 */
public record Metrics(int generated, int reference, double fd, int fdClamped, double kid, double kidStandardError,
                      int kidSubsets, int kidSubsetSize, double precision, double recall, int prK, int prRows,
                      double classifierScore) {
    public static final int DEFAULT_KID_SUBSETS = 20, KID_SUBSET_SIZE = 1000, PR_K = 3, DEFAULT_PR_ROWS = 5000;

    /** Scores generated against reference features (classifier probabilities of the generated set for the score). */
    public static Metrics compute(ClassifierFeatures.Output generated, ClassifierFeatures.Output reference, long seed,
                                  int prRows, int kidSubsets) {
        if (prRows < Metrics.PR_K + 1) throw new IllegalArgumentException("precision/recall need at least " + (PR_K + 1)
                + " rows, got " + prRows);
        double[][] g = generated.features(), r = reference.features();
        FrechetDistance frechet = new FrechetDistance();
        double fd = frechet.between(FeatureStats.of(g), FeatureStats.of(r));
        int kidRows = Math.min(KID_SUBSET_SIZE, Math.max(2, Math.min(g.length, r.length) / 2));
        KernelInceptionDistance.Result kid = KernelInceptionDistance.compute(g, r, kidSubsets, kidRows, seed);
        int m = Math.min(prRows, Math.min(g.length, r.length));
        PrecisionRecall.Result pr = PrecisionRecall.compute(subset(r, m, seed, 1_000_001), subset(g, m, seed, 1_000_000), PR_K);
        return new Metrics(g.length, r.length, fd, frechet.clampedEigenvalues(), kid.mean(), kid.standardError(),
                kid.subsets(), kid.subsetSize(), pr.precision(), pr.recall(), pr.k(), m,
                ClassifierScore.of(generated.probabilities()));
    }

    private static double[][] subset(double[][] rows, int m, long seed, long stream) {
        if (m == rows.length) return rows;
        int[] idx = PhiloxShuffle.prefix(rows.length, m, seed, stream);
        Arrays.sort(idx);
        double[][] out = new double[m][];
        for (int i = 0; i < m; i++) out[i] = rows[idx[i]];
        return out;
    }

    /** The scores by name, in print order (the keys of the JSON output). */
    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fd_fmnist", fd);
        m.put("kid_fmnist", kid);
        m.put("kid_fmnist_se", kidStandardError);
        m.put("kid_subsets", kidSubsets);
        m.put("kid_subset_size", kidSubsetSize);
        m.put("precision", precision);
        m.put("recall", recall);
        m.put("pr_k", prK);
        m.put("pr_rows", prRows);
        m.put("classifier_score", classifierScore);
        m.put("n_generated", generated);
        m.put("n_reference", reference);
        m.put("fd_clamped_eigenvalues", fdClamped);
        return m;
    }

    /** A few human-readable lines. */
    public String render() {
        return String.format(Locale.ROOT, """
                FD-FMNIST          %.4f   (%d generated vs %d reference)
                KID-FMNIST         %.6f +- %.6f   (%d subsets of %d)
                precision (k=%d)   %.4f   (%d rows each)
                recall    (k=%d)   %.4f
                classifier score   %.4f   (1..10)
                """, fd, generated, reference, kid, kidStandardError, kidSubsets, kidSubsetSize,
                prK, precision, prRows, prK, recall, classifierScore);
    }
}
