package org.diffusion4j.kernels.runtime;

import org.diffusion4j.tensor.DType;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * A cached kernel object with a small fluent launcher: {@code k.args().mem(a).i(n).real(x).run1d(n, 256)}.
 * Arguments are set in order; the Java side of a launch is a handful of clSetKernelArg calls and one
 * clEnqueueNDRangeKernel. Not thread-safe: the backend serialises launches.
 */
public final class ClKernel {
    private final ClRuntime runtime;
    private final cl_kernel kernel;
    private final String name;
    private final DType dtype;
    private final long[] global = new long[3], local = new long[3];
    private int next;

    ClKernel(ClRuntime runtime, cl_kernel kernel, String name, DType dtype) {
        this.runtime = runtime;
        this.kernel = kernel;
        this.name = name;
        this.dtype = dtype;
    }

    cl_kernel handle() { return kernel; }

    public String name() { return name; }

    /** Starts setting arguments from index 0. */
    public ClKernel args() {
        next = 0;
        return this;
    }

    private void set(long size, Pointer p) {
        int code = CL.clSetKernelArg(kernel, next, size, p);
        if (code != CL.CL_SUCCESS) ClException.check(code, "clSetKernelArg", "argument " + next + " (" + size + " bytes) of kernel '" + name + "'");
        next++;
    }

    public ClKernel mem(cl_mem m) { set(Sizeof.cl_mem, Pointer.to(m)); return this; }

    public ClKernel i(int v) { set(Sizeof.cl_int, Pointer.to(new int[]{v})); return this; }

    public ClKernel l(long v) { set(Sizeof.cl_long, Pointer.to(new long[]{v})); return this; }

    /** A scalar of the kernel's dtype (float or double). */
    public ClKernel real(double v) {
        if (dtype == DType.F64) set(Sizeof.cl_double, Pointer.to(new double[]{v}));
        else set(Sizeof.cl_float, Pointer.to(new float[]{(float) v}));
        return this;
    }

    /** An int8 vector argument (up to 8 values, the rest 0). */
    public ClKernel int8(int[] v) { set(Sizeof.cl_int * 8L, Pointer.to(pad(v, 8))); return this; }

    /** An int16 vector argument (up to 16 values, the rest 0). */
    public ClKernel int16(int[] v) { set(Sizeof.cl_int * 16L, Pointer.to(pad(v, 16))); return this; }

    /** A __local buffer of bytes. */
    public ClKernel local(long bytes) { set(bytes, null); return this; }

    private static int[] pad(int[] v, int n) {
        if (v.length == n) return v;
        if (v.length > n) throw new IllegalArgumentException("vector argument of " + v.length + " values exceeds int" + n);
        int[] p = new int[n];
        System.arraycopy(v, 0, p, 0, v.length);
        return p;
    }

    /** One-dimensional launch over n items in work-groups of wg (the global size is rounded up). */
    public void run1d(long n, int wg) {
        if (n <= 0) return;
        global[0] = (n + wg - 1) / wg * wg;
        local[0] = wg;
        enqueue(1);
    }

    /** Launch of groups work-groups of wg items each. */
    public void runGroups(long groups, int wg) {
        if (groups <= 0) return;
        global[0] = groups * wg;
        local[0] = wg;
        enqueue(1);
    }

    /** Three-dimensional launch with exact global sizes (multiples of the local sizes). */
    public void run3d(long g0, long g1, long g2, int l0, int l1, int l2) {
        if (g0 <= 0 || g1 <= 0 || g2 <= 0) return;
        global[0] = g0; global[1] = g1; global[2] = g2;
        local[0] = l0; local[1] = l1; local[2] = l2;
        enqueue(3);
    }

    private void enqueue(int dims) {
        int code = CL.clEnqueueNDRangeKernel(runtime.queue(), kernel, dims, null, global, local, 0, null, null);
        if (code != CL.CL_SUCCESS) {
            StringBuilder sizes = new StringBuilder();
            for (int d = 0; d < dims; d++) sizes.append(d == 0 ? "" : " x ").append(global[d]).append('/').append(local[d]);
            ClException.check(code, "clEnqueueNDRangeKernel", "kernel '" + name + "', global/local sizes " + sizes);
        }
    }
}
