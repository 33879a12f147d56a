package org.diffusion4j.tensor;

import org.diffusion4j.tensor.cpu.Parallel;
import org.junit.jupiter.api.Test;

import java.util.function.Supplier;

import static org.diffusion4j.tensor.Reference.CPU;
import static org.junit.jupiter.api.Assertions.*;

/** Storage lifetime (closed storages fail loudly), scopes, and bitwise determinism independent of the thread count. */
class StorageDeterminismTest {

    @Test
    void aClosedStorageThrowsNamingIt() {
        Tensor kept;
        Tensor leaked;
        try (Scope outer = Scope.open()) {
            try (Scope s = Scope.open()) {
                leaked = Tensor.ones(CPU, DType.F32, 3);
                kept = s.keep(Tensor.ones(CPU, DType.F32, 3).mul(2.0));
                assertEquals(2, s.size());
            }
            assertEquals(1, outer.size(), "the kept storage now belongs to the outer scope");
            assertTrue(leaked.storage().isClosed());
            assertFalse(kept.storage().isClosed());
            assertEquals(6.0, kept.sum().item());
            IllegalStateException e = assertThrows(IllegalStateException.class, leaked::toFloatArray);
            assertTrue(e.getMessage().contains("cpu storage #") && e.getMessage().contains("closed"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> leaked.add(kept));
        }
        assertTrue(kept.storage().isClosed(), "kept moves to the enclosing scope, which closes it");
    }

    @Test
    void hugeAllocationsFailClearly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CPU.allocate(DType.F32, 3_000_000_000L));
        assertTrue(e.getMessage().contains("3000000000"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class, () -> Tensor.empty(CPU, DType.F64, 100000, 100000));
        assertTrue(e2.getMessage().contains("[100000, 100000]"), e2.getMessage());
    }

    @Test
    void writeChecksTheHostArrayType() {
        Storage s = CPU.allocate(DType.F32, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CPU.write(s, 0, new double[4]));
        assertTrue(e.getMessage().contains("double[]") && e.getMessage().contains("F32"), e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> CPU.write(s, 2, new float[4]));
        assertEquals("cpu", CPU.device().toString());
        assertTrue(CPU.supports(DType.F32) && CPU.supports(DType.F64));
    }

    /** Runs the computation with 1 thread and with several; the results must agree to the bit. */
    private static void sameBitsForAnyThreadCount(String what, Supplier<Tensor> computation) {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(1);
            double[] single = computation.get().toDoubleArray();
            for (int threads : new int[]{2, 3, 8}) {
                Parallel.setThreads(threads);
                assertArrayEquals(single, computation.get().toDoubleArray(), what + " with " + threads + " threads");
            }
            assertArrayEquals(single, computation.get().toDoubleArray(), what + " run twice");
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @Test
    void resultsAreBitwiseIndependentOfTheThreadCount() {
        for (DType t : DType.values()) {
            Tensor a = Reference.random(t, 1, 150, 301), b = Reference.random(t, 2, 301, 97);
            sameBitsForAnyThreadCount("matmul " + t, () -> a.matmul(b));
            sameBitsForAnyThreadCount("transposed matmul " + t, () -> b.transpose(0, 1).matmul(a.transpose(0, 1)));
            Tensor x = Reference.random(t, 3, 8, 16, 14, 14), w = Reference.random(t, 4, 32, 16, 3, 3), bias = Reference.random(t, 5, 32);
            ConvSpec spec = ConvSpec.of(1, 1);
            sameBitsForAnyThreadCount("conv2d " + t, () -> Tensor.conv2d(x, w, bias, spec));
            Tensor g = Reference.random(t, 6, 8, 32, 14, 14);
            sameBitsForAnyThreadCount("conv2dBackwardInput " + t, () -> Tensor.conv2dBackwardInput(g, w, x.shape(), spec));
            sameBitsForAnyThreadCount("conv2dBackwardWeight " + t, () -> Tensor.conv2dBackwardWeight(x, g, w.shape(), spec));
            sameBitsForAnyThreadCount("sum " + t, () -> x.sum(false, 0, 2, 3));
            sameBitsForAnyThreadCount("groupNorm " + t, () -> Tensor.groupNorm(x, null, null, 4, 1e-5, true).out());
            sameBitsForAnyThreadCount("groupNormBackward gamma " + t, () -> {
                Tensor gamma = Reference.random(t, 7, 16);
                Tensor.GroupNormResult f = Tensor.groupNorm(x, gamma, null, 4, 1e-5, false);
                return Tensor.groupNormBackward(x, x, gamma, f.mean(), f.rstd(), 4).gamma();
            });
            Tensor q = Reference.random(t, 8, 2, 49, 16), k = Reference.random(t, 9, 2, 49, 16);
            sameBitsForAnyThreadCount("attention backward " + t, () -> {
                Tensor.AttentionResult f = Tensor.attention(q, k, k, null, 0.25);
                return Tensor.attentionBackward(q, k, k, null, 0.25, f, q).k();
            });
            sameBitsForAnyThreadCount("randn " + t, () -> Tensor.randn(CPU, t, 11, 0, 64, 1000));
            sameBitsForAnyThreadCount("silu " + t, () -> x.silu().add(x.mul(0.5)));
        }
    }
}
