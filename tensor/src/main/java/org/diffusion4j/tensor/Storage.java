package org.diffusion4j.tensor;

/**
 * A flat buffer of {@link #size()} elements of one dtype, owned by one backend. Tensors are strided
 * views over storages. {@link #close()} hands the memory back (to the backend's pool); using a closed
 * storage is an error. Closing is idempotent.
 */
public interface Storage extends AutoCloseable {
    Backend backend();

    DType dtype();

    /** Number of elements. */
    long size();

    boolean isClosed();

    /**
     * How many writes this storage has seen, for caches of values derived from it (concatenated weights): a backend
     * that counts every primitive writing a storage returns that count (OpenCL); -1, the default, means writes are
     * not tracked, and nothing derived from this storage may be kept.
     */
    default long version() { return -1; }

    @Override void close();
}
