package org.diffusion4j.tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Independent float64 references for the tensor tests: random data, plain multi-index loops, and
 * comparisons with a tolerance stated per dtype. Nothing here calls the backend under test except to
 * create inputs and read results.
 */
final class Reference {
    private Reference() { }

    static final Backend CPU = Backends.cpu();

    /** Relative-plus-absolute tolerance for results computed in one step (elementwise maps, single sums). */
    static double tol(DType t) { return t == DType.F32 ? 2e-6 : 1e-13; }

    /** Tolerance for long accumulations (matmul, conv, attention), per dtype. */
    static double accTol(DType t) { return t == DType.F32 ? 2e-5 : 1e-12; }

    static double[] randomData(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] d = new double[n];
        for (int i = 0; i < n; i++) d[i] = lo + (hi - lo) * r.nextDouble();
        return d;
    }

    /** A random tensor, values uniform in [-1, 1) rounded to the dtype; its exact values are in .values(). */
    static Tensor random(DType t, long seed, int... shape) {
        return Tensor.of(CPU, t, randomData(seed, (int) Shapes.numel(shape), -1, 1), shape);
    }

    static Tensor random(DType t, long seed, double lo, double hi, int... shape) {
        return Tensor.of(CPU, t, randomData(seed, (int) Shapes.numel(shape), lo, hi), shape);
    }

    /** A dense row-major double array with a shape, the reference side of every comparison. */
    record Nd(double[] data, int[] shape) {
        static Nd of(Tensor t) { return new Nd(t.toDoubleArray(), t.shape()); }

        static Nd zeros(int... shape) { return new Nd(new double[(int) Shapes.numel(shape)], shape.clone()); }

        int index(int... idx) {
            int flat = 0;
            for (int a = 0; a < shape.length; a++) flat = flat * shape[a] + idx[a];
            return flat;
        }

        double get(int... idx) { return data[index(idx)]; }

        void set(double v, int... idx) { data[index(idx)] = v; }

        int numel() { return data.length; }

        /** The multi-index of flat position i. */
        int[] unravel(int i) {
            int[] idx = new int[shape.length];
            for (int a = shape.length - 1; a >= 0; a--) { idx[a] = i % shape[a]; i /= shape[a]; }
            return idx;
        }

        /** NumPy-style broadcast read: idx indexes a tensor of (possibly larger) rank. */
        double getBroadcast(int[] idx) {
            int lead = idx.length - shape.length, flat = 0;
            for (int a = 0; a < shape.length; a++) flat = flat * shape[a] + (shape[a] == 1 ? 0 : idx[a + lead]);
            return data[flat];
        }
    }

    /** Reads element idx of a tensor by its own shape, strides and offset, through a contiguous host copy. */
    static void assertClose(String what, double[] expected, Tensor actual, double tol) {
        assertClose(what, expected, actual.toDoubleArray(), tol);
    }

    static void assertClose(String what, double[] expected, double[] actual, double tol) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.isNaN(e) && Double.isNaN(a)) continue;
            if (e == a) continue;
            double err = Math.abs(e - a);
            if (!(err <= tol * (1 + Math.abs(e))))
                fail(what + ": element " + i + " expected " + e + " got " + a + " (error " + err + ", tolerance " + tol + " relative+absolute)");
        }
    }

    static void assertShape(int[] expected, Tensor t) {
        if (!Arrays.equals(expected, t.shape())) fail("shape: expected " + Arrays.toString(expected) + " got " + Arrays.toString(t.shape()));
    }

    /** Rounds a reference value to the dtype, as the backend stores it. */
    static double round(DType t, double v) { return t == DType.F32 ? (float) v : v; }
}
