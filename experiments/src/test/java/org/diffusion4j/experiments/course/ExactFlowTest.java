package org.diffusion4j.experiments.course;

import org.diffusion4j.diffusion.model.AnalyticModels;
import org.diffusion4j.diffusion.model.GaussianMixture;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The references of the convergence study, checked against each other and against their defining properties. */
class ExactFlowTest {
    private static final GaussianMixture GAUSSIAN = AnalyticModels.gaussian2d();

    @Test void jacobiEigenReconstructsTheMatrix() {
        double[][] s = {{2.0, 0.3, -0.4}, {0.3, 1.0, 0.2}, {-0.4, 0.2, 0.5}};
        SymmetricEigen e = SymmetricEigen.of(s);
        for (int j = 0; j < 3; j++) {   // S q_j = lambda_j q_j for each column q_j = Q e_j
            double[] unit = new double[3];
            unit[j] = 1;
            double[] q = e.rotateOut(unit);
            for (int i = 0; i < 3; i++) {
                double sq = 0;
                for (int k = 0; k < 3; k++) sq += s[i][k] * q[k];
                assertEquals(e.value(j) * q[i], sq, 1e-12);
            }
        }
        assertEquals(2.0 + 1.0 + 0.5, e.value(0) + e.value(1) + e.value(2), 1e-12);
    }

    @Test void closedFormGaussianFlowAgreesWithTightRk45() {
        Tensor y = Tensor.randn(Backends.cpu(), DType.F64, 3, 0, 5, 2).mul(20);
        Tensor exact = ExactFlow.gaussian(GAUSSIAN).flow(y, 20, 0.01);
        Tensor rk = ExactFlow.rk45(GAUSSIAN, 1e-11).flow(y, 20, 0.01);
        double[] a = exact.toDoubleArray(), b = rk.toDoubleArray();
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-8, "coordinate " + i);
    }

    @Test void closedFormFlowComposesAndEndsOnTheDataCovariance() {
        ExactFlow f = ExactFlow.gaussian(GAUSSIAN);
        Tensor y = Tensor.randn(Backends.cpu(), DType.F64, 4, 0, 7, 2).mul(5);
        double[] direct = f.flow(y, 5, 0.1).toDoubleArray(), twoHops = f.flow(f.flow(y, 5, 1.3), 1.3, 0.1).toDoubleArray();
        for (int i = 0; i < direct.length; i++) assertEquals(direct[i], twoHops[i], 1e-12);
        // pushed from a wide prior, N(mu, S + sigma^2 I) maps onto N(mu, S + sigma_end^2 I): check the variance of many draws
        int n = 40_000;
        double s0 = 30, s1 = 0.05;
        Tensor x = GAUSSIAN.sample(Backends.cpu(), DType.F64, n, 5, 0);
        Tensor start = Tensor.linearCombination(1, x, s0, Tensor.randn(Backends.cpu(), DType.F64, 6, 0, n, 2), 0, null);
        Moments m = Moments.of(f.flow(start, s0, s1).toDoubleArray(), 2);
        double[][] cov = GAUSSIAN.covariance(0);
        double tol = 4 * Math.sqrt(2.0 / n) * 1.5;   // four standard errors of a variance near 1.5
        assertEquals(cov[0][0] + s1 * s1, m.covariance()[0][0], tol);
        assertEquals(cov[0][1], m.covariance()[0][1], tol);
        assertEquals(cov[1][1] + s1 * s1, m.covariance()[1][1], tol);
    }

    @Test void refusesTheSingularStepToZero() {
        Tensor y = Tensor.zeros(Backends.cpu(), DType.F64, 1, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ExactFlow.gaussian(GAUSSIAN).flow(y, 1, 0));
        assertTrue(e.getMessage().contains("sigma = 0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ExactFlow.gaussian(AnalyticModels.eightGaussians()));
    }
}
