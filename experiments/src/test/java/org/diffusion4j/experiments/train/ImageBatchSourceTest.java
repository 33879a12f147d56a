package org.diffusion4j.experiments.train;

import org.diffusion4j.experiments.data.ImageDataset;
import org.diffusion4j.tensor.Backends;
import org.diffusion4j.tensor.DType;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ImageBatchSourceTest {
    /** 17 images of 1x3x3; image i has every pixel = i (so its value tells its index) and label i % 10. */
    static ImageDataset dataset(int n) {
        byte[][] pixels = new byte[n][9];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Arrays.fill(pixels[i], (byte) (i * 7));
            pixels[i][0] = (byte) (i * 7 + 1); // left column differs from the right, so flips show
            labels[i] = i % 10;
        }
        return new ImageDataset(pixels, labels, 1, 3, 3, 10);
    }

    private static int indexOf(double[] image) { return (int) Math.round(((image[4] + 1) * 127.5) / 7); }

    @Test
    void everyEpochVisitsEveryImageOnceInAnOrderOfItsOwn() {
        ImageBatchSource source = new ImageBatchSource(dataset(17), 5, false, Backends.cpu(), DType.F64);
        int[] epoch0 = source.order(0).clone(), epoch1 = source.order(1).clone();
        Set<Integer> seen = new HashSet<>();
        for (int i : epoch0) seen.add(i);
        assertEquals(17, seen.size());
        int[] sorted = epoch1.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 17; i++) assertEquals(i, sorted[i]);
        assertFalse(Arrays.equals(epoch0, epoch1));
        // Batches of 3 walk through the epochs: positions 0..50 are epochs 0, 1, 2 in order.
        int[] visited = new int[17 * 3];
        for (int s = 0; s < 17; s++) {
            Batch b = source.batch(s, 3);
            double[] x = b.x0().toDoubleArray();
            for (int k = 0; k < 3; k++) {
                int idx = indexOf(Arrays.copyOfRange(x, 9 * k, 9 * k + 9));
                visited[3 * s + k] = idx;
                assertEquals(idx % 10, b.labels()[k]);
            }
        }
        assertArrayEquals(epoch0, Arrays.copyOfRange(visited, 0, 17));
        assertArrayEquals(epoch1, Arrays.copyOfRange(visited, 17, 34));
    }

    @Test
    void batchOfAStepIsAPureFunctionOfTheStep() {
        ImageBatchSource a = new ImageBatchSource(dataset(17), 5, true, Backends.cpu(), DType.F32);
        ImageBatchSource b = new ImageBatchSource(dataset(17), 5, true, Backends.cpu(), DType.F32);
        float[] late = a.batch(40, 4).x0().toFloatArray();
        a.batch(0, 4);
        assertArrayEquals(late, a.batch(40, 4).x0().toFloatArray(), "asking again, after other steps");
        assertArrayEquals(late, b.batch(40, 4).x0().toFloatArray(), "a fresh source that never saw steps 0..39");
        ImageBatchSource other = new ImageBatchSource(dataset(17), 6, true, Backends.cpu(), DType.F32);
        assertFalse(Arrays.equals(late, other.batch(40, 4).x0().toFloatArray()), "another seed reads another order");
    }

    @Test
    void flipsMirrorAboutHalfTheImages() {
        ImageBatchSource source = new ImageBatchSource(dataset(17), 1, true, Backends.cpu(), DType.F64);
        int flipped = 0, total = 0;
        for (int s = 0; s < 40; s++) {
            double[] x = source.batch(s, 5).x0().toDoubleArray();
            for (int k = 0; k < 5; k++, total++) {
                double left = x[9 * k], right = x[9 * k + 2];
                if (right > left) flipped++; // the marked pixel moved from the left column to the right
            }
        }
        // 200 fair coin flips: mean 100, standard deviation 7.1; allow five.
        assertEquals(100, flipped, 36, flipped + " of " + total);
    }
}
