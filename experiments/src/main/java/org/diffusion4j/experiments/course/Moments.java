package org.diffusion4j.experiments.course;

/** The mean and covariance of points in D dimensions, and the weak-error distance between two such pairs. */
record Moments(double[] mean, double[][] covariance) {

    /** Sample mean and (1/n) covariance of n points stored row-major [n, d]. */
    static Moments of(double[] points, int d) {
        int n = points.length / d;
        double[] mu = new double[d];
        for (int s = 0; s < n; s++) for (int i = 0; i < d; i++) mu[i] += points[s * d + i];
        for (int i = 0; i < d; i++) mu[i] /= n;
        double[][] c = new double[d][d];
        for (int s = 0; s < n; s++) for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) {
            c[i][j] += (points[s * d + i] - mu[i]) * (points[s * d + j] - mu[j]);
        }
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) c[i][j] /= n;
        return new Moments(mu, c);
    }

    /** |mean - other.mean| + ||cov - other.cov||_F. */
    double distance(Moments other) {
        double m = 0, c = 0;
        for (int i = 0; i < mean.length; i++) {
            m += (mean[i] - other.mean[i]) * (mean[i] - other.mean[i]);
            for (int j = 0; j < mean.length; j++) {
                double e = covariance[i][j] - other.covariance[i][j];
                c += e * e;
            }
        }
        return Math.sqrt(m) + Math.sqrt(c);
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length, k = b.length, m = b[0].length;
        double[][] r = new double[n][m];
        for (int i = 0; i < n; i++) for (int j = 0; j < m; j++) for (int l = 0; l < k; l++) r[i][j] += a[i][l] * b[l][j];
        return r;
    }

    /** The inverse of a small symmetric positive-definite matrix, by Gauss-Jordan elimination with partial pivoting. */
    static double[][] inverse(double[][] a) {
        int n = a.length;
        double[][] w = new double[n][2 * n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(a[i], 0, w[i], 0, n);
            w[i][n + i] = 1;
        }
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) if (Math.abs(w[r][col]) > Math.abs(w[pivot][col])) pivot = r;
            double[] t = w[col]; w[col] = w[pivot]; w[pivot] = t;
            double p = w[col][col];
            if (p == 0) throw new IllegalArgumentException("matrix is singular");
            for (int j = 0; j < 2 * n; j++) w[col][j] /= p;
            for (int r = 0; r < n; r++) {
                if (r == col) continue;
                double f = w[r][col];
                for (int j = 0; j < 2 * n; j++) w[r][j] -= f * w[col][j];
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(w[i], n, inv[i], 0, n);
        return inv;
    }
}
