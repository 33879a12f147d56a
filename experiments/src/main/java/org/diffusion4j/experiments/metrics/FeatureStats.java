package org.diffusion4j.experiments.metrics;

/**
 * The Gaussian fit of a feature set: mean vector and covariance matrix (unbiased, n - 1), in double.
 * This is what the Frechet distance compares.
 */
public record FeatureStats(double[] mean, double[][] covariance, int count) {

    /** Fits mean and covariance to n feature rows of equal width. */
    public static FeatureStats of(double[][] features) {
        int n = features.length;
        if (n < 2) throw new IllegalArgumentException("need at least 2 feature vectors for a covariance, got " + n);
        int d = features[0].length;
        double[] mu = new double[d];
        for (double[] row : features) {
            if (row.length != d) throw new IllegalArgumentException("feature rows differ in width: " + d + " and " + row.length);
            for (int j = 0; j < d; j++) mu[j] += row[j];
        }
        for (int j = 0; j < d; j++) mu[j] /= n;
        double[][] cov = new double[d][d];
        double[] c = new double[d];
        for (double[] row : features) {
            for (int j = 0; j < d; j++) c[j] = row[j] - mu[j];
            for (int a = 0; a < d; a++) {
                double ca = c[a];
                double[] covA = cov[a];
                for (int b = a; b < d; b++) covA[b] += ca * c[b];
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                cov[a][b] /= (n - 1);
                cov[b][a] = cov[a][b];
            }
        }
        return new FeatureStats(mu, cov, n);
    }

    public int dimension() { return mean.length; }
}
