package org.diffusion4j.kernels;

import org.diffusion4j.tensor.Shapes;

import java.util.Arrays;

/**
 * The shape and strides that an elementwise kernel walks, after dropping axes of extent 1 and merging
 * neighbouring axes that are contiguous in every operand (so a contiguous tensor becomes one axis and the
 * kernel does one division per axis that really is strided). At most 8 axes remain (int8 arguments).
 */
record StridedLayout(int rank, int[] shape, int[][] strides) {
    static final int MAX_RANK = 8;

    /** Collapses the common shape for operands with the given strides (all of the same rank). */
    static StridedLayout of(String op, int[] shape, int[]... operandStrides) {
        int ops = operandStrides.length;
        int[] s = new int[shape.length];
        int[][] st = new int[ops][shape.length];
        int r = 0;
        for (int d = 0; d < shape.length; d++) {
            if (shape[d] == 1) continue;
            if (r > 0) {
                boolean merge = true;
                for (int o = 0; o < ops; o++) {
                    if (st[o][r - 1] != operandStrides[o][d] * shape[d]) { merge = false; break; }
                }
                if (merge) {
                    s[r - 1] *= shape[d];
                    for (int o = 0; o < ops; o++) st[o][r - 1] = operandStrides[o][d];
                    continue;
                }
            }
            s[r] = shape[d];
            for (int o = 0; o < ops; o++) st[o][r] = operandStrides[o][d];
            r++;
        }
        if (r == 0) {
            return new StridedLayout(1, new int[]{1}, new int[ops][1]);
        }
        if (r > MAX_RANK) {
            throw new UnsupportedOperationException("opencl " + op + ": shape " + Shapes.str(shape) + " still has " + r
                    + " strided axes after merging contiguous ones; the kernels take at most " + MAX_RANK);
        }
        int[][] out = new int[ops][];
        for (int o = 0; o < ops; o++) out[o] = Arrays.copyOf(st[o], r);
        return new StridedLayout(r, Arrays.copyOf(s, r), out);
    }

    /** True when every operand is one contiguous run (the fast path). */
    boolean contiguous() {
        if (rank != 1) return false;
        for (int[] st : strides) if (st[0] != 1 && shape[0] != 1) return false;
        return true;
    }
}
