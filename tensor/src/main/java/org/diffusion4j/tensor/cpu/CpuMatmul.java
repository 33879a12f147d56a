package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;

/** Batched matmul over strided views: each batch's matrices are handed to {@link CpuGemm} with their strides. */
final class CpuMatmul {
    private CpuMatmul() { }

    static void matmul(View a, View b, View out) {
        int r = a.rank();
        int[] as = a.shape(), bs = b.shape(), os = out.shape();
        boolean ok = r >= 2 && b.rank() == r && out.rank() == r && as[r - 1] == bs[r - 2] && os[r - 2] == as[r - 2]
                && os[r - 1] == bs[r - 1];
        for (int i = 0; ok && i < r - 2; i++) ok = as[i] == os[i] && bs[i] == os[i];
        if (!ok) throw new IllegalArgumentException("cpu matmul: shapes " + Shapes.str(as) + " @ " + Shapes.str(bs)
                + " -> " + Shapes.str(os) + " do not fit [..., m, k] @ [..., k, n] -> [..., m, n]");
        if (!out.isContiguous()) throw new IllegalArgumentException("cpu matmul: output " + out + " must be contiguous");
        int m = as[r - 2], k = as[r - 1], n = bs[r - 1];
        int batches = (int) Shapes.numel(java.util.Arrays.copyOf(os, r - 2));
        CpuStorage sa = CpuStorage.of(a), sb = CpuStorage.of(b), so = CpuStorage.of(out);
        if (k == 0) { Elementwise.fill(out, 0.0); return; }
        for (int bt = 0; bt < batches; bt++) {
            int ao = a.offset(), bo = b.offset(), rem = bt;
            for (int i = r - 3; i >= 0; i--) {
                int idx = rem % os[i];
                rem /= os[i];
                ao += idx * a.strides()[i];
                bo += idx * b.strides()[i];
            }
            var opA = new CpuGemm.Operand(ao, a.strides()[r - 2], a.strides()[r - 1]);
            var opB = new CpuGemm.Operand(bo, b.strides()[r - 2], b.strides()[r - 1]);
            int co = out.offset() + bt * m * n;
            if (a.dtype() == DType.F32) CpuGemm.gemm(m, n, k, sa.floats(), opA, sb.floats(), opB, so.floats(), co, n, false);
            else CpuGemm.gemm(m, n, k, sa.doubles(), opA, sb.doubles(), opB, so.doubles(), co, n, false);
        }
    }
}
