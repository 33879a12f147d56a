package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.BinaryOp;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;

/** indexSelect and its gradient indexAdd, as copies and additions of slices along one axis. */
final class CpuIndexing {
    private CpuIndexing() { }

    /** The slice of v at position i along axis (extent 1 kept). */
    private static View slice(View v, int axis, int i) {
        int[] s = v.shape().clone();
        s[axis] = 1;
        return new View(v.storage(), s, v.strides(), v.offset() + i * v.strides()[axis]);
    }

    private static void check(String op, View small, View big, int axis, int[] indices) {
        int[] a = small.shape(), b = big.shape();
        boolean ok = a.length == b.length && axis >= 0 && axis < a.length && a[axis] == indices.length;
        for (int i = 0; ok && i < a.length; i++) ok = i == axis || a[i] == b[i];
        if (!ok) throw new IllegalArgumentException("cpu " + op + ": shapes " + Shapes.str(small.shape()) + " and "
                + Shapes.str(big.shape()) + " do not fit " + indices.length + " indices along axis " + axis);
        for (int i : indices) if (i < 0 || i >= b[axis]) throw new IndexOutOfBoundsException("cpu " + op + ": index " + i
                + " is outside axis " + axis + " of extent " + b[axis]);
    }

    static void indexSelect(View x, int axis, int[] indices, View out) {
        check("indexSelect", out, x, axis, indices);
        for (int i = 0; i < indices.length; i++) Elementwise.copy(slice(x, axis, indices[i]), slice(out, axis, i));
    }

    /** out = 0, then out[..., indices[i], ...] += src[..., i, ...] for i = 0, 1, ... in order. */
    static void indexAdd(View src, int axis, int[] indices, View out) {
        check("indexAdd", src, out, axis, indices);
        Elementwise.fill(out, 0.0);
        for (int i = 0; i < indices.length; i++) {
            View target = slice(out, axis, indices[i]);
            Elementwise.binary(BinaryOp.ADD, target, slice(src, axis, i), target);
        }
    }
}
