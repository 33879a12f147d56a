package org.diffusion4j.kernels;

import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Storage;
import org.diffusion4j.tensor.View;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** write() returns before the copy runs: it must have taken the data already, and land at the offset. */
class TransferTest {

    @Test void writeStagesTheDataSoTheCallerMayReuseItsArray() {
        OpenClBackend b = OpenClTestDevice.backend();
        Storage s = b.allocate(DType.F32, 10);
        float[] host = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        b.write(s, 0, host);
        java.util.Arrays.fill(host, -1f);            // reused at once, before any wait
        b.write(s, 7, new float[]{70, 80, 90});      // a second write to the same buffer, at an offset
        float[] back = (float[]) b.read(new View(s, new int[]{10}, new int[]{1}, 0));
        assertArrayEquals(new float[]{1, 2, 3, 4, 5, 6, 7, 70, 80, 90}, back);
        s.close();
    }

    @Test void doublesAndBadArguments() {
        OpenClBackend b = OpenClTestDevice.backend();
        if (!b.supports(DType.F64)) return;
        Storage s = b.allocate(DType.F64, 4);
        b.write(s, 1, new double[]{0.1, 0.2, 0.3});
        double[] back = (double[]) b.read(new View(s, new int[]{3}, new int[]{1}, 1));
        assertArrayEquals(new double[]{0.1, 0.2, 0.3}, back);
        assertThrows(IllegalArgumentException.class, () -> b.write(s, 0, new float[]{1}));
        assertThrows(IndexOutOfBoundsException.class, () -> b.write(s, 2, new double[]{1, 2, 3}));
        s.close();
    }
}
