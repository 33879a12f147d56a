package org.diffusion4j.diffusion.model;

import java.util.Arrays;

/**
 * A small symmetric positive-definite matrix in float64 on the host, with its Cholesky factor: enough linear
 * algebra for the analytic models (inverse, log-determinant, L z for sampling).
 */
final class SymmetricMatrix {
    private final int n;
    private final double[][] a;
    private final double[][] lower;   // Cholesky factor, a = L L^T

    SymmetricMatrix(double[][] a) {
        this.n = a.length;
        for (double[] row : a) if (row.length != n) throw new IllegalArgumentException("covariance must be square, got a row of length "
                + row.length + " in a " + n + "-row matrix");
        for (int i = 0; i < n; i++) for (int j = 0; j < i; j++) {
            if (Math.abs(a[i][j] - a[j][i]) > 1e-12 * (1 + Math.abs(a[i][j]))) throw new IllegalArgumentException(
                    "covariance must be symmetric: entry (" + i + "," + j + ") = " + a[i][j] + " but (" + j + "," + i + ") = " + a[j][i]);
        }
        this.a = new double[n][];
        for (int i = 0; i < n; i++) this.a[i] = a[i].clone();
        this.lower = cholesky(this.a);
    }

    static SymmetricMatrix isotropic(int n, double variance) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) m[i][i] = variance;
        return new SymmetricMatrix(m);
    }

    int size() { return n; }

    double get(int i, int j) { return a[i][j]; }

    double[][] toArray() {
        double[][] c = new double[n][];
        for (int i = 0; i < n; i++) c[i] = a[i].clone();
        return c;
    }

    /** c^2 this + d I. */
    SymmetricMatrix scaledPlusIdentity(double c2, double d) {
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) m[i][j] = c2 * a[i][j];
            m[i][i] += d;
        }
        return new SymmetricMatrix(m);
    }

    /** log det = 2 sum log L_ii. */
    double logDeterminant() {
        double s = 0;
        for (int i = 0; i < n; i++) s += Math.log(lower[i][i]);
        return 2 * s;
    }

    /** The inverse, from the Cholesky factor, as a row-major array. */
    double[] inverseRowMajor() {
        double[] inv = new double[n * n];
        double[] e = new double[n];
        for (int col = 0; col < n; col++) {
            Arrays.fill(e, 0);
            e[col] = 1;
            double[] x = solve(e);
            for (int row = 0; row < n; row++) inv[row * n + col] = x[row];
        }
        return inv;
    }

    /** Solves this x = b. */
    double[] solve(double[] b) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= lower[i][k] * y[k];
            y[i] = s / lower[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = y[i];
            for (int k = i + 1; k < n; k++) s -= lower[k][i] * x[k];
            x[i] = s / lower[i][i];
        }
        return x;
    }

    /** L z: turns a standard-normal vector into one with this covariance. */
    double[] lowerTimes(double[] z) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int k = 0; k <= i; k++) s += lower[i][k] * z[k];
            r[i] = s;
        }
        return r;
    }

    private static double[][] cholesky(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
                if (i == j) {
                    if (!(s > 0)) throw new IllegalArgumentException("covariance is not positive definite (pivot " + i + " is " + s + ")");
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return l;
    }
}
