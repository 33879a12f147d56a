package org.diffusion4j.experiments.scenes;

import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.data.ImageDataset;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Source images for scene tests: synthetic ones (no data needed) and the installed Fashion-MNIST test split. */
final class SceneTestData {
    private static ImageDataset test;

    private SceneTestData() { }

    /** perClass random 28x28 images of each of the 10 classes, labels cycling 0..9. */
    static ImageDataset synthetic(int perClass, long seed) {
        int n = 10 * perClass;
        byte[][] px = new byte[n][784];
        int[] labels = new int[n];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
            for (int j = 0; j < 784; j++) px[i][j] = (byte) r.nextInt(256);
        }
        return new ImageDataset(px, labels, 1, 28, 28, 10);
    }

    /** The Fashion-MNIST test split; the test is skipped, with a notice, when it is not installed. */
    static synchronized ImageDataset fashionTest() throws IOException {
        Path folder = FashionMnist.folder(null);
        boolean present = Files.isDirectory(folder);
        if (!present) System.err.println("NOTICE: Fashion-MNIST is not installed in " + folder + "; skipping the test that needs it");
        Assumptions.assumeTrue(present, "Fashion-MNIST not installed in " + folder);
        if (test == null) test = FashionMnist.load(folder, FashionMnist.Split.TEST);
        return test;
    }
}
