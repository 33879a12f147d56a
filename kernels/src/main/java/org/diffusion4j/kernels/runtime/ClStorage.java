package org.diffusion4j.kernels.runtime;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Storage;
import org.jocl.cl_mem;

import java.lang.ref.Cleaner;
import java.util.HashMap;
import java.util.Map;

/**
 * A device buffer holding size elements of one dtype. {@link #close()} returns the buffer to the pool at
 * once; a {@link Cleaner} does the same for a storage that becomes unreachable without being closed (a
 * safety net only: the GC does not feel device memory pressure).
 *
 * <p>A storage also has a write version and may hold <em>derived</em> buffers: device data computed from its
 * contents (e.g. the Winograd transform of a convolution weight), reused until the next write. The backend
 * calls {@link #markWritten()} for every primitive that writes the storage; that bumps the version and
 * closes the derived buffers, as {@link #close()} does.
 */
public final class ClStorage implements Storage {
    private static final Cleaner CLEANER = Cleaner.create();

    /** The part the Cleaner may touch: it must not refer back to the storage. */
    private static final class Release implements Runnable {
        private final BufferPool pool;
        private final BufferPool.Block block;

        Release(BufferPool pool, BufferPool.Block block) {
            this.pool = pool;
            this.block = block;
        }

        @Override public void run() { pool.release(block); }
    }

    private final Backend backend;
    private final DType dtype;
    private final long size;
    private final cl_mem mem;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;
    private long version;
    private Map<Object, ClStorage> derived;

    public ClStorage(Backend backend, DType dtype, long size, BufferPool pool) {
        this.backend = backend;
        this.dtype = dtype;
        this.size = size;
        BufferPool.Block block = pool.acquire(Math.max(1, size) * dtype.bytes());
        this.mem = block.mem();
        this.cleanable = CLEANER.register(this, new Release(pool, block));
    }

    /** The OpenCL buffer; throws when the storage was closed. */
    public cl_mem mem() {
        if (closed) throw new IllegalStateException("storage of " + size + " " + dtype + " elements on "
                + backend.device() + " was used after close()");
        return mem;
    }

    @Override public Backend backend() { return backend; }

    @Override public DType dtype() { return dtype; }

    @Override public long size() { return size; }

    @Override public boolean isClosed() { return closed; }

    /** How many writes this storage has seen (as reported by {@link #markWritten()}). */
    @Override public synchronized long version() { return version; }

    /** Records a write to this storage: a new version, and the derived buffers of the old one are closed. */
    public synchronized void markWritten() {
        version++;
        dropDerived();
    }

    /** The buffer derived from this version of the contents under {@code key}, or null. */
    public synchronized ClStorage derived(Object key) {
        return derived == null ? null : derived.get(key);
    }

    /** Keeps {@code value}, derived from the current contents, under {@code key} until the next write or close. */
    public synchronized void putDerived(Object key, ClStorage value) {
        if (closed) throw new IllegalStateException("putDerived on a closed storage");
        if (derived == null) derived = new HashMap<>();
        ClStorage old = derived.put(key, value);
        if (old != null && old != value) old.close();
    }

    /** Number of derived buffers held now. */
    public synchronized int derivedCount() { return derived == null ? 0 : derived.size(); }

    private void dropDerived() {
        if (derived == null) return;
        for (ClStorage d : derived.values()) d.close();
        derived = null;
    }

    @Override public void close() {
        synchronized (this) {
            if (closed) return;
            closed = true;
            dropDerived();
        }
        cleanable.clean();
    }
}
