package org.diffusion4j.experiments.eval;

import org.diffusion4j.experiments.io.Npy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class SampleImagesTest {
    @TempDir Path dir;

    private static float[] randomPixels(int count, long seed) {
        Random r = new Random(seed);
        float[] d = new float[count];
        for (int i = 0; i < count; i++) d[i] = (float) (2 * r.nextDouble() - 1);
        return d;
    }

    @Test
    void imageAndFlatLayoutsGiveTheSameRows() throws Exception {
        float[] d = randomPixels(3 * 784, 1);
        Path a = dir.resolve("a.npy"), b = dir.resolve("b.npy");
        Npy.writeFloat32(a, d, 3, 1, 28, 28);
        Npy.writeFloat32(b, d, 3, 784);
        double[][] ra = SampleImages.read(a), rb = SampleImages.read(b);
        assertEquals(3, ra.length);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(ra[i], rb[i]);
            for (int j = 0; j < 784; j++) assertEquals(d[i * 784 + j], ra[i][j], 0.0);
        }
    }

    @Test
    void wrongShapesAreRejectedNamingTheShape() throws Exception {
        int[][] bad = {{3, 28, 28}, {3, 1, 28, 27}, {3, 3, 28, 28}, {3, 783}, {2352}};
        for (int[] shape : bad) {
            Path f = dir.resolve("bad.npy");
            int count = 1;
            for (int s : shape) count *= s;
            Npy.writeFloat32(f, randomPixels(count, 2), shape);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SampleImages.read(f));
            assertTrue(e.getMessage().contains(java.util.Arrays.toString(shape)), e.getMessage());
            assertTrue(e.getMessage().contains("(N, 1, 28, 28) or (N, 784)"), e.getMessage());
        }
    }

    @Test
    void valuesOutsideMinusOneToOneAreRejectedNamingValueAndPlace() throws Exception {
        float[] d = randomPixels(2 * 784, 3);
        d[784 + 17] = 1.5f;
        Path f = dir.resolve("range.npy");
        Npy.writeFloat32(f, d, 2, 784);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SampleImages.read(f));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        assertTrue(e.getMessage().contains("sample 1, pixel 17"), e.getMessage());
        assertTrue(e.getMessage().contains("[-1, 1]"), e.getMessage());

        d[784 + 17] = Float.NaN;
        Npy.writeFloat32(f, d, 2, 784);
        assertThrows(IllegalArgumentException.class, () -> SampleImages.read(f));

        d[784 + 17] = (float) (1 + SampleImages.RANGE_SLACK / 2);   // round-off above 1 is accepted
        Npy.writeFloat32(f, d, 2, 784);
        assertEquals(2, SampleImages.read(f).length);
    }
}
