package org.diffusion4j.tensor;

import java.util.Arrays;

/**
 * The operand of every backend primitive: a storage seen through a shape, element strides and an
 * element offset. A stride of 0 repeats an element (broadcasting); negative strides are not used.
 * Indexing is {@code offset + sum_i index[i] * strides[i]}.
 */
public record View(Storage storage, int[] shape, int[] strides, int offset) {

    public DType dtype() { return storage.dtype(); }

    public int rank() { return shape.length; }

    /** Number of elements the view addresses (product of the shape). */
    public long numel() { return Shapes.numel(shape); }

    /** True when the view is row-major contiguous from its offset (size-1 axes may have any stride). */
    public boolean isContiguous() { return Shapes.isContiguous(shape, strides); }

    @Override public String toString() {
        return "View" + Arrays.toString(shape) + " strides " + Arrays.toString(strides) + " offset " + offset
                + " " + storage.dtype();
    }
}
