package org.diffusion4j.kernels.runtime;

import org.diffusion4j.tensor.Backend;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Storage;
import org.jocl.cl_mem;

import java.lang.ref.Cleaner;

/**
 * A device buffer holding size elements of one dtype. {@link #close()} returns the buffer to the pool at
 * once; a {@link Cleaner} does the same for a storage that becomes unreachable without being closed (a
 * safety net only: the GC does not feel device memory pressure).
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

    @Override public void close() {
        if (closed) return;
        closed = true;
        cleanable.clean();
    }
}
