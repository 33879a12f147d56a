package org.diffusion4j.kernels;

import org.diffusion4j.kernels.runtime.BufferPool;
import org.diffusion4j.tensor.ConvSpec;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Scope;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A hot loop inside Scope.open() holds device memory flat: after warm-up the pool creates no buffer. */
class PoolMemoryTest {

    /** conv3x3, group norm + SiLU, single-head attention over the pixels, residual add. */
    private static Tensor block(Tensor x, Tensor w, Tensor bias) {
        int n = x.shape(0), c = x.shape(1), h = x.shape(2), wd = x.shape(3);
        Tensor y = Tensor.conv2d(x, w, bias, ConvSpec.of(1, 1));
        y = Tensor.groupNorm(y, null, null, 2, 1e-5, true).out();
        Tensor seq = y.reshape(n, c, h * wd).transpose(1, 2).contiguous();   // [N, HW, C]
        Tensor att = Tensor.attention(seq, seq, seq, null, 1 / Math.sqrt(c)).out();
        return x.add(att.transpose(1, 2).reshape(n, c, h, wd));
    }

    @Test void twoThousandIterationsKeepThePoolFlat() {
        OpenClBackend b = OpenClTestDevice.backend();
        DType t = DType.F32;
        Tensor x, w, bias;
        try (Scope outer = Scope.open()) {
            x = outer.keep(Tensor.randn(b, t, 1, 0, 2, 4, 6, 6));
            w = outer.keep(Tensor.randn(b, t, 2, 0, 4, 4, 3, 3).mul(0.2));
            bias = outer.keep(Tensor.randn(b, t, 3, 0, 4));
        }
        BufferPool.Stats warm = null;
        double checksum = 0;
        for (int i = 0; i < 2000; i++) {
            try (Scope s = Scope.open()) {
                Tensor out = block(x, w, bias);
                if (i % 500 == 10) checksum += out.sum().item();   // a host read now and then, not every step
            }
            if (i == 20) warm = b.poolStats();
        }
        BufferPool.Stats end = b.poolStats();
        assertTrue(Double.isFinite(checksum), "the block produced " + checksum);
        assertEquals(warm.buffersCreated(), end.buffersCreated(), "buffers created after warm-up: " + warm + " -> " + end);
        assertEquals(warm.bytesTotal(), end.bytesTotal(), "pool size after warm-up: " + warm + " -> " + end);
        // Other test classes in this JVM leave unclosed tensors behind; the Cleaner may return them during the
        // loop, so bytes in use may shrink, never grow.
        assertTrue(end.bytesInUse() <= warm.bytesInUse(), "bytes in use grew: " + warm + " -> " + end);
        System.out.println("pool after 2000 iterations: " + end);
    }

    @Test void closingAStorageReturnsItsBufferToThePool() {
        OpenClBackend b = OpenClTestDevice.backend();
        BufferPool.Stats before = b.poolStats();
        var s = b.allocate(DType.F64, 12_345);
        BufferPool.Stats during = b.poolStats();
        assertTrue(during.bytesInUse() >= before.bytesInUse() + 12_345L * 8, "in use grows: " + before + " -> " + during);
        s.close();
        s.close(); // idempotent
        BufferPool.Stats after = b.poolStats();
        assertEquals(before.bytesInUse(), after.bytesInUse());
        assertEquals(during.bytesInUse() - before.bytesInUse(), after.bytesCached() - before.bytesCached());
        var again = b.allocate(DType.F64, 12_345);
        assertEquals(after.reuses() + 1, b.poolStats().reuses(), "the cached buffer is reused");
        again.close();
    }

    /** The Cleaner is only a safety net, but it works: a storage dropped without close() goes back to the pool. */
    @Test void aStorageNeverClosedIsReturnedByTheCleaner() throws InterruptedException {
        OpenClBackend b = OpenClTestDevice.backend();
        long before = b.poolStats().bytesInUse();
        dropWithoutClosing(b);
        long during = b.poolStats().bytesInUse();
        assertTrue(during >= before + 777_777L * 8, "allocated: " + before + " -> " + during);
        for (int i = 0; i < 100 && b.poolStats().bytesInUse() >= during; i++) {
            System.gc();
            Thread.sleep(20);
        }
        assertTrue(b.poolStats().bytesInUse() < during, "the Cleaner returned the buffer: in use " + during + " -> "
                + b.poolStats().bytesInUse());
    }

    private static void dropWithoutClosing(OpenClBackend b) {
        b.allocate(DType.F64, 777_777);
    }
}
