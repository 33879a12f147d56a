package org.diffusion4j.experiments.scenes;

/** Resizing of square grey images held row-major: area averaging to shrink, bilinear interpolation to grow. */
final class ImageResize {
    private ImageResize() { }

    /**
     * Area averaging from n x n to m x m (m &lt;= n): output pixel (i, j) is the mean of the input over the square
     * [i n/m, (i+1) n/m) x [j n/m, (j+1) n/m), input pixels counted by the fraction of them that square covers.
     */
    static double[] area(double[] src, int n, int m) {
        if (src.length != n * n) throw new IllegalArgumentException("image has " + src.length + " values, expected " + n + "x" + n);
        if (m < 1 || m > n) throw new IllegalArgumentException("area resize shrinks " + n + " to 1.." + n + ", asked for " + m);
        double scale = n / (double) m;
        double[][] w = new double[m][n];   // w[i][k]: share of input index k in output index i (same along both axes)
        for (int i = 0; i < m; i++) {
            double lo = i * scale, hi = (i + 1) * scale;
            for (int k = (int) Math.floor(lo); k < Math.min(n, (int) Math.ceil(hi)); k++) {
                w[i][k] = Math.max(0, Math.min(hi, k + 1) - Math.max(lo, k)) / scale;
            }
        }
        // separable: rows first (tmp = W src), then columns (out = tmp W^T)
        double[] tmp = new double[m * n];
        for (int y = 0; y < m; y++) {
            for (int ky = 0; ky < n; ky++) {
                if (w[y][ky] == 0) continue;
                for (int kx = 0; kx < n; kx++) tmp[y * n + kx] += w[y][ky] * src[ky * n + kx];
            }
        }
        double[] out = new double[m * m];
        for (int y = 0; y < m; y++) {
            for (int x = 0; x < m; x++) {
                double s = 0;
                for (int kx = 0; kx < n; kx++) if (w[x][kx] != 0) s += w[x][kx] * tmp[y * n + kx];
                out[y * m + x] = s;
            }
        }
        return out;
    }

    /**
     * Bilinear interpolation from n x n to m x m, pixel centres aligned (output centre (i + 0.5) m/n maps to input
     * coordinate (i + 0.5) n / m - 0.5), edges clamped.
     */
    static double[] bilinear(double[] src, int n, int m) {
        if (src.length != n * n) throw new IllegalArgumentException("image has " + src.length + " values, expected " + n + "x" + n);
        double[] out = new double[m * m];
        for (int y = 0; y < m; y++) {
            double fy = clamp((y + 0.5) * n / m - 0.5, n);
            int y0 = (int) Math.floor(fy), y1 = Math.min(n - 1, y0 + 1);
            double ty = fy - y0;
            for (int x = 0; x < m; x++) {
                double fx = clamp((x + 0.5) * n / m - 0.5, n);
                int x0 = (int) Math.floor(fx), x1 = Math.min(n - 1, x0 + 1);
                double tx = fx - x0;
                out[y * m + x] = (1 - ty) * ((1 - tx) * src[y0 * n + x0] + tx * src[y0 * n + x1])
                        + ty * ((1 - tx) * src[y1 * n + x0] + tx * src[y1 * n + x1]);
            }
        }
        return out;
    }

    private static double clamp(double v, int n) { return Math.max(0, Math.min(n - 1, v)); }
}
