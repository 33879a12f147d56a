package org.diffusion4j.kernels.runtime;

import org.diffusion4j.tensor.DType;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_event;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

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

    /**
     * Argument values are written into one slot each of a direct buffer whose Pointers are made once, so
     * setting a scalar argument allocates nothing and pins no Java array.
     */
    private static final int SLOT_BYTES = 64, SLOTS = 40;
    private final ByteBuffer values = ByteBuffer.allocateDirect(SLOT_BYTES * SLOTS).order(ByteOrder.nativeOrder());
    private final Pointer[] slots = new Pointer[SLOTS];
    /**
     * What the kernel object holds now: OpenCL keeps argument values between launches, so an argument
     * equal to the one already set (same bytes, same buffer) is not set again.
     */
    private final ByteBuffer applied = ByteBuffer.allocateDirect(SLOT_BYTES * SLOTS).order(ByteOrder.nativeOrder());
    private final long[] appliedSize = new long[SLOTS];
    private final cl_mem[] appliedMem = new cl_mem[SLOTS];

    ClKernel(ClRuntime runtime, cl_kernel kernel, String name, DType dtype) {
        this.runtime = runtime;
        this.kernel = kernel;
        this.name = name;
        this.dtype = dtype;
        for (int i = 0; i < SLOTS; i++) slots[i] = Pointer.to(values.slice(i * SLOT_BYTES, SLOT_BYTES).order(ByteOrder.nativeOrder()));
    }

    cl_kernel handle() { return kernel; }

    public String name() { return name; }

    /** Starts setting arguments from index 0. */
    public ClKernel args() {
        next = 0;
        return this;
    }

    /** Sets the scalar or vector just written to the current slot unless the kernel already holds it. */
    private void setSlot(long size) {
        int at = next * SLOT_BYTES;
        if (appliedSize[next] == size && appliedMem[next] == null && sameBytes(at, (int) size)) {
            next++;
            return;
        }
        int slot = next;
        appliedSize[slot] = 0;   // unknown until the call succeeds
        set(size, slots[slot]);
        for (int i = 0; i < size; i++) applied.put(at + i, values.get(at + i));
        appliedSize[slot] = size;
        appliedMem[slot] = null;
    }

    private boolean sameBytes(int at, int size) {
        for (int i = 0; i < size; i += 4) if (values.getInt(at + i) != applied.getInt(at + i)) return false;
        return true;
    }

    private void set(long size, Pointer p) {
        int code = CL.clSetKernelArg(kernel, next, size, p);
        if (code != CL.CL_SUCCESS) ClException.check(code, "clSetKernelArg", "argument " + next + " (" + size + " bytes) of kernel '" + name + "'");
        next++;
    }

    public ClKernel mem(cl_mem m) {
        if (next < SLOTS && appliedMem[next] == m) {
            next++;
            return this;
        }
        int slot = next;
        if (slot < SLOTS) appliedMem[slot] = null;
        set(Sizeof.cl_mem, Pointer.to(m));
        if (slot < SLOTS) {
            appliedMem[slot] = m;
            appliedSize[slot] = -1;
        }
        return this;
    }

    private int slot() {
        if (next >= SLOTS) throw new IllegalStateException("kernel '" + name + "' has more than " + SLOTS + " arguments");
        return next * SLOT_BYTES;
    }

    public ClKernel i(int v) {
        values.putInt(slot(), v);
        setSlot(Sizeof.cl_int);
        return this;
    }

    public ClKernel l(long v) {
        values.putLong(slot(), v);
        setSlot(Sizeof.cl_long);
        return this;
    }

    /** A scalar of the kernel's dtype (float or double). */
    public ClKernel real(double v) {
        if (dtype == DType.F64) {
            values.putDouble(slot(), v);
            setSlot(Sizeof.cl_double);
        } else {
            values.putFloat(slot(), (float) v);
            setSlot(Sizeof.cl_float);
        }
        return this;
    }

    /** An int8 vector argument (up to 8 values, the rest 0). */
    public ClKernel int8(int[] v) { return vector(v, 8); }

    /** An int16 vector argument (up to 16 values, the rest 0). */
    public ClKernel int16(int[] v) { return vector(v, 16); }

    private ClKernel vector(int[] v, int n) {
        if (v.length > n) throw new IllegalArgumentException("vector argument of " + v.length + " values exceeds int" + n);
        int at = slot();
        for (int i = 0; i < n; i++) values.putInt(at + 4 * i, i < v.length ? v[i] : 0);
        setSlot(Sizeof.cl_int * (long) n);
        return this;
    }

    /** A __local buffer of bytes. */
    public ClKernel local(long bytes) {
        if (next < SLOTS) { appliedSize[next] = -1; appliedMem[next] = null; }
        set(bytes, null);
        return this;
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
        KernelProfile profile = runtime.profile();
        cl_event event = profile == null ? null : new cl_event();
        int code = CL.clEnqueueNDRangeKernel(runtime.queue(), kernel, dims, null, global, local, 0, null, event);
        if (code != CL.CL_SUCCESS) {
            StringBuilder sizes = new StringBuilder();
            for (int d = 0; d < dims; d++) sizes.append(d == 0 ? "" : " x ").append(global[d]).append('/').append(local[d]);
            ClException.check(code, "clEnqueueNDRangeKernel", "kernel '" + name + "', global/local sizes " + sizes);
        }
        runtime.countLaunch();
        if (profile != null) profile.record(name, event);
    }
}
