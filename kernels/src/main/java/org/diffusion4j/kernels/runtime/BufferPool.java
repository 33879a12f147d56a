package org.diffusion4j.kernels.runtime;

import org.jocl.CL;
import org.jocl.cl_context;
import org.jocl.cl_mem;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A caching allocator of device buffers. Requests are rounded up to a size class (four classes per power of
 * two, at least 256 bytes) and a released buffer waits in its class's free list for the next request of
 * that class, so a loop that allocates the same shapes every iteration stops calling clCreateBuffer after
 * its first iteration.
 *
 * <p>Reuse is safe without events because the backend has one in-order command queue: a kernel enqueued
 * after a buffer went back to the pool runs after every kernel that used it before.
 */
public final class BufferPool {
    /** A device buffer of capacity bytes (its size class). */
    public record Block(cl_mem mem, long capacity) { }

    /** A snapshot of the pool: bytes handed out, bytes waiting in free lists, and counts. */
    public record Stats(long bytesInUse, long bytesCached, long buffersCreated, long reuses) {
        public long bytesTotal() { return bytesInUse + bytesCached; }
    }

    private final cl_context context;
    private final long maxAllocBytes;
    private final String deviceName;
    private final Map<Long, ArrayDeque<cl_mem>> free = new HashMap<>();
    private long bytesInUse, bytesCached, buffersCreated, reuses;

    public BufferPool(cl_context context, long maxAllocBytes, String deviceName) {
        this.context = context;
        this.maxAllocBytes = maxAllocBytes;
        this.deviceName = deviceName;
    }

    /** The size class of a request: 256 bytes at least, then four steps per power of two. */
    static long sizeClass(long bytes) {
        if (bytes <= 256) return 256;
        long step = Long.highestOneBit(bytes - 1) / 4;
        return (bytes + step - 1) / step * step;
    }

    /** A buffer of at least bytes, reused from the free list of its class when one is there. */
    public synchronized Block acquire(long bytes) {
        if (bytes <= 0) throw new IllegalArgumentException("buffer size must be positive, got " + bytes + " bytes");
        long capacity = sizeClass(bytes);
        if (capacity > maxAllocBytes && bytes <= maxAllocBytes) capacity = bytes;
        if (bytes > maxAllocBytes) {
            throw new ClException("cannot allocate " + bytes + " bytes on " + deviceName
                    + ": larger than CL_DEVICE_MAX_MEM_ALLOC_SIZE = " + maxAllocBytes + " bytes", 0);
        }
        ArrayDeque<cl_mem> list = free.get(capacity);
        if (list != null && !list.isEmpty()) {
            cl_mem mem = list.pop();
            bytesCached -= capacity;
            bytesInUse += capacity;
            reuses++;
            return new Block(mem, capacity);
        }
        cl_mem mem = create(capacity);
        if (mem == null) {
            // The device is full: give the cached buffers back to the driver and try once more.
            trim();
            mem = create(capacity);
            if (mem == null) {
                throw new ClException("clCreateBuffer failed for " + capacity + " bytes (request " + bytes + ") on "
                        + deviceName + " with " + lastErrorName + " after releasing the pool's cached buffers; "
                        + bytesInUse + " bytes are in use", lastError);
            }
        }
        buffersCreated++;
        bytesInUse += capacity;
        return new Block(mem, capacity);
    }

    private int lastError;
    private String lastErrorName;

    private cl_mem create(long capacity) {
        int[] err = new int[1];
        cl_mem mem = CL.clCreateBuffer(context, CL.CL_MEM_READ_WRITE, capacity, null, err);
        if (err[0] != CL.CL_SUCCESS) {
            lastError = err[0];
            lastErrorName = ClException.nameOf(err[0]);
            if (mem != null) CL.clReleaseMemObject(mem);
            return null;
        }
        return mem;
    }

    /** Returns a block to its free list. */
    public synchronized void release(Block block) {
        bytesInUse -= block.capacity();
        bytesCached += block.capacity();
        free.computeIfAbsent(block.capacity(), c -> new ArrayDeque<>()).push(block.mem());
    }

    /** Releases every cached buffer to the driver. */
    public synchronized void trim() {
        for (ArrayDeque<cl_mem> list : free.values()) for (cl_mem m : list) CL.clReleaseMemObject(m);
        free.clear();
        bytesCached = 0;
    }

    public synchronized Stats stats() { return new Stats(bytesInUse, bytesCached, buffersCreated, reuses); }
}
