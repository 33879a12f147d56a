package org.diffusion4j.experiments.eval;

import org.diffusion4j.experiments.data.FashionMnist;
import org.diffusion4j.experiments.data.ImageDataset;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The installed Fashion-MNIST splits for tests; a test that needs them is skipped, with a notice, without them. */
final class FashionMnistTestData {
    private static ImageDataset train, test;

    private FashionMnistTestData() { }

    static Path folder() {
        Path folder = FashionMnist.folder(null);
        boolean present = Files.isDirectory(folder);
        if (!present) System.err.println("NOTICE: Fashion-MNIST is not installed in " + folder
                + " (apt-get install dataset-fashion-mnist); skipping the test that needs it");
        Assumptions.assumeTrue(present, "Fashion-MNIST not installed in " + folder);
        return folder;
    }

    static synchronized ImageDataset test() throws IOException {
        if (test == null) test = FashionMnist.load(folder(), FashionMnist.Split.TEST);
        return test;
    }

    static synchronized ImageDataset train() throws IOException {
        if (train == null) train = FashionMnist.load(folder(), FashionMnist.Split.TRAIN);
        return train;
    }
}
