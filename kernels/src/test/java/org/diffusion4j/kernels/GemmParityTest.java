package org.diffusion4j.kernels;

import org.diffusion4j.tensor.DType;
import org.junit.jupiter.api.Test;

import static org.diffusion4j.kernels.Parity.*;

/** Matmul on every layout the SPI allows: odd sizes, transposed operands, broadcast batches, long K. */
class GemmParityTest {

    private static void check(DType t, Pair a, Pair b, int[] outShape, String what) {
        Pair out = poisoned(t, outShape);
        CPU.matmul(a.cpu().view(), b.cpu().view(), out.cpu().view());
        cl().matmul(a.cl().view(), b.cl().view(), out.cl().view());
        assertClose("matmul " + t + " " + what, out, accTol(t));
    }

    @Test void oddSizes() {
        int[] sizes = {1, 3, 17, 33, 70};
        for (DType t : dtypes()) {
            long seed = 100;
            for (int m : sizes) for (int k : new int[]{1, 17, 129}) for (int n : new int[]{1, 33, 65}) {
                if (m == 70 && n == 65 && k == 129 && t == DType.F64) continue; // enough large cases
                check(t, random(t, seed++, 1, m, k), random(t, seed++, 1, k, n), new int[]{1, m, n}, m + "x" + k + "x" + n);
            }
        }
    }

    @Test void transposedOperandsAndBroadcastBatches() {
        for (DType t : dtypes()) {
            Pair aT = random(t, 1, 3, 45, 37).map(v -> v.transpose(1, 2));     // [3, 37, 45] with unit row stride
            Pair bT = random(t, 2, 3, 29, 45).map(v -> v.transpose(1, 2));     // [3, 45, 29]
            check(t, aT, bT, new int[]{3, 37, 29}, "both transposed");
            Pair bShared = random(t, 3, 1, 45, 29).map(v -> v.expand(3, 45, 29)); // batch stride 0
            check(t, aT, bShared, new int[]{3, 37, 29}, "broadcast B");
            Pair a4 = random(t, 4, 2, 3, 17, 9).map(v -> v.permute(1, 0, 2, 3)); // two batch axes that do not fold
            Pair b4 = random(t, 5, 3, 2, 9, 5);
            check(t, a4, b4, new int[]{3, 2, 17, 5}, "unfoldable batch axes");
            Pair sliced = random(t, 6, 40, 50).map(v -> v.slice(0, 1, 40, 2).slice(1, 3, 50, 3).unsqueeze(0)); // [1,20,16]
            check(t, sliced, random(t, 7, 1, 16, 11), new int[]{1, 20, 11}, "sliced with steps");
        }
    }

    /**
     * A 20000-term dot product of uniform(-1, 1) values: the partial sums wander to about sqrt(20000/9) = 47
     * while the result may be small, so two summation orders differ by up to about
     * 47 * 2^-24 * sqrt(20000) = 4e-4 in F32 (tolerance 2e-3); F64 keeps accTol.
     */
    @Test void longInnerDimensionUsesSplitK() {
        for (DType t : dtypes()) {
            Pair a = random(t, 8, 1, 5, 20_000), b = random(t, 9, 1, 20_000, 7);
            Pair out = poisoned(t, 1, 5, 7);
            CPU.matmul(a.cpu().view(), b.cpu().view(), out.cpu().view());
            cl().matmul(a.cl().view(), b.cl().view(), out.cl().view());
            assertClose("matmul " + t + " K = 20000", out, t == DType.F32 ? 2e-3 : accTol(t));
        }
    }

    @Test void zeroInnerDimensionGivesZeros() {
        Pair out = poisoned(DType.F32, 1, 3, 4);
        Pair a = random(DType.F32, 1, 1, 3, 0), b = random(DType.F32, 1, 1, 0, 4);
        CPU.matmul(a.cpu().view(), b.cpu().view(), out.cpu().view());
        cl().matmul(a.cl().view(), b.cl().view(), out.cl().view());
        assertClose("matmul K = 0", out, 0);
    }
}
