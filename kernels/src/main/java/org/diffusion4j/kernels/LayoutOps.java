package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClException;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_mem;

import java.util.Arrays;

/** Pooling, upsampling, gather and scatter-add (misc.cl). */
final class LayoutOps {
    private static final int WG = 256;
    private final OpenClBackend b;

    LayoutOps(OpenClBackend b) { this.b = b; }

    private static void nchw(String op, View v) {
        if (v.rank() != 4) throw new IllegalArgumentException("opencl " + op + ": expected NCHW, got " + Shapes.str(v.shape()));
    }

    private void spatial(String kernel, View in, View out, int total, int h, int w, int factor) {
        if (total == 0) return;
        b.programs().misc(out.dtype(), kernel).args().mem(b.mem(in)).i(in.offset()).mem(b.mem(out)).i(out.offset())
                .i(total).i(h).i(w).i(factor).run1d(total, WG);
    }

    void avgPool2d(View x, View out, int k) {
        b.requireContiguous("avgPool2d", x, out);
        nchw("avgPool2d", x);
        int[] s = x.shape();
        if (k < 1 || s[2] % k != 0 || s[3] % k != 0 || !Arrays.equals(out.shape(), new int[]{s[0], s[1], s[2] / k, s[3] / k}))
            throw new IllegalArgumentException("opencl avgPool2d: window " + k + " does not fit " + Shapes.str(s) + " -> " + Shapes.str(out.shape()));
        spatial("avg_pool2d", x, out, (int) out.numel(), s[2], s[3], k);
    }

    void avgPool2dBackward(View gy, View gx, int k) {
        b.requireContiguous("avgPool2dBackward", gy, gx);
        nchw("avgPool2dBackward", gx);
        int[] s = gx.shape();
        if (k < 1 || s[2] % k != 0 || s[3] % k != 0 || !Arrays.equals(gy.shape(), new int[]{s[0], s[1], s[2] / k, s[3] / k}))
            throw new IllegalArgumentException("opencl avgPool2dBackward: window " + k + " does not fit " + Shapes.str(gy.shape()) + " -> " + Shapes.str(s));
        spatial("avg_pool2d_backward", gy, gx, (int) gx.numel(), s[2], s[3], k);
    }

    void upsample(View x, View out, int f) {
        b.requireContiguous("upsampleNearest2d", x, out);
        nchw("upsampleNearest2d", x);
        int[] s = x.shape();
        if (f < 1 || !Arrays.equals(out.shape(), new int[]{s[0], s[1], s[2] * f, s[3] * f}))
            throw new IllegalArgumentException("opencl upsampleNearest2d: factor " + f + " does not fit " + Shapes.str(s) + " -> " + Shapes.str(out.shape()));
        spatial("upsample_nearest2d", x, out, (int) out.numel(), s[2], s[3], f);
    }

    void upsampleBackward(View gy, View gx, int f) {
        b.requireContiguous("upsampleNearest2dBackward", gy, gx);
        nchw("upsampleNearest2dBackward", gx);
        int[] s = gx.shape();
        if (f < 1 || !Arrays.equals(gy.shape(), new int[]{s[0], s[1], s[2] * f, s[3] * f}))
            throw new IllegalArgumentException("opencl upsampleNearest2dBackward: factor " + f + " does not fit " + Shapes.str(gy.shape()) + " -> " + Shapes.str(s));
        spatial("upsample_nearest2d_backward", gy, gx, (int) gx.numel(), s[2], s[3], f);
    }

    /**
     * A read-only device copy of the indices. CL_MEM_COPY_HOST_PTR copies at creation, so the call does not
     * wait on the queue; the buffer is released after the launch is enqueued (OpenCL keeps it alive until
     * the kernel has run).
     */
    private cl_mem indexBuffer(int[] indices) {
        int[] data = indices.length == 0 ? new int[1] : indices;
        int[] err = new int[1];
        cl_mem m = CL.clCreateBuffer(b.runtime().context(), CL.CL_MEM_READ_ONLY | CL.CL_MEM_COPY_HOST_PTR,
                (long) Sizeof.cl_int * data.length, Pointer.to(data), err);
        ClException.check(err[0], "clCreateBuffer", "index buffer of " + data.length + " ints");
        return m;
    }

    private static void rankLimit(String op, View v) {
        if (v.rank() > StridedLayout.MAX_RANK) throw new UnsupportedOperationException("opencl " + op + ": rank " + v.rank()
                + " exceeds the kernels' limit of " + StridedLayout.MAX_RANK);
    }

    void indexSelect(View x, int axis, int[] indices, View out) {
        rankLimit("indexSelect", out);
        int total = (int) out.numel();
        if (total == 0) return;
        for (int i : indices) if (i < 0 || i >= x.shape()[axis]) throw new IndexOutOfBoundsException("opencl indexSelect: index "
                + i + " outside axis " + axis + " of extent " + x.shape()[axis]);
        cl_mem idx = indexBuffer(indices);
        try {
            b.programs().misc(out.dtype(), "index_select").args().mem(b.mem(x)).i(x.offset()).mem(b.mem(out)).i(out.offset())
                    .i(total).i(out.rank()).int8(out.shape()).int8(x.strides()).int8(out.strides())
                    .i(axis).mem(idx).run1d(total, WG);
        } finally {
            CL.clReleaseMemObject(idx);
        }
    }

    void indexAdd(View src, int axis, int[] indices, View out) {
        rankLimit("indexAdd", out);
        int total = (int) out.numel();
        if (total == 0) return;
        for (int i : indices) if (i < 0 || i >= out.shape()[axis]) throw new IndexOutOfBoundsException("opencl indexAdd: index "
                + i + " outside axis " + axis + " of extent " + out.shape()[axis]);
        cl_mem idx = indexBuffer(indices);
        try {
            b.programs().misc(out.dtype(), "index_add").args().mem(b.mem(src)).i(src.offset()).mem(b.mem(out)).i(out.offset())
                    .i(total).i(out.rank()).int8(out.shape()).int8(src.strides()).int8(out.strides())
                    .i(axis).mem(idx).i(indices.length).run1d(total, WG);
        } finally {
            CL.clReleaseMemObject(idx);
        }
    }
}
