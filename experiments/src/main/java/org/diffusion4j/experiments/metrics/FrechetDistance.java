package org.diffusion4j.experiments.metrics;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * Frechet distance between two Gaussians (Dowson &amp; Landau 1982; used as FID by Heusel et al. 2017):
 *
 * <pre>
 *   FD = |mu1 - mu2|^2 + Tr(S1) + Tr(S2) - 2 Tr( (S1^1/2 S2 S1^1/2)^1/2 )
 * </pre>
 *
 * The cross term is computed through two symmetric eigendecompositions (EJML), which keeps every matrix
 * symmetric and avoids the complex square roots of the non-symmetric product S1 S2 that scipy's
 * {@code sqrtm} route runs into.
 *
 * <p><b>Near-singular covariances.</b> Feature covariances estimated from fewer samples than dimensions are
 * singular, and round-off can make tiny eigenvalues negative. Eigenvalues below zero are clamped to zero
 * before each square root (the matrices are positive semi-definite in exact arithmetic, so this only removes
 * round-off); {@link #clampedEigenvalues()} of the last call reports how many were clamped. No diagonal
 * offset is added, so the result for identical inputs is 0 up to round-off.
 */
public final class FrechetDistance {
    private int clamped;

    /** FD between the Gaussian fits of two feature sets. */
    public double between(double[][] a, double[][] b) { return between(FeatureStats.of(a), FeatureStats.of(b)); }

    public double between(FeatureStats a, FeatureStats b) {
        return between(a.mean(), a.covariance(), b.mean(), b.covariance());
    }

    /** FD between N(mu1, s1) and N(mu2, s2). */
    public double between(double[] mu1, double[][] s1, double[] mu2, double[][] s2) {
        int d = mu1.length;
        if (mu2.length != d || s1.length != d || s2.length != d) {
            throw new IllegalArgumentException("Frechet distance: dimensions differ (mean " + d + " vs " + mu2.length
                    + ", covariances " + s1.length + " and " + s2.length + ")");
        }
        clamped = 0;
        double meanTerm = 0;
        for (int i = 0; i < d; i++) meanTerm += (mu1[i] - mu2[i]) * (mu1[i] - mu2[i]);
        DMatrixRMaj m1 = new DMatrixRMaj(s1), m2 = new DMatrixRMaj(s2);
        DMatrixRMaj root1 = symmetricSqrt(m1);
        DMatrixRMaj tmp = new DMatrixRMaj(d, d), inner = new DMatrixRMaj(d, d);
        CommonOps_DDRM.mult(root1, m2, tmp);
        CommonOps_DDRM.mult(tmp, root1, inner);
        symmetrise(inner);
        double traceSqrt = 0;
        for (double ev : symmetricEigenvalues(inner)) traceSqrt += Math.sqrt(ev);
        return meanTerm + CommonOps_DDRM.trace(m1) + CommonOps_DDRM.trace(m2) - 2 * traceSqrt;
    }

    /** Number of negative eigenvalues clamped to zero in the last computation. */
    public int clampedEigenvalues() { return clamped; }

    private DMatrixRMaj symmetricSqrt(DMatrixRMaj m) {
        int d = m.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, true, true);
        if (!eig.decompose(m.copy())) throw new ArithmeticException("eigendecomposition of a " + d + "x" + d + " covariance failed");
        DMatrixRMaj out = new DMatrixRMaj(d, d);
        double floor = roundOffFloor(eig, d);
        for (int k = 0; k < d; k++) {
            double root = Math.sqrt(clamp(eig.getEigenvalue(k).getReal(), floor));
            DMatrixRMaj v = eig.getEigenVector(k);
            for (int i = 0; i < d; i++) {
                double vi = v.get(i) * root;
                for (int j = 0; j < d; j++) out.add(i, j, vi * v.get(j));
            }
        }
        return out;
    }

    private double[] symmetricEigenvalues(DMatrixRMaj m) {
        int d = m.numRows;
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, false, true);
        if (!eig.decompose(m.copy())) throw new ArithmeticException("eigendecomposition of a " + d + "x" + d + " matrix failed");
        double[] ev = new double[d];
        double floor = roundOffFloor(eig, d);
        for (int k = 0; k < d; k++) ev[k] = clamp(eig.getEigenvalue(k).getReal(), floor);
        return ev;
    }

    /** The round-off level of a symmetric eigendecomposition: largest |eigenvalue| * d * machine epsilon. */
    private static double roundOffFloor(EigenDecomposition_F64<DMatrixRMaj> eig, int d) {
        double max = 0;
        for (int k = 0; k < d; k++) max = Math.max(max, Math.abs(eig.getEigenvalue(k).getReal()));
        return max * d * Math.ulp(1.0);
    }

    private double clamp(double ev, double floor) {
        if (ev < floor) { clamped++; return 0; }
        return ev;
    }

    private static void symmetrise(DMatrixRMaj m) {
        for (int i = 0; i < m.numRows; i++) {
            for (int j = i + 1; j < m.numCols; j++) {
                double avg = 0.5 * (m.get(i, j) + m.get(j, i));
                m.set(i, j, avg);
                m.set(j, i, avg);
            }
        }
    }
}
