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

    @Override void close();
}
