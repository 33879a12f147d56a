package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.ReduceOp;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;

/**
 * Reductions, argmax and softmax. Every sum runs sequentially in row-major order of the reduced elements
 * and accumulates in double (also for F32), so results are reproducible and accurate; output elements
 * are independent and computed in parallel.
 */
final class Reductions {
    private Reductions() { }

    /**
     * Splits x's axes into kept ones (out has x's extent) and reduced ones (out has extent 1). The reduced
     * axes form a view of their own, walked from each output element's base offset.
     */
    private record Split(View reduced, int[] keptShape, int[] keptXStrides, int[] keptOutStrides) {
        int outputs() { return (int) Shapes.numel(keptShape); }

        /** Offsets of output element o (in row-major order of the kept axes) in x (slot 0) and out (slot 1). */
        void offsets(int o, int xBase, int outBase, int[] result) {
            int xo = xBase, oo = outBase;
            for (int a = keptShape.length - 1; a >= 0; a--) {
                int i = o % keptShape[a];
                o /= keptShape[a];
                xo += i * keptXStrides[a];
                oo += i * keptOutStrides[a];
            }
            result[0] = xo;
            result[1] = oo;
        }
    }

    private static Split split(String op, View x, View out) {
        int rank = x.rank();
        if (out.rank() != rank) throw new IllegalArgumentException("cpu " + op + ": output " + Shapes.str(out.shape())
                + " must have the input's rank (keepdim form), input is " + Shapes.str(x.shape()));
        int nk = 0, nr = 0;
        for (int a = 0; a < rank; a++) {
            if (out.shape()[a] == x.shape()[a]) nk++;
            else if (out.shape()[a] == 1) nr++;
            else throw new IllegalArgumentException("cpu " + op + ": output " + Shapes.str(out.shape())
                    + " does not fit input " + Shapes.str(x.shape()) + " on axis " + a + " (expected " + x.shape()[a] + " or 1)");
        }
        int[] ks = new int[nk], kxs = new int[nk], kos = new int[nk], rs = new int[nr], rst = new int[nr];
        for (int a = 0, i = 0, j = 0; a < rank; a++) {
            if (out.shape()[a] == x.shape()[a]) { ks[i] = x.shape()[a]; kxs[i] = x.strides()[a]; kos[i++] = out.strides()[a]; }
            else { rs[j] = x.shape()[a]; rst[j++] = x.strides()[a]; }
        }
        return new Split(new View(x.storage(), rs, rst, 0), ks, kxs, kos);
    }

    static void reduce(ReduceOp op, View x, View out) {
        Split s = split(op.name().toLowerCase(), x, out);
        CpuStorage xs = CpuStorage.of(x), os = CpuStorage.of(out);
        int count = (int) s.reduced().numel();
        StridedLayout walk = StridedLayout.of("reduce", s.reduced());
        Parallel.forRange(s.outputs(), count, (o0, o1) -> {
            double[] buf = new double[Math.min(count, Elementwise.BLOCK)];
            int[] offs = new int[2];
            for (int o = o0; o < o1; o++) {
                s.offsets(o, x.offset(), out.offset(), offs);
                double acc = switch (op) {
                    case SUM, MEAN -> 0.0;
                    case MAX -> Double.NEGATIVE_INFINITY;
                    case MIN -> Double.POSITIVE_INFINITY;
                };
                for (int start = 0; start < count; start += buf.length) {
                    int len = Math.min(buf.length, count - start);
                    walk.gather(0, xs, offs[0], start, len, buf);
                    switch (op) {
                        case SUM, MEAN -> { for (int j = 0; j < len; j++) acc += buf[j]; }
                        case MAX -> { for (int j = 0; j < len; j++) acc = Math.max(acc, buf[j]); }
                        case MIN -> { for (int j = 0; j < len; j++) acc = Math.min(acc, buf[j]); }
                    }
                }
                if (op == ReduceOp.MEAN) acc /= count;
                store(os, offs[1], acc);
            }
        });
    }

    /** Index of the first maximum along axis (a NaN counts as the maximum, as in NumPy). */
    static void argmax(View x, int axis, View out) {
        int[] os = x.shape().clone();
        os[axis] = 1;
        if (!java.util.Arrays.equals(os, out.shape())) throw new IllegalArgumentException("cpu argmax: output "
                + Shapes.str(out.shape()) + " must be " + Shapes.str(os) + " for input " + Shapes.str(x.shape()));
        View lines = new View(x.storage(), x.shape(), x.strides(), x.offset());
        Split s = split("argmax", lines, out);
        CpuStorage xs = CpuStorage.of(x), outS = CpuStorage.of(out);
        int len = x.shape()[axis], stride = x.strides()[axis];
        Parallel.forRange(s.outputs(), len, (o0, o1) -> {
            int[] offs = new int[2];
            for (int o = o0; o < o1; o++) {
                s.offsets(o, x.offset(), out.offset(), offs);
                int best = 0;
                double bv = load(xs, offs[0]);
                for (int i = 1; i < len && !Double.isNaN(bv); i++) {
                    double v = load(xs, offs[0] + i * stride);
                    if (v > bv || Double.isNaN(v)) { bv = v; best = i; }
                }
                store(outS, offs[1], best);
            }
        });
    }

    /** Softmax or log-softmax over the last axis of contiguous rows, in double: exp(x - max) / sum. */
    static void softmax(View x, View out, boolean log) {
        if (!x.isContiguous() || !out.isContiguous() || !java.util.Arrays.equals(x.shape(), out.shape()))
            throw new IllegalArgumentException("cpu softmax: needs contiguous operands of one shape, got " + x + " and " + out);
        int cols = x.rank() == 0 ? 1 : x.shape()[x.rank() - 1];
        if (cols == 0) return;
        int rows = (int) (x.numel() / cols);
        CpuStorage xs = CpuStorage.of(x), os = CpuStorage.of(out);
        Parallel.forRange(rows, 20L * cols, (r0, r1) -> {
            double[] row = new double[cols], shifted = new double[cols];
            for (int r = r0; r < r1; r++) {
                int xo = x.offset() + r * cols, oo = out.offset() + r * cols;
                for (int j = 0; j < cols; j++) row[j] = load(xs, xo + j);
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < cols; j++) max = Math.max(max, row[j]);
                if (max == Double.NEGATIVE_INFINITY) max = 0; // an all -inf row: exp gives 0 / 0 = NaN, as expected
                for (int j = 0; j < cols; j++) shifted[j] = row[j] - max;
                VectorMath.exp(shifted, row, cols);                      // row <- exp(x - max)
                double sum = 0;
                for (int j = 0; j < cols; j++) sum += row[j];
                if (log) {
                    double logSum = Math.log(sum);
                    for (int j = 0; j < cols; j++) store(os, oo + j, shifted[j] - logSum);
                } else {
                    for (int j = 0; j < cols; j++) store(os, oo + j, row[j] / sum);
                }
            }
        });
    }

    static double load(CpuStorage s, int i) {
        return s.dtype() == org.diffusion4j.tensor.DType.F32 ? s.floats()[i] : s.doubles()[i];
    }

    static void store(CpuStorage s, int i, double v) {
        if (s.dtype() == org.diffusion4j.tensor.DType.F32) s.floats()[i] = (float) v;
        else s.doubles()[i] = v;
    }
}
