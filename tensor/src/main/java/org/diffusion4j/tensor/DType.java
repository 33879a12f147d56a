package org.diffusion4j.tensor;

/** Element types. Every tensor is one of these; ops never mix them silently. */
public enum DType {
    F32(4), F64(8);

    private final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    /** Size of one element in bytes. */
    public int bytes() { return bytes; }
}
