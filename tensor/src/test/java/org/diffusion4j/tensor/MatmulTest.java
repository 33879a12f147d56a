package org.diffusion4j.tensor;

import org.diffusion4j.tensor.Reference.Nd;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.diffusion4j.tensor.Reference.*;
import static org.junit.jupiter.api.Assertions.*;

/** matmul against a triple loop in double: odd sizes, transposed views, batch broadcasting, rank-1 operands. */
class MatmulTest {

    /** NumPy matmul semantics with plain loops, after the rank-1 promotion done by the caller. */
    private static Nd reference(Nd a, Nd b) {
        int ra = a.shape().length, rb = b.shape().length;
        int m = a.shape()[ra - 2], k = a.shape()[ra - 1], n = b.shape()[rb - 1];
        int[] ba = java.util.Arrays.copyOf(a.shape(), ra - 2), bb = java.util.Arrays.copyOf(b.shape(), rb - 2);
        int[] batch = Shapes.broadcast("ref", ba, bb);
        int[] os = java.util.Arrays.copyOf(batch, batch.length + 2);
        os[batch.length] = m;
        os[batch.length + 1] = n;
        Nd out = Nd.zeros(os);
        for (int o = 0; o < out.numel(); o++) {
            int[] idx = out.unravel(o);
            int i = idx[idx.length - 2], j = idx[idx.length - 1];
            double s = 0;
            for (int p = 0; p < k; p++) {
                int[] ia = idx.clone(), ib = idx.clone();
                ia[ia.length - 2] = i; ia[ia.length - 1] = p;
                ib[ib.length - 2] = p; ib[ib.length - 1] = j;
                s += a.getBroadcast(ia) * b.getBroadcast(ib);
            }
            out.data()[o] = s;
        }
        return out;
    }

    private static void check(DType t, Tensor a, Tensor b) {
        Tensor c = a.matmul(b);
        Tensor a2 = a.rank() == 1 ? a.unsqueeze(0) : a, b2 = b.rank() == 1 ? b.unsqueeze(1) : b;
        Nd e = reference(Nd.of(a2), Nd.of(b2));
        int k = a.shape(-1);
        assertClose("matmul " + Shapes.str(a.shape()) + " @ " + Shapes.str(b.shape()) + " " + t, e.data(), c,
                accTol(t) * Math.max(1, Math.sqrt(k)));
        int expectedRank = Math.max(a2.rank(), b2.rank()) - (a.rank() == 1 ? 1 : 0) - (b.rank() == 1 ? 1 : 0);
        assertEquals(expectedRank, c.rank(), "result rank");
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void oddSizes(DType t) {
        int[] sizes = {1, 3, 17, 33};
        long seed = 0;
        for (int m : sizes) for (int k : sizes) for (int n : new int[]{1, 17, 33})
            check(t, Reference.random(t, seed++, m, k), Reference.random(t, seed++, k, n));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void largerThanOneBlock(DType t) {
        check(t, Reference.random(t, 1, 67, 129), Reference.random(t, 2, 129, 70));
        check(t, Reference.random(t, 3, 130, 300), Reference.random(t, 4, 300, 45).transpose(0, 1).contiguous().transpose(0, 1));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void transposedAndSlicedViews(DType t) {
        Tensor at = Reference.random(t, 5, 17, 33).transpose(0, 1);      // [33, 17] column-major
        Tensor bt = Reference.random(t, 6, 3, 17).transpose(0, 1);       // [17, 3]
        check(t, at, bt);
        Tensor sliced = Reference.random(t, 7, 34, 40).slice(0, 1, 34, 2).narrow(1, 3, 17); // [17, 17], row stride 80
        check(t, sliced, sliced.transpose(0, 1));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void batchBroadcasting(DType t) {
        check(t, Reference.random(t, 8, 2, 3, 5, 7), Reference.random(t, 9, 7, 4));            // batch [2,3] with none
        check(t, Reference.random(t, 10, 3, 1, 5, 7), Reference.random(t, 11, 4, 7, 17));      // [3,1] with [4]
        check(t, Reference.random(t, 12, 1, 5, 7).expand(3, 5, 7), Reference.random(t, 13, 3, 17, 7).transpose(1, 2));
    }

    @ParameterizedTest
    @EnumSource(DType.class)
    void rankOnePromotion(DType t) {
        check(t, Reference.random(t, 14, 17), Reference.random(t, 15, 17, 3));      // vector @ matrix -> [3]
        check(t, Reference.random(t, 16, 3, 17), Reference.random(t, 17, 17));      // matrix @ vector -> [3]
        check(t, Reference.random(t, 18, 33), Reference.random(t, 19, 33));          // dot -> scalar
        check(t, Reference.random(t, 20, 2, 3, 17), Reference.random(t, 21, 17));    // batched matrix @ vector -> [2, 3]
    }

    @Test
    void emptyOperands() {
        Tensor a = Tensor.zeros(CPU, DType.F32, 0, 3), b = Reference.random(DType.F32, 1, 3, 4);
        assertArrayEquals(new int[]{0, 4}, a.matmul(b).shape());
        // k = 0: the empty sum is 0
        Tensor c = Tensor.zeros(CPU, DType.F64, 2, 0), d = Tensor.zeros(CPU, DType.F64, 0, 3);
        assertArrayEquals(new double[6], c.matmul(d).toDoubleArray());
        assertArrayEquals(new int[]{0, 3}, Tensor.zeros(CPU, DType.F32, 0, 3).add(Tensor.ones(CPU, DType.F32, 3)).shape());
    }

    @Test
    void innerDimensionMismatchNamesBothShapes() {
        Tensor a = Tensor.zeros(CPU, DType.F64, 3, 4), b = Tensor.zeros(CPU, DType.F64, 5, 2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.matmul(b));
        assertTrue(e.getMessage().contains("[3, 4]") && e.getMessage().contains("[5, 2]"), e.getMessage());
        Tensor c = Tensor.zeros(CPU, DType.F64, 2, 3, 4), d = Tensor.zeros(CPU, DType.F64, 3, 4, 5);
        e = assertThrows(IllegalArgumentException.class, () -> c.matmul(d));
        assertTrue(e.getMessage().contains("matmul"), e.getMessage());
    }
}
