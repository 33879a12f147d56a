package org.diffusion4j.experiments.metrics;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FrechetDistanceTest {

    @Test
    void identicalSetsGiveZero() {
        double[][] f = randomRows(new Random(1), 300, 17);
        assertEquals(0.0, new FrechetDistance().between(f, f), 1e-6);
    }

    @Test
    void diagonalGaussiansMatchClosedForm() {
        // For diagonal covariances FD = |mu1 - mu2|^2 + sum_i (sqrt(a_i) - sqrt(b_i))^2.
        double[] mu1 = {0.5, -1, 2}, mu2 = {1, 0, 2.5};
        double[] a = {1, 4, 0.25}, b = {9, 1, 0.04};
        double expected = 0.25 + 1 + 0.25;
        for (int i = 0; i < 3; i++) expected += Math.pow(Math.sqrt(a[i]) - Math.sqrt(b[i]), 2);
        double fd = new FrechetDistance().between(mu1, diag(a), mu2, diag(b));
        assertEquals(expected, fd, 1e-10);
    }

    @Test
    void nonCommutingFullCovariancesMatchEigenvaluesOfTheProduct() {
        // Independent route: Tr((S1^1/2 S2 S1^1/2)^1/2) = sum_i sqrt(lambda_i(S1 S2)), the eigenvalues of the
        // (non-symmetric) product being real and non-negative for SPD S1, S2.
        double[][] s1 = {{2.0, 0.6, -0.3}, {0.6, 1.5, 0.4}, {-0.3, 0.4, 1.0}};
        double[][] s2 = {{1.0, -0.5, 0.2}, {-0.5, 3.0, 0.7}, {0.2, 0.7, 0.8}};
        double[] mu1 = {0.1, 0.2, 0.3}, mu2 = {-0.4, 0.0, 1.3};
        DMatrixRMaj prod = new DMatrixRMaj(3, 3);
        CommonOps_DDRM.mult(new DMatrixRMaj(s1), new DMatrixRMaj(s2), prod);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(3, false, false);
        eig.decompose(prod);
        double traceSqrt = 0;
        for (int i = 0; i < 3; i++) {
            assertEquals(0.0, eig.getEigenvalue(i).getImaginary(), 1e-12);
            traceSqrt += Math.sqrt(eig.getEigenvalue(i).getReal());
        }
        double expected = 0.25 + 0.04 + 1.0 + (2.0 + 1.5 + 1.0) + (1.0 + 3.0 + 0.8) - 2 * traceSqrt;
        assertEquals(expected, new FrechetDistance().between(mu1, s1, mu2, s2), 1e-10);
    }

    @Test
    void sampleEstimateApproachesThePopulationValue() {
        // Two 2D Gaussians; with n = 20000 the plug-in estimate's error is O(d / sqrt(n)) ~ 0.03 here.
        Random r = new Random(7);
        int n = 20000;
        double[][] x = new double[n][2], y = new double[n][2];
        for (int i = 0; i < n; i++) {
            x[i][0] = r.nextGaussian();
            x[i][1] = 2 * r.nextGaussian();
            y[i][0] = 1 + 3 * r.nextGaussian();
            y[i][1] = r.nextGaussian();
        }
        double expected = 1 + Math.pow(1 - 3, 2) + Math.pow(2 - 1, 2);
        assertEquals(expected, new FrechetDistance().between(x, y), 0.1);
    }

    @Test
    void singularCovarianceIsHandled() {
        // 5 samples in 17 dimensions: rank-4 covariances; identical sets must still give ~0.
        double[][] f = randomRows(new Random(3), 5, 17);
        FrechetDistance fd = new FrechetDistance();
        assertEquals(0.0, fd.between(f, f), 1e-6);
    }

    @Test
    void mismatchedDimensionsAreRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> new FrechetDistance().between(
                new double[2], diag(new double[]{1, 1}), new double[3], diag(new double[]{1, 1, 1})));
        assertEquals(true, e.getMessage().contains("dimensions differ"));
    }

    static double[][] diag(double[] v) {
        double[][] m = new double[v.length][v.length];
        for (int i = 0; i < v.length; i++) m[i][i] = v[i];
        return m;
    }

    static double[][] randomRows(Random r, int n, int d) {
        double[][] f = new double[n][d];
        for (double[] row : f) for (int j = 0; j < d; j++) row[j] = r.nextGaussian() * (1 + j % 3);
        return f;
    }
}
