package org.diffusion4j.tensor;

import java.util.Arrays;

/** Shape arithmetic: element counts, row-major strides and NumPy broadcasting. */
public final class Shapes {
    private Shapes() { }

    public static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    /** Row-major (C-order) strides for a shape. */
    public static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        long acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = (int) acc;
            acc *= Math.max(shape[i], 1);
        }
        if (acc > Integer.MAX_VALUE) throw new IllegalArgumentException("tensor of shape " + Arrays.toString(shape)
                + " has " + acc + " elements; at most " + Integer.MAX_VALUE + " are supported");
        return s;
    }

    /** True when (shape, strides) is row-major contiguous; axes of extent 1 may carry any stride. */
    public static boolean isContiguous(int[] shape, int[] strides) {
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] == 1) continue;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    /**
     * The NumPy broadcast of two shapes: aligned from the right, each pair of extents must be equal or
     * one of them 1.
     */
    public static int[] broadcast(String op, int[] a, int[] b) {
        int rank = Math.max(a.length, b.length);
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.length ? 1 : a[i - (rank - a.length)];
            int db = i < rank - b.length ? 1 : b[i - (rank - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException(op + ": shapes " + Arrays.toString(a) + " and " + Arrays.toString(b)
                        + " cannot be broadcast: axis " + i + " of the result has extents " + da + " and " + db
                        + " (broadcasting needs equal extents or one of them 1)");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** Normalises a possibly negative axis against a rank, with an error naming the op. */
    public static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new IllegalArgumentException(op + ": axis " + axis + " is out of range for a tensor of rank " + rank);
        return a;
    }

    public static String str(int[] shape) { return Arrays.toString(shape); }
}
