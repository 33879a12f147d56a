package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClStorage;
import org.diffusion4j.tensor.ReduceOp;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;

/**
 * Reductions (reduce.cl). One work-group per output element folds its elements by a fixed tree; when
 * there are too few outputs to fill the device with work-groups and the rows are long, each row is split
 * into chunks whose partials a second kernel folds in chunk order. The chunking depends on the shape only,
 * so results are bitwise reproducible.
 */
final class ReductionOps {
    /** Rows longer than this many elements per work item are split into chunks when outputs are few. */
    private static final int ELEMENTS_PER_ITEM = 16;
    private static final int MAX_CHUNKS = 1024;
    /**
     * Work-groups a reduction should offer at least, so that a large GPU (an H200 has 132 compute units) is
     * busy. A bias gradient of UNet-S (64 outputs, rows of 128 x 28 x 28) used to run as 64 work-groups: half
     * the compute units idle, 75 us per launch on an H200 (benchmarks/RESULTS.md, kernel profile).
     */
    private static final int TARGET_GROUPS = 1024;
    private final OpenClBackend b;

    ReductionOps(OpenClBackend b) { this.b = b; }

    void reduce(ReduceOp op, View x, View out) {
        int rank = x.rank();
        if (out.rank() != rank) throw new IllegalArgumentException("opencl reduce: output rank " + out.rank()
                + " differs from the input's " + rank + " (keepdim form expected)");
        int[] keptShape = new int[rank], keptX = new int[rank], keptOut = new int[rank];
        int[] redShape = new int[rank], redX = new int[rank];
        for (int d = 0; d < rank; d++) {
            boolean reduced = out.shape()[d] == 1 && x.shape()[d] != 1;
            if (!reduced && out.shape()[d] != x.shape()[d]) throw new IllegalArgumentException("opencl reduce: output "
                    + Shapes.str(out.shape()) + " does not match input " + Shapes.str(x.shape()) + " on axis " + d);
            keptShape[d] = reduced ? 1 : x.shape()[d];
            keptX[d] = x.strides()[d];
            keptOut[d] = out.strides()[d];
            redShape[d] = reduced ? x.shape()[d] : 1;
            redX[d] = x.strides()[d];
        }
        StridedLayout kept = StridedLayout.of("reduce", keptShape, keptX, keptOut);
        StridedLayout red = StridedLayout.of("reduce", redShape, redX);
        long k = Shapes.numel(keptShape), r = Shapes.numel(redShape);
        if (k == 0 || r == 0) throw new IllegalArgumentException("opencl reduce: empty input " + Shapes.str(x.shape()));
        int wg = b.programs().reduceWorkGroup();
        int chunks = 1;
        if (k < TARGET_GROUPS && r > (long) wg * ELEMENTS_PER_ITEM) {
            long byLength = (r + (long) wg * ELEMENTS_PER_ITEM - 1) / ((long) wg * ELEMENTS_PER_ITEM);  // >= 16 per item
            long byGroups = (TARGET_GROUPS + k - 1) / k;                                                  // enough groups
            chunks = (int) Math.min(MAX_CHUNKS, Math.min(byLength, byGroups));
        }
        int chunkLen = (int) ((r + chunks - 1) / chunks);
        ClStorage partial = chunks > 1 ? b.scratch(x.dtype(), k * chunks) : null;
        try {
            b.programs().reduce(x.dtype(), "reduce_rows").args().mem(b.mem(x)).i(x.offset())
                    .i(kept.rank()).int8(kept.shape()).int8(kept.strides()[0])
                    .i(red.rank()).int8(red.shape()).int8(red.strides()[0])
                    .i((int) r).i(chunks).i(chunkLen).i(op.ordinal())
                    .mem(partial == null ? b.mem(out) : partial.mem()).mem(b.mem(out)).i(out.offset()).int8(kept.strides()[1])
                    .runGroups(k * chunks, wg);
            if (partial != null) {
                b.programs().reduce(x.dtype(), "reduce_finish").args().mem(partial.mem()).i(chunks).i((int) r).i(op.ordinal())
                        .mem(b.mem(out)).i(out.offset()).i(kept.rank()).int8(kept.shape()).int8(kept.strides()[1])
                        .runGroups(k, wg);
            }
        } finally {
            if (partial != null) partial.close();
        }
    }

    void argmax(View x, int axis, View out) {
        int[] shape = x.shape().clone();
        int axisLen = shape[axis];
        shape[axis] = 1;
        StridedLayout l = StridedLayout.of("argmax", shape, x.strides(), out.strides());
        int n = (int) Shapes.numel(shape);
        if (n == 0) return;
        b.programs().reduce(x.dtype(), "argmax_axis").args().mem(b.mem(x)).i(x.offset()).mem(b.mem(out)).i(out.offset())
                .i(n).i(l.rank()).int8(l.shape()).int8(l.strides()[0]).int8(l.strides()[1]).i(axisLen).i(x.strides()[axis])
                .run1d(n, 64);
    }

    void softmax(View x, View out, boolean log) {
        b.requireContiguous("softmax", x, out);
        int last = x.shape()[x.rank() - 1];
        long rows = last == 0 ? 0 : x.numel() / last;
        if (rows == 0) return;
        b.programs().reduce(x.dtype(), "softmax_rows").args().mem(b.mem(x)).i(x.offset()).mem(b.mem(out)).i(out.offset())
                .i(last).i(log ? 1 : 0).runGroups(rows, b.programs().reduceWorkGroup());
    }
}
