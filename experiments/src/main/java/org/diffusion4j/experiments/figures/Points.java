package org.diffusion4j.experiments.figures;

import org.diffusion4j.tensor.Tensor;

/** The x and y columns of a [N, 2] tensor, for plotting. */
record Points(double[] x, double[] y) {
    static Points of(Tensor t) {
        if (t.rank() != 2 || t.shape(1) != 2) throw new IllegalArgumentException("expected points [N, 2], got "
                + java.util.Arrays.toString(t.shape()));
        double[] a = t.toDoubleArray();
        int n = a.length / 2;
        double[] x = new double[n], y = new double[n];
        for (int i = 0; i < n; i++) { x[i] = a[2 * i]; y[i] = a[2 * i + 1]; }
        return new Points(x, y);
    }
}
