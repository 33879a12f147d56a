package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Storage;
import org.diffusion4j.tensor.View;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A heap array of one dtype: a {@code float[]} for F32, a {@code double[]} for F64. {@link #close()} drops
 * the array, and every later access throws an {@link IllegalStateException} that names the storage, so a
 * tensor used after its {@link org.diffusion4j.tensor.Scope} closed fails loudly on the CPU too.
 */
public final class CpuStorage implements Storage {
    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final DType dtype;
    private final int size;
    private float[] floats;
    private double[] doubles;
    private boolean closed; // not volatile: a debugging aid read in hot loops, not a cross-thread signal

    CpuStorage(DType dtype, long n) {
        if (n < 0) throw new IllegalArgumentException("cpu: cannot allocate " + n + " elements");
        if (n > Integer.MAX_VALUE - 8) throw new IllegalArgumentException("cpu: cannot allocate " + n + " elements of "
                + dtype + ": Java arrays hold at most " + (Integer.MAX_VALUE - 8) + " elements");
        this.dtype = dtype;
        this.size = (int) n;
        if (dtype == DType.F32) floats = new float[size];
        else doubles = new double[size];
    }

    /** The storage behind a view, checked to be a live CPU storage. */
    static CpuStorage of(View v) {
        if (!(v.storage() instanceof CpuStorage s)) throw new IllegalArgumentException("cpu: operand " + v
                + " lives on another backend (" + v.storage().backend().device() + ")");
        s.checkOpen();
        return s;
    }

    /** The backing array of an F32 storage. */
    float[] floats() {
        checkOpen();
        if (floats == null) throw new IllegalStateException(this + " holds " + dtype + ", not F32");
        return floats;
    }

    /** The backing array of an F64 storage. */
    double[] doubles() {
        checkOpen();
        if (doubles == null) throw new IllegalStateException(this + " holds " + dtype + ", not F64");
        return doubles;
    }

    /** Copies n elements from offset into dst[dstPos ..] as doubles (exact for F32). */
    void read(int offset, double[] dst, int dstPos, int n) {
        if (dtype == DType.F32) {
            float[] f = floats();
            for (int i = 0; i < n; i++) dst[dstPos + i] = f[offset + i];
        } else {
            System.arraycopy(doubles(), offset, dst, dstPos, n);
        }
    }

    /** Stores src[srcPos ..] into n elements from offset, rounding to F32 where needed. */
    void write(int offset, double[] src, int srcPos, int n) {
        if (dtype == DType.F32) {
            float[] f = floats();
            for (int i = 0; i < n; i++) f[offset + i] = (float) src[srcPos + i];
        } else {
            System.arraycopy(src, srcPos, doubles(), offset, n);
        }
    }

    private void checkOpen() {
        if (closed) throw new IllegalStateException(this + " was closed (is a tensor used after its Scope ended?)");
    }

    @Override public Backend backend() { return CpuBackend.instance(); }

    @Override public DType dtype() { return dtype; }

    @Override public long size() { return size; }

    @Override public boolean isClosed() { return closed; }

    @Override public void close() {
        closed = true;
        floats = null;
        doubles = null;
    }

    @Override public String toString() { return "cpu storage #" + id + " (" + size + " x " + dtype + ")"; }
}
