package org.diffusion4j.tensor.cpu;

import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Shapes;
import org.diffusion4j.tensor.View;

/**
 * Scaled dot-product attention, per batch with matrix products: the logits S = Q K^T go through
 * {@link CpuGemm} in the tensor's dtype, then each row's softmax statistics (maximum, sum of exponentials,
 * log-sum-exp) are computed in double, which costs little next to the products, and finally
 * out = P V with P = exp(scale S + mask - lse). Batches run in parallel (the products parallelise
 * themselves when there is one large batch).
 *
 * <p>The backward pass recomputes P from the saved log-sum-exp (as FlashAttention does, Dao et al. 2022):
 * dP = dO V^T, D_i = dO_i . O_i (in double), dS = scale P (dP - D), and then dQ = dS K, dK = dS^T Q and
 * dV = P^T dO, again as matrix products.
 */
final class CpuAttention {
    private CpuAttention() { }

    private record Dims(int b, int l, int s, int d, int e) { }

    private static Dims dims(String op, View q, View k, View v, View mask, View out) {
        int[] qs = q.shape(), ks = k.shape(), vs = v.shape();
        if (qs.length != 3 || ks.length != 3 || vs.length != 3 || ks[0] != qs[0] || vs[0] != qs[0] || ks[2] != qs[2]
                || vs[1] != ks[1]) throw new IllegalArgumentException("cpu " + op + ": q " + Shapes.str(qs) + ", k "
                + Shapes.str(ks) + ", v " + Shapes.str(vs) + " do not fit [B, L, D], [B, S, D], [B, S, E]");
        Dims d = new Dims(qs[0], qs[1], ks[1], qs[2], vs[2]);
        if (!java.util.Arrays.equals(out.shape(), new int[]{d.b, d.l, d.e})) throw new IllegalArgumentException("cpu "
                + op + ": output " + Shapes.str(out.shape()) + " must be [" + d.b + ", " + d.l + ", " + d.e + "]");
        if (mask != null && !java.util.Arrays.equals(mask.shape(), new int[]{d.b, d.l, d.s})) throw new IllegalArgumentException(
                "cpu " + op + ": mask " + Shapes.str(mask.shape()) + " must be [" + d.b + ", " + d.l + ", " + d.s + "]");
        for (View x : new View[]{q, k, v, out}) if (!x.isContiguous()) throw new IllegalArgumentException("cpu " + op + ": " + x + " must be contiguous");
        return d;
    }

    /** A row-major matrix in a float[] or double[] (the tensor's dtype), with the few operations attention needs. */
    private static final class Matrix {
        final float[] f;
        final double[] d;

        Matrix(DType t, int size) {
            f = t == DType.F32 ? new float[size] : null;
            d = t == DType.F32 ? null : new double[size];
        }

        Matrix(CpuStorage s) {
            f = s.dtype() == DType.F32 ? s.floats() : null;
            d = s.dtype() == DType.F32 ? null : s.doubles();
        }

        void readRow(int off, double[] dst, int n) {
            if (f != null) for (int i = 0; i < n; i++) dst[i] = f[off + i];
            else System.arraycopy(d, off, dst, 0, n);
        }

        void writeRow(int off, double[] src, int n) {
            if (f != null) for (int i = 0; i < n; i++) f[off + i] = (float) src[i];
            else System.arraycopy(src, 0, d, off, n);
        }

        /** this[cOff ..] = A B for an m x n result with row stride ldc (not accumulated). */
        void product(int cOff, int ldc, int m, int n, int k, Matrix a, CpuGemm.Operand ao, Matrix b, CpuGemm.Operand bo) {
            if (f != null) CpuGemm.gemm(m, n, k, a.f, ao, b.f, bo, f, cOff, ldc, false);
            else CpuGemm.gemm(m, n, k, a.d, ao, b.d, bo, d, cOff, ldc, false);
        }
    }

    private static CpuGemm.Operand rowMajor(int offset, int cols) { return new CpuGemm.Operand(offset, cols, 1); }

    /** The transpose of a row-major matrix with {@code cols} columns. */
    private static CpuGemm.Operand transposed(int offset, int cols) { return new CpuGemm.Operand(offset, 1, cols); }

    /**
     * Turns row i of the raw logits Q K^T into P_i = exp(scale s + mask - lse) in place (in double via row);
     * returns lse, or uses the given one when savedLse is not NaN.
     */
    private static double softmaxRow(Dims dm, int bi, int i, Matrix logits, int rowOff, double scale, CpuStorage ms, View mask,
                                     double savedLse, double[] row, double[] scratch) {
        logits.readRow(rowOff, row, dm.s);
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < dm.s; j++) {
            double v = row[j] * scale;
            if (mask != null) v += Reductions.load(ms, mask.offset() + bi * mask.strides()[0] + i * mask.strides()[1] + j * mask.strides()[2]);
            row[j] = v;
            max = Math.max(max, v);
        }
        double lse = savedLse;
        if (Double.isNaN(lse)) {
            double shift = max == Double.NEGATIVE_INFINITY ? 0 : max;
            for (int j = 0; j < dm.s; j++) scratch[j] = row[j] - shift;
            VectorMath.exp(scratch, scratch, dm.s);
            double sum = 0;
            for (int j = 0; j < dm.s; j++) sum += scratch[j];
            lse = shift + Math.log(sum);
        }
        for (int j = 0; j < dm.s; j++) row[j] -= lse;
        VectorMath.exp(row, row, dm.s);
        logits.writeRow(rowOff, row, dm.s);
        return lse;
    }

    static void forward(View q, View k, View v, View mask, double scale, View out, View logSumExp) {
        Dims dm = dims("attention", q, k, v, mask, out);
        Matrix qm = new Matrix(CpuStorage.of(q)), km = new Matrix(CpuStorage.of(k)), vm = new Matrix(CpuStorage.of(v));
        Matrix om = new Matrix(CpuStorage.of(out));
        CpuStorage ms = mask == null ? null : CpuStorage.of(mask), ls = logSumExp == null ? null : CpuStorage.of(logSumExp);
        Parallel.forRange(dm.b, 2L * dm.l * dm.s * (dm.d + dm.e), (b0, b1) -> {
            Matrix p = new Matrix(q.dtype(), dm.l * dm.s);
            double[] row = new double[dm.s], scratch = new double[dm.s];
            for (int bi = b0; bi < b1; bi++) {
                // P <- Q K^T, then the row softmax in place
                p.product(0, dm.s, dm.l, dm.s, dm.d, qm, rowMajor(q.offset() + bi * dm.l * dm.d, dm.d),
                        km, transposed(k.offset() + bi * dm.s * dm.d, dm.d));
                for (int i = 0; i < dm.l; i++) {
                    double lse = softmaxRow(dm, bi, i, p, i * dm.s, scale, ms, mask, Double.NaN, row, scratch);
                    if (ls != null) Reductions.store(ls, logSumExp.offset() + bi * dm.l + i, lse);
                }
                om.product(out.offset() + bi * dm.l * dm.e, dm.e, dm.l, dm.e, dm.s, p, rowMajor(0, dm.s),
                        vm, rowMajor(v.offset() + bi * dm.s * dm.e, dm.e));
            }
        });
    }

    static void backward(View q, View k, View v, View mask, double scale, View out, View logSumExp, View gradOut,
                         View gradQ, View gradK, View gradV) {
        Dims dm = dims("attentionBackward", q, k, v, mask, out);
        View[][] pairs = {{gradOut, out}, {gradQ, q}, {gradK, k}, {gradV, v}};
        for (View[] pair : pairs) {
            if (!java.util.Arrays.equals(pair[0].shape(), pair[1].shape()) || !pair[0].isContiguous())
                throw new IllegalArgumentException("cpu attentionBackward: gradient " + pair[0] + " must be contiguous with shape "
                        + Shapes.str(pair[1].shape()));
        }
        Matrix qm = new Matrix(CpuStorage.of(q)), km = new Matrix(CpuStorage.of(k)), vm = new Matrix(CpuStorage.of(v));
        Matrix om = new Matrix(CpuStorage.of(out)), gom = new Matrix(CpuStorage.of(gradOut));
        Matrix gq = new Matrix(CpuStorage.of(gradQ)), gk = new Matrix(CpuStorage.of(gradK)), gv = new Matrix(CpuStorage.of(gradV));
        CpuStorage ms = mask == null ? null : CpuStorage.of(mask), ls = CpuStorage.of(logSumExp);
        Parallel.forRange(dm.b, 6L * dm.l * dm.s * (dm.d + dm.e), (b0, b1) -> {
            Matrix p = new Matrix(q.dtype(), dm.l * dm.s), ds = new Matrix(q.dtype(), dm.l * dm.s);
            double[] row = new double[dm.s], dpRow = new double[dm.s], go = new double[dm.e], o = new double[dm.e];
            for (int bi = b0; bi < b1; bi++) {
                int qOff = q.offset() + bi * dm.l * dm.d, kOff = k.offset() + bi * dm.s * dm.d, vOff = v.offset() + bi * dm.s * dm.e;
                int goOff = gradOut.offset() + bi * dm.l * dm.e;
                p.product(0, dm.s, dm.l, dm.s, dm.d, qm, rowMajor(qOff, dm.d), km, transposed(kOff, dm.d));
                ds.product(0, dm.s, dm.l, dm.s, dm.e, gom, rowMajor(goOff, dm.e), vm, transposed(vOff, dm.e)); // dP
                for (int i = 0; i < dm.l; i++) {
                    double lse = Reductions.load(ls, logSumExp.offset() + bi * dm.l + i);
                    softmaxRow(dm, bi, i, p, i * dm.s, scale, ms, mask, lse, row, null);            // row = P_i
                    gom.readRow(goOff + i * dm.e, go, dm.e);
                    om.readRow(out.offset() + (bi * dm.l + i) * dm.e, o, dm.e);
                    double di = 0;
                    for (int t = 0; t < dm.e; t++) di += go[t] * o[t];
                    ds.readRow(i * dm.s, dpRow, dm.s);
                    for (int j = 0; j < dm.s; j++) dpRow[j] = scale * row[j] * (dpRow[j] - di);
                    ds.writeRow(i * dm.s, dpRow, dm.s);
                }
                gq.product(gradQ.offset() + bi * dm.l * dm.d, dm.d, dm.l, dm.d, dm.s, ds, rowMajor(0, dm.s), km, rowMajor(kOff, dm.d));
                gk.product(gradK.offset() + bi * dm.s * dm.d, dm.d, dm.s, dm.d, dm.l, ds, transposed(0, dm.s), qm, rowMajor(qOff, dm.d));
                gv.product(gradV.offset() + bi * dm.s * dm.e, dm.e, dm.s, dm.e, dm.l, p, transposed(0, dm.s), gom, rowMajor(goOff, dm.e));
            }
        });
    }
}
