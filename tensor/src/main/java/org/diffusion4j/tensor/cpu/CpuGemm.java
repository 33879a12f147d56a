package org.diffusion4j.tensor.cpu;

/**
 * General matrix products C = A B (or C += A B) on arrays with arbitrary row and column strides, in F32
 * and F64; large products go to the packed Vector API kernels {@link PackedGemmF32} and {@link PackedGemmF64}.
 * Every element of C is one fused multiply-add chain over k in increasing order,
 * {@code c = fma(a[i][p], b[p][j], c)} starting from 0 (or from C's old value when accumulating), however
 * the work is blocked or split over threads: results are bitwise independent of both.
 */
final class CpuGemm {
    /** Below this many multiply-adds the plain loop wins over packing; both give identical bits. */
    static final long PACKED_MIN_WORK = 1L << 15;

    private CpuGemm() { }

    /** Whether an F32 product of this size goes to the packed Vector API kernel (large enough to pay for packing). */
    static boolean usesPackedKernel(int m, int n, int k) {
        return (long) m * n * k >= PACKED_MIN_WORK && n >= PackedGemmF32.NR / 2 && m >= PackedGemmF32.MR;
    }

    /** A strided matrix operand: element (r, c) is at {@code offset + r * rowStride + c * colStride}. */
    record Operand(int offset, int rowStride, int colStride) { }

    static void gemm(int m, int n, int k, float[] a, Operand ao, float[] b, Operand bo, float[] c, int cOff, int ldc,
                     boolean accumulate) {
        if (m == 0 || n == 0) return;
        if (usesPackedKernel(m, n, k)) {
            PackedGemmF32.gemm(m, n, k, a, ao, b, bo, c, cOff, ldc, accumulate);
        } else {
            plain(m, n, k, a, ao, b, bo, c, cOff, ldc, accumulate);
        }
    }

    /** The reference loop (row by row, k ascending); the packed kernel reproduces its bits. */
    static void plain(int m, int n, int k, float[] a, Operand ao, float[] b, Operand bo, float[] c, int cOff, int ldc,
                      boolean accumulate) {
        if (m == 0 || n == 0) return;
        float[] bp = packRowMajor(b, bo, k, n);
        Parallel.forRange(m, 2L * n * k, (i0, i1) -> {
            float[] arow = new float[k];
            for (int i = i0; i < i1; i++) {
                for (int p = 0; p < k; p++) arow[p] = a[ao.offset() + i * ao.rowStride() + p * ao.colStride()];
                int ci = cOff + i * ldc;
                if (!accumulate) java.util.Arrays.fill(c, ci, ci + n, 0f);
                for (int p = 0; p < k; p++) {
                    float av = arow[p];
                    int bi = p * n;
                    for (int j = 0; j < n; j++) c[ci + j] = Math.fma(av, bp[bi + j], c[ci + j]);
                }
            }
        });
    }

    static void gemm(int m, int n, int k, double[] a, Operand ao, double[] b, Operand bo, double[] c, int cOff, int ldc,
                     boolean accumulate) {
        if (m == 0 || n == 0) return;
        if ((long) m * n * k >= PACKED_MIN_WORK && n >= PackedGemmF64.NR / 2 && m >= PackedGemmF64.MR) {
            PackedGemmF64.gemm(m, n, k, a, ao, b, bo, c, cOff, ldc, accumulate);
        } else {
            plain(m, n, k, a, ao, b, bo, c, cOff, ldc, accumulate);
        }
    }

    /** The F64 reference loop; the packed kernel reproduces its bits. */
    static void plain(int m, int n, int k, double[] a, Operand ao, double[] b, Operand bo, double[] c, int cOff, int ldc,
                      boolean accumulate) {
        if (m == 0 || n == 0) return;
        double[] bp = packRowMajor(b, bo, k, n);
        Parallel.forRange(m, 2L * n * k, (i0, i1) -> {
            double[] arow = new double[k];
            for (int i = i0; i < i1; i++) {
                for (int p = 0; p < k; p++) arow[p] = a[ao.offset() + i * ao.rowStride() + p * ao.colStride()];
                int ci = cOff + i * ldc;
                if (!accumulate) java.util.Arrays.fill(c, ci, ci + n, 0.0);
                for (int p = 0; p < k; p++) {
                    double av = arow[p];
                    int bi = p * n;
                    for (int j = 0; j < n; j++) c[ci + j] = Math.fma(av, bp[bi + j], c[ci + j]);
                }
            }
        });
    }

    private static float[] packRowMajor(float[] b, Operand bo, int rows, int cols) {
        float[] p = new float[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) p[r * cols + c] = b[bo.offset() + r * bo.rowStride() + c * bo.colStride()];
        return p;
    }

    private static double[] packRowMajor(double[] b, Operand bo, int rows, int cols) {
        double[] p = new double[rows * cols];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < cols; c++) p[r * cols + c] = b[bo.offset() + r * bo.rowStride() + c * bo.colStride()];
        return p;
    }
}
