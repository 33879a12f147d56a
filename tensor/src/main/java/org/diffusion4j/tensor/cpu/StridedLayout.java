package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;

/**
 * Several views of one shape, with their axes simplified for walking: axes of extent 1 are dropped and
 * neighbouring axes are merged wherever every operand steps through them as one (stride[i] ==
 * stride[i+1] * shape[i+1]). A contiguous tensor becomes one axis of stride 1; a broadcast scalar one
 * axis of stride 0.
 *
 * <p>{@link #gather} and {@link #scatter} move a range of elements (in row-major order of the common
 * shape) between an operand and a dense {@code double[]} buffer, converting the dtype.
 */
final class StridedLayout {
    final int[] shape;
    final int[][] strides;
    final int[] offsets;
    final int numel;

    private StridedLayout(int[] shape, int[][] strides, int[] offsets, int numel) {
        this.shape = shape;
        this.strides = strides;
        this.offsets = offsets;
        this.numel = numel;
    }

    static StridedLayout of(String op, View... views) {
        int[] common = views[0].shape();
        for (View v : views) {
            if (!java.util.Arrays.equals(v.shape(), common)) throw new IllegalArgumentException("cpu " + op
                    + ": operand shapes differ: " + Shapes.str(common) + " and " + Shapes.str(v.shape())
                    + " (the Tensor layer broadcasts before calling the backend)");
        }
        int k = views.length, rank = common.length;
        int[] shape = new int[rank];
        int[][] st = new int[k][rank];
        int r = 0;
        for (int a = 0; a < rank; a++) {
            if (common[a] == 1) continue;
            if (r > 0) {
                boolean merge = true;
                for (int i = 0; i < k && merge; i++) merge = st[i][r - 1] == views[i].strides()[a] * common[a];
                if (merge) {
                    shape[r - 1] *= common[a];
                    for (int i = 0; i < k; i++) st[i][r - 1] = views[i].strides()[a];
                    continue;
                }
            }
            shape[r] = common[a];
            for (int i = 0; i < k; i++) st[i][r] = views[i].strides()[a];
            r++;
        }
        int[] offsets = new int[k];
        int[][] strides = new int[k][];
        for (int i = 0; i < k; i++) {
            offsets[i] = views[i].offset();
            strides[i] = java.util.Arrays.copyOf(st[i], r);
        }
        return new StridedLayout(java.util.Arrays.copyOf(shape, r), strides, offsets, (int) Shapes.numel(common));
    }

    /** True when operand i is dense from its offset (one axis of stride 1, or a single element). */
    boolean isDense(int i) { return shape.length == 0 || (shape.length == 1 && strides[i][0] == 1); }

    /** True when operand i repeats one element everywhere. */
    boolean isScalar(int i) {
        for (int s : strides[i]) if (s != 0) return false;
        return true;
    }

    /** A run of {@code length} elements of operand i at array offset {@code offset}, step {@code step}. */
    @FunctionalInterface
    interface RunVisitor {
        void run(int offset, int step, int length, int bufferPos);
    }

    /** Visits operand i's elements [start, start + n) as runs along the innermost axis. */
    void walk(int i, int start, int n, RunVisitor visitor) { walk(i, 0, start, n, visitor); }

    /** As {@link #walk(int, int, int, RunVisitor)} with operand i's offset moved by base. */
    void walk(int i, int base, int start, int n, RunVisitor visitor) {
        int rank = shape.length;
        if (rank == 0) {
            visitor.run(offsets[i] + base, 0, n, 0);
            return;
        }
        int[] st = strides[i];
        int[] idx = new int[rank];
        int off = offsets[i] + base;
        int rem = start;
        for (int a = rank - 1; a >= 0; a--) {
            idx[a] = rem % shape[a];
            rem /= shape[a];
            off += idx[a] * st[a];
        }
        int last = rank - 1, step = st[last], extent = shape[last];
        int done = 0;
        while (done < n) {
            int run = Math.min(n - done, extent - idx[last]);
            visitor.run(off, step, run, done);
            done += run;
            if (done >= n) break;
            // the run ended at the end of the innermost axis: back to its start, then carry outwards
            off += (run - extent) * step;
            idx[last] = 0;
            for (int a = last - 1; a >= 0; a--) {
                idx[a]++;
                off += st[a];
                if (idx[a] < shape[a]) break;
                off -= shape[a] * st[a];
                idx[a] = 0;
            }
        }
    }

    /** Reads operand i's elements [start, start + n) into dst[0, n). */
    void gather(int i, CpuStorage s, int start, int n, double[] dst) { gather(i, s, 0, start, n, dst); }

    /** As {@link #gather(int, CpuStorage, int, int, double[])} with operand i's offset moved by base. */
    void gather(int i, CpuStorage s, int base, int start, int n, double[] dst) {
        if (s.dtype() == org.diffusion4j.tensor.DType.F32) {
            float[] a = s.floats();
            walk(i, base, start, n, (off, step, len, pos) -> {
                for (int j = 0; j < len; j++) dst[pos + j] = a[off + j * step];
            });
        } else {
            double[] a = s.doubles();
            walk(i, base, start, n, (off, step, len, pos) -> {
                if (step == 1) System.arraycopy(a, off, dst, pos, len);
                else for (int j = 0; j < len; j++) dst[pos + j] = a[off + j * step];
            });
        }
    }

    /** Writes src[0, n) into operand i's elements [start, start + n), rounding to the operand's dtype. */
    void scatter(int i, CpuStorage s, int start, int n, double[] src) {
        if (s.dtype() == org.diffusion4j.tensor.DType.F32) {
            float[] a = s.floats();
            walk(i, start, n, (off, step, len, pos) -> {
                for (int j = 0; j < len; j++) a[off + j * step] = (float) src[pos + j];
            });
        } else {
            double[] a = s.doubles();
            walk(i, start, n, (off, step, len, pos) -> {
                if (step == 1) System.arraycopy(src, pos, a, off, len);
                else for (int j = 0; j < len; j++) a[off + j * step] = src[pos + j];
            });
        }
    }
}
