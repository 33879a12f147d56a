package org.diffusion4j.experiments.metrics;

import java.util.Arrays;

/**
 * Improved precision and recall of Kynkaanniemi et al. 2019 ("Improved Precision and Recall Metric for
 * Assessing Generative Models", Sec. 2): each set's manifold is the union of balls around its points whose
 * radius is the distance to the point's k-th nearest neighbour within the set. Precision is the fraction of
 * generated points inside the real manifold; recall the fraction of real points inside the generated one.
 */
public final class PrecisionRecall {

    public record Result(double precision, double recall, int k) { }

    public static Result compute(double[][] real, double[][] generated, int k) {
        if (k < 1 || k >= Math.min(real.length, generated.length)) throw new IllegalArgumentException("k must be in [1, "
                + (Math.min(real.length, generated.length) - 1) + "], got " + k);
        double[] realRadii = kthNeighbourDistances(real, k), genRadii = kthNeighbourDistances(generated, k);
        return new Result(coverage(generated, real, realRadii), coverage(real, generated, genRadii), k);
    }

    /** Fraction of the query points within some manifold ball (squared distances compared). */
    static double coverage(double[][] queries, double[][] manifold, double[] radiiSquared) {
        int inside = 0;
        for (double[] q : queries) {
            for (int j = 0; j < manifold.length; j++) {
                if (SampleDistances.sq(q, manifold[j]) <= radiiSquared[j]) { inside++; break; }
            }
        }
        return inside / (double) queries.length;
    }

    /** Squared distance from each point to its k-th nearest other point of the same set. */
    static double[] kthNeighbourDistances(double[][] points, int k) {
        int n = points.length;
        double[] out = new double[n], d = new double[n - 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0, t = 0; j < n; j++) if (j != i) d[t++] = SampleDistances.sq(points[i], points[j]);
            Arrays.sort(d);
            out[i] = d[k - 1];
        }
        return out;
    }
}
