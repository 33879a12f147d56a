package org.diffusion4j.experiments.course;

/**
 * The eigendecomposition S = Q diag(lambda) Q^T of a small symmetric matrix by cyclic Jacobi rotations (Golub &amp;
 * Van Loan, "Matrix Computations", Sec. 8.5): exact to rounding for the 2x2 and 3x3 covariances of the course.
 */
final class SymmetricEigen {
    private final double[] values;
    private final double[][] vectors;   // columns are eigenvectors

    private SymmetricEigen(double[] values, double[][] vectors) {
        this.values = values;
        this.vectors = vectors;
    }

    static SymmetricEigen of(double[][] s) {
        int n = s.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            if (s[i].length != n) throw new IllegalArgumentException("matrix is not square: row " + i + " has " + s[i].length
                    + " entries, expected " + n);
            a[i] = s[i].clone();
        }
        double[][] q = new double[n][n];
        for (int i = 0; i < n; i++) q[i][i] = 1;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int i = 0; i < n; i++) for (int j = i + 1; j < n; j++) off += a[i][j] * a[i][j];
            if (off < 1e-30) break;
            for (int p = 0; p < n; p++) for (int r = p + 1; r < n; r++) {
                if (a[p][r] == 0) continue;
                // the rotation that zeroes a[p][r]: tan(2 theta) = 2 a_pr / (a_rr - a_pp)
                double theta = 0.5 * Math.atan2(2 * a[p][r], a[r][r] - a[p][p]);
                double c = Math.cos(theta), sn = Math.sin(theta);
                for (int k = 0; k < n; k++) {   // A <- A J
                    double akp = a[k][p], akr = a[k][r];
                    a[k][p] = c * akp - sn * akr;
                    a[k][r] = sn * akp + c * akr;
                }
                for (int k = 0; k < n; k++) {   // A <- J^T A
                    double apk = a[p][k], ark = a[r][k];
                    a[p][k] = c * apk - sn * ark;
                    a[r][k] = sn * apk + c * ark;
                }
                for (int k = 0; k < n; k++) {   // Q <- Q J
                    double qkp = q[k][p], qkr = q[k][r];
                    q[k][p] = c * qkp - sn * qkr;
                    q[k][r] = sn * qkp + c * qkr;
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) values[i] = a[i][i];
        return new SymmetricEigen(values, q);
    }

    double value(int i) { return values[i]; }

    /** Q^T u: the coordinates of u in the eigenbasis. */
    double[] rotateIn(double[] u) {
        int n = values.length;
        double[] c = new double[n];
        for (int j = 0; j < n; j++) for (int i = 0; i < n; i++) c[j] += vectors[i][j] * u[i];
        return c;
    }

    /** Q c: back from eigenbasis coordinates. */
    double[] rotateOut(double[] c) {
        int n = values.length;
        double[] u = new double[n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) u[i] += vectors[i][j] * c[j];
        return u;
    }
}
