package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.ClStorage;
import org.diffusion4j.tensor.BinaryOp;
import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.function.Consumer;

import static org.diffusion4j.kernels.Parity.*;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The forward Winograd filters are transformed once per weight version (WinogradFilters): a repeated
 * convolution reuses them (one launch fewer, the same bits), and every kind of write to the weight (copy,
 * upload, an optimizer step, an in-place elementwise op) makes the next convolution use the new weights,
 * checked against the CPU and against a convolution with a fresh copy of the new weight (never cached).
 */
class WinogradFilterCacheTest {
    private static final ConvSpec SAME = ConvSpec.of(1, 1);
    private static final DType T = DType.F32;

    private static Tensor conv(Tensor x, Tensor w, Tensor bias) {
        Tensor y = Tensor.full(cl(), T, Double.NaN, x.shape()[0], w.shape()[0], x.shape()[2], x.shape()[3]);
        cl().conv2d(x.view(), w.view(), bias.view(), y.view(), SAME);
        return y;
    }

    private static Tensor cpuConv(Tensor x, Tensor w, Tensor bias) {
        Tensor y = Tensor.full(CPU, T, Double.NaN, x.shape()[0], w.shape()[0], x.shape()[2], x.shape()[3]);
        CPU.conv2d(x.view(), w.view(), bias.view(), y.view(), SAME);
        return y;
    }

    private static ClStorage storage(Tensor t) { return (ClStorage) t.storage(); }

    @Test void aRepeatedConvolutionReusesTheFiltersAndGivesTheSameBits() {
        Pair x = random(T, 1, 2, 9, 7, 6), w = random(T, 2, 11, 9, 3, 3), bias = random(T, 3, 11);
        assertTrue(GemmOps.useWinograd(x.cl().shape(), w.cl().shape(), SAME));
        long l0 = cl().kernelLaunches();
        Tensor first = conv(x.cl(), w.cl(), bias.cl());
        long l1 = cl().kernelLaunches();
        Tensor second = conv(x.cl(), w.cl(), bias.cl());
        long l2 = cl().kernelLaunches();
        assertEquals((l1 - l0) - 1, l2 - l1, "the second convolution skips winograd_weight");
        assertEquals(1, storage(w.cl()).derivedCount());
        assertBitwise("cached filters", first, second);
        assertClose("conv2d with cached filters", cpuConv(x.cpu(), w.cpu(), bias.cpu()), second, accTol(T));

        System.setProperty(WinogradFilters.PROPERTY, "false");
        try {
            assertBitwise("uncached filters", first, conv(x.cl(), w.cl(), bias.cl()));
        } finally {
            System.clearProperty(WinogradFilters.PROPERTY);
        }
    }

    /** One write of each kind to the weight; after it the convolution must see the new values. */
    @Test void everyWriteToTheWeightIsSeenByTheNextConvolution() {
        Pair x = random(T, 10, 1, 16, 6, 5);
        Tensor bias = random(T, 11, 8).cl();
        double[] newValues = data(12, 8 * 16 * 9, -1, 1);
        Tensor newWeight = Tensor.of(cl(), T, newValues, 8, 16, 3, 3);
        Tensor ones = Tensor.full(cl(), T, 1.0, 8, 16, 3, 3);
        java.util.Map<String, Consumer<Tensor>> writes = new java.util.LinkedHashMap<>();
        writes.put("copy", w -> cl().copy(newWeight.view(), w.view()));
        writes.put("upload", w -> cl().write(w.storage(), 0, toFloats(newValues)));
        writes.put("binary in place", w -> cl().binary(BinaryOp.ADD, w.view(), ones.view(), w.view()));
        writes.put("linearCombination in place", w -> cl().linearCombination(0.5, w.view(), 2.0, newWeight.view(), 0, null, w.view()));
        writes.put("adamStep", w -> {
            Tensor g = Tensor.of(cl(), T, data(13, 8 * 16 * 9, -1, 1), 8, 16, 3, 3);
            Tensor m = Tensor.zeros(cl(), T, 8, 16, 3, 3), v = Tensor.zeros(cl(), T, 8, 16, 3, 3);
            cl().adamStep(w.view(), g.view(), m.view(), v.view(), 0.01, 0.9, 0.999, 0.1, 1.0, 1e-8, 1.0);
        });
        writes.put("fill", w -> cl().fill(w.view(), 0.25));
        long seed = 20;
        for (var e : writes.entrySet()) {
            Tensor w = Tensor.of(cl(), T, data(seed++, 8 * 16 * 9, -1, 1), 8, 16, 3, 3);
            Tensor before = conv(x.cl(), w, bias);
            long version = storage(w).version();
            e.getValue().accept(w);
            assertTrue(storage(w).version() > version, e.getKey() + " bumps the version");
            assertEquals(0, storage(w).derivedCount(), e.getKey() + " drops the cached filters");
            Tensor after = conv(x.cl(), w, bias);
            Tensor fresh = conv(x.cl(), w.copy(), bias);   // a new storage: transformed from scratch
            assertBitwise(e.getKey() + ": cached path equals a fresh transform", fresh, after);
            assertClose(e.getKey() + ": against the CPU", cpuConv(x.cpu(), w.to(CPU), bias.to(CPU)), after, accTol(T));
            assertNotEquals(before.toDoubleArray()[0], after.toDoubleArray()[0], e.getKey() + " changed the output");
        }
    }

    @Test void filtersAreKeptPerViewOfAStorageAndFreedWithIt() {
        // two weights as views of one storage at different offsets: each gets its own transform
        int per = 8 * 8 * 9;
        Tensor packed = Tensor.of(cl(), T, data(30, 2 * per, -1, 1), 2, 8, 8, 3, 3);
        Tensor w0 = packed.select(0, 0), w1 = packed.select(0, 1);
        Pair x = random(T, 31, 1, 8, 5, 5);
        Tensor bias = Tensor.zeros(cl(), T, 8);
        Tensor y0 = conv(x.cl(), w0, bias), y1 = conv(x.cl(), w1, bias);
        assertEquals(2, storage(packed).derivedCount());
        assertClose("view 0", cpuConv(x.cpu(), w0.to(CPU), bias.to(CPU)), y0, accTol(T));
        assertClose("view 1", cpuConv(x.cpu(), w1.to(CPU), bias.to(CPU)), y1, accTol(T));
        long inUse = cl().poolStats().bytesInUse();
        packed.storage().close();
        assertEquals(0, storage(packed).derivedCount());
        long freed = inUse - cl().poolStats().bytesInUse();   // blocks are rounded up to size classes
        assertTrue(freed >= 2L * per * 4 + 2 * 16L * 8 * 8 * 4, "closing the weight frees it and both transforms: " + freed + " bytes");
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
