package org.diffusion4j.diffusion.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Statistical checks that samples come from a Gaussian mixture: component weights, overall mean and overall
 * covariance, each within 5 standard errors of the sample size plus an allowance for a sampler's bias.
 */
public final class MixtureChecks {
    private MixtureChecks() { }

    /**
     * @param bias an absolute allowance added to every tolerance (0 for exact samples; a sampler's
     *             discretisation error otherwise)
     */
    public static void assertMatches(GaussianMixture g, double[] xs, double bias) {
        int d = g.dimension(), n = xs.length / d;
        // weights: each component's share of nearest-component assignments; the binomial standard error
        // sqrt(w (1 - w) / n) bounds the noise (assignment across overlapping components adds to the bias)
        int[] comp = g.assignComponents(xs);
        int[] counts = new int[g.components()];
        for (int c : comp) counts[c]++;
        double[] exactAssigned = expectedAssignmentShares(g);
        for (int k = 0; k < g.components(); k++) {
            double w = exactAssigned[k];
            double tol = 5 * Math.sqrt(w * (1 - w) / n) + bias;
            assertEquals(w, (double) counts[k] / n, tol, g.name() + ": weight of component " + k);
        }
        double[] mu = g.overallMean();
        double[][] cov = g.overallCovariance();
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) for (int j = 0; j < d; j++) mean[j] += xs[i * d + j];
        for (int j = 0; j < d; j++) mean[j] /= n;
        double[][] c = new double[d][d];
        for (int i = 0; i < n; i++) for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) {
            c[a][b] += (xs[i * d + a] - mean[a]) * (xs[i * d + b] - mean[b]);
        }
        for (int a = 0; a < d; a++) {
            double tol = 5 * Math.sqrt(cov[a][a] / n) + bias * Math.sqrt(cov[a][a]);
            assertEquals(mu[a], mean[a], tol, g.name() + ": mean of dimension " + a);
        }
        for (int a = 0; a < d; a++) for (int b = 0; b < d; b++) {
            c[a][b] /= n - 1;
            // standard error of a sample covariance entry for a Gaussian: sqrt((S_aa S_bb + S_ab^2) / n); mixtures
            // have heavier tails, so allow twice that
            double se = Math.sqrt((cov[a][a] * cov[b][b] + cov[a][b] * cov[a][b]) / n);
            double tol = 10 * se + bias * Math.sqrt(cov[a][a] * cov[b][b]);
            assertEquals(cov[a][b], c[a][b], tol, g.name() + ": covariance (" + a + "," + b + ")");
        }
    }

    /**
     * The share of exact samples that nearest-component assignment gives each component (equal to the weights when
     * components do not overlap), estimated from 200,000 exact draws so its own error is negligible.
     */
    private static double[] expectedAssignmentShares(GaussianMixture g) {
        int n = 200_000;
        double[] xs = g.sample(org.diffusion4j.tensor.Backends.cpu(), org.diffusion4j.tensor.DType.F64, n, 123456789L, 0)
                .toDoubleArray();
        int[] comp = g.assignComponents(xs);
        double[] share = new double[g.components()];
        for (int c : comp) share[c] += 1.0 / n;
        return share;
    }
}
