package org.diffusion4j.tensor.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The F64 matrix product, a line-by-line mirror of {@link PackedGemmF32} (Java generics cannot abstract
 * over float[] and double[] without boxing). With the Vector API, organised as in Goto and van de Geijn,
 * "Anatomy of high-performance matrix multiplication" (ACM TOMS 2008): B is packed into panels of NR columns and A
 * into panels of MR rows for each KC-deep slice of k, and a register-blocked micro-kernel keeps an
 * MR x NR tile of C in 2 * MR vector registers while it streams the two panels.
 *
 * <p>Every element of C is still the single chain {@code c = fma(a[i][p], b[p][j], c)} over p in
 * increasing order: a KC slice continues the chain from the value the previous slice stored (a double, so
 * nothing is lost), and padding rows and columns only touch discarded tile entries. The result is
 * therefore bitwise identical to {@link CpuGemm}'s plain loop, for any blocking and thread count.
 */
final class PackedGemmF64 {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Tile rows and columns held in registers: MR rows by two vectors. */
    static final int MR = 6, NR = 2 * L;
    /** Depth of one k slice (a B panel of KC x NR doubles stays in L1), rows of one packed A block (L2). */
    private static final int KC = 256, MC = 96;
    /** Column panels per parallel task. */
    private static final int PANELS_PER_TASK = 4;

    private PackedGemmF64() { }

    /**
     * Where the B operand comes from: row r, columns [c0, c0 + length) into dst[dstOff ..]. Lets a caller
     * such as the convolution produce B on the fly (implicit im2col) instead of materialising it.
     */
    @FunctionalInterface
    interface RowSource {
        void copyRow(int r, int c0, int length, double[] dst, int dstOff);
    }

    static void gemm(int m, int n, int k, double[] a, CpuGemm.Operand ao, double[] b, CpuGemm.Operand bo,
                     double[] c, int cOff, int ldc, boolean accumulate) {
        RowSource rows = bo.colStride() == 1
                ? (r, c0, len, dst, off) -> System.arraycopy(b, bo.offset() + r * bo.rowStride() + c0, dst, off, len)
                : (r, c0, len, dst, off) -> {
                    int src = bo.offset() + r * bo.rowStride() + c0 * bo.colStride();
                    for (int t = 0; t < len; t++) dst[off + t] = b[src + t * bo.colStride()];
                };
        gemm(m, n, k, a, ao, rows, c, cOff, ldc, accumulate);
    }

    /** C (+)= A B with B's rows supplied by {@code b}. */
    static void gemm(int m, int n, int k, double[] a, CpuGemm.Operand ao, RowSource b,
                     double[] c, int cOff, int ldc, boolean accumulate) {
        int panels = (n + NR - 1) / NR;
        int rowBlocks = (m + MC - 1) / MC;
        int colTasks = (panels + PANELS_PER_TASK - 1) / PANELS_PER_TASK;
        double[] bp = new double[KC * panels * NR];
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            boolean load = accumulate || pc > 0;
            int slice = pc;
            Parallel.forRange(panels, 2L * kc * NR, (j0, j1) -> packB(b, slice, kc, n, j0, j1, bp));
            Parallel.forRange(rowBlocks * colTasks, 2L * MC * kc * NR * PANELS_PER_TASK, (t0, t1) -> {
                double[] ap = new double[MC * kc];
                double[] tile = new double[MR * NR];
                int packedBlock = -1;
                for (int task = t0; task < t1; task++) {
                    int ib = task / colTasks, jt = task % colTasks;
                    int ic = ib * MC, mc = Math.min(MC, m - ic);
                    if (ib != packedBlock) {
                        packA(a, ao, ic, mc, slice, kc, ap);
                        packedBlock = ib;
                    }
                    int jEnd = Math.min(panels, (jt + 1) * PANELS_PER_TASK);
                    for (int jp = jt * PANELS_PER_TASK; jp < jEnd; jp++) {
                        int j = jp * NR, nr = Math.min(NR, n - j);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int cIdx = cOff + (ic + ir) * ldc + j;
                            if (mr == MR && nr == NR) {
                                kernel(kc, ap, ir * kc, bp, jp * kc * NR, c, cIdx, ldc, load);
                            } else {
                                edgeTile(kc, ap, ir * kc, bp, jp * kc * NR, c, cIdx, ldc, load, mr, nr, tile);
                            }
                        }
                    }
                }
            });
        }
    }

    /**
     * B[pc .. pc+kc, columns of panels j0 .. j1) into bp, panel by panel: bp[(panel * kc + p) * NR + col],
     * zero-padded. Each row of B is fetched once for the whole range (long runs suit implicit sources).
     */
    private static void packB(RowSource b, int pc, int kc, int n, int j0, int j1, double[] bp) {
        int c0 = j0 * NR, length = Math.min(n, j1 * NR) - c0;
        double[] row = new double[length];
        for (int p = 0; p < kc; p++) {
            b.copyRow(pc + p, c0, length, row, 0);
            for (int jp = j0; jp < j1; jp++) {
                int from = (jp - j0) * NR, nr = Math.min(NR, length - from);
                int dst = jp * kc * NR + p * NR;
                System.arraycopy(row, from, bp, dst, nr);
                for (int col = nr; col < NR; col++) bp[dst + col] = 0.0;
            }
        }
    }

    /** A[ic .. ic+mc, pc .. pc+kc] into ap in panels of MR rows: ap[ir * kc + p * MR + r], zero-padded. */
    private static void packA(double[] a, CpuGemm.Operand ao, int ic, int mc, int pc, int kc, double[] ap) {
        for (int ir = 0; ir < mc; ir += MR) {
            int mr = Math.min(MR, mc - ir);
            int base = ir * kc;
            for (int r = 0; r < MR; r++) {
                if (r >= mr) {
                    for (int p = 0; p < kc; p++) ap[base + p * MR + r] = 0.0;
                    continue;
                }
                int src = ao.offset() + (ic + ir + r) * ao.rowStride() + pc * ao.colStride();
                for (int p = 0; p < kc; p++) ap[base + p * MR + r] = a[src + p * ao.colStride()];
            }
        }
    }

    /** A partial tile: computed in full into a scratch tile, of which only mr x nr entries are used. */
    private static void edgeTile(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cIdx, int ldc,
                                 boolean load, int mr, int nr, double[] tile) {
        java.util.Arrays.fill(tile, 0.0);
        if (load) for (int r = 0; r < mr; r++) System.arraycopy(c, cIdx + r * ldc, tile, r * NR, nr);
        kernel(kc, ap, aOff, bp, bOff, tile, 0, NR, load);
        for (int r = 0; r < mr; r++) System.arraycopy(tile, r * NR, c, cIdx + r * ldc, nr);
    }

    /** The 6 x 2-vector register tile: C[0..6, 0..NR) (+)= A panel times B panel over kc steps. */
    private static void kernel(int kc, double[] ap, int aOff, double[] bp, int bOff, double[] c, int cIdx, int ldc, boolean load) {
        DoubleVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51;
        if (load) {
            c00 = DoubleVector.fromArray(S, c, cIdx);           c01 = DoubleVector.fromArray(S, c, cIdx + L);
            c10 = DoubleVector.fromArray(S, c, cIdx + ldc);     c11 = DoubleVector.fromArray(S, c, cIdx + ldc + L);
            c20 = DoubleVector.fromArray(S, c, cIdx + 2 * ldc); c21 = DoubleVector.fromArray(S, c, cIdx + 2 * ldc + L);
            c30 = DoubleVector.fromArray(S, c, cIdx + 3 * ldc); c31 = DoubleVector.fromArray(S, c, cIdx + 3 * ldc + L);
            c40 = DoubleVector.fromArray(S, c, cIdx + 4 * ldc); c41 = DoubleVector.fromArray(S, c, cIdx + 4 * ldc + L);
            c50 = DoubleVector.fromArray(S, c, cIdx + 5 * ldc); c51 = DoubleVector.fromArray(S, c, cIdx + 5 * ldc + L);
        } else {
            DoubleVector z = DoubleVector.zero(S);
            c00 = z; c01 = z; c10 = z; c11 = z; c20 = z; c21 = z; c30 = z; c31 = z; c40 = z; c41 = z; c50 = z; c51 = z;
        }
        for (int p = 0; p < kc; p++) {
            int bi = bOff + p * NR, ai = aOff + p * MR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi), b1 = DoubleVector.fromArray(S, bp, bi + L);
            DoubleVector a0 = DoubleVector.broadcast(S, ap[ai]);
            c00 = a0.fma(b0, c00); c01 = a0.fma(b1, c01);
            DoubleVector a1 = DoubleVector.broadcast(S, ap[ai + 1]);
            c10 = a1.fma(b0, c10); c11 = a1.fma(b1, c11);
            DoubleVector a2 = DoubleVector.broadcast(S, ap[ai + 2]);
            c20 = a2.fma(b0, c20); c21 = a2.fma(b1, c21);
            DoubleVector a3 = DoubleVector.broadcast(S, ap[ai + 3]);
            c30 = a3.fma(b0, c30); c31 = a3.fma(b1, c31);
            DoubleVector a4 = DoubleVector.broadcast(S, ap[ai + 4]);
            c40 = a4.fma(b0, c40); c41 = a4.fma(b1, c41);
            DoubleVector a5 = DoubleVector.broadcast(S, ap[ai + 5]);
            c50 = a5.fma(b0, c50); c51 = a5.fma(b1, c51);
        }
        c00.intoArray(c, cIdx);           c01.intoArray(c, cIdx + L);
        c10.intoArray(c, cIdx + ldc);     c11.intoArray(c, cIdx + ldc + L);
        c20.intoArray(c, cIdx + 2 * ldc); c21.intoArray(c, cIdx + 2 * ldc + L);
        c30.intoArray(c, cIdx + 3 * ldc); c31.intoArray(c, cIdx + 3 * ldc + L);
        c40.intoArray(c, cIdx + 4 * ldc); c41.intoArray(c, cIdx + 4 * ldc + L);
        c50.intoArray(c, cIdx + 5 * ldc); c51.intoArray(c, cIdx + 5 * ldc + L);
    }
}
