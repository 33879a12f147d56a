package org.diffusion4j.experiments.superres;

import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.diffusion4j.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class BicubicTest {
    @Test void keysKernelReproducesQuadraticsAwayFromTheBorder() {
        int h = 7, w = 9, f = 4;
        double[] img = new double[h * w];
        for (int y = 0; y < h; y++) for (int x = 0; x < w; x++) img[y * w + x] = 0.3 + 0.1 * x - 0.05 * y + 0.02 * x * x - 0.01 * x * y;
        double[] up = Bicubic.upsample(img, 1, h, w, f);
        for (int y = 0; y < h * f; y++) for (int x = 0; x < w * f; x++) {
            double sy = (y + 0.5) / f - 0.5, sx = (x + 0.5) / f - 0.5;
            if (sy < 1 || sy > h - 2 || sx < 1 || sx > w - 2) continue;   // the 4-tap support reaches the border
            double exact = 0.3 + 0.1 * sx - 0.05 * sy + 0.02 * sx * sx - 0.01 * sx * sy;
            assertEquals(exact, up[y * w * f + x], 1e-12, "at " + y + "," + x);
        }
        assertEquals(1.0, Bicubic.kernel(0), 0);
        assertEquals(0.0, Bicubic.kernel(1), 1e-15);
        assertEquals(0.0, Bicubic.kernel(2), 0);
        assertEquals(-0.0625, Bicubic.kernel(1.5), 1e-15, "a = -0.5: W(1.5) = a (1.5^3 - 5 1.5^2 + 8 1.5 - 4)");
    }

    @Test void areaDownsamplingIsTheBlockMeanOnTheHostAndOnTheBackend() {
        Tensor x = Tensor.randn(Backends.cpu(), DType.F64, 3, 0, 2, 1, 28, 28);
        double[] device = LowResolution.downsample(x, 4).toDoubleArray();
        double[] all = x.toDoubleArray();
        for (int n = 0; n < 2; n++) {
            double[] host = Bicubic.areaDownsample(java.util.Arrays.copyOfRange(all, n * 784, (n + 1) * 784), 1, 28, 28, 4);
            double block = 0;
            for (int j = 0; j < 4; j++) for (int i = 0; i < 4; i++) block += all[n * 784 + (8 + j) * 28 + 12 + i];
            assertEquals(block / 16, host[2 * 7 + 3], 1e-12);
            for (int k = 0; k < 49; k++) assertEquals(host[k], device[n * 49 + k], 1e-12);
        }
        double[] cond = LowResolution.condition(x, 4).toDoubleArray();
        assertEquals(device[0], cond[3 * 28 + 2], 1e-15, "nearest upsampling repeats the block mean over its 4x4 block");
        var e = assertThrows(IllegalArgumentException.class, () -> LowResolution.downsample(x, 3));
        assertTrue(e.getMessage().contains("divisible"), e.getMessage());
    }
}
